"""The notes' printed numbers beside the Workbench's step: which apply to the step shown."""

from __future__ import annotations

import numpy as np

from nnviz.engine.teaching.notes_numbers import pass_remarks


def step_remarks(doc, matrix, stepper, short: bool = False) -> list[str]:
    """The notes' printed numbers that belong to the step shown (first pass only)."""
    d, lesson = doc, doc.lesson
    if lesson is None or not lesson.notes_numbers or d.network is None:
        return []
    mat = matrix.active
    step = matrix.step if mat else stepper.step
    tr = matrix.trace if mat else stepper.trace
    x, y = lesson.example()
    if (step is None or tr is None or (mat and matrix.batch)
            or not d.network.equals(lesson.network)
            or not np.array_equal(d.example_x, x) or not np.array_equal(d.example_y, y)):
        return []
    neuron = None if mat else step.neuron
    return pass_remarks(lesson.notes_numbers, step.kind, step.layer, neuron,
                        tr.net_before, tr.net_after, x, y, d.loss, short)
