"""Predict, then reveal in the Training lab: a step the user takes (→, 1 epoch, 1 batch,
1 sample) with predict mode on (Q) is trained at once, but its new losses stay hidden —
the readout shows "?" and the curves stop at the last point shown — until the class has
said whether the training loss and the test loss went up or down, or R reveals them.
The bar under the readout asks, takes the answers (▲ up / ▼ down) and then shows both
losses before and after with the verdicts and the lesson's tally."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from nnviz.controllers.reveal import RevealController
from nnviz.engine.core.naming import fmt
from nnviz.engine.teaching.reveal import Verdict
from nnviz.views.layouts import nest
from nnviz.views.style import Style, current_style

if TYPE_CHECKING:
    from nnviz.views.training.lab import TrainingLab

#: the losses asked about: key, name on screen, index in the controller's scores
LOSSES = (("train", "Training loss", 0), ("test", "Test loss", 1))
MODE_TEXT = ("Predict mode on: take a step (→, 1 epoch, 1 batch) and its new losses stay "
             "hidden until the class predicts up or down, or R reveals them")


def _trend(before: float, after: float) -> str:
    return "up" if after > before else "down" if after < before else "unchanged"


@dataclass
class Question:
    """One hidden step (or several taken before the class answered)."""

    key: tuple
    shown: int                            # history rows shown while it is hidden
    before: dict[str, float]              # losses when it was asked, by LOSSES key
    after: dict[str, float] = field(default_factory=dict)
    steps: int = 1
    answers: dict[str, str] = field(default_factory=dict)   # "up" / "down", by key

    def asked(self) -> list[str]:
        """The losses the class is asked about (a data set without a test set: one)."""
        return [k for k, _n, _i in LOSSES
                if np.isfinite(self.before.get(k, np.nan)) and np.isfinite(self.after.get(k, np.nan))]


class TrendBar(QFrame):
    """"Up or down?" for each loss, Reveal (R), then the losses before and after."""

    answered = Signal(str, str)    # loss key, "up" or "down"
    reveal_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("predict-bar")
        self.question = QLabel()
        self.question.setObjectName("predict-question")
        self.question.setTextFormat(Qt.TextFormat.PlainText)
        self.question.setWordWrap(True)
        self.tally = QLabel()
        self.tally.setObjectName("predict-tally")
        lay = QVBoxLayout(self)   # each row shares out its own width
        lay.setContentsMargins(6, 4, 6, 4)
        lay.setSpacing(2)
        rows = [QHBoxLayout() for _ in range(3)]
        for row in rows:
            nest(lay, row)
        rows[0].addWidget(self.question, 1)
        rows[0].addWidget(self.tally, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.names: dict[str, QLabel] = {}
        self.buttons: dict[tuple[str, str], QPushButton] = {}
        for key, name, _i in LOSSES:
            self.names[key] = label = QLabel(name)
            rows[1].addWidget(label)
            for way, text in (("up", "▲ up"), ("down", "▼ down")):
                b = QPushButton(text)
                b.setObjectName(f"predict-{key}-{way}")
                b.setCheckable(True)
                b.clicked.connect(lambda _c=False, k=key, w=way: self.answered.emit(k, w))
                self.buttons[key, way] = b
                rows[1].addWidget(b)
            rows[1].addSpacing(12)
        rows[1].addStretch(1)
        self.reveal = QPushButton("Reveal (R)")
        self.reveal.setObjectName("predict-reveal")
        self.reveal.clicked.connect(self.reveal_requested)
        rows[1].addWidget(self.reveal)
        self.result = QLabel()
        self.result.setObjectName("predict-result")
        self.result.setTextFormat(Qt.TextFormat.RichText)
        self.result.setWordWrap(True)
        rows[2].addWidget(self.result, 1)
        self.apply_style(current_style())
        self.hide()

    def apply_style(self, style: Style) -> None:
        for w, pt, bold in ((self.question, 12, True), (self.result, 12, False),
                            (self.reveal, 11, False), (self.tally, 10, False),
                            *((w, 11, True) for w in self.names.values()),
                            *((w, 11, False) for w in self.buttons.values())):
            f = w.font()
            f.setPointSizeF(style.pt(pt))
            f.setBold(bold)
            w.setFont(f)
        self._style = style
        self.tally.setMinimumWidth(self.tally.sizeHint().width())
        self.setStyleSheet(f"#predict-bar {{ border: {max(1, round(2 * style.scale))}px solid "
                           f"{style.highlight}; }} #predict-tally {{ color: {style.muted}; }}")


class TrainingReveal(QObject):
    """The Training lab's side of the shared :class:`RevealController`."""

    def __init__(self, lab: TrainingLab, controller: RevealController | None) -> None:
        super().__init__(lab)
        self.lab = lab
        self.rc = controller if controller is not None else RevealController(self)
        self.bar = TrendBar()
        self.q: Question | None = None
        self._serial = 0
        self.bar.answered.connect(self._on_answer)
        self.bar.reveal_requested.connect(self.reveal)
        self.rc.changed.connect(self._on_changed)

    # ------------------------------------------------------------ state
    def lesson(self) -> str:
        lesson = self.lab.doc.lesson
        return lesson.name if lesson is not None else ""

    def hidden(self) -> bool:
        """Are the losses of the step on screen hidden?"""
        return self.q is not None and self.rc.hidden(self.q.key)

    def _losses(self) -> dict[str, float]:
        scores = self.lab.ctl.scores_now()
        return {k: float(scores[i][0]) for k, _n, i in LOSSES}

    # ------------------------------------------------------------ a user's step
    def step(self, take) -> None:
        """Take a user's step (``take()``); in predict mode its new losses are hidden."""
        ctl = self.lab.ctl
        if not self.rc.enabled or ctl.playback.playing:
            self.drop()
            take()
            return
        if self.hidden():   # asked and not answered yet: the question covers both steps
            q = self.q
            q.steps += 1
        else:
            self._serial += 1
            q = Question((self.lesson(), "training", self._serial), len(ctl.history),
                         self._losses())
        take()
        q.after = self._losses()
        q.key = (*q.key[:3], q.steps)   # a new question for the class: answered afresh
        q.answers = {}
        self.q = q if q.asked() else None
        self.sync()
        self.lab.position_changed.emit()

    def drop(self) -> None:
        """Forget the question (Play, Back, Reset, another lesson: it no longer fits)."""
        if self.q is not None:
            self.q = None
            self.sync()
            self.lab.position_changed.emit()

    # ------------------------------------------------------------ answers
    def _on_answer(self, key: str, way: str) -> None:
        q = self.q
        if q is None or not self.hidden() or key not in q.asked():
            return
        q.answers[key] = way
        for w in ("up", "down"):
            self.bar.buttons[key, w].setChecked(w == way)
        right = way == _trend(q.before[key], q.after[key])
        name = dict((k, n) for k, n, _i in LOSSES)[key]
        self.rc.judged((q.key, key), self.lesson(),
                       Verdict("right" if right else "wrong",
                               f"{name}: {'right' if right else 'not quite'}", 0.0))
        if all(k in q.answers for k in q.asked()):
            self.rc.reveal(q.key)       # both said: show the losses
        else:
            self.sync()

    def reveal(self) -> bool:
        if not self.hidden():
            return False
        self.rc.reveal(self.q.key)
        return True

    def _on_changed(self) -> None:
        """The mode switched or a result was revealed (in any lab: the controller is shared)."""
        if not self.rc.enabled:
            self.q = None
        self.sync()
        self.lab.position_changed.emit()
        self.lab.pacer.request()

    # ------------------------------------------------------------ on screen
    def prompt(self) -> str:
        """What the caption bar says in predict mode."""
        if not self.rc.enabled:
            return ""
        if self.hidden():
            return ("Predict before the losses are shown: up or down? Click ▲ or ▼ for each "
                    "loss, or press R to reveal them.")
        if self.q is not None:
            return "The losses are shown. Take the next step (→) and predict again."
        return "Predict mode: take a step (→ or 1 epoch); its new losses stay hidden until you predict."

    def shown_history(self, h: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """The history as the curves may show it: without the rows of a hidden step."""
        if not self.hidden():
            return h
        return {k: v[:self.q.shown] for k, v in h.items()}

    def sync(self) -> None:
        """Show, refresh or hide the bar."""
        bar, q = self.bar, self.q
        if not self.rc.enabled:
            bar.hide()
            return
        bar.tally.setText(self.rc.tally_text(self.lesson()))
        bar.tally.setMinimumWidth(bar.tally.sizeHint().width())   # the question wraps first
        asked = q.asked() if q is not None else []
        hidden = self.hidden()   # the answers asked for only while the losses are hidden
        for key, _name, _i in LOSSES:
            bar.names[key].setVisible(hidden and key in asked)
            for way in ("up", "down"):
                b = bar.buttons[key, way]
                b.setVisible(hidden and key in asked)
                b.setChecked(q is not None and q.answers.get(key) == way)
        bar.reveal.setVisible(hidden)
        if q is None:
            bar.question.setText("Predict mode: take a step (→, 1 epoch, 1 batch). Its new "
                                 "losses stay hidden until you say up or down.")
            bar.result.setText("")
        else:
            what = "this step" if q.steps == 1 else f"these {q.steps} steps"
            bar.question.setText(f"Did each loss go up or down? ({what})" if hidden
                                 else f"After {what}:")
            bar.result.setText("" if hidden else self._result_html(q))
        bar.result.setVisible(bool(bar.result.text()))
        bar.show()

    def _result_html(self, q: Question) -> str:
        s = current_style()
        parts = []
        for key, name, _i in LOSSES:
            if key not in q.asked():
                continue
            b, a = q.before[key], q.after[key]
            way = _trend(b, a)
            arrow = {"up": "▲", "down": "▼"}.get(way, "=")
            text = f"<b>{name}</b> {fmt(round(b, 4))} → <b>{fmt(round(a, 4))}</b> {arrow} {way}"
            said = q.answers.get(key)
            if said is not None:
                ok = said == way
                verdict = f"(you said {said}: {'right' if ok else 'not quite'})"
                text += f" <span style='color:{s.positive if ok else s.negative}'>{verdict}</span>"
            parts.append(text)
        return "<br>".join(parts)


class PredictHooks:
    """The Training lab's steps and predict-mode hooks (see nnviz.views.lab_base); mixed
    into it: a step forward goes through the mode, a step back drops its question."""

    def step_forward(self) -> None:
        self.reveal.step(self.ctl.step_epoch)

    def step_back(self) -> None:
        self.reveal.drop()
        if not self.ctl.step_back():
            self.status.emit("Nothing to step back to: Back undoes the last training step "
                             "or run of Play; the last change was not training (Edit > Undo "
                             "undoes it).")

    def predict_mode_text(self) -> str:
        return MODE_TEXT

    def reveal_current(self) -> bool:
        return self.reveal.reveal()

    def result_hidden(self) -> bool:
        return self.reveal.hidden()


def install(lab: TrainingLab, controller: RevealController | None) -> TrainingReveal:
    """The lab's predict mode: the bar under the readout, the step buttons through it, and
    the question dropped by whatever makes it moot (Play, Back, Reset, another lesson)."""
    reveal = TrainingReveal(lab, controller)
    lab.centralWidget().layout().insertWidget(1, reveal.bar)
    panel = lab.run_panel
    panel.take_step = reveal.step
    for button in (panel.back, panel.reset, panel.revert):
        button.clicked.connect(reveal.drop)
    lab.ctl.playback.playing_changed.connect(lambda on: on and reveal.drop())
    lab.doc.lesson_changed.connect(reveal.drop)
    return reveal
