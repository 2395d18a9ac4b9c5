"""Batch normalisation and shared biases on the fast trainer's path: equal to the
reference engine (train_epoch / train_step) to 1e-12, and its gradients equal to central
finite differences of the batch cost."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine.core.batchnorm import BatchNorm
from nnviz.engine.core.losses import get_loss
from nnviz.engine.core.network import Network, forward
from nnviz.engine.learning.fast import FastTrainer
from nnviz.engine.learning.training import OptimizerState, TrainConfig, train_epoch, train_step
from nnviz.engine.sets.datasets import encode_labels, generate

TOL = 1e-12


def _net(hidden, out="tanh", norms=(), shared=(), seed=0, n_out=1, no_bias=()):
    rng = np.random.default_rng(seed)
    net = Network.create([2, *hidden, n_out], "tanh", rng, init="uniform", init_scale=0.7,
                         bias=0.1, output_activation=out)
    for l in norms:
        m = net.sizes[l + 1]
        net.norms[l] = BatchNorm(rng.normal(size=m) * 0.3 + 1.0, rng.normal(size=m) * 0.2,
                                 rng.normal(size=m) * 0.1, rng.uniform(0.5, 2.0, size=m))
    for l in shared:
        net.shared_bias[l] = True
        net.biases[l][:] = 0.05 * (l + 1)
    for l in no_bias:
        net.use_bias[l] = False
        net.biases[l][:] = 0.0
    return net


def _data(kind="circle", n=101, n_out=1, seed=0):
    x, labels = generate(kind, n, 0.1, seed)
    if n_out > 1:
        return x, np.eye(n_out)[labels % n_out]
    return x, encode_labels(labels, 1, "pm1")


def _same(ref: Network, net: Network, s_ref: OptimizerState, s_fast: OptimizerState) -> None:
    for p, q in zip(ref.weights + ref.biases, net.weights + net.biases):
        np.testing.assert_allclose(q, p, rtol=0, atol=TOL)
    for a, b in zip(ref.norms, net.norms):
        assert (a is None) == (b is None)
        if a is not None:
            for u, v in ((a.gamma, b.gamma), (a.beta, b.beta), (a.running_mean, b.running_mean),
                         (a.running_var, b.running_var)):
                np.testing.assert_allclose(v, u, rtol=0, atol=TOL)
    for l, sh in enumerate(net.shared_bias):
        if sh:
            assert np.all(net.biases[l] == net.biases[l][0])  # still one value
    assert (s_ref.steps, s_ref.epochs) == (s_fast.steps, s_fast.epochs)
    a, b = s_ref.opt, s_fast.opt
    assert a.t == b.t and len(a.slots) == len(b.slots)
    for sa, sb in zip(a.slots, b.slots):
        assert (sa is None) == (sb is None)
        for k in sa or {}:
            np.testing.assert_allclose(sb[k], sa[k], rtol=0, atol=TOL)


CASES = [  # hidden, normalised layers, shared-bias layers, config, loss, output, classes
    ([5, 4], (0, 1), (), TrainConfig(eta=0.1, batch_size=10), "mse", "tanh", 1),
    ([5, 4], (1,), (), TrainConfig(eta=0.05, batch_size=7, momentum=0.9, l2=0.1), "mse",
     "tanh", 1),
    ([6], (0,), (), TrainConfig(eta=0.01, batch_size=8, optimiser="adam", l1=0.01,
                                freeze_biases=True, dropout=0.3), "mse", "tanh", 1),
    ([5, 4], (0,), (), TrainConfig(eta=0.3, batch_size=16, clip_value=0.05, clip_norm=0.2),
     "cross_entropy", "softmax", 3),
    ([4, 4], (0, 1), (), TrainConfig(eta=0.2, batch_size=100, optimiser="momentum"),
     "binary_cross_entropy", "sigmoid", 1),   # a last batch of one sample
    ([5, 4], (), (0, 2), TrainConfig(eta=0.1, batch_size=10), "mse", "tanh", 1),
    ([5, 4], (), (1,), TrainConfig(eta=0.05, batch_size=9, optimiser="nesterov", l2=0.2),
     "mse", "tanh", 1),
    ([5, 4], (), (0, 1, 2), TrainConfig(eta=0.4, batch_size=12, clip_norm=0.05), "mse",
     "tanh", 1),
    # (a bias before batch normalisation, and one bias shared by a softmax layer, have a
    # zero gradient in exact arithmetic; both paths compute rounding noise, ~1e-17, which
    # Adam divides by its tiny root average: such a bias random-walks by ~1e-11 a step on
    # either path, so the normalised layer has none, as usual, and the output's is its own)
    # runs of equal hidden layers (one batched gradient product a run) with normalised
    # layers, shared biases and dropout inside the runs
    ([4, 4, 4, 4], (1, 2), (3,), TrainConfig(eta=0.1, batch_size=10, momentum=0.5),
     "mse", "tanh", 1),
    ([5, 5, 5, 3, 3, 3], (), (2,), TrainConfig(eta=0.05, batch_size=8, dropout=0.25, l2=0.1),
     "cross_entropy", "softmax", 3),
    ([6, 5], (0,), (1,), TrainConfig(eta=0.02, batch_size=10, optimiser="adam",
                                       clip_value=0.1, dropout=0.2, dropout_mode="notes"),
     "cross_entropy", "softmax", 3, (0,)),
]


@pytest.mark.parametrize("hidden, norms, shared, cfg, loss_name, out, k, no_bias",
                         [c if len(c) == 8 else (*c, ()) for c in CASES])
def test_fast_epochs_equal_the_reference(hidden, norms, shared, cfg, loss_name, out, k,
                                         no_bias):
    x, y = _data(n_out=k)
    if loss_name == "binary_cross_entropy":
        y = (y > 0).astype(float)
    net = _net(hidden, out, norms, shared, n_out=k, no_bias=no_bias)
    start, ref = net.copy(), net.copy()
    loss = get_loss(loss_name)
    s_ref, s_fast = OptimizerState(), OptimizerState()
    r_ref, r_fast = np.random.default_rng(5), np.random.default_rng(5)
    for _ in range(2):
        train_epoch(ref, x, y, loss, cfg, s_ref, r_ref)
    trainer = FastTrainer(net, loss, cfg, s_fast)
    assert trainer.fast, trainer.reason
    trainer.train_epoch(x, y, r_fast)
    trainer.train_epoch(x, y, r_fast)   # state carried between calls
    assert not ref.equals(start)
    _same(ref, net, s_ref, s_fast)
    assert r_ref.random() == r_fast.random()


def test_clipping_counts_a_shared_bias_once_and_leaves_gamma_and_beta_alone():
    """Cases where the rule matters: counting a shared bias n times, or clipping gamma's
    gradient, would train differently (checked: those variants differ)."""
    x, y = _data()
    for norms, shared in (((), (0, 1, 2)), ((0, 1), ())):
        net = _net([8, 8], "tanh", norms, shared)
        cfg = TrainConfig(eta=0.5, batch_size=10, clip_norm=0.02, clip_value=0.004)
        ref = net.copy()
        s_ref, s_fast = OptimizerState(), OptimizerState()
        train_epoch(ref, x, y, get_loss("mse"), cfg, s_ref, np.random.default_rng(1))
        FastTrainer(net, get_loss("mse"), cfg, s_fast).train_epoch(x, y,
                                                                   np.random.default_rng(1))
        _same(ref, net, s_ref, s_fast)
        unclipped = _net([8, 8], "tanh", norms, shared)
        train_epoch(unclipped, x, y, get_loss("mse"), TrainConfig(eta=0.5, batch_size=10),
                    None, np.random.default_rng(1))
        assert np.max(np.abs(unclipped.weights[0] - net.weights[0])) > 1e-3


def test_single_batches_equal_train_step():
    x, y = _data()
    net = _net([5, 4], "tanh", (0,), (1,))
    ref = net.copy()
    cfg = TrainConfig(eta=0.1, batch_size=10, momentum=0.9, optimiser="momentum")
    s_ref, s_fast = OptimizerState(), OptimizerState()
    trainer = FastTrainer(net, get_loss("mse"), cfg, s_fast)
    for i in range(5):
        idx = slice(10 * i, 10 * i + 10)
        train_step(ref, x[idx], y[idx], get_loss("mse"), cfg, s_ref)
        trainer.train_batch(x[idx], y[idx])
    _same(ref, net, s_ref, s_fast)


def _cost(net: Network, x, y, loss) -> float:
    """The batch cost with the batch's statistics (a copy: the running averages of
    ``net`` stay as they are)."""
    return loss.value(forward(net.copy(), x, training=True).output, y)


@pytest.mark.parametrize("loss_name, out, k", [("mse", "tanh", 1),
                                               ("cross_entropy", "softmax", 3)])
def test_fast_gradients_match_central_differences(loss_name, out, k):
    """One SGD step of size 1 on the fast path moves every parameter by minus its
    gradient: weights, a shared bias (one value), per-neuron biases, gamma and beta."""
    x, y = _data(n=12, n_out=k)
    loss = get_loss(loss_name)
    net = _net([4, 3], out, (0, 1), (1,), n_out=k)
    before = net.copy()
    FastTrainer(net, loss, TrainConfig(eta=1.0, batch_size=None)).train_batch(x, y)
    h = 1e-6

    def check(get, n_entries, step_of, tied=False):
        for i in range(n_entries):
            plus, minus = before.copy(), before.copy()
            for c, sign in ((plus, h), (minus, -h)):
                arr = get(c)
                if tied:
                    arr += sign
                else:
                    arr.flat[i] += sign
            fd = (_cost(plus, x, y, loss) - _cost(minus, x, y, loss)) / (2 * h)
            assert step_of(i) == pytest.approx(fd, rel=1e-5, abs=1e-8)

    for l in range(3):
        w = before.weights[l]
        check(lambda c, l=l: c.weights[l], w.size,
              lambda i, l=l: (before.weights[l] - net.weights[l]).flat[i])
    check(lambda c: c.biases[1], 1, lambda i: before.biases[1][0] - net.biases[1][0],
          tied=True)   # the shared bias: one parameter
    check(lambda c: c.biases[0], 4, lambda i: (before.biases[0] - net.biases[0])[i])
    for l in (0, 1):
        m = before.norms[l].size
        check(lambda c, l=l: c.norms[l].gamma, m,
              lambda i, l=l: (before.norms[l].gamma - net.norms[l].gamma)[i])
        check(lambda c, l=l: c.norms[l].beta, m,
              lambda i, l=l: (before.norms[l].beta - net.norms[l].beta)[i])
