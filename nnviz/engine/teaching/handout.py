"""A handout: the worked example of a lesson up to a step, as a printable sheet.

The formulas are the micro-steps' own (the Equation panel's); after each phase a
figure block asks the writer for the network graph as it stands at the end of that
phase (key ``phase-<name>``, with :func:`phase_ends` giving the step counts).
"""

from __future__ import annotations

from nnviz.engine.core.naming import fmt
from nnviz.engine.stepping.trace import Trace
from nnviz.engine.stepping.worked import PHASE_TITLES
from nnviz.engine.teaching.exercise import network_values
from nnviz.engine.teaching.lessons import Lesson, loss_of
from nnviz.engine.teaching.sheet import Sheet


def phase_ends(trace: Trace, upto: int) -> dict[str, int]:
    """phase -> the number of micro-steps done at the end of that phase (within ``upto``)."""
    ends: dict[str, int] = {}
    for s in trace.steps[:upto]:
        ends[s.phase] = s.index
    return ends


def handout_sheet(lesson: Lesson, trace: Trace, upto: int | None = None) -> Sheet:
    """The sheet of ``lesson``'s worked step up to micro-step ``upto`` (all of it if None)."""
    upto = len(trace) if upto is None else max(0, min(int(upto), len(trace)))
    net, nm = trace.net_before, trace.naming
    loss = loss_of(lesson)
    whole = upto == len(trace)
    sheet = Sheet(lesson.title)
    if lesson.description:
        sheet.add("text", lesson.description)
    if lesson.source:
        sheet.add("text", f"Source: {lesson.source}")
    sheet.add("heading", "Set-up")
    acts = ", ".join(a.title for a in net.activations)
    sheet.add("text", f"Layers {'-'.join(map(str, net.sizes))} ({acts}); loss: {loss.title}, "
                      f"{loss.formula}; learning rate η = {fmt(trace.eta)}"
                      + ("; biases are not updated." if lesson.train.freeze_biases else "."))
    for kind, text in network_values(net, nm, trace.x, trace.y):
        sheet.add(kind, text)
    if not whole:
        sheet.add("text", f"The worked example up to step {upto} of {len(trace)}.")
    ends = phase_ends(trace, upto)
    phase = None
    for s in trace.steps[:upto]:
        if s.phase != phase:
            phase = s.phase
            sheet.add("heading", PHASE_TITLES[phase])
        for d in s.details:
            sheet.add("formula", d.text())
        sheet.add("formula", s.equation.text())
        if ends.get(phase) == s.index:
            sheet.add("figure", f"The network after the {PHASE_TITLES[phase].lower()} "
                                f"(step {s.index} of {len(trace)}).", key=f"phase-{phase}")
    return sheet
