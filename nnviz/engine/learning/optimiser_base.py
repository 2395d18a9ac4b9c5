"""What every gradient-descent optimiser shares (:mod:`nnviz.engine.learning.optimisers` has the
six update rules): a validated hyper-parameter (:class:`Hyper`) and the base class that
owns the state (one *slot* of arrays per parameter array, created lazily with the
parameter's shape), steps, the worked-step helpers and the state's JSON I/O."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from nnviz.engine.core.naming import fmt
from nnviz.engine.files.optimiser_io import MAX_STATE_VALUES

Array = np.ndarray
#: one line of a worked state update: (lhs, symbols, numbers, value)
Line = tuple[str, str, str, float]


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
        return [], (f"{w} - η*{g}", f"{fmt(old)} - {fmt(eta)}*{paren(gv)}")

    def _root_step(self, w: str, g: str, avg: str, gv: float, a1: float, eta: float,
                   old: float) -> tuple[Line, tuple[str, str]]:
        """w − η·g / (√avg + ε) (AdaGrad, RMSProp, Adam with mˆ): the denominator worked
        out on a line of its own, so the update's numbers stay short."""
        den = float(np.sqrt(a1) + self.hyper["eps"])
        nums = f"√{fmt(a1)} + {fmt(self.hyper['eps'])}"
        line = (f"√({avg}) + ε", nums, nums, den)
        return line, (f"{w} - η*{g} / (√({avg}) + ε)",
                      f"{fmt(old)} - {fmt(eta)}*{paren(gv)} / {fmt(den)}")

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
        from nnviz.engine.files.optimiser_io import parse_slot

        return parse_slot(s, self.slot_names, self.nonneg_slots, self.label)


def scaled(g: Array, lr: float) -> Array:
    """``lr * g`` (``g`` itself for lr = 1: the fast trainer's pre-scaled gradients)."""
    return g if lr == 1.0 else lr * g


def paren(x: float) -> str:
    """A number, in parentheses if negative (as a factor or a term after an operator)."""
    s = fmt(x)
    return f"({s})" if s.startswith("-") else s
