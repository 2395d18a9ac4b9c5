"""Predict, then reveal in the Workbench: the current micro-step's result stays hidden
(in the Equation panel, the list of steps and the graph) until it is guessed right or
revealed (R)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from nnviz.controllers.reveal import RevealController
from nnviz.engine.trace import Trace, TraceState
from nnviz.views.reveal_bar import GuessBar

if TYPE_CHECKING:
    from nnviz.views.workbench import WorkbenchLab


class WorkbenchReveal(QObject):
    """The Workbench's side of the shared :class:`RevealController`."""

    def __init__(self, lab: WorkbenchLab, controller: RevealController | None) -> None:
        super().__init__(lab)
        self.lab = lab
        self.rc = controller if controller is not None else RevealController(self)
        self.bar = GuessBar()
        self.bar.guessed.connect(self._on_guess)
        self.bar.reveal_requested.connect(self.reveal)
        self.rc.changed.connect(lab.request_refresh)
        self.rc.changed.connect(lab.position_changed)   # the caption bar asks again

    def _lesson(self) -> str:
        lesson = self.lab.doc.lesson
        return lesson.name if lesson is not None else ""

    def key(self) -> tuple:
        st = self.lab.stepper
        return (self._lesson(), "workbench", st.t, st.k)

    def hidden(self) -> bool:
        """Is the current step's result hidden (the neuron view, a step shown)?"""
        st = self.lab.stepper
        return (st.trace is not None and st.k > 0 and not self.lab.matrix.active
                and self.rc.hidden(self.key()))

    def state(self, trace: Trace, k: int) -> TraceState:
        """What the graph may show while step ``k``'s result is hidden: what was known
        before it, with step ``k`` lit (an update is not lit: its arrow would give the
        old value as the new one)."""
        step = trace.steps[k - 1]
        lit = None if step.kind.startswith("update") else step
        return replace(trace.state_at(k - 1), k=k, step=lit)

    def reveal(self) -> bool:
        if not self.hidden():
            return False
        self.rc.reveal(self.key())
        return True

    def sync(self) -> None:
        """Show, refresh or hide the guess bar for the step on screen."""
        st = self.lab.stepper
        if not self.rc.enabled or st.step is None or self.lab.matrix.active:
            self.bar.hide()
            return
        self.bar.ask(f"Your guess for {st.step.equation.lhs}:", self.rc.tally_text(self._lesson()))
        if self.hidden():
            self.bar.reopen()
        else:
            self.bar.done(self.rc.tally_text(self._lesson()))

    def _on_guess(self, text: str) -> None:
        step = self.lab.stepper.step
        if step is None or not self.hidden():
            return
        try:
            v = self.rc.guess(self.key(), self._lesson(), text, step.value)
        except ValueError as e:
            self.bar.show_error(str(e))
            return
        self.bar.show_verdict(v)
        self.sync()
