"""The shortcut sheet's sections poured into columns: every row once, in order, and the
tallest column as short as any way of cutting the rows into that many columns."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz.views.sheet_layout import flow


def _column_height(heights, items, s0, s1):
    """What rows s0..s1-1 (flat indices) take in one column, with their titles."""
    h = 0.0
    for i in range(s0, s1):
        s, r = items[i]
        th, rhs = heights[s]
        h += rhs[r] + (th if i == s0 or r == 0 else 0.0)
    return h


def _best_possible(heights, columns):
    items = [(s, r) for s, (_, rhs) in enumerate(heights) for r in range(len(rhs))]
    n = len(items)
    best = float("inf")
    for k in range(1, columns + 1):
        for cuts in itertools.combinations(range(1, n), k - 1):
            edges = (0, *cuts, n)
            best = min(best, max(_column_height(heights, items, a, b)
                                 for a, b in zip(edges, edges[1:])))
    return best


sections_st = st.lists(st.tuples(st.sampled_from([20.0, 24.0]),
                                 st.lists(st.sampled_from([19.0, 38.0, 57.0]), min_size=1,
                                          max_size=5)),
                       min_size=1, max_size=4)


@settings(max_examples=150, deadline=None)
@given(sections_st, st.integers(1, 3))
def test_flow_keeps_every_row_in_order_and_balances_the_columns(heights, columns):
    sections = [(f"S{s}", [(f"k{s}.{r}", "x") for r in range(len(rhs))])
                for s, (_, rhs) in enumerate(heights)]
    cols, used = flow(sections, heights, columns)
    assert 1 <= len(cols) <= columns
    rows = [row for col in cols for _, rs in col for row in rs]
    assert rows == [row for _, rs in sections for row in rs]
    # a column that starts inside a section names it again, as "(cont.)"
    for col in cols:
        first_title = col[0][0]
        first_row = col[0][1][0]
        s, r = (int(v) for v in first_row[0][1:].split("."))
        assert first_title == (f"S{s}" if r == 0 else f"S{s} (cont.)")
    assert max(used) <= _best_possible(heights, columns) + 0.1


def test_one_section_of_four_rows_splits_two_and_two():
    """Pouring up to the average height and breaking there put three rows in the first
    column and one in the second (77 px against 58: the sheet's type was set by the
    taller column)."""
    heights = [(20.0, [19.0] * 4)]
    sections = [("S0", [(f"k0.{r}", "x") for r in range(4)])]
    cols, used = flow(sections, heights, 2)
    assert [[len(rs) for _, rs in col] for col in cols] == [[2], [2]]
    assert cols[1][0][0] == "S0 (cont.)"
    assert used == [58.0, 58.0]
