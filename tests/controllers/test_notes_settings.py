"""Settings the notes give that a lab must keep: the keras lab's U(±0.05) on Reset."""

from __future__ import annotations

import numpy as np

from nnviz.controllers.document import Document
from nnviz.controllers.training.controller import TrainingController


def test_keras_lab_reset_draws_from_the_lessons_uniform_0_05(qtbot):
    doc = Document()
    ctl = TrainingController(doc)
    try:
        doc.load_lesson("keras-lab")
        assert doc.lesson.init == ("uniform", 0.05, 0.0)
        ctl.edits.reset()
        ws = doc.network.weights
        biggest = max(float(np.max(np.abs(w))) for w in ws)
        assert 0.04 < biggest <= 0.05                       # U(±0.05), not U(±0.5)
        assert all(np.all(b == 0.0) for b in doc.network.biases)
    finally:
        ctl.shutdown()
        doc.undo_stack.blockSignals(True)


def test_play_stops_at_the_lessons_epoch_count(qtbot):
    """keras-lab-notes: model.fit(nb_epoch=50) - Play stops at epoch 50 (and goes on when
    played again)."""
    doc = Document()
    ctl = TrainingController(doc)
    try:
        doc.load_lesson("keras-lab-notes")
        assert doc.lesson.epochs == 50
        ctl.playback.play()
        qtbot.waitUntil(lambda: not ctl.playback.playing, timeout=120_000)
        assert ctl.epoch == 50
        ctl.playback.play()                                   # past the count: no longer stops there
        qtbot.waitUntil(lambda: ctl.epoch >= 51, timeout=30_000)
        ctl.playback.pause()
    finally:
        ctl.shutdown()
        doc.undo_stack.blockSignals(True)


def test_play_stops_at_the_lessons_epochs_on_the_fast_path(qtbot):
    doc = Document()
    ctl = TrainingController(doc)
    try:
        doc.load_lesson("spiral")
        target = doc.lesson.epochs
        assert target > 1 and ctl.fast.trainer() is not None
        ctl.playback.play()
        qtbot.waitUntil(lambda: not ctl.playback.playing, timeout=120_000)
        assert ctl.epoch == target
    finally:
        ctl.shutdown()
        doc.undo_stack.blockSignals(True)
