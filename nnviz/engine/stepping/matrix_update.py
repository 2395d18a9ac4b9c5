"""The matrix trace's update phase (:mod:`nnviz.engine.stepping.matrix_trace`): a mini-batch's
gradient as the scaled sum over its examples (notes 004, algorithm 5.3), and each layer's
W^l <- W^l - eta dC/dW^l and b^l <- b^l - eta dC/db^l, with notes 003's orientation
(rows = inputs) as a second line where the lesson prints it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from nnviz.engine.core.naming import fmt
from nnviz.engine.core.network import Network
from nnviz.engine.stepping.matrix_tokens import Mat, col, row

if TYPE_CHECKING:
    from nnviz.engine.stepping.matrix_trace import Builder

Array = np.ndarray


def sum_step(b: Builder, l: int, per_x: list[Array], kind: str, scale: float) -> Array:
    """The mini-batch gradient of weight layer l: the scaled sum over the examples."""
    s = b.sup(l + 1)
    total = np.sum(per_x, axis=0) * scale
    what = "W" if kind == "sum_w" else "b"
    one = "δ^(x,{s}) (a^(x,{s0}))ᵀ" if kind == "sum_w" else "δ^(x,{s})"
    one = one.format(s=s, s0=b.sup(l))
    factor = "" if scale == 1 else "(1/m) "
    toks: list = []
    shown = per_x if len(per_x) <= 4 else per_x[:3]
    for x, g in enumerate(shown):
        toks += [Mat(f"x = {x + 1}", g if kind == "sum_w" else g.reshape(-1, 1)), "+"]
    if len(per_x) > 4:
        toks += [f"… ({len(per_x)} examples)", "+"]
    toks[-1] = "="
    if scale != 1:
        toks = [f"1/{b.m} ·", "("] + toks[:-1] + [")", "="]
    shape = total if kind == "sum_w" else total.reshape(-1, 1)
    toks.append(Mat(f"∂C/∂{what}^{s}", shape))
    if kind == "sum_b" and b.net.shared_bias[l]:
        total = np.full_like(total, np.sum(total))
    note = ("The cost is the sum over the examples (the notes' E_total): no 1/m."
            if scale == 1 else "C is the mean over the m examples: the sum is divided by m.")
    b.add("update", kind, l + 1, "BP4" if kind == "sum_w" else "BP3",
          f"∂C/∂{what}^{s} = {factor}Σₓ {one}", [toks], total, note)
    return total


def _minus(v: float) -> str:
    """A number with the typographic minus, as the view prints the matrices' entries."""
    return fmt(v).replace("-", "−")


def _notes_form(b: Builder, l: int, delta: Array, a_in: Array, new: Array,
                digits: tuple[int, int] | None) -> list:
    """Notes 003's orientation (rows = inputs): (W)ᵀ − η a_in δᵀ, with δ written as
    Δ times the weights above where the layer is linear and feeds one neuron."""
    net, nm = b.net, b.names
    WT = net.weights[l].T
    names = None
    if nm is not None:
        names = tuple(tuple(nm.weight(l, j, k) for j in range(WT.shape[1]))
                      for k in range(WT.shape[0]))
    d_prod, d_res = digits if digits else (None, None)
    prod = b.eta * a_in @ delta.T
    s = b.sup(l + 1)
    head = [Mat(f"(W^{s})ᵀ", WT, names), "−"]
    above = l + 1 < net.n_layers and net.weights[l + 1].shape[0] == 1
    a_names = None
    if nm is not None:
        a_names = [nm.out(l, k) for k in range(WT.shape[0])]
    if delta.size == 1:                       # one neuron: δ is the notes' scalar Δ
        head += [f"{fmt(b.eta)}·({_minus(delta[0, 0])})·", col(a_in, f"a^{b.sup(l)}", a_names)]
    elif above and net.activations[l].name == "linear":
        big = float(b.delta_up[l + 1][0, 0])
        wn = None
        if nm is not None:
            wn = [nm.weight(l + 1, 0, j) for j in range(WT.shape[1])]
        head += [f"{fmt(b.eta)}·({_minus(big)})·", col(a_in, f"a^{b.sup(l)}", a_names), "·",
                 row(net.weights[l + 1], f"W^{b.sup(l + 2)}", wn)]
    else:
        head += [f"{fmt(b.eta)}·", col(a_in, f"a^{b.sup(l)}", a_names), "·",
                 row(delta, f"(δ^{s})ᵀ")]
    return [head + ["=", Mat(f"(W^{s})ᵀ", WT, names), "−", Mat("η a δᵀ", prod, None, d_prod),
                    "=", Mat(f"(W^{s})ᵀ new", new.T, None, d_res)]]


def update_step(b: Builder, l: int, gw: Array, gb: Array, after: Network,
            digits: tuple[int, int] | None) -> None:
    """W^l ← W^l − η ∂C/∂W^l and b^l ← b^l − η ∂C/∂b^l (unless frozen)."""
    net = b.net
    s = b.sup(l + 1)
    W, W_new = net.weights[l], after.weights[l]
    lines = [[Mat(f"W^{s}", W, b.weight_names(l)), "−", f"{fmt(b.eta)} ·", Mat(f"∂C/∂W^{s}", gw), "=",
              Mat(f"W^{s} new", W_new)]]
    note = "Every layer is updated after the whole backward pass (BP2 used the old W)."
    if b.m == 1 and digits is not None:
        lines += _notes_form(b, l, b.delta_up[l], b.a_in[l], W_new, digits)
        note += (" Second line: the same update as notes 003 write it (rows = inputs), "
                 f"rounded as the notes print it ({digits[0]} and {digits[1]} decimals).")
    formula = f"W^{s} ← W^{s} − η ∂C/∂W^{s}"
    if b.m > 1:   # notes 004's algorithm 5.3 / Nielsen's update_mini_batch
        eta_m = "η" if b.loss.scale(b.m) == 1 else "(η/m)"
        formula += f" = W^{s} − {eta_m} Σₓ δ^(x,{s}) (a^(x,{b.sup(l)}))ᵀ"
    b.add("update", "update_w", l + 1, "", formula, lines, W_new, note)
    if b.trains_bias(l):
        bb, b_new = net.biases[l], after.biases[l]
        gshow = gb[:1] if net.shared_bias[l] else gb
        old = bb[:1] if net.shared_bias[l] else bb
        res = b_new[:1] if net.shared_bias[l] else b_new
        b.add("update", "update_b", l + 1, "", f"b^{s} ← b^{s} − η ∂C/∂b^{s}",
              [[col(old, f"b^{s}"), "−", f"{fmt(b.eta)} ·", col(gshow, f"∂C/∂b^{s}"), "=",
                col(res, f"b^{s} new")]], b_new,
              "The neurons share this one bias." if net.shared_bias[l] else "")
