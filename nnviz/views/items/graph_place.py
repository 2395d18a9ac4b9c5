"""Where the network graph's texts go (:class:`Placement`, ``graph.placement``): each
label measured as a rectangle on screen and put at the first of a few candidate places
where it covers no neuron and no other label (or hidden, if it fits nowhere). The active
neuron's values are placed first; the weight labels last, by their own search
(:class:`~nnviz.views.items.graph_weights.WeightLabels`)."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF

from nnviz.views.items.graph_ahead import PlacingMemo
from nnviz.views.items.graph_coords import MAX_NODE_TEXT
from nnviz.views.items.graph_lines import Lines
from nnviz.views.items.graph_nodes import OUTLINES
from nnviz.views.items.graph_search import GAP
from nnviz.views.items.graph_support import lines_html
from nnviz.views.items.graph_weights import (
    Rect,
    WeightLabels,
    label_rect,
    try_spots,
)

if TYPE_CHECKING:
    from nnviz.views.items.graph_texts import TextLayer
    from nnviz.views.items.network_graph import NetworkGraphWidget


#: networks with more edges than this place their texts without weighing the lines
MAX_LINES = 400
#: a neuron's values' type sizes (points before scaling), tried largest first
VALUE_SIZES = (9.5, 8.5, 8.0)
#: pixels of other lines a neuron's values may hide and still count as clear of them
CLEAR = 3.0


class Placement:
    """Overlap-free places for the graph's texts (after :meth:`TextLayer.place` put them
    at their defaults)."""

    def __init__(self, graph: NetworkGraphWidget, texts: TextLayer,
                 memo: PlacingMemo | None = None) -> None:
        self._g = weakref.proxy(graph)   # its view, coordinates, state (no cycle)
        self.texts = texts
        # every placing's outcome by all it reads (shared with the placing ahead)
        self.memo = memo or PlacingMemo()
        self.weights = WeightLabels(graph, texts)   # the weight labels' own search
        # what the lines cost under a neuron's values at each of their spots, per spots'
        # rectangles, while the lines stay where they are (a step changes one neuron's
        # values; the others are placed at the same spots again: 1 ms a step)
        self._costs: dict[bytes, np.ndarray] = {}
        self._costs_for: tuple = ()

    def _device_map(self):
        """view point (x, y) -> pixel point, as an origin and a scale per axis."""
        view = self._g.view
        o = view.mapViewToDevice(QPointF(0.0, 0.0))
        e = view.mapViewToDevice(QPointF(1.0, 1.0))
        if o is None or e is None:
            return None
        ox, oy = o.x(), o.y()
        sx, sy = e.x() - ox, e.y() - oy
        return lambda x, y: (ox + sx * x, oy + sy * y)

    def _view_bounds(self) -> Rect:
        """The view box on screen, in the pixels the device map gives (the box sits a
        few pixels into the graphics view: (0, 0, width, height) let texts stick out)."""
        vw = self._g.view_widget
        r = vw.mapFromScene(self._g.view.sceneBoundingRect()).boundingRect()
        r = r.intersected(vw.viewport().rect())
        return float(r.left()), float(r.top()), float(r.left() + r.width()), \
            float(r.top() + r.height())

    def _ring(self) -> float:
        """How far past its circle a neuron is kept clear: its outline is drawn on the
        edge, half of it outside (the active one's thick ring reached under a label
        placed clear of the circle), and a label keeps a little more than GAP off it
        (set right against it, "∂ 0.08217" read as touching o1)."""
        return (OUTLINES["active"][1] / 2 + 2) * self._g.style_.scale

    def node_rects(self) -> list[Rect]:
        """The neurons' (and bias nodes') squares on screen, in the view's pixels."""
        dev = self._device_map()
        c = self._g.coords
        if dev is None or not c.sizes:
            return []
        out = []
        ring = self._ring()
        for l, n in enumerate(c.sizes):
            if n > MAX_NODE_TEXT:
                continue
            h = c.node_size(l) / 2 + ring
            for x, y in c.pos[l]:
                cx, cy = dev(x, y)
                out.append((cx - h, cy - h, cx + h, cy + h))
        h = 9 * self._g.style_.scale
        for l in self._g.shared_layers():
            cx, cy = dev(*c.bias_pos[l])
            out.append((cx - h, cy - h, cx + h, cy + h))
        return out

    def text_rects(self, names: bool = True) -> list[tuple[str, Rect]]:
        """(plain text, rectangle) of every visible label, in the view's pixels
        (``names=False``: without the neurons' names, which sit inside their circles)."""
        dev = self._device_map()
        if dev is None:
            return []
        out = []
        inside = set() if names else {id(t) for t in self.texts.names.values()}
        for item in self.texts.all_items():
            if item.isVisible() and id(item) not in inside:
                p = item.pos()
                out.append((item.toPlainText(), label_rect(item, dev, p.x(), p.y(),
                                                           item.anchor)))
        return out

    def _value_spots(self, l: int, j: int, px: float, down: float, roomy: bool = True):
        """Where neuron (l, j)'s values may go. In a layer without room for every
        neuron's values (``roomy`` False: only the active one's are shown) not beside the
        neuron, where its label would cover the edges running in, but above the top
        neuron of the column or below the bottom one, where it is free."""
        c = self._g.coords
        x, y = c.pos[l][j]
        r = c.node_size(l) / 2 + self._ring() + GAP + 1   # clear of node_rects
        sc = self._g.style_.scale
        right, left = (x + r * px, y, (0.0, 0.5)), (x - r * px, y, (1.0, 0.5))
        if l == 0:
            return [left, (x, y - r * down, (0.5, 1.0)), (x, y + r * down, (0.5, 0.0))]

        def side(s: int) -> list:
            """Above (s = -1) or below (1): centred, a little further out if a
            neighbour's text is in the way, then ever more to one side (clear of a
            line running in under the middle: a bias link, a crossing edge)."""
            return [(x, y + (r + d * sc) * down * s, (ax, 0.5 - s / 2))
                    for ax in (0.5, 0.2, 0.8, 0.0, 1.0) for d in (0, 6, 12, 20)]

        # the upper half's values above their neuron, the lower half's below; beside it
        # (where the edges and their weight labels are) last
        first, second = (side(-1), side(1)) if j < c.sizes[l] / 2 else (side(1), side(-1))
        if roomy:
            return first + second + [right, left]
        ys = c.pos[l][:, 1]
        top, bottom = (ys.min(), ys.max()) if down > 0 else (ys.max(), ys.min())
        ends = [(x, top - (r + d * sc) * down, (0.5, 1.0)) for d in (0, 12)] + \
            [(x, bottom + (r + d * sc) * down, (0.5, 0.0)) for d in (0, 12)]
        return first[:1] + second[:1] + ends

    def resolve(self) -> None:
        """Place every shown text where it overlaps nothing (see the module docstring),
        or where the placing remembered for the same texts and geometry put them
        (:mod:`~nnviz.views.items.graph_ahead`)."""
        key = self.memo.key(self)
        got = self.memo.get(key)
        if got is not None:
            self.memo.apply(self, got)
            return
        self._search()
        self.memo.put(key, self)

    def _search(self) -> None:
        g, texts = self._g, self.texts
        dev = self._device_map()
        if dev is None or g.compact or not g.coords.sizes:
            return
        px, py = g.view.viewPixelSize()
        if not (px > 0 and py > 0):
            return
        # view units per pixel downwards on the screen
        down = py if dev(0.0, 1.0)[1] > dev(0.0, 0.0)[1] else -py
        bounds = self._view_bounds()
        taken = self.node_rects()
        for item in texts.targets.values():
            if item.isVisible():
                p = item.pos()
                taken.append(label_rect(item, dev, p.x(), p.y(), item.anchor))
        self._place_wide_names(px, down, taken, dev, bounds)
        # (a crowded layer shows the active neuron's values only: the others' would go
        # beside their neurons, over the edges)
        st = g.state
        # (the lines under a label are weighed in small networks only: 784-100-10's 79,400
        # edges made every placing take seconds)
        lines = Lines(g.coords, g.shared_layers(), dev) if len(g.coords.src) <= MAX_LINES \
            else None
        roomy = {l: texts.roomy_layer(l, py) for l in range(len(g.coords.sizes))}
        values = [(k, it) for k, it in texts.value_items() if it.toPlainText().strip()
                  and (k[0] == 0 or k in st.node_text) and (roomy[k[0]] or k == st.active)]
        values.sort(key=lambda kv: kv[0] != st.active)
        for (l, j), item in values:
            spots = self._value_spots(l, j, px, down, roomy[l])
            cost = None if lines is None else self._remembered_costs(lines)
            self._place_value(item, spots, taken, dev, bounds, cost, roomy[l])
        self._place_biases(px, down, taken, dev, bounds)
        if g.weight_labels_on:
            self.weights.place(taken, dev, bounds, lines)
        for item in texts.captions.values():
            if item.isVisible():   # the layer captions: where placed, or a little lower
                p = item.pos()   # set afresh by TextLayer.place before every placing
                spots = [(p.x(), p.y() + d * down, item.anchor)
                         for d in (0, 8, 16, 24, 40, 56, 72)]
                try_spots(item, spots, taken, dev, bounds)

    def _remembered_costs(self, lines: Lines):
        """``lines.costs``, remembered per rectangles until the lines move."""
        now = lines.key()
        if now != self._costs_for:
            self._costs_for = now
            self._costs.clear()
        memo = self._costs

        def cost(rects: np.ndarray) -> np.ndarray:
            key = np.ascontiguousarray(rects, float).tobytes()
            got = memo.get(key)
            if got is None:
                if len(memo) > 4096:
                    memo.clear()
                got = memo[key] = lines.costs(rects)
                got.flags.writeable = False   # (shared by every later look-up)
            return got

        return cost

    def _place_value(self, item, spots, taken: list[Rect], dev, bounds: Rect, cost,
                     roomy: bool) -> None:
        """A neuron's values at the first spot hiding no other line (at most CLEAR), in
        the largest type of VALUE_SIZES where there is one, else in the smallest, where
        they hide least (at 1024x768 in F5 h2's values lay over b2's link to o1: between
        the bias links below h2 there is room only for smaller type). Where only the
        active neuron's values show: beside it if it can, before the column's ends, which
        read as another neuron's."""
        sizes = VALUE_SIZES if cost is not None else VALUE_SIZES[:1]
        for size in sizes:
            item.set_html_once(lines_html(item.lines, self._g.style_, self._g.style_.pt(size)))
            if cost is None and roomy:
                try_spots(item, spots, taken, dev, bounds)
                return
            if try_spots(item, spots if roomy else spots[:2], taken, dev, bounds, cost, CLEAR):
                return
        if roomy:
            try_spots(item, spots, taken, dev, bounds, cost)
        elif not try_spots(item, spots[2:], taken, dev, bounds):
            try_spots(item, spots[:2], taken, dev, bounds, cost)

    def _place_biases(self, px: float, down: float, taken: list[Rect], dev,
                      bounds: Rect) -> None:
        """Each shared bias's value beside its square where the value (in one line or two:
        TextLayer.place chose) is narrower than a layer's step, else under it (layers
        close together on a projector: "b1 = 0.35" went missing)."""
        gap = 1.0 / max(px, 1e-12)    # pixels from one layer to the next
        s = 14 * self._g.style_.scale
        for l in self._g.shared_layers():
            item = self.texts.biases[l]
            x, y = self._g.coords.bias_pos[l]
            beside = [(x + s * px, y, (0.0, 0.5)), (x - s * px, y, (1.0, 0.5))]
            below = (x, y + s * down, (0.5, 0.0))
            narrow = item.boundingRect().width() <= 0.95 * gap
            try_spots(item, [beside[0], below, beside[1]] if narrow else [below],
                      taken, dev, bounds)

    def _place_wide_names(self, px: float, down: float, taken: list[Rect], dev,
                          bounds: Rect) -> None:
        """A name wider than its circle ("prediction") below the neuron, else above or
        left of it, where it covers nothing."""
        c = self._g.coords
        for (l, j), item in self.texts.names.items():
            if not item.isVisible() or item.boundingRect().width() <= c.node_size(l):
                continue
            x, y = c.pos[l][j]
            r = c.node_size(l) / 2 + self._ring() + GAP + 1
            ds = [d * self._g.style_.scale for d in (0, 6, 12)]
            spots = [(x, y + (r + d) * down, (0.5, 0.0)) for d in ds]
            spots += [(x, y - (r + d) * down, (0.5, 1.0)) for d in ds]
            try_spots(item, spots + [(x - r * px, y, (1.0, 0.5))], taken, dev, bounds)


def overlapping(rects: list[tuple[str, Rect]]) -> list[tuple[str, str]]:
    """Pairs of texts whose rectangles overlap (for tests and checks)."""
    out = []
    arr = np.array([r for _, r in rects], float).reshape(-1, 4)
    for i in range(len(rects)):
        for j in range(i + 1, len(rects)):
            a, b = arr[i], arr[j]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                out.append((rects[i][0], rects[j][0]))
    return out
