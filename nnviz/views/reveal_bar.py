"""The guess bar of predict-then-reveal: type the step's result, Check (Enter) or
Reveal (R); the verdict and the lesson's tally are shown beside it. :class:`LabReveal`
is a lab's side of the shared :class:`RevealController`: it asks the lab for the
question on screen and drives the bar."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from nnviz.controllers.reveal import RevealController
from nnviz.engine.teaching.reveal import MAX_GUESS_CHARS, Verdict
from nnviz.views.fit import unbreakable
from nnviz.views.layouts import nest
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
        # the question says what to guess; the example and the buttons' words are short
        # so that the field and both buttons fit the Equation panel's width at 1024x768
        # in F5 ("e.g. 0.5933" and "Reveal (R)" widened the dock by 81 px: the graph lost
        # its neurons' names and its bias values wrapped)
        self.edit.setPlaceholderText("e.g. 0.59")
        self.edit.returnPressed.connect(self._on_return)
        self.check = QPushButton("Check")
        self.check.clicked.connect(self._on_return)
        self.reveal = QPushButton("Reveal")   # its key, R, is in the caption bar's prompt
        self.reveal.setToolTip("Show the hidden result (R)")
        self.reveal.clicked.connect(self.reveal_requested)
        self.verdict = QLabel()
        self.verdict.setObjectName("guess-verdict")
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict.setWordWrap(True)
        self.tally = QLabel()
        self.tally.setObjectName("guess-tally")
        self.tally.setTextFormat(Qt.TextFormat.PlainText)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(4, 4, 4, 4)
        self._rows = (QHBoxLayout(), QHBoxLayout())   # the guess row, the result row
        self.rows = 0
        self._verdict_hidden = False   # hidden by a one-row bar
        self._place(3)
        self.apply_style(current_style())
        self.hide()

    def _place(self, rows: int) -> None:
        """Three rows (question; guess and buttons; verdict and tally), two (question,
        guess and buttons on one line) where a lab's pictures need the height, or one
        (the tally beside the buttons; the verdict said by the lab's caption bar, see
        :meth:`LabReveal.prompt`) where they need more: the Convolution lab in F5, whose
        backward grids under a two-row bar were colours only at 1024x768 and 1280x720.
        In three rows each row shares its width out alone (in one grid the tally's width
        made the Reveal button as wide and left the guess field a few pixels: "y…")."""
        self.rows = rows
        grid, right = self.grid, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
        for lay in (grid, *self._rows):
            for w in (self.question, self.edit, self.check, self.reveal, self.verdict,
                      self.tally):
                lay.removeWidget(w)
        for row in self._rows:
            grid.removeItem(row)
        for c in range(5):
            grid.setColumnStretch(c, 0)
        # hidden in one row; shown again only if hidden here (shown explicitly while the
        # bar had no parent, the label left the window's clicker keys dead)
        if rows == 1 and not self.verdict.isHidden():
            self.verdict.hide()
            self._verdict_hidden = True
        elif rows > 1 and self._verdict_hidden:
            self.verdict.show()
            self._verdict_hidden = False
        if rows == 1:
            for c, w in enumerate((self.question, self.edit, self.check, self.reveal)):
                grid.addWidget(w, 0, c)
            grid.addWidget(self.tally, 0, 4, Qt.AlignmentFlag.AlignRight |
                           Qt.AlignmentFlag.AlignVCenter)
            grid.setColumnStretch(1, 1)
        elif rows == 2:
            grid.addWidget(self.question, 0, 0)
            grid.addWidget(self.edit, 0, 1)
            grid.addWidget(self.check, 0, 2)
            grid.addWidget(self.reveal, 0, 3)
            grid.addWidget(self.verdict, 1, 0, 1, 3)
            grid.addWidget(self.tally, 1, 3, right)
            grid.setColumnStretch(1, 1)
        else:
            guess, result = self._rows
            grid.addWidget(self.question, 0, 0)
            guess.addWidget(self.edit, 1)
            guess.addWidget(self.check)
            guess.addWidget(self.reveal)
            result.addWidget(self.verdict, 1)
            result.addWidget(self.tally, 0, right)
            nest(grid, guess, 1, 0)
            nest(grid, result, 2, 0)
            grid.setColumnStretch(0, 1)

    def set_compact(self, on: bool) -> None:
        """Two rows instead of three (the question beside the guess)."""
        self.set_rows(2 if on else 3)

    def set_rows(self, rows: int) -> None:
        """Three, two or one row(s) (:meth:`_place`)."""
        if rows != self.rows:
            self.question.setWordWrap(rows == 3)
            self._place(rows)

    def verdict_text(self) -> str:
        """The verdict on the last guess, or why it was not judged ('' if none)."""
        return self.verdict.text()

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
        # room for the whole example whatever the row leaves (a longer guess scrolls)
        fm = self.edit.fontMetrics()
        self.edit.setMinimumWidth(fm.horizontalAdvance(self.edit.placeholderText()) + 12)
        self.setStyleSheet(f"#guess-bar {{ border: {max(1, round(2 * style.scale))}px solid "
                           f"{style.highlight}; }} #guess-tally {{ color: {style.muted}; }}")


#: (key, name of the hidden value, value) of the question on screen, or None
Question = tuple[Hashable, str, float] | None


class LabReveal(QObject):
    """One lab's predict-then-reveal: ``question()`` names what is on screen; the lab asks
    :meth:`hidden` while it draws and calls :meth:`sync` after. ``said`` after each guess
    (the caption bar says the verdict where the bar is one row)."""

    said = Signal()

    def __init__(self, lab, controller: RevealController | None,
                 question: Callable[[], Question]) -> None:
        super().__init__(lab)
        self.lab = lab
        self.question = question
        self.rc = controller if controller is not None else RevealController(self)
        self.bar = GuessBar()
        self.bar.guessed.connect(self._on_guess)
        self.bar.reveal_requested.connect(self.reveal)

    def lesson(self) -> str:
        lesson = self.lab.doc.lesson
        return lesson.name if lesson is not None else ""

    def hidden(self) -> bool:
        """Is the result of the question on screen hidden?"""
        q = self.question()
        return q is not None and self.rc.hidden(q[0])

    def prompt(self) -> str:
        """What the caption bar says in predict mode about the question on screen: what
        to predict and how to see it while it is hidden, what next once it is shown; ""
        when the mode is off or nothing is asked."""
        q = self.question()
        if not self.rc.enabled or q is None:
            return ""
        if self.rc.hidden(q[0]):
            # one short line: the guess bar under it asks the question too, and a longer
            # prompt took the Convolution lab's numbers' room at 1024x768 in F5
            ask = f"Predict {q[1]} before it is shown: Enter checks a guess, press R reveals it."
            said = self.bar.verdict_text() if self.bar.rows == 1 else ""
            return f"{ask}\n{said}" if said else ask
        return f"{q[1]} is shown. Press → for the next step."

    def reveal(self) -> bool:
        q = self.question()
        if q is None or not self.rc.hidden(q[0]):
            return False
        self.rc.reveal(q[0])
        return True

    def sync(self) -> None:
        """Show, refresh or hide the guess bar for the question on screen."""
        q = self.question()
        if not self.rc.enabled or q is None:
            self.bar.hide()
            return
        tally = self.rc.tally_text(self.lesson())
        # short, and the name never broken ("Your guess for ∂E_total/" | "∂w5:" at
        # 1024x768 in F5, in the panel's 368 px)
        self.bar.ask(f"Guess {unbreakable(q[1])}:", tally)
        if self.rc.hidden(q[0]):
            self.bar.reopen()
        else:
            self.bar.done(tally)

    def _on_guess(self, text: str) -> None:
        q = self.question()
        if q is None or not self.rc.hidden(q[0]):
            return
        try:
            v = self.rc.guess(q[0], self.lesson(), text, q[2])
        except ValueError as e:
            self.bar.show_error(str(e))
            self.said.emit()
            return
        self.bar.show_verdict(v)
        self.sync()
        self.said.emit()
