"""The graph's lines as the placing measures them: how much of a segment a label's
rectangle hides, and what a label costs where it lies."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.views.items.graph_lines import crosses, distances, hidden, leader
from nnviz.views.workbench.present import gradient_text


def test_hidden_is_the_length_of_segment_inside_the_rectangle():
    rects = np.array([[10.0, 10.0, 30.0, 20.0]])
    p0 = np.array([[0.0, 15.0], [0.0, 0.0], [0.0, 0.0], [20.0, 0.0], [0.0, 30.0]])
    p1 = np.array([[40.0, 15.0], [40.0, 40.0], [5.0, 5.0], [20.0, 12.0], [40.0, 30.0]])
    got = hidden(rects, p0, p1)[0]
    # across: the rectangle's width; the diagonal from (10, 10) to (20, 20) clipped at
    # y = 20; one that stops short; one that ends inside; one that passes below
    np.testing.assert_allclose(got, [20.0, 10 * np.sqrt(2), 0.0, 2.0, 0.0])


def test_hidden_against_sampled_points():
    """Random segments and rectangles: the clipped length agrees with the share of
    points along the segment that lie inside the rectangle."""
    rng = np.random.default_rng(3)
    rects = np.sort(rng.uniform(0, 100, (20, 2, 2)), axis=1).transpose(0, 2, 1).reshape(20, 4)
    rects = rects[:, [0, 2, 1, 3]]
    p0, p1 = rng.uniform(-20, 120, (30, 2)), rng.uniform(-20, 120, (30, 2))
    got = hidden(rects, p0, p1)
    t = np.linspace(0, 1, 4001)[:, None, None]
    pts = p0[None] + t * (p1 - p0)[None]
    for i, (x0, y0, x1, y1) in enumerate(rects):
        inside = ((pts[..., 0] >= x0) & (pts[..., 0] <= x1)
                  & (pts[..., 1] >= y0) & (pts[..., 1] <= y1)).mean(axis=0)
        np.testing.assert_allclose(got[i], inside * np.hypot(*(p1 - p0).T), atol=0.2)


def test_crosses_agrees_with_hidden_per_pair():
    """Segment i runs through rectangle i exactly where hidden() finds a piece of it
    inside (random pairs)."""
    rng = np.random.default_rng(5)
    rects = np.sort(rng.uniform(0, 100, (200, 2, 2)), axis=1).transpose(0, 2, 1).reshape(200, 4)
    rects = rects[:, [0, 2, 1, 3]]
    p0, p1 = rng.uniform(-20, 120, (200, 2)), rng.uniform(-20, 120, (200, 2))
    want = np.array([hidden(r, a, b)[0, 0] > 0 for r, a, b in zip(rects, p0, p1)])
    np.testing.assert_array_equal(crosses(rects, p0, p1), want)


def test_a_leader_is_the_shortest_line_to_the_middle_of_the_edge():
    """From a label below a horizontal edge: straight up, from the middle of the label's
    top; the edge's ends (under the neurons) are never its target."""
    a, b, d = leader((30.0, 20.0, 62.0, 30.0), (0.0, 0.0), (100.0, 0.0))
    assert d == pytest.approx(20.0)
    np.testing.assert_allclose([a, b], [[46.0, 20.0], [46.0, 0.0]], atol=1.0)
    # left of the edge's first 15 %: to the point at 15 %, not to its end
    a, b, d = leader((-40.0, -5.0, -10.0, 5.0), (0.0, 0.0), (100.0, 0.0))
    np.testing.assert_allclose(b, [15.0, 0.0])
    np.testing.assert_allclose(a, [-10.0, 0.0])


def test_a_leader_is_remembered_and_each_call_gets_its_own_points():
    """A step mostly leaves the weight labels where they were: the leader of the same
    rectangle and edge is looked up, not searched again, and a caller changing the points
    it got changes nothing another call gets."""
    from nnviz.views.items import graph_lines

    rect, p0, p1 = np.array([31.0, 21.0, 63.0, 31.0]), np.array([0.0, 1.0]), np.array([99.0, 1.0])
    hits = graph_lines._leader.cache_info().hits
    a, b, d = leader(rect, p0, p1)
    a[:] = b[:] = -1.0
    a2, b2, d2 = leader(rect, p0, p1)
    assert graph_lines._leader.cache_info().hits == hits + 1
    assert d2 == d == pytest.approx(20.0)
    np.testing.assert_allclose([a2, b2], [[47.0, 21.0], [47.0, 1.0]], atol=1.0)


def test_distances_against_sampled_points():
    """A point's distance to a segment is the least over points along it (and a label
    nearer another edge than its own reads as that edge's)."""
    rng = np.random.default_rng(5)
    pts = rng.uniform(-20, 120, (15, 2))
    p0, p1 = rng.uniform(0, 100, (12, 2)), rng.uniform(0, 100, (12, 2))
    p1[0] = p0[0]   # a segment of one point
    t = np.linspace(0, 1, 20001)[:, None, None]
    along = p0[None] + t * (p1 - p0)[None]   # (t, m, 2)
    want = np.hypot(*(pts[:, None, None, :] - along[None]).transpose(3, 0, 1, 2)).min(axis=1)
    np.testing.assert_allclose(distances(pts, p0, p1), want, atol=0.02)


@pytest.mark.parametrize(("x", "brief", "text"), [(0.082167041, True, "∂ 0.0822"),
                                                  (0.082167041, False, "∂ 0.082167041"),
                                                  (-0.0226025, True, "∂ -0.0226"),
                                                  (0.000995425, True, "∂ 0.000995"),
                                                  (-1.87790722e-12, True, "∂ -1.9e-12")])
def test_a_gradient_on_the_graph_is_brief_on_a_projector(x, brief, text):
    assert gradient_text(x, brief) == text


def test_hidden_of_segments_along_a_side_backwards_or_of_no_length():
    """The cases the clipping treats apart: a segment parallel to a side (inside, on a
    side, outside), one drawn backwards (the same length as forwards) and a point."""
    rect = np.array([[10.0, 10.0, 30.0, 20.0]])
    p0 = np.array([[0.0, 15.0], [20.0, 0.0], [0.0, 10.0], [0.0, 25.0], [40.0, 15.0],
                   [40.0, 40.0], [20.0, 15.0], [35.0, 0.0], [15.0, 25.0]])
    p1 = np.array([[40.0, 15.0], [20.0, 40.0], [40.0, 10.0], [40.0, 25.0], [0.0, 15.0],
                   [0.0, 0.0], [20.0, 15.0], [35.0, 40.0], [5.0, 25.0]])
    got = hidden(rect, p0, p1)[0]
    np.testing.assert_allclose(got, [20.0, 10.0, 20.0, 0.0, 20.0, 10 * np.sqrt(2), 0.0,
                                     0.0, 0.0])


def test_many_labels_weighed_together_cost_what_each_costs_alone():
    """The placing weighs every label's spots in one call: each rectangle's cost and its
    gap to its own edge are exactly (not only nearly) what weighing that label alone
    gives, so the labels land where they would one by one."""
    from nnviz.views.items.graph_lines import Lines

    class Coords:   # a 3-2-2 network's edges, laid out at random
        rng = np.random.default_rng(11)
        src = [tuple(p) for p in rng.uniform(0, 400, (10, 2))]
        dst = [tuple(p) for p in rng.uniform(0, 400, (10, 2))]
        pos = {1: [(100.0, 50.0), (100.0, 150.0)], 2: [(200.0, 80.0), (200.0, 120.0)]}
        bias_pos = {0: (60.0, 300.0), 1: (160.0, 300.0)}

        def edge_index(self, i):
            return (0, i // 3, i % 3) if i < 6 else (1, (i - 6) // 2, (i - 6) % 2)

    lines = Lines(Coords(), [0, 1], lambda x, y: (x, y))
    edges = [(0, 0, 0), (0, 1, 2), (1, 1, 0), (1, 0, 1)]
    rng = np.random.default_rng(12)
    parts = []
    for _ in edges:
        xy = rng.uniform(0, 400, (int(rng.integers(5, 40)), 2))
        parts.append(np.column_stack([xy, xy + rng.uniform(5, 60, xy.shape)]))
    owner = np.repeat(np.arange(len(edges)), [len(p) for p in parts])
    together = lines.label_costs(np.concatenate(parts), owner, edges)
    gaps = lines.own_gaps(np.concatenate(parts), owner, edges)
    alone = np.concatenate([lines.label_costs(p, np.zeros(len(p), int), [e])
                            for p, e in zip(parts, edges)])
    gaps_alone = np.concatenate([lines.own_gaps(p, np.zeros(len(p), int), [e])
                                 for p, e in zip(parts, edges)])
    assert together.tobytes() == alone.tobytes()
    assert gaps.tobytes() == gaps_alone.tobytes()
    assert (together > 0).any() and (gaps > 0).any()   # (not all trivially zero)
