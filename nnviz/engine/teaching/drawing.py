"""The presenter's pen strokes as plain data, for a workspace that keeps its drawing.

A stroke is a colour of the colour-blind-safe palette, a width in pixels at normal
type, and its points as fractions of the window's width and height (so a drawing
reopened in another window size lands on the same parts of the picture).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from nnviz.engine.files.validate import FormatError

PEN_COLOURS = ("vermillion", "blue", "green", "orange", "purple", "sky_blue", "yellow")
MAX_STROKES = 200
MAX_PEN_POINTS = 20_000      # in all strokes together
WIDTH_RANGE = (0.5, 50.0)
POINT_RANGE = (-1.0, 2.0)    # fractions of the window; a stroke may leave it a little


@dataclass(frozen=True)
class Stroke:
    """``points``: shape (n, 2), fractions of the window's width and height."""

    colour: str
    width: float
    points: np.ndarray


def drawing_to_list(strokes: list[Stroke]) -> list[dict[str, Any]]:
    return [{"colour": s.colour, "width": float(s.width),
             "points": np.round(s.points, 5).tolist()} for s in strokes]


def drawing_from_list(v: Any, where: str = "drawing") -> list[Stroke]:
    """The strokes of a workspace's ``drawing`` (already checked against the schema for
    types and bounds); FormatError if a point is not an (x, y) pair or there are too many."""
    if not isinstance(v, list):
        raise FormatError(f"{where}: expected a list of strokes")
    strokes, total = [], 0
    for i, s in enumerate(v):
        pts = s.get("points", []) if isinstance(s, dict) else None
        if not isinstance(pts, list) or not pts or \
                not all(isinstance(p, list) and len(p) == 2 for p in pts):
            raise FormatError(f"{where}[{i}].points: expected [x, y] pairs")
        total += len(pts)
        if total > MAX_PEN_POINTS:
            raise FormatError(f"{where}: more than {MAX_PEN_POINTS:,} points")
        arr = np.asarray(pts, dtype=np.float64)
        if not (np.isfinite(arr).all() and (arr >= POINT_RANGE[0]).all()
                and (arr <= POINT_RANGE[1]).all()):
            raise FormatError(f"{where}[{i}].points: numbers in [{POINT_RANGE[0]:g}, "
                              f"{POINT_RANGE[1]:g}] (fractions of the window)")
        colour, width = s.get("colour"), s.get("width")
        if colour not in PEN_COLOURS:
            raise FormatError(f"{where}[{i}].colour: one of {', '.join(PEN_COLOURS)}")
        if not isinstance(width, (int, float)) or isinstance(width, bool) or \
                not WIDTH_RANGE[0] <= width <= WIDTH_RANGE[1]:
            raise FormatError(f"{where}[{i}].width: a number in [{WIDTH_RANGE[0]:g}, "
                              f"{WIDTH_RANGE[1]:g}]")
        strokes.append(Stroke(colour, float(width), arr))
    return strokes
