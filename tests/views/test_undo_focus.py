"""Undo and redo (Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y) work wherever the focus is: the
inspector's spin box after typing a weight and Enter, a slider, the graph. Real window,
real key presses."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _undo(qtbot, w):
    qtbot.keyClick(w, Qt.Key.Key_Z, CTRL)


def _redo(qtbot, w, how):
    if how == "ctrl+shift+z":
        qtbot.keyClick(w, Qt.Key.Key_Z, CTRL_SHIFT)
    else:
        qtbot.keyClick(w, Qt.Key.Key_Y, CTRL)


@pytest.fixture
def workbench(main_window, qtbot):
    win = main_window
    assert win.open_lesson("mazur-2-2-2")
    win.activateWindow()
    lab = win.current_lab
    lab.graph.edge_clicked.emit(1, 0, 0)      # select w5 in the inspector
    qtbot.waitUntil(lambda: lab.inspector.spin.isEnabled())
    return win, lab


@pytest.mark.parametrize("redo", ["ctrl+shift+z", "ctrl+y"])
def test_undo_in_the_inspector_spin_box_after_typing_and_enter(workbench, qtbot, redo):
    win, lab = workbench
    spin = lab.inspector.spin
    spin.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is spin)
    spin.selectAll()
    qtbot.keyClicks(spin, "0.5")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert win.doc.network.weights[1][0, 0] == 0.5
    assert QApplication.focusWidget() is spin      # where focus stays
    _undo(qtbot, spin)
    assert win.doc.network.weights[1][0, 0] == 0.4
    qtbot.waitUntil(lambda: spin.value() == pytest.approx(0.4))   # the panel follows
    _redo(qtbot, spin, redo)
    assert win.doc.network.weights[1][0, 0] == 0.5
    qtbot.waitUntil(lambda: spin.value() == pytest.approx(0.5))


def test_undo_while_typing_undoes_the_typing_first(workbench, qtbot):
    """Text typed but not yet entered is the spin box's own to undo (as in any Qt app);
    the document is untouched."""
    win, lab = workbench
    spin = lab.inspector.spin
    spin.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is spin)
    spin.selectAll()
    qtbot.keyClicks(spin, "7")
    _undo(qtbot, spin)
    assert win.doc.network.weights[1][0, 0] == 0.4
    assert win.doc.undo_stack.count() == 0


def test_undo_with_a_slider_focused(workbench, qtbot):
    win, lab = workbench
    slider = lab.inspector.slider
    slider.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is slider)
    qtbot.keyClick(slider, Qt.Key.Key_Up)
    changed = float(win.doc.network.weights[1][0, 0])
    assert changed != 0.4
    _undo(qtbot, slider)
    assert win.doc.network.weights[1][0, 0] == 0.4
    _redo(qtbot, slider, "ctrl+y")
    assert win.doc.network.weights[1][0, 0] == changed


def test_undo_with_the_graph_focused(workbench, qtbot):
    win, lab = workbench
    win.doc.set_weight(1, 0, 0, 0.25)
    lab.graph.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    target = QApplication.focusWidget()
    assert target is lab.graph or lab.graph.isAncestorOf(target)
    _undo(qtbot, target)
    assert win.doc.network.weights[1][0, 0] == 0.4
    _redo(qtbot, target, "ctrl+shift+z")
    assert win.doc.network.weights[1][0, 0] == 0.25


def test_undo_with_a_neuron_lab_slider_focused(main_window, qtbot):
    win = main_window
    assert win.open_lesson("perceptron-and")
    win.activateWindow()
    page = win.current_lab.perceptron_page
    from PySide6.QtWidgets import QSlider

    slider = page.findChildren(QSlider)[0]
    slider.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is slider)
    before = page.ctl.current_aug().copy() if hasattr(page.ctl, "current_aug") else None
    w0 = tuple(page.ctl.perceptron_weights()) if hasattr(page.ctl, "perceptron_weights") \
        else None
    value = slider.value()
    qtbot.keyClick(slider, Qt.Key.Key_Up)
    assert slider.value() != value
    _undo(qtbot, slider)
    qtbot.wait(20)
    assert slider.value() == value
    _redo(qtbot, slider, "ctrl+y")
    qtbot.wait(20)
    assert slider.value() != value
    del before, w0
