"""The goal-function field: one paragraph of plain text that wraps between its terms and
grows to as many lines as it needs, so a long goal ("0.2 + 0.4x^2 + 0.3x sin(15x) + 0.05
cos(50x)") is shown whole in a narrow side panel (a one-line field cut it off at
1024x768), its lines breaking between terms only. Enter applies it, as in a line
edit; a pasted line break becomes a space."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextOption
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QSizePolicy, QWidget

from nnviz.engine.labs.expr import MAX_LENGTH
from nnviz.views.fit import JOINER, NBSP, formula_breaks

#: the most characters the field takes: one more than the parser's limit, so a text that
#: long is refused with the parser's message, and a paste of a book cannot grow the field
MAX_GOAL_CHARS = MAX_LENGTH + 1


def _shown(text: str) -> str:
    """``text`` as the field shows it: breakable between terms only."""
    # a word joiner after an ASCII "-": Qt breaks a line there ("… cos(4 pi x) -" | "0.06…")
    return formula_breaks(text).replace(f"-{NBSP}", f"-{JOINER}{NBSP}")


def _shown_pos(shown: str, pos: int) -> int:
    """The place in ``shown`` of the place ``pos`` in the text without joiners."""
    count = 0
    for i, ch in enumerate(shown):
        if count == pos:
            return i
        count += ch != JOINER
    return len(shown)


class GoalEdit(QPlainTextEdit):
    """A wrapping text field with a line edit's interface: ``text()``, ``setText()``,
    ``setCursorPosition()`` and ``returnPressed``."""

    returnPressed = Signal()   # noqa: N815 - QLineEdit's name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("goal-edit")
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.document().setDocumentMargin(2)
        self.document().contentsChanged.connect(self._fit_height)

    # -- a line edit's interface ------------------------------------------------
    def text(self) -> str:
        return " ".join(self.toPlainText().split("\n")).replace(NBSP, " ").replace(JOINER, "")

    def setText(self, text: str) -> None:  # noqa: N802 - QLineEdit's name
        """Show ``text``, its lines breaking only between terms ("0.05 cos(50x)" whole)."""
        if _shown(text) != self.toPlainText():
            self.setPlainText(_shown(text))

    def setCursorPosition(self, pos: int) -> None:  # noqa: N802 - QLineEdit's name
        cursor = self.textCursor()
        cursor.setPosition(max(0, min(pos, len(self.toPlainText()))))
        self.setTextCursor(cursor)

    # -- typing and pasting -------------------------------------------------------
    def keyPressEvent(self, e: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._break_between_terms()
            self.returnPressed.emit()
            e.accept()
            return
        if e.text() and e.text().isprintable() and \
                len(self.toPlainText()) - len(self.textCursor().selectedText()) >= MAX_GOAL_CHARS:
            e.accept()
            return
        super().keyPressEvent(e)

    def _break_between_terms(self) -> None:
        """The typed text set to break between its terms only, the cursor kept."""
        shown = _shown(self.text())
        if shown != self.toPlainText():
            pos = self.textCursor().position()
            pos -= self.toPlainText()[:pos].count(JOINER)   # in the text without joiners
            self.setPlainText(shown)
            self.setCursorPosition(_shown_pos(shown, pos))

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt API
        if source.hasText():
            room = MAX_GOAL_CHARS - len(self.toPlainText()) + len(self.textCursor().selectedText())
            text = " ".join(source.text().split())[:max(0, room)]
            self.textCursor().insertText(text)

    # -- as tall as its lines ---------------------------------------------------------
    def _lines(self) -> int:
        n, block = 0, self.document().begin()
        while block.isValid():
            n += max(1, block.layout().lineCount())
            block = block.next()
        return max(1, n)

    def _height_for(self, lines: int) -> int:
        margins = self.contentsMargins()
        doc_margin = 2 * self.document().documentMargin()
        return int(lines * self.fontMetrics().lineSpacing() + doc_margin
                   + margins.top() + margins.bottom() + 2)

    def _fit_height(self) -> None:
        h = self._height_for(self._lines())
        if h != self.height() or h != self.minimumHeight():
            self.setFixedHeight(h)

    def resizeEvent(self, e) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(e)
        self._fit_height()

    def changeEvent(self, e) -> None:  # noqa: N802 - Qt API
        super().changeEvent(e)
        if e.type() == e.Type.FontChange:
            self._fit_height()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(super().sizeHint().width(), self._height_for(self._lines()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(120, self._height_for(1))
