"""A large file is read, parsed and checked by a child process (issue 17: opening a 50 MB
workspace froze the window while ``json.loads`` held the interpreter lock). The child
answers with plain bytes; the app rebuilds exactly the object ``json.loads`` gives and
validates it again; a refusal reads as the synchronous open's message. The vectorised
checks of long number lists accept and refuse exactly what the element-by-element
checks do."""

from __future__ import annotations

import json
import math
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz.engine.files import file_child as FC
from nnviz.engine.files.schema import Grid
from nnviz.engine.files.validate import FormatError, as_array, read_json
from nnviz.engine.files.weights_file import read_weights, save_weights
from nnviz.engine.files.workspace import read_workspace
from nnviz.engine.teaching.lessons import LessonError, load_lesson
from tests.engine.test_big_files import _net
from tests.engine.test_hostile_fuzz import WORKSPACES
from tests.hostile_strategies import hostile_variant

HOSTILE = __import__("pathlib").Path(__file__).resolve().parent.parent / "data" / "hostile"


def test_a_workspace_read_by_the_child_is_the_parsed_file(tmp_path):
    from nnviz.bench.file_bench import big_files

    ws_path, w_path = big_files(tmp_path, 40)
    kind, obj = FC.read_checked(ws_path, "workspace")
    assert kind == "workspace" and obj == read_json(ws_path)
    kind, obj = FC.read_checked(w_path, "json")  # a .json: the child says which kind
    assert kind == "weights" and obj == read_json(w_path)


def test_refusals_read_as_the_synchronous_open(tmp_path):
    for name in ("losses-lists", "spiral-4-of-10", "template-width"):
        path = HOSTILE / f"{name}.json"
        with pytest.raises(LessonError) as sync:
            load_lesson(path)
        with pytest.raises(FormatError) as child:
            FC.read_checked(path, "json")
        assert str(child.value) == str(sync.value) and f"{name}.json: line " in str(child.value)
    bad = tmp_path / "w.json"
    save_weights(bad, _net(3))
    d = json.loads(bad.read_text())
    d["network"]["layers"][1]["weights"][2][1] = True
    bad.write_text(json.dumps(d))
    with pytest.raises(FormatError) as sync:
        read_weights(bad)
    with pytest.raises(FormatError) as child:
        FC.read_checked(bad, "weights")
    assert str(child.value) == str(sync.value) and "weights[2][1]" in str(child.value)
    for path in (tmp_path / "missing.nnviz", tmp_path):
        with pytest.raises(FormatError) as sync:
            read_workspace(path)
        with pytest.raises(FormatError) as child:
            FC.read_checked(path, "workspace")
        assert str(child.value) == str(sync.value)


def test_a_set_stop_cancels(tmp_path):
    from nnviz.bench.file_bench import big_files

    ws_path, _ = big_files(tmp_path, 40)
    stop = threading.Event()
    stop.set()
    with pytest.raises(FC.Cancelled):
        FC.read_checked(ws_path, "workspace", stop)


def test_malformed_answers_are_refused():
    good = FC.pack("workspace", {"a": [0.5] * 300, "b": [[1.5] * 20] * 20})
    assert FC.unpack(good) == ("workspace", {"a": [0.5] * 300, "b": [[1.5] * 20] * 20})
    for msg in (b"", b"X", good[:-8], good + b"\0" * 8, b"O" + good[1:9] + b"{",
                FC.pack("python", {}), good.replace(b'"a"', b'"c"', 1)):
        with pytest.raises(FormatError, match="malformed"):
            FC.unpack(msg)


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.text(max_size=5)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner,
                                                                 max_size=4)
    | st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=250, max_size=300)
    | st.lists(st.lists(st.floats(allow_nan=False, allow_infinity=False) | st.integers(0, 3),
                        min_size=16, max_size=17), min_size=16, max_size=17),
    max_leaves=20)


@settings(max_examples=25, deadline=None)
@given(st.dictionaries(st.text(max_size=4), _json, max_size=4))
def test_pack_and_unpack_give_back_the_parsed_object_exactly(obj):
    text = json.dumps(obj)
    parsed = json.loads(text)
    kind, back = FC.unpack(FC.pack("lesson", parsed))
    assert kind == "lesson"
    assert json.dumps(back) == text  # same types (int stays int), same float bits
    assert back == parsed


# ---------------------------------------------------------------- vectorised checks
_cell = (st.floats(allow_nan=False, allow_infinity=False) | st.integers(-10**400, 10**400)
         | st.booleans() | st.just("1.5") | st.none() | st.just([1.0]))


def _reference(v, shape):
    """as_array written out element by element: a FormatError or the array."""
    def check(x, depth):
        if depth == len(shape):
            if isinstance(x, bool) or not isinstance(x, (int, float)):
                raise FormatError("not a number")
            if not math.isfinite(float(x)):
                raise FormatError("not finite")
            return
        if not isinstance(x, list) or (shape[depth] is not None and len(x) != shape[depth]):
            raise FormatError("shape")
        for e in x:
            check(e, depth + 1)

    check(v, 0)
    try:
        arr = np.array(v, dtype=np.float64)
    except ValueError:
        raise FormatError("ragged") from None
    if arr.ndim != len(shape):
        raise FormatError("ragged")
    return arr


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_cell, min_size=0, max_size=4), min_size=0, max_size=4),
       st.sampled_from([(None, None), (None, 3), (3, 3), (2, None)]))
def test_as_array_accepts_and_refuses_as_the_element_checks(v, shape):
    try:
        want = _reference(v, shape)
    except (FormatError, OverflowError):
        want = None
    try:
        got = as_array(v, "x", shape)
    except FormatError:
        got = None
    if want is None:
        assert got is None
    else:
        assert got is not None and got.shape == want.shape and np.array_equal(got, want)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_cell, max_size=4), max_size=4))
def test_grid_accepts_and_refuses_as_the_element_checks(v):
    g = Grid(2, 10, -1e6, 1e6)

    def reference():
        n = 0
        for row in v:
            if not isinstance(row, list):
                raise FormatError("row")
            for x in row:
                n += 1
                if n > 10 or isinstance(x, bool) or not isinstance(x, (int, float)):
                    raise FormatError("cell")
                if isinstance(x, int) and not -(10**30) < x < 10**30:
                    raise FormatError("big")
                if not -1e6 <= float(x) <= 1e6:
                    raise FormatError("range")

    try:
        reference()
        ok = True
    except FormatError:
        ok = False
    try:
        g.check(v, "x")
        got = True
    except FormatError:
        got = False
    assert got == ok


@settings(max_examples=12, deadline=None)
@given(st.sampled_from(sorted(WORKSPACES)).flatmap(lambda n: hostile_variant(WORKSPACES[n])))
def test_a_hostile_workspace_read_by_the_child_is_judged_as_the_synchronous_open(variant):
    """Valid-looking workspaces with a hostile value: the child path refuses exactly what
    the synchronous open refuses (with its message) and otherwise gives the same file."""
    import tempfile
    from pathlib import Path

    from nnviz.engine.files.workspace import workspace_from

    d, _desc = variant
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hostile.nnviz"
        path.write_text(json.dumps(d))
        try:
            read_workspace(path)
            sync = None
        except FormatError as e:
            sync = str(e)
        try:
            kind, obj = FC.read_checked(path, "workspace")
            child = None
        except FormatError as e:
            child = str(e)
        assert child == sync
        if sync is None:
            assert kind == "workspace" and obj == json.loads(path.read_text())
            workspace_from(obj, path)  # and the app's own check agrees
