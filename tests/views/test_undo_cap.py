"""The undo history's byte cap follows the network's size after a structure edit made in
the real window (issue 17, item 12): Network > Add hidden layer and a bigger layer make
every later step hold more, so fewer steps are kept; Ctrl+Z still undoes them."""

from __future__ import annotations

from PySide6.QtCore import Qt

from nnviz.controllers.undo_bytes import command_bytes


def test_a_bigger_network_mid_session_keeps_fewer_steps(main_window, qtbot):
    win = main_window
    assert win.open_lesson("mazur-2-2-2")
    win.show_lab("workbench")
    doc, stack = win.doc, win.doc.undo_stack
    for i in range(40):  # many small steps
        doc.set_weight(0, 0, 0, 0.01 * i)
    small = command_bytes(stack.command(stack.count() - 1))
    stack.max_bytes = 60 * small
    assert stack.count() == 40
    lab = win.labs["workbench"]
    lab.dock_editor.raise_()
    ed = lab.editor
    qtbot.mouseClick(ed.add_layer, Qt.MouseButton.LeftButton)  # Add hidden layer
    assert doc.network.sizes == [2, 2, 2, 2]
    spin = ed.layers.cellWidget(1, 0)  # the new hidden layer: 40 neurons
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "40")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert doc.network.sizes == [2, 2, 40, 2]
    for i in range(12):
        doc.set_weight(1, 3, 1, 0.5 + 0.01 * i)
    big = command_bytes(stack.command(stack.count() - 1))
    assert big > 8 * small
    assert stack.held_bytes() <= stack.max_bytes
    assert stack.count() < 40 + 2 + 12  # the oldest small steps went
    win.activateWindow()
    value = doc.network.weights[1][3, 1]
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert doc.network.weights[1][3, 1] != value
    assert doc.network.weights[1][3, 1] == 0.5 + 0.01 * 10
