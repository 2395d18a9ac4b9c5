"""The Training lab's optimiser group, driven through the real main window."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt


def _lab(win, lesson="spiral"):
    assert win.open_lesson(lesson)
    win.show_lab("training")
    lab = win.current_lab
    assert lab.name == "training"
    return lab, lab.optimiser_box


def _pick(combo, data):
    combo.setCurrentIndex(combo.findData(data))
    combo.activated.emit(combo.currentIndex())


def test_choosing_adam_shows_its_settings_and_trains_with_it(main_window, qtbot):
    lab, box = _lab(main_window)
    _pick(box.optimiser, "adam")
    cfg = main_window.doc.config
    assert cfg.optimiser == "adam" and cfg.optimiser_spec()[0] == "adam"
    assert box.formula.text().replace("\xa0", " ").startswith("m ← β₁·m")   # (no-break spaces)
    assert box.spins["beta1"].isVisible() and not box.spins["momentum"].isVisible()
    box.spins["beta2"].setValue(0.99)
    assert dict(main_window.doc.config.hyper)["beta2"] == 0.99
    _pick(box.eps, 1e-6)
    assert dict(main_window.doc.config.hyper)["eps"] == 1e-6
    lab.ctl.run_epochs(2)
    opt = lab.ctl._opt.opt
    assert opt.name == "adam" and opt.hyper["beta2"] == 0.99 and opt.t == lab.ctl.steps
    _pick(box.optimiser, "nesterov")
    assert main_window.doc.config.momentum == 0.9 and box.spins["momentum"].isVisible()
    _pick(box.optimiser, "sgd")
    assert main_window.doc.config.optimiser_spec() == ("sgd", {})


def test_schedule_rows_and_the_rate_in_use(main_window, qtbot):
    lab, box = _lab(main_window)
    eta = main_window.doc.config.eta
    _pick(box.schedule, "step")
    assert box.gamma.isVisible() and box.every.isVisible() and not box.k.isVisible()
    box.every.setValue(2)
    box.gamma.setValue(0.5)
    lab.ctl.run_epochs(4)
    qtbot.wait(20)
    assert lab.ctl.current_rate() == pytest.approx(eta * 0.25)
    assert "η now = " in box.rate.text() and "(epoch 4)" in box.rate.text()
    assert box.rate.text().startswith("ηₑ = η·γ")   # the schedule's η_e written as ηₑ
    _pick(box.schedule, "inverse")
    assert box.k.isVisible() and not box.gamma.isVisible()


def test_early_stopping_marks_pauses_and_restore_puts_the_best_back(main_window, qtbot):
    lab, box = _lab(main_window, "overfitting")
    box.patience.setValue(3)
    assert main_window.doc.config.patience == 3
    ctl = lab.ctl
    ctl.doc.set_config(eta=3.0)   # a rate that overshoots: the test loss rises soon
    ctl.playback.play()
    qtbot.waitUntil(lambda: not ctl.playback.playing, timeout=30_000)
    best = ctl.early.best_epoch()
    assert best is not None and ctl.epoch - best == 3 and not ctl.blowup_message
    qtbot.wait(30)
    assert f"best test epoch: {best}" in box.best.text()
    assert box.marker.isVisible() and box.marker.value() == best   # marked on the loss chart
    assert box.marker in lab.curves.loss_plot.getPlotItem().items
    assert box.restore.isEnabled()
    qtbot.mouseClick(box.restore, Qt.MouseButton.LeftButton)
    assert np.array_equal(main_window.doc.network.get_params(), ctl.early.record.best_params)


def test_bad_values_from_the_boxes_change_nothing(main_window, qtbot):
    lab, box = _lab(main_window)
    before = main_window.doc.config
    box._hyper("beta1", 1.5)   # what a stray value would do: refused with a message
    assert main_window.doc.config == before


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720)])
def test_the_box_fits_the_side_panel_in_presentation_mode(main_window, qtbot, size):
    main_window.resize(*size)
    lab, box = _lab(main_window)
    _pick(box.optimiser, "adam")
    main_window.window_style.toggle_presentation()
    try:
        qtbot.wait(50)
        assert box.width() >= box.minimumSizeHint().width()
        for w in (box.optimiser, box.schedule, box.patience, box.restore):
            assert w.width() >= min(w.sizeHint().width(), w.minimumSizeHint().width())
    finally:
        main_window.window_style.toggle_presentation()


def test_one_control_sets_the_momentum(main_window, qtbot):
    """Knowledge in one place: the optimiser box's μ is the lab's only momentum control."""
    from PySide6.QtWidgets import QAbstractSpinBox

    lab, box = _lab(main_window)
    _pick(box.optimiser, "momentum")
    lab._side_scroll.ensureWidgetVisible(box)
    setters = []
    for spin in lab.findChildren(QAbstractSpinBox):
        if not spin.isVisibleTo(lab):
            continue
        before = main_window.doc.config.momentum
        spin.stepBy(-1)
        spin.stepBy(-1)
        if main_window.doc.config.momentum != before:
            setters.append(spin)
    assert setters == [box.spins["momentum"]]
