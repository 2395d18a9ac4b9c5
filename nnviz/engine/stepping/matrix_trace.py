"""The training step layer by layer, as the notes write it with matrices (BP1-BP4).

``build_matrix_trace`` computes one gradient step of a network on one example or on a
mini-batch with explicit matrix algebra on column vectors, as notes 002 and 004 do:

- forward: z^l = W^l a^(l-1) + b^l, a^l = σ(z^l) (W^l has rows j and columns k, w^l_jk);
- BP1: δ^L = ∇ₐC ⊙ σ′(z^L);   BP2: δ^l = ((W^(l+1))ᵀ δ^(l+1)) ⊙ σ′(z^l);
- BP3: ∂C/∂b^l = δ^l;           BP4: ∂C/∂W^l = δ^l (a^(l-1))ᵀ, read "a_in · δ_out";
- mini-batch (notes 004, algorithm 5.3): W^l ← W^l − (η/m) Σₓ δ^(x,l) (a^(x,l-1))ᵀ.

It does not call :func:`nnviz.engine.core.network.backward`: the tests compare the two, and
the neuron-by-neuron trace, at every step. Each step is a list of lines of tokens, a
token being an operator (str) or a :class:`Mat` the view draws with brackets.
Layers are numbered with the input layer as layer ``base`` (1 as in the notes, or 0).
"""

from __future__ import annotations

import numpy as np

from nnviz.engine.core.losses import Loss
from nnviz.engine.core.network import Network
from nnviz.engine.stepping.matrix_tokens import Mat, MatrixStep, MatrixTrace, col, row
from nnviz.engine.stepping.matrix_update import sum_step, update_step

Array = np.ndarray
__all__ = ["Mat", "MatrixStep", "MatrixTrace", "build_matrix_trace", "col", "neuron_position",
           "row"]


class Builder:
    """Collects the steps; knows the layer names in the chosen numbering."""

    def __init__(self, net: Network, loss: Loss, eta: float, base: int, m: int,
                 freeze_biases: bool) -> None:
        self.net, self.loss, self.eta, self.base, self.m = net, loss, eta, base, m
        self.freeze = freeze_biases
        self.steps: list[MatrixStep] = []
        self.names = None                    # a flat Naming (w5, h1) or None
        self.delta_up: list[Array] = []      # the last example's δ^l (column vectors)
        self.a_in: list[Array] = []          # and its a^l

    def sup(self, layer: int, x: int | None = None) -> str:
        """The superscript of network layer ``layer`` (0 = inputs) in the notes' numbering."""
        s = str(layer + self.base)
        return f"({x + 1},{s})" if x is not None and self.m > 1 else s

    def add(self, phase: str, kind: str, layer: int, label: str, formula: str,
            lines: list, value: Array, note: str = "", example: int | None = None) -> None:
        where = f" · layer {layer + self.base}"
        ex = f" · example {example + 1} of {self.m}" if example is not None and self.m > 1 else ""
        head = f"{label}: " if label else ""
        title = f"{head}{phase.capitalize()}{where}{ex}"
        self.steps.append(MatrixStep(len(self.steps) + 1, phase, kind, layer, label, title,
                                     formula, tuple(tuple(t) for t in lines),
                                     np.array(value, dtype=np.float64), note, example))

    def weight_names(self, l: int) -> tuple[tuple[str, ...], ...] | None:
        """The notes' names of weight layer l's entries (rows j, columns k), if named."""
        nm = self.names
        if nm is None:
            return None
        W = self.net.weights[l]
        return tuple(tuple(nm.weight(l, j, k) for k in range(W.shape[1]))
                     for j in range(W.shape[0]))

    def trains_bias(self, l: int) -> bool:
        return bool(self.net.use_bias[l]) and not self.freeze


def _sigma_prime(act, z: Array, a: Array) -> Array:
    """σ′(z) element-wise, as a column."""
    return act.prime(z, a)


def _forward(b: Builder, xv: Array, x: int | None) -> tuple[list[Array], list[Array]]:
    """z^l and a^l of one example as column vectors, one step each."""
    net = b.net
    a_in = xv.reshape(-1, 1)
    zs, acts = [], [a_in]
    for l in range(net.n_layers):
        W = net.weights[l]
        bias = net.biases[l].reshape(-1, 1) if net.use_bias[l] else np.zeros((W.shape[0], 1))
        z = W @ a_in + bias
        s, s0 = b.sup(l + 1, x), b.sup(l, x)
        Wm = Mat(f"W^{b.sup(l + 1)}", W, b.weight_names(l))
        lines = [[Wm, "·", col(a_in, f"a^{s0}"), "+", col(bias, f"b^{b.sup(l + 1)}"), "=",
                  col(z, f"z^{s}")]]
        b.add("forward", "z", l + 1, "", f"z^{s} = W^{b.sup(l + 1)} a^{s0} + b^{b.sup(l + 1)}",
              lines, z, "" if net.use_bias[l] else "This layer has no bias (b = 0).", x)
        act = net.activations[l]
        a = act.fn(z.T).T
        sym = act.symbol
        b.add("forward", "a", l + 1, "", f"a^{s} = {sym}(z^{s})  ({act.title}, element-wise)",
              [[f"{sym}(", col(z, f"z^{s}"), ")", "=", col(a, f"a^{s}")]], a,
              "softmax couples the neurons: a_j = e^(z_j) / (Σ_k e^(z_k))" if act.vector else "",
              x)
        zs.append(z)
        acts.append(a)
        a_in = a
    return zs, acts


def _cost_lines(b: Builder, a: Array, y: Array, x: int | None) -> tuple[str, list, Array, str]:
    """The error of one example and ∇ₐC (with the factor 2 of the unhalved square)."""
    kind = b.loss.kind
    s = b.sup(b.net.n_layers, x)
    if kind == "quadratic":
        grad = a - y
        formula = f"C = Σⱼ ½(a^{s}_j − y_j)²   ∇ₐC = a^{s} − y"
        lines = [[col(a, f"a^{s}"), "−", col(y, "y"), "=", col(grad, "∇ₐC")],
                 ["with C = Σⱼ (a_j − y_j)²:", "2·", col(grad, "a − y"), "=",
                  col(2 * grad, "2(a − y)")]]
        note = ("The notes' E = ½(target − out)² gives ∇ₐC = a − y; without the ½ (notes "
                "002, chain-rule section) the chain rule brings down the factor 2(a − y).")
    else:
        grad = b.loss.grad(a.T, y.T).T
        formula = f"C = {b.loss.formula}   ∇ₐC = {b.loss.grad_text}"
        lines = [[col(a, f"a^{s}"), ",", col(y, "y"), "→", col(grad, "∇ₐC")]]
        note = ""
    return formula, lines, grad, note


def _bp1(b: Builder, z: Array, a: Array, y: Array, grad: Array, x: int | None) -> Array:
    """BP1 for the output layer; a − y where the loss and activation combine."""
    L = b.net.n_layers
    act = b.net.activations[-1]
    s = b.sup(L, x)
    if b.loss.combined_delta(act.name):
        delta = a * float(np.sum(y)) - y if act.vector else a - y
        form = "a − y" if not act.vector or np.isclose(np.sum(y), 1.0) else "a·Σⱼ y_j − y"
        b.add("backward", "delta", L, "BP1", f"δ^{s} = ∇ₐC ⊙ σ′(z^{s}) = {form}",
              [[col(a, f"a^{s}"), "−", col(y, "y"), "=", col(delta, f"δ^{s}")]], delta,
              f"{act.title} with {b.loss.title}: the σ′ cancels, δ^{s} = {form}.", x)
        return delta
    if act.vector:
        J = np.diag(a[:, 0]) - a @ a.T
        delta = J.T @ grad
        b.add("backward", "delta", L, "BP1", f"δ^{s} = (∂a^{s}/∂z^{s})ᵀ ∇ₐC",
              [[Mat("Jᵀ", J.T), "·", col(grad, "∇ₐC"), "=", col(delta, f"δ^{s}")]], delta,
              "Softmax: BP1's Hadamard product becomes the Jacobian J = diag(a) − a aᵀ.", x)
        return delta
    sp = _sigma_prime(act, z, a)
    delta = grad * sp
    b.add("backward", "delta", L, "BP1", f"δ^{s} = ∇ₐC ⊙ σ′(z^{s})",
          [[col(grad, "∇ₐC"), "⊙", col(sp, f"σ′(z^{s})"), "=", col(delta, f"δ^{s}")]],
          delta, "⊙ is the Hadamard product: element by element.", x)
    return delta


def _bp2(b: Builder, l: int, z: Array, a: Array, d_up: Array, x: int | None) -> Array:
    """BP2: the error of weight layer l (0-based) from the layer above, through Wᵀ."""
    net = b.net
    WT = net.weights[l + 1].T
    back = WT @ d_up
    act = net.activations[l]
    s, su = b.sup(l + 1, x), b.sup(l + 2, x)
    wname = f"(W^{b.sup(l + 2)})ᵀ"
    names = b.weight_names(l + 1)
    tnames = tuple(zip(*names)) if names is not None else None
    if act.vector:
        J = np.diag(a[:, 0]) - a @ a.T
        delta = J.T @ back
        b.add("backward", "delta", l + 1, "BP2", f"δ^{s} = (∂a^{s}/∂z^{s})ᵀ (W^{b.sup(l + 2)})ᵀ δ^{su}",
              [[Mat(wname, WT), "·", col(d_up, f"δ^{su}"), "=", col(back, f"{wname}δ^{su}")],
               [Mat("Jᵀ", J.T), "·", col(back, f"{wname}δ^{su}"), "=", col(delta, f"δ^{s}")]],
              delta, "Softmax: the Hadamard product becomes the Jacobian J = diag(a) − a aᵀ.", x)
        return delta
    sp = _sigma_prime(act, z, a)
    delta = back * sp
    b.add("backward", "delta", l + 1, "BP2", f"δ^{s} = ((W^{b.sup(l + 2)})ᵀ δ^{su}) ⊙ σ′(z^{s})",
          [[Mat(wname, WT, tnames), "·", col(d_up, f"δ^{su}"), "=",
            col(back, f"{wname}δ^{su}")],
           [col(back, f"{wname}δ^{su}"), "⊙", col(sp, f"σ′(z^{s})"), "=", col(delta, f"δ^{s}")]],
          delta, "The transpose sends each output's δ back along the weights it came "
          "through: row j of Wᵀ holds the weights leaving neuron j.", x)
    return delta


def _bp3_bp4(b: Builder, l: int, delta: Array, a_in: Array, x: int | None) -> None:
    """BP3 (bias gradient) and BP4 (weight gradient, an outer product) of one example."""
    net = b.net
    s, s0 = b.sup(l + 1, x), b.sup(l, x)
    if net.use_bias[l]:
        note = ""
        lines = [[col(delta, f"∂C/∂b^{s}")]]
        value = delta
        if net.shared_bias[l]:
            value = np.full_like(delta, np.sum(delta))
            note = ("The neurons share one bias: its gradient is the sum of the δ's, "
                    f"Σⱼ δ^{s}_j = {np.sum(delta):.9g}.")
            lines.append(["Σⱼ δ_j =", Mat(f"∂C/∂b^{s}", np.array([[np.sum(delta)]]))])
        if b.freeze:
            note += " The biases are frozen: this gradient is not applied."
        b.add("backward", "grad_b", l + 1, "BP3", f"∂C/∂b^{s} = δ^{s}", lines, value,
              note.strip(), x)
    g = delta @ a_in.T
    b.add("backward", "grad_w", l + 1, "BP4", f"∂C/∂W^{s} = δ^{s} (a^{s0})ᵀ  (a_in · δ_out)",
          [[col(delta, f"δ^{s}"), "·", row(a_in, f"(a^{s0})ᵀ"), "=", Mat(f"∂C/∂W^{s}", g)]],
          g, "An outer product: entry (j, k) is a_in,k · δ_out,j — the delta rule "
          "∂E/∂w = δ · out of the notes.", x)


def _example(b: Builder, xv: Array, yv: Array, x: int | None):
    """Forward, error, BP1-BP4 of one example; returns its gradients and cost."""
    net = b.net
    L = net.n_layers
    zs, acts = _forward(b, xv, x)
    y = yv.reshape(-1, 1)
    formula, lines, grad, note = _cost_lines(b, acts[-1], y, x)
    c = float(b.loss.sample(acts[-1].T, y.T)[0])
    b.add("error", "error", L, "", formula, lines + [["C =", Mat("C", np.array([[c]]))]],
          np.array([c]), note, x)
    deltas: list[Array] = [np.zeros(0)] * L
    deltas[-1] = _bp1(b, zs[-1], acts[-1], y, grad, x)
    _bp3_bp4(b, L - 1, deltas[-1], acts[-2], x)
    for l in range(L - 2, -1, -1):
        deltas[l] = _bp2(b, l, zs[l], acts[l + 1], deltas[l + 1], x)
        _bp3_bp4(b, l, deltas[l], acts[l], x)
    return deltas, acts, c


def build_matrix_trace(net: Network, x: Array, y: Array, loss: Loss, eta: float, *,
                       freeze_biases: bool = False, base: int = 1, names=None,
                       notes_digits: tuple[int, int] | None = None) -> MatrixTrace:
    """The layer-by-layer trace of one gradient step on the examples x (m, n_in), y (m, n_out).

    ``base`` numbers the input layer (1 as the notes, 0 as Nielsen's code); ``names`` (a
    :class:`~nnviz.engine.core.naming.Naming`) labels the entries where the lesson names them;
    ``notes_digits`` (products, results) prints notes 003's rounded form.
    """
    x = np.asarray(x, dtype=np.float64).reshape(-1, net.sizes[0])
    y = np.asarray(y, dtype=np.float64).reshape(len(x), -1)
    if len(x) == 0 or y.shape[1] != net.sizes[-1]:
        raise ValueError("need at least one example whose target fits the output layer")
    b = Builder(net, loss, float(eta), int(base), len(x), freeze_biases)
    if net.has_batch_norm:   # the batch's statistics couple the examples: a batch at once
        if len(x) < 2:
            raise ValueError("batch normalisation needs a mini-batch: tick Mini-batch")
        from nnviz.engine.stepping.matrix_bn import bn_batch_trace

        return bn_batch_trace(b, x, y)
    b.names = names if names is not None and not names.layer_notation else None
    L = net.n_layers
    per_w: list[list[Array]] = [[] for _ in range(L)]
    per_b: list[list[Array]] = [[] for _ in range(L)]
    costs = []
    for i in range(len(x)):
        deltas, acts, c = _example(b, x[i], y[i], i if len(x) > 1 else None)
        costs.append(c)
        for l in range(L):
            per_w[l].append(deltas[l] @ acts[l].T)
            per_b[l].append(deltas[l][:, 0])
        b.delta_up, b.a_in = deltas, acts
    scale = loss.scale(len(x))
    after = net.copy()
    grads = []
    for l in range(L):
        if len(x) > 1:
            gw = sum_step(b, l, per_w[l], "sum_w", scale)
            gb = sum_step(b, l, per_b[l], "sum_b", scale) if net.use_bias[l] else None
        else:
            gw = per_w[l][0]
            gb = per_b[l][0]
            if net.shared_bias[l]:
                gb = np.full_like(gb, np.sum(gb))
        grads.append((gw, gb))
        after.weights[l] = net.weights[l] - eta * gw
        if b.trains_bias(l):
            after.biases[l] = net.biases[l] - eta * gb
    for l in range(L):
        update_step(b, l, grads[l][0], grads[l][1], after, notes_digits)
    total = float(np.sum(costs) * scale)
    from nnviz.engine.core.network import forward

    total_after = loss.value(forward(after, x).output, y)
    b.add("result", "result", L, "", "C with the new weights",
          [["C =", Mat("C before", np.array([[total]])), "→", Mat("C after",
                                                                  np.array([[total_after]]))]],
          np.array([total_after]))
    return MatrixTrace(net.copy(), after, x, y, float(eta), int(base), total, total_after,
                       b.steps)


def neuron_position(step: MatrixStep, trace) -> int:
    """The neuron-by-neuron trace's position k that has shown everything of ``step``
    (single-example traces): where the neuron view resumes when the matrix view is left."""
    l = step.layer - 1
    idx = {
        "z": trace.idx_net, "a": trace.idx_out, "delta": trace.idx_delta,
        "grad_w": trace.idx_dw, "update_w": trace.idx_w,
        "grad_b": trace.idx_db, "update_b": trace.idx_b,
    }.get(step.kind)
    if step.kind == "error":
        return int(trace.idx_total)
    if step.kind == "result":
        return int(trace.idx_result)
    if step.kind in ("grad_w", "grad_b"):   # the neuron trace interleaves them per neuron
        both = np.concatenate([trace.idx_dw[l].ravel(), trace.idx_db[l].ravel()])
        known = both[both < 10**9]
    else:
        known = idx[l][idx[l] < 10**9] if idx is not None else np.zeros(0)
    if known.size == 0:   # e.g. a frozen bias: nothing of it in the neuron trace
        return neuron_position(MatrixStep(0, "", "delta" if step.phase == "backward" else
                                          "update_w", step.layer, "", "", "", (),
                                          step.value), trace)
    return int(known.max())
