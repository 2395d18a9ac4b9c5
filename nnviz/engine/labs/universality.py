"""The maths of the universality lab (Nielsen ch. 4; notes 002): steps, bumps, towers.

One input: x -> N hidden neurons a_j = f(w_j x + b_j) -> output sum_j v_j a_j
(optionally through a sigmoid). A sigmoid neuron with large w is a step at
s = -b / w. Two step neurons at s1 < s2 with output weights h and -h make a
bump of height h on [s1, s2]; N bumps side by side approximate a function.

Two inputs: a bump in x and a bump in y (each a pair of steps) summed with weight h
and passed through a neuron with bias b = -3h/2 make a tower (only where both bumps
are on does the sum 2h pass 3h/2); a grid of towers approximates f(x, y).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from nnviz.engine.core.activations import get_activation, sigmoid
from nnviz.engine.core.network import Network

Array = np.ndarray

DEFAULT_GOAL = "0.2 + 0.4x^2 + 0.3x sin(15x) + 0.05 cos(50x)"
GOAL_PRESETS: dict[str, str] = {
    "Nielsen's f(x)": DEFAULT_GOAL,
    "sine wave": "0.5 + 0.4 sin(2 pi x)",
    "parabola": "4(x - 0.5)^2",
    "absolute value": "abs(2x - 1)",
    "gaussian bump": "exp(-30(x - 0.5)^2)",
}
GOAL_PRESETS_2D: dict[str, str] = {
    "ripple": "0.5 + 0.4 sin(2 pi x) cos(2 pi y)",
    "hill": "exp(-8((x - 0.5)^2 + (y - 0.5)^2))",
    "ramp": "(x + y) / 2",
}
HIDDEN_ACTIVATIONS = ("sigmoid", "step", "tanh", "relu", "linear")
STEP_W = 1000.0
EPS = 1e-3  # goals are clipped into (EPS, 1 - EPS) before sigma^-1


@dataclass
class OneInput:
    """A 1-N-1 network: hidden weights ``w`` (N,), biases ``b`` (N,), output weights ``v`` (N,).

    ``activation`` is the hidden activation (sigmoid, step, tanh, relu, linear);
    ``output`` is "linear" (the weighted sum) or "sigmoid". No output bias.
    """

    w: Array
    b: Array
    v: Array
    activation: str = "sigmoid"
    output: str = "linear"

    def __post_init__(self) -> None:
        self.w = np.array(self.w, dtype=np.float64).reshape(-1)
        self.b = np.array(self.b, dtype=np.float64).reshape(-1)
        self.v = np.array(self.v, dtype=np.float64).reshape(-1)
        if not (self.w.shape == self.b.shape == self.v.shape):
            raise ValueError("w, b and v need one entry per hidden neuron")
        if self.activation not in HIDDEN_ACTIVATIONS:
            raise ValueError(f"unknown hidden activation {self.activation!r}")
        if self.output not in ("linear", "sigmoid"):
            raise ValueError(f"unknown output activation {self.output!r}")

    @property
    def n(self) -> int:
        return len(self.w)

    def copy(self) -> OneInput:
        return OneInput(self.w.copy(), self.b.copy(), self.v.copy(), self.activation, self.output)

    def is_finite(self) -> bool:
        return bool(np.isfinite(self.w).all() and np.isfinite(self.b).all()
                    and np.isfinite(self.v).all())

    def to_network(self) -> Network:
        """The engine Network 1-N-1 (output layer without bias)."""
        return Network([self.w.reshape(-1, 1), self.v.reshape(1, -1)], [self.b, np.zeros(1)],
                       [get_activation(self.activation), get_activation(self.output)],
                       use_bias=[True, False])

    @classmethod
    def from_network(cls, net: Network) -> OneInput:
        """Read a 1-N-1 network (the output bias, if any, is ignored)."""
        if net.n_layers != 2 or net.sizes[0] != 1 or net.sizes[2] != 1:
            raise ValueError("the universality lab needs a 1-N-1 network")
        out = net.activations[1].name
        return cls(net.weights[0][:, 0], net.biases[0], net.weights[1][0],
                   net.activations[0].name, "sigmoid" if out == "sigmoid" else "linear")


def step_position(w: Array | float, b: Array | float) -> Array:
    """s = -b / w, the x where w x + b = 0 (NaN where w = 0). Shape of w and b."""
    w = np.asarray(w, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(w != 0, -b / np.where(w != 0, w, 1.0), np.nan)


def bias_for_step(s: Array | float, w: Array | float) -> Array:
    """The bias b = -w s that puts a neuron's step at s."""
    return -np.asarray(w, dtype=np.float64) * np.asarray(s, dtype=np.float64)


def hidden_outputs(model: OneInput, x: Array) -> Array:
    """a_j(x) = f(w_j x + b_j): shape (len(x), N)."""
    x = np.asarray(x, dtype=np.float64).reshape(-1, 1)
    z = x * model.w + model.b
    return get_activation(model.activation).fn(z)


def weighted_sum(model: OneInput, x: Array) -> Array:
    """sum_j v_j a_j(x): shape (len(x),)."""
    return hidden_outputs(model, x) @ model.v


def output(model: OneInput, x: Array) -> Array:
    """The network output: the weighted sum, through a sigmoid if ``model.output`` says so."""
    s = weighted_sum(model, x)
    return sigmoid(s) if model.output == "sigmoid" else s


def bump_edges(n: int, x_min: float = 0.0, x_max: float = 1.0) -> Array:
    """N + 1 equally spaced edges of N bumps on [x_min, x_max]."""
    if not 1 <= n <= 1000:
        raise ValueError("the number of bumps must be between 1 and 1000")
    return np.linspace(x_min, x_max, n + 1)


def bump_model(edges: Array, heights: Array, w_big: float = STEP_W,
               activation: str = "sigmoid", out: str = "linear") -> OneInput:
    """2N step neurons: bump i is neurons 2i (step at edges[i], weight h_i) and
    2i+1 (step at edges[i+1], weight -h_i)."""
    edges = np.asarray(edges, dtype=np.float64)
    heights = np.asarray(heights, dtype=np.float64).reshape(-1)
    if len(edges) != len(heights) + 1:
        raise ValueError("need one more edge than heights")
    s = np.empty(2 * len(heights))
    s[0::2], s[1::2] = edges[:-1], edges[1:]
    w = np.full_like(s, float(w_big))
    v = np.empty_like(s)
    v[0::2], v[1::2] = heights, -heights
    return OneInput(w, bias_for_step(s, w), v, activation, out)


def bump_heights(model: OneInput) -> Array:
    """The heights h_i = v_{2i} of a bump model: shape (N,)."""
    return model.v[0::2].copy()


def with_heights(model: OneInput, heights: Array) -> OneInput:
    """A copy of a bump model with new heights (v_{2i} = h_i, v_{2i+1} = -h_i)."""
    m = model.copy()
    h = np.asarray(heights, dtype=np.float64).reshape(-1)
    if 2 * len(h) != m.n:
        raise ValueError("need one height per bump")
    m.v[0::2], m.v[1::2] = h, -h
    return m


def fit_target(goal: Array, out: str) -> Array:
    """What the weighted sum must equal: the goal, or sigma^-1(goal clipped into (0, 1))."""
    goal = np.asarray(goal, dtype=np.float64)
    if out == "sigmoid":
        g = np.clip(goal, EPS, 1 - EPS)
        return np.log(g / (1 - g))
    return goal


def fit_heights(model: OneInput, x: Array, goal: Array) -> Array:
    """Least-squares bump heights for a bump model: shape (N,).

    The columns a_{2i}(x) - a_{2i+1}(x) are the unit bumps; the target is
    :func:`fit_target`, so a sigmoid output fits sigma^-1 of the goal.
    """
    a = hidden_outputs(model, x)
    basis = a[:, 0::2] - a[:, 1::2]
    target = fit_target(goal, model.output)
    h, *_ = np.linalg.lstsq(basis, target, rcond=None)
    return h


def fit_output_weights(model: OneInput, x: Array, goal: Array) -> Array:
    """Least-squares output weights v for any hidden layer: shape (N,)."""
    a = hidden_outputs(model, x)
    v, *_ = np.linalg.lstsq(a, fit_target(goal, model.output), rcond=None)
    return v


def score(model: OneInput, x: Array, goal: Array) -> float:
    """Average absolute deviation mean |output(x) - goal(x)| (the book's score)."""
    return float(np.mean(np.abs(output(model, x) - np.asarray(goal, dtype=np.float64))))


def fitted_bumps(n: int, x: Array, goal: Array, w_big: float = STEP_W,
                 activation: str = "sigmoid", out: str = "linear",
                 x_range: tuple[float, float] = (0.0, 1.0)) -> OneInput:
    """N bumps on ``x_range`` with least-squares heights for ``goal`` sampled at ``x``."""
    m = bump_model(bump_edges(n, *x_range), np.zeros(n), w_big, activation, out)
    return with_heights(m, fit_heights(m, x, goal))


def error_curve(ns: Sequence[int], x: Array, goal: Array, w_big: float = STEP_W,
                activation: str = "sigmoid", out: str = "linear",
                x_range: tuple[float, float] = (0.0, 1.0)) -> Array:
    """The best (auto-fitted) average deviation for each N in ``ns``: shape (len(ns),)."""
    return np.array([score(fitted_bumps(int(n), x, goal, w_big, activation, out, x_range), x, goal)
                     for n in ns])


def relu_formula(x: Array, w: Array, b: Array, c: Array) -> Array:
    """sum_k c_k max(w_k x + b_k, 0) written out directly (the notes' formula): shape (len(x),)."""
    x = np.asarray(x, dtype=np.float64)
    total = np.zeros_like(x)
    for wk, bk, ck in zip(w, b, c):
        total = total + ck * np.maximum(wk * x + bk, 0.0)
    return total


# ---------------------------------------------------------------- two inputs
@dataclass
class Towers:
    """A K x K grid of towers on [0, 1]^2 with heights (K, K) (rows: y, columns: x).

    Tower (i, j) is sigma(g (S_x + S_y) - 3g/2) where S_x is the x-bump on
    [x_j, x_j+1] (two steps, weights 1 and -1) and S_y the y-bump; g (the book's h)
    sets how sharp the tower is.
    """

    heights: Array
    gain: float = 30.0
    w_big: float = STEP_W
    edges: Array = field(default_factory=lambda: np.linspace(0, 1, 2))

    @property
    def k(self) -> int:
        return self.heights.shape[0]


def tower(x: Array, y: Array, x_edges: tuple[float, float], y_edges: tuple[float, float],
          gain: float = 30.0, w_big: float = STEP_W) -> Array:
    """One tower over the grid (x, y) (same shapes); ~1 inside the rectangle, ~0 outside.

    The threshold bias is b = -3 gain / 2: only where both bumps are on does the
    weighted input gain * (S_x + S_y) exceed it.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    sx = sigmoid(w_big * (x - x_edges[0])) - sigmoid(w_big * (x - x_edges[1]))
    sy = sigmoid(w_big * (y - y_edges[0])) - sigmoid(w_big * (y - y_edges[1]))
    return sigmoid(gain * (sx + sy) - 1.5 * gain)


def towers_for_goal(goal: Callable[[Array, Array], Array], k: int, gain: float = 30.0,
                    w_big: float = STEP_W, samples: int = 4) -> Towers:
    """K x K towers whose heights are the goal's mean over each cell (sampled ``samples``^2 times)."""
    if not 1 <= k <= 50:
        raise ValueError("the number of towers per side must be between 1 and 50")
    edges = np.linspace(0, 1, k + 1)
    t = (np.arange(samples) + 0.5) / samples
    cx = (edges[:-1, None] + t[None, :] / k).reshape(-1)  # k*samples points
    gx, gy = np.meshgrid(cx, cx)
    vals = np.asarray(goal(gx, gy), dtype=np.float64)
    heights = vals.reshape(k, samples, k, samples).mean(axis=(1, 3))
    return Towers(heights, float(gain), float(w_big), edges)


def towers_output(towers: Towers, x: Array, y: Array) -> Array:
    """sum over towers of height * tower(x, y): the shape of x."""
    out = np.zeros(np.shape(x))
    e = towers.edges
    for i in range(towers.k):
        for j in range(towers.k):
            out += towers.heights[i, j] * tower(x, y, (e[j], e[j + 1]), (e[i], e[i + 1]),
                                                towers.gain, towers.w_big)
    return out
