"""Property-based: any text given to the CSV reader is read or refused with CsvError."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz.engine.sets.csvio import CsvError, from_csv, to_csv

cells = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr),
                  st.integers(-5, 12).map(str), st.text(max_size=6),
                  st.sampled_from(["", "nan", "inf", "1e999", "-0", "x1", "label", "0x10"]))
rows = st.lists(st.lists(cells, min_size=0, max_size=5).map(",".join), max_size=12)


def _check(text: str, n_features: int, classes: int | None) -> None:
    try:
        x, y = from_csv(text, n_features, classes)
    except CsvError as e:
        assert str(e)
        return
    assert x.ndim == 2 and x.shape[1] == n_features and len(x) == len(y) > 0
    assert np.isfinite(x).all() and np.isfinite(y).all()
    if classes is not None:
        assert set(np.unique(y)) <= set(range(-1, classes))


@settings(max_examples=300, deadline=None)
@given(rows, st.sampled_from([1, 2, 3]), st.sampled_from([None, 2, 3, 10]))
def test_random_tables_are_read_or_refused_cleanly(lines, n_features, classes):
    _check("\n".join(lines), n_features, classes)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400), st.sampled_from([1, 2]), st.sampled_from([None, 2]))
def test_random_text_is_read_or_refused_cleanly(text, n_features, classes):
    _check(text, n_features, classes)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 30), st.integers(0, 2**31))
def test_exported_data_reads_back_exactly(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2)) * 10.0 ** rng.integers(-5, 5)
    labels = rng.integers(0, 3, n)
    x2, y2 = from_csv(to_csv(x, labels), 2, 3)
    assert np.array_equal(x2, x) and np.array_equal(y2, labels)
