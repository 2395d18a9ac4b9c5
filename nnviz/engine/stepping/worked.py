"""The worked example of one training step as Markdown, in the order of the notes."""

from __future__ import annotations

from nnviz.engine.core.naming import fmt
from nnviz.engine.stepping.trace import MicroStep, Trace, build_trace
from nnviz.engine.teaching.lessons import Lesson, loss_of

PHASE_TITLES = {
    "forward": "Forward pass",
    "error": "The total error",
    "backward": "Backward pass",
    "update": "Updating the weights",
    "result": "After the update",
}


def lesson_options(lesson: Lesson):
    """The lesson's L1/L2 (λ/n with n its training-set size), optimiser (from zero),
    clipping and dropout (masks drawn with the lesson's seed) for its worked step."""
    import numpy as np

    from nnviz.engine.stepping.trace_options import StepOptions

    try:
        n = len(lesson.dataset()[0])
    except (ValueError, OSError):
        n = 1
    rng = np.random.default_rng(lesson.seed) if lesson.train.dropout > 0 else None
    return StepOptions.from_config(lesson.train, lesson.network, n, rng)  # (rng: masks)


def lesson_trace(lesson: Lesson) -> Trace:
    """The micro-step trace of one training step on the lesson's example, with the
    lesson's training options."""
    x, y = lesson.example()
    return build_trace(lesson.network, x, y, loss_of(lesson), lesson.train.eta, lesson.naming,
                       lesson.train.freeze_biases, lesson_options(lesson))


def options_markdown(lesson: Lesson) -> list[str]:
    """Set-up lines for the training options the worked step applies."""
    o = lesson_options(lesson)
    lines = []
    if o.l2:
        lines.append(f"- L2 (weight decay): λ2 = {fmt(o.l2)}, n = {o.n}: "
                     "`g = ∂E/∂w + λ2/n·w` (biases are not decayed)")
    if o.l1:
        lines.append(f"- L1: λ1 = {fmt(o.l1)}, n = {o.n}: `g = ∂E/∂w + λ1/n·sgn(w)`")
    if o.clip_value is not None:
        lines.append(f"- Clipping by value: `g′ = clip(g, −{fmt(o.clip_value)}, "
                     f"{fmt(o.clip_value)})`")
    if o.clip_norm is not None:
        lines.append(f"- Clipping by norm: `g′ = g·c/‖g‖` when ‖g‖ > c = {fmt(o.clip_norm)} "
                     "(‖g‖ over the parameters being trained)")
    if o.optimiser is not None:
        opt = o.optimiser
        lines.append(f"- {opt.label} ({opt.settings_text()}): `{opt.formula}` (the state "
                     "starts at 0, t counts the steps)")
    if o.masks is not None:
        keep = 1 / (1 - o.dropout)
        if o.dropout_mode == "inverted":
            lines.append(
                f"- Dropout p = {fmt(o.dropout)} on the hidden layers, *inverted* (nnviz's "
                f"default): a kept output is multiplied by m = 1/(1 − p) = {fmt(keep)}, a "
                "dropped one by m = 0, so at test time the network is used as it is. The "
                f"notes instead keep m = 1 and multiply the outgoing weights by 1 − p = "
                f"{fmt(1 - o.dropout)} at test time; both give each neuron the same expected "
                f"input (masks drawn with the lesson's seed {lesson.seed})")
        else:
            lines.append(
                f"- Dropout p = {fmt(o.dropout)} on the hidden layers, *as the notes*: a kept "
                "output is multiplied by m = 1, a dropped one by m = 0; at test time every "
                f"hidden layer's outgoing weights are multiplied by 1 − p = "
                f"{fmt(1 - o.dropout)} (halved for p = 0.5). nnviz's default, inverted "
                f"dropout, scales kept outputs by 1/(1 − p) = {fmt(keep)} instead and leaves "
                f"the test-time network alone (masks drawn with the lesson's seed "
                f"{lesson.seed})")
    return lines


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
    ] + options_markdown(lesson)
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
