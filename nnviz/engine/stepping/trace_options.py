"""The training options a worked step shows: L1 and L2 (the notes' λ/n), the optimiser
(SGD, momentum, Nesterov, AdaGrad, RMSProp or Adam, its state written out with numbers),
gradient clipping (by value, or by the norm of the trained parameters' gradient) and
dropout (the mask on each hidden output).

:func:`nnviz.engine.stepping.trace.build_trace` takes a :class:`StepOptions`: the forward pass uses
its masks, the update is :func:`apply_options` (equal to
:func:`nnviz.engine.learning.training.train_step` with the same settings, masks and optimiser
state: the same optimiser objects, slots in train_step's order [W0, b0, W1, b1, ...]) and
each weight's update is written out by :func:`update_equation`, its terms as details.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.engine.core.naming import fmt
from nnviz.engine.core.network import LayerGrad, Network
from nnviz.engine.learning.optimisers import Optimiser

Array = np.ndarray


@dataclass
class StepOptions:
    """What one worked training step applies besides plain gradient descent.

    ``n`` is the training-set size of the λ/n scaling; ``optimiser`` the optimiser with
    its state before the step (None: plain SGD; a fresh one: a first step); ``masks`` the
    inverted-dropout masks of the layers (None where no dropout).
    """

    l1: float = 0.0
    l2: float = 0.0
    n: int = 1
    optimiser: Optimiser | None = None
    clip_value: float | None = None
    clip_norm: float | None = None
    dropout: float = 0.0
    masks: list[Array | None] | None = None
    dropout_mode: str = "inverted"

    @classmethod
    def from_config(cls, cfg, net: Network, n: int, rng: np.random.Generator | None,
                    state: Optimiser | None = None) -> StepOptions:
        """The options of a TrainConfig for one example (masks drawn from ``rng`` as
        :func:`nnviz.engine.learning.training.train_step` draws them); ``state``: the optimiser
        reached so far (kept if it is the one ``cfg`` asks for, with its settings)."""
        from nnviz.engine.learning.training import dropout_masks
        from nnviz.engine.teaching.notes_numbers import optimiser_state

        opt = optimiser_state(cfg, state).opt
        masks = None
        if cfg.dropout > 0:
            masks = dropout_masks(net, 1, cfg.dropout, rng or np.random.default_rng(0),
                                  cfg.dropout_mode)
        return cls(cfg.l1, cfg.l2, max(1, int(n)), None if opt.name == "sgd" else opt,
                   cfg.clip_value, cfg.clip_norm, cfg.dropout, masks, cfg.dropout_mode)

    @property
    def plain(self) -> bool:
        return not (self.l1 or self.l2 or self.optimiser is not None or self.clip_value
                    or self.clip_norm or self.masks)


@dataclass
class Applied:
    """The gradients actually used (regularised, clipped), the clipping factor, the
    network after the step and the optimiser after it (None: plain SGD)."""

    gw: list[Array]
    gb: list[Array]
    norm: float | None
    factor: float
    after: Network
    optimiser: Optimiser | None = None


def apply_options(net: Network, grads: list[LayerGrad], eta: float, freeze: bool,
                  o: StepOptions) -> Applied:
    """g = ∂E/∂w + (λ2/n) w + (λ1/n) sgn(w), clipped; then w ← w − η g, or the optimiser's
    step on [W0, b0, W1, b1, ...] (the training engine's order and objects)."""
    from nnviz.engine.learning.training import trained_grad_norm

    gw = [g.dw + (o.l2 / o.n) * w + (o.l1 / o.n) * np.sign(w) if (o.l1 or o.l2) else
          g.dw.copy() for g, w in zip(grads, net.weights)]
    gb = [g.db.copy() for g in grads]
    if o.clip_value is not None:
        gw = [np.clip(g, -o.clip_value, o.clip_value) for g in gw]
        gb = [np.clip(g, -o.clip_value, o.clip_value) for g in gb]
    norm, factor = None, 1.0
    if o.clip_norm is not None:
        norm = trained_grad_norm(net, [LayerGrad(None, None, None, w, b)
                                       for w, b in zip(gw, gb)], freeze)
        if norm > o.clip_norm:
            factor = o.clip_norm / norm
            gw = [g * factor for g in gw]
            gb = [g * factor for g in gb]
    after = net.copy()
    opt = o.optimiser.copy() if o.optimiser is not None else None
    if opt is not None:
        params, grads_used = [], []
        for l in range(net.n_layers):
            params += [after.weights[l], after.biases[l]]
            grads_used += [gw[l], gb[l] if net.use_bias[l] and not freeze else None]
        opt.step(params, grads_used, eta)
        return Applied(gw, gb, norm, factor, after, opt)
    for l in range(net.n_layers):
        after.weights[l] = net.weights[l] - eta * gw[l]
        if net.use_bias[l] and not freeze:
            after.biases[l] = net.biases[l] - eta * gb[l]
    return Applied(gw, gb, norm, factor, after)


def _p(x: float) -> str:
    s = fmt(x)
    return f"({s})" if s.startswith("-") else s


def update_equation(o: StepOptions, ap: Applied, E: str, name: str, l: int, idx: tuple,
                    old: float, g0: float, eta: float, new: float, bias: bool = False):
    """The update of one parameter (weight (j, k) or bias (j,)) with its terms as details:
    the regularised gradient, the clipped gradient, the optimiser's state (velocity,
    averages of g and g², bias-corrected moments); then the new value."""
    from nnviz.engine.stepping.trace import Equation

    details = []
    g = f"g_{name}"
    val = g0
    if (o.l1 or o.l2) and not bias:
        sym = [f"∂{E}/∂{name}"]
        num = [fmt(g0)]
        if o.l2:
            sym.append(f"λ2/n*{name}")
            num.append(f"{fmt(o.l2)}/{o.n}*{_p(old)}")
        if o.l1:
            sym.append(f"λ1/n*sgn({name})")
            num.append(f"{fmt(o.l1)}/{o.n}*{_p(np.sign(old))}")
        val = g0 + o.l2 / o.n * old + o.l1 / o.n * np.sign(old)
        details.append(Equation(g, (" + ".join(sym), " + ".join(num)), val))
    else:
        details.append(Equation(g, (f"∂{E}/∂{name}",), g0))
    used = (ap.gb[l] if bias else ap.gw[l])[idx]
    if o.clip_value is not None and used != val:
        details.append(Equation(f"{g}′", (f"clip({g}, -{fmt(o.clip_value)}, "
                                          f"{fmt(o.clip_value)})",), used))
    elif ap.factor != 1.0:
        details.append(Equation(f"{g}′", (f"{g}*c/‖g‖", f"{fmt(val)}*{fmt(o.clip_norm)}/"
                                          f"{fmt(ap.norm)}"), used))
    gname = details[-1].lhs
    if ap.optimiser is None:
        eq = Equation(f"{name}⁺", (f"{name} - η*{gname}", f"{fmt(old)} - {fmt(eta)}*{_p(used)}"),
                      new)
        return eq, tuple(details)
    slot = 2 * l + (1 if bias else 0)
    lines, update = ap.optimiser.worked(name, gname, _slot_values(o.optimiser, slot, idx),
                                        _slot_values(ap.optimiser, slot, idx), used, eta, old)
    details += [Equation(lhs, (sym, num), value) for lhs, sym, num, value in lines]
    return Equation(f"{name}⁺", update, new), tuple(details)


def _slot_values(opt: Optimiser, i: int, idx: tuple) -> dict[str, float]:
    """The state of one element of parameter array ``i`` (zero before its first step)."""
    s = opt.slots[i] if i < len(opt.slots) else None
    return {k: float(s[k][idx]) if s is not None else 0.0 for k in opt.slot_names}
