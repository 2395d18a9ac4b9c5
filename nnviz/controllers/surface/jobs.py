"""Work for the surface controller's worker thread (plain functions on copies of the
data) and validation of the lab state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nnviz.engine.core.network import Network
from nnviz.engine.labs import planes as P
from nnviz.engine.labs import surface as S

MODES = ("params", "random", "pca")
#: steps of the trial run whose PCA plane is shown before there is a path
PCA_STEPS = 300


@dataclass
class Surface:
    """A computed grid: ``z[i, j]`` is the loss at (xs[j], ys[i]); ``slice_z`` is the
    1-D slice along x through the current y; a ``live`` one was computed while descent
    played (coarse, refined when it pauses)."""

    mode: str
    xs: np.ndarray
    ys: np.ndarray
    z: np.ndarray
    x_label: str
    y_label: str
    slice_z: np.ndarray
    origin: np.ndarray | None = None
    d1: np.ndarray | None = None
    d2: np.ndarray | None = None
    info: str = ""
    base: np.ndarray = field(default_factory=lambda: np.zeros(0))
    live: bool = False


def plane_job(net: Network, x, y, loss, mode: str, theta: np.ndarray,
               trajectory: np.ndarray | None, eta: float, seed: int, span: float, n: int,
               progress) -> Surface:
    """Compute a random or PCA plane and the loss on it (runs in the worker)."""
    if mode == "random":
        rng = np.random.default_rng(seed)
        d1 = P.filter_normalised_direction(net, rng)
        d2 = P.filter_normalised_direction(net, rng)
        info = (f"Plane through the current point along two random directions, each rescaled "
                f"per neuron to that neuron's weight norm (Li et al. 2018); seed {seed}.")
        origin = theta
    else:
        if trajectory is None:  # no path yet: train a copy to get one
            trajectory, _ = S.descent_path(net, x, y, loss, eta, PCA_STEPS)
        plane = P.pca_plane(trajectory)
        origin, d1, d2 = plane.origin, plane.d1, plane.d2
        ex = plane.explained
        span = float(np.max(np.abs(plane.coords))) * 1.4 if plane.coords.size else 1.0
        span = span if span > 0 else 1.0
        info = (f"Plane of the first two principal components of the trajectory "
                f"({100 * ex[0]:.1f}% and {100 * ex[1]:.1f}% of its variance), centred on "
                f"its end point.")
    a = np.linspace(-span, span, n)
    z = P.plane_grid(net, x, y, loss, origin, d1, d2, a, a, progress)
    sl = z[n // 2]
    return Surface(mode, a, a, z, "α (direction 1)", "β (direction 2)", sl, origin, d1, d2, info)


def validate_state(st: Any, current: dict[str, Any], names: dict[str, Any]) -> dict[str, Any]:
    """The checked surface state (missing keys from ``current``); ValueError names the key."""
    if not isinstance(st, dict):
        raise ValueError("surface state: expected an object")
    v = {**current, **st}
    if v["mode"] not in MODES:
        raise ValueError(f"surface state: mode {v['mode']!r} is not one of {', '.join(MODES)}")
    pair = v["params"]
    if not (isinstance(pair, list) and len(pair) == 2 and pair[0] != pair[1] and all(
            isinstance(p, str) and p in names for p in pair)):
        raise ValueError("surface state: params must name two different parameters of the "
                         "network")
    c = v["center"]
    if not (isinstance(c, (list, tuple)) and len(c) == 2 and all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and np.isfinite(x)
            for x in c)):
        raise ValueError("surface state: center must be two finite numbers")
    span = v["span"]
    if not (isinstance(span, (int, float)) and np.isfinite(span) and 0 < span <= 1e6):
        raise ValueError("surface state: span must be a positive number")
    res = v["resolution"]
    if not (isinstance(res, int) and not isinstance(res, bool) and 21 <= res <= 301):
        raise ValueError("surface state: resolution must be an integer from 21 to 301")
    if not isinstance(v["only_two"], bool):
        raise ValueError("surface state: only_two must be true or false")
    spt = v["steps_per_tick"]
    if not (isinstance(spt, int) and not isinstance(spt, bool) and 1 <= spt <= 1000):
        raise ValueError("surface state: steps_per_tick must be an integer from 1 to 1000")
    v["center"] = [float(c[0]), float(c[1])]
    v["span"] = float(span)
    return v
