"""The training worker's messages as bytes (nnviz.engine.learning.wire): every pack the
app sends comes back equal bit for bit, tuples as tuples; anything else is refused with a
WireError and builds nothing; nothing is ever unpickled."""

from __future__ import annotations

import math
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz.engine.core.activations import ACTIVATIONS
from nnviz.engine.core.network import Network
from nnviz.engine.learning import fast_remote, wire
from nnviz.engine.learning.optimisers import make_optimiser
from nnviz.engine.learning.training import OptimizerState, TrainConfig


def _pack(bit_generator: str) -> dict:
    rng = np.random.default_rng(7)
    net = Network([rng.normal(size=(4, 2)), rng.normal(size=(1, 4))],
                  [rng.normal(size=4), rng.normal(size=1)],
                  [ACTIVATIONS["tanh"], ACTIVATIONS["sigmoid"]], [False, False], [True, True])
    state = OptimizerState()
    state.opt = make_optimiser("adam")
    state.opt.slots = [{"m": rng.normal(size=(4, 2)), "v": rng.random((4, 2))}, None]
    state.opt.t, state.steps, state.epochs = 3, 17, 2
    cfg = TrainConfig(eta=0.1 / 3, batch_size=10, optimiser="adam", hyper=(("beta1", 0.9),))
    gen = np.random.Generator(getattr(np.random, bit_generator)(12345))
    gen.random(5)
    return fast_remote.run_state(net, "mse", cfg, state, gen)


@pytest.mark.parametrize("bit_generator", fast_remote.BIT_GENERATORS)
def test_a_run_state_comes_back_bit_for_bit(bit_generator):
    pack = _pack(bit_generator)
    msg = ("train", 5, {"state": pack, "cap": 3, "seconds": 0.25})
    back = wire.decode(wire.encode(msg))
    assert back[0] == "train" and back[1] == 5 and type(back) is tuple
    assert fast_remote.same_start(back[2]["state"], pack)
    assert back[2]["state"]["cfg"]["hyper"] == (("beta1", 0.9),)   # tuples stay tuples
    for w in back[2]["state"]["weights"]:
        assert w.flags.writeable and w.dtype == np.float64
    # the worker rebuilds the same generator from it
    a = fast_remote._generator(back[2]["state"]["rng"]).random(4)
    b = fast_remote._generator(pack["rng"]).random(4)
    assert a.tobytes() == b.tobytes()


def test_special_floats_and_plain_values_round_trip():
    values = [0.1 + 0.2, -0.0, math.inf, -math.inf, 5e-324, 1.7976931348623157e308, 2 ** 130,
              -3, True, False, None, "ünïcode ∂", [], {}, (), [[1, (2, [3.5])]]]
    back = wire.decode(wire.encode(values))
    assert len(back) == len(values)
    for a, b in zip(back, values):
        assert type(a) is type(b) and (a == b or (isinstance(a, float) and math.isnan(a)))
    assert math.copysign(1.0, back[1]) == -1.0
    nan = wire.decode(wire.encode(float("nan")))
    assert math.isnan(nan)
    arrays = [np.array([np.nan, -0.0, np.inf]), np.arange(6, dtype=np.int32).reshape(2, 3),
              np.zeros((0, 4)), np.array(3.5), np.array([True, False]),
              np.arange(4.0).astype(">f8"), np.asfortranarray(np.arange(6.0).reshape(2, 3))]
    for a, b in zip(wire.decode(wire.encode(arrays)), arrays):
        assert a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
        assert a.tobytes() == np.ascontiguousarray(b).astype(a.dtype).tobytes()
    # NumPy scalars travel as the plain numbers they are
    assert wire.decode(wire.encode({"t": np.int64(4), "x": np.float64(0.25)})) == \
        {"t": 4, "x": 0.25}


@pytest.mark.parametrize("bad", [object(), {1: 2}, {"$a": 1}, np.array(["text"]),
                                 np.array([{}], dtype=object), {1.5}, b"bytes",
                                 np.array([1 + 2j])])
def test_what_cannot_be_sent_is_refused(bad):
    with pytest.raises(TypeError):
        wire.encode(("x", bad))


def _message(head: bytes, tail: bytes = b"") -> bytes:
    return struct.pack("<Q", len(head)) + head + tail


@pytest.mark.parametrize("data", [
    b"", b"\x01\x02", _message(b'{"a":'),                     # short, unreadable
    struct.pack("<Q", 10 ** 9) + b"[]",                        # a header past the end
    _message(b'{"$a": ["|O", [1]]}', b"\0" * 8),               # an object array
    _message(b'{"$a": ["<f8", [2]]}', b"\0" * 8),              # shorter than its shape
    _message(b'{"$a": ["<f8", [-1]]}'), _message(b'{"$a": ["<f8", [1.5]]}'),
    _message(b'{"$a": ["<f8", [true]]}'), _message(b'{"$a": "x"}'),
    _message(b'{"$pickle": 1}'), _message(b'{"$t": 3}'),
    _message(b"[1]", b"left over"),                            # bytes after the message
    _message(b"[" * 100 + b"]" * 100),                         # nested too deep
    _message(b"\xff\xfe"),                                     # not UTF-8
])
def test_what_is_not_a_message_is_refused(data):
    with pytest.raises(wire.WireError):
        wire.decode(data)


_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                  st.text(max_size=20),
                  st.builds(lambda v: np.array(v), st.lists(st.floats(), max_size=8)))
_trees = st.recursive(_leaf, lambda kids: st.one_of(
    st.lists(kids, max_size=4), st.tuples(kids, kids),
    st.dictionaries(st.text(max_size=8).filter(lambda k: not k.startswith("$")), kids,
                    max_size=4)), max_leaves=20)


def _equal(a, b) -> bool:
    if isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and a.tobytes() == b.tobytes() and a.shape == b.shape
    if isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_equal, a, b))
    if isinstance(b, dict):
        return isinstance(a, dict) and a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in b)
    return type(a) is type(b) and a == b


@settings(max_examples=150, deadline=None)
@given(_trees)
def test_any_message_round_trips(tree):
    assert _equal(wire.decode(wire.encode(tree)), tree)


@settings(max_examples=300, deadline=None)
@given(_trees, st.data())
def test_corrupted_messages_are_refused_or_read_as_plain_values(tree, data):
    """Bytes flipped, cut or added anywhere: decode raises WireError or returns plain
    values (never another exception, never an object of another type)."""
    raw = bytearray(wire.encode(tree))
    how = data.draw(st.sampled_from(["flip", "cut", "add"]))
    i = data.draw(st.integers(0, max(0, len(raw) - 1)))
    if how == "flip" and raw:
        raw[i] ^= data.draw(st.integers(1, 255))
    elif how == "cut":
        del raw[i:]
    else:
        raw[i:i] = data.draw(st.binary(min_size=1, max_size=8))
    try:
        out = wire.decode(bytes(raw))
    except wire.WireError:
        return
    def plain(v) -> bool:
        if isinstance(v, (list, tuple)):
            return all(map(plain, v))
        if isinstance(v, dict):
            return all(isinstance(k, str) and plain(x) for k, x in v.items())
        if isinstance(v, np.ndarray):
            return v.dtype.str in wire.DTYPES or v.dtype.str.replace("=", "<") in wire.DTYPES
        return v is None or isinstance(v, (bool, int, float, str))
    assert plain(out)


def test_a_worker_let_go_of_before_it_was_ready_ends_quietly():
    """The lab closed (or the app quit) while the worker process was starting: its
    "ready" goes nowhere, and the worker ends without a traceback on stderr."""
    from multiprocessing import Pipe

    ours, theirs = Pipe()
    ours.close()
    fast_remote.serve(theirs)   # returns; before, BrokenPipeError
