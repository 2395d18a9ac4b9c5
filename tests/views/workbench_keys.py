"""Key presses as a user makes them: to the widget with the focus (the lab's own keys
reach a lab through its focused widget), else to the window."""

from __future__ import annotations

from PySide6.QtCore import Qt


def press(qtbot, win, key, n=1, mod=Qt.KeyboardModifier.NoModifier):
    for _ in range(n):
        qtbot.keyClick(win.focusWidget() or win, key, mod)
