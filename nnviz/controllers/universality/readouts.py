"""What the universality lab's views draw of the controller's model: the curves, the
score against the goal, step positions, bump spans and heights, the error-versus-N
curve (cached) and the grid of towers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from nnviz.controllers.universality.model import SAMPLES, towers_grid
from nnviz.engine.labs import universality as U
from nnviz.engine.labs.expr import Expression, parse_expression

if TYPE_CHECKING:
    from nnviz.controllers.universality.controller import UniversalityController

#: the numbers of bumps of the error curve
ERROR_NS = (1, 2, 3, 5, 8, 10, 15, 20, 30, 40, 50)


class Readouts:
    """Reads the universality controller's model (``ctl.m``); owns the error curve's cache."""

    def __init__(self, ctl: UniversalityController) -> None:
        self._ctl = ctl
        self._curve_cache: tuple[Any, np.ndarray] | None = None

    @property
    def goal(self) -> Expression | None:
        return None if self._ctl.m.goal_text is None else parse_expression(self._ctl.m.goal_text)

    def sample_x(self, n: int = SAMPLES) -> np.ndarray:
        return np.linspace(*self._ctl.m.x_range, n)

    def goal_values(self, x: np.ndarray) -> np.ndarray | None:
        g = self.goal
        return None if g is None else g.evaluate(x)

    def curves(self) -> dict[str, Any]:
        """x (S,), hidden outputs (S, N), weighted sum (S,), output (S,), goal (S,) or None."""
        x = self.sample_x()
        with np.errstate(over="ignore", invalid="ignore"):   # huge weights: not drawn
            curves = {"hidden": U.hidden_outputs(self._ctl.net, x),
                      "sum": U.weighted_sum(self._ctl.net, x), "out": U.output(self._ctl.net, x)}
        curves = {k: np.where(np.isfinite(v), v, np.nan) for k, v in curves.items()}
        return {"x": x, **curves, "goal": self.goal_values(x)}

    def score(self) -> float | None:
        """Average absolute deviation from the goal (None without a goal, or when the
        output is not a finite number)."""
        x = self.sample_x()
        g = self.goal_values(x)
        if g is None or not np.isfinite(g).all():
            return None
        with np.errstate(over="ignore", invalid="ignore"):
            score = U.score(self._ctl.net, x, g)
        return score if np.isfinite(score) else None   # (weights so big the output overflows)

    def step_positions(self) -> np.ndarray:
        return U.step_position(self._ctl.net.w, self._ctl.net.b)

    def bump_spans(self) -> tuple[np.ndarray, np.ndarray]:
        """Where each bump starts and ends: the step positions of its two neurons (N,), (N,)."""
        s = self.step_positions()
        mid = sum(self._ctl.m.x_range) / 2
        s = np.where(np.isfinite(s), s, mid)
        return s[0::2], s[1::2]

    def heights(self) -> np.ndarray:
        return U.bump_heights(self._ctl.net)

    def error_curve(self) -> tuple[np.ndarray, np.ndarray]:
        """N and the best auto-fitted error with N bumps (cached)."""
        m = self._ctl.m
        key = (m.goal_text, m.w_big, m.net.activation, m.net.output, m.x_range)
        if self._curve_cache is None or self._curve_cache[0] != key:
            x = self.sample_x(201)  # coarser: this curve is a sketch, recomputed on changes
            g = self.goal_values(x)
            if g is None or not np.isfinite(g).all():
                errs = np.full(len(ERROR_NS), np.nan)
            else:
                errs = U.error_curve(ERROR_NS, x, g, m.w_big, m.net.activation, m.net.output,
                                     m.x_range)
            self._curve_cache = (key, errs)
        return np.array(ERROR_NS, float), self._curve_cache[1]

    def towers_grid(self, n: int = 80) -> dict[str, Any]:
        """Grid (n, n) of the towers' output and the 2-D goal, and the average deviation."""
        return towers_grid(self._ctl.m, n)
