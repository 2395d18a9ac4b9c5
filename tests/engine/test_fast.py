"""The fast trainer equals the reference engine (training.train_epoch / train_step)."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine.core.activations import get_activation
from nnviz.engine.core.losses import get_loss
from nnviz.engine.core.network import Network
from nnviz.engine.learning.fast import FastTrainer, unsupported_reason
from nnviz.engine.learning.training import OptimizerState, TrainConfig, train_epoch, train_step
from nnviz.engine.sets.datasets import encode_labels, generate


def _playground(hidden, kind="circle", seed=0, acts=None):
    x, labels = generate(kind, 500, 0.0, seed)
    y = encode_labels(labels, 1, "pm1")
    net = Network.create([2, *hidden, 1], "tanh", np.random.default_rng(seed), init="uniform",
                         init_scale=0.5, bias=0.1)
    if acts:
        net.activations = [get_activation(a) for a in acts]
    return x[:250], y[:250], net


def _same_optimiser_state(s_ref, s_fast, atol):
    a, b = s_ref.opt, s_fast.opt
    assert a.name == b.name and a.t == b.t == s_ref.steps
    assert len(a.slots) == len(b.slots)
    for sa, sb in zip(a.slots, b.slots):
        assert (sa is None) == (sb is None)
        for k in sa or {}:
            np.testing.assert_allclose(sa[k], sb[k], rtol=0, atol=atol)


def _max_diff(a: Network, b: Network) -> float:
    return max(float(np.max(np.abs(p - q)))
               for p, q in zip(a.weights + a.biases, b.weights + b.biases))


CASES = [
    ([4, 2], TrainConfig(eta=0.03, batch_size=10), "mse", None, "circle"),
    ([8, 8], TrainConfig(eta=0.03, batch_size=10), "mse", None, "spiral"),
    ([8] * 6, TrainConfig(eta=0.03, batch_size=10), "mse", None, "spiral"),
    ([8, 8], TrainConfig(eta=0.03, batch_size=7, momentum=0.9, l2=0.1), "mse", None, "circle"),
    ([8, 8], TrainConfig(eta=0.05, batch_size=7, momentum=0.5, l1=0.01, freeze_biases=True),
     "mse", None, "circle"),
    ([5], TrainConfig(eta=0.01, batch_size=None, shuffle=False), "half_sse", None, "circle"),
    ([8, 8], TrainConfig(eta=0.3, batch_size=16), "binary_cross_entropy",
     ["relu", "tanh", "sigmoid"], "circle"),
    ([6, 3], TrainConfig(eta=0.3, batch_size=1), "mse", ["sigmoid", "linear", "tanh"], "spiral"),
]


def test_a_run_of_equal_hidden_layers_has_one_gradient_product_that_writes_each_layer():
    """Playground's c (six hidden layers of 8): the gradients of layers 2-6 come from one
    batched product into the flat gradient, and each equals that layer's own product."""
    x, y, net = _playground([8] * 6, "spiral")
    trainer = FastTrainer(net, get_loss("mse"), TrainConfig(eta=0.03, batch_size=10))
    plan = trainer._plan(10, 1)
    assert [op[0] for op in plan.grads] == [np.matmul, np.dot]   # layers 1-5, then 6
    _fn, d, a_t, g = plan.grads[0]
    assert d.shape == (5, 8, 10) and a_t.shape == (5, 10, 9) and g.shape == (5, 8, 9)
    rng = np.random.default_rng(0)
    plan.delta[:] = rng.normal(size=plan.delta.size)
    plan.act[:] = rng.normal(size=plan.act.size)
    trainer.G[:] = 0.0
    for product, d, a_t, g in plan.grads:
        product(d, a_t, g)
    deltas = np.split(plan.delta, np.cumsum([9 * 10] * 6))
    acts = np.split(plan.act, np.cumsum([9 * 10] * 6))
    for layer in range(1, 7):
        n = 8 if layer < 6 else 1
        delta, a_in = deltas[layer].reshape(-1, 10)[:n], acts[layer - 1].reshape(9, 10)
        np.testing.assert_allclose(trainer.Gs[layer], delta @ a_in.T, rtol=1e-14, atol=1e-14)
    assert not trainer.Gs[0].any()    # the first layer's product is the hot loop's own


def test_views_that_are_not_evenly_spaced_are_not_stacked():
    from nnviz.engine.learning.fast_plan import stacked

    buf = np.arange(40.0)
    even = [buf[i:i + 6].reshape(2, 3) for i in (0, 10, 20)]
    s = stacked(even)
    assert s is not None and s.shape == (3, 2, 3)
    s[2, 1, 2] = -1.0
    assert buf[25] == -1.0      # a view of the same buffer
    assert stacked([buf[i:i + 6].reshape(2, 3) for i in (0, 10, 25)]) is None
    assert stacked([buf[0:6].reshape(2, 3), buf[10:16].reshape(3, 2)]) is None
    assert stacked([buf[20:26].reshape(2, 3), buf[0:6].reshape(2, 3)]) is None


@pytest.mark.parametrize("hidden, cfg, loss_name, acts, kind", CASES)
def test_fast_epochs_equal_the_reference(hidden, cfg, loss_name, acts, kind):
    x, y, net = _playground(hidden, kind, acts=acts)
    if loss_name == "binary_cross_entropy":
        y = (y > 0).astype(float)
    loss = get_loss(loss_name)
    ref = net.copy()
    s_ref, s_fast = OptimizerState(), OptimizerState()
    r_ref, r_fast = np.random.default_rng(7), np.random.default_rng(7)
    for _ in range(4):
        train_epoch(ref, x, y, loss, cfg, s_ref, r_ref)
    trainer = FastTrainer(net, loss, cfg, s_fast)
    assert trainer.fast, trainer.reason
    assert trainer.train_epochs(x, y, r_fast, 3) == 3 * len(x)
    assert trainer.train_epoch(x, y, r_fast) == len(x)
    assert not ref.equals(_playground(hidden, kind, acts=acts)[2])  # training moved something
    assert _max_diff(ref, net) < 1e-12
    assert (s_fast.steps, s_fast.epochs) == (s_ref.steps, s_ref.epochs)
    _same_optimiser_state(s_ref, s_fast, 1e-12)
    # the generators were used identically: the next draws agree
    assert r_ref.random() == r_fast.random()
    if cfg.freeze_biases:
        assert all(np.all(b == 0.1) for b in net.biases)


def test_single_batches_equal_train_step_and_edits_between_calls_count():
    x, y, net = _playground([8, 8])
    loss, cfg = get_loss("mse"), TrainConfig(eta=0.1, momentum=0.9)
    ref = net.copy()
    s_ref, s_fast = OptimizerState(), OptimizerState()
    trainer = FastTrainer(net, loss, cfg, s_fast)
    for i in range(5):
        idx = slice(10 * i, 10 * i + 3 + i)
        train_step(ref, x[idx], y[idx], loss, cfg, s_ref)
        trainer.train_batch(x[idx], y[idx])
        if i == 2:  # an edit of the network between calls (a user drags a weight)
            ref.weights[1][0, 0] = net.weights[1][0, 0] = 1.5
    assert _max_diff(ref, net) < 1e-12
    assert s_fast.steps == s_ref.steps == 5


def test_unsupported_options_fall_back_to_the_reference_and_say_why():
    x, y, net = _playground([4])
    cfg = TrainConfig(eta=0.1, batch_size=10, clip_value=0.5)
    net.activations[0] = get_activation("elu")   # no trainer kernels
    ref = net.copy()
    trainer = FastTrainer(net, get_loss("mse"), cfg)
    assert not trainer.fast and trainer.reason.startswith("activation elu")
    trainer.train_epoch(x, y, np.random.default_rng(3))
    train_epoch(ref, x, y, get_loss("mse"), cfg, None, np.random.default_rng(3))
    assert ref.equals(net)
    hidden_softmax = Network.create([2, 3, 2], "softmax")
    assert "softmax" in unsupported_reason(hidden_softmax, get_loss("cross_entropy"),
                                           TrainConfig())
    assert unsupported_reason(Network.create([2, 3], "softmax"), get_loss("cross_entropy"),
                              TrainConfig()) == ""
    assert "softmax output" in unsupported_reason(_playground([4])[2], get_loss("cross_entropy"),
                                                  TrainConfig())
    assert "cross-entropy" in unsupported_reason(
        Network.create([2, 3], "softmax"), get_loss("mse"), TrainConfig())


def test_a_changed_network_shape_is_refused():
    x, y, net = _playground([4])
    trainer = FastTrainer(net, get_loss("mse"), TrainConfig(batch_size=10))
    net.weights.append(np.zeros((1, 1)))
    with pytest.raises(ValueError, match="changed shape"):
        trainer.train_epoch(x, y, None)


def test_time_budget_gives_whole_epochs():
    x, y, net = _playground([4, 2])
    trainer = FastTrainer(net, get_loss("mse"), TrainConfig(eta=0.03, batch_size=10))
    assert trainer.train_for(x, y, np.random.default_rng(0), 0.0) == 1
    assert trainer.train_for(x, y, np.random.default_rng(0), 10.0, max_epochs=3) == 3



def test_params_finite_follows_the_network_after_an_epoch():
    x, y, net = _playground([4, 2])
    trainer = FastTrainer(net, get_loss("mse"), TrainConfig(eta=0.03, batch_size=10))
    trainer.train_epoch(x, y, np.random.default_rng(0))
    assert trainer.params_finite() and net.is_finite()
    net.weights[1][0, 0] = np.inf       # e.g. an overflow in the last step
    with np.errstate(all="ignore"):
        trainer.train_epoch(x, y, np.random.default_rng(0))
    assert not net.is_finite() and not trainer.params_finite()


@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"])
@pytest.mark.parametrize("extra", [{}, {"l2": 0.1, "freeze_biases": True}])
def test_every_optimiser_trains_the_same_on_both_paths(name, extra):
    x, y, net = _playground([6, 4], "circle", seed=2)
    cfg = TrainConfig(eta=0.02, batch_size=9, optimiser=name,
                      momentum=0.8 if name in ("momentum", "nesterov") else 0.0,
                      hyper={"eps": 1e-6} if name != "sgd" and name != "momentum"
                      and name != "nesterov" else {}, **extra)
    loss = get_loss("mse")
    ref = net.copy()
    s_ref, s_fast = OptimizerState(), OptimizerState()
    r_ref, r_fast = np.random.default_rng(4), np.random.default_rng(4)
    for _ in range(2):
        train_epoch(ref, x, y, loss, cfg, s_ref, r_ref)
    trainer = FastTrainer(net, loss, cfg, s_fast)
    assert trainer.fast, trainer.reason
    trainer.train_epochs(x, y, r_fast, 2)
    trainer.train_batch(x[:9], y[:9])  # a single step, then the rest of the epoch
    trainer.train_epoch(x, y, r_fast)
    train_step(ref, x[:9], y[:9], loss, cfg, s_ref)
    train_epoch(ref, x, y, loss, cfg, s_ref, r_ref)
    assert not ref.equals(_playground([6, 4], "circle", seed=2)[2])
    assert s_ref.opt.name == name
    assert _max_diff(ref, net) < 1e-11
    _same_optimiser_state(s_ref, s_fast, 1e-11)
    if cfg.freeze_biases:
        assert all(np.all(b == 0.1) for b in net.biases)


def test_momentum_and_sgd_are_bit_identical_to_the_rule_before_the_optimisers():
    # the update the trainers made before nnviz.engine.learning.optimisers existed, written out:
    # v *= mu; v -= eta g; w += v  (and w -= eta g without momentum)
    x, y, net = _playground([5, 3])
    loss = get_loss("mse")
    for mu in (0.0, 0.7):
        cfg = TrainConfig(eta=0.07, momentum=mu)
        a, b = net.copy(), net.copy()
        st = OptimizerState()
        vel = [np.zeros_like(p) for p in a.weights + a.biases]
        for i in range(6):
            idx = slice(7 * i, 7 * i + 7)
            rec = train_step(a, x[idx], y[idx], loss, cfg, st)
            grads = [g.dw for g in rec.grads] + [g.db for g in rec.grads]
            for p, g, v in zip(b.weights + b.biases, grads, vel):
                if mu:
                    v *= mu
                    v -= cfg.eta * g
                    p += v
                else:
                    p -= cfg.eta * g
            assert all(np.array_equal(p, q) for p, q in
                       zip(a.weights + a.biases, b.weights + b.biases))


def _classes(hidden, acts, k=3, seed=0, targets="onehot"):
    """A k-class problem for a softmax (or sigmoid, k = 1) output."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(130, 5))
    labels = np.argmax(x[:, :k] + 0.3 * rng.normal(size=(130, k)), axis=1)
    y = np.eye(k)[labels] if k > 1 else (x[:, :1] > 0).astype(float)
    if targets == "smooth":      # label smoothing: sums 1 up to rounding
        y = 0.9 * y + 0.1 / k
    elif targets == "double":    # sums 2: the delta is a sum(y) - y, not a - y
        y = 2.0 * y
    net = Network.create([5, *hidden, k], acts[0], rng, init="uniform", init_scale=0.6,
                         bias=0.1)
    net.activations = [get_activation(a) for a in acts]
    return x, y, net


_OPTS = [dict(), dict(momentum=0.9), dict(optimiser="nesterov", momentum=0.7),
         dict(optimiser="adam"), dict(optimiser="rmsprop"), dict(optimiser="adagrad")]
_REGS = [dict(), dict(l2=0.2), dict(l1=0.01, freeze_biases=True)]


@pytest.mark.parametrize("opt", _OPTS)
@pytest.mark.parametrize("reg", _REGS)
@pytest.mark.parametrize("out, loss_name, hidden_acts", [
    ("softmax", "cross_entropy", ["relu", "relu"]),
    ("softmax", "cross_entropy", ["sigmoid", "tanh"]),
    ("sigmoid", "binary_cross_entropy", ["tanh", "sigmoid"]),
])
def test_combined_output_deltas_equal_the_reference(opt, reg, out, loss_name, hidden_acts):
    k = 3 if out == "softmax" else 1
    x, y, net = _classes([7, 4], [*hidden_acts, out], k)
    cfg = TrainConfig(eta=0.05, batch_size=32, **opt, **reg)
    loss = get_loss(loss_name)
    ref, start = net.copy(), net.copy()
    s_ref, s_fast = OptimizerState(), OptimizerState()
    r_ref, r_fast = np.random.default_rng(5), np.random.default_rng(5)
    for _ in range(5):   # 130 = 4 * 32 + 2: a last, short batch every epoch
        train_epoch(ref, x, y, loss, cfg, s_ref, r_ref)
    trainer = FastTrainer(net, loss, cfg, s_fast)
    assert trainer.fast, trainer.reason
    trainer.train_epochs(x, y, r_fast, 5)
    assert _max_diff(ref, start) > 1e-3          # training moved the network
    assert _max_diff(ref, net) < 1e-12
    for p, q in zip(ref.weights + ref.biases, net.weights + net.biases):
        np.testing.assert_allclose(q, p, rtol=1e-11, atol=1e-13)
    _same_optimiser_state(s_ref, s_fast, 1e-12)
    assert (s_fast.steps, s_fast.epochs) == (s_ref.steps, s_ref.epochs) == (25, 5)
    if cfg.freeze_biases:
        assert all(np.all(b == 0.1) for b in net.biases)


@pytest.mark.parametrize("targets", ["smooth", "double"])
@pytest.mark.parametrize("hidden", [[], [6]])
def test_softmax_with_targets_not_one_hot_equals_the_reference(targets, hidden):
    acts = ["tanh"] * len(hidden) + ["softmax"]
    x, y, net = _classes(hidden, acts, 4, seed=3, targets=targets)
    cfg, loss = TrainConfig(eta=0.1, batch_size=10, momentum=0.5), get_loss("cross_entropy")
    ref, start = net.copy(), net.copy()
    r_ref, r_fast = np.random.default_rng(1), np.random.default_rng(1)
    s_ref = OptimizerState()
    for _ in range(3):
        train_epoch(ref, x, y, loss, cfg, s_ref, r_ref)
    trainer = FastTrainer(net, loss, cfg)
    assert trainer.fast, trainer.reason
    trainer.train_epochs(x, y, r_fast, 3)
    assert _max_diff(ref, start) > 1e-3
    assert _max_diff(ref, net) < 1e-12


def test_softmax_single_batches_equal_train_step_even_for_huge_inputs():
    x, y, net = _classes([6], ["relu", "softmax"], 3, seed=4)
    x = x * 1e3       # saturating: the shift by the column maximum keeps exp finite
    loss, cfg = get_loss("cross_entropy"), TrainConfig(eta=0.01)
    ref = net.copy()
    trainer = FastTrainer(net, loss, cfg)
    for i in range(4):
        idx = slice(9 * i, 9 * i + 5 + i)
        train_step(ref, x[idx], y[idx], loss, cfg, OptimizerState())
        trainer.train_batch(x[idx], y[idx])
    assert net.is_finite()
    for p, q in zip(ref.weights + ref.biases, net.weights + net.biases):
        np.testing.assert_allclose(q, p, rtol=1e-10, atol=1e-9)


@pytest.mark.parametrize("mode", ["inverted", "notes"])
@pytest.mark.parametrize("out, loss_name, acts", [
    ("softmax", "cross_entropy", ["relu", "relu"]),
    ("sigmoid", "binary_cross_entropy", ["tanh", "sigmoid"]),
    ("tanh", "mse", ["sigmoid", "relu"]),
])
@pytest.mark.parametrize("extra", [dict(), dict(momentum=0.9, l2=0.1),
                                   dict(optimiser="adam", l1=0.01, freeze_biases=True)])
def test_dropout_equals_the_reference_with_the_same_masks(mode, out, loss_name, acts, extra):
    k = 3 if out == "softmax" else 1
    x, y, net = _classes([7, 4], [*acts, out], k, seed=6)
    cfg = TrainConfig(eta=0.05, batch_size=16, dropout=0.3, dropout_mode=mode, **extra)
    loss = get_loss(loss_name)
    ref, start = net.copy(), net.copy()
    s_ref, s_fast = OptimizerState(), OptimizerState()
    r_ref, r_fast = np.random.default_rng(8), np.random.default_rng(8)
    for _ in range(4):
        train_epoch(ref, x, y, loss, cfg, s_ref, r_ref)
    train_step(ref, x[:5], y[:5], loss, cfg, s_ref, r_ref)
    trainer = FastTrainer(net, loss, cfg, s_fast)
    assert trainer.fast, trainer.reason
    trainer.train_epochs(x, y, r_fast, 4)
    trainer.train_batch(x[:5], y[:5], r_fast)
    assert _max_diff(ref, start) > 1e-3
    assert _max_diff(ref, net) < 1e-12
    _same_optimiser_state(s_ref, s_fast, 1e-12)
    assert r_ref.random() == r_fast.random()    # the same number of draws


def test_dropout_without_a_generator_is_refused_like_the_reference():
    x, y, net = _classes([4], ["tanh", "softmax"], 3)
    trainer = FastTrainer(net, get_loss("cross_entropy"), TrainConfig(dropout=0.5))
    with pytest.raises(ValueError, match="random generator"):
        trainer.train_batch(x[:4], y[:4])


@pytest.mark.parametrize("clip", [dict(clip_value=0.05), dict(clip_norm=0.1),
                                  dict(clip_value=0.08, clip_norm=0.15)])
@pytest.mark.parametrize("extra", [dict(), dict(momentum=0.9, l2=0.3, freeze_biases=True),
                                   dict(optimiser="rmsprop", l1=0.02, dropout=0.2)])
@pytest.mark.parametrize("out, loss_name", [("softmax", "cross_entropy"),
                                            ("sigmoid", "binary_cross_entropy")])
def test_gradient_clipping_equals_the_reference(clip, extra, out, loss_name):
    k = 3 if out == "softmax" else 1
    x, y, net = _classes([8, 5], ["tanh", "relu", out], k, seed=9)
    x = 3.0 * x       # large gradients: the clipping acts
    cfg = TrainConfig(eta=0.05, batch_size=16, **clip, **extra)
    loss = get_loss(loss_name)
    ref, start = net.copy(), net.copy()
    s_ref, s_fast = OptimizerState(), OptimizerState()
    r_ref, r_fast = np.random.default_rng(3), np.random.default_rng(3)
    for _ in range(4):
        train_epoch(ref, x, y, loss, cfg, s_ref, r_ref)
    trainer = FastTrainer(net, loss, cfg, s_fast)
    assert trainer.fast, trainer.reason
    trainer.train_epochs(x, y, r_fast, 4)
    assert _max_diff(ref, start) > 1e-3
    assert _max_diff(ref, net) < 1e-12
    _same_optimiser_state(s_ref, s_fast, 1e-12)
    # unclipped training ends elsewhere: the clipping acted
    free, s_free, r_free = start.copy(), OptimizerState(), np.random.default_rng(3)
    for _ in range(4):
        train_epoch(free, x, y, loss, TrainConfig(eta=0.05, batch_size=16, **extra), s_free,
                    r_free)
    assert _max_diff(free, net) > 1e-4
