"""Input features of a point (x1, x2) of the plane, as TensorFlow Playground offers them.

A network trained on 2-D points can read, instead of (x1, x2), any non-empty choice of
the features below; its first layer then has one input per chosen feature. The points
of a data set stay (x1, x2): :func:`expand` makes the network's inputs from them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnviz.engine.files.validate import FormatError

Array = np.ndarray

#: name -> the feature of points p (n, 2); in the order offered (and kept in a choice)
FEATURES: dict[str, Callable[[Array], Array]] = {
    "x1": lambda p: p[:, 0],
    "x2": lambda p: p[:, 1],
    "x1²": lambda p: p[:, 0] * p[:, 0],
    "x2²": lambda p: p[:, 1] * p[:, 1],
    "x1·x2": lambda p: p[:, 0] * p[:, 1],
    "sin x1": lambda p: np.sin(p[:, 0]),
    "sin x2": lambda p: np.sin(p[:, 1]),
}
#: the plain inputs: the network reads the points themselves
PLAIN: tuple[str, ...] = ("x1", "x2")


def expand(points: Array, names: tuple[str, ...]) -> Array:
    """The network's inputs (n, len(names)) for points (n, 2); the points themselves
    (no copy) for the plain choice."""
    if tuple(names) == PLAIN:
        return points
    p = np.asarray(points, dtype=np.float64)
    if p.ndim != 2 or p.shape[1] != 2:
        raise ValueError("input features need 2-D points")
    return np.column_stack([FEATURES[n](p) for n in names]) if len(p) else np.zeros((0, len(names)))


def toggled(names: tuple[str, ...], name: str) -> tuple[str, ...]:
    """The choice with ``name`` switched on or off (kept in the offered order); ValueError
    if that would leave no feature."""
    if name not in FEATURES:
        raise ValueError(f"unknown input feature {name!r}")
    chosen = set(names) ^ {name}
    if not chosen:
        raise ValueError("the network needs at least one input feature")
    return tuple(n for n in FEATURES if n in chosen)


def parse_features(v: Any, where: str) -> tuple[str, ...]:
    """A saved choice (a list of feature names), validated; FormatError naming ``where``."""
    if not isinstance(v, list) or not 1 <= len(v) <= len(FEATURES):
        raise FormatError(f"{where}: expected a list of 1 to {len(FEATURES)} feature names")
    for k, n in enumerate(v):
        if not isinstance(n, str) or n not in FEATURES:
            raise FormatError(f"{where}[{k}]: not one of {', '.join(FEATURES)}"[:200])
    if len(set(v)) != len(v):
        raise FormatError(f"{where}: a feature is listed twice")
    return tuple(n for n in FEATURES if n in v)


def rewire(weights: Array, old: tuple[str, ...], new: tuple[str, ...],
           rng: np.random.Generator) -> Array:
    """First-layer weights (n_hidden, len(new)) for a new choice of features: the columns
    of features kept stay as they were, a new feature's column is drawn Xavier-uniform."""
    n = weights.shape[0]
    lim = np.sqrt(6.0 / (n + len(new)))
    out = rng.uniform(-lim, lim, size=(n, len(new)))
    for k, name in enumerate(new):
        if name in old:
            out[:, k] = weights[:, old.index(name)]
    return out
