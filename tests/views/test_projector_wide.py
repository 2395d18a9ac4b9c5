"""The wide network's lesson (wide-784-100-10, 782 micro-steps) in the real main window at
the projector sizes in presentation mode (F5): the Equation panel never scrolls sideways
and shows the step's result, and the graph shows the active neuron's values although its
layer is too crowded for every neuron's. Its widest steps of each kind are reached by the
→ key (the whole pass at four sizes would take many minutes)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from nnviz.engine.core.naming import fmt
from tests.views.projector_window import projector_window, set_presentation, settle
from tests.views.test_projector_fit import SIZES, _equation_fit_problems

LESSON = "wide-784-100-10"


@pytest.fixture(scope="module", params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def window(request, qapp, tmp_path_factory):
    yield from projector_window(request.param, tmp_path_factory, "wide")


def _widest_steps(trace, per_kind: int = 3) -> list[int]:
    """The positions (1-based) of the steps of each kind whose longest stage is longest,
    and the first and last of each kind."""
    kinds: dict[str, list[tuple[int, int]]] = {}
    for i, s in enumerate(trace.steps):
        longest = max(len(t) for t in s.equation.text().split(" = "))
        kinds.setdefault(s.kind, []).append((longest, i + 1))
    out = set()
    for found in kinds.values():
        out |= {k for _n, k in sorted(found)[-per_kind:]}
        out |= {min(k for _n, k in found), max(k for _n, k in found)}
    return sorted(out)


def _step_to(win, qtbot, lab, k: int) -> None:
    """Position ``k`` reached by the → key from the step before it."""
    lab.stepper.set_position(k - 1)
    settle(1)
    lab.graph.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_Right)
    settle(3)
    assert lab.stepper.k == k


def _result_problem(eq, value: str) -> str | None:
    cursor = eq.text.document().find(value)
    if cursor.isNull() or eq.text.cursorRect(cursor).bottom() > eq.text.viewport().height():
        return f"result {value} not in view"
    return None


def test_the_wide_lessons_equations_fit_the_panel(window, qtbot):
    """Each kind of step's widest equations, reached by →, in F5: no line wider than the
    panel (no sideways scrolling), broken only at spaces, no type below 18 pt, the result
    in view. At 1024x768 the output step's 1/(1+e^(-(-0.52047755))) was 370 px wide in a
    348 px panel (its exponent in full-size type after a literal "^")."""
    win = window
    set_presentation(win, qtbot, True)
    assert win.open_lesson(LESSON)
    settle()
    lab = win.current_lab
    problems = []
    for k in _widest_steps(lab.stepper.trace):
        _step_to(win, qtbot, lab, k)
        found = _equation_fit_problems(lab.equations)
        found += [p for p in [_result_problem(lab.equations, fmt(lab.stepper.step.value))] if p]
        problems += [f"step {k} ({lab.stepper.step.kind}): {p}" for p in found]
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems[:30])
