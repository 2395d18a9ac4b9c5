"""Learning-rate schedules against their formulas; the trainers follow them; early stopping."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnviz.engine.core.losses import get_loss
from nnviz.engine.core.network import Network
from nnviz.engine.learning.fast import FastTrainer
from nnviz.engine.learning.schedules import SCHEDULES, EarlyStopping
from nnviz.engine.learning.training import OptimizerState, TrainConfig, train_epoch, train_step
from nnviz.engine.sets.datasets import encode_labels, generate


def test_each_schedule_follows_its_formula():
    eta = 0.3
    for e in range(0, 40):
        assert TrainConfig(eta=eta).rate(e) == eta
        cfg = TrainConfig(eta=eta, schedule="step", lr_gamma=0.5, lr_every=7)
        assert cfg.rate(e) == pytest.approx(eta * 0.5 ** math.floor(e / 7), rel=1e-15)
        cfg = TrainConfig(eta=eta, schedule="exponential", lr_gamma=0.9)
        assert cfg.rate(e) == pytest.approx(eta * math.exp(e * math.log(0.9)), rel=1e-13)
        cfg = TrainConfig(eta=eta, schedule="inverse", lr_k=0.25)
        assert cfg.rate(e) == pytest.approx(eta / (1 + 0.25 * e), rel=1e-15)
    # the step schedule's first drop is at epoch s
    cfg = TrainConfig(eta=1.0, schedule="step", lr_gamma=0.1, lr_every=3)
    assert [cfg.rate(e) for e in range(7)] == pytest.approx([1, 1, 1, 0.1, 0.1, 0.1, 0.01])
    assert all(SCHEDULES[n].formula.startswith("η_e") for n in SCHEDULES)


@pytest.mark.parametrize("bad", [dict(schedule="cosine"), dict(lr_gamma=0.0),
                                 dict(lr_gamma=1.5), dict(lr_every=0), dict(lr_every=2.5),
                                 dict(lr_k=-1.0), dict(lr_k=float("inf")), dict(patience=-1)])
def test_bad_schedule_settings_are_refused(bad):
    with pytest.raises(ValueError):
        TrainConfig(**bad).validate()


def _setup(seed=0):
    x, labels = generate("circle", 300, 0.0, seed)
    y = encode_labels(labels, 1, "pm1")
    net = Network.create([2, 5, 1], "tanh", np.random.default_rng(seed), init="uniform",
                         init_scale=0.5, bias=0.1)
    return x[:120], y[:120], net


@pytest.mark.parametrize("name", ["step", "exponential", "inverse"])
@pytest.mark.parametrize("opt", ["momentum", "adam"])
def test_the_trainers_use_the_rate_of_each_epoch(name, opt):
    x, y, net = _setup()
    cfg = TrainConfig(eta=0.05, batch_size=12, schedule=name, lr_gamma=0.6, lr_every=2,
                      lr_k=0.5, optimiser=opt, momentum=0.5 if opt == "momentum" else 0.0)
    loss = get_loss("mse")
    ref, fast, const = net.copy(), net.copy(), net.copy()
    s1, s2 = OptimizerState(), OptimizerState()
    r1, r2 = np.random.default_rng(1), np.random.default_rng(1)
    for _ in range(5):
        train_epoch(ref, x, y, loss, cfg, s1, r1)
    FastTrainer(fast, loss, cfg, s2).train_epochs(x, y, r2, 5)
    assert max(float(np.max(np.abs(a - b)))
               for a, b in zip(ref.get_params(), fast.get_params())) < 1e-11
    # and it is not the constant rate
    train_epoch(const, x, y, loss, TrainConfig(eta=0.05, batch_size=12, optimiser=opt,
                                               momentum=cfg.momentum),
                OptimizerState(), np.random.default_rng(1))
    assert not np.allclose(const.get_params(), ref.get_params())


def test_a_single_step_uses_the_rate_of_the_epoch_it_is_told():
    x, y, net = _setup()
    cfg = TrainConfig(eta=0.4, schedule="inverse", lr_k=1.0)
    a, b = net.copy(), net.copy()
    rec = train_step(a, x, y, get_loss("mse"), cfg, OptimizerState(), epoch=3)
    np.testing.assert_allclose(a.weights[0], b.weights[0] - 0.1 * rec.grads[0].dw, rtol=1e-14)


def test_early_stopping_marks_the_best_epoch_and_counts_patience():
    es = EarlyStopping()
    losses = [0.9, 0.5, 0.6, 0.4, 0.45, 0.41, float("nan"), 0.5]
    for e, loss in enumerate(losses):
        es.observe(e, loss, np.full(3, float(e)))
    assert es.best_epoch == 3 and es.best_loss == 0.4
    assert np.array_equal(es.best_params, np.full(3, 3.0))
    assert es.should_stop(4) and not es.should_stop(5) and not es.should_stop(0)
    es.reset()
    assert es.best_epoch is None and not es.should_stop(1)


def test_the_best_parameters_are_a_copy():
    es = EarlyStopping()
    p = np.ones(2)
    es.observe(0, 1.0, p)
    p[0] = 5.0
    assert es.best_params[0] == 1.0
