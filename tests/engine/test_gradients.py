"""Every activation, loss, regulariser and the whole backward pass against central
finite differences, on random shapes with fixed seeds."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine import ACTIVATIONS, LOSSES, get_activation, get_loss
from nnviz.engine.core.network import Network, backward, forward
from nnviz.engine.learning.training import regularisation_cost

SMOOTH = ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "piecewise"]


def central(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        g[i] = (f(xp) - f(xm)) / (2 * h)
    return g


@pytest.mark.parametrize("name", SMOOTH)
def test_activation_derivative(name):
    rng = np.random.default_rng(1)
    act = get_activation(name)
    z = rng.normal(0, 2, size=(7, 5))
    # keep away from kinks, where the derivative is one-sided
    z[np.abs(z) < 1e-3] += 0.01
    z[np.abs(np.abs(z) - 0.5) < 1e-3] += 0.01
    numeric = central(lambda v: act.fn(v).sum(), z)
    np.testing.assert_allclose(act.prime(z), numeric, atol=1e-6)


def test_step_derivatives_are_zero():
    z = np.array([-2.0, -0.1, 0.1, 3.0])
    for name in ("step", "perceptron"):
        assert np.all(get_activation(name).prime(z) == 0)
    assert get_activation("step").fn(np.array([0.0]))[0] == 1.0
    assert get_activation("perceptron").fn(np.array([0.0]))[0] == 0.0


def test_softmax_jacobian_vector_product():
    rng = np.random.default_rng(2)
    act = get_activation("softmax")
    z = rng.normal(size=(4, 6))
    g = rng.normal(size=(4, 6))
    delta = act.backprop(z, act.fn(z), g)
    numeric = central(lambda v: np.sum(act.fn(v) * g), z)
    np.testing.assert_allclose(delta, numeric, atol=1e-7)


@pytest.mark.parametrize("name", list(LOSSES))
def test_loss_gradient(name):
    rng = np.random.default_rng(3)
    loss = get_loss(name)
    a = rng.uniform(0.05, 0.95, size=(5, 4))
    y = rng.uniform(0, 1, size=(5, 4))
    if name == "cross_entropy":
        a = a / a.sum(axis=1, keepdims=True)
        y = np.eye(4)[rng.integers(0, 4, 5)]
    numeric = central(lambda v: loss.sample(v, y).sum(), a)
    np.testing.assert_allclose(loss.grad(a, y), numeric, rtol=1e-5, atol=1e-7)


def test_regularisers():
    rng = np.random.default_rng(4)
    net = Network.create([3, 4, 2], "tanh", rng)
    n = 17
    for l1, l2 in ((0.0, 0.7), (0.3, 0.0), (0.2, 0.5)):
        theta = net.get_params()

        def cost(t, l1=l1, l2=l2):
            m = net.copy()
            m.set_params(t)
            return regularisation_cost(m, l1, l2, n)

        numeric = central(cost, theta)
        analytic = []
        for w in net.weights:
            analytic.append((l2 / n * w + l1 / n * np.sign(w)).ravel())
            analytic.append(np.zeros(w.shape[0]))  # biases are not regularised
        np.testing.assert_allclose(np.concatenate(analytic), numeric, atol=1e-6)


def _check_network(net: Network, x, y, loss, tol=1e-6):
    theta = net.get_params()

    def cost(t):
        m = net.copy()
        m.set_params(t)
        return loss.value(forward(m, x).output, y)

    numeric = central(cost, theta)
    grads = backward(net, forward(net, x), y, loss)
    np.testing.assert_allclose(net.flat_grads(grads), numeric, rtol=1e-5, atol=tol)


CASES = [
    ([3, 5, 2], ["sigmoid", "sigmoid"], "half_sse"),
    ([4, 6, 3], ["tanh", "linear"], "mse"),
    ([2, 7, 5, 1], ["elu", "leaky_relu", "sigmoid"], "binary_cross_entropy"),
    ([5, 8, 4], ["relu", "softmax"], "cross_entropy"),
    ([3, 4, 4], ["sigmoid", "softmax"], "half_sse"),  # softmax with a non-matching loss
    ([2, 3, 3, 2], ["piecewise", "tanh", "sigmoid"], "mse"),
]


@pytest.mark.parametrize("sizes,acts,loss_name", CASES)
def test_backprop_matches_finite_differences(sizes, acts, loss_name):
    rng = np.random.default_rng(sum(sizes))
    net = Network.create(sizes, acts, rng, init="xavier", bias=0.1)
    net.biases = [rng.normal(0, 0.3, b.shape) for b in net.biases]
    n = 6
    x = rng.normal(size=(n, sizes[0]))
    if loss_name == "cross_entropy":
        y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], n)]
    else:
        y = rng.uniform(0.1, 0.9, size=(n, sizes[-1]))
    _check_network(net, x, y, get_loss(loss_name))


def test_backprop_shared_and_absent_biases():
    rng = np.random.default_rng(9)
    s = get_activation("sigmoid")
    net = Network([rng.normal(size=(3, 2)), rng.normal(size=(2, 3))],
                  [np.full(3, 0.3), np.zeros(2)], [s, s], shared_bias=[True, False],
                  use_bias=[True, False])
    x = rng.normal(size=(4, 2))
    y = rng.uniform(size=(4, 2))
    assert net.n_params() == 6 + 1 + 6
    _check_network(net, x, y, get_loss("half_sse"))


def test_backprop_with_dropout_mask():
    rng = np.random.default_rng(10)
    net = Network.create([3, 6, 2], ["tanh", "sigmoid"], rng)
    x = rng.normal(size=(5, 3))
    y = rng.uniform(size=(5, 2))
    loss = get_loss("mse")
    masks = [(rng.random((5, 6)) > 0.5) / 0.5, None]
    theta = net.get_params()

    def cost(t):
        m = net.copy()
        m.set_params(t)
        return loss.value(forward(m, x, masks).output, y)

    numeric = central(cost, theta)
    grads = backward(net, forward(net, x, masks), y, loss)
    np.testing.assert_allclose(net.flat_grads(grads), numeric, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activations_are_overflow_safe(name):
    z = np.array([[-1e308, -1e5, -745.0, -50.0, 0.0, 50.0, 710.0, 1e5, 1e308]])
    act = get_activation(name)
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        a = act.fn(z)
        d = act.prime(z, a)
    assert np.isfinite(a).all() and np.isfinite(d).all()


def test_losses_are_safe_at_the_edges():
    a = np.array([[0.0, 1.0, 1e-320, 1 - 1e-16]])
    y = np.array([[1.0, 0.0, 1.0, 0.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        for loss in LOSSES.values():
            assert np.isfinite(loss.sample(a, y)).all()
            assert np.isfinite(loss.grad(a, y)).all()
