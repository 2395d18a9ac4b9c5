"""The captions as shown: templates filled from the live network, the notes' values
beside them when the network is no longer the lesson's, and captions naming parts the
network no longer has left out. One place for the caption bar and the Equation panel."""

from __future__ import annotations

from dataclasses import replace

from nnviz.engine.teaching.captions import names_mentioned, placeholders, render, trace_values
from nnviz.engine.teaching.lessons import Caption, Lesson, LessonError
from nnviz.views.items.math_text import math_plain

_notes_cache: dict[int, tuple[Lesson, dict[str, float]]] = {}


def notes_values(lesson: Lesson) -> dict[str, float]:
    """The values of the lesson's own worked example (what the notes print); empty if its
    captions quote none."""
    hit = _notes_cache.get(id(lesson))
    if hit is not None and hit[0] is lesson:
        return hit[1]
    vals: dict[str, float] = {}
    if any(placeholders(c.text) or placeholders(c.question) for c in lesson.captions):
        from nnviz.engine.stepping.worked import lesson_trace

        try:
            vals = trace_values(lesson_trace(lesson))
        except (ValueError, FloatingPointError, LessonError):
            vals = {}
    if len(_notes_cache) > 16:
        _notes_cache.clear()
    _notes_cache[id(lesson)] = (lesson, vals)
    return vals


def quotes_values(captions: list[Caption]) -> bool:
    """Whether any of the captions is a template (cheap: live values are only computed
    for lessons that quote them)."""
    return any("{" in c.text or "{" in c.question for c in captions)


def part_names(lesson: Lesson) -> list[str]:
    """The names the lesson gives its neurons, weights and biases (none in layer notation)."""
    nm = lesson.naming
    if getattr(nm, "layer_notation", True):
        return []
    names = [n for row in nm.neurons for n in row]
    names += [n for layer in nm.weights for row in layer for n in row]
    names += [n for row in nm.biases for n in row]
    return list(dict.fromkeys(names))


def shown_captions(lesson: Lesson | None, captions: list[Caption],
                   values: dict[str, float] | None, live_sizes: list[int] | None,
                   worked_example: bool = True) -> list[Caption]:
    """``captions`` as the class sees them now.

    ``values`` are the live values (None: the lab has none, the notes' own are used);
    ``live_sizes`` the live network's layer sizes: when they are not the lesson's, a
    caption naming a neuron or weight of the lesson is left out (it may not exist).
    ``worked_example``: the values are the lesson's worked example computed live (the
    Workbench), so the notes' own values are shown beside them where they differ; other
    labs quote their own state (a descent step, an epoch), which the notes do not print.
    """
    if lesson is None:
        return []
    notes = notes_values(lesson) if worked_example or values is None else {}
    changed = live_sizes is not None and list(live_sizes) != list(lesson.network.sizes)
    names = part_names(lesson) if changed else []
    out = []
    vals = notes if values is None else values
    label = notes if values is not None and worked_example else None
    for c in captions:
        text = None if names and names_mentioned(c.text, names) else render(c.text, vals, label)
        if text is None:
            continue
        question = "" if names and names_mentioned(c.question, names) else \
            render(c.question, vals, label)
        # set as the Equation panel sets formulas ("E_total * 10^-4": "Eₜₒₜₐₗ · 10⁻⁴"),
        # in plain characters: a caption is never markup
        out.append(replace(c, text=math_plain(text), question=math_plain(question or "")))
    return out
