"""A panel over the whole main window (the shortcut sheet, the lesson picker).

While it is open it has the keyboard: the window's shortcuts (clicker keys, Esc for
presentation mode, the labs' keys) do not reach the lab behind it. Esc or the key that
opened it closes it, and so does a click outside the panel.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPainter
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from nnviz.views.style import Style, current_style


class Overlay(QWidget):
    """Dims the window and shows ``self.panel`` in its middle; subclasses fill the panel."""

    closed = Signal()
    #: the keys that close the overlay besides Esc (the key that opened it)
    close_keys: tuple[str, ...] = ()

    def __init__(self, parent: QWidget, title: str) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.panel = QFrame(self)
        self.panel.setObjectName("overlay-panel")
        self.title = QLabel(title)
        self.title.setObjectName("overlay-title")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.body = QVBoxLayout(self.panel)
        self.body.addWidget(self.title)
        self.style_ = current_style()
        self.hide()
        parent.installEventFilter(self)

    # ------------------------------------------------------------ showing
    def open(self) -> None:
        self.apply_style(current_style())
        self._fit()
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def close_overlay(self) -> None:
        if self.isVisible():
            self.hide()
            self.closed.emit()
            parent = self.parentWidget()
            if parent is not None:
                parent.setFocus(Qt.FocusReason.OtherFocusReason)

    def toggle(self) -> None:
        self.close_overlay() if self.isVisible() else self.open()

    def _fit(self) -> None:
        """Cover the window; the panel takes most of it (a margin shows it is an overlay)."""
        r = self.parentWidget().rect()
        self.setGeometry(r)
        mx, my = max(8, r.width() // 30), max(8, r.height() // 30)
        self.panel.setGeometry(r.adjusted(mx, my, -mx, -my))

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        f = self.title.font()
        f.setPointSizeF(self.font().pointSizeF() * 1.3)
        f.setBold(True)
        self.title.setFont(f)
        self.panel.setStyleSheet(
            f"#overlay-panel {{ background: {style.background}; border: "
            f"{max(2, round(3 * style.scale))}px solid {style.highlight}; }}"
            f"#overlay-title {{ color: {style.foreground}; }}")

    # ------------------------------------------------------------ events
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if obj is self.parentWidget() and event.type() == QEvent.Type.Resize and \
                self.isVisible():
            self._fit()
        return False

    def event(self, e: QEvent) -> bool:
        # while open, the window's shortcuts must not act on the lab behind the overlay
        if e.type() == QEvent.Type.ShortcutOverride and self.isVisible():
            e.accept()
            return True
        return super().event(e)

    def is_close_key(self, event) -> bool:
        if event.key() == Qt.Key.Key_Escape:
            return True
        pressed = QKeySequence(event.keyCombination()).toString()
        return pressed in self.close_keys

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.is_close_key(event):
            self.close_overlay()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not self.panel.geometry().contains(event.position().toPoint()):
            self.close_overlay()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(0, 0, 0, 150))
        p.end()
