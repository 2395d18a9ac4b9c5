"""Extreme settings are refused or bounded by the widgets, with a message."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSpinBox


def _editor(win):
    lab = win.current_lab
    assert lab.name == "workbench"
    lab.dock_editor.show()
    lab.dock_editor.raise_()
    return lab.editor


def test_learning_rate_1e6_is_refused_with_a_message(main_window, qtbot):
    ed = _editor(main_window)
    eta0 = main_window.doc.config.eta
    ed.eta.setFocus()
    ed.eta.selectAll()
    qtbot.keyClicks(ed.eta, "1e6")
    qtbot.keyClick(ed.eta, Qt.Key.Key_Return)
    assert main_window.doc.config.eta == eta0
    assert "refused" in ed.message.text() and "1000" in ed.message.text()


def test_neuron_counts_are_bounded(main_window, qtbot):
    from nnviz.engine.core.edit import MAX_NEURONS

    ed = _editor(main_window)
    spin = ed.layers.cellWidget(0, 0)
    assert isinstance(spin, QSpinBox)
    assert spin.minimum() == 1 and spin.maximum() == MAX_NEURONS
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "10000")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert main_window.doc.network.sizes[1] <= MAX_NEURONS
    spin.selectAll()
    qtbot.keyClicks(spin, "0")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert main_window.doc.network.sizes[1] >= 1


def test_too_many_layers_are_refused_with_a_message(main_window, qtbot):
    from nnviz.engine.core.edit import MAX_HIDDEN_LAYERS

    ed = _editor(main_window)
    for _ in range(MAX_HIDDEN_LAYERS + 3):
        qtbot.mouseClick(ed.add_layer, Qt.MouseButton.LeftButton)
    assert main_window.doc.network.n_layers - 1 == MAX_HIDDEN_LAYERS
    assert "at most" in ed.message.text()


def test_training_learning_rate_is_bounded(main_window, qtbot):
    assert main_window.open_lesson("spiral")
    lab = main_window.current_lab
    eta = lab.run_panel.eta
    assert eta.maximum() == 1000
    eta.setFocus()
    eta.selectAll()
    qtbot.keyClicks(eta, "1000000")
    qtbot.keyClick(eta, Qt.Key.Key_Return)
    assert main_window.doc.config.eta <= 1000
