"""Learning-rate schedules and early stopping.

A schedule gives the learning rate of epoch e (e = 0 in the first epoch) from the
base rate eta and its settings:

- constant:    eta_e = eta
- step:        eta_e = eta * gamma ** floor(e / s)     (drops by gamma every s epochs)
- exponential: eta_e = eta * gamma ** e
- 1/t:         eta_e = eta / (1 + k e)

Early stopping watches the test loss after each recorded epoch, remembers the best
epoch and its parameters (to restore on request), and says when ``patience``
epochs have passed without a better one (patience 0: only mark the best).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Schedule:
    name: str
    label: str
    formula: str
    uses: tuple[str, ...]   # which of gamma, every, k it reads

    def rate(self, eta: float, epoch: int, gamma: float = 1.0, every: int = 1,
             k: float = 0.0) -> float:
        e = max(0, int(epoch))
        if self.name == "step":
            return eta * gamma ** (e // max(1, int(every)))
        if self.name == "exponential":
            return eta * gamma ** e
        if self.name == "inverse":
            return eta / (1.0 + k * e)
        return eta


SCHEDULES = {s.name: s for s in (
    Schedule("constant", "constant", "η_e = η", ()),
    Schedule("step", "step", "η_e = η·γ^⌊e/s⌋", ("gamma", "every")),
    Schedule("exponential", "exponential", "η_e = η·γ^e", ("gamma",)),
    Schedule("inverse", "1/t", "η_e = η / (1 + k·e)", ("k",)),
)}

#: bounds of the schedule settings (also used by files and spin boxes)
GAMMA_RANGE = (1e-6, 1.0)
EVERY_RANGE = (1, 1_000_000)
K_RANGE = (0.0, 1000.0)
PATIENCE_RANGE = (0, 1_000_000)


def check_schedule(name: str, gamma: float, every: int, k: float, patience: int) -> None:
    """ValueError naming the setting that is out of range."""
    if name not in SCHEDULES:
        raise ValueError(f"unknown schedule {name!r}; choose one of {', '.join(SCHEDULES)}")
    if not (math.isfinite(gamma) and GAMMA_RANGE[0] <= gamma <= GAMMA_RANGE[1]):
        raise ValueError(f"schedule γ must be in [{GAMMA_RANGE[0]:g}, 1]")
    for v, rng, what in ((every, EVERY_RANGE, "schedule step s"),
                         (patience, PATIENCE_RANGE, "early-stopping patience")):
        if isinstance(v, bool) or not isinstance(v, int) or not rng[0] <= v <= rng[1]:
            raise ValueError(f"{what} must be a whole number in [{rng[0]}, {rng[1]}]")
    if not (math.isfinite(k) and K_RANGE[0] <= k <= K_RANGE[1]):
        raise ValueError(f"schedule k must be in [0, {K_RANGE[1]:g}]")


class EarlyStopping:
    """The best test epoch so far, its parameters, and whether patience ran out."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.best_epoch: int | None = None
        self.best_loss = math.inf
        self.best_params: np.ndarray | None = None
        self.last_epoch: int | None = None

    def observe(self, epoch: int, test_loss: float,
                params: np.ndarray | Callable[[], np.ndarray]) -> bool:
        """Record one epoch's test loss (``params``: the flat parameters then, or a function
        giving them, called only if this epoch is the best; copied). True if this epoch is
        the new best."""
        self.last_epoch = epoch
        if math.isfinite(test_loss) and test_loss < self.best_loss:
            self.best_epoch, self.best_loss = epoch, float(test_loss)
            self.best_params = np.array(params() if callable(params) else params,
                                        dtype=np.float64, copy=True)
            return True
        return False

    def should_stop(self, patience: int) -> bool:
        """True when ``patience`` > 0 epochs have passed since the best one."""
        return (patience > 0 and self.best_epoch is not None and self.last_epoch is not None
                and self.last_epoch - self.best_epoch >= patience)
