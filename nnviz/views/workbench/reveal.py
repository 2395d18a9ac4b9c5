"""Predict, then reveal in the Workbench: the current micro-step's result stays hidden
(in the Equation panel, the list of steps and the graph) until it is guessed right or
revealed (R)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from nnviz.controllers.reveal import RevealController
from nnviz.engine.trace import Trace, TraceState
from nnviz.views.reveal_bar import LabReveal, Question

if TYPE_CHECKING:
    from nnviz.views.workbench import WorkbenchLab


class WorkbenchReveal(LabReveal):
    """The neuron view's question: the current micro-step's result."""

    def __init__(self, lab: WorkbenchLab, controller: RevealController | None) -> None:
        super().__init__(lab, controller, self._question)
        self.rc.changed.connect(lab.request_refresh)
        self.rc.changed.connect(lab.position_changed)   # the caption bar asks again

    def _question(self) -> Question:
        st = self.lab.stepper
        if st.trace is None or st.step is None or self.lab.matrix.active:
            return None
        return (self.lesson(), "workbench", st.t, st.k), st.step.equation.lhs, st.step.value

    def state(self, trace: Trace, k: int) -> TraceState:
        """What the graph may show while step ``k``'s result is hidden: what was known
        before it, with step ``k`` lit (an update is not lit: its arrow would give the
        old value as the new one)."""
        step = trace.steps[k - 1]
        lit = None if step.kind.startswith("update") else step
        return replace(trace.state_at(k - 1), k=k, step=lit)
