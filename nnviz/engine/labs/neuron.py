"""One neuron: the McCulloch–Pitts unit, the perceptron and its learning rule (notes 002, 003).

Pure functions returning records; randomness only from an injected
``np.random.Generator``.

Conventions
-----------
``"perceptron"``: output 1 when w·x + b > 0 (notes 002).
``"step"``: output 1 when w·x + b >= 0 (notes 003). They differ only where w·x + b == 0.

The learning rule (notes 003) works on augmented inputs x = (1, x1, x2) and weights
w = (w0, w1, w2) with w0 the bias: pick a random x; "if x ∈ P and w·x < 0 then w = w + x;
if x ∈ N and w·x ≥ 0 then w = w − x" (the "step" convention); under the "perceptron"
convention the thresholds move with the output rule (P and w·x ≤ 0; N and w·x > 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np

Array = np.ndarray
CONVENTIONS = ("perceptron", "step")

# ---------------------------------------------------------------- McCulloch–Pitts


@dataclass(frozen=True)
class MPUnit:
    """A McCulloch–Pitts unit: boolean inputs, some inhibitory, and a threshold theta.

    Attributes
    ----------
    inhibitory : tuple of bool, length n
        Which inputs are inhibitory (a single active one forces the output to 0).
    theta : int
        Threshold on the sum g(x) of the inputs.
    """

    inhibitory: tuple[bool, ...]
    theta: int

    @property
    def n(self) -> int:
        return len(self.inhibitory)


MP_PRESETS: dict[str, MPUnit] = {
    "AND": MPUnit((False, False), 2),
    "OR": MPUnit((False, False), 1),
    "NOR": MPUnit((True, True), 0),
    "NOT": MPUnit((True,), 0),
    "x1 AND NOT x2": MPUnit((False, True), 1),
}


def mp_output(unit: MPUnit, x: Array) -> int:
    """y = 0 if any inhibitory input is on, else 1 when g(x) = Σ x_i >= theta.

    Parameters
    ----------
    unit : MPUnit
    x : array of 0/1, shape (n,)
    """
    x = np.asarray(x, dtype=np.int64)
    if x.shape != (unit.n,) or not np.isin(x, (0, 1)).all():
        raise ValueError(f"an MP unit takes {unit.n} boolean inputs")
    if any(bool(xi) and inh for xi, inh in zip(x, unit.inhibitory)):
        return 0
    return int(x.sum() >= unit.theta)


@dataclass(frozen=True)
class MPTable:
    """Truth table of an MP unit: inputs (2^n, n), sums g (2^n,), inhibited (2^n,), y (2^n,)."""

    inputs: Array
    g: Array
    inhibited: Array
    y: Array


def mp_truth_table(unit: MPUnit) -> MPTable:
    """Every boolean input, in counting order (0…0 first), with g(x), inhibition and y."""
    rows = np.array(list(product((0, 1), repeat=unit.n)), dtype=np.int64).reshape(-1, unit.n)
    inh = np.array(unit.inhibitory, dtype=bool)
    inhibited = (rows.astype(bool) & inh).any(axis=1)
    return MPTable(rows, rows.sum(axis=1), inhibited,
                   np.array([mp_output(unit, r) for r in rows], dtype=np.int64))


# ---------------------------------------------------------------- perceptron

PERCEPTRON_PRESETS: dict[str, tuple[float, float, float]] = {
    "NAND": (-2.0, -2.0, 3.0),
    "AND": (2.0, 2.0, -3.0),
    "OR": (2.0, 2.0, -1.0),
}


def classify(z: Array, convention: str) -> Array:
    """0/1 outputs for pre-activations z: ``z > 0`` (perceptron) or ``z >= 0`` (step)."""
    z = np.asarray(z, dtype=np.float64)
    if convention == "perceptron":
        return (z > 0).astype(np.int64)
    if convention == "step":
        return (z >= 0).astype(np.int64)
    raise ValueError(f"unknown convention {convention!r}; choose one of {', '.join(CONVENTIONS)}")


@dataclass(frozen=True)
class PerceptronTable:
    """Perceptron outputs: inputs (m, 2), z = w·x + b (m,), y (m,), differs (m,) bool.

    ``differs`` marks the rows where the two conventions give different outputs (z == 0).
    """

    inputs: Array
    z: Array
    y: Array
    differs: Array


def perceptron_table(w: Array, b: float, convention: str, inputs: Array | None = None
                     ) -> PerceptronTable:
    """The truth table on the four corners (or the given inputs (m, 2))."""
    from nnviz.engine.sets.datasets import CORNERS

    x = CORNERS.copy() if inputs is None else np.asarray(inputs, dtype=np.float64)
    z = x @ np.asarray(w, dtype=np.float64) + float(b)
    return PerceptronTable(x, z, classify(z, convention), z == 0)


def decision_line(w: Array, b: float, xlim: tuple[float, float], ylim: tuple[float, float]
                  ) -> tuple[Array, Array]:
    """The segment of w1 x1 + w2 x2 + b = 0 inside the box; empty arrays if it misses or w = 0.

    Returns
    -------
    xs, ys : arrays of shape (2,) (or (0,))
    """
    w1, w2 = float(w[0]), float(w[1])
    b = float(b)
    (x0, x1), (y0, y1) = xlim, ylim
    pts: list[tuple[float, float]] = []
    if w2 != 0:
        for x in (x0, x1):
            y = -(w1 * x + b) / w2
            if y0 <= y <= y1:
                pts.append((x, y))
    if w1 != 0:
        for y in (y0, y1):
            x = -(w2 * y + b) / w1
            if x0 <= x <= x1:
                pts.append((x, y))
    uniq: list[tuple[float, float]] = []
    for p in pts:
        if all(abs(p[0] - q[0]) > 1e-12 or abs(p[1] - q[1]) > 1e-12 for q in uniq):
            uniq.append(p)
    if len(uniq) < 2:
        return np.zeros(0), np.zeros(0)
    uniq.sort()
    (ax, ay), (bx, by) = uniq[0], uniq[-1]
    return np.array([ax, bx]), np.array([ay, by])


def region_grid(w: Array, b: float, convention: str, xlim: tuple[float, float],
                ylim: tuple[float, float], n: int = 160) -> Array:
    """Classification of an n x n grid of cell centres, shape (n, n) indexed [ix, iy]."""
    xs = xlim[0] + (np.arange(n) + 0.5) * (xlim[1] - xlim[0]) / n
    ys = ylim[0] + (np.arange(n) + 0.5) * (ylim[1] - ylim[0]) / n
    z = float(w[0]) * xs[:, None] + float(w[1]) * ys[None, :] + float(b)
    return classify(z, convention)


# ---------------------------------------------------------------- learning rule


@dataclass(frozen=True)
class LearnStep:
    """One step of the perceptron learning algorithm.

    Attributes
    ----------
    index : int
        Which data point was picked.
    x : array (3,)
        The augmented input (1, x1, x2).
    label : int
        Its class (1 = in P, 0 = in N).
    wx : float
        w·x before the step.
    update : int
        +1 (w = w + x), −1 (w = w − x) or 0 (correctly classified: no change).
    w_before, w_after : arrays (3,)
        (w0 = b, w1, w2) before and after.
    """

    index: int
    x: Array
    label: int
    wx: float
    update: int
    w_before: Array
    w_after: Array


#: the learning rule as notes 003 print it (their output is 1 when w·x ≥ 0) and the same rule
#: with the threshold of notes 002's "> 0" convention; :func:`learn_step` follows these lines
RULE_TEXT = {
    "step": ("Notes 003's rule (output 1 if w·x ≥ 0)",
             ("if x ∈ P and w·x < 0 then w = w + x", "if x ∈ N and w·x ≥ 0 then w = w − x")),
    "perceptron": ("Notes 003's rule in the > 0 form (output 1 if w·x > 0)",
                   ("if x ∈ P and w·x ≤ 0 then w = w + x",
                    "if x ∈ N and w·x > 0 then w = w − x")),
}


def augment(x: Array) -> Array:
    """Prepend x0 = 1: shape (m, 2) -> (m, 3)."""
    x = np.asarray(x, dtype=np.float64).reshape(len(x), -1)
    return np.hstack([np.ones((len(x), 1)), x])


def learn_step(w: Array, x_aug: Array, labels: Array, index: int, convention: str = "step"
               ) -> LearnStep:
    """Apply the rule of ``RULE_TEXT[convention]`` to point ``index`` (x_aug (m, 3), labels
    (m,) of 0/1); pure. Under "step" it is notes 003's rule letter for letter."""
    w = np.asarray(w, dtype=np.float64)
    x = np.asarray(x_aug[index], dtype=np.float64)
    label = int(labels[index])
    wx = float(w @ x)
    if convention == "step":
        wrong = wx < 0 if label == 1 else wx >= 0
    elif convention == "perceptron":
        wrong = wx <= 0 if label == 1 else wx > 0
    else:
        raise ValueError(f"unknown convention {convention!r}")
    update = 0 if not wrong else (1 if label == 1 else -1)
    return LearnStep(index, x.copy(), label, wx, update, w.copy(), w + update * x)


def pick(rng: np.random.Generator, m: int) -> int:
    """A uniformly random point index in range(m) ("pick random x ∈ P ∪ N")."""
    return int(rng.integers(m))


def misclassified(w: Array, x_aug: Array, labels: Array, convention: str = "step") -> Array:
    """Indices of the points the weights (w0, w1, w2) get wrong, shape (k,)."""
    pred = classify(np.asarray(x_aug, dtype=np.float64) @ np.asarray(w, dtype=np.float64),
                    convention)
    return np.flatnonzero(pred != np.asarray(labels).astype(np.int64))


def random_init(rng: np.random.Generator) -> Array:
    """"Initialize w randomly": integers in [−3, 3] for (w0, w1, w2), shape (3,)."""
    return rng.integers(-3, 4, size=3).astype(np.float64)


def weight_key(w: Array) -> tuple[float, ...]:
    """A hashable key for a weight vector (rounded so float sums of the same updates match)."""
    return tuple(float(v) for v in np.round(np.asarray(w, dtype=np.float64), 9) + 0.0)


@dataclass(frozen=True)
class LearnRun:
    """The outcome of :func:`run_learning`: steps, final w, and why it stopped.

    ``status`` is ``"converged"`` (every point right), ``"cycle"`` (a weight vector
    repeated after updates while points were still wrong: not linearly separable) or
    ``"limit"`` (max_steps reached).
    """

    steps: list[LearnStep]
    w: Array
    status: str
    updates: int


def run_learning(w0: Array, x: Array, labels: Array, rng: np.random.Generator,
                 convention: str = "step", max_steps: int = 10_000) -> LearnRun:
    """Run the rule from w0 on inputs x (m, 2) until convergence, a repeat, or max_steps.

    A repeated weight vector proves the classes are not linearly separable: if a separator
    u existed, every update would increase u·w strictly, so w could never come back.
    """
    xa = augment(x)
    w = np.asarray(w0, dtype=np.float64).copy()
    seen = {weight_key(w)}
    steps: list[LearnStep] = []
    updates = 0
    for _ in range(max_steps):
        if len(misclassified(w, xa, labels, convention)) == 0:
            return LearnRun(steps, w, "converged", updates)
        s = learn_step(w, xa, labels, pick(rng, len(xa)), convention)
        steps.append(s)
        w = s.w_after
        if s.update:
            updates += 1
            key = weight_key(w)
            if key in seen:
                return LearnRun(steps, w, "cycle", updates)
            seen.add(key)
    done = len(misclassified(w, xa, labels, convention)) == 0
    return LearnRun(steps, w, "converged" if done else "limit", updates)


# ---------------------------------------------------------------- activations


def saturation_regions(z: Array, prime: Array, tol: float = 0.01) -> list[tuple[float, float]]:
    """Intervals of the sorted grid z (n,) where |f'(z)| < tol (vanishing gradients)."""
    flat = np.abs(np.asarray(prime, dtype=np.float64)) < tol
    out: list[tuple[float, float]] = []
    start = None
    for i, s in enumerate(flat):
        if s and start is None:
            start = i
        if not s and start is not None:
            out.append((float(z[start]), float(z[i - 1])))
            start = None
    if start is not None:
        out.append((float(z[start]), float(z[-1])))
    return out
