"""Workspace and weights files: exact round trips, atomic writes, and clean rejection of
malformed files (property-based)."""

from __future__ import annotations

import copy
import json
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnviz.engine.files import atomic
from nnviz.engine.files.validate import FormatError
from nnviz.engine.files.weights_file import (
    loads_weights,
    parse_weights,
    read_weights,
    save_weights,
    weights_to_dict,
)
from nnviz.engine.files.workspace import (
    Workspace,
    data_spec_for,
    dumps_workspace,
    loads_workspace,
    parse_workspace,
    read_workspace,
    save_workspace,
    workspace_to_dict,
)
from nnviz.engine.learning.training import TrainConfig
from nnviz.engine.teaching.lessons import load_lesson


def _workspace(name: str = "mazur-2-2-2", seed: int = 1) -> Workspace:
    lesson = load_lesson(name)
    net = lesson.network.copy()
    rng = np.random.default_rng(seed)
    for w in net.weights:  # awkward floats: every bit must survive
        w += rng.normal(size=w.shape) * 1e-3
    x, y = lesson.dataset()
    ex_x, ex_y = lesson.example()
    return Workspace(lesson, net, x, y, ex_x, ex_y, TrainConfig(eta=0.123456789, momentum=0.3,
                                                             optimiser="adam",
                                                             hyper={"beta1": 0.85, "eps": 1e-7},
                                                             schedule="step", lr_gamma=0.3,
                                                             lr_every=4, patience=12),
                     lesson.loss, "workbench",
                     {"workbench": {"k": 3, "weight_labels": False},
                      "conv": {"cnn": {"history": [[0.1, 1 / 3, 2e-300]]}},
                      "training": {"discrete": True}},
                     (3, "forward"), data_spec_for(lesson, x, y))


def _same(a: Workspace, b: Workspace) -> None:
    assert a.network.equals(b.network)
    assert np.array_equal(a.x, b.x) and np.array_equal(a.y, b.y)
    assert np.array_equal(a.example_x, b.example_x) and np.array_equal(a.example_y, b.example_y)
    assert a.config == b.config and a.loss == b.loss and a.lab == b.lab
    assert a.labs == b.labs and a.position == b.position
    assert a.lesson.raw == b.lesson.raw and a.lesson.name == b.lesson.name


@pytest.mark.parametrize("name", ["mazur-2-2-2", "xor-mlp", "keras-lab", "relu-approximation"])
def test_round_trip_is_bit_exact(tmp_path, name):
    ws = _workspace(name)
    p = tmp_path / "w.nnviz"
    save_workspace(p, ws, "0.1")
    back = read_workspace(p)
    _same(ws, back)
    # and saving again gives the same text
    assert dumps_workspace(back, "0.1") == p.read_text()


def test_a_large_network_is_written_from_its_arrays_as_from_lists(tmp_path):
    """save_workspace converts the arrays as it writes them: the same text as the lists
    (rows and bias vectors of a slice's length: the largest layer, and edited data)."""
    from nnviz.engine.core.activations import get_activation
    from nnviz.engine.core.network import Network
    from nnviz.engine.files.json_text import SLICE

    ws = _workspace()
    rng = np.random.default_rng(4)
    n = SLICE
    ws.network = Network([rng.normal(size=(n, 2)), rng.normal(size=(2, n))],
                         [rng.normal(size=n), rng.normal(size=2)],
                         [get_activation("sigmoid")] * 2)
    ws.x, ws.data_spec = ws.x + 0.25, None
    p = tmp_path / "big.nnviz"
    save_workspace(p, ws, "0.1")
    assert p.read_text() == dumps_workspace(ws, "0.1")
    assert read_workspace(p).network.equals(ws.network)


def test_generated_data_is_stored_as_its_spec_and_edited_data_as_arrays():
    lesson = load_lesson("xor-mlp")
    x, y = lesson.dataset()
    ws = _workspace("xor-mlp")
    d = workspace_to_dict(ws)
    if lesson.data and "inputs" not in lesson.data:
        assert "spec" in d["data"]
    ws.x = x + 0.5
    ws.data_spec = data_spec_for(lesson, ws.x, y)
    assert ws.data_spec is None
    d = workspace_to_dict(ws)
    assert np.array_equal(np.array(d["data"]["inputs"]), x + 0.5)


def test_lab_state_with_numpy_values_is_converted_and_nan_refused():
    ws = _workspace()
    ws.labs = {"conv": {"cnn": {"cost": np.array([0.5, 0.25]), "n": np.int64(3)}}}
    back = loads_workspace(dumps_workspace(ws))
    assert back.labs == {"conv": {"cnn": {"cost": [0.5, 0.25], "n": 3}}}
    ws.labs = {"conv": {"cnn": {"cost": [float("nan")]}}}
    with pytest.raises(FormatError, match="labs.conv.cnn.cost"):
        dumps_workspace(ws)


def test_interrupted_write_leaves_the_old_file(tmp_path, monkeypatch):
    p = tmp_path / "w.nnviz"
    save_workspace(p, _workspace(seed=1))
    before = p.read_bytes()

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", boom)
    with pytest.raises(OSError):
        save_workspace(p, _workspace(seed=2))
    assert p.read_bytes() == before
    assert os.listdir(tmp_path) == ["w.nnviz"]  # no temporary file left behind


def test_failure_during_the_write_itself_leaves_the_old_file(tmp_path, monkeypatch):
    p = tmp_path / "w.nnviz"
    save_workspace(p, _workspace(seed=1))
    before = p.read_bytes()
    real_fsync = atomic.os.fsync

    def fail_fsync(fd):
        real_fsync(fd)
        raise OSError("I/O error")

    monkeypatch.setattr(atomic.os, "fsync", fail_fsync)
    with pytest.raises(OSError):
        save_workspace(p, _workspace(seed=2))
    assert p.read_bytes() == before
    assert os.listdir(tmp_path) == ["w.nnviz"]


@pytest.mark.parametrize("mutate, key", [
    (lambda d: d.pop("network"), "network"),
    (lambda d: d.update(version=2), "version"),
    (lambda d: d.update(format="nnviz-lesson"), "format"),
    (lambda d: d["network"]["layers"][0]["weights"][0].__setitem__(1, "x"),
     "network.layers[0].weights[0][1]"),
    (lambda d: d["network"]["layers"][1]["weights"].pop(), "network.layers[1].weights"),
    (lambda d: d["example"].update(input=[1.0]), "example.input"),
    (lambda d: d["training"].update(eta=-1), "training.eta"),
    (lambda d: d["training"].update(bogus=1), "training.bogus"),
    (lambda d: d["training"].update(optimiser="adamw"), "training.optimiser"),
    (lambda d: d["training"]["hyper"].update(beta2=1.0), "training.hyper.beta2"),
    (lambda d: d["training"]["hyper"].update(rho=float("nan")), "training.hyper.rho"),
    (lambda d: d["training"]["hyper"].update(momentum=0.5), "training.hyper.momentum"),
    (lambda d: d["training"].update(hyper=[0.9]), "training.hyper"),
    (lambda d: d["training"].update(schedule="cosine"), "training.schedule"),
    (lambda d: d["training"].update(lr_every=0), "training.lr_every"),
    (lambda d: d["training"].update(lr_gamma=2.0), "training.lr_gamma"),
    (lambda d: d["training"].update(patience=-3), "training.patience"),
    (lambda d: d.update(loss="nope"), "loss"),
    (lambda d: d["position"].update(phase="sideways"), "position.phase"),
    (lambda d: d.update(labs=[]), "labs"),
    (lambda d: d["lesson"]["raw"].pop("network"), "lesson.raw"),
    (lambda d: d["data"].update(inputs=[[1.0, 2.0, 3.0]]), "data.inputs[0]"),
])
def test_specific_faults_name_the_key(mutate, key):
    d = json.loads(dumps_workspace(_workspace()))
    d["data"] = {"inputs": [[0.05, 0.1]], "targets": [[0.01, 0.99]]}
    parse_workspace(copy.deepcopy(d))  # the unmutated file is fine
    mutate(d)
    with pytest.raises(FormatError) as e:
        parse_workspace(d)
    assert key in str(e.value)


@pytest.mark.parametrize("text", [b"", b"\x00\xff\xfe binary", b"{broken", b"[]", b"null",
                                  b'{"format": "nnviz-workspace", "version": 1}',
                                  b'{"format": "nnviz-workspace", "version": NaN}',
                                  b"[" * 100000])
def test_garbage_is_refused(tmp_path, text):
    p = tmp_path / "g.nnviz"
    p.write_bytes(text)
    with pytest.raises(FormatError):
        read_workspace(p)


def test_over_size_file_is_refused(tmp_path):
    p = tmp_path / "big.nnviz"
    p.write_bytes(b" " * 2000)
    with pytest.raises(FormatError, match="over the limit"):
        read_workspace(p, max_bytes=1000)


def test_weights_round_trip_and_shape_check(tmp_path):
    ws = _workspace()
    p = tmp_path / "weights.json"
    save_weights(p, ws.network)
    back = read_weights(p, like=ws.network)
    assert back.equals(ws.network)
    other = load_lesson("xor-mlp").network
    with pytest.raises(FormatError, match="sizes"):
        read_weights(p, like=other)
    d = weights_to_dict(ws.network)
    d["network"]["layers"][0]["bias"] = [0.1, 0.2]  # a shared bias with two values
    with pytest.raises(FormatError, match="shared bias"):
        parse_weights(d)


# ---------------------------------------------------------------- property-based
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=6), kids,
                                                               max_size=4),
    max_leaves=12,
)
_BASE = json.loads(dumps_workspace(_workspace()))
_BASE_W = weights_to_dict(_workspace().network)


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


_ALL_PATHS = [p for p in _paths(_BASE) if p]
_ALL_PATHS_W = [p for p in _paths(_BASE_W) if p]


def _mutated(base, paths, data):
    d = copy.deepcopy(base)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        parent = d
        try:
            for p in path[:-1]:
                parent = parent[p]
            action = data.draw(st.sampled_from(["replace", "delete"]))
            if action == "delete" and isinstance(parent, dict):
                del parent[path[-1]]
            else:
                parent[path[-1]] = data.draw(_JSON)
        except (KeyError, IndexError, TypeError):
            pass  # an earlier mutation removed this path
    return d


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_workspaces_are_parsed_or_refused_cleanly(data):
    d = _mutated(_BASE, _ALL_PATHS, data)
    try:
        ws = parse_workspace(d)
    except FormatError:
        return
    # accepted: then it is a consistent workspace that saves again
    assert ws.network.sizes[0] == ws.x.shape[1] == ws.example_x.shape[0]
    assert ws.network.is_finite()
    loads_workspace(dumps_workspace(ws))


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_mutated_weights_are_parsed_or_refused_cleanly(data):
    d = _mutated(_BASE_W, _ALL_PATHS_W, data)
    like = _workspace().network
    try:
        net = parse_weights(d, like=like)
    except FormatError:
        return
    assert net.sizes == like.sizes and net.is_finite()


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_random_bytes_are_refused(raw):
    with pytest.raises(FormatError):
        loads_workspace(raw)
    with pytest.raises(FormatError):
        loads_weights(raw)


@settings(max_examples=100, deadline=None)
@given(_JSON)
def test_random_json_is_refused(obj):
    with pytest.raises(FormatError):
        parse_workspace(obj)
    with pytest.raises(FormatError):
        parse_weights(obj)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_ALL_PATHS))
def test_non_finite_numbers_anywhere_are_refused(path):
    text = dumps_workspace(_workspace())
    d = json.loads(text)
    parent = d
    for p in path[:-1]:
        parent = parent[p]
    if not isinstance(parent[path[-1]], float):
        return
    parent[path[-1]] = 1e999  # becomes inf after a JSON round trip
    bad = json.dumps(d).replace("Infinity", "1e999")
    with pytest.raises(FormatError):
        loads_workspace(bad)
