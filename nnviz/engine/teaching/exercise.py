"""Exercise sheets: a random problem with round numbers, its questions and worked solution.

Every number on a solution page comes from the engine (the micro-step trace of
backpropagation, the perceptron rule, a direct convolution), so a sheet is right by
construction; the same seed always gives the same sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from nnviz.engine.core.activations import get_activation
from nnviz.engine.core.losses import get_loss
from nnviz.engine.core.naming import Naming, fmt
from nnviz.engine.core.network import Network
from nnviz.engine.labs.neuron import augment, learn_step
from nnviz.engine.stepping.trace import MicroStep, build_trace
from nnviz.engine.teaching.sheet import Sheet

KINDS = ("dense", "perceptron", "conv")
HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")
LOSSES = ("half_sse", "cross_entropy")
MAX_LAYER = 4
MAX_LAYERS = 4  # input, up to two hidden layers, output: still hand-sized
HIDDEN_LETTERS = ("h", "k")


@dataclass
class Exercise:
    """A sheet plus the answers it asks for: (name, value) in question order."""

    sheet: Sheet
    answers: list[tuple[str, float]] = field(default_factory=list)


def parse_shape(text: str) -> list[int]:
    """``"2-3-2"`` -> [2, 3, 2], checked to be hand-sized."""
    try:
        sizes = [int(p) for p in str(text).split("-")]
    except ValueError:
        raise ValueError(f"a shape looks like 2-3-2, not {text!r}") from None
    if not 2 <= len(sizes) <= MAX_LAYERS or not all(1 <= s <= MAX_LAYER for s in sizes):
        raise ValueError(f"a hand-sized shape has 2 to {MAX_LAYERS} layers of 1 to "
                         f"{MAX_LAYER} neurons, not {text!r}")
    return sizes


def _round_values(rng: np.random.Generator, shape, lo: int, hi: int, step: float) -> np.ndarray:
    """Multiples of ``step`` in [lo*step, hi*step], never 0."""
    v = rng.integers(lo, hi + 1, size=shape).astype(np.float64)
    v[v == 0] = 1.0
    return np.round(v * step, 10)


def _names(sizes: list[int]) -> Naming:
    letters = ["i"] + [HIDDEN_LETTERS[l] for l in range(len(sizes) - 2)] + ["o"]
    neurons = [[f"{c}{j + 1}" for j in range(n)] for c, n in zip(letters, sizes)]
    weights, w = [], 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layer = []
        for _ in range(n_out):
            layer.append([f"w{w + k + 1}" for k in range(n_in)])
            w += n_in
        weights.append(layer)
    biases = [[f"b{l + 1}"] for l in range(len(sizes) - 1)]
    return Naming(neurons, weights, biases)


def _targets(rng: np.random.Generator, n: int, out_act: str) -> np.ndarray:
    """Round targets the output activation can reach (inside its own range)."""
    act = get_activation(out_act)
    if act.vector:
        return np.eye(n)[rng.integers(n)]
    if act.out_range == (0.0, 1.0):
        return rng.choice([0.01, 0.99], size=n)
    if act.out_range == (-1.0, 1.0):
        return _round_values(rng, n, -9, 9, 0.1)
    return _round_values(rng, n, 1, 10, 0.1)


def dense_network(sizes: list[int], activation: str, loss: str, rng: np.random.Generator
                  ) -> tuple[Network, np.ndarray, np.ndarray]:
    """A network with weights in steps of 0.05, shared biases, round inputs and targets."""
    if activation not in HIDDEN_ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(HIDDEN_ACTIVATIONS)}")
    get_loss(loss)
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {', '.join(LOSSES)}")
    out_act = "softmax" if loss == "cross_entropy" else activation
    acts = [activation] * (len(sizes) - 2) + [out_act]
    net = Network.create(sizes, acts, rng)
    for l in range(net.n_layers):
        # mostly positive, as in the notes, so ReLU neurons are not all dead
        w = _round_values(rng, net.weights[l].shape, 1, 12, 0.05)
        w *= np.where(rng.random(w.shape) < 0.25, -1.0, 1.0)
        net.weights[l][...] = w
        net.biases[l][:] = _round_values(rng, 1, 2, 12, 0.05)[0]
        net.shared_bias[l] = True
    x = _round_values(rng, sizes[0], 1, 20, 0.05)
    return net, x, _targets(rng, sizes[-1], out_act)


def network_values(net: Network, nm: Naming, x: np.ndarray, y: np.ndarray,
                   most: int = 12) -> list[tuple[str, str]]:
    """Blocks (kind, text) of "name = value" lists: the inputs, the targets, then each
    layer's weights and biases (a layer of more than ``most`` weights in a sentence)."""
    lines = [("values", ", ".join(f"{nm.out(0, k)} = {fmt(v)}" for k, v in enumerate(x))),
             ("values", ", ".join(f"{nm.target(j)} = {fmt(v)}" for j, v in enumerate(y)))]
    for l in range(net.n_layers):
        n_out, n_in = net.weights[l].shape
        if n_out * n_in > most:
            lines.append(("text", f"Layer {l + 1}: {n_out} × {n_in} weights (not listed)."))
            continue
        pairs = [f"{nm.weight(l, j, k)} = {fmt(net.weights[l][j, k])}"
                 for j in range(n_out) for k in range(n_in)]
        if net.use_bias[l]:
            js = [0] if net.shared_bias[l] else range(n_out)
            pairs += [f"{nm.bias(l, j)} = {fmt(net.biases[l][j])}" for j in js]
        lines.append(("values", ", ".join(pairs)))
    return lines


def _step_lines(step: MicroStep) -> list[tuple[str, str]]:
    return [("formula", d.text()) for d in step.details] + [("formula", step.equation.text())]


def dense_exercise(sizes: Sequence[int] | str, activation: str = "sigmoid",
                   loss: str = "half_sse", seed: int = 0, eta: float = 0.5) -> Exercise:
    """One training step of a random hand-sized network: forward, error, δ, ∂E/∂w, update."""
    sizes = parse_shape(sizes) if isinstance(sizes, str) else parse_shape(
        "-".join(str(s) for s in sizes))
    rng = np.random.default_rng(int(seed))
    net, x, y = dense_network(sizes, activation, loss, rng)
    nm = _names(sizes)
    tr = build_trace(net, x, y, get_loss(loss), eta, nm, freeze_biases=True)
    steps = tr.steps
    L = net.n_layers
    hidden = [s for s in steps if s.kind == "delta" and s.layer < L]
    pick_delta = hidden[int(rng.integers(len(hidden)))] if hidden else None
    out_grads = [s for s in steps if s.kind == "grad_w" and s.layer == L]
    first_grads = [s for s in steps if s.kind == "grad_w" and s.layer == 1 and L > 1]
    grads = [out_grads[int(rng.integers(len(out_grads)))]]
    if first_grads:
        grads.append(first_grads[int(rng.integers(len(first_grads)))])
    updates = [s for s in steps if s.kind == "update_w"
               and any((s.layer, s.neuron, s.source) == (g.layer, g.neuron, g.source) for g in grads)]
    questions: list[tuple[str, list[MicroStep]]] = [
        ("Forward pass: compute net and out of every neuron, layer by layer.",
         [s for s in steps if s.phase == "forward"]),
        (f"Compute the error of each output and the total error {nm.total_error}.",
         [s for s in steps if s.phase == "error"]),
        ("Compute δ of every output neuron" + (
            f" and of the hidden neuron {nm.label(pick_delta.layer, pick_delta.neuron)}."
            if pick_delta else "."),
         [s for s in steps if s.kind == "delta" and (s.layer == L or s is pick_delta)]),
        ("Compute " + " and ".join(f"∂{nm.total_error}/∂{_weight(nm, g)}" for g in grads)
         + ".", grads),
        (f"With η = {fmt(eta)} (biases fixed), compute the updated "
         + " and ".join(f"{_weight(nm, g)}⁺" for g in grads) + ".", updates),
        (f"Compute {nm.total_error} with the updated weights.",
         [s for s in steps if s.phase == "result"]),
    ]
    acts = ", ".join(a.title for a in net.activations)
    sheet = Sheet(f"Exercise: backpropagation in a {'-'.join(map(str, sizes))} network "
                  f"(seed {seed})")
    sheet.add("heading", "The network")
    sheet.add("text", f"Layers {'-'.join(map(str, sizes))}; activations: {acts}; loss: "
                      f"{get_loss(loss).formula}; learning rate η = {fmt(eta)}. Every neuron "
                      "of a layer shares that layer's bias; biases are not updated.")
    for kind, line in network_values(net, nm, x, y):
        sheet.add(kind, line)
    sheet.add("heading", "Questions")
    for text, _ in questions:
        sheet.add("question", text)
    sheet.add("text", "Give every number to 9 decimal places (as the notes print them).")
    sheet.add("pagebreak")
    sheet.add("heading", "Worked solution")
    ex = Exercise(sheet)
    for n, (text, qsteps) in enumerate(questions, 1):
        sheet.add("subheading", f"{n}. {text}")
        for s in qsteps:
            for kind, line in _step_lines(s):
                sheet.add(kind, line)
            ex.answers.append((s.equation.lhs, s.value))
    return ex


def _weight(nm: Naming, step: MicroStep) -> str:
    return nm.weight(step.layer - 1, step.neuron, step.source)


PERCEPTRON_GATES = {"AND": (0, 0, 0, 1), "OR": (0, 1, 1, 1), "NAND": (1, 1, 1, 0)}


def perceptron_exercise(seed: int = 0, steps: int = 6, convention: str = "step") -> Exercise:
    """The perceptron learning rule on a logic gate from integer weights, point by point."""
    rng = np.random.default_rng(int(seed))
    gate = list(PERCEPTRON_GATES)[int(rng.integers(len(PERCEPTRON_GATES)))]
    labels = np.array(PERCEPTRON_GATES[gate])
    x = augment(np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64))
    w = rng.integers(-3, 4, size=3).astype(np.float64)
    order = [int(i) for i in rng.integers(4, size=int(steps))]
    rule = "w·x ≥ 0" if convention == "step" else "w·x > 0"
    sheet = Sheet(f"Exercise: the perceptron learning rule on {gate} (seed {seed})")
    sheet.add("heading", "The problem")
    sheet.add("text", f"Inputs x = (1, x1, x2) with x0 = 1 for the bias; the perceptron outputs 1 "
                      f"when {rule}, else 0. P is the set of points of class 1 of {gate}, N the "
                      "rest. Rule: if x ∈ P is classified 0, w = w + x; if x ∈ N is classified "
                      "1, w = w − x; otherwise w stays.")
    sheet.add("formula", f"w = (w0, w1, w2) = ({', '.join(fmt(v) for v in w)})")
    sheet.add("text", "Points in the order they are picked: " + "; ".join(
        f"({int(x[i, 1])}, {int(x[i, 2])}) → {labels[i]}" for i in order))
    sheet.add("heading", "Questions")
    sheet.add("question", "Apply the rule to each point in that order; give w·x, the output "
                          "and w after each step.")
    sheet.add("question", f"After these {steps} steps, which of the four points does the "
                          "perceptron still get wrong?")
    sheet.add("pagebreak")
    sheet.add("heading", "Worked solution")
    ex = Exercise(sheet)
    for n, i in enumerate(order, 1):
        st = learn_step(w, x, labels, i, convention)
        action = {1: "w = w + x", -1: "w = w − x", 0: "correct: w stays"}[st.update]
        sheet.add("subheading", f"Step {n}: x = (1, {int(x[i, 1])}, {int(x[i, 2])}), class {st.label}")
        sheet.add("formula", f"w·x = {' + '.join(f'{_p(a)}*{_p(b)}' for a, b in zip(w, st.x))}"
                             f" = {fmt(st.wx)}")
        sheet.add("text", f"Output {int(st.wx >= 0 if convention == 'step' else st.wx > 0)}: "
                          f"{action} → w = ({', '.join(fmt(v) for v in st.w_after)})")
        ex.answers.append((f"w·x (step {n})", st.wx))
        w = st.w_after
    wrong = [k for k in range(4) if int((x[k] @ w >= 0) if convention == "step"
                                        else (x[k] @ w > 0)) != labels[k]]
    sheet.add("subheading", "Still wrong")
    sheet.add("text", ", ".join(f"({int(x[k, 1])}, {int(x[k, 2])})" for k in wrong)
              if wrong else f"none: w = ({', '.join(fmt(v) for v in w)}) computes {gate}.")
    return ex


def conv_exercise(seed: int = 0, size: int = 6) -> Exercise:
    """A 3×3 kernel over a small integer image (stride 1, no padding), ReLU, 2×2 pooling."""
    rng = np.random.default_rng(int(seed))
    image = rng.integers(0, 4, size=(size, size)).astype(np.float64)
    kernel = rng.integers(-1, 2, size=(3, 3)).astype(np.float64)
    if not kernel.any():
        kernel[1, 1] = 1.0
    m = size - 2
    fmap = np.array([[np.sum(image[r:r + 3, c:c + 3] * kernel) for c in range(m)]
                     for r in range(m)])
    relu = np.maximum(fmap, 0.0)
    cells = [(0, 0), (int(rng.integers(m)), int(rng.integers(m)))]
    sheet = Sheet(f"Exercise: convolution and pooling (seed {seed})")
    sheet.add("heading", "The problem")
    sheet.add("text", f"A {size}×{size} image and a 3×3 kernel, stride 1, no padding, no bias: "
                      f"the feature map is {m}×{m}. Then ReLU, then 2×2 pooling with stride 2.")
    sheet.add("grid", "Image", rows=_rows(image))
    sheet.add("grid", "Kernel", rows=_rows(kernel))
    sheet.add("heading", "Questions")
    for r, c in cells:
        sheet.add("question", f"Compute the feature map's cell at row {r + 1}, column {c + 1}.")
    sheet.add("question", "Compute the whole feature map and apply ReLU.")
    sheet.add("question", "Max-pool and average-pool the ReLU map (2×2, stride 2).")
    sheet.add("pagebreak")
    sheet.add("heading", "Worked solution")
    ex = Exercise(sheet)
    for r, c in cells:
        patch = image[r:r + 3, c:c + 3]
        terms = " + ".join(f"{_p(p)}*{_p(k)}" for p, k in zip(patch.ravel(), kernel.ravel()))
        sheet.add("subheading", f"Cell ({r + 1}, {c + 1}): the patch at rows {r + 1}–{r + 3}, "
                                f"columns {c + 1}–{c + 3}")
        sheet.add("formula", f"y_{r + 1}{c + 1} = {terms} = {fmt(fmap[r, c])}")
        ex.answers.append((f"y_{r + 1}{c + 1}", float(fmap[r, c])))
    sheet.add("grid", "Feature map", rows=_rows(fmap))
    sheet.add("grid", "After ReLU", rows=_rows(relu))
    for how, fn in (("max", np.max), ("average", np.mean)):
        pooled = np.array([[fn(relu[r:r + 2, c:c + 2]) for c in range(0, m - 1, 2)]
                           for r in range(0, m - 1, 2)])
        for (r, c), v in np.ndenumerate(pooled):
            region = ", ".join(fmt(t) for t in relu[2 * r:2 * r + 2, 2 * c:2 * c + 2].ravel())
            sheet.add("formula", f"{how}({region}) = {fmt(v)}")
            ex.answers.append((f"{how} pool ({r + 1}, {c + 1})", float(v)))
        sheet.add("grid", f"{how.capitalize()} pooling", rows=_rows(pooled))
    return ex


def _p(v: float) -> str:
    """A factor as written in a product: negative numbers in parentheses, with a minus sign."""
    return f"(−{fmt(-v)})" if v < 0 else fmt(v)


def _rows(a: np.ndarray) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(fmt(v) for v in row) for row in np.atleast_2d(a))


def make_exercise(kind: str, shape: str = "2-2-2", activation: str = "sigmoid",
                  loss: str = "half_sse", seed: int = 0) -> Exercise:
    """The exercise of one kind (see :data:`KINDS`)."""
    if kind == "dense":
        return dense_exercise(shape, activation, loss, seed)
    if kind == "perceptron":
        return perceptron_exercise(seed)
    if kind == "conv":
        return conv_exercise(seed)
    raise ValueError(f"unknown exercise kind {kind!r}; choose one of {', '.join(KINDS)}")
