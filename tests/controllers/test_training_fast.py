"""Full-speed slices: one FastTrainer call for a slice's epochs, the epochs' losses scored
in one batched pass afterwards. Everything must be what training one epoch a call (the
path before) or step by step gives: the network, the counters, the whole loss history,
early stopping's epoch and weights, a blow-up's step."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture
def ctl(training_ctl):
    return training_ctl


def _play(ctl, lesson: str, path: str, setup=None) -> dict:
    """Play ``lesson`` until it pauses by itself. ``path``: "slices" (this module's),
    "epochs" (one epoch a call, scored from the network: the path before) or "steps"
    (no fast trainer). Slices never run out of time here, so a slice holds as many epochs
    as it may, and whatever pauses play does so in the middle of one."""
    ctl.doc.load_lesson(lesson)
    if setup is not None:
        setup(ctl)
    ctl.clock.over = lambda deadline: False
    calls = []
    real_cap = ctl.fast.slice_cap
    if path == "epochs":
        ctl.fast.slice_cap = lambda trainer: 1
        ctl.fast.slice_scores = lambda trainer, rows: [
            ctl._scores() if ctl.history.wants(ctl.epoch + 1) and trainer.params_finite()
            else None]
    elif path == "steps":
        ctl.fast.trainer = lambda: None
    else:
        ctl.fast.slice_cap = lambda trainer: calls.append(real_cap(trainer)) or calls[-1]
    messages = []
    ctl.doc.message.connect(messages.append)
    ctl.blowup.connect(messages.append)
    ctl.playback.play()
    for _ in range(20):
        if not ctl.playback.playing:
            break
        ctl._tick()
    assert not ctl.playback.playing
    ctl.doc.message.disconnect(messages.append)
    ctl.blowup.disconnect(messages.append)
    return {"params": ctl.doc.network.get_params(), "epoch": ctl.epoch, "steps": ctl.steps,
            "history": ctl.history.arrays(), "best": ctl.early.best_epoch(),
            "best_params": ctl.early.record.best_params, "messages": messages, "caps": calls,
            "net": ctl.doc.network.copy()}


def _same(a: dict, b: dict, tol: float = 1e-12) -> None:
    assert (a["epoch"], a["steps"], a["best"]) == (b["epoch"], b["steps"], b["best"])
    np.testing.assert_allclose(a["params"], b["params"], rtol=0, atol=tol)
    for k, v in a["history"].items():
        np.testing.assert_allclose(v, b["history"][k], rtol=tol, atol=tol, err_msg=k)
    assert a["messages"] == b["messages"]


def _notes_dropout(ctl):
    ctl.doc.set_config(dropout=0.2, dropout_mode="notes", momentum=0.5)


def _schedule_and_a_short_history(ctl):
    """A rate that halves every 7 epochs; a history of at most 16 points, so it thins
    (every 2nd, 4th, ... epoch recorded) in the middle of slices."""
    ctl.doc.set_config(schedule="step", lr_gamma=0.5, lr_every=7, optimiser="adam",
                       eta=0.01)
    ctl.history.cap = 16


@pytest.mark.parametrize("lesson, setup", [("spiral", None), ("spiral", _notes_dropout),
                                           ("spiral", _schedule_and_a_short_history),
                                           ("keras-lab", None)])
def test_slices_train_and_record_what_one_epoch_a_call_does(ctl, lesson, setup):
    """Play to the lesson's epoch count: tanh + MSE, with the notes' dropout (outgoing
    weights x (1 - p) when scored) and momentum, and keras-lab's softmax + cross-entropy
    with inverted dropout on the digits."""
    slices = _play(ctl, lesson, "slices", setup)
    assert len(slices["caps"]) >= 1 and slices["caps"][0] > 1   # many epochs in a call
    epochs = _play(ctl, lesson, "epochs", setup)
    assert slices["epoch"] == ctl.doc.lesson.epochs
    _same(slices, epochs)
    if ctl.history.cap > ctl.doc.lesson.epochs:
        assert len(slices["history"]["epoch"]) == ctl.doc.lesson.epochs + 1
    else:
        assert ctl.history.stride > 1 and len(slices["history"]["epoch"]) <= 17


def test_early_stopping_stops_in_a_slice_at_the_same_epoch_with_the_same_weights(ctl):
    """overfitting with patience 5 stops at epoch 207 of 800: inside a slice that trained
    past it, which goes back to epoch 207 (network, optimiser, generator)."""
    def patience(c):
        c.doc.set_config(patience=5)

    slices = _play(ctl, "overfitting", "slices", patience)
    assert slices["caps"][-1] > 1 and slices["epoch"] < ctl.doc.lesson.epochs
    assert any("Early stopping" in m for m in slices["messages"])
    epochs = _play(ctl, "overfitting", "epochs", patience)
    _same(slices, epochs)
    np.testing.assert_allclose(slices["best_params"], epochs["best_params"], rtol=0,
                               atol=1e-12)
    assert slices["best"] < slices["epoch"]
    ctl.doc.set_config(patience=0)
    ctl.playback.play()
    ctl._tick()
    assert ctl.epoch > epochs["epoch"]


def test_a_blow_up_inside_a_slice_pauses_at_the_step_where_step_by_step_training_does(ctl):
    """eta 0.5 with a ReLU layer and a linear output blows up in epoch 11 of spiral: the
    slice goes back to the start of that epoch and replays it step by step."""
    def unstable(c):
        c.doc.set_config(eta=0.5)
        c.edits.set_activation(2, "linear")
        c.edits.set_activation(0, "relu")

    slices = _play(ctl, "spiral", "slices", unstable)
    assert slices["caps"] and slices["caps"][0] > slices["epoch"] > 1
    assert ctl.blowup_message and ctl.doc.network.is_finite()
    epochs = _play(ctl, "spiral", "epochs", unstable)
    _same(slices, epochs)
    steps = _play(ctl, "spiral", "steps", unstable)
    # the same step (the weights themselves differ in the 4th digit: on the way to a
    # blow-up the fast path's rounding, ~1e-16 a step, has grown a billion times)
    assert (steps["epoch"], steps["steps"]) == (slices["epoch"], slices["steps"])
    assert steps["messages"] and steps["net"].is_finite()


def test_the_fast_part_keeps_one_trainer_per_network_optimiser_and_settings(ctl):
    """ctl.fast's own state: the FastTrainer made for the network, the optimiser state and
    the settings is kept while they stay (its buffers are reused), and made again when one
    of them changes or the run is replaced (forget)."""
    ctl.doc.load_lesson("spiral")
    fast = ctl.fast
    first = fast.trainer()
    assert first is not None and fast.trainer() is first
    ctl.step_epoch()
    assert fast.trainer() is first            # the same run: the same trainer
    ctl.doc.set_config(eta=ctl.doc.config.eta / 2)
    second = fast.trainer()
    assert second is not None and second is not first   # other settings
    fast.forget()
    third = fast.trainer()
    assert third is not None and third is not second     # a replaced run
    # one slice's rows of parameters are reused while they are large enough
    rows = fast._snapshot_rows(4, third.P.size)
    assert rows.shape == (4, third.P.size) and fast._snapshot_rows(3, third.P.size) is rows
    assert fast._snapshot_rows(5, third.P.size) is not rows
