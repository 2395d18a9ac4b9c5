"""The float32 picture pass against the float64 grid pass (to PICTURE_RTOL), and the
cases that stay float64."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine.core.losses import get_loss
from nnviz.engine.core.network import Network
from nnviz.engine.labs import gridpass as GP
from nnviz.engine.labs import surface as S

W, B = "w", "b"


def _setup(sizes, acts, seed=3, n=120):
    rng = np.random.default_rng(seed)
    net = Network.create(sizes, acts, rng, init="uniform", init_scale=1.0, bias=0.1)
    x = rng.standard_normal((n, sizes[0]))
    y = rng.uniform(-1, 1, (n, sizes[-1]))
    return net, x, y


CASES = [  # (sizes, activations, px, py): first layer, hidden, output, biases, two layers
    ([2, 8, 8, 1], ["tanh", "tanh", "tanh"], S.ParamRef(W, 0, 0, 0), S.ParamRef(W, 0, 0, 1)),
    ([2, 8, 8, 1], ["tanh", "tanh", "tanh"], S.ParamRef(W, 1, 3, 2), S.ParamRef(B, 1, 3)),
    ([2, 8, 8, 1], ["tanh", "tanh", "tanh"], S.ParamRef(W, 0, 2, 1), S.ParamRef(W, 2, 0, 5)),
    ([3, 5, 2], ["relu", "sigmoid"], S.ParamRef(W, 0, 1, 2), S.ParamRef(B, 0, 4)),
    ([3, 5, 2], ["elu", "linear"], S.ParamRef(W, 1, 1, 0), S.ParamRef(B, 1, 1)),
    ([2, 4, 3], ["leaky_relu", "softmax"], S.ParamRef(W, 0, 0, 0), S.ParamRef(W, 1, 2, 3)),
]


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("loss_name", ["mse", "half_sse"])
@pytest.mark.parametrize("sizes, acts, px, py", CASES)
def test_float32_picture_matches_the_float64_grid(sizes, acts, px, py, loss_name, threads,
                                                  monkeypatch):
    monkeypatch.setattr(S, "PICTURE_F32_WORK", 1)  # these small grids in float32 too
    monkeypatch.setattr(GP, "THREADS", threads)
    monkeypatch.setattr(GP, "THREAD_MIN_WORK", 0)
    net, x, y = _setup(sizes, acts)
    loss = get_loss(loss_name)
    assert S.picture_dtype(net, loss, 2) is np.float32
    xs = px.get(net) + np.linspace(-3, 3, 31)
    ys = py.get(net) + np.linspace(-3, 2, 23)
    want = S.loss_grid(net, x, y, loss, px, py, xs, ys)
    got = S.loss_grid_picture(net, x, y, loss, px, py, xs, ys)
    assert got.dtype == np.float64 and got.shape == want.shape
    err = np.abs(got - want)
    assert np.all(err <= S.PICTURE_RTOL * np.abs(want))  # relative to each value
    assert np.all(err <= S.PICTURE_RTOL * np.ptp(want))  # and to what the colours show
    assert not np.array_equal(got, want)  # it really is a float32 pass


def test_float32_picture_is_not_loose_beyond_its_tolerance(monkeypatch):
    """The tolerance is not vacuous: the measured error is nonzero and 10x inside it."""
    monkeypatch.setattr(S, "PICTURE_F32_WORK", 1)
    net, x, y = _setup([2, 8, 8, 1], ["tanh"] * 3)
    loss, px, py = get_loss("mse"), S.ParamRef(W, 0, 0, 0), S.ParamRef(W, 0, 0, 1)
    xs = ys = np.linspace(-2, 2, 11)
    want = S.loss_grid(net, x, y, loss, px, py, xs, ys)
    got = S.loss_grid_picture(net, x, y, loss, px, py, xs, ys)
    err = np.abs(got - want)
    worst = max(np.max(err / np.abs(want)), np.max(err) / np.ptp(want))
    assert 0 < worst <= S.PICTURE_RTOL / 10  # the margin actually measured


@pytest.mark.parametrize("sizes, acts, loss_name", [
    ([2, 3, 1], ["tanh", "sigmoid"], "binary_cross_entropy"),
    ([2, 3, 3], ["relu", "softmax"], "cross_entropy"),
    ([2, 3, 1], ["step", "tanh"], "mse"),
    ([2, 3, 1], ["tanh", "perceptron"], "half_sse"),
])
def test_logs_and_steps_stay_float64(sizes, acts, loss_name, monkeypatch):
    monkeypatch.setattr(S, "PICTURE_F32_WORK", 1)
    net, x, y = _setup(sizes, acts)
    if loss_name.endswith("cross_entropy"):
        y = (y > 0).astype(float) if sizes[-1] == 1 else np.eye(sizes[-1])[
            np.argmax(y, axis=1)]
    loss = get_loss(loss_name)
    assert S.picture_dtype(net, loss, 10**9) is np.float64
    px, py = S.ParamRef(W, 0, 0, 0), S.ParamRef(B, 0, 1)
    xs = ys = np.linspace(-1, 1, 7)
    np.testing.assert_array_equal(S.loss_grid_picture(net, x, y, loss, px, py, xs, ys),
                                  S.loss_grid(net, x, y, loss, px, py, xs, ys))


def test_small_grids_stay_float64():
    """The notes' hand-sized networks: float64 pictures, equal to loss_grid exactly."""
    net, x, y = _setup([2, 2, 2], ["sigmoid", "sigmoid"], n=4)
    loss, px, py = get_loss("half_sse"), S.ParamRef(W, 0, 0, 0), S.ParamRef(W, 1, 1, 1)
    xs = ys = np.linspace(-4, 4, 101)
    assert S.picture_dtype(net, loss, xs.size * ys.size * len(x) * 4) is np.float64
    np.testing.assert_array_equal(S.loss_grid_picture(net, x, y, loss, px, py, xs, ys),
                                  S.loss_grid(net, x, y, loss, px, py, xs, ys))
