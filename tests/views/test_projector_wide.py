"""The wide network's lesson (wide-784-100-10, 782 micro-steps) in the real main window at
the projector sizes in presentation mode (F5): the Equation panel never scrolls sideways
and shows the step's result, and the graph shows the active neuron's values although its
layer is too crowded for every neuron's. Its widest steps of each kind are reached by the
→ key (the whole pass at four sizes would take many minutes)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from nnviz.views.items.math_text import minus_signs, number
from tests.views.projector_fit import SIZES, _equation_fit_problems
from tests.views.projector_window import projector_window, set_presentation, settle

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


@pytest.mark.slow
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
        found += [p for p in [_result_problem(lab.equations, number(lab.stepper.step.value))] if p]
        problems += [f"step {k} ({lab.stepper.step.kind}): {p}" for p in found]
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems[:30])


def _active_values_problems(lab, want: list[str]) -> list[str]:
    """The graph's label of the active neuron's values: shown, with the neuron's name and
    each line of ``want``, inside the view, over no other text."""
    from nnviz.views.items.graph_place import overlapping
    from tests.views.graph_geometry import texts_outside_view

    shown = [t for t in lab.graph.label_texts() if want[0] in t.split("\n")]
    if len(shown) != 1:
        return [f"{len(shown)} labels with {want[0]!r} shown: {shown}"]
    lines = shown[0].split("\n")
    problems = [f"{w!r} not in {lines}" for w in map(minus_signs, want) if w not in lines]
    problems += texts_outside_view(lab.graph)
    problems += [f"{a!r} overlaps {b!r}" for a, b in overlapping(lab.graph.text_rects())]
    return problems


@pytest.mark.slow
def test_the_active_hidden_neuron_shows_its_values(window, qtbot):
    """In F5, the hidden layer of 100 neurons (too crowded for each one's values): at a
    forward step (→) the active neuron's name, net and out beside it in the graph, and at
    its backward step its δ too, inside the view and over no other text (they showed
    nothing there); at the start of the pass none."""
    from nnviz.views.workbench.present import short

    win = window
    set_presentation(win, qtbot, True)
    assert win.open_lesson(LESSON)
    settle()
    lab = win.current_lab
    tr, nm = lab.stepper.trace, win.doc.naming
    problems = []
    picks = [next(i + 1 for i, s in enumerate(tr.steps) if s.kind == kind and s.layer == 1
                  and s.neuron == 26) for kind in ("net", "out", "delta")]
    for k in picks:
        _step_to(win, qtbot, lab, k)
        st = tr.state_at(k)
        want = [nm.label(1, 26).replace("^", "").replace("_", ""), f"net {short(st.net[0][26])}"]
        if st.out_known[1][26]:
            want.append(f"out {short(st.out[1][26])}")
        if st.delta_known[0][26]:
            want.append(f"δ {short(st.delta[0][26])}")
        problems += [f"step {k}: {p}" for p in _active_values_problems(lab, want)]
    lab.stepper.set_position(0)
    settle(2)
    if any(t.startswith(("net ", "out ")) for x in lab.graph.label_texts() for t in x.split("\n")):
        problems.append("values shown at the start of the pass")
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)
