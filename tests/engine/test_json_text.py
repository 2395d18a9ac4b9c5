"""Writing nnviz's JSON files in pieces (a large file is written on a worker thread, so no
piece may be one long call): the text is exactly what ``json`` reads back, a matrix is
written a row at a time and a long list a slice at a time, and a refused value or a file
over the size nnviz opens writes nothing (the old file stays)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz.engine.files import json_text
from nnviz.engine.files.atomic import TEMP_PREFIX, write_atomic
from nnviz.engine.files.json_text import SLICE, as_lists, dumps_file, file_pieces
from nnviz.engine.files.validate import FormatError

_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                     st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=8))
_json = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=6), st.dictionaries(st.text(max_size=6), inner, max_size=6)),
    max_leaves=40)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.text(max_size=6), _json, max_size=6))
def test_the_text_reads_back_as_the_object(obj):
    text = dumps_file(obj)
    assert json.loads(text) == json.loads(json.dumps(obj))
    assert text.endswith("\n")


def test_floats_are_exact_and_long_lists_are_written_in_slices():
    rng = np.random.default_rng(3)
    w = rng.normal(size=(300, 500)) * 10.0 ** rng.integers(-300, 300, size=(300, 500))
    v = rng.normal(size=3 * SLICE + 7)
    obj = {"w": as_lists(w), "v": as_lists(v), "ragged": [[1.5, [2.5]], [], {"a": [0.1]}]}
    assert obj["w"] == w.tolist() and obj["v"] == v.tolist()
    pieces = list(file_pieces(obj))
    back = json.loads("".join(pieces))
    assert np.array_equal(np.array(back["w"]), w) and np.array_equal(np.array(back["v"]), v)
    assert back["ragged"] == obj["ragged"]
    longest = max(len(p) for p in pieces)   # a row of 500 or a slice of 4,096 numbers
    assert longest < SLICE * 26 and longest < len("".join(pieces)) / 20


@pytest.mark.parametrize("bad", [{"a": [1.0, math.nan]}, {"a": [math.inf] * (SLICE + 1)},
                                 {"a": {1: 2}}, {"a": [[object()]]}])
def test_a_value_json_cannot_hold_is_refused_and_the_old_file_stays(tmp_path, bad):
    path = tmp_path / "f.json"
    path.write_text('{"old": true}\n')
    with pytest.raises(FormatError, match="cannot write the file"):
        write_atomic(path, file_pieces({"first": list(range(10)), **bad}))
    assert path.read_text() == '{"old": true}\n'
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_a_file_over_the_open_limit_is_refused_part_way_and_the_old_file_stays(
        tmp_path, monkeypatch):
    monkeypatch.setattr(json_text, "MAX_FILE_BYTES", 50_000)
    path = tmp_path / "f.json"
    path.write_text("old\n")
    with pytest.raises(FormatError, match="over the 0 MB nnviz opens"):
        write_atomic(path, file_pieces({"w": as_lists(np.ones((100, 100)))}))
    assert path.read_text() == "old\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]


_shapes = st.one_of(st.tuples(), st.tuples(st.integers(0, 3)),
                    st.tuples(st.integers(0, 3), st.integers(0, 4)),
                    st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 3)))


@settings(max_examples=60, deadline=None)
@given(_shapes, st.sampled_from(["float64", "int64", "bool"]), st.integers(0, 2**32 - 1))
def test_an_array_is_written_as_its_lists_are(shape, dtype, seed):
    """file_pieces of an array (converted as it is written) gives the very text of
    file_pieces of its as_lists: 0-d, empty, ragged-free 1-, 2- and 3-d, every dtype."""
    rng = np.random.default_rng(seed)
    a = np.asarray(rng.normal(size=shape) * 1e3).astype(dtype)
    obj = {"a": a, "nested": {"b": a}, "list": [1, 2]}
    lists = {"a": as_lists(a), "nested": {"b": as_lists(a)}, "list": [1, 2]}
    assert "".join(file_pieces(obj)) == dumps_file(lists)


def test_long_rows_and_vectors_of_arrays_are_written_as_their_lists_in_slices():
    rng = np.random.default_rng(5)
    w = rng.normal(size=(3, 2 * SLICE + 11))
    v = rng.normal(size=SLICE + 1)
    obj = {"w": w, "v": v, "short": v[:5], "exact": v[:SLICE]}
    pieces = list(file_pieces(obj))
    assert "".join(pieces) == dumps_file({k: as_lists(x) for k, x in obj.items()})
    assert max(len(p) for p in pieces) < SLICE * 26


def test_an_array_json_cannot_hold_is_refused_and_the_old_file_stays(tmp_path):
    path = tmp_path / "f.json"
    path.write_text('{"old": true}\n')
    w = np.ones((4, 3))
    w[2, 1] = math.nan
    with pytest.raises(FormatError, match="cannot write the file"):
        write_atomic(path, file_pieces({"w": w}))
    assert path.read_text() == '{"old": true}\n'
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]
