"""The small CNN: gradients against finite differences, learning the digits, slices."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine.core.losses import get_loss
from nnviz.engine.labs import cnn
from nnviz.engine.labs.cnn_train import CNNTrainer, digits_split


@pytest.mark.parametrize("pool", ["max", "average"])
@pytest.mark.parametrize("loss_name", ["cross_entropy", "mse"])
def test_cnn_gradients_match_finite_differences(pool, loss_name):
    shape = cnn.CNNShape(channels=2, height=6, width=5, kernels=3, kernel_size=3, stride=1,
                         padding=1, pool=pool, pool_size=2, pool_stride=2, classes=4)
    rng = np.random.default_rng(3)
    net = cnn.CNN.create(shape, rng)
    net.conv_b[:] = rng.normal(size=3) * 0.1
    x = rng.normal(size=(5, 2, 6, 5))
    y = np.eye(4)[rng.integers(0, 4, 5)]
    loss = get_loss(loss_name)
    g = cnn.backward(net, cnn.forward(net, x), y, loss)
    eps = 1e-6
    for p, gp in zip(net.params, g.grads):
        num = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            old = p[i]
            p[i] = old + eps
            up = loss.value(cnn.forward(net, x).out, y)
            p[i] = old - eps
            down = loss.value(cnn.forward(net, x).out, y)
            p[i] = old
            num[i] = (up - down) / (2 * eps)
        np.testing.assert_allclose(gp, num, atol=1e-7)


def test_max_pool_delta_reaches_only_the_winning_cells():
    shape = cnn.CNNShape(kernels=2)
    net = cnn.CNN.create(shape, np.random.default_rng(0))
    x, labels, _, _ = digits_split()
    fwd = cnn.forward(net, x[:1])
    g = cnn.backward(net, fwd, np.eye(10)[labels[:1]], get_loss("cross_entropy"))
    # every 2x2 window of d_a has at most one non-zero: the cell that won the maximum
    blocks = g.d_a.reshape(1, 2, 4, 2, 4, 2).transpose(0, 1, 2, 4, 3, 5).reshape(1, 2, 4, 4, 4)
    assert np.all(np.count_nonzero(blocks, axis=-1) <= 1)
    assert np.count_nonzero(g.d_a) > 0


def test_the_cnn_learns_the_digits_to_95_percent():
    t = CNNTrainer.digits(seed=0)
    t.train_epochs(4)
    assert len(t.history) == 4 and t.epochs == 4
    assert t.history[-1].test_accuracy >= 0.95
    assert t.history[-1].cost < t.history[0].cost
    m = t.confusion()
    assert m.sum() == len(t.x_test)
    assert np.trace(m) / m.sum() == pytest.approx(t.test_accuracy())


def test_same_seed_same_run_and_reset():
    a, b = CNNTrainer.digits(seed=5), CNNTrainer.digits(seed=5)
    for t in (a, b):
        for _ in range(7):
            t.step()
    for p, q in zip(a.net.params, b.net.params):
        np.testing.assert_array_equal(p, q)
    w0 = CNNTrainer.digits(seed=5).net.conv_w
    a.reset()
    np.testing.assert_array_equal(a.net.conv_w, w0)
    assert a.steps == 0 and a.history == []


def test_run_for_takes_whole_steps_within_its_limits():
    t = CNNTrainer.digits(seed=1)
    assert t.run_for(0.0) == 1          # at least one step, even on a zero budget
    assert t.run_for(10.0, max_steps=3) == 3
    assert t.steps == 4
    n_batches = -(-len(t.x_train) // t.batch_size)
    t.run_for(60.0, max_steps=n_batches - 4)
    assert t.epochs == 1 and len(t.history) == 1


def test_digits_split_is_fixed_and_disjoint():
    xa, la, xt, lt = digits_split()
    xb, _, _, _ = digits_split()
    np.testing.assert_array_equal(xa, xb)
    assert len(xa) + len(xt) == 1797 and len(xt) == 359
    assert xa.shape[1:] == (1, 8, 8) and 0 <= xa.min() and xa.max() <= 1


def test_shapes_that_do_not_fit_are_refused():
    with pytest.raises(ValueError):
        cnn.CNNShape(height=2, width=2, padding=0, kernel_size=3)
    with pytest.raises(ValueError):
        cnn.CNNShape(pool="median")


def test_one_step_is_the_optimisers_update_written_out():
    """SGD through the shared configuration: p <- p - eta * (dC/dp + l2/n * w for weights)."""
    from nnviz.engine.learning.training import TrainConfig

    cfg = TrainConfig(eta=0.3, batch_size=16, optimiser="sgd", l2=0.5, shuffle=False)
    t = CNNTrainer.digits(cnn.CNNShape(kernels=2), seed=2, cfg=cfg)
    before = [p.copy() for p in t.net.params]
    x, y = t.x_train[:16], t.y_train[:16]
    g = cnn.backward(t.net, cnn.forward(t.net, x), y, t.loss).grads
    t.step()
    n = len(t.x_train)
    for i, (p0, p1, gi) in enumerate(zip(before, t.net.params, g)):
        reg = 0.5 / n * p0 if i in (0, 2) else 0.0
        np.testing.assert_allclose(p1, p0 - 0.3 * (gi + reg), rtol=1e-12, atol=1e-15)
    assert t.steps == 1 and t.state.opt.name == "sgd"


def test_the_learning_rate_schedule_applies_per_epoch():
    from nnviz.engine.learning.training import TrainConfig

    cfg = TrainConfig(eta=0.01, batch_size=32, optimiser="adam", schedule="step",
                      lr_gamma=0.5, lr_every=1)
    t = CNNTrainer.digits(seed=0, cfg=cfg)
    t.train_epochs(1)
    assert t.cfg.rate(t.epochs) == 0.005
    with pytest.raises(ValueError):
        CNNTrainer.digits(seed=0, cfg=TrainConfig(dropout=0.5))


def test_steps_left_in_epoch_counts_down():
    t = CNNTrainer.digits(seed=0)
    n = -(-len(t.x_train) // t.batch_size)
    assert t.steps_left_in_epoch() == n
    t.step()
    assert t.steps_left_in_epoch() == n - 1
    t.run_for(60.0, max_steps=t.steps_left_in_epoch())
    assert t.epochs == 1 and t.steps_left_in_epoch() == n


def _batch_grads(t, idx):
    x, y = t.x_train[idx], t.y_train[idx]
    return cnn.backward(t.net, cnn.forward(t.net, x), y, t.loss).grads


def test_momentum_with_clipping_is_the_formula_written_out():
    """Two steps: g clipped to norm c (all four arrays), v <- mu v - eta g, w <- w + v."""
    from nnviz.engine.learning.training import TrainConfig

    eta, mu, c = 0.05, 0.8, 0.01
    cfg = TrainConfig(eta=eta, batch_size=8, optimiser="sgd", momentum=mu, clip_norm=c,
                      shuffle=False)
    t = CNNTrainer.digits(cnn.CNNShape(kernels=2), seed=4, cfg=cfg)
    w = [p.copy() for p in t.net.params]
    v = [np.zeros_like(p) for p in w]
    for step in range(2):
        g = _batch_grads(t, slice(8 * step, 8 * step + 8))
        norm = np.sqrt(sum(np.sum(gi ** 2) for gi in g))
        assert norm > c                    # the clipping is exercised
        g = [gi * (c / norm) for gi in g]
        v = [mu * vi - eta * gi for vi, gi in zip(v, g)]
        w = [wi + vi for wi, vi in zip(w, v)]
        t.step()
        for wi, p in zip(w, t.net.params):
            np.testing.assert_allclose(p, wi, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(t.state.opt.slots[0]["v"], v[0], rtol=1e-12, atol=1e-15)
    assert t.steps == 2


def test_adam_with_l1_and_frozen_biases_is_the_formula_written_out():
    """m = (1-b1) g, v = (1-b2) g^2, m^ = m/(1-b1), v^ = v/(1-b2), w <- w - eta m^/(sqrt v^ + eps);
    L1 adds lambda/n sgn(w) to the weights' g; frozen biases stay where they are."""
    from nnviz.engine.learning.training import TrainConfig

    eta, b1, b2, eps, lam = 0.01, 0.9, 0.999, 1e-8, 2.0
    cfg = TrainConfig(eta=eta, batch_size=16, optimiser="adam", l1=lam, freeze_biases=True,
                      shuffle=False)
    t = CNNTrainer.digits(cnn.CNNShape(kernels=3, pool="average"), seed=5, cfg=cfg)
    t.net.conv_b[:] = 0.25                 # a frozen bias that is not zero
    w0 = [p.copy() for p in t.net.params]
    g = _batch_grads(t, slice(0, 16))
    n = len(t.x_train)
    t.step()
    for i in (0, 2):
        gi = g[i] + lam / n * np.sign(w0[i])
        m_hat = (1 - b1) * gi / (1 - b1)
        v_hat = (1 - b2) * gi ** 2 / (1 - b2)
        np.testing.assert_allclose(t.net.params[i], w0[i] - eta * m_hat / (np.sqrt(v_hat) + eps),
                                   rtol=1e-12, atol=1e-15)
    for i in (1, 3):
        np.testing.assert_array_equal(t.net.params[i], w0[i])


def test_the_cnn_updates_through_the_shared_descent(monkeypatch):
    """No second training loop: every CNN step is training.descend's update."""
    from nnviz.engine.labs import cnn_train
    from nnviz.engine.learning import training

    calls = []

    def spy(*args, **kw):
        calls.append(kw)
        return training.descend(*args, **kw)

    monkeypatch.setattr(cnn_train, "descend", spy)
    t = CNNTrainer.digits(cnn.CNNShape(kernels=2), seed=0)
    before = t.net.conv_w.copy()
    t.step()
    assert calls == [{"weights": cnn.WEIGHTS, "biases": cnn.BIASES}]
    assert not np.array_equal(before, t.net.conv_w)
