"""The error-surface lab's 1-D slice through the current point, and where that point
lies against a plane surface.

On a random or PCA plane the point is the projection of the network's parameters on the
plane, which they need not lie in (xor-landscape's first point is 0.54 off its PCA
plane): the heatmap and the slice show the plane's loss, the readout the network's own.
The slice runs along direction 1 at the point's β (it was the plane's centre row, drawn
under a point elsewhere on it)."""

from __future__ import annotations

import time

import numpy as np

from nnviz.engine.labs import surface as S
from nnviz.engine.labs.planes import plane_grid, project

#: a slice (or the loss at the point's projection) is computed afresh at each step only
#: below this many parameters x samples; otherwise the grid's row nearest the point
LIVE_WORK = 200_000
#: while descent plays, the slice shown is at most this old (seconds): computed at every
#: drawn step (up to 60 a second) it took about a fifth of the window's thread, which
#: the live pictures' threads share the cores with
LIVE_SLICE_S = 0.1


def _small(ctl) -> bool:
    return ctl.net.n_params() * max(1, len(ctl.doc.x)) <= LIVE_WORK


def _plane(ctl):
    """The plane surface shown, if it is one of the current network."""
    s = ctl.surface
    if (s is None or s.mode == "params" or s.origin is None or s.mode != ctl.mode
            or s.origin.size != ctl.net.n_params()):
        return None
    return s


def _point(ctl, s) -> tuple[np.ndarray, float, float]:
    """The current parameters and their (α, β) on the plane ``s``: the path's last point
    alone (the controller's point() projects the whole path)."""
    theta = np.asarray(ctl.thetas[-1], dtype=np.float64)
    a, b = project(theta[None], s.origin, s.d1, s.d2)[0]
    return theta, float(a), float(b)


def slice_values(ctl) -> tuple[np.ndarray, np.ndarray] | None:
    """(values, loss) along the x axis through the current point: on two parameters the
    loss against the x parameter, the rest held; on a plane the plane's loss along
    direction 1 at the point's β."""
    s = ctl.surface
    if s is None or ctl.net.has_batch_norm:  # the surface leaves batch norm out
        return None
    if s.mode == "params" and ctl.mode == "params" and _small(ctl):
        try:
            return s.xs, S.loss_slice(ctl.net, ctl.doc.x, ctl.doc.y, ctl.doc.loss, ctl.px,
                                      s.xs)
        except ValueError:   # e.g. batch normalisation switched on since: no slice
            return None
    plane = _plane(ctl)
    if plane is not None:
        _theta, _alpha, beta = _point(ctl, s)
        if np.isfinite(beta):
            if _small(ctl):
                return s.xs, plane_grid(ctl.net, ctl.doc.x, ctl.doc.y, ctl.doc.loss,
                                        s.origin, s.d1, s.d2, s.xs, [beta])[0]
            return s.xs, s.z[int(np.argmin(np.abs(s.ys - beta)))]
    return s.xs, s.slice_z


def off_plane(ctl) -> tuple[float, float | None] | None:
    """(distance of the network's parameters from the plane, the plane's loss at their
    projection: None where that is too costly to compute at each step); None where the
    surface is not a plane."""
    s = _plane(ctl)
    if s is None or ctl.net.has_batch_norm:
        return None
    theta, a, b = _point(ctl, s)
    if not (np.isfinite(a) and np.isfinite(b)):
        return None
    distance = float(np.linalg.norm(theta - (s.origin + a * s.d1 + b * s.d2)))
    loss = None
    if _small(ctl):
        loss = float(plane_grid(ctl.net, ctl.doc.x, ctl.doc.y, ctl.doc.loss, s.origin, s.d1,
                                s.d2, [a], [b])[0, 0])
    return distance, loss


class LiveSlice:
    """The slice as the page draws it: while descent plays, the last one computed if it
    is at most LIVE_SLICE_S old and along the same values of the same parameter or
    plane (the dot on it is the current loss); otherwise, and always once play stops,
    computed afresh (``ctl.slice_values``)."""

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._at = -np.inf
        self._value: tuple[np.ndarray, np.ndarray] | None = None

    def get(self, ctl) -> tuple[np.ndarray, np.ndarray] | None:
        s = ctl.surface   # (a live picture is a new surface over the same values)
        key = None if s is None else (ctl.mode, ctl.px, len(s.xs), s.xs[0], s.xs[-1],
                                      id(s.origin))
        now = time.monotonic()
        if not (ctl.playback.playing and key == self._key and now - self._at < LIVE_SLICE_S):
            self._key, self._at, self._value = key, now, ctl.slice_values()
        return self._value
