"""The universality lab's state (what undo snapshots) and its validation from lessons and files.

No Qt here: plain data checked with the engine's validators.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from nnviz.engine.core.losses import get_loss
from nnviz.engine.files.validate import FormatError, as_array, as_bool, as_int, as_number, as_str
from nnviz.engine.labs import universality as U
from nnviz.engine.labs.expr import ExpressionError, parse_expression
from nnviz.engine.learning.budget import run_for
from nnviz.engine.learning.training import OptimizerState, TrainConfig, train_step
from nnviz.engine.teaching.lessons import Lesson

MODES = ("free", "step", "bumps")
MAX_NEURONS = 100
MAX_BUMPS = 50
SAMPLES = 401


@dataclass
class LabModel:
    """Everything the undo stack snapshots."""

    net: U.OneInput
    mode: str = "bumps"
    w_big: float = U.STEP_W
    goal_text: str | None = U.DEFAULT_GOAL
    x_range: tuple[float, float] = (0.0, 1.0)
    stage: int = 0
    towers: int = 5
    gain: float = 30.0
    goal2d_text: str = U.GOAL_PRESETS_2D["hill"]
    stages: list[dict[str, Any]] = field(default_factory=list)

    def copy(self) -> LabModel:
        return replace(self, net=self.net.copy(), stages=list(self.stages))

    @property
    def n_bumps(self) -> int:
        return self.net.n // 2


def as_steps(net: U.OneInput, w_big: float, x_range: tuple[float, float]) -> U.OneInput:
    """Every neuron a step: w = +-w_big, the step position s = -b/w kept (mid-range if undefined)."""
    s = U.step_position(net.w, net.b)
    s = np.where(np.isfinite(s), s, sum(x_range) / 2)
    out = net.copy()
    out.w = np.where(net.w < 0, -w_big, w_big)
    out.b = U.bias_for_step(s, out.w)
    return out


def as_bumps(net: U.OneInput, n: int, w_big: float, x_range: tuple[float, float]) -> U.OneInput:
    """N equal bumps whose heights follow the current output at the bump centres."""
    edges = U.bump_edges(n, *x_range)
    centres = (edges[:-1] + edges[1:]) / 2
    heights = U.fit_target(U.output(net, centres), net.output)
    return U.bump_model(edges, heights, w_big, net.activation, net.output)


def resized(net: U.OneInput, n: int, w_new: float, x_range: tuple[float, float]) -> U.OneInput:
    """Keep the first n neurons; new ones have weight ``w_new``, steps spread over the range
    and output weight 0 (so the output does not change)."""
    k = min(n, net.n)
    extra = n - k
    s_new = np.linspace(*x_range, extra + 2)[1:-1]
    w = np.full(extra, float(w_new))
    return U.OneInput(np.r_[net.w[:k], w], np.r_[net.b[:k], U.bias_for_step(s_new, w)],
                      np.r_[net.v[:k], np.zeros(extra)], net.activation, net.output)


def towers_grid(m: LabModel, n: int = 80) -> dict[str, Any]:
    """x, y (n,), the towers' output and the 2-D goal on the grid (n, n) (rows: y), and the
    average absolute deviation ``score``."""
    f = parse_expression(m.goal2d_text, ("x", "y"))
    towers = U.towers_for_goal(f.evaluate, m.towers, m.gain, m.w_big)
    t = np.linspace(0, 1, n)
    gx, gy = np.meshgrid(t, t)
    out = U.towers_output(towers, gx, gy)
    goal = f.evaluate(gx, gy)
    return {"x": t, "y": t, "out": out, "goal": goal, "score": float(np.mean(np.abs(out - goal)))}


class GoalTrainer:
    """Full-batch gradient descent (mean squared error) of a 1-N-1 network on goal samples."""

    def __init__(self, net: U.OneInput, x: np.ndarray, goal: np.ndarray) -> None:
        self.net = net.to_network()
        self.x = np.asarray(x, float).reshape(-1, 1)
        self.y = np.asarray(goal, float).reshape(-1, 1)
        self.state = OptimizerState()
        self.loss = get_loss("mse")
        self.steps = 0

    def run(self, eta: float, max_steps: int | None = None,
            budget_s: float | None = None) -> tuple[int, bool]:
        """Steps until ``max_steps`` or ``budget_s`` seconds; returns (steps done, finite)."""
        cfg = TrainConfig(eta=eta)

        finite = [True]

        def step() -> bool:   # finite weights can still overflow the output: a blow-up
            cost = train_step(self.net, self.x, self.y, self.loss, cfg, self.state).cost
            finite[0] = self.net.is_finite() and bool(np.isfinite(cost))
            return finite[0]

        with np.errstate(all="ignore"):  # a blow-up is reported by the finite flag
            done = run_for(step, budget_s, max_steps)
        self.steps += done
        return done, finite[0]

    def model(self) -> U.OneInput:
        return U.OneInput.from_network(self.net)


def model_from_lesson(lesson: Lesson) -> LabModel:
    """The lab's model described by a lesson's network and ``settings``."""
    st = lesson.settings or {}
    where = f"lesson {lesson.name}: settings"
    x_range = (as_number(st.get("x_min", 0.0), f"{where}.x_min"),
               as_number(st.get("x_max", 1.0), f"{where}.x_max"))
    if not x_range[0] < x_range[1]:
        raise FormatError(f"{where}: x_min must be below x_max")
    goal = st.get("goal", U.DEFAULT_GOAL)
    if goal is not None:
        try:
            goal = parse_expression(as_str(goal, f"{where}.goal")).text
        except ExpressionError as e:
            raise FormatError(f"{where}.goal: {e}") from None
    mode = st.get("mode", "free")
    if mode not in MODES:
        raise FormatError(f"{where}.mode: one of {', '.join(MODES)}")
    w_big = as_number(st.get("w_big", U.STEP_W), f"{where}.w_big", 1e-6, 1e9)
    activation = st.get("activation")
    stages = st.get("stages", [])
    if not isinstance(stages, list) or not all(
            isinstance(s, dict) and s.get("activation", "sigmoid") in U.HIDDEN_ACTIVATIONS
            and isinstance(s.get("caption", ""), str) for s in stages):
        raise FormatError(f"{where}.stages: a list of {{activation, caption}} objects")
    if mode == "bumps" or (mode == "step" and "bumps" in st):  # step mode may start from bumps
        n = as_int(st.get("bumps", 10), f"{where}.bumps", 1, MAX_BUMPS)
        out = "sigmoid" if as_bool(st.get("fit_inverse", False), f"{where}.fit_inverse") else "linear"
        net = U.bump_model(U.bump_edges(n, *x_range), np.zeros(n), w_big, "sigmoid", out)
        if as_bool(st.get("fit", False), f"{where}.fit") and goal is not None:
            x = np.linspace(*x_range, SAMPLES)
            net = U.with_heights(net, U.fit_heights(net, x, parse_expression(goal).evaluate(x)))
    else:
        net = U.OneInput.from_network(lesson.network)
    if stages:
        activation = stages[0].get("activation", activation)
    if activation is not None:
        net = U.OneInput(net.w, net.b, net.v, activation, net.output)
    try:
        goal2d = parse_expression(as_str(st.get("goal2d", U.GOAL_PRESETS_2D["hill"]),
                                         f"{where}.goal2d"), ("x", "y")).text
    except ExpressionError as e:
        raise FormatError(f"{where}.goal2d: {e}") from None
    return LabModel(net, mode, w_big, goal, x_range, 0,
                    as_int(st.get("towers", 5), f"{where}.towers", 1, 20),
                    as_number(st.get("gain", 30.0), f"{where}.gain", 1e-6, 1e4), goal2d,
                    stages=stages)


def model_from_state(state: Any) -> tuple[LabModel, float]:
    """Validate a saved state (see :meth:`UniversalityController.state`)."""
    if not isinstance(state, dict):
        raise FormatError("universality state: expected an object")
    w = as_array(state.get("w"), "universality.w", (None,))
    n = len(w)
    if not 1 <= n <= MAX_NEURONS:
        raise FormatError(f"universality.w: 1 to {MAX_NEURONS} neurons")
    b = as_array(state.get("b"), "universality.b", (n,))
    v = as_array(state.get("v"), "universality.v", (n,))
    mode = state.get("mode")
    if mode not in MODES:
        raise FormatError(f"universality.mode: one of {', '.join(MODES)}")
    if mode == "bumps" and (n % 2 or not np.allclose(v[0::2], -v[1::2])):
        raise FormatError("universality: bump mode needs pairs of output weights h, -h")
    net = U.OneInput(w, b, v, as_str(state.get("activation"), "universality.activation"),
                     as_str(state.get("output"), "universality.output"))
    goal = state.get("goal")
    try:
        if goal is not None:
            goal = parse_expression(as_str(goal, "universality.goal")).text
        goal2d = parse_expression(as_str(state.get("goal2d"), "universality.goal2d"), ("x", "y")).text
    except ExpressionError as e:
        raise FormatError(f"universality goal: {e}") from None
    xr = state.get("x_range")
    if not isinstance(xr, list) or len(xr) != 2:
        raise FormatError("universality.x_range: expected [min, max]")
    x_range = (as_number(xr[0], "x_range[0]"), as_number(xr[1], "x_range[1]"))
    if not x_range[0] < x_range[1]:
        raise FormatError("universality.x_range: min must be below max")
    m = LabModel(net, mode, as_number(state.get("w_big"), "universality.w_big", 1e-6, 1e9), goal,
                 x_range, 0, as_int(state.get("towers"), "universality.towers", 1, 20),
                 as_number(state.get("gain"), "universality.gain", 1e-6, 1e4), goal2d)
    return m, as_number(state.get("eta", 0.05), "universality.eta", 1e-9, 1e3)
