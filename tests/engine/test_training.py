"""Training: XOR is learned, options behave as documented, and runs are deterministic."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine import get_loss
from nnviz.engine.core.network import Network, cost, predict
from nnviz.engine.learning.training import (
    OptimizerState,
    TrainConfig,
    batches,
    clip_gradients,
    dropout_masks,
    train,
    train_step,
)
from nnviz.engine.sets.datasets import gate


def test_training_reduces_the_loss_on_xor():
    x, y = gate("XOR")
    rng = np.random.default_rng(0)
    net = Network.create([2, 4, 1], ["tanh", "sigmoid"], rng, init="xavier")
    loss = get_loss("binary_cross_entropy")
    before = cost(net, x, y, loss)
    history = train(net, x, y, loss, TrainConfig(eta=0.5), 2000, rng)
    assert history[-1] < before / 10
    assert np.round(predict(net, x)).ravel().tolist() == [0, 1, 1, 0]


def test_same_seed_gives_bit_identical_runs():
    x = np.random.default_rng(5).normal(size=(40, 3))
    y = (x.sum(axis=1, keepdims=True) > 0).astype(float)
    cfg = TrainConfig(eta=0.3, batch_size=8, momentum=0.9, l2=0.1, dropout=0.3, clip_norm=5.0)

    def run(seed):
        rng = np.random.default_rng(seed)
        net = Network.create([3, 6, 1], ["relu", "sigmoid"], rng)
        train(net, x, y, get_loss("binary_cross_entropy"), cfg, 5, rng)
        return net

    a, b, c = run(1), run(1), run(2)
    assert a.equals(b)
    assert not a.equals(c)


def test_minibatches_cover_every_sample_once():
    rng = np.random.default_rng(0)
    parts = batches(23, 5, rng)
    assert [len(p) for p in parts] == [5, 5, 5, 5, 3]
    assert sorted(np.concatenate(parts).tolist()) == list(range(23))
    assert [len(p) for p in batches(23, None, rng)] == [23]
    assert [len(p) for p in batches(4, 1, rng)] == [1, 1, 1, 1]


def test_frozen_biases_do_not_move():
    rng = np.random.default_rng(1)
    net = Network.create([2, 3, 1], "sigmoid", rng, bias=0.25)
    x, y = gate("AND")
    train_step(net, x, y, get_loss("mse"), TrainConfig(eta=1.0, freeze_biases=True))
    assert all(np.all(b == 0.25) for b in net.biases)


def test_momentum_matches_the_update_rule():
    rng = np.random.default_rng(2)
    net = Network.create([2, 2, 1], "tanh", rng)
    x, y = gate("OR")
    loss = get_loss("mse")
    cfg = TrainConfig(eta=0.1, momentum=0.9)
    state = OptimizerState()
    w0 = net.weights[0].copy()
    r1 = train_step(net, x, y, loss, cfg, state)
    w1 = net.weights[0].copy()
    np.testing.assert_allclose(w1, w0 - 0.1 * r1.grads[0].dw)
    r2 = train_step(net, x, y, loss, cfg, state)
    v = 0.9 * (w1 - w0) - 0.1 * r2.grads[0].dw
    np.testing.assert_allclose(net.weights[0], w1 + v)


def test_l2_is_weight_decay_with_lambda_over_n():
    net = Network.create([2, 1], "linear", np.random.default_rng(3))
    x = np.zeros((1, 2))  # no data gradient on the weights
    y = np.zeros((1, 1))
    w0 = net.weights[0].copy()
    train_step(net, x, y, get_loss("mse"), TrainConfig(eta=0.5, l2=2.0), n_train=10)
    np.testing.assert_allclose(net.weights[0], (1 - 0.5 * 2.0 / 10) * w0)


def test_l1_shrinks_by_a_constant():
    net = Network([np.array([[0.5, -0.3]])], [np.zeros(1)],
                  [__import__("nnviz.engine", fromlist=["x"]).get_activation("linear")])
    train_step(net, np.zeros((1, 2)), np.zeros((1, 1)), get_loss("mse"),
               TrainConfig(eta=0.1, l1=1.0), n_train=4)
    np.testing.assert_allclose(net.weights[0], [[0.5 - 0.025, -0.3 + 0.025]])


def test_dropout_masks_are_inverted_and_spare_the_output():
    rng = np.random.default_rng(4)
    net = Network.create([3, 200, 100, 2], "relu", rng)
    masks = dropout_masks(net, 50, 0.5, rng)
    assert masks[-1] is None
    m = masks[0]
    assert set(np.unique(m)) <= {0.0, 2.0}
    assert 0.4 < (m > 0).mean() < 0.6


def test_clipping_by_value_and_norm():
    from nnviz.engine.core.network import LayerGrad

    g = [LayerGrad(None, None, None, np.array([[3.0, -4.0]]), np.array([12.0]))]
    clip_gradients(g, 5.0, None)
    assert g[0].dw.tolist() == [[3.0, -4.0]] and g[0].db.tolist() == [5.0]
    clip_gradients(g, None, 1.0)
    norm = np.sqrt((g[0].dw ** 2).sum() + (g[0].db ** 2).sum())
    assert np.isclose(norm, 1.0)


def test_cost_of_a_blown_up_network_is_inf_without_a_warning():
    """A network another lab has driven to huge weights: its cost is inf, quietly (the
    labs check np.isfinite and explain); a RuntimeWarning would be an error here."""
    import warnings

    net = Network.create([1, 1], ["linear"])
    net.weights[0][:] = 1e200
    x, y = np.array([[1e200]]), np.array([[0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c = cost(net, x, y, get_loss("half_sse"))
    assert c == np.inf


def test_clip_norm_is_the_norm_of_the_trained_parameters_gradient():
    """A 1-2 network with one shared bias: the bias is one parameter (counted once) and a
    frozen bias is not trained (not counted); the norm written out here."""
    from nnviz.engine.core.activations import get_activation
    from nnviz.engine.core.network import backward, forward
    from nnviz.engine.learning.training import trained_grad_norm

    net = Network([np.array([[0.3], [-0.6]])], [np.array([0.1, 0.1])],
                  [get_activation("linear")], shared_bias=[True])
    x, y = np.array([[1.0]]), np.array([[0.5, -0.2]])
    loss = get_loss("half_sse")
    g = backward(net, forward(net, x), y, loss)
    d = (net.weights[0][:, 0] * 1.0 + 0.1) - y[0]       # δ_j = a_j − y_j (linear)
    true = np.sqrt(d[0] ** 2 + d[1] ** 2 + (d[0] + d[1]) ** 2)   # w1, w2, the one bias
    assert np.isclose(trained_grad_norm(net, g, False), true)
    assert np.isclose(trained_grad_norm(net, g, True), np.sqrt(d[0] ** 2 + d[1] ** 2))
    assert not np.isclose(true, np.sqrt(d[0] ** 2 + d[1] ** 2 + 2 * (d[0] + d[1]) ** 2))
    # train_step clips to that norm: the update is eta * c * g / |g|
    cfg = TrainConfig(eta=1.0, clip_norm=0.01)
    before = net.copy()
    train_step(net, x, y, loss, cfg)
    step = before.weights[0][:, 0] - net.weights[0][:, 0]
    assert np.allclose(step, 0.01 * d / true)
    assert np.isclose(before.biases[0][0] - net.biases[0][0], 0.01 * (d[0] + d[1]) / true)
    assert net.biases[0][0] == net.biases[0][1]


def test_clip_norm_skips_frozen_biases_in_train_step():
    from nnviz.engine.core.activations import get_activation

    net = Network([np.array([[0.3], [-0.6]])], [np.array([0.4, -0.1])],
                  [get_activation("linear")])
    x, y = np.array([[2.0]]), np.array([[0.0, 0.0]])
    a = net.weights[0][:, 0] * 2.0 + net.biases[0]
    gw = a * 2.0                                         # ∂C/∂w_j = δ_j x
    cfg = TrainConfig(eta=1.0, clip_norm=0.5, freeze_biases=True)
    w0 = net.weights[0][:, 0].copy()
    train_step(net, x, y, get_loss("half_sse"), cfg)
    assert np.allclose(w0 - net.weights[0][:, 0], 0.5 * gw / np.linalg.norm(gw))
    assert net.biases[0].tolist() == [0.4, -0.1]


@pytest.mark.parametrize("mode,scale", [("notes", 1.0), ("inverted", 2.0)])
def test_a_dropout_step_is_the_formula_written_out(mode, scale):
    """One SGD step with dropout p = 0.5 on a 3-4-2 tanh-linear network, ½ squared error:
    the mask m (0/1 kept, times 1 under the notes' rule, times 1/(1 − p) = 2 inverted)
    multiplies the hidden output forward and f'(z) backward."""
    rng = np.random.default_rng(11)
    net = Network.create([3, 4, 2], ["tanh", "linear"], rng, bias=0.1)
    x, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    keep = np.random.default_rng(3).random((5, 4)) >= 0.5      # the draw train_step makes
    m = keep * scale
    w0, b0, w1, b1 = net.weights[0].copy(), net.biases[0].copy(), net.weights[1].copy(), \
        net.biases[1].copy()
    h = np.tanh(x @ w0.T + b0)
    out = (m * h) @ w1.T + b1
    d1 = (out - y) / 5                                  # ½ squared error averaged over 5
    d0 = (d1 @ w1) * m * (1 - h * h)
    eta = 0.3
    cfg = TrainConfig(eta=eta, dropout=0.5, dropout_mode=mode, shuffle=False)
    train_step(net, x, y, get_loss("mse"), cfg, rng=np.random.default_rng(3))
    np.testing.assert_allclose(net.weights[1], w1 - eta * d1.T @ (m * h), rtol=1e-12)
    np.testing.assert_allclose(net.biases[1], b1 - eta * d1.sum(0), rtol=1e-12)
    np.testing.assert_allclose(net.weights[0], w0 - eta * d0.T @ x, rtol=1e-12)
    np.testing.assert_allclose(net.biases[0], b0 - eta * d0.sum(0), rtol=1e-12)


def test_the_dropout_note_says_both_conventions_with_p_s_numbers():
    from nnviz.engine.learning.training import dropout_note

    inv = dropout_note(0.5, "inverted").replace("\u2060", "")
    assert "1/(1 − p) = 2 while training" in inv and "1 − p = 0.5 at test" in inv
    assert "× (1 − p) = 0.5 (halved)" in dropout_note(0.5, "notes")
    assert "× (1 − p) = 0.8." in dropout_note(0.2, "notes")
    assert "1/\u2060(1 − p) = 1.25" in dropout_note(0.2, "inverted")
