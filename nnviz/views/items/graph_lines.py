"""The network graph's lines as the placing sees them: every edge and shared-bias link as
a segment in the view's pixels, and which of them run through a label's rectangle. A
label goes where it hides the least of them (a neuron's values over the bias links
hid them; a weight label set across another edge read as that edge's)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

#: what a pixel of line hidden under a label costs: of an edge, of a dotted bias link, its
#: own neuron's too (as much: at half, h2's values lay over 53 px of the link from b2 to
#: o1 at 1024x768 in F5, and at a quarter over their own link)
EDGE, LINK = 1.0, 1.0
#: what a weight label's spot costs whose centre is nearer another edge than its own (at
#: a corner of its point it read as the neighbouring edge's: "0.45 / ∂ 0.0827" of w6 sat
#: just above w8's edge at 1280x720 in F5), as many pixels of line
ASTRAY = 6.0


def distances(pts: np.ndarray, p0: np.ndarray, p1: np.ndarray) -> np.ndarray:
    """(n, m) pixels from point i of ``pts`` ((n, 2)) to segment j (``p0[j]`` to
    ``p1[j]``)."""
    pts = np.asarray(pts, float).reshape(-1, 2)
    # x and y apart: the same sums, without arithmetic along a last axis of two (a third
    # of the time; the placing weighs hundreds of spots against every line)
    px, py = pts[:, :1], pts[:, 1:]
    x0, y0 = p0[:, 0], p0[:, 1]
    dx, dy = p1[:, 0] - x0, p1[:, 1] - y0
    t = np.clip(((px - x0) * dx + (py - y0) * dy) / np.maximum(dx * dx + dy * dy, 1e-12),
                0.0, 1.0)
    return np.hypot(px - (x0 + t * dx), py - (y0 + t * dy))


def hidden(rects: np.ndarray, p0: np.ndarray, p1: np.ndarray) -> np.ndarray:
    """(n, m) pixels: how long a piece of segment j (``p0[j]`` to ``p1[j]``, (m, 2) pixel
    points) runs through rectangle i of ``rects`` ((n, 4): x0, y0, x1, y1), by
    Liang-Barsky clipping (0 where it misses)."""
    r = np.asarray(rects, float).reshape(-1, 4)
    p0, p1 = np.asarray(p0, float).reshape(-1, 2), np.asarray(p1, float).reshape(-1, 2)
    x0, y0 = p0[:, 0], p0[:, 1]
    dx, dy = p1[:, 0] - x0, p1[:, 1] - y0
    shape = (len(r), len(p0))
    t0, t1, outside = np.zeros(shape), np.ones(shape), np.zeros(shape, bool)
    # x and y apart, a side's fraction along the segment where it crosses the low and the
    # high side: entering at the one it meets first (by the sign of its direction),
    # leaving at the other; a segment parallel to a side is outside or unbounded by it
    # (3.5 times faster than the four sides stacked, and the same numbers: the first
    # paint weighs thousands of spots against every line)
    for lo, hi, o, d in ((r[:, 0, None], r[:, 2, None], x0, dx),
                         (r[:, 1, None], r[:, 3, None], y0, dy)):
        with np.errstate(divide="ignore", invalid="ignore"):
            a, b = (lo - o) / d, (hi - o) / d
        forward, backward, flat = d > 0, d < 0, d == 0
        np.maximum(t0, np.where(forward, a, np.where(backward, b, 0.0)), out=t0)
        np.minimum(t1, np.where(forward, b, np.where(backward, a, 1.0)), out=t1)
        if flat.any():
            outside |= flat & ((o < lo) | (o > hi))
    return np.where(outside, 0.0, np.clip(t1 - t0, 0.0, None)) * np.hypot(dx, dy)


def crosses(rects: np.ndarray, p0: np.ndarray, p1: np.ndarray) -> np.ndarray:
    """(n,) booleans: segment i (``p0[i]`` to ``p1[i]``) runs through rectangle i."""
    d = p1 - p0
    t0, t1 = np.zeros(len(rects)), np.ones(len(rects))
    out = np.zeros(len(rects), bool)
    for p, q in ((-d[:, 0], p0[:, 0] - rects[:, 0]), (d[:, 0], rects[:, 2] - p0[:, 0]),
                 (-d[:, 1], p0[:, 1] - rects[:, 1]), (d[:, 1], rects[:, 3] - p0[:, 1])):
        with np.errstate(divide="ignore", invalid="ignore"):
            t = q / p
        out |= (p == 0) & (q < 0)
        t0 = np.where(p < 0, np.maximum(t0, t), t0)
        t1 = np.where(p > 0, np.minimum(t1, t), t1)
    return ~out & (t1 > t0)


def leader(rect, p0, p1, ends: tuple[float, float] = (0.15, 0.85)):
    """The shortest line from rectangle ``rect`` (x0, y0, x1, y1) to the segment ``p0``
    to ``p1`` between fractions ``ends`` of it (off the neurons at its ends), to the
    nearest pixel: (point on the rectangle, point on the segment, its length).
    (Remembered: a step mostly leaves each weight label where it was.)"""
    a, b, d = _leader(tuple(map(float, rect)), tuple(map(float, p0)), tuple(map(float, p1)),
                      (float(ends[0]), float(ends[1])))
    return np.array(a), np.array(b), d


@lru_cache(maxsize=4096)
def _leader(rect: tuple, p0: tuple, p1: tuple, ends: tuple[float, float]):
    p0, p1 = np.asarray(p0, float), np.asarray(p1, float)
    t = np.linspace(*ends, 65)[:, None]
    on_edge = p0 + t * (p1 - p0)
    on_rect = np.column_stack([np.clip(on_edge[:, 0], rect[0], rect[2]),
                               np.clip(on_edge[:, 1], rect[1], rect[3])])
    d = np.hypot(*(on_edge - on_rect).T)
    # of lines about as short, the one nearest the rectangle's middle (from a label below
    # a level edge, straight up from its top's middle: from its corner, the leader ran up
    # beside the neuron's ring and read as the neuron's)
    mid = ((rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2)
    i = int(np.argmin(np.round(d) + 0.01 * np.hypot(*(on_edge - mid).T)))
    return tuple(on_rect[i].tolist()), tuple(on_edge[i].tolist()), float(d[i])


class Lines:
    """The graph's segments in pixels: ``p0``, ``p1`` (m, 2), and per segment its ends
    as neurons ((layer, j), or None for a bias node) and whether it is a bias link."""

    def __init__(self, coords, shared: list[int], dev) -> None:
        p0, p1, ends, link = [], [], [], []
        for i in range(len(coords.src)):
            l, j, k = coords.edge_index(i)
            p0.append(dev(*coords.src[i]))
            p1.append(dev(*coords.dst[i]))
            ends.append(((l, k), (l + 1, j)))
            link.append(False)
        for l in shared:
            for j, pos in enumerate(coords.pos[l + 1]):
                p0.append(dev(*coords.bias_pos[l]))
                p1.append(dev(*pos))
                ends.append((None, (l + 1, j)))
                link.append(True)
        self.p0 = np.array(p0, float).reshape(-1, 2)
        self.p1 = np.array(p1, float).reshape(-1, 2)
        self.ends = ends
        self.link = np.array(link, bool)

    def key(self) -> tuple:
        """Where the lines lie on screen, comparable from one placing to the next (what
        the placing remembers of them holds while this is the same)."""
        return self.p0.tobytes(), self.p1.tobytes(), self.link.tobytes()

    def costs(self, rects: np.ndarray, edge=None) -> np.ndarray:
        """Per rectangle, what the lines it hides cost (pixels of line, weighted); for a
        label of weight ``edge`` ((l, j, k)) its own edge costs nothing (it is the line
        it labels), and lying nearer another edge than its own costs ASTRAY."""
        rects = np.asarray(rects, float).reshape(-1, 4)
        if edge is None or not len(self.p0):
            return hidden(rects, self.p0, self.p1) @ np.where(self.link, LINK, EDGE)
        return self.label_costs(rects, np.zeros(len(rects), int), [edge])

    def label_costs(self, rects: np.ndarray, owner: np.ndarray, edges: list) -> np.ndarray:
        """:meth:`costs` of rectangle i as the label of weight ``edges[owner[i]]``, for
        many labels' rectangles at once."""
        rects = np.asarray(rects, float).reshape(-1, 4)
        if not len(self.p0) or not len(rects):
            return np.zeros(len(rects))
        mine = np.array([[e == ((l, k), (l + 1, j)) for e in self.ends] for l, j, k in edges])
        own = mine[owner]   # (n, m): segment j is rectangle i's own edge
        w = np.where(own, 0.0, np.where(self.link, LINK, EDGE))
        cover = (hidden(rects, self.p0, self.p1) * w).sum(axis=1)
        # a label nearer another edge than its own reads as that one's
        near = distances((rects[:, :2] + rects[:, 2:]) / 2, self.p0, self.p1)
        others = np.where(own | self.link, np.inf, near).min(axis=1)
        astray = others < np.where(own, near, np.inf).min(axis=1)
        return cover + np.where(astray, ASTRAY, 0.0)

    def segment(self, edge: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray]:
        """The ends in pixels of weight ``edge``'s (l, j, k) line."""
        l, j, k = edge
        i = self.ends.index(((l, k), (l + 1, j)))
        return self.p0[i], self.p1[i]

    def own_gaps(self, rects: np.ndarray, owner: np.ndarray, edges: list) -> np.ndarray:
        """Per rectangle, how many pixels lie between it and its own edge
        (``edges[owner[i]]``, (l, j, k)): 0 where the edge runs through it."""
        rects = np.asarray(rects, float).reshape(-1, 4)
        want = [((l, k), (l + 1, j)) for l, j, k in edges]
        seg = np.array([self.ends.index(w) for w in want])[owner]
        p0, p1 = self.p0[seg], self.p1[seg]
        # each corner from the segment's start, x and y apart (as in distances)
        x0, y0 = p0[:, :1], p0[:, 1:]
        dx, dy = p1[:, :1] - x0, p1[:, 1:] - y0
        rx, ry = rects[:, [0, 2, 0, 2]] - x0, rects[:, [1, 1, 3, 3]] - y0   # (n, 4)
        t = np.clip((rx * dx + ry * dy) / np.maximum(dx * dx + dy * dy, 1e-12), 0.0, 1.0)
        near = np.hypot(rx - t * dx, ry - t * dy).min(axis=1)
        return np.where(crosses(rects, p0, p1), 0.0, near)

