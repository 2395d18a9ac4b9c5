"""The step-by-step trace of one training example, pure and replayable.

``build_trace`` computes one whole training step (forward pass, errors,
backward pass, updates) and splits it into micro-steps in the order of the
notes. Every micro-step carries its formula with and without the numbers.
``Trace.state_at(k)`` gives what is known after k micro-steps directly, so
stepping back is as cheap as stepping forward.

Updates are applied together after the backward pass, as the notes do: the
hidden layer's gradients use the old weights.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nnviz.engine.losses import Loss
from nnviz.engine.naming import Naming, fmt
from nnviz.engine.network import ForwardPass, LayerGrad, Network, backward, forward
from nnviz.engine.trace_text import (
    MAX_TERMS,
    _paren,
    _sum,
    _sum_n,
)

Array = np.ndarray
PHASES = ("forward", "error", "backward", "update", "result")


@dataclass(frozen=True)
class Equation:
    """``lhs = stages[0] = stages[1] = ... = value``; the first ``n_symbolic``
    stages are symbolic, the rest have the numbers substituted."""

    lhs: str
    stages: tuple[str, ...]
    value: float
    n_symbolic: int = 1

    @property
    def symbolic(self) -> str:
        return " = ".join((self.lhs, *self.stages[: self.n_symbolic]))

    @property
    def numeric(self) -> str:
        return " = ".join((self.lhs, *self.stages[self.n_symbolic:], fmt(self.value)))

    def text(self) -> str:
        """The whole line, e.g. ``net_h1 = w1*i1 + ... = 0.15*0.05 + ... = 0.3775``.

        A stage that repeats the one before it (or the result) is left out.
        """
        parts = [self.lhs]
        for st in (*self.stages, fmt(self.value)):
            if st != parts[-1]:
                parts.append(st)
        return " = ".join(parts)


@dataclass(frozen=True)
class MicroStep:
    """One micro-step of the trace.

    ``layer`` is the network layer (0 = inputs, 1 = first hidden ...) of the
    neuron concerned; ``neuron`` its index j; ``source`` the index k of the
    neuron below for a weight (None otherwise). ``details`` are the factors of
    the main equation, each on its own line as in the notes.
    """

    index: int
    phase: str
    kind: str
    layer: int
    neuron: int | None
    source: int | None
    equation: Equation
    details: tuple[Equation, ...] = ()
    factors: tuple[tuple[str, float], ...] = ()
    title: str = ""

    @property
    def value(self) -> float:
        return self.equation.value


@dataclass
class TraceState:
    """What is shown after k micro-steps. ``*_known`` masks say what has been computed."""

    k: int
    step: MicroStep | None
    weights: list[Array]
    biases: list[Array]
    net: list[Array]
    out: list[Array]
    delta: list[Array]
    dw: list[Array]
    db: list[Array]
    errors: Array
    net_known: list[Array]
    out_known: list[Array]
    delta_known: list[Array]
    dw_known: list[Array]
    db_known: list[Array]
    w_updated: list[Array]
    b_updated: list[Array]
    errors_known: Array
    total_error: float | None
    total_after: float | None


@dataclass
class Trace:
    """All micro-steps of one training step on one example, with reveal indices."""

    net_before: Network
    net_after: Network
    x: Array
    y: Array
    eta: float
    naming: Naming
    fwd: ForwardPass
    grads: list[LayerGrad]
    errors: Array
    total_error: float
    total_after: float
    steps: list[MicroStep] = field(default_factory=list)
    idx_net: list[Array] = field(default_factory=list)
    idx_out: list[Array] = field(default_factory=list)
    idx_delta: list[Array] = field(default_factory=list)
    idx_dw: list[Array] = field(default_factory=list)
    idx_db: list[Array] = field(default_factory=list)
    idx_w: list[Array] = field(default_factory=list)
    idx_b: list[Array] = field(default_factory=list)
    idx_error: Array = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    idx_total: int = 0
    idx_result: int = 0
    optimiser: object = None    # the optimiser after the step (its state), if not plain SGD
    plain: bool = True          # the update is w - η ∂E/∂w (no optimiser, L1/L2, clipping)

    def __len__(self) -> int:
        return len(self.steps)

    def phase_start(self, phase: str) -> int:
        """Index k of the state just before the first step of ``phase``."""
        for s in self.steps:
            if s.phase == phase:
                return s.index - 1
        return len(self.steps)

    def state_at(self, k: int) -> TraceState:
        """The state after k micro-steps (0 = before the first, len = all done)."""
        k = max(0, min(int(k), len(self.steps)))

        def known(idx: list[Array]) -> list[Array]:
            return [i <= k for i in idx]

        w_upd = known(self.idx_w)
        b_upd = known(self.idx_b)
        weights = [np.where(u, a, b) for u, a, b in
                   zip(w_upd, self.net_after.weights, self.net_before.weights)]
        biases = [np.where(u, a, b) for u, a, b in
                  zip(b_upd, self.net_after.biases, self.net_before.biases)]
        return TraceState(
            k=k,
            step=self.steps[k - 1] if k else None,
            weights=weights,
            biases=biases,
            net=[z[0] for z in self.fwd.zs],
            out=[a[0] for a in self.fwd.activations],
            delta=[g.delta[0] for g in self.grads],
            dw=[g.dw for g in self.grads],
            db=[g.db for g in self.grads],
            errors=self.errors,
            net_known=known(self.idx_net),
            out_known=[np.ones(len(self.x), dtype=bool)] + known(self.idx_out),
            delta_known=known(self.idx_delta),
            dw_known=known(self.idx_dw),
            db_known=known(self.idx_db),
            w_updated=w_upd,
            b_updated=b_upd,
            errors_known=self.idx_error <= k,
            total_error=self.total_error if self.idx_total <= k else None,
            total_after=self.total_after if self.idx_result <= k else None,
        )


def _bias_update(bn: str, l: int, j: int, net: Network, after: Network, grads, eta: float,
                 E: str, opts, applied) -> tuple[Equation, tuple[Equation, ...]]:
    """The update equation of bias j of weight layer l (and its terms with options)."""
    if applied is not None:
        from nnviz.engine.trace_options import update_equation

        return update_equation(opts, applied, E, bn, l, (j,), net.biases[l][j],
                               grads[l].db[j], eta, after.biases[l][j], bias=True)
    return Equation(f"{bn}⁺", (f"{bn} - η*∂{E}/∂{bn}", f"{fmt(net.biases[l][j])} - "
                                                    f"{fmt(eta)}*{_paren(grads[l].db[j])}"),
                    after.biases[l][j]), ()


# ---------------------------------------------------------------- builder
def build_trace(
    net: Network,
    x: Array,
    y: Array,
    loss: Loss,
    eta: float,
    naming: Naming | None = None,
    freeze_biases: bool = False,
    options=None,
) -> Trace:
    """The micro-step trace of one SGD step of ``net`` on the single example (x, y);
    ``options`` (a :class:`~nnviz.engine.trace_options.StepOptions`) adds L1/L2, the
    optimiser, clipping and dropout, each written out in the steps."""
    from nnviz.engine.trace_options import apply_options, update_equation

    if net.has_batch_norm:
        raise ValueError("the neuron-by-neuron steps leave batch normalisation out (it needs "
                         "a batch): the matrix view (M) with Mini-batch steps it")
    x = np.asarray(x, dtype=np.float64).reshape(1, -1)
    y = np.asarray(y, dtype=np.float64).reshape(1, -1)
    naming = naming or Naming.layered(net.sizes)
    opts = options if options is not None and not options.plain else None
    fwd = forward(net, x, opts.masks if opts is not None else None)
    grads = backward(net, fwd, y, loss)
    applied = None
    if opts is not None:
        applied = apply_options(net, grads, eta, freeze_biases, opts)
        after = applied.after
    else:
        after = net.copy()
        for l, g in enumerate(grads):
            after.weights[l] -= eta * g.dw
            if net.use_bias[l] and not freeze_biases:
                after.biases[l] -= eta * g.db
    out = fwd.output[0]
    errors = loss.per_output(out, y[0])
    total = float(loss.value(fwd.output, y))
    total_after = float(loss.value(forward(after, x).output, y))
    L = net.n_layers
    big = 10**9
    tr = Trace(
        net_before=net.copy(), net_after=after, x=x[0], y=y[0], eta=float(eta), naming=naming,
        fwd=fwd, grads=grads, errors=errors, total_error=total, total_after=total_after,
        idx_net=[np.full(w.shape[0], big) for w in net.weights],
        idx_out=[np.full(w.shape[0], big) for w in net.weights],
        idx_delta=[np.full(w.shape[0], big) for w in net.weights],
        idx_dw=[np.full(w.shape, big) for w in net.weights],
        idx_db=[np.full(w.shape[0], big) for w in net.weights],
        idx_w=[np.full(w.shape, big) for w in net.weights],
        idx_b=[np.full(w.shape[0], big) for w in net.weights],
        idx_error=np.full(net.sizes[-1], big),
        idx_total=big, idx_result=big,
    )
    steps = tr.steps
    E = naming.total_error
    a_vals = [a[0] for a in fwd.activations]
    z_vals = [z[0] for z in fwd.zs]

    def add(phase: str, kind_: str, layer: int, j: int | None, k: int | None, eq: Equation,
            details: tuple[Equation, ...] = (), factors: tuple = ()) -> int:
        idx = len(steps) + 1
        where = ""
        if j is not None:
            where = f" · layer {naming.layer_number(layer)} · neuron {naming.label(layer, j)}"
        title = f"{phase.capitalize()}{where}"
        steps.append(MicroStep(idx, phase, kind_, layer, j, k, eq, details, factors, title))
        return idx

    # ---- forward: net then out, neuron by neuron
    for l in range(L):
        act = net.activations[l]
        w = net.weights[l]
        for j in range(w.shape[0]):
            n_in = w.shape[1]
            n_terms = n_in + bool(net.use_bias[l])

            def sym_term(k: int, l: int = l, j: int = j, n_in: int = n_in) -> str:
                if k == n_in:
                    return f"{naming.bias(l, j)}*1"
                return f"{naming.weight(l, j, k)}*{naming.out(l, k)}"

            def num_term(k: int, l: int = l, j: int = j, w: Array = w, n_in: int = n_in) -> str:
                if k == n_in:
                    return f"{fmt(net.biases[l][j])}*1"
                return f"{fmt(w[j, k])}*{_paren(a_vals[l][k])}"

            eq = Equation(naming.net(l + 1, j), (_sum_n(sym_term, n_terms),
                                                 _sum_n(num_term, n_terms)), z_vals[l][j])
            tr.idx_net[l][j] = add("forward", "net", l + 1, j, None, eq)
            zname = naming.net(l + 1, j)
            if act.vector:
                num_o = f"e^({fmt(z_vals[l][j])}) / (" + _sum(
                    [f"e^({fmt(v)})" for v in z_vals[l]]) + ")"
            else:
                num_o = act.expr(_paren(z_vals[l][j]))
            sym_o = act.expr(zname)
            m = fwd.masks[l]
            if m is not None:     # inverted dropout: the output times 0 or 1/(1 - p)
                sym_o, num_o = f"({sym_o})*m", f"({num_o})*{fmt(m[0, j])}"
            eq = Equation(naming.out(l + 1, j), (sym_o, num_o), a_vals[l + 1][j])
            tr.idx_out[l][j] = add("forward", "out", l + 1, j, None, eq)

    # ---- errors
    n_out = net.sizes[-1]
    for j in range(n_out):
        t, o = naming.target(j), naming.out(L, j)
        eq = Equation(naming.error(j), (loss.expr(t, o),
                                        loss.expr(fmt(y[0, j]), _paren(out[j]))), errors[j])
        tr.idx_error[j] = add("error", "error", L, j, None, eq)
    if n_out > 1 or naming.error(0) != E:
        eq = Equation(E, (_sum([naming.error(j) for j in range(n_out)]),
                          _sum([fmt(e) for e in errors])), total)
        tr.idx_total = add("error", "total", L, None, None, eq)
    else:
        tr.idx_total = int(tr.idx_error[0])

    # ---- backward
    combined = loss.combined_delta(net.activations[-1].name)
    dEdout: list[Array] = [np.zeros(0)] * L  # dE/dout per layer
    for l in range(L - 1, -1, -1):
        act = net.activations[l]
        layer = l + 1
        g = grads[l]
        for j in range(net.weights[l].shape[0]):
            d_name = naming.delta(layer, j)
            o_name = naming.out(layer, j)
            n_name = naming.net(layer, j)
            dv = g.delta[0, j]
            if l == L - 1 and combined:
                if act.vector and not np.isclose(np.sum(y[0]), 1.0):   # a Σ_k t_k − t
                    ysum = float(np.sum(y[0]))
                    eq = Equation(d_name, (f"∂{E}/∂{n_name}",
                                           f"{o_name}*Σ_k target_k - {naming.target(j)}",
                                           f"{fmt(out[j])}*{_paren(ysum)} - {_paren(y[0, j])}"),
                                  dv, n_symbolic=2)
                else:
                    eq = Equation(d_name, (f"∂{E}/∂{n_name}", f"{o_name} - {naming.target(j)}",
                                           f"{fmt(out[j])} - {_paren(y[0, j])}"), dv,
                                  n_symbolic=2)
                details: tuple[Equation, ...] = ()
                factors: tuple = ((f"∂{E}/∂{n_name}", dv),)
            else:
                if l == L - 1:
                    ga = loss.grad(fwd.output, y)[0]
                    dout = Equation(f"∂{E}/∂{o_name}", (
                        loss.dout_expr(naming.target(j), o_name),
                        loss.dout_expr(fmt(y[0, j]), _paren(out[j]))), ga[j])
                else:
                    nxt = grads[l + 1].delta[0]
                    wn = net.weights[l + 1]
                    jn = range(wn.shape[0])
                    per_output = l + 1 == L - 1 and len(jn) > 1 and naming.error(0) != E
                    sym1 = [f"∂{naming.error(q)}/∂{o_name}" for q in jn] if per_output else []
                    sym2 = [f"{naming.delta(layer + 1, q)}*{naming.weight(l + 1, q, j)}"
                            for q in jn]
                    num1 = [f"{fmt(nxt[q])}*{_paren(wn[q, j])}" for q in jn]
                    num2 = [fmt(nxt[q] * wn[q, j]) for q in jn]
                    stages = ([_sum(sym1)] if sym1 else []) + [_sum(sym2), _sum(num1)]
                    if len(num2) > 1:
                        stages.append(_sum(num2))
                    ga_j = float(np.sum(nxt * wn[:, j]))
                    dout = Equation(f"∂{E}/∂{o_name}", tuple(stages), ga_j,
                                    n_symbolic=2 if sym1 else 1)
                    dEdout[l] = dEdout[l] if dEdout[l].size else np.zeros(wn.shape[1])
                    dEdout[l][j] = ga_j
                if l == L - 1:
                    dEdout[l] = dEdout[l] if dEdout[l].size else np.zeros(n_out)
                    dEdout[l][j] = dout.value
                if act.vector:
                    fp = float(dv / dout.value) if dout.value else 0.0
                    dact = Equation(f"∂{o_name}/∂{n_name}", ("(softmax Jacobian, effective)",),
                                    fp)
                else:
                    fp = float(act.prime(np.array([z_vals[l][j]]), np.array([a_vals[l + 1][j]]))[0])
                    dact = Equation(f"∂{o_name}/∂{n_name}", (
                        act.prime_expr(n_name, o_name),
                        act.prime_expr(_paren(z_vals[l][j]), _paren(a_vals[l + 1][j]))), fp)
                eq = Equation(d_name, (f"∂{E}/∂{o_name} * ∂{o_name}/∂{n_name}",
                                       f"{fmt(dout.value)} * {_paren(fp)}"), dv)
                details = (dout, dact)
                factors = ((dout.lhs, dout.value), (dact.lhs, fp))
            tr.idx_delta[l][j] = add("backward", "delta", layer, j, None, eq, details, factors)
            # weight gradients into neuron j
            n_in = net.weights[l].shape[1]
            if n_in <= MAX_TERMS:
                for k in range(n_in):
                    w_name = naming.weight(l, j, k)
                    a_in = a_vals[l][k]
                    in_name = naming.out(l, k)
                    dnet = Equation(f"∂{n_name}/∂{w_name}", (in_name,), a_in)
                    if len(factors) == 2:
                        # the chain rule, then the same as the delta rule, as notes 001
                        # rewrite it: ∂E/∂w5 = δ_o1 · out_h1
                        eq = Equation(f"∂{E}/∂{w_name}", (
                            f"∂{E}/∂{o_name} * ∂{o_name}/∂{n_name} * ∂{n_name}/∂{w_name}",
                            f"{d_name} * {in_name}",
                            f"{fmt(factors[0][1])} * {_paren(factors[1][1])} * {_paren(a_in)}",
                            f"{fmt(dv)} * {_paren(a_in)}"), g.dw[j, k], n_symbolic=2)
                        f3 = factors + ((dnet.lhs, a_in),)
                        extra: tuple[Equation, ...] = (dnet,)
                    else:
                        eq = Equation(f"∂{E}/∂{w_name}", (f"{d_name} * {in_name}",
                                                          f"{fmt(dv)} * {_paren(a_in)}"), g.dw[j, k])
                        f3 = ((d_name, dv), (dnet.lhs, a_in))
                        extra = (dnet,)
                    tr.idx_dw[l][j, k] = add("backward", "grad_w", layer, j, k, eq, extra, f3)
            else:
                eq = Equation(f"∂{E}/∂{naming.weight(l, j, 0)}…", (
                    f"{d_name}*{naming.out(l, 0)}, …, {d_name}*{naming.out(l, n_in - 1)}",
                    f"{fmt(dv)}*a_k for {n_in} inputs (largest |∂C/∂w| "
                    f"{fmt(float(np.max(np.abs(g.dw[j]))))})"), dv)
                tr.idx_dw[l][j, :] = add("backward", "grad_row", layer, j, None, eq)
            if net.use_bias[l] and not freeze_biases and not net.shared_bias[l]:
                b_name = naming.bias(l, j)
                eq = Equation(f"∂{E}/∂{b_name}", (d_name,), g.db[j])
                tr.idx_db[l][j] = add("backward", "grad_b", layer, j, None, eq)
        if net.use_bias[l] and not freeze_biases and net.shared_bias[l]:
            b_name = naming.bias(l, 0)
            terms = [naming.delta(layer, j) for j in range(net.weights[l].shape[0])]
            eq = Equation(f"∂{E}/∂{b_name}", (_sum(terms), _sum([fmt(v) for v in g.delta[0]])),
                          g.db[0])
            tr.idx_db[l][:] = add("backward", "grad_b", layer, None, None, eq)

    # ---- updates, applied together after the backward pass
    for l in range(L):
        layer = l + 1
        w_old, w_new = net.weights[l], after.weights[l]
        n_in = w_old.shape[1]
        for j in range(w_old.shape[0]):
            if n_in <= MAX_TERMS:
                for k in range(n_in):
                    wn = naming.weight(l, j, k)
                    details = ()
                    if applied is not None:
                        eq, details = update_equation(
                            opts, applied, E, wn, l, (j, k), w_old[j, k], grads[l].dw[j, k],
                            eta, w_new[j, k])
                    else:
                        eq = Equation(f"{wn}⁺", (f"{wn} - η*∂{E}/∂{wn}",
                                                 f"{fmt(w_old[j, k])} - {fmt(eta)}*"
                                                 f"{_paren(grads[l].dw[j, k])}"), w_new[j, k])
                    tr.idx_w[l][j, k] = add("update", "update_w", layer, j, k, eq, details)
            else:
                wn = naming.weight(l, j, 0)
                eq = Equation(f"{wn}⁺…", (f"w - η*∂{E}/∂w for the {n_in} weights into "
                                          f"{naming.label(layer, j)}",), w_new[j, 0])
                tr.idx_w[l][j, :] = add("update", "update_row", layer, j, None, eq)
            if net.use_bias[l] and not freeze_biases and not net.shared_bias[l]:
                tr.idx_b[l][j] = add("update", "update_b", layer, j, None, *_bias_update(
                    naming.bias(l, j), l, j, net, after, grads, eta, E, opts, applied))
        if net.use_bias[l] and not freeze_biases and net.shared_bias[l]:
            tr.idx_b[l][:] = add("update", "update_b", layer, None, None, *_bias_update(
                naming.bias(l, 0), l, 0, net, after, grads, eta, E, opts, applied))

    if applied is not None:
        tr.optimiser, tr.plain = applied.optimiser, False

    # ---- the error after the update
    eq = Equation(f"{E}⁺", (f"{E} with the new weights (was {fmt(total)})",), total_after)
    tr.idx_result = add("result", "result", L, None, None, eq)
    return tr
