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
    return GrowingPeaks()(x, y, lo, hi, columns)


def _peaks(x: np.ndarray, y: np.ndarray, lo: float, hi: float,
           columns: int) -> tuple[np.ndarray, int]:
    """Per run of points in one column: the indices of its first lowest and first highest
    point (ascending), and where the last run starts."""
    n = len(x)
    col = np.clip(((x - lo) * (columns / (hi - lo))).astype(np.intp), 0, columns - 1)
    starts = np.flatnonzero(np.r_[True, col[1:] != col[:-1]])   # x ascending: runs
    counts = np.diff(np.r_[starts, n])
    keep = np.zeros(n, dtype=bool)
    for reduce in (np.minimum, np.maximum):
        hit = np.flatnonzero(y == np.repeat(reduce.reduceat(y, starts), counts))
        run = col[hit]
        keep[hit[np.r_[True, run[1:] != run[:-1]]]] = True   # the first of each column
    return np.flatnonzero(keep), int(starts[-1])


class GrowingPeaks:
    """:func:`column_peaks` of a curve that grows at its end (a live training's history):
    the columns before the last one of the previous call are final, so only the points
    from that column on are looked at again. Any other change (a new range, the history
    thinned, a value changed) is seen by comparing the earlier points, and the whole
    curve is done again: the result is always column_peaks' own."""

    def __init__(self) -> None:
        self._seen: tuple | None = None   # (lo, hi, columns, x, y, last run start, kept)

    def __call__(self, x: np.ndarray, y: np.ndarray, lo: float, hi: float,
                 columns: int) -> tuple[np.ndarray, np.ndarray]:
        n = len(x)
        if columns < 1 or n <= 4 * columns or not hi > lo:
            self._seen = None
            return x, y
        start, done = 0, np.zeros(0, dtype=np.intp)
        s = self._seen
        if (s is not None and s[:3] == (lo, hi, columns) and len(s[3]) <= n
                and np.array_equal(x[:len(s[3])], s[3])
                and np.array_equal(y[:len(s[4])], s[4])):
            start, done = s[5], s[6]
        tail, last = _peaks(x[start:], y[start:], lo, hi, columns)
        last += start
        keep = np.concatenate([done, tail + start])   # ascending: done < start <= tail
        if not len(keep) or keep[0] != 0:
            keep = np.r_[0, keep]
        if keep[-1] != n - 1:
            keep = np.r_[keep, n - 1]
        self._seen = (lo, hi, columns, x.copy(), y.copy(), last, keep[keep < last])
        return x[keep], y[keep]
