"""Predict, then reveal in the Workbench: the current micro-step's result stays hidden
(in the Equation panel, the list of steps and the graph) until it is guessed right or
revealed (R)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from nnviz.controllers.reveal import RevealController
from nnviz.engine.stepping.trace import Trace, TraceState
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
        st, mx = self.lab.stepper, self.lab.matrix
        if mx.active:   # the matrix view: the result's first entry is asked
            from nnviz.engine.stepping.matrix_tokens import Mat  # (with the matrix view)
            from nnviz.views.workbench.matrix_view import result_mat

            step = mx.step
            if mx.trace is None or step is None or not isinstance(step.lines[-1][-1], Mat):
                return None
            m = result_mat(step)
            where = " (first entry)" if m.values.size > 1 else ""
            return ((self.lesson(), "matrix", st.t, mx.batch, mx.m), f"{m.name}{where}",
                    float(np.asarray(m.values).reshape(-1)[0]))
        if st.trace is None or st.step is None:
            return None
        return self._key(st.k), st.step.equation.lhs, st.step.value

    def _key(self, k: int) -> tuple:
        return self.lesson(), "workbench", self.lab.stepper.t, k

    def hidden_at(self, k: int) -> bool:
        """Will micro-step ``k``'s result be hidden when it is shown (predict mode, not
        yet guessed or revealed)?"""
        return self.rc.hidden(self._key(k))

    def state(self, trace: Trace, k: int) -> TraceState:
        """What the graph may show while step ``k``'s result is hidden: what was known
        before it, with step ``k`` lit (an update is not lit: its arrow would give the
        old value as the new one)."""
        step = trace.steps[k - 1]
        lit = None if step.kind.startswith("update") else step
        return replace(trace.state_at(k - 1), k=k, step=lit)
