"""The edges of the network graph: weights by sign and size, and the overlays (dropped,
gradient known, active step, shared-bias links, the selected edge), each redrawn only when
what it shows changed."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPen

#: weight magnitudes are drawn in this many widths
N_BUCKETS = 4
#: More edges than this are not drawn one by one: only the strongest |w| are (one long
#: hairline costs ~20 µs in Qt's raster engine, so 79,400 would take 1.6 s a frame, and
#: that many lines cannot be told apart anyway). The legend says how many are shown.
EDGE_BUDGET = 1200


class EdgesMixin:
    """Edge drawing for NetworkGraphWidget."""

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

    def _redraw_edges(self) -> None:
        w = np.concatenate([a.ravel() for a in self._weights()])
        # a diverged network must still draw: NaN as 0, infinities as the largest weights
        w = np.nan_to_num(w, nan=0.0, posinf=1e300, neginf=-1e300)
        n = len(w)
        muted = np.zeros(n, bool)
        if self.dropped:
            for l in range(len(self._sizes) - 1):
                d_in = self.dropped[l] if l < len(self.dropped) else None
                d_out = self.dropped[l + 1] if l + 1 < len(self.dropped) else None
                m = np.zeros((self._sizes[l + 1], self._sizes[l]), bool)
                if d_in is not None:
                    m |= np.asarray(d_in, bool)[None, :]
                if d_out is not None:
                    m |= np.asarray(d_out, bool)[:, None]
                muted[self._offsets[l]:self._offsets[l + 1]] = m.ravel()
        hidden = np.zeros(n, bool)
        if n > EDGE_BUDGET:
            hidden[np.argpartition(np.abs(w), n - EDGE_BUDGET)[:n - EDGE_BUDGET]] = True
        counts = (n, n - int(hidden.sum()))
        if counts != getattr(self, "_edge_counts", None):
            self._edge_counts = counts
            self._set_legend()
        self._redraw_weight_edges(w, muted, hidden, counts)
        self._redraw_overlays(muted, hidden)

    def _redraw_weight_edges(self, w: np.ndarray, muted: np.ndarray, hidden: np.ndarray,
                             counts: tuple[int, int]) -> None:
        """The edges by sign and weight bucket, only when the weights (or what hides or mutes
        edges) changed: a micro-step usually changes only the overlays, and re-setting every
        edge path would repaint the whole view."""
        s = self.style_
        key = (w.tobytes(), muted.tobytes(), hidden.tobytes(), s)
        if key == getattr(self, "_edges_key", None):
            return
        self._edges_key = key
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

    def _redraw_overlays(self, muted: np.ndarray, hidden: np.ndarray) -> None:
        """Muted (dropped), gradient-known, active and shared-bias edges, each item only when
        its edges changed."""
        s, st = self.style_, self.state
        grad = self._flat(st.gradient_edges) & ~hidden
        active = self._flat(st.active_edges)
        key = (muted.tobytes(), hidden.tobytes(), grad.tobytes(), active.tobytes(), s,
               tuple(self.net.use_bias), tuple(self.net.shared_bias))
        if key == getattr(self, "_overlay_key", None):
            return
        self._overlay_key = key
        mc = QColor(s.muted)
        mc.setAlpha(90)
        self.muted_item.setPath(self._path(muted & ~hidden))
        self.muted_item.setPen(self._pen(mc, 0.8))
        self.gradient_item.setPath(self._path(grad))
        n_grad = int(grad.sum())
        if n_grad > 200:    # many: translucent hairlines (dashed wide pens paint slowly)
            gc = QColor(s.gradient)
            gc.setAlpha(int(max(8, min(160, 160 * 200 / n_grad))))
            pen = QPen(gc, 0)
        else:
            pen = self._pen(QColor(s.gradient), 2.5)
            pen.setStyle(Qt.PenStyle.DashLine)
        self.gradient_item.setPen(pen)
        self.active_item.setPath(self._path(active))
        count = int(active.sum())
        many = count > 40
        hc = QColor(s.highlight)
        hc.setAlpha(int(max(12, min(255, 110 * 40 / count))) if many else 255)
        self.active_item.setPen(self._pen(hc, 1.0 if many else 4.5))
        bpath = QPainterPath()
        for l in range(len(self._sizes) - 1):
            if self.net.use_bias[l] and self.net.shared_bias[l]:
                bx, by = self._bias_pos[l]
                for x, y in self._pos[l + 1]:
                    bpath.moveTo(QPointF(bx, by))
                    bpath.lineTo(QPointF(x, y))
        self.bias_edge_item.setPath(bpath)
        pen = self._pen(QColor(s.muted), 1.0)
        pen.setStyle(Qt.PenStyle.DotLine)
        self.bias_edge_item.setPen(pen)

    def _redraw_selected_edge(self) -> None:
        path = QPainterPath()
        if self.selected_edge is not None and self._sizes:
            l, j, k = self.selected_edge
            if l < len(self._sizes) - 1 and j < self._sizes[l + 1] and k < self._sizes[l]:
                path.moveTo(QPointF(*self._pos[l][k]))
                path.lineTo(QPointF(*self._pos[l + 1][j]))
        self.selected_item.setPath(path)
        self.selected_item.setPen(self._pen(QColor(self.style_.accent), 6))

    def _pen(self, colour: QColor, width: float) -> QPen:
        pen = QPen(colour, width * self.style_.scale)
        pen.setCosmetic(True)
        return pen
