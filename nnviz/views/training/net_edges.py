"""The Training lab network's edges: coloured by sign, as wide as |w| (four width
buckets), at most :data:`MAX_EDGES` of the strongest, stroked once into a pixmap that
frames copy until the edges look different."""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPixmap

from nnviz.views.style import Style

#: at most this many edges are drawn (the largest |w|): a 784-input layer stays smooth
MAX_EDGES = 4000
#: widths of the edge buckets, per sign (times the style's scale)
WIDTHS = (0.6, 1.4, 2.6, 4.0)


def look_key(weights: list[np.ndarray]) -> bytes:
    """Each weight's sign and width bucket: the edges look the same while it holds
    (training moves most weights too little to change it from frame to frame)."""
    if not weights:
        return b""
    flat = np.concatenate([w.ravel() for w in weights])
    mag = np.nan_to_num(np.abs(flat), nan=0.0, posinf=0.0)
    top = float(mag.max()) or 1.0
    bucket = np.minimum((mag / top * len(WIDTHS)).astype(np.int8), len(WIDTHS) - 1) + 1
    return (bucket * np.sign(flat).astype(np.int8)).tobytes()


def segments(drawn: list[np.ndarray], columns: list[list[QRectF]]) -> np.ndarray:
    """(x0, y0, x1, y1, w) of every edge from the right of a source node to the left of
    its target: ``drawn[l]`` joins ``columns[l]`` to ``columns[l + 1]``; empty if the
    shapes do not match."""
    segs = []
    for l, w in enumerate(drawn):
        src, dst = columns[l], columns[l + 1]
        if w.shape != (len(dst), len(src)):
            return np.zeros((0, 5))
        a = np.array([[r.right(), r.center().y()] for r in src])
        b = np.array([[r.left(), r.center().y()] for r in dst])
        jj, kk = np.meshgrid(np.arange(len(dst)), np.arange(len(src)), indexing="ij")
        segs.append(np.column_stack([a[kk.ravel()], b[jj.ravel()], w.ravel()]))
    return np.concatenate(segs) if segs else np.zeros((0, 5))


class EdgeStrokes:
    """The edges' pens and paths (one per sign and width bucket) and their pixmap, made
    again only when :meth:`set_weights` sees them look different or :meth:`invalidate`
    is called (layout, style)."""

    def __init__(self) -> None:
        self._key = b""
        self._dirty = True
        self._pixmap: QPixmap | None = None
        self.seconds = 0.0   # CPU time of the last stroking

    def set_weights(self, drawn: list[np.ndarray]) -> bool:
        """The drawn weights now; True if the edges look different (a repaint is due)."""
        key = look_key(drawn)
        if key == self._key:
            return False
        self._key = key
        self._dirty = True
        return True

    def invalidate(self) -> None:
        self._dirty = True

    def picture(self, size: QSize, dpr: float, segs, style: Style) -> QPixmap:
        """The edges stroked into a pixmap of ``size`` when they changed (``segs()`` gives
        their segments then), else the one made before."""
        pm = self._pixmap
        if self._dirty or pm is None or pm.size() != size * dpr:
            t0 = time.process_time()
            self._dirty = False
            pm = QPixmap(size * dpr)
            pm.setDevicePixelRatio(dpr)
            pm.fill(Qt.GlobalColor.transparent)
            p = QPainter(pm)
            for pen, path in _strokes(segs(), style):
                # antialiasing ten times the cost of a plain stroke: only for the widest
                # (the strongest, fewest) edges, where jagged steps would show
                p.setRenderHint(QPainter.RenderHint.Antialiasing, pen.widthF() >= 3.0)
                p.setPen(pen)
                p.drawPath(path)
            p.end()
            self._pixmap = pm
            self.seconds = time.process_time() - t0
        return pm


def _strokes(seg: np.ndarray, s: Style) -> list[tuple[QPen, QPainterPath]]:
    """One path per (sign, width bucket): a handful of strokes however many edges."""
    seg = seg[np.isfinite(seg[:, 4])]
    if len(seg) > MAX_EDGES:
        seg = seg[np.argsort(-np.abs(seg[:, 4]))[:MAX_EDGES]]
    mag = np.abs(seg[:, 4])
    top = float(mag.max()) if len(mag) else 1.0
    bucket = np.minimum((mag / (top or 1.0) * len(WIDTHS)).astype(int), len(WIDTHS) - 1)
    fade = min(1.0, float(np.sqrt(600 / max(1, len(seg)))))  # many edges: lighter
    out = []
    for k, width in enumerate(WIDTHS):  # thin first, both signs per width (no colour on top)
        for sign, colour in ((1, s.positive), (-1, s.negative)):
            sel = seg[(np.sign(seg[:, 4]) == sign) & (bucket == k)]
            if not len(sel):
                continue
            # a moveTo and a lineTo per edge, built from the arrays in one call (a Python
            # loop over 4,736 edges was a quarter of the keras graph's stroking)
            path = pg.arrayToQPath(sel[:, [0, 2]].ravel(), sel[:, [1, 3]].ravel(),
                                   connect="pairs", finiteCheck=False)
            c = QColor(colour)
            c.setAlphaF((0.35 + 0.15 * k) * (fade if k < 2 else 1.0))
            pen = QPen(c, width * max(1.0, 0.7 * s.scale))
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            out.append((pen, path))
    return out
