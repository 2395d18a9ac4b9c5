"""The worked example of one training step as Markdown, in the order of the notes."""

from __future__ import annotations

from nnviz.engine.lessons import Lesson, loss_of
from nnviz.engine.naming import fmt
from nnviz.engine.trace import MicroStep, Trace, build_trace

PHASE_TITLES = {
    "forward": "Forward pass",
    "error": "The total error",
    "backward": "Backward pass",
    "update": "Updating the weights",
    "result": "After the update",
}


def lesson_trace(lesson: Lesson) -> Trace:
    """The micro-step trace of one training step on the lesson's example."""
    x, y = lesson.example()
    return build_trace(lesson.network, x, y, loss_of(lesson), lesson.train.eta, lesson.naming,
                       lesson.train.freeze_biases)


def typeset(text: str) -> str:
    """An equation as the notes print it: · for the product, − for the minus sign."""
    return text.replace("*", "·").replace("-", "−")


def step_markdown(step: MicroStep) -> list[str]:
    """Markdown lines for one micro-step: its factors, then its equation."""
    lines = [f"- `{typeset(d.text())}`" for d in step.details]
    eq = typeset(step.equation.text())
    lines.append(f"- **`{eq}`**" if step.details else f"- `{eq}`")
    return lines


def worked_markdown(lesson: Lesson, trace: Trace | None = None, upto: int | None = None) -> str:
    """The complete worked example (or the steps up to ``upto``) as Markdown."""
    tr = trace or lesson_trace(lesson)
    net, nm = tr.net_before, tr.naming
    L = net.n_layers
    acts = ", ".join(a.title for a in net.activations)
    lines = [f"# {lesson.title}", "", lesson.description, ""]
    if lesson.source:
        lines += [f"*Source: {lesson.source}*", ""]
    lines += [
        "## Set-up",
        "",
        f"- Layers: {'-'.join(str(s) for s in net.sizes)} ({acts})",
        f"- Loss: {loss_of(lesson).title}: `{loss_of(lesson).formula}`",
        f"- Learning rate: η = {fmt(tr.eta)}"
        + ("; biases are not updated" if lesson.train.freeze_biases else ""),
        "- Input: " + ", ".join(f"`{nm.out(0, k)} = {fmt(v)}`" for k, v in enumerate(tr.x)),
        "- Target: " + ", ".join(f"`{nm.target(j)} = {fmt(v)}`" for j, v in enumerate(tr.y)),
    ]
    for l in range(L):
        for j in range(net.sizes[l + 1]):
            ws = ", ".join(f"{nm.weight(l, j, k)} = {fmt(net.weights[l][j, k])}"
                           for k in range(min(net.sizes[l], 8)))
            if net.sizes[l] > 8:
                ws += f", … ({net.sizes[l]} weights)"
            b = (f"; {nm.bias(l, j)} = {fmt(net.biases[l][j])}" if net.use_bias[l] else "")
            lines.append(f"- Into `{nm.label(l + 1, j)}`: `{ws}{b}`")
    phase = None
    layer = None
    for s in tr.steps[: upto if upto is not None else len(tr.steps)]:
        if s.phase != phase:
            phase = s.phase
            layer = None
            lines += ["", f"## {PHASE_TITLES[phase]}", ""]
        if phase in ("forward", "backward", "update") and s.layer != layer:
            layer = s.layer
            kind = "output layer" if layer == L else "hidden layer"
            lines += ([] if lines[-1] == "" else [""]) + [
                f"### Layer {nm.layer_number(layer)} ({kind})", ""]
        lines += step_markdown(s)
    return "\n".join(lines).rstrip() + "\n"
