"""The training controller's schedule, optimiser choice and early stopping."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture
def ctl(training_ctl):
    return training_ctl


def test_the_current_rate_follows_the_schedule(ctl):
    ctl.doc.load_lesson("spiral")
    ctl.doc.set_config(eta=0.2, schedule="step", lr_gamma=0.5, lr_every=2)
    assert ctl.current_rate() == 0.2
    ctl.run_epochs(2)
    assert ctl.current_rate() == 0.1
    ctl.run_epochs(2)
    assert ctl.current_rate() == 0.05


def test_the_live_fast_path_and_the_step_path_agree_under_a_schedule(ctl):
    ctl.doc.load_lesson("spiral")
    ctl.doc.set_config(schedule="inverse", lr_k=0.5, optimiser="adam", eta=0.01)
    start = ctl.doc.network.get_params()
    ctl.run_epochs(3)  # step by step
    stepped = ctl.doc.network.get_params()
    ctl.doc.network.set_params(start)
    ctl._restart(clear_history=True)
    ctl._rng = np.random.default_rng(ctl.doc.lesson.seed)
    for _ in range(3):
        assert ctl.fast.epochs(0.0)  # a past deadline: one whole epoch a call
    assert ctl.epoch == 3 and ctl._opt.opt.name == "adam" and ctl._opt.opt.t == ctl.steps
    assert np.max(np.abs(ctl.doc.network.get_params() - stepped)) < 1e-10
    assert not np.allclose(stepped, start)


def test_early_stopping_pauses_and_restores_the_best_epoch(ctl, qtbot):
    ctl.doc.load_lesson("overfitting")
    ctl.doc.set_config(patience=3)
    messages = []
    ctl.doc.message.connect(messages.append)
    # a test loss that rises after epoch 2: fake it by a test-loss sequence
    losses = iter([1.0, 0.8, 0.5, 0.6, 0.7, 0.9, 1.0, 1.1])
    import nnviz.controllers.training.scores as tr
    real = tr.score_parts

    def fake(out, parts, loss, threshold):
        a, b = real(out, parts, loss, threshold)
        return a, (next(losses), b[1])
    tr.score_parts = fake
    try:
        ctl._restart(clear_history=True)
        ctl._record()                         # epoch 0
        params_at = {}
        ctl.playback.play()
        for _ in range(7):
            if not ctl.playback.playing:
                break
            ctl.run_epochs(1)
            params_at[ctl.epoch] = ctl.doc.network.get_params()
    finally:
        tr.score_parts = real
    assert ctl.early.best_epoch() == 2
    assert not ctl.playback.playing and ctl.epoch == 5
    assert any("Early stopping" in m and "epoch 2" in m for m in messages)
    assert ctl.early.restore_best()
    assert np.array_equal(ctl.doc.network.get_params(), params_at[2])
    assert ctl.step_back()  # the restore is undoable
    assert np.array_equal(ctl.doc.network.get_params(), params_at[5])
