"""train_until's parameter rows and the batched scores of every epoch, against training
one epoch a call and scoring the network after each."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine.core.losses import get_loss
from nnviz.engine.core.network import Network
from nnviz.engine.learning import training as T
from nnviz.engine.learning.fast import FastTrainer
from nnviz.engine.learning.fast_scores import epoch_scores, params_of
from nnviz.engine.learning.monitor import evaluate_parts
from nnviz.engine.learning.training import TrainConfig, dropout_test_factor


def _setup(kind: str):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(60, 3))
    if kind == "softmax":
        net = Network.create([3, 5, 4], ["relu", "softmax"], rng=rng)
        y = np.eye(4)[rng.integers(0, 4, 60)]
        return net, x, y, get_loss("cross_entropy"), y.argmax(1)
    net = Network.create([3, 6, 4, 1], ["tanh", "sigmoid", "tanh"], rng=rng)
    net.use_bias[1] = False
    net.biases[1][:] = 0.0
    net.shared_bias[2] = True
    y = np.where(x[:, :1] * x[:, 1:2] > 0, 1.0, -1.0)
    return net, x, y, get_loss("mse"), (y[:, 0] > 0).astype(int)


@pytest.mark.parametrize("kind, cfg", [
    ("tanh", TrainConfig(eta=0.1, batch_size=7, momentum=0.5)),
    ("tanh", TrainConfig(eta=0.05, batch_size=8, dropout=0.3, dropout_mode="notes")),
    ("softmax", TrainConfig(eta=0.05, batch_size=10, optimiser="adam", l2=0.1)),
])
def test_one_call_equals_one_epoch_a_call_and_each_epochs_scores(kind, cfg):
    net, x, y, loss, labels = _setup(kind)
    ref = net.copy()
    tr = FastTrainer(net, loss, cfg)
    assert tr.fast, tr.reason
    snaps = np.empty((6, tr.P.size))
    assert tr.train_until(x[:40], y[:40], np.random.default_rng(1), lambda: False, 6,
                          snaps) == 6
    tr_ref = FastTrainer(ref, loss, cfg)
    rng = np.random.default_rng(1)
    parts = [(40, y[:40], labels[:40]), (20, y[40:], labels[40:])]
    f = dropout_test_factor(cfg.dropout, cfg.dropout_mode)
    scores = epoch_scores(tr, snaps, x, parts, loss, 0.0, f)
    for k in range(6):
        tr_ref.train_epoch(x[:40], y[:40], rng)
        assert np.array_equal(params_of(tr, snaps[k]), ref.get_params())
        want = evaluate_parts(T.test_time_network(ref, cfg.dropout, cfg.dropout_mode), x,
                              parts, loss, 0.0)
        np.testing.assert_allclose(np.array(scores[k]), np.array(want), rtol=1e-12,
                                   atol=1e-14)
    assert np.array_equal(net.get_params(), ref.get_params())
    assert tr.state.epochs == 6 and tr.state.steps == tr_ref.state.steps


def test_train_until_stops_at_the_first_epoch_that_is_not_finite_or_when_told():
    net, x, y, loss, _ = _setup("tanh")
    tr = FastTrainer(net, loss, TrainConfig(eta=0.1, batch_size=10))
    snaps = np.empty((5, tr.P.size))
    told = iter([False, True])
    assert tr.train_until(x, y, None, lambda: next(told), 5, snaps) == 2
    net.weights[0][0, 0] = np.inf
    with np.errstate(all="ignore"):
        assert tr.train_until(x, y, None, lambda: False, 5, snaps) == 1
    assert not np.isfinite(snaps[0]).all()
