"""Gradient-descent optimisers: SGD, momentum, Nesterov momentum, AdaGrad, RMSProp, Adam.

Every optimiser is one object that owns what there is to know about it: its name and
label, its hyper-parameters (with defaults and bounds), its update rule as display
text, and its state (one *slot* of arrays per parameter array, created lazily with
the parameter's shape). All arithmetic is float64 and in place.

API (used by the reference trainer, the fast trainer, the surface race and any lab)::

    opt = make_optimiser("adam", beta1=0.9)
    opt.step(params, grads, lr)      # params updated IN PLACE; grads[i] None: skip slot i
    opt.reset()                      # forget the state (velocities, averages, t)
    d = opt.state_dict(); opt.load_state_dict(d)   # JSON-able, validated on load
    opt.describe_update(i, index)    # the numbers of the current update of one weight

Update rules (g = dC/dw, eta = the learning rate passed to ``step``, t = steps taken):

- sgd:      w <- w - eta g
- momentum: v <- mu v - eta g;  w <- w + v
- nesterov: v <- mu v - eta g;  w <- w + mu v - eta g   (the look-ahead gradient
  rewritten for the gradient at w: Sutskever et al. 2013, Bengio et al. 2012)
- adagrad:  G <- G + g^2;  w <- w - eta g / (sqrt(G) + eps)
- rmsprop:  s <- rho s + (1 - rho) g^2;  w <- w - eta g / (sqrt(s) + eps)
- adam:     m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
            m^ = m / (1 - b1^t);  v^ = v / (1 - b2^t);  w <- w - eta m^ / (sqrt(v^) + eps)

SGD, momentum and Nesterov are linear in eta g (``lr_folds``): a caller may pass
grads already multiplied by eta and lr = 1.0 (the fast trainer does).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnviz.engine.core.naming import fmt
from nnviz.engine.learning.optimiser_base import EPS, MU, Hyper, Line, Optimiser, paren, scaled

__all__ = ["EPS", "MU", "OPTIMISERS", "SYMBOLS", "Hyper", "Optimiser", "make_optimiser",
           "optimiser_from_state"]


class SGD(Optimiser):
    name, label = "sgd", "SGD"
    formula = "w ← w − η·g"
    lr_folds = True

    def _update(self, p, g, lr, s):
        np.subtract(p, g if lr == 1.0 else lr * g, p)


class Momentum(Optimiser):
    name, label = "momentum", "Momentum"
    hypers = (MU,)
    slot_names = ("v",)
    formula = "v ← μ·v − η·g;   w ← w + v"
    lr_folds = True

    def _update(self, p, g, lr, s):
        v = s["v"]
        v *= self.hyper["momentum"]
        v -= g if lr == 1.0 else lr * g
        p += v

    def _velocity(self, w, g, s0, s1, gv, eta) -> Line:
        return (f"v_{w}", f"μ*v_{w} - η*{g}", f"{fmt(self.hyper['momentum'])}*{paren(s0['v'])} - "
                f"{fmt(eta)}*{paren(gv)}", s1["v"])

    def worked(self, w, g, s0, s1, gv, eta, old):
        return [self._velocity(w, g, s0, s1, gv, eta)], (f"{w} + v_{w}",
                                                         f"{fmt(old)} + {paren(s1['v'])}")


class Nesterov(Momentum):
    name, label = "nesterov", "Nesterov"
    hypers = (MU,)
    slot_names = ("v",)
    formula = "v ← μ·v − η·g;   w ← w + μ·v − η·g"
    lr_folds = True

    def _update(self, p, g, lr, s):
        mu, v, eg = self.hyper["momentum"], s["v"], scaled(g, lr)
        v *= mu
        v -= eg
        p += mu * v - eg

    def worked(self, w, g, s0, s1, gv, eta, old):
        mu = fmt(self.hyper["momentum"])
        return [self._velocity(w, g, s0, s1, gv, eta)], (
            f"{w} + μ*v_{w} - η*{g}", f"{fmt(old)} + {mu}*{paren(s1['v'])} - {fmt(eta)}*{paren(gv)}")


class AdaGrad(Optimiser):
    name, label = "adagrad", "AdaGrad"
    hypers = (EPS,)
    slot_names = nonneg_slots = ("G",)
    formula = "G ← G + g²;   w ← w − η·g / (√G + ε)"

    def _update(self, p, g, lr, s):
        G = s["G"]
        G += g * g
        p -= lr * g / (np.sqrt(G) + self.hyper["eps"])

    def worked(self, w, g, s0, s1, gv, eta, old):
        den, update = self._root_step(w, g, f"G_{w}", gv, s1["G"], eta, old)
        return [(f"G_{w}", f"G_{w} + {g}^2", f"{paren(s0['G'])} + {paren(gv)}^2", s1["G"]), den], update


class RMSProp(Optimiser):
    name, label = "rmsprop", "RMSProp"
    hypers = (Hyper("rho", "ρ", 0.9, 0.0, 1.0, text="decay of the squared-gradient average"),
              EPS)
    slot_names = nonneg_slots = ("s",)
    formula = "s ← ρ·s + (1−ρ)·g²;   w ← w − η·g / (√s + ε)"

    def _update(self, p, g, lr, s):
        rho, sq = self.hyper["rho"], s["s"]
        sq *= rho
        sq += (1.0 - rho) * (g * g)
        p -= lr * g / (np.sqrt(sq) + self.hyper["eps"])

    def worked(self, w, g, s0, s1, gv, eta, old):
        rho = self.hyper["rho"]
        den, update = self._root_step(w, g, f"s_{w}", gv, s1["s"], eta, old)
        return [(f"s_{w}", f"ρ*s_{w} + (1 - ρ)*{g}^2",
                 f"{fmt(rho)}*{paren(s0['s'])} + {fmt(1.0 - rho)}*{paren(gv)}^2", s1["s"]), den], update


class Adam(Optimiser):
    name, label = "adam", "Adam"
    hypers = (Hyper("beta1", "β₁", 0.9, 0.0, 1.0, text="decay of the gradient average m"),
              Hyper("beta2", "β₂", 0.999, 0.0, 1.0, text="decay of the squared average v"),
              EPS)
    slot_names = ("m", "v")
    nonneg_slots = ("v",)
    formula = ("m ← β₁·m + (1−β₁)·g;   v ← β₂·v + (1−β₂)·g²;   "
               "m^ = m/(1−β₁ᵗ);   v^ = v/(1−β₂ᵗ);   w ← w − η·m^ / (√v^ + ε)")

    def _update(self, p, g, lr, s):
        b1, b2, eps = self.hyper["beta1"], self.hyper["beta2"], self.hyper["eps"]
        m, v = s["m"], s["v"]
        m *= b1
        m += (1.0 - b1) * g
        v *= b2
        v += (1.0 - b2) * (g * g)
        m_hat = m / (1.0 - b1 ** self.t)
        v_hat = v / (1.0 - b2 ** self.t)
        p -= lr * m_hat / (np.sqrt(v_hat) + eps)

    def worked(self, w, g, s0, s1, gv, eta, old):
        b1, b2, t = self.hyper["beta1"], self.hyper["beta2"], self.t
        hat = self._derived(s1)
        m, v, mh, vh = f"m_{w}", f"v_{w}", f"mˆ_{w}", f"vˆ_{w}"
        den, update = self._root_step(w, mh, vh, hat["m_hat"], hat["v_hat"], eta, old)
        return [(m, f"β₁*{m} + (1 - β₁)*{g}",
                 f"{fmt(b1)}*{paren(s0['m'])} + {fmt(1.0 - b1)}*{paren(gv)}", s1["m"]),
                (v, f"β₂*{v} + (1 - β₂)*{g}^2",
                 f"{fmt(b2)}*{paren(s0['v'])} + {fmt(1.0 - b2)}*{paren(gv)}^2", s1["v"]),
                (mh, f"{m}/(1 - β₁^t)", f"{paren(s1['m'])}/(1 - {fmt(b1)}^{t})", hat["m_hat"]),
                (vh, f"{v}/(1 - β₂^t)", f"{fmt(s1['v'])}/(1 - {fmt(b2)}^{t})", hat["v_hat"]),
                den], update

    def _derived(self, numbers):
        t = max(self.t, 1)
        return {"m_hat": numbers["m"] / (1.0 - self.hyper["beta1"] ** t),
                "v_hat": numbers["v"] / (1.0 - self.hyper["beta2"] ** t)}


_CLASSES = (SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adam)
OPTIMISERS: dict[str, type[Optimiser]] = {c.name: c for c in _CLASSES}
#: display symbols of the numbers ``describe_update`` returns
SYMBOLS = {"t": "t", "g": "g", "v": "v", "G": "G", "s": "s", "m": "m", "m_hat": "m^",
           "v_hat": "v^", "step": "Δw"}


def make_optimiser(name: str, **hyper: Any) -> Optimiser:
    """A fresh optimiser by name (see ``OPTIMISERS``); ValueError on a bad name or setting."""
    cls = OPTIMISERS.get(name)
    if cls is None:
        raise ValueError(f"unknown optimiser {name!r}; choose one of {', '.join(OPTIMISERS)}")
    return cls(**hyper)


def optimiser_from_state(d: Any) -> Optimiser:
    """An optimiser rebuilt from ``state_dict`` output (validated)."""
    if not isinstance(d, dict) or not isinstance(d.get("name"), str):
        raise ValueError("a saved optimiser needs a name")
    opt = make_optimiser(d["name"])
    opt.load_state_dict(d)
    return opt
