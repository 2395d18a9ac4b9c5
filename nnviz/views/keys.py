"""Arrow keys belong to the widget being edited, clicker keys always step.

The clicker actions (Right/Left/Space/Backspace/Home and Page Up/Down) are
window-wide shortcuts. Qt gives a shortcut priority over the focused widget,
so without this guard Left/Right on a focused slider or spin box would step the
lab instead of moving the slider. Page Up/Page Down (what presentation
clickers send) are not guarded: they always step.

Undo and redo go the other way: a spin box would keep Ctrl+Z for its own text even
when nothing is typed (so after a weight was typed and entered, Ctrl+Z did nothing);
unless text is being typed, the window's Undo/Redo get them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

EDITING_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down,
                Qt.Key.Key_Space, Qt.Key.Key_Backspace, Qt.Key.Key_Home, Qt.Key.Key_End}
INPUT_WIDGETS = (QAbstractSlider, QAbstractSpinBox, QLineEdit, QComboBox, QTextEdit,
                 QPlainTextEdit, QAbstractItemView)


def is_undo_key(event) -> bool:
    """Ctrl+Z, Ctrl+Shift+Z or Ctrl+Y (and the platform's undo/redo keys)."""
    return (event.matches(QKeySequence.StandardKey.Undo)
            or event.matches(QKeySequence.StandardKey.Redo)
            or (event.key() == Qt.Key.Key_Y
                and event.modifiers() == Qt.KeyboardModifier.ControlModifier))


def typing_in(spin: QAbstractSpinBox) -> bool:
    """True while the spin box shows text that is not yet its value (typed, not entered):
    undoing that typing is the spin box's own business."""
    fixup = getattr(spin, "textFromValue", None)
    if fixup is None:
        return spin.lineEdit().isModified()
    shown = spin.prefix() + fixup(spin.value()) + spin.suffix()
    return spin.lineEdit().text() != shown


class InputKeyGuard(QObject):
    """A focused input widget of ``window`` keeps its editing keys.

    The filter sits on the focused widget only (moved on every focus change), not on the
    whole application: an application-wide Python filter would be called for every event
    of every widget, paint and timer events included.
    """

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._watched: QWidget | None = None
        QApplication.instance().focusChanged.connect(self._on_focus_changed)

    def _on_focus_changed(self, _old: QWidget | None, now: QWidget | None) -> None:
        if self._watched is not None:
            try:
                self._watched.removeEventFilter(self)
            except RuntimeError:  # already deleted
                pass
            self._watched = None
        if (isinstance(now, INPUT_WIDGETS) and self._window is not None
                and now.window() is self._window):
            now.installEventFilter(self)
            self._watched = now

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.ShortcutOverride:
            return False
        if is_undo_key(event) and isinstance(obj, QAbstractSpinBox) and not typing_in(obj):
            # a spin box would take Ctrl+Z for its text even when there is nothing typed
            # to undo (e.g. after Enter): the window's Undo/Redo get it
            event.ignore()
            return True
        if event.key() not in EDITING_KEYS or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        focus = QApplication.focusWidget()
        if (isinstance(focus, INPUT_WIDGETS) and focus.isEnabled() and obj is focus
                and focus.window() is self._window):
            event.accept()  # the widget gets the key press; the shortcut does not fire
            return True
        return False
