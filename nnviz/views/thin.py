"""A long curve cut to what its pixels can show: per pixel column, the points with the
lowest and the highest value (drawing only: the data behind a chart stay whole)."""

from __future__ import annotations

import numpy as np


def column_peaks(x: np.ndarray, y: np.ndarray, lo: float, hi: float,
                 columns: int) -> tuple[np.ndarray, np.ndarray]:
    """The points of the polyline (x, y) (x ascending, all finite) that a line drawn
    through every point reaches in each of ``columns`` equal columns of [lo, hi]: in each
    column the lowest and the highest point, plus the first and the last point, in their
    order. A curve of at most four points per column comes back unchanged.

    A line through the kept points spans, in every column, the same values as the line
    through all of them (the pen joins neighbours only, which lie within a column of each
    other), so at that resolution the two look alike; drawing it costs a fraction.
    """
    n = len(x)
    if columns < 1 or n <= 4 * columns or not hi > lo:
        return x, y
    col = np.clip(((x - lo) * (columns / (hi - lo))).astype(np.intp), 0, columns - 1)
    starts = np.flatnonzero(np.r_[True, col[1:] != col[:-1]])   # x ascending: runs
    counts = np.diff(np.r_[starts, n])
    keep = np.zeros(n, dtype=bool)
    keep[[0, -1]] = True
    for reduce in (np.minimum, np.maximum):
        hit = np.flatnonzero(y == np.repeat(reduce.reduceat(y, starts), counts))
        run = col[hit]
        keep[hit[np.r_[True, run[1:] != run[:-1]]]] = True   # the first of each column
    return x[keep], y[keep]
