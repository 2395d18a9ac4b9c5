"""The guess bar of predict-then-reveal: type the step's result, Check (Enter) or
Reveal (R); the verdict and the lesson's tally are shown beside it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from nnviz.engine.reveal import MAX_GUESS_CHARS, Verdict
from nnviz.views.style import Style, current_style


class GuessBar(QFrame):
    """Asks for the hidden result; emits ``guessed(text)`` and ``reveal_requested``."""

    guessed = Signal(str)
    reveal_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guess-bar")
        self.question = QLabel()
        self.question.setObjectName("guess-question")
        self.question.setTextFormat(Qt.TextFormat.PlainText)
        self.question.setWordWrap(True)
        self.edit = QLineEdit()
        self.edit.setObjectName("guess-edit")
        self.edit.setMaxLength(MAX_GUESS_CHARS)
        self.edit.setPlaceholderText("your guess, e.g. 0.5933")
        self.edit.returnPressed.connect(self._on_return)
        self.check = QPushButton("Check")
        self.check.clicked.connect(self._on_return)
        self.reveal = QPushButton("Reveal (R)")
        self.reveal.clicked.connect(self.reveal_requested)
        self.verdict = QLabel()
        self.verdict.setObjectName("guess-verdict")
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict.setWordWrap(True)
        self.tally = QLabel()
        self.tally.setObjectName("guess-tally")
        self.tally.setTextFormat(Qt.TextFormat.PlainText)
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.addWidget(self.question, 0, 0, 1, 3)
        grid.addWidget(self.edit, 1, 0)
        grid.addWidget(self.check, 1, 1)
        grid.addWidget(self.reveal, 1, 2)
        grid.addWidget(self.verdict, 2, 0, 1, 3)
        grid.addWidget(self.tally, 3, 0, 1, 3)
        grid.setColumnStretch(0, 1)
        self.apply_style(current_style())
        self.hide()

    def ask(self, question: str, tally: str) -> None:
        """Show the bar for a hidden result (a new question clears the old guess)."""
        if question != self.question.text():
            self.edit.clear()
            self.verdict.clear()
        self.question.setText(question)
        self.tally.setText(tally)
        self.show()

    def done(self, tally: str) -> None:
        """The result is shown: keep the verdict and the tally, stop asking."""
        self.tally.setText(tally)
        self.edit.setEnabled(False)
        self.check.setEnabled(False)
        self.reveal.setEnabled(False)

    def reopen(self) -> None:
        for w in (self.edit, self.check, self.reveal):
            w.setEnabled(True)

    def show_verdict(self, v: Verdict) -> None:
        self.verdict.setText(v.message)
        s = current_style()
        colour = {"right": s.positive, "close": s.highlight, "wrong": s.negative}[v.kind]
        self.verdict.setStyleSheet(f"color:{colour}")

    def show_error(self, text: str) -> None:
        self.verdict.setText(text)
        self.verdict.setStyleSheet(f"color:{current_style().muted}")

    def _on_return(self) -> None:
        if self.edit.isEnabled():
            self.guessed.emit(self.edit.text())

    def apply_style(self, style: Style) -> None:
        for w, pt, bold in ((self.question, 11, False), (self.edit, 11, False),
                            (self.check, 10.5, False), (self.reveal, 10.5, False),
                            (self.verdict, 12, True), (self.tally, 10, False)):
            f = w.font()
            f.setPointSizeF(style.pt(pt))
            f.setBold(bold)
            w.setFont(f)
        self.setStyleSheet(f"#guess-bar {{ border: {max(1, round(2 * style.scale))}px solid "
                           f"{style.highlight}; }} #guess-tally {{ color: {style.muted}; }}")
