"""The matrix view's mini-batch step through batch normalisation: every number against the
formulas written out here, the engine's forward/backward and train_step, and every
gradient against central finite differences of the batch's cost."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine import get_loss
from nnviz.engine.core.batchnorm import BatchNorm
from nnviz.engine.core.network import Network, backward, forward
from nnviz.engine.learning.training import OptimizerState, TrainConfig, train_step
from nnviz.engine.stepping.matrix_trace import build_matrix_trace

CASES = {   # (sizes, activations, loss, output activation)
    "sigmoid-mse": ([3, 4, 3, 2], ["sigmoid", "tanh", "sigmoid"], "mse"),
    "relu-softmax-ce": ([2, 5, 3], ["relu", "softmax"], "cross_entropy"),
}


def _net(name: str, rng) -> tuple[Network, np.ndarray, np.ndarray, object]:
    sizes, acts, loss = CASES[name]
    net = Network.create(sizes, acts, rng, bias=0.2)
    net.norms = [BatchNorm(rng.uniform(0.5, 1.5, n), rng.normal(0, 0.3, n),
                           rng.normal(0, 0.2, n), rng.uniform(0.5, 2, n))
                 for n in sizes[1:-1]] + [None]
    m = 5
    x = rng.normal(0, 1.5, (m, sizes[0]))
    if loss == "cross_entropy":
        y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], m)]
    else:
        y = rng.uniform(0, 1, (m, sizes[-1]))
    return net, x, y, get_loss(loss)


def _steps(tr, kind, layer):
    return [s for s in tr.steps if s.kind == kind and s.layer == layer]


@pytest.mark.parametrize("case", list(CASES))
def test_forward_steps_are_the_formulas_and_the_engines_forward(case):
    net, x, y, loss = _net(case, np.random.default_rng(1))
    tr = build_matrix_trace(net, x, y, loss, 0.1)
    fwd = forward(net.copy(), x, training=True)
    A = x.T
    for l in range(net.n_layers):
        Z = net.weights[l] @ A + net.biases[l][:, None]
        (z_step,) = _steps(tr, "z", l + 1)
        np.testing.assert_allclose(z_step.value, Z, rtol=1e-14, atol=1e-14)
        bn = net.norms[l]
        if bn is not None:   # written out: mean, biased variance, x_hat, gamma x_hat + beta
            mu = Z.sum(axis=1) / Z.shape[1]
            var = ((Z - mu[:, None]) ** 2).sum(axis=1) / Z.shape[1]
            x_hat = (Z - mu[:, None]) / np.sqrt(var + 1e-5)[:, None]
            Z = bn.gamma[:, None] * x_hat + bn.beta[:, None]
            for kind, want in (("bn_mu", mu), ("bn_var", var), ("bn_xhat", x_hat),
                               ("bn_y", Z)):
                np.testing.assert_allclose(_steps(tr, kind, l + 1)[0].value, want,
                                           rtol=1e-13, atol=1e-14)
            np.testing.assert_allclose(fwd.norm_caches[l].x_hat.T, x_hat, rtol=1e-13,
                                       atol=1e-14)
        np.testing.assert_allclose(fwd.zs[l].T, Z, rtol=1e-13, atol=1e-14)
        A = _steps(tr, "a", l + 1)[0].value
        np.testing.assert_allclose(fwd.activations[l + 1].T, A, rtol=1e-13, atol=1e-14)
    assert tr.total_error == pytest.approx(loss.value(fwd.output, y), rel=1e-13)
    assert not any(s.example is not None for s in tr.steps)   # a column per example
    assert net.norms[0].running_mean is not tr.net_after.norms[0].running_mean


def _cost(net, x, y, loss):
    return loss.value(forward(net.copy(), x, training=True).output, y)


@pytest.mark.parametrize("case", list(CASES))
def test_gradients_match_central_differences_and_backward(case):
    net, x, y, loss = _net(case, np.random.default_rng(2))
    tr = build_matrix_trace(net, x, y, loss, 0.1)
    grads = backward(net, forward(net.copy(), x, training=True), y, loss)
    h = 1e-6
    for l in range(net.n_layers):
        gw = _steps(tr, "sum_w", l + 1)[0].value
        gb = _steps(tr, "sum_b", l + 1)[0].value
        np.testing.assert_allclose(gw, grads[l].dw, rtol=1e-11, atol=1e-13)
        np.testing.assert_allclose(gb, grads[l].db, rtol=1e-11, atol=1e-13)
        arrays = [(net.weights[l], gw), (net.biases[l], gb)]
        bn = net.norms[l]
        if bn is not None:
            dg = _steps(tr, "grad_gamma", l + 1)[0].value
            db = _steps(tr, "grad_beta", l + 1)[0].value
            np.testing.assert_allclose(dg, grads[l].dgamma, rtol=1e-11, atol=1e-13)
            np.testing.assert_allclose(db, grads[l].dbeta, rtol=1e-11, atol=1e-13)
            arrays += [(bn.gamma, dg), (bn.beta, db)]
            assert np.abs(gb).max() < 1e-12   # b before batch norm changes nothing
        for p, g in arrays:
            for idx in np.ndindex(p.shape):
                old = p[idx]
                p[idx] = old + h
                up = _cost(net, x, y, loss)
                p[idx] = old - h
                down = _cost(net, x, y, loss)
                p[idx] = old
                assert g[idx] == pytest.approx((up - down) / (2 * h), rel=1e-5, abs=1e-8), \
                    (l, idx)


@pytest.mark.parametrize("case", list(CASES))
def test_the_update_is_train_steps_plain_mini_batch_step(case):
    net, x, y, loss = _net(case, np.random.default_rng(3))
    eta = 0.3
    tr = build_matrix_trace(net, x, y, loss, eta)
    ref = net.copy()
    train_step(ref, x, y, loss, TrainConfig(eta=eta), OptimizerState())
    after = tr.net_after
    for l in range(net.n_layers):
        np.testing.assert_allclose(after.weights[l], ref.weights[l], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(after.biases[l], ref.biases[l], rtol=1e-12, atol=1e-14)
        if net.norms[l] is not None:
            for k in ("gamma", "beta", "running_mean", "running_var"):
                np.testing.assert_allclose(getattr(after.norms[l], k),
                                           getattr(ref.norms[l], k), rtol=1e-12, atol=1e-14)
            bn, m = net.norms[l], len(x)     # the running averages written out
            mu, var = _steps(tr, "bn_mu", l + 1)[0].value, _steps(tr, "bn_var", l + 1)[0].value
            np.testing.assert_allclose(after.norms[l].running_var,
                                       0.9 * bn.running_var + 0.1 * var * m / (m - 1))
            np.testing.assert_allclose(after.norms[l].running_mean,
                                       0.9 * bn.running_mean + 0.1 * mu)
    assert tr.total_after == pytest.approx(_cost(after, x, y, loss), rel=1e-13)
    assert tr.total_after < tr.total_error      # a small step downhill


def test_one_example_is_refused_with_what_to_do():
    net, x, y, loss = _net("sigmoid-mse", np.random.default_rng(4))
    with pytest.raises(ValueError, match="mini-batch"):
        build_matrix_trace(net, x[:1], y[:1], loss, 0.1)


def test_train_n_on_the_batch_repeats_the_matrix_views_step():
    """Train N steps in the mini-batch mode: N times the step the matrix view writes out
    (γ, β and the running averages included)."""
    from nnviz.engine.teaching.notes_numbers import sgd_steps

    net, x, y, loss = _net("sigmoid-mse", np.random.default_rng(6))
    want = net
    for _ in range(3):
        want = build_matrix_trace(want, x, y, loss, 0.2).net_after
    run = net.copy()
    sgd_steps(run, x, y, loss, 0.2, 3, False)
    for a, b in zip(run.weights + run.biases, want.weights + want.biases):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    for a, b in zip(run.norms[:-1], want.norms[:-1]):
        for k in ("gamma", "beta", "running_mean", "running_var"):
            np.testing.assert_allclose(getattr(a, k), getattr(b, k), rtol=1e-12, atol=1e-14)
