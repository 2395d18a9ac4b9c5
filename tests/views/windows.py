"""Finding the dialogs and windows a test must answer or must not leave behind, without
enumerating every top-level widget of the process.

``QApplication.topLevelWidgets()`` wraps every top-level widget in a Python object:
hundreds of pyqtgraph's never-shown context menus and Qt's own popups, and the widgets of
earlier tests' windows waiting for deletion. Two CI runs crashed (SIGSEGV) inside that
call, in test code; nnviz itself never makes it. These helpers look only at what belongs
to the window under test, and at the native windows that exist (``topLevelWindows``)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QWidget


def visible_dialogs(win: QWidget, kind: type = QDialog) -> list:
    """The visible dialogs of ``kind`` parented (at any depth) to ``win``, and the active
    modal widget if it is one."""
    found = [d for d in win.findChildren(kind) if d.isVisible()]
    modal = QApplication.activeModalWidget()
    if isinstance(modal, kind) and modal not in found:
        found.append(modal)
    return found


def other_windows(win: QWidget, allowed: tuple[type, ...] = ()) -> list:
    """Visible native windows other than ``win``'s and those of its children of the
    ``allowed`` kinds (dialogs, floating docks)."""
    own = {win.windowHandle()}
    for kind in allowed:
        own.update(w.windowHandle() for w in win.findChildren(kind))
    return [w for w in QGuiApplication.topLevelWindows()
            if w.isVisible() and w not in own]


def describe_timer(timer) -> str:
    """A timer as a failure message names it: interval and the classes of its parents."""
    chain, obj = [], timer.parent()
    while obj is not None:
        chain.append(type(obj).__name__ + (f"({obj.objectName()})" if obj.objectName() else ""))
        obj = obj.parent()
    return f"{timer.interval()} ms timer of " + " < ".join(chain)


def open_menu(win, title: str, qtbot):
    """Open the menu bar's menu ``title`` as a user does (a click on its title), close it
    again (Escape), and return it: its entries built at first opening are then there."""
    from PySide6.QtCore import Qt

    bar = win.menuBar()
    action = next(a for a in bar.actions() if a.text().replace("&", "") == title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                     pos=bar.actionGeometry(action).center())
    menu = action.menu()
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not menu.isVisible())
    return menu
