"""The edges of the network graph: weights by sign and size, and the overlays (dropped,
gradient known, active step, shared-bias links, the selected edge), each redrawn only when
what it shows changed."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

from nnviz.views.style import Style

#: weight magnitudes are drawn in this many widths
N_BUCKETS = 4
#: More edges than this are not drawn one by one: only the strongest |w| are (one long
#: hairline costs ~20 µs in Qt's raster engine, so 79,400 would take 1.6 s a frame, and
#: that many lines cannot be told apart anyway). The legend says how many are shown.
EDGE_BUDGET = 1200


def dropped_edges(dropped: list | None, sizes: list[int], offsets: np.ndarray) -> np.ndarray:
    """Per edge (w[l].ravel() order, layer after layer), True where the neuron it leaves
    or enters is dropped out (``dropped``: per neuron layer a boolean array or None)."""
    muted = np.zeros(int(offsets[-1]), bool)
    if not dropped:
        return muted
    for l in range(len(sizes) - 1):
        d_in = dropped[l] if l < len(dropped) else None
        d_out = dropped[l + 1] if l + 1 < len(dropped) else None
        m = np.zeros((sizes[l + 1], sizes[l]), bool)
        if d_in is not None:
            m |= np.asarray(d_in, bool)[None, :]
        if d_out is not None:
            m |= np.asarray(d_out, bool)[:, None]
        muted[offsets[l]:offsets[l + 1]] = m.ravel()
    return muted


class EdgeLayer:
    """The network graph's edges, composed into NetworkGraphWidget: its own path items
    (weights by sign and width bucket, dropped, shared-bias links, gradient known, active
    step, the selected edge), the edges' end points of the current layout, and the key of
    what each item last drew, so a redraw re-sets only the paths that changed."""

    def __init__(self, view) -> None:
        self.edge_items = [QGraphicsPathItem() for _ in range(2 * N_BUCKETS)]
        self.muted_item = QGraphicsPathItem()
        self.bias_edge_item = QGraphicsPathItem()
        self.gradient_item = QGraphicsPathItem()
        self.active_item = QGraphicsPathItem()
        self.selected_item = QGraphicsPathItem()
        for z, it in enumerate([self.muted_item, self.bias_edge_item, *self.edge_items,
                                self.gradient_item, self.active_item, self.selected_item]):
            it.setZValue(1 + z * 0.1)
            view.addItem(it)
        self._src = self._dst = np.zeros((0, 2))
        self._weights_key: tuple | None = None
        self._overlay_key: tuple | None = None
        self.counts = (0, 0)   # edges in all, edges drawn (the strongest EDGE_BUDGET)

    def relayout(self, src: np.ndarray, dst: np.ndarray) -> None:
        """Every edge's end points (rows in w[l].ravel() order, layer after layer): new
        positions, so every item is drawn again."""
        self._src, self._dst = src, dst
        self._weights_key = self._overlay_key = None

    def _path(self, mask: np.ndarray) -> QPainterPath:
        src, dst = self._src[mask], self._dst[mask]
        if not len(src):
            return QPainterPath()
        x = np.empty(2 * len(src))
        y = np.empty(2 * len(src))
        x[0::2], x[1::2] = src[:, 0], dst[:, 0]
        y[0::2], y[1::2] = src[:, 1], dst[:, 1]
        return pg.functions.arrayToQPath(x, y, connect="pairs")

    def _flat(self, arrays: list[np.ndarray] | None) -> np.ndarray:
        if arrays is None:
            return np.zeros(len(self._src), bool)
        return np.concatenate([np.asarray(a).ravel() for a in arrays])

    def draw(self, s: Style, weights: list[np.ndarray], muted: np.ndarray,
             gradient: list[np.ndarray] | None, active: list[np.ndarray] | None,
             bias_links: list[tuple[np.ndarray, np.ndarray]]) -> bool:
        """The weights' edges (``muted``: per edge, dropped), the gradient-known and active
        masks per weight layer and each shared bias's (point, neuron points); True if the
        counts of edges (in all, drawn) changed."""
        w = np.concatenate([a.ravel() for a in weights])
        # a diverged network must still draw: NaN as 0, infinities as the largest weights
        w = np.nan_to_num(w, nan=0.0, posinf=1e300, neginf=-1e300)
        n = len(w)
        hidden = np.zeros(n, bool)
        if n > EDGE_BUDGET:
            hidden[np.argpartition(np.abs(w), n - EDGE_BUDGET)[:n - EDGE_BUDGET]] = True
        counts = (n, n - int(hidden.sum()))
        changed, self.counts = counts != self.counts, counts
        self._draw_weights(s, w, muted, hidden, counts)
        self._draw_overlays(s, muted, hidden, self._flat(gradient) & ~hidden,
                            self._flat(active), bias_links)
        return changed

    def _draw_weights(self, s: Style, w: np.ndarray, muted: np.ndarray, hidden: np.ndarray,
                      counts: tuple[int, int]) -> None:
        """The edges by sign and weight bucket, only when the weights (or what hides or mutes
        edges) changed: a micro-step usually changes only the overlays, and re-setting every
        edge path would repaint the whole view."""
        key = (w.tobytes(), muted.tobytes(), hidden.tobytes(), s)
        if key == self._weights_key:
            return
        self._weights_key = key
        n = len(w)
        mag = np.abs(w) / max(float(np.max(np.abs(w))) if n else 1.0, 1e-12)
        bucket = np.minimum((mag * N_BUCKETS).astype(int), N_BUCKETS - 1)
        big = n > 2000   # many edges: hairlines (fast to paint), magnitude shown by opacity
        for sign in range(2):
            for b in range(N_BUCKETS):
                colour = QColor(s.positive if sign == 0 else s.negative)
                dense = min(180.0, max(6.0, 255.0 * 2000.0 / max(1, counts[1])))
                colour.setAlpha(int(dense * (0.4 + 0.2 * b)) if big
                                else (255 if n <= 400 else 150))
                item = self.edge_items[sign * N_BUCKETS + b]
                m = ~muted & ~hidden & (bucket == b) & ((w >= 0) if sign == 0 else (w < 0))
                item.setPath(self._path(m))
                pen = QPen(colour, 0 if big else (0.8 + 1.3 * b) * s.scale)
                pen.setCosmetic(True)
                item.setPen(pen)

    def _draw_overlays(self, s: Style, muted: np.ndarray, hidden: np.ndarray,
                       grad: np.ndarray, active: np.ndarray,
                       bias_links: list[tuple[np.ndarray, np.ndarray]]) -> None:
        """Muted (dropped), gradient-known, active and shared-bias edges, each item only when
        its edges changed."""
        key = (muted.tobytes(), hidden.tobytes(), grad.tobytes(), active.tobytes(), s,
               tuple((float(b[0]), float(b[1])) for b, _ in bias_links))
        if key == self._overlay_key:
            return
        self._overlay_key = key
        mc = QColor(s.muted)
        mc.setAlpha(90)
        self.muted_item.setPath(self._path(muted & ~hidden))
        self.muted_item.setPen(_pen(s, mc, 0.8))
        self.gradient_item.setPath(self._path(grad))
        n_grad = int(grad.sum())
        if n_grad > 200:    # many: translucent hairlines (dashed wide pens paint slowly)
            gc = QColor(s.gradient)
            gc.setAlpha(int(max(8, min(160, 160 * 200 / n_grad))))
            pen = QPen(gc, 0)
        else:
            pen = _pen(s, QColor(s.gradient), 2.5)
            pen.setStyle(Qt.PenStyle.DashLine)
        self.gradient_item.setPen(pen)
        self.active_item.setPath(self._path(active))
        count = int(active.sum())
        many = count > 40
        hc = QColor(s.highlight)
        hc.setAlpha(int(max(12, min(255, 110 * 40 / count))) if many else 255)
        self.active_item.setPen(_pen(s, hc, 1.0 if many else 4.5))
        bpath = QPainterPath()
        for (bx, by), points in bias_links:
            for x, y in points:
                bpath.moveTo(QPointF(bx, by))
                bpath.lineTo(QPointF(x, y))
        self.bias_edge_item.setPath(bpath)
        pen = _pen(s, QColor(s.muted), 1.0)
        pen.setStyle(Qt.PenStyle.DotLine)
        self.bias_edge_item.setPen(pen)

    def draw_selected(self, s: Style, ends: tuple | None) -> None:
        """The selected edge from ``ends`` = (start point, end point), or none."""
        path = QPainterPath()
        if ends is not None:
            path.moveTo(QPointF(*ends[0]))
            path.lineTo(QPointF(*ends[1]))
        self.selected_item.setPath(path)
        self.selected_item.setPen(_pen(s, QColor(s.accent), 6))


def _pen(s: Style, colour: QColor, width: float) -> QPen:
    pen = QPen(colour, width * s.scale)
    pen.setCosmetic(True)
    return pen
