"""Plots keep sensible, steady ranges: a dragged universality bar does not move the axes
under the mouse; the learning-slowdown plots at epoch 0 show epochs from 0 with no SI
prefix. Real window, real mouse."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest


def _wait_for_steady_layout(qtbot, plot) -> None:
    """Until the plot has kept its size (and so its auto range) for 100 ms: the lab's
    panels take their sizes over a few passes of the event loop after a lesson opens, and
    on a busy machine a fixed wait was too short."""
    seen: list = [None, 0.0]   # the last state, and since when it has been so

    def steady() -> bool:
        state = (plot.size(), [list(r) for r in plot.getViewBox().viewRange()])
        if state != seen[0]:
            seen[:] = [state, time.monotonic()]
        return time.monotonic() - seen[1] >= 0.1

    qtbot.waitUntil(steady, timeout=5000)


def test_dragging_a_bar_keeps_the_plot_range(main_window, qtbot):
    win = main_window
    assert win.open_lesson("universality-bumps")
    lab = win.current_lab
    plots = lab.plots
    qtbot.waitUntil(lambda: not plots._timer.isActive())
    vb = plots.main.getViewBox()
    _wait_for_steady_layout(qtbot, plots.main)
    i = int(np.argmax(lab.ctl.readouts.heights()))
    centre = plots.bars.bar_centre(i)
    vp = plots.graphics.viewport()
    start = plots.graphics.mapFromScene(vb.mapViewToScene(QPointF(centre.x(), centre.y())))
    top = plots.graphics.mapFromScene(vb.mapViewToScene(QPointF(centre.x(),
                                                                vb.viewRange()[1][1])))
    end = QPoint(start.x(), max(2, top.y() - 5))   # to the top edge: the tallest bar yet
    before = [list(r) for r in vb.viewRange()]
    QTest.mouseMove(vp, start)
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for k in range(1, 9):
        QTest.mouseMove(vp, start + (end - start) * (k / 8))
        qtbot.wait(20)
        assert [list(r) for r in vb.viewRange()] == before, f"range moved at step {k}"
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    assert lab.ctl.readouts.heights()[i] > centre.y()          # the drag did set the height
    assert lab.doc.undo_stack.count() >= 1


def test_slowdown_plots_at_epoch_0_show_epochs_from_0(main_window, qtbot):
    win = main_window
    assert win.open_lesson("learning-slowdown")
    page = win.current_lab.slow_page
    qtbot.wait(50)
    for plot in (page.curves_plot, page.loss_plot):
        lo, hi = plot.getViewBox().viewRange()[0]
        assert -1 < lo <= 0 and 9 < hi < 12
        axis = plot.getAxis("bottom")
        assert axis.labelText == "epoch" and axis.autoSIPrefixScale == 1.0
        assert "x0.001" not in axis.labelString() and "×" not in axis.labelString()
    for _ in range(30):
        qtbot.mouseClick(page.step_btn, Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    lo, hi = page.loss_plot.getViewBox().viewRange()[0]
    assert lo <= 0 and 29 < hi < 33


def test_the_perceptron_step_is_one_vertical_jump(main_window, qtbot):
    """The perceptron's output over w is drawn as its corners: flat at 0, one vertical
    jump at w = 1 (z = w*1 - 1 = 0, where the > 0 rule still gives 0), flat at 1."""
    win = main_window
    assert win.open_lesson("perceptron-vs-sigmoid")
    page = win.current_lab.compare_page
    x, y = page.curves["perceptron"].getData()
    assert x.tolist() == [-3.0, 1.0, 1.0, 5.0]
    assert y.tolist() == [0.0, 0.0, 1.0, 1.0]
    xs, ys = page.curves["sigmoid"].getData()
    np.testing.assert_allclose(ys, 1 / (1 + np.exp(-(xs - 1))), rtol=1e-12)
