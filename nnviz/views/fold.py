"""Side-panel texts that give way on a short screen: a word-wrapped label that asks for
the height it really wraps to, and a long explanation that folds under a "▸ title" when
its panel has no room for it (a projector's short screen), so the panel never scrolls."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QBoxLayout, QLabel, QScrollArea, QToolButton, QVBoxLayout, QWidget


class WrapLabel(QLabel):
    """A word-wrapped plain-text label that asks for the height its font metrics wrap the
    text to (QLabel's own text layout may count a line fewer than it then draws)."""

    def wrapped_height(self, w: int) -> int:
        """The height the text wraps to at width ``w`` by its font metrics."""
        m = self.contentsMargins()
        inner = max(1, w - m.left() - m.right())
        br = self.fontMetrics().boundingRect(QRect(0, 0, inner, 100_000),
                                             Qt.TextFlag.TextWordWrap, self.text())
        return br.height() + m.top() + m.bottom()

    def heightForWidth(self, w: int) -> int:  # noqa: N802 - Qt API
        return max(super().heightForWidth(w), self.wrapped_height(w))

    def _fit(self) -> None:
        # QLabel's own heightForWidth never answers less than the minimum height: measured
        # with the minimum in place, a label once narrow (before presentation mode widened
        # the panel) kept the height of its wrapped lines for good
        self.setMinimumHeight(0)
        self.setMinimumHeight(self.heightForWidth(self.width()))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        if text == self.text():
            return  # (refitting would re-lay-out the whole panel: a live picture sets the
            # same explanation many times a second)
        super().setText(text)
        self._fit()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()


class RichWrapLabel(WrapLabel):
    """A word-wrapped rich-text label (bold, sub- and superscripts from the app's own
    texts, never from a file) that asks for the height its text document wraps to."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)

    def wrapped_height(self, w: int) -> int:
        m = self.contentsMargins()
        doc = QTextDocument()
        doc.setDefaultFont(self.font())
        doc.setDocumentMargin(0)
        doc.setHtml(self.text())
        doc.setTextWidth(max(1, w - m.left() - m.right()))
        return math.ceil(doc.size().height()) + m.top() + m.bottom()


class Explanation(QWidget):
    """A long explanation under a "▸ title" toggle: unfolded while the side panel has room
    for it, folded when it would make the panel scroll (a projector's short screen); a
    click on the toggle unfolds or folds it for good."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.toggle = QToolButton()
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toggle.setObjectName("explanation-toggle")
        self.toggle.clicked.connect(self._clicked)
        self.text = WrapLabel(text)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(self.text)
        self.chosen = False       # the user folded or unfolded it: no more automatic folding
        self._open = False
        self.set_open(True)

    def is_open(self) -> bool:
        return self._open

    def set_open(self, on: bool) -> None:
        self._open = on
        self.toggle.setText(f"{'▾' if on else '▸'} {self.title}")
        self.toggle.setToolTip(f"{'Fold' if on else 'Unfold'} the explanation")
        self.text.setVisible(on)

    def _clicked(self) -> None:
        self.chosen = True
        self.set_open(not self._open)

    def text_height(self) -> int:
        """The height the unfolded text adds to the panel (with its spacing)."""
        # (not heightForWidth: QLabel's answer is never below its minimum height, which
        # a folded text keeps from the width it had when last shown)
        return self.text.wrapped_height(self.width()) + self.layout().spacing()


class PanelFolder(QObject):
    """Keeps the panel of ``scroll`` (laid out by ``lay``) as tall as its wrapped texts need
    at its width (a QScrollArea gives its content only its layout's minimum, which
    under-counts wrapped labels), its ``explanation`` folded if the panel would not fit its
    view with it unfolded."""

    def __init__(self, lay: QBoxLayout, scroll: QScrollArea,
                 explanation: Explanation | None = None) -> None:
        super().__init__(scroll)
        self.lay = lay
        self.scroll = scroll
        self.panel = scroll.widget()
        self.explanation = explanation
        self.panel.installEventFilter(self)
        scroll.viewport().installEventFilter(self)   # its height: the room for the panel

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Resize) and (
                obj is self.panel or obj is self.scroll.viewport()):
            self.fit()
        return super().eventFilter(obj, event)

    def fit(self) -> None:
        lay = self.lay
        if not lay.hasHeightForWidth():
            return
        need = lay.heightForWidth(self.panel.width())
        ex = self.explanation
        if ex is not None and not ex.chosen:
            extra = ex.text_height()
            folded = need - extra if ex.is_open() else need
            room = self.scroll.viewport().height()
            if (folded + extra <= room) != ex.is_open():
                ex.set_open(not ex.is_open())
                need = folded + extra if ex.is_open() else folded
        if need != self.panel.minimumHeight():
            self.panel.setMinimumHeight(need)
