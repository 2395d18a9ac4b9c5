"""Loss grids (fast one-layer pass, general pass, threads) equal the per-point cost."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from nnviz.engine.core.losses import get_loss
from nnviz.engine.core.network import Network, cost
from nnviz.engine.labs import gridpass as GP
from nnviz.engine.labs import surface as S
from nnviz.engine.teaching.lessons import load_lesson

W, B = "w", "b"


@pytest.fixture(params=["one thread", "threads"])
def threads(request, monkeypatch):
    """Run each grid once in the calling thread and once shared out to 2 threads."""
    if request.param == "threads":
        monkeypatch.setattr(GP, "THREADS", 2)
        monkeypatch.setattr(GP, "THREAD_MIN_WORK", 0)
        monkeypatch.setattr(S, "MAX_CHUNK", 5)  # many chunks for the two threads
    else:
        monkeypatch.setattr(GP, "THREADS", 1)
    return request.param


def _data(n_in, n_out, n=37, seed=0, onehot=False):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, n_in))
    if onehot:
        y = np.eye(n_out)[rng.integers(0, n_out, n)]
    else:
        y = rng.uniform(-1, 1, (n, n_out))
    return x, y


def _net(sizes, acts, seed=1, **kw):
    net = Network.create(sizes, acts, np.random.default_rng(seed), init="uniform",
                         init_scale=1.0, bias=0.1)
    for l, b in enumerate(net.biases):
        b[:] = np.random.default_rng(seed + l).uniform(-0.5, 0.5, b.size)
    for key, val in kw.items():
        setattr(net, key, val)
    return net


def _check(net, x, y, loss, px, py):
    """The whole grid, and a slice, against network.cost at every point."""
    xs = px.get(net) + np.linspace(-1.7, 2.3, 7)
    ys = py.get(net) + np.linspace(-2.1, 1.4, 5)
    z = S.loss_grid(net, x, y, loss, px, py, xs, ys)
    want = np.empty_like(z)
    for i, vy in enumerate(ys):
        for j, vx in enumerate(xs):
            n = net.copy()
            px.set(n, vx)
            py.set(n, vy)
            want[i, j] = cost(n, x, y, loss)
    assert np.allclose(z, want, rtol=1e-10, atol=1e-14), (px, py, np.max(abs(z - want)))
    sl = S.loss_slice(net, x, y, loss, py, ys)
    direct = []
    for v in ys:
        n = net.copy()
        py.set(n, v)
        direct.append(cost(n, x, y, loss))
    assert np.allclose(sl, direct, rtol=1e-10, atol=1e-14)
    return z


P = S.ParamRef
TANH_CASES = {
    "same neuron, layer 0": (P(W, 0, 0, 0), P(W, 0, 0, 1)),
    "weight and bias of a neuron": (P(W, 0, 3, 1), P(B, 0, 3)),
    "two neurons, layer 0": (P(W, 0, 1, 0), P(W, 0, 4, 1)),
    "two biases, layer 0": (P(B, 0, 2), P(B, 0, 5)),
    "two neurons, middle layer": (P(W, 1, 2, 3), P(B, 1, 5)),
    "different layers": (P(W, 0, 0, 0), P(W, 2, 0, 3)),
    "different layers, reversed": (P(B, 2, 0), P(W, 1, 6, 2)),
    "next layer reads the varied neuron": (P(W, 0, 2, 0), P(W, 1, 1, 2)),
    "next layer reads another neuron": (P(W, 0, 2, 0), P(W, 1, 1, 5)),
    "next layer's bias": (P(W, 0, 4, 1), P(B, 1, 7)),
    "output layer": (P(W, 2, 0, 1), P(B, 2, 0)),
}


@pytest.mark.parametrize("case", list(TANH_CASES))
def test_tanh_network_grid_equals_cost(case, threads):
    net = _net([2, 8, 8, 1], "tanh")
    x, y = _data(2, 1)
    _check(net, x, y, get_loss("mse"), *TANH_CASES[case])


@pytest.mark.parametrize("acts", [("relu", "sigmoid", "sigmoid"), ("sigmoid", "relu", "linear"),
                                  ("leaky_relu", "elu", "piecewise")])
@pytest.mark.parametrize("pair", [(P(W, 0, 1, 1), P(B, 0, 1)), (P(W, 1, 0, 2), P(W, 1, 3, 0)),
                                  (P(W, 2, 1, 2), P(W, 2, 0, 0)), (P(B, 0, 0), P(W, 2, 1, 3))])
def test_other_activations_and_several_outputs(acts, pair, threads):
    net = _net([3, 5, 4, 2], list(acts))
    x, y = _data(3, 2)
    _check(net, x, y, get_loss("half_sse"), *pair)


@pytest.mark.parametrize("pair", [(P(W, 0, 2, 0), P(W, 0, 2, 1)), (P(W, 0, 0, 1), P(B, 0, 3)),
                                  (P(W, 1, 2, 0), P(B, 1, 1)), (P(W, 1, 0, 0), P(W, 0, 1, 1))])
def test_softmax_output_with_cross_entropy(pair, threads):
    net = _net([2, 6, 3], ["relu", "softmax"])
    x, y = _data(2, 3, onehot=True)
    _check(net, x, y, get_loss("cross_entropy"), *pair)


def test_sigmoid_output_with_binary_cross_entropy(threads):
    net = _net([2, 4, 1], ["tanh", "sigmoid"])
    x, y = _data(2, 1)
    y = (y > 0).astype(float)
    _check(net, x, y, get_loss("binary_cross_entropy"), P(W, 0, 1, 0), P(W, 0, 1, 1))


@pytest.mark.parametrize("pair", [(P(W, 0, 1, 0), P(B, 0, 0)), (P(B, 0, 0), P(W, 1, 1, 2)),
                                  (P(W, 1, 0, 1), P(W, 1, 1, 1)), (P(W, 0, 0, 0), P(W, 0, 2, 1))])
def test_shared_bias_layer(pair, threads):
    net = _net([2, 3, 2], "sigmoid", shared_bias=[True, False])
    net.biases[0][:] = 0.35
    x, y = _data(2, 2)
    _check(net, x, y, get_loss("half_sse"), *pair)


@pytest.mark.parametrize("pair", [(P(W, 0, 1, 0), P(B, 1, 0)), (P(B, 1, 0), P(W, 2, 0, 1)),
                                  (P(B, 0, 2), P(B, 1, 0))])
def test_shared_bias_in_a_layer_above(pair, threads):
    net = _net([2, 3, 3, 1], "tanh", shared_bias=[False, True, False])
    net.biases[1][:] = -0.2
    x, y = _data(2, 1)
    _check(net, x, y, get_loss("mse"), *pair)


def test_shared_bias_lesson(threads):
    lesson = load_lesson("mazur-2-2-2")
    net = lesson.network.copy()
    x, y = lesson.dataset()
    loss = get_loss(lesson.loss)
    refs = S.all_params(net)
    biases = [r for r in refs if r.kind == "b"]
    assert net.shared_bias[0] and biases
    for px, py in [(refs[0], biases[0]), (biases[0], biases[-1]), (refs[4], biases[-1]),
                   (refs[1], refs[2])]:
        _check(net, x, y, loss, px, py)


@pytest.mark.parametrize("pair", [(P(W, 0, 1, 0), P(W, 0, 1, 1)), (P(W, 0, 0, 0), P(W, 0, 2, 1)),
                                  (P(W, 1, 0, 2), P(W, 1, 0, 0)), (P(W, 0, 0, 0), P(B, 1, 0))])
def test_layer_without_bias(pair, threads):
    net = _net([2, 3, 1], ["tanh", "sigmoid"], use_bias=[False, True])
    net.biases[0][:] = 0.0
    x, y = _data(2, 1)
    _check(net, x, y, get_loss("mse"), *pair)


def test_one_layer_network(threads):
    net = _net([3, 2], "sigmoid")
    x, y = _data(3, 2)
    _check(net, x, y, get_loss("mse"), P(W, 0, 1, 2), P(B, 0, 0))
    _check(net, x, y, get_loss("mse"), P(W, 0, 0, 2), P(W, 0, 1, 0))


@pytest.mark.parametrize("case", ["same neuron, layer 0", "two neurons, layer 0",
                                  "next layer's bias"])
def test_a_last_chunk_shorter_than_the_others(case, threads, monkeypatch):
    """35 settings in chunks of 4 (the last holds 3): the next layer's fixed part, laid
    out once for a whole chunk, is cut to each chunk, in float64 and in float32."""
    monkeypatch.setattr(S, "MAX_CHUNK", 4)
    net = _net([2, 8, 8, 1], "tanh")
    x, y = _data(2, 1)
    px, py = TANH_CASES[case]
    z = _check(net, x, y, get_loss("mse"), px, py)
    monkeypatch.setattr(S, "PICTURE_F32_WORK", 1)
    xs = px.get(net) + np.linspace(-1.7, 2.3, 7)
    ys = py.get(net) + np.linspace(-2.1, 1.4, 5)
    pic = S.loss_grid_picture(net, x, y, get_loss("mse"), px, py, xs, ys)
    assert np.all(np.abs(pic - z) <= S.PICTURE_RTOL * np.abs(z)) and not np.array_equal(pic, z)


def test_threads_give_the_same_grid_bit_for_bit(monkeypatch):
    net = _net([2, 8, 8, 1], "tanh")
    x, y = _data(2, 1, n=200)
    xs, ys = np.linspace(-2, 2, 41), np.linspace(-1, 3, 37)
    for px, py in [(P(W, 0, 0, 0), P(W, 0, 0, 1)), (P(W, 0, 0, 0), P(W, 1, 0, 1))]:
        monkeypatch.setattr(GP, "THREADS", 1)
        one = S.loss_grid(net, x, y, get_loss("mse"), px, py, xs, ys)
        monkeypatch.setattr(GP, "THREADS", 2)
        monkeypatch.setattr(GP, "THREAD_MIN_WORK", 0)
        two = S.loss_grid(net, x, y, get_loss("mse"), px, py, xs, ys)
        assert np.array_equal(one, two)


def test_huge_values_give_no_warnings_in_any_thread(threads):
    net = _net([2, 4, 3], ["relu", "softmax"])
    x, y = _data(2, 3, onehot=True)
    z = S.loss_grid(net, x * 1e200, y, get_loss("cross_entropy"), P(W, 0, 0, 0), P(W, 0, 0, 1),
                    [-1e300, 0.0, 1e300], [-1e300, 1e300])
    assert z.shape == (2, 3)


@pytest.mark.parametrize("pair", [(P(W, 0, 0, 0), P(W, 0, 0, 1)), (P(W, 0, 0, 0), P(W, 1, 0, 1))])
def test_progress_cancels_promptly_in_threads(pair, monkeypatch):
    monkeypatch.setattr(GP, "THREADS", 2)
    monkeypatch.setattr(GP, "THREAD_MIN_WORK", 0)
    monkeypatch.setattr(S, "MAX_CHUNK", 3)
    net = _net([2, 8, 8, 1], "tanh")
    x, y = _data(2, 1)
    calls = []

    def progress(done, total):
        calls.append((done, total))
        return False

    # cancelled at the first report, however far the helper thread got meanwhile (on a
    # busy machine it may have done every other chunk), and no helper thread is left
    with pytest.raises(S.Cancelled):
        S.loss_grid(net, x, y, get_loss("mse"), *pair, np.zeros(30), np.zeros(30), progress)
    assert len(calls) == 1 and 0 < calls[0][0] <= calls[0][1] == 900
    assert not [t for t in threading.enumerate() if t.name == "nnviz-grid-helper"]


def test_progress_is_monotone_and_ends_at_the_total(threads):
    net = _net([2, 8, 8, 1], "tanh")
    x, y = _data(2, 1)
    seen = []
    S.loss_grid(net, x, y, get_loss("mse"), P(W, 0, 0, 0), P(B, 0, 0), np.zeros(9), np.zeros(8),
                lambda d, t: seen.append(d) or True)
    assert seen == sorted(seen) and seen[-1] == 72


def test_run_chunks_hands_a_helper_threads_error_to_the_caller():
    main = threading.get_ident()

    def make_work():
        def work(s, e):
            if threading.get_ident() != main:
                raise ZeroDivisionError("helper")
            threading.Event().wait(0.01)  # leave the helper a chunk
        return work

    with pytest.raises(ZeroDivisionError):
        GP.run_chunks(40, 1, make_work, None, threads=2)


def test_run_chunks_covers_every_chunk_once():
    hits = np.zeros(103, dtype=int)
    lock = threading.Lock()

    def make_work():
        def work(s, e):
            with lock:
                hits[s:e] += 1
        return work

    GP.run_chunks(103, 4, make_work, None, threads=2)
    assert np.all(hits == 1)


def test_plan_keeps_big_products_to_openblas(monkeypatch):
    monkeypatch.setattr(GP, "THREADS", 2)
    big = GP.THREAD_MIN_WORK
    assert GP.plan(big - 1, 32, 500, 8) == (32, 1)            # too small for a thread
    assert GP.plan(big, 32, 500, 8) == (32, 2)                # 128,000 multiply-adds
    assert GP.plan(big, 32, 500, 64) == (8, 2)                # smaller chunks, 4,000 columns
    assert GP.plan(big, 32, 500, 4096) == (32, 1)             # OpenBLAS threads these
    monkeypatch.setattr(GP, "THREADS", 1)
    assert GP.plan(big, 32, 500, 8) == (32, 1)


def test_run_chunks_cancel_stops_the_helper_threads():
    done = []

    def make_work():
        def work(s, e):
            threading.Event().wait(0.002)
            done.append(s)
        return work

    with pytest.raises(S.Cancelled):
        GP.run_chunks(1000, 1, make_work, lambda d, t: False, threads=2)
    # cancelled at the first report: the helper stops long before the 1,000 chunks (how
    # many it did first depends on the machine's load: 19 at load 9, so no tight bound)
    assert len(done) < 500
    assert not [t for t in threading.enumerate() if t.name == "nnviz-grid-helper"]
