"""A long curve cut to its pixel columns keeps, in every column, the lowest and the highest
point, the ends, and the order; a short one is left whole."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz.views.thin import GrowingPeaks, column_peaks


def _columns(x, lo, hi, columns):
    return np.clip(((x - lo) * (columns / (hi - lo))).astype(int), 0, columns - 1)


def _check(x, y, lo, hi, columns):
    kx, ky = column_peaks(x, y, lo, hi, columns)
    # a subset of the points, in their order, with the ends
    idx = [int(np.flatnonzero((x == a) & (y == b))[0]) for a, b in zip(kx, ky)]
    assert idx == sorted(idx) and len(set(idx)) == len(idx)
    assert idx[0] == 0 and idx[-1] == len(x) - 1
    # every column spans the same values
    col, kcol = _columns(x, lo, hi, columns), _columns(kx, lo, hi, columns)
    for c in np.unique(col):
        assert ky[kcol == c].min() == y[col == c].min()
        assert ky[kcol == c].max() == y[col == c].max()
    return kx, ky


def test_a_long_curve_keeps_two_points_a_column_plus_its_ends():
    rng = np.random.default_rng(3)
    x = np.arange(2000, dtype=float)
    y = np.cumsum(rng.normal(size=2000))
    kx, _ky = _check(x, y, 0.0, 2000.0, 200)
    assert len(kx) <= 2 * 200 + 2


def test_a_flat_curve_keeps_one_point_a_column():
    x = np.arange(1000, dtype=float)
    kx, ky = column_peaks(x, np.ones(1000), 0.0, 1000.0, 100)
    assert len(kx) == 100 + 1 and np.all(ky == 1.0)   # each column's first, and the last


def test_a_short_curve_comes_back_whole():
    x = np.arange(10, dtype=float)
    y = x ** 2
    kx, ky = column_peaks(x, y, 0.0, 10.0, 100)
    assert kx is x and ky is y
    assert column_peaks(x, y, 0.0, 10.0, 0)[0] is x          # no columns yet (not laid out)
    assert column_peaks(x, y, 5.0, 5.0, 1)[0] is x           # an empty range


@settings(max_examples=60, deadline=None)
@given(n=st.integers(5, 400), columns=st.integers(1, 60), seed=st.integers(0, 1000),
       pad=st.floats(0.0, 2.0))
def test_any_curve_keeps_every_columns_extremes(n, columns, seed, pad):
    rng = np.random.default_rng(seed)
    x = np.cumsum(rng.uniform(0.1, 2.0, n))
    y = np.round(rng.normal(size=n), 1)   # ties too
    _check(x, y, float(x[0]) - pad, float(x[-1]) + pad, columns)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), columns=st.integers(1, 40))
def test_a_growing_curve_cut_again_at_each_frame_is_cut_as_a_whole_curve(seed, columns):
    """GrowingPeaks (a live chart's lines) looks again only from the last column on:
    after every change a live history goes through - points appended, the last value
    changed (a dropout setting re-scores the epoch on screen), the history thinned to
    every other point, the range doubled - it gives exactly what column_peaks gives."""
    rng = np.random.default_rng(seed)
    grow, x, y, hi = GrowingPeaks(), np.zeros(0), np.zeros(0), float(rng.integers(40, 800))
    for _ in range(120):
        k = int(rng.integers(0, 25))
        x = np.r_[x, len(x) + np.arange(k, dtype=float)]
        y = np.r_[y, rng.integers(0, 4, k).astype(float)]   # ties too
        event = rng.random()
        if event < 0.05 and len(y):
            y[-1] = 9.0
        elif event < 0.08:
            x, y = x[::2].copy(), y[::2].copy()
        elif event < 0.12:
            hi *= 2
        got, want = grow(x, y, 0.0, hi, columns), column_peaks(x, y, 0.0, hi, columns)
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
