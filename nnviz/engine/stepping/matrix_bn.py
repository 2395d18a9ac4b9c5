"""The matrix view's mini-batch step of a network with batch normalisation.

Batch normalisation couples the examples of a mini-batch (each one's x̂ depends on the
batch's μ_B and σ_B²), so the step goes layer by layer over the whole batch, one column
per example (Z = W A + b for the m columns at once), with every number written out:

- forward, a normalised layer: μ_B = (1/m) Σₓ zˣ, σ_B² = (1/m) Σₓ (zˣ − μ_B)²,
  X̂ = (Z − μ_B) / √(σ_B² + ε), Y = γ ⊙ X̂ + β, then A = σ(Y);
- backward: Δ_y = ((W^(l+1))ᵀ Δ^(l+1)) ⊙ σ′(Y) (BP2 up to y), ∂C/∂γ = Σₓ Δ_y ⊙ X̂,
  ∂C/∂β = Σₓ Δ_y, and through the batch statistics to z:
  Q = X̂ ⊙ Σₓ (Δ_y ⊙ X̂), P = m Δ_y − Σₓ Δ_y − Q, Δ = γ / (m √(σ_B² + ε)) ⊙ P;
- BP3/BP4 summed over the batch: ∂C/∂b = Σₓ δˣ, ∂C/∂W = Δ Aᵀ (times 1/m for a mean cost);
- the update of W, b, γ and β (plain gradient descent, as the mini-batch step), and the
  running averages that test time uses.

It computes everything itself; the tests compare it with :func:`network.forward` /
:func:`network.backward`, with central finite differences and with ``train_step``.
"""

from __future__ import annotations

import numpy as np

from nnviz.engine.core.naming import fmt
from nnviz.engine.core.network import Network, forward
from nnviz.engine.stepping.matrix_tokens import Mat, MatrixTrace, col

Array = np.ndarray


class _Batch:
    """The forward quantities of the batch, per weight layer (columns = examples)."""

    def __init__(self) -> None:
        self.acts: list[Array] = []          # A^l, (n_l, m); acts[0] the inputs
        self.zs: list[Array] = []            # Z before batch norm
        self.ys: list[Array] = []            # what the activation sees (Y, or Z)
        self.stats: list[tuple | None] = []  # (mu, var, x_hat) of a normalised layer


def _forward(b, x: Array) -> _Batch:
    net, fw = b.net, _Batch()
    A = x.T
    fw.acts.append(A)
    for l in range(net.n_layers):
        s, s0 = b.sup(l + 1), b.sup(l)
        W = net.weights[l]
        bias = net.biases[l] if net.use_bias[l] else np.zeros(W.shape[0])
        Z = W @ A + bias[:, None]
        b.add("forward", "z", l + 1, "", f"Z^{s} = W^{s} A^{s0} + b^{s}  (a column per example)",
              [[Mat(f"W^{s}", W), "·", Mat(f"A^{s0}", A), "+", col(bias, f"b^{s}"), "=",
                Mat(f"Z^{s}", Z)]], Z)
        fw.zs.append(Z)
        bn = net.norms[l]
        Y = Z
        if bn is not None:
            Y, stats = _normalise(b, l, Z, bn)
            fw.stats.append(stats)
        else:
            fw.stats.append(None)
        act = net.activations[l]
        A = act.fn(Y.T).T
        z_name = "Y" if bn is not None else "Z"
        b.add("forward", "a", l + 1, "", f"A^{s} = {act.symbol}({z_name}^{s})  ({act.title})",
              [[f"{act.symbol}(", Mat(f"{z_name}^{s}", Y), ")", "=", Mat(f"A^{s}", A)]], A)
        fw.ys.append(Y)
        fw.acts.append(A)
    return fw


def _normalise(b, l: int, Z: Array, bn) -> tuple[Array, tuple]:
    """μ_B, σ_B², X̂ and γ ⊙ X̂ + β of layer l, one step each."""
    s, m = b.sup(l + 1), Z.shape[1]
    mu = Z.mean(axis=1)
    centred = Z - mu[:, None]
    var = (centred ** 2).mean(axis=1)
    root = np.sqrt(var + bn.eps)
    x_hat = centred / root[:, None]
    Y = bn.gamma[:, None] * x_hat + bn.beta[:, None]
    b.add("forward", "bn_mu", l + 1, "BN", f"μ_B = (1/m) Σₓ z^(x,{s})  (each neuron: the mean "
          "of its row)", [[f"1/{m} · Σₓ", Mat(f"Z^{s}", Z), "=", col(mu, "μ_B")]], mu,
          f"Batch normalisation of layer {s}: the statistics are the mini-batch's, over its "
          f"m = {m} examples (the columns).")
    b.add("forward", "bn_var", l + 1, "BN", f"σ_B² = (1/m) Σₓ (z^(x,{s}) − μ_B)²",
          [[f"1/{m} · Σₓ (", Mat(f"Z^{s} − μ_B", centred), ")²", "=", col(var, "σ_B²")]], var,
          "The biased variance (divided by m), as in training; the running average that "
          "test time uses takes m/(m − 1) of it.")
    b.add("forward", "bn_xhat", l + 1, "BN", "X̂ = (Z − μ_B) / √(σ_B² + ε)",
          [[Mat(f"Z^{s} − μ_B", centred), "/", col(root, "√(σ_B² + ε)"), "=", Mat("X̂", x_hat)]],
          x_hat, f"Each row divided by its own √(σ_B² + ε), ε = {fmt(bn.eps)}: every neuron's "
          "values now have mean 0 and variance (almost) 1 over the batch.")
    b.add("forward", "bn_y", l + 1, "BN", f"Y^{s} = γ ⊙ X̂ + β",
          [[col(bn.gamma, "γ"), "⊙", Mat("X̂", x_hat), "+", col(bn.beta, "β"), "=",
            Mat(f"Y^{s}", Y)]], Y,
          "γ and β are learned per neuron (γ = σ_B and β = μ_B would undo the normalisation); "
          "the activation sees Y.")
    return Y, (mu, var, x_hat, root)


def _output_delta(b, fw: _Batch, y: Array) -> Array:
    """The error, ∇ₐC and BP1 for the whole batch (per-example cost gradients)."""
    net, loss, L = b.net, b.loss, b.net.n_layers
    A, Yt = fw.acts[-1], y.T
    s = b.sup(L)
    costs = loss.sample(A.T, y)
    grad = loss.grad(A.T, y).T
    total = float(np.sum(costs) * loss.scale(b.m))
    b.add("error", "error", L, "", f"C = {loss.formula} over the m examples   ∇ₐC = "
          f"{loss.grad_text}", [[Mat(f"A^{s}", A), ",", Mat("Y", Yt), "→", Mat("∇ₐC", grad)],
                                ["C =", Mat("C", np.array([[total]]))]], np.array([total]),
          "C is the mean over the m examples: every sum over x below is divided by m."
          if loss.scale(b.m) != 1 else "C is the sum over the examples (the notes' E_total).")
    act = net.activations[-1]
    if loss.combined_delta(act.name):
        D = A * np.sum(Yt, axis=0) - Yt if act.vector else A - Yt
        lines = [[Mat(f"A^{s}", A), "−", Mat("Y", Yt), "=", Mat(f"Δ^{s}", D)]]
        formula = f"Δ^{s} = A^{s} − Y  ({act.title} with {loss.title}: σ′ cancels)"
    else:
        D = act.backprop(fw.ys[-1].T, A.T, grad.T).T
        sp = act.prime(fw.ys[-1].T, A.T).T if not act.vector else None
        lines = ([[Mat("∇ₐC", grad), "⊙", Mat(f"σ′(Z^{s})", sp), "=", Mat(f"Δ^{s}", D)]]
                 if sp is not None else [["Jᵀ ∇ₐC, a column at a time =", Mat(f"Δ^{s}", D)]])
        formula = f"Δ^{s} = ∇ₐC ⊙ σ′(Z^{s})"
    b.add("backward", "delta", L, "BP1", formula, lines, D)
    return D


def _through_bn(b, l: int, G: Array, stats: tuple) -> tuple[Array, Array, Array]:
    """∂C/∂γ, ∂C/∂β and Δ = ∂C/∂z of layer l from G = ∂C/∂y, one step each."""
    bn, s, m, scale = b.net.norms[l], b.sup(l + 1), G.shape[1], b.loss.scale(b.m)
    _mu, _var, x_hat, root = stats
    gx = G * x_hat
    dgamma, dbeta = gx.sum(axis=1) * scale, G.sum(axis=1) * scale
    factor = "" if scale == 1 else f"1/{m} · "
    b.add("backward", "grad_gamma", l + 1, "BN", f"∂C/∂γ = {factor}Σₓ Δ_y ⊙ X̂",
          [[f"{factor}Σₓ", Mat("Δ_y ⊙ X̂", gx), "=", col(dgamma, "∂C/∂γ")]], dgamma)
    b.add("backward", "grad_beta", l + 1, "BN", f"∂C/∂β = {factor}Σₓ Δ_y",
          [[f"{factor}Σₓ", Mat("Δ_y", G), "=", col(dbeta, "∂C/∂β")]], dbeta)
    k = bn.gamma / (m * root)
    sum_g, sum_gx = G.sum(axis=1), gx.sum(axis=1)
    proj = x_hat * sum_gx[:, None]
    b.add("backward", "bn_proj", l + 1, "BN", "Q = X̂ ⊙ Σₓ (Δ_y ⊙ X̂)",
          [[Mat("X̂", x_hat), "⊙", col(sum_gx, "Σₓ Δ_y⊙X̂"), "=", Mat("Q", proj)]], proj,
          "Each δ_y's part along X̂ (the direction in which σ_B moves).")
    inner = m * G - sum_g[:, None] - proj
    b.add("backward", "bn_inner", l + 1, "BN", "P = m Δ_y − Σₓ Δ_y − Q",
          [[f"{m} ·", Mat("Δ_y", G), "−", col(sum_g, "Σₓ Δ_y"), "−", Mat("Q", proj), "=",
            Mat("P", inner)]], inner,
          "Through the batch statistics: every example's z moved μ_B and σ_B, so each δ "
          "loses the batch's mean and its part along X̂.")
    D = k[:, None] * inner
    b.add("backward", "delta_bn", l + 1, "BN", f"Δ^{s} = γ/(m√(σ_B² + ε)) ⊙ P",
          [[col(k, "γ/(m√(σ_B²+ε))"), "⊙", Mat("P", inner), "=", Mat(f"Δ^{s}", D)]], D,
          f"∂C/∂z^{s}: on to BP3 and BP4 as without batch norm.")
    return D, dgamma, dbeta


def _backward(b, fw: _Batch, y: Array) -> list[tuple]:
    """BP1, then per layer down: Δ_y and the batch-norm steps, BP3 and BP4 summed."""
    net, L = b.net, b.net.n_layers
    grads: list[tuple] = [()] * L
    D = _output_delta(b, fw, y)
    for l in range(L - 1, -1, -1):
        dgamma = dbeta = None
        if l < L - 1:
            s, su = b.sup(l + 1), b.sup(l + 2)
            WT = net.weights[l + 1].T
            act = net.activations[l]
            sp = act.prime(fw.ys[l].T, fw.acts[l + 1].T).T
            G = (WT @ D) * sp
            bn = net.norms[l] is not None
            name = "Δ_y" if bn else f"Δ^{s}"
            b.add("backward", "delta", l + 1, "BP2",
                  f"{name} = ((W^{su})ᵀ Δ^{su}) ⊙ σ′({'Y' if bn else 'Z'}^{s})",
                  [[Mat(f"(W^{su})ᵀ", WT), "·", Mat(f"Δ^{su}", D), "⊙",
                    Mat(f"σ′({'Y' if bn else 'Z'}^{s})", sp), "=", Mat(name, G)]], G,
                  "Up to the normalised values y (what the activation saw): ∂C/∂y."
                  if bn else "")
            D, dgamma, dbeta = _through_bn(b, l, G, fw.stats[l]) if bn else (G, None, None)
        grads[l] = (_sums(b, l, D, fw.acts[l]), dgamma, dbeta)
    return grads


def _sums(b, l: int, D: Array, A: Array) -> tuple[Array, Array | None]:
    """BP3 and BP4 of weight layer l summed over the batch (times 1/m for a mean cost)."""
    net, s, s0, m = b.net, b.sup(l + 1), b.sup(l), D.shape[1]
    scale = b.loss.scale(b.m)
    factor = "" if scale == 1 else f"1/{m} · "
    gb = None
    if net.use_bias[l]:
        gb = D.sum(axis=1) * scale
        if net.shared_bias[l]:
            gb = np.full_like(gb, np.sum(gb))
        note = ""
        if net.norms[l] is not None:
            note = ("With batch norm this bias changes nothing (μ_B takes it away again): its "
                    "gradient is 0 up to rounding; β does its job.")
        if b.freeze:
            note = (note + " The biases are frozen: this gradient is not applied.").strip()
        b.add("backward", "sum_b", l + 1, "BP3", f"∂C/∂b^{s} = {factor}Σₓ δ^(x,{s})",
              [[f"{factor}Σₓ", Mat(f"Δ^{s}", D), "=", col(gb, f"∂C/∂b^{s}")]], gb, note)
    gw = (D @ A.T) * scale
    b.add("backward", "sum_w", l + 1, "BP4", f"∂C/∂W^{s} = {factor}Δ^{s} (A^{s0})ᵀ = "
          f"{factor}Σₓ δ^(x,{s}) (a^(x,{s0}))ᵀ",
          [[factor, Mat(f"Δ^{s}", D), "·", Mat(f"(A^{s0})ᵀ", A.T), "=", Mat(f"∂C/∂W^{s}", gw)]],
          gw, "The matrix product adds up the examples' outer products δˣ (aˣ)ᵀ.")
    return gw, gb


def _update(b, grads: list[tuple], fw: _Batch) -> Network:
    """W, b, γ, β ← minus η times their gradients; the running averages follow μ_B, σ_B²."""
    net, eta, after = b.net, b.eta, b.net.copy()
    for l, ((gw, gb), dgamma, dbeta) in enumerate(grads):
        s = b.sup(l + 1)
        after.weights[l] = net.weights[l] - eta * gw
        b.add("update", "update_w", l + 1, "", f"W^{s} ← W^{s} − η ∂C/∂W^{s}",
              [[Mat(f"W^{s}", net.weights[l]), "−", f"{fmt(eta)} ·", Mat(f"∂C/∂W^{s}", gw),
                "=", Mat(f"W^{s} new", after.weights[l])]], after.weights[l])
        if gb is not None and b.trains_bias(l):
            after.biases[l] = net.biases[l] - eta * gb
            b.add("update", "update_b", l + 1, "", f"b^{s} ← b^{s} − η ∂C/∂b^{s}",
                  [[col(net.biases[l], f"b^{s}"), "−", f"{fmt(eta)} ·", col(gb, f"∂C/∂b^{s}"),
                    "=", col(after.biases[l], f"b^{s} new")]], after.biases[l])
        bn = net.norms[l]
        if bn is None:
            continue
        new = after.norms[l]
        new.gamma, new.beta = bn.gamma - eta * dgamma, bn.beta - eta * dbeta
        b.add("update", "update_bn", l + 1, "BN", "γ ← γ − η ∂C/∂γ;   β ← β − η ∂C/∂β",
              [[col(bn.gamma, "γ"), "−", f"{fmt(eta)} ·", col(dgamma, "∂C/∂γ"), "=",
                col(new.gamma, "γ new")],
               [col(bn.beta, "β"), "−", f"{fmt(eta)} ·", col(dbeta, "∂C/∂β"), "=",
                col(new.beta, "β new")]], np.concatenate([new.gamma, new.beta]))
        _running(b, l, bn, new, fw.stats[l])
    return after


def _running(b, l: int, bn, new, stats: tuple) -> None:
    """The running averages test time uses: mean ← k mean + (1 − k) μ_B and
    var ← k var + (1 − k) m/(m − 1) σ_B² (k = the batch-norm momentum)."""
    mu, var = stats[0], stats[1]
    m, k = b.m, bn.momentum
    unbiased = var * (m / (m - 1))
    new.running_mean = k * bn.running_mean + (1 - k) * mu
    new.running_var = k * bn.running_var + (1 - k) * unbiased
    b.add("update", "running", l + 1, "BN", f"mean ← {fmt(k)}·mean + {fmt(1 - k)}·μ_B;   "
          f"var ← {fmt(k)}·var + {fmt(1 - k)}·m/(m − 1)·σ_B²",
          [[f"{fmt(k)} ·", col(bn.running_mean, "mean"), "+", f"{fmt(1 - k)} ·", col(mu, "μ_B"),
            "=", col(new.running_mean, "mean new")],
           [f"{fmt(k)} ·", col(bn.running_var, "var"), "+", f"{fmt(1 - k)} · {m}/{m - 1} ·",
            col(var, "σ_B²"), "=", col(new.running_var, "var new")]],
          np.concatenate([new.running_mean, new.running_var]),
          "Not trained: averages of the batches' statistics, used instead of them at test "
          "time (one example, or the test set).")


def bn_batch_trace(b, x: Array, y: Array) -> MatrixTrace:
    """The whole mini-batch step of a batch-normalised network (``b``: the matrix trace's
    builder, x (m, n_in) and y (m, n_out) the batch, m >= 2)."""
    net, loss = b.net, b.loss
    fw = _forward(b, x)
    grads = _backward(b, fw, y)
    after = _update(b, grads, fw)
    total = float(b.steps[next(i for i, s in enumerate(b.steps) if s.kind == "error")].value[0])
    with np.errstate(all="ignore"):
        out = forward(after.copy(), x, training=True).output   # the batch's statistics again
    total_after = float(loss.value(out, y))
    b.add("result", "result", net.n_layers, "", "C with the new weights (the same batch)",
          [["C =", Mat("C before", np.array([[total]])), "→",
            Mat("C after", np.array([[total_after]]))]], np.array([total_after]))
    return MatrixTrace(net.copy(), after, x, y, b.eta, b.base, total, total_after, b.steps)
