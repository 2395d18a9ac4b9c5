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

import numpy as np

from nnviz.engine.core.losses import Loss
from nnviz.engine.core.naming import Naming, fmt
from nnviz.engine.core.network import Network, backward, forward
from nnviz.engine.stepping.trace_records import PHASES, Array, Equation, MicroStep, Trace, TraceState
from nnviz.engine.stepping.trace_text import MAX_TERMS, _paren, _sum, _sum_n

__all__ = ["PHASES", "Equation", "MicroStep", "Trace", "TraceState", "build_trace"]

#: the reveal index of what no micro-step shows
_NEVER = 10**9


def _bias_update(bn: str, l: int, j: int, net: Network, after: Network, grads, eta: float,
                 E: str, opts, applied) -> tuple[Equation, tuple[Equation, ...]]:
    """The update equation of bias j of weight layer l (and its terms with options)."""
    if applied is not None:
        from nnviz.engine.stepping.trace_options import update_equation

        return update_equation(opts, applied, E, bn, l, (j,), net.biases[l][j],
                               grads[l].db[j], eta, after.biases[l][j], bias=True)
    return Equation(f"{bn}⁺", (f"{bn} - η*∂{E}/∂{bn}", f"{fmt(net.biases[l][j])} - "
                                                    f"{fmt(eta)}*{_paren(grads[l].db[j])}"),
                    after.biases[l][j]), ()


# ---------------------------------------------------------------- builder
#: the neuron-by-neuron steps of larger networks (hidden and output neurons) are declined:
#: their texts grow with fan-in x fan-out (2-100-100-2: 0.2 s; 2-300-300-2: 3 s;
#: 2-1400-1400-2: 38 s), and a step through thousands of neurons teaches nothing
MAX_TRACE_NEURONS = 256


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
    ``options`` (a :class:`~nnviz.engine.stepping.trace_options.StepOptions`) adds L1/L2, the
    optimiser, clipping and dropout, each written out in the steps."""
    if net.has_batch_norm:
        raise ValueError("the neuron-by-neuron steps leave batch normalisation out (it needs "
                         "a batch): the matrix view (M) with Mini-batch steps it")
    neurons = sum(net.sizes[1:])
    if neurons > MAX_TRACE_NEURONS:
        raise ValueError(f"the neuron-by-neuron steps stop at {MAX_TRACE_NEURONS} neurons, and "
                         f"this network has {neurons:,} in its hidden and output layers: the "
                         "matrix view (M) steps it layer by layer")
    b = _Builder(net, x, y, loss, eta, naming or Naming.layered(net.sizes), freeze_biases,
                 options if options is not None and not options.plain else None)
    b.forward_steps()
    b.error_steps()
    for l in range(net.n_layers - 1, -1, -1):
        b.backward_steps(l)
    b.update_steps()
    b.result_step()
    return b.tr


class _Builder:
    """What the phases of :func:`build_trace` share: the step computed once (forward pass,
    gradients, updated network), the trace being filled and the names of the notes."""

    def __init__(self, net: Network, x: Array, y: Array, loss: Loss, eta: float, naming: Naming,
                 freeze_biases: bool, opts) -> None:
        from nnviz.engine.stepping.trace_options import apply_options

        x = np.asarray(x, dtype=np.float64).reshape(1, -1)
        self.y = y = np.asarray(y, dtype=np.float64).reshape(1, -1)
        self.net, self.loss, self.eta, self.naming = net, loss, eta, naming
        self.freeze, self.opts = freeze_biases, opts
        self.fwd = fwd = forward(net, x, opts.masks if opts is not None else None)
        self.grads = grads = backward(net, fwd, y, loss)
        self.applied = apply_options(net, grads, eta, freeze_biases, opts) if opts is not None else None
        self.after = self.applied.after if self.applied is not None else self._plain_update()
        self.out = fwd.output[0]
        self.errors = loss.per_output(self.out, y[0])
        self.total = float(loss.value(fwd.output, y))
        total_after = float(loss.value(forward(self.after, x).output, y))
        self.L = net.n_layers
        self.E = naming.total_error
        self.a_vals = [a[0] for a in fwd.activations]
        self.z_vals = [z[0] for z in fwd.zs]
        per_neuron = [w.shape[0] for w in net.weights]
        self.tr = Trace(
            net_before=net.copy(), net_after=self.after, x=x[0], y=y[0], eta=float(eta),
            naming=naming, fwd=fwd, grads=grads, errors=self.errors, total_error=self.total,
            total_after=total_after,
            idx_net=[np.full(n, _NEVER) for n in per_neuron],
            idx_out=[np.full(n, _NEVER) for n in per_neuron],
            idx_delta=[np.full(n, _NEVER) for n in per_neuron],
            idx_dw=[np.full(w.shape, _NEVER) for w in net.weights],
            idx_db=[np.full(n, _NEVER) for n in per_neuron],
            idx_w=[np.full(w.shape, _NEVER) for w in net.weights],
            idx_b=[np.full(n, _NEVER) for n in per_neuron],
            idx_error=np.full(net.sizes[-1], _NEVER),
            idx_total=_NEVER, idx_result=_NEVER,
        )

    def _plain_update(self) -> Network:
        """w - η ∂E/∂w on every weight (and bias, unless frozen)."""
        after = self.net.copy()
        for l, g in enumerate(self.grads):
            after.weights[l] -= self.eta * g.dw
            if self.net.use_bias[l] and not self.freeze:
                after.biases[l] -= self.eta * g.db
        return after

    def _own_bias(self, l: int) -> bool:
        """Layer l has a bias per neuron that this step changes."""
        return bool(self.net.use_bias[l]) and not self.freeze and not self.net.shared_bias[l]

    def _shared_bias(self, l: int) -> bool:
        """Layer l has one bias shared by its neurons that this step changes."""
        return bool(self.net.use_bias[l]) and not self.freeze and bool(self.net.shared_bias[l])

    def add(self, phase: str, kind_: str, layer: int, j: int | None, k: int | None,
            eq: Equation, details: tuple[Equation, ...] = (), factors: tuple = ()) -> int:
        """Append a micro-step; its index (the reveal index of what it shows)."""
        steps = self.tr.steps
        idx = len(steps) + 1
        where = ""
        if j is not None:
            where = (f" · layer {self.naming.layer_number(layer)} · neuron "
                     f"{self.naming.label(layer, j)}")
        steps.append(MicroStep(idx, phase, kind_, layer, j, k, eq, details, factors,
                               f"{phase.capitalize()}{where}"))
        return idx

    # ------------------------------------------------------------ forward
    def forward_steps(self) -> None:
        """net then out, neuron by neuron, layer by layer."""
        for l in range(self.L):
            for j in range(self.net.weights[l].shape[0]):
                self.tr.idx_net[l][j] = self.add("forward", "net", l + 1, j, None,
                                                 self._net_equation(l, j))
                self.tr.idx_out[l][j] = self.add("forward", "out", l + 1, j, None,
                                                 self._out_equation(l, j))

    def _net_equation(self, l: int, j: int) -> Equation:
        net, naming, w = self.net, self.naming, self.net.weights[l]
        n_in = w.shape[1]
        n_terms = n_in + bool(net.use_bias[l])

        def sym_term(k: int) -> str:
            if k == n_in:
                return f"{naming.bias(l, j)}*1"
            return f"{naming.weight(l, j, k)}*{naming.out(l, k)}"

        def num_term(k: int) -> str:
            if k == n_in:
                return f"{fmt(net.biases[l][j])}*1"
            return f"{fmt(w[j, k])}*{_paren(self.a_vals[l][k])}"

        return Equation(naming.net(l + 1, j), (_sum_n(sym_term, n_terms),
                                               _sum_n(num_term, n_terms)), self.z_vals[l][j])

    def _out_equation(self, l: int, j: int) -> Equation:
        act, z = self.net.activations[l], self.z_vals[l]
        if act.vector:
            num_o = f"e^({fmt(z[j])}) / (" + _sum([f"e^({fmt(v)})" for v in z]) + ")"
        else:
            num_o = act.expr(_paren(z[j]))
        sym_o = act.expr(self.naming.net(l + 1, j))
        m = self.fwd.masks[l]
        if m is not None:     # inverted dropout: the output times 0 or 1/(1 - p)
            sym_o, num_o = f"({sym_o})*m", f"({num_o})*{fmt(m[0, j])}"
        return Equation(self.naming.out(l + 1, j), (sym_o, num_o), self.a_vals[l + 1][j])

    # ------------------------------------------------------------ errors
    def error_steps(self) -> None:
        naming, L, E, y, tr = self.naming, self.L, self.E, self.y, self.tr
        n_out = self.net.sizes[-1]
        for j in range(n_out):
            t, o = naming.target(j), naming.out(L, j)
            eq = Equation(naming.error(j), (self.loss.expr(t, o),
                                            self.loss.expr(fmt(y[0, j]), _paren(self.out[j]))),
                          self.errors[j])
            tr.idx_error[j] = self.add("error", "error", L, j, None, eq)
        if n_out > 1 or naming.error(0) != E:
            eq = Equation(E, (_sum([naming.error(j) for j in range(n_out)]),
                              _sum([fmt(e) for e in self.errors])), self.total)
            tr.idx_total = self.add("error", "total", L, None, None, eq)
        else:
            tr.idx_total = int(tr.idx_error[0])

    # ------------------------------------------------------------ backward
    def backward_steps(self, l: int) -> None:
        """Weight layer l: each neuron's delta, then its weight and bias gradients."""
        layer, tr = l + 1, self.tr
        for j in range(self.net.weights[l].shape[0]):
            eq, details, factors = self._delta(l, j)
            tr.idx_delta[l][j] = self.add("backward", "delta", layer, j, None, eq, details,
                                          factors)
            self._weight_gradients(l, j, factors)
            if self._own_bias(l):
                eq = Equation(f"∂{self.E}/∂{self.naming.bias(l, j)}",
                              (self.naming.delta(layer, j),), self.grads[l].db[j])
                tr.idx_db[l][j] = self.add("backward", "grad_b", layer, j, None, eq)
        if self._shared_bias(l):
            g = self.grads[l]
            terms = [self.naming.delta(layer, j) for j in range(self.net.weights[l].shape[0])]
            eq = Equation(f"∂{self.E}/∂{self.naming.bias(l, 0)}",
                          (_sum(terms), _sum([fmt(v) for v in g.delta[0]])), g.db[0])
            tr.idx_db[l][:] = self.add("backward", "grad_b", layer, None, None, eq)

    def _delta(self, l: int, j: int) -> tuple[Equation, tuple[Equation, ...], tuple]:
        """δ of neuron j of weight layer l, its factors written out, and their values."""
        if l == self.L - 1 and self.loss.combined_delta(self.net.activations[-1].name):
            return self._combined_delta(j)
        naming, E, layer = self.naming, self.E, l + 1
        o_name, n_name = naming.out(layer, j), naming.net(layer, j)
        dv = self.grads[l].delta[0, j]
        dout = self._dout(l, j)
        dact = self._dact(l, j, dv, dout.value)
        eq = Equation(naming.delta(layer, j), (f"∂{E}/∂{o_name} * ∂{o_name}/∂{n_name}",
                                               f"{fmt(dout.value)} * {_paren(dact.value)}"), dv)
        return eq, (dout, dact), ((dout.lhs, dout.value), (dact.lhs, dact.value))

    def _combined_delta(self, j: int) -> tuple[Equation, tuple[Equation, ...], tuple]:
        """The output δ of a loss and activation that simplify together (o - t)."""
        naming, E, y, L = self.naming, self.E, self.y, self.L
        d_name, o_name, n_name = naming.delta(L, j), naming.out(L, j), naming.net(L, j)
        dv = self.grads[L - 1].delta[0, j]
        if self.net.activations[-1].vector and not np.isclose(np.sum(y[0]), 1.0):
            ysum = float(np.sum(y[0]))      # a Σ_k t_k − t
            eq = Equation(d_name, (f"∂{E}/∂{n_name}",
                                   f"{o_name}*Σ_k target_k - {naming.target(j)}",
                                   f"{fmt(self.out[j])}*{_paren(ysum)} - {_paren(y[0, j])}"),
                          dv, n_symbolic=2)
        else:
            eq = Equation(d_name, (f"∂{E}/∂{n_name}", f"{o_name} - {naming.target(j)}",
                                   f"{fmt(self.out[j])} - {_paren(y[0, j])}"), dv,
                          n_symbolic=2)
        return eq, (), ((f"∂{E}/∂{n_name}", dv),)

    def _dout(self, l: int, j: int) -> Equation:
        """∂E/∂out of neuron j of weight layer l: from the loss (output layer) or from the
        deltas of the layer above."""
        naming, E, layer = self.naming, self.E, l + 1
        o_name = naming.out(layer, j)
        if l == self.L - 1:
            ga = self.loss.grad(self.fwd.output, self.y)[0]
            return Equation(f"∂{E}/∂{o_name}", (
                self.loss.dout_expr(naming.target(j), o_name),
                self.loss.dout_expr(fmt(self.y[0, j]), _paren(self.out[j]))), ga[j])
        nxt = self.grads[l + 1].delta[0]
        wn = self.net.weights[l + 1]
        jn = range(wn.shape[0])
        per_output = l + 1 == self.L - 1 and len(jn) > 1 and naming.error(0) != E
        sym1 = [f"∂{naming.error(q)}/∂{o_name}" for q in jn] if per_output else []
        sym2 = [f"{naming.delta(layer + 1, q)}*{naming.weight(l + 1, q, j)}" for q in jn]
        num1 = [f"{fmt(nxt[q])}*{_paren(wn[q, j])}" for q in jn]
        num2 = [fmt(nxt[q] * wn[q, j]) for q in jn]
        stages = ([_sum(sym1)] if sym1 else []) + [_sum(sym2), _sum(num1)]
        if len(num2) > 1:
            stages.append(_sum(num2))
        return Equation(f"∂{E}/∂{o_name}", tuple(stages), float(np.sum(nxt * wn[:, j])),
                        n_symbolic=2 if sym1 else 1)

    def _dact(self, l: int, j: int, dv: float, dout: float) -> Equation:
        """∂out/∂net of neuron j of weight layer l (softmax: the effective factor)."""
        act, layer = self.net.activations[l], l + 1
        o_name, n_name = self.naming.out(layer, j), self.naming.net(layer, j)
        if act.vector:
            fp = float(dv / dout) if dout else 0.0
            return Equation(f"∂{o_name}/∂{n_name}", ("(softmax Jacobian, effective)",), fp)
        z, a = self.z_vals[l][j], self.a_vals[l + 1][j]
        fp = float(act.prime(np.array([z]), np.array([a]))[0])
        return Equation(f"∂{o_name}/∂{n_name}", (act.prime_expr(n_name, o_name),
                                                 act.prime_expr(_paren(z), _paren(a))), fp)

    def _weight_gradients(self, l: int, j: int, factors: tuple) -> None:
        """∂E/∂w of the weights into neuron j (one row step for a wide layer)."""
        naming, E, layer, g = self.naming, self.E, l + 1, self.grads[l]
        d_name, dv = naming.delta(layer, j), g.delta[0, j]
        n_in = self.net.weights[l].shape[1]
        if n_in > MAX_TERMS:
            eq = Equation(f"∂{E}/∂{naming.weight(l, j, 0)}…", (
                f"{d_name}*{naming.out(l, 0)}, …, {d_name}*{naming.out(l, n_in - 1)}",
                f"{fmt(dv)}*a_k for {n_in} inputs (largest |∂C/∂w| "
                f"{fmt(float(np.max(np.abs(g.dw[j]))))})"), dv)
            self.tr.idx_dw[l][j, :] = self.add("backward", "grad_row", layer, j, None, eq)
            return
        o_name, n_name = naming.out(layer, j), naming.net(layer, j)
        for k in range(n_in):
            w_name, in_name, a_in = naming.weight(l, j, k), naming.out(l, k), self.a_vals[l][k]
            dnet = Equation(f"∂{n_name}/∂{w_name}", (in_name,), a_in)
            if len(factors) == 2:
                # the chain rule, then the same as the delta rule, as notes 001 rewrite it:
                # ∂E/∂w5 = δ_o1 · out_h1
                eq = Equation(f"∂{E}/∂{w_name}", (
                    f"∂{E}/∂{o_name} * ∂{o_name}/∂{n_name} * ∂{n_name}/∂{w_name}",
                    f"{d_name} * {in_name}",
                    f"{fmt(factors[0][1])} * {_paren(factors[1][1])} * {_paren(a_in)}",
                    f"{fmt(dv)} * {_paren(a_in)}"), g.dw[j, k], n_symbolic=2)
                f3 = factors + ((dnet.lhs, a_in),)
            else:
                eq = Equation(f"∂{E}/∂{w_name}", (f"{d_name} * {in_name}",
                                                  f"{fmt(dv)} * {_paren(a_in)}"), g.dw[j, k])
                f3 = ((d_name, dv), (dnet.lhs, a_in))
            self.tr.idx_dw[l][j, k] = self.add("backward", "grad_w", layer, j, k, eq, (dnet,), f3)

    # ------------------------------------------------------------ updates
    def update_steps(self) -> None:
        """The updates, applied together after the backward pass (as the notes do)."""
        net, after, tr = self.net, self.after, self.tr
        for l in range(self.L):
            layer = l + 1
            for j in range(net.weights[l].shape[0]):
                self._weight_updates(l, j)
                if self._own_bias(l):
                    tr.idx_b[l][j] = self.add("update", "update_b", layer, j, None, *_bias_update(
                        self.naming.bias(l, j), l, j, net, after, self.grads, self.eta, self.E,
                        self.opts, self.applied))
            if self._shared_bias(l):
                tr.idx_b[l][:] = self.add("update", "update_b", layer, None, None, *_bias_update(
                    self.naming.bias(l, 0), l, 0, net, after, self.grads, self.eta, self.E,
                    self.opts, self.applied))
        if self.applied is not None:
            tr.optimiser, tr.plain = self.applied.optimiser, False

    def _weight_updates(self, l: int, j: int) -> None:
        """w⁺ of the weights into neuron j (one row step for a wide layer)."""
        from nnviz.engine.stepping.trace_options import update_equation

        naming, E, eta, layer = self.naming, self.E, self.eta, l + 1
        w_old, w_new = self.net.weights[l], self.after.weights[l]
        n_in = w_old.shape[1]
        if n_in > MAX_TERMS:
            wn = naming.weight(l, j, 0)
            eq = Equation(f"{wn}⁺…", (f"w - η*∂{E}/∂w for the {n_in} weights into "
                                      f"{naming.label(layer, j)}",), w_new[j, 0])
            self.tr.idx_w[l][j, :] = self.add("update", "update_row", layer, j, None, eq)
            return
        dw = self.grads[l].dw
        for k in range(n_in):
            wn = naming.weight(l, j, k)
            details: tuple[Equation, ...] = ()
            if self.applied is not None:
                eq, details = update_equation(self.opts, self.applied, E, wn, l, (j, k),
                                              w_old[j, k], dw[j, k], eta, w_new[j, k])
            else:
                eq = Equation(f"{wn}⁺", (f"{wn} - η*∂{E}/∂{wn}",
                                         f"{fmt(w_old[j, k])} - {fmt(eta)}*{_paren(dw[j, k])}"),
                              w_new[j, k])
            self.tr.idx_w[l][j, k] = self.add("update", "update_w", layer, j, k, eq, details)

    # ------------------------------------------------------------ result
    def result_step(self) -> None:
        """The error after the update."""
        E = self.E
        eq = Equation(f"{E}⁺", (f"{E} with the new weights (was {fmt(self.total)})",),
                      self.tr.total_after)
        self.tr.idx_result = self.add("result", "result", self.L, None, None, eq)
