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

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from nnviz.engine.naming import fmt
from nnviz.engine.optimiser_io import MAX_STATE_VALUES

Array = np.ndarray


@dataclass(frozen=True)
class Hyper:
    """One hyper-parameter: key, display symbol, default and bounds (lo <= x < hi if
    ``hi_open``, lo < x if ``lo_open``)."""

    key: str
    symbol: str
    default: float
    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = True
    text: str = ""

    def check(self, value: Any) -> float:
        """The value as a float, or ValueError saying the allowed range."""
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)):
            raise ValueError(f"{self.key} must be a number")
        v = float(value)
        ok = math.isfinite(v) and (v > self.lo if self.lo_open else v >= self.lo) and (
            v < self.hi if self.hi_open else v <= self.hi)
        if not ok:
            left, right = "(" if self.lo_open else "[", ")" if self.hi_open else "]"
            raise ValueError(f"{self.key} ({self.symbol}) must be in {left}{self.lo:g}, "
                             f"{self.hi:g}{right}, not {value!r}")
        return v


MU = Hyper("momentum", "μ", 0.9, 0.0, 1.0, text="momentum: fraction of the velocity kept")
EPS = Hyper("eps", "ε", 1e-8, 0.0, 1.0, lo_open=True, hi_open=False,
            text="added to the root so a zero average cannot divide by zero")


class Optimiser:
    """Base class: slots, steps, state I/O. Subclasses define ``_update``."""

    name = ""
    label = ""
    hypers: tuple[Hyper, ...] = ()
    slot_names: tuple[str, ...] = ()
    formula = ""
    lr_folds = False
    nonneg_slots: tuple[str, ...] = ()  # running averages of g squared

    def __init__(self, **hyper: Any) -> None:
        unknown = set(hyper) - {h.key for h in self.hypers}
        if unknown:
            raise ValueError(f"{self.label} has no setting {sorted(unknown)[0]!r}"
                             + (f" (settings: {', '.join(h.key for h in self.hypers)})"
                                if self.hypers else ""))
        self.hyper = {h.key: h.check(hyper.get(h.key, h.default)) for h in self.hypers}
        self.keep_last = False
        self.reset()

    # ------------------------------------------------------------ state
    def reset(self) -> None:
        """Forget every slot and the step count."""
        self.t = 0
        self.slots: list[dict[str, Array] | None] = []
        self.last: list[dict[str, Array] | None] = []

    def set_hyper(self, **hyper: Any) -> None:
        """Change settings (validated, all or nothing), keeping the state."""
        new = dict(self.hyper)
        for k, v in hyper.items():
            h = next((h for h in self.hypers if h.key == k), None)
            if h is None:
                raise ValueError(f"{self.label} has no setting {k!r}")
            new[k] = h.check(v)
        self.hyper = new

    def _slot(self, i: int, p: Array) -> dict[str, Array]:
        while len(self.slots) <= i:
            self.slots.append(None)
        s = self.slots[i]
        if s is None or any(a.shape != p.shape for a in s.values()):
            s = {k: np.zeros(p.shape) for k in self.slot_names}
            self.slots[i] = s
        return s

    def copy(self) -> Optimiser:
        """An independent optimiser with the same settings and state."""
        new = type(self)(**self.hyper)
        new.t = self.t
        new.slots = [None if s is None else {k: a.copy() for k, a in s.items()}
                     for s in self.slots]
        new.keep_last = self.keep_last
        return new

    # ------------------------------------------------------------ stepping
    def step(self, params: Sequence[Array], grads: Sequence[Array | None], lr: float) -> None:
        """One update of every ``params[i]`` in place from ``grads[i]`` (None: left alone)."""
        self.t += 1
        if self.keep_last:
            self.last = [None] * len(params)
        for i, (p, g) in enumerate(zip(params, grads)):
            if g is None:
                continue
            before = p.copy() if self.keep_last else None
            self._update(p, g, lr, self._slot(i, p))
            if before is not None:
                self.last[i] = {"g": np.array(g, dtype=np.float64), "step": p - before}

    def bind(self, params: Sequence[Array], grads: Sequence[Array]) -> Callable[[float], None]:
        """A low-overhead ``update(lr)`` for fixed arrays (the fast trainer's hot loop)."""
        triples = [(p, g, self._slot(i, p)) for i, (p, g) in enumerate(zip(params, grads))]
        upd = self._update
        if len(triples) == 1:
            p, g, s = triples[0]

            def update(lr: float) -> None:
                self.t += 1
                upd(p, g, lr, s)
            return update

        def update_all(lr: float) -> None:
            self.t += 1
            for p, g, s in triples:
                upd(p, g, lr, s)
        return update_all

    def _update(self, p: Array, g: Array, lr: float, s: dict[str, Array]) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------ display
    def describe_update(self, i: int, index: Any = 0) -> dict[str, float]:
        """The numbers of the current update of element ``index`` of parameter ``i``:
        the state after the last step (velocity, averages, bias-corrected moments) and,
        if ``keep_last``, the gradient g and the change applied (step)."""
        out: dict[str, float] = {"t": float(self.t)}
        last = self.last[i] if i < len(self.last) else None
        if last is not None:
            out["g"] = float(np.asarray(last["g"])[index])
        s = self.slots[i] if i < len(self.slots) else None
        for k in self.slot_names:
            out[k] = float(s[k][index]) if s is not None else 0.0
        out.update(self._derived(out))
        if last is not None:
            out["step"] = float(np.asarray(last["step"])[index])
        return out

    def _derived(self, numbers: dict[str, float]) -> dict[str, float]:
        return {}

    def worked(self, w: str, g: str, s0: dict[str, float], s1: dict[str, float], gv: float,
               eta: float, old: float) -> tuple[list[Line], tuple[str, str]]:
        """One parameter's update written out (a worked step): the lines of the state
        (lhs, symbols, numbers, value) and the new value's (symbols, numbers). ``w`` and
        ``g`` name the parameter and its gradient (value ``gv``), ``s0``/``s1`` are its
        slot values before/after this step (``t`` already counted), ``old`` its value."""
        return [], (f"{w} - η*{g}", f"{fmt(old)} - {fmt(eta)}*{_p(gv)}")

    def _root_step(self, w: str, g: str, avg: str, gv: float, a1: float, eta: float,
                   old: float) -> tuple[Line, tuple[str, str]]:
        """w − η·g / (√avg + ε) (AdaGrad, RMSProp, Adam with mˆ): the denominator worked
        out on a line of its own, so the update's numbers stay short."""
        den = float(np.sqrt(a1) + self.hyper["eps"])
        nums = f"√{fmt(a1)} + {fmt(self.hyper['eps'])}"
        line = (f"√({avg}) + ε", nums, nums, den)
        return line, (f"{w} - η*{g} / (√({avg}) + ε)",
                      f"{fmt(old)} - {fmt(eta)}*{_p(gv)} / {fmt(den)}")

    def settings_text(self) -> str:
        """'μ = 0.9, ε = 1e-08' (empty for plain SGD)."""
        return ", ".join(f"{h.symbol} = {self.hyper[h.key]:g}" for h in self.hypers)

    # ------------------------------------------------------------ state I/O
    def state_dict(self) -> dict:
        """JSON-able settings and state."""
        return {"name": self.name, "hyper": dict(self.hyper), "t": self.t,
                "slots": [None if s is None else {k: {"shape": list(a.shape),
                                                      "data": a.ravel().tolist()}
                                                  for k, a in s.items()}
                          for s in self.slots]}

    def load_state_dict(self, d: Any) -> None:
        """Replace settings and state from ``state_dict`` output; validated, all or nothing."""
        if not isinstance(d, dict) or d.get("name") != self.name:
            raise ValueError(f"not a saved {self.label} state")
        hyper = d.get("hyper", {})
        if not isinstance(hyper, dict):
            raise ValueError("optimiser settings must be a mapping")
        checked = type(self)(**hyper).hyper
        t = d.get("t", 0)
        if isinstance(t, bool) or not isinstance(t, int) or not 0 <= t <= 10**12:
            raise ValueError("optimiser step count must be a whole number >= 0")
        slots = d.get("slots", [])
        if not isinstance(slots, list) or len(slots) > 10_000:
            raise ValueError("optimiser slots must be a list")
        parsed = [None if s is None else self._parse_slot(s) for s in slots]
        if sum(a.size for s in parsed if s for a in s.values()) > MAX_STATE_VALUES:
            raise ValueError("optimiser state too large")
        self.hyper, self.t, self.slots, self.last = checked, t, parsed, []

    def _parse_slot(self, s: Any) -> dict[str, Array]:
        from nnviz.engine.optimiser_io import parse_slot

        return parse_slot(s, self.slot_names, self.nonneg_slots, self.label)


def _scaled(g: Array, lr: float) -> Array:
    return g if lr == 1.0 else lr * g

Line = tuple[str, str, str, float]


def _p(x: float) -> str:
    """A number, in parentheses if negative (as a factor or a term after an operator)."""
    s = fmt(x)
    return f"({s})" if s.startswith("-") else s


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
        return (f"v_{w}", f"μ*v_{w} - η*{g}", f"{fmt(self.hyper['momentum'])}*{_p(s0['v'])} - "
                f"{fmt(eta)}*{_p(gv)}", s1["v"])

    def worked(self, w, g, s0, s1, gv, eta, old):
        return [self._velocity(w, g, s0, s1, gv, eta)], (f"{w} + v_{w}",
                                                         f"{fmt(old)} + {_p(s1['v'])}")


class Nesterov(Momentum):
    name, label = "nesterov", "Nesterov"
    hypers = (MU,)
    slot_names = ("v",)
    formula = "v ← μ·v − η·g;   w ← w + μ·v − η·g"
    lr_folds = True

    def _update(self, p, g, lr, s):
        mu, v, eg = self.hyper["momentum"], s["v"], _scaled(g, lr)
        v *= mu
        v -= eg
        p += mu * v - eg

    def worked(self, w, g, s0, s1, gv, eta, old):
        mu = fmt(self.hyper["momentum"])
        return [self._velocity(w, g, s0, s1, gv, eta)], (
            f"{w} + μ*v_{w} - η*{g}", f"{fmt(old)} + {mu}*{_p(s1['v'])} - {fmt(eta)}*{_p(gv)}")


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
        return [(f"G_{w}", f"G_{w} + {g}^2", f"{_p(s0['G'])} + {_p(gv)}^2", s1["G"]), den], update


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
                 f"{fmt(rho)}*{_p(s0['s'])} + {fmt(1.0 - rho)}*{_p(gv)}^2", s1["s"]), den], update


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
                 f"{fmt(b1)}*{_p(s0['m'])} + {fmt(1.0 - b1)}*{_p(gv)}", s1["m"]),
                (v, f"β₂*{v} + (1 - β₂)*{g}^2",
                 f"{fmt(b2)}*{_p(s0['v'])} + {fmt(1.0 - b2)}*{_p(gv)}^2", s1["v"]),
                (mh, f"{m}/(1 - β₁^t)", f"{_p(s1['m'])}/(1 - {fmt(b1)}^{t})", hat["m_hat"]),
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
