"""Tables and lists that are refilled as the user works hold only items Qt made itself.

A Python-made QTableWidgetItem/QListWidgetItem that the table later deletes (setItem
over it, fewer rows, clear) can crash the app in shiboken (a segmentation fault in
``setItem`` of the Workbench's example table, caught by the monkey test on CI); see
nnviz/views/cells.py. These tests walk the real window through the views that refill
such widgets and check every item's origin, and that editing the example table by
keyboard still works, many times over (the path that crashed).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
     QLineEdit,
    QListWidget,
    QTableWidget,
)

LESSONS = ["mazur-2-2-2", "perceptron-nand", "mp-neuron", "softmax-outputs", "conv-edge"]


def _items(w):
    if isinstance(w, QTableWidget):
        cells = [w.item(r, c) for r in range(w.rowCount()) for c in range(w.columnCount())]
    else:
        cells = [w.item(i) for i in range(w.count())]
    return [i for i in cells if i is not None]


def _python_made(win) -> dict[str, int]:
    out = {}
    for w in win.findChildren(QTableWidget) + win.findChildren(QListWidget):
        n = sum(shiboken6.createdByPython(i) for i in _items(w))
        if n:
            out[w.objectName() or type(w).__name__] = n
    return out


def test_refilled_widgets_hold_only_items_qt_made(main_window, qtbot):
    win = main_window
    filled = 0
    for name in LESSONS:
        assert win.open_lesson(name)
        for _ in range(4):          # the Workbench's list of steps fills as it steps
            QTest.keyClick(win, Qt.Key.Key_Right)
        QTest.keyClick(win, Qt.Key.Key_Left)
        QApplication.processEvents()
        filled += sum(len(_items(w)) for w in win.findChildren(QTableWidget))
        assert _python_made(win) == {}, name
    QTest.keyClick(win, Qt.Key.Key_G)      # the lesson picker fills its list
    qtbot.waitUntil(lambda: win.findChild(QListWidget) is not None)
    QApplication.processEvents()
    assert _python_made(win) == {}
    assert filled > 20    # the walk did fill tables (the check above is not vacuous)


def test_typing_into_the_example_table_many_times(main_window, qtbot):
    win = main_window
    assert win.open_lesson("mazur-2-2-2")
    lab = win.current_lab
    lab.dock_editor.show()
    table = lab.editor.example
    qtbot.waitUntil(table.isVisible)
    for k in range(25):
        row = k % 2
        table.setCurrentCell(row, 0)
        table.setFocus()
        QTest.keyClick(table, Qt.Key.Key_F2)
        editors = [e for e in table.findChildren(QLineEdit) if e.isVisible()]
        assert len(editors) == 1      # (closed editors linger until deleteLater)
        editor = editors[0]
        editor.selectAll()
        QTest.keyClicks(editor, f"0.{k + 10}")
        QTest.keyClick(editor, Qt.Key.Key_Return)   # the delegate commits on a queued call
        qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
        assert win.doc.example_x[row] == float(f"0.{k + 10}")
        assert float(table.item(row, 0).text()) == float(f"0.{k + 10}")
        assert not shiboken6.createdByPython(table.item(row, 0))
