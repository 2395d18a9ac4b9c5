"""The training options a worked step shows: L1 and L2 (the notes' λ/n), momentum (the
velocity), gradient clipping (by value, or by the norm of the trained parameters'
gradient) and dropout (the mask on each hidden output).

:func:`nnviz.engine.trace.build_trace` takes a :class:`StepOptions`: the forward pass uses
its masks, the update is :func:`apply_options` (equal to
:func:`nnviz.engine.training.train_step` with the same settings, masks and velocity) and
each weight's update is written out by :func:`update_equation`, its terms as details.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.engine.naming import fmt
from nnviz.engine.network import LayerGrad, Network

Array = np.ndarray


@dataclass
class StepOptions:
    """What one worked training step applies besides plain gradient descent.

    ``n`` is the training-set size of the λ/n scaling; ``velocity_w``/``velocity_b`` the
    momentum velocities before the step (None: zero, a first step); ``masks`` the
    inverted-dropout masks of the layers (None where no dropout).
    """

    l1: float = 0.0
    l2: float = 0.0
    n: int = 1
    momentum: float = 0.0
    velocity_w: list[Array] | None = None
    velocity_b: list[Array] | None = None
    clip_value: float | None = None
    clip_norm: float | None = None
    dropout: float = 0.0
    masks: list[Array | None] | None = None
    dropout_mode: str = "inverted"

    @classmethod
    def from_config(cls, cfg, net: Network, n: int, rng: np.random.Generator | None,
                    velocity: tuple[list[Array], list[Array]] | None = None) -> StepOptions:
        """The options of a TrainConfig for one example (masks drawn from ``rng`` as
        :func:`nnviz.engine.training.train_step` draws them)."""
        from nnviz.engine.optimisers import OPTIMISERS
        from nnviz.engine.training import dropout_masks

        name, hyper = cfg.optimiser_spec()
        if name not in ("sgd", "momentum"):  # the update would not be the one written out
            raise ValueError(f"the worked step writes out SGD and momentum updates; "
                             f"{OPTIMISERS[name].label} is trained in the Training lab")
        masks = None
        if cfg.dropout > 0:
            masks = dropout_masks(net, 1, cfg.dropout, rng or np.random.default_rng(0),
                                  cfg.dropout_mode)
        vw, vb = velocity if velocity is not None else (None, None)
        return cls(cfg.l1, cfg.l2, max(1, int(n)), hyper.get("momentum", 0.0), vw, vb,
                   cfg.clip_value, cfg.clip_norm, cfg.dropout, masks, cfg.dropout_mode)

    @property
    def plain(self) -> bool:
        return not (self.l1 or self.l2 or self.momentum or self.clip_value or self.clip_norm
                    or self.masks)


@dataclass
class Applied:
    """The gradients actually used (regularised, clipped), the clipping factor, the
    network after the step and the velocities after it."""

    gw: list[Array]
    gb: list[Array]
    norm: float | None
    factor: float
    after: Network
    velocity_w: list[Array]
    velocity_b: list[Array]


def apply_options(net: Network, grads: list[LayerGrad], eta: float, freeze: bool,
                  o: StepOptions) -> Applied:
    """g = ∂E/∂w + (λ2/n) w + (λ1/n) sgn(w), clipped; then w ← w − η g, or with momentum
    v ← μ v − η g, w ← w + v (the training engine's order)."""
    from nnviz.engine.training import trained_grad_norm

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
    vw = [v.copy() for v in o.velocity_w] if o.velocity_w else [np.zeros_like(w)
                                                                 for w in net.weights]
    vb = [v.copy() for v in o.velocity_b] if o.velocity_b else [np.zeros_like(b)
                                                                 for b in net.biases]
    for l in range(net.n_layers):
        train_b = net.use_bias[l] and not freeze
        if o.momentum:
            vw[l] = o.momentum * vw[l] - eta * gw[l]
            after.weights[l] = net.weights[l] + vw[l]
            if train_b:
                vb[l] = o.momentum * vb[l] - eta * gb[l]
                after.biases[l] = net.biases[l] + vb[l]
        else:
            after.weights[l] = net.weights[l] - eta * gw[l]
            if train_b:
                after.biases[l] = net.biases[l] - eta * gb[l]
    return Applied(gw, gb, norm, factor, after, vw, vb)


def _p(x: float) -> str:
    s = fmt(x)
    return f"({s})" if s.startswith("-") else s


def update_equation(o: StepOptions, ap: Applied, E: str, name: str, l: int, idx: tuple,
                    old: float, g0: float, eta: float, new: float, bias: bool = False):
    """The update of one parameter (weight (j, k) or bias (j,)) with its terms as details:
    the regularised gradient, the clipped gradient, the velocity; then the new value."""
    from nnviz.engine.trace import Equation

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
    if o.momentum:
        v_old = (o.velocity_b if bias else o.velocity_w)
        v0 = float(v_old[l][idx]) if v_old else 0.0
        v = (ap.velocity_b if bias else ap.velocity_w)[l][idx]
        details.append(Equation(f"v_{name}", (f"μ*v_{name} - η*{gname}",
                                              f"{fmt(o.momentum)}*{_p(v0)} - {fmt(eta)}*"
                                              f"{_p(used)}"), v))
        eq = Equation(f"{name}⁺", (f"{name} + v_{name}", f"{fmt(old)} + {_p(v)}"), new)
    else:
        eq = Equation(f"{name}⁺", (f"{name} - η*{gname}", f"{fmt(old)} - {fmt(eta)}*{_p(used)}"),
                      new)
    return eq, tuple(details)
