"""Bars of bump heights that the user drags up and down (pyqtgraph item)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPicture


class BumpBars(pg.GraphicsObject):
    """Bar i spans [left[i], right[i]] from 0 to heights[i] (bars may not overlap).

    Pressing anywhere in a bar's column and dragging sets that bar's height to the
    mouse's y (so a bar of height ~0 can still be grabbed); emits
    ``height_dragged(i, h)`` while dragging and ``drag_finished()`` at the end.
    """

    height_dragged = Signal(int, float)
    drag_started = Signal()
    drag_finished = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._left = np.zeros(0)
        self._right = np.zeros(0)
        self._heights = np.zeros(0)
        self._fill = QColor(230, 159, 0, 90)
        self._line = QColor(230, 159, 0)
        self._selected = -1
        self._picture: QPicture | None = None
        self._drag: int | None = None
        self.setZValue(1)  # above the ViewBox so it gets drags; curves are drawn above it

    # ------------------------------------------------------------ data
    def set_data(self, left: np.ndarray, right: np.ndarray, heights: np.ndarray,
                 selected: int = -1) -> None:
        self.prepareGeometryChange()
        self._left = np.asarray(left, float)
        self._right = np.asarray(right, float)
        self._heights = np.asarray(heights, float)
        self._selected = selected
        self._picture = None
        self.update()

    def set_colors(self, line: str) -> None:
        self._line = QColor(line)
        self._fill = QColor(line)
        self._fill.setAlpha(90)
        self._picture = None
        self.update()

    def heights(self) -> np.ndarray:
        return self._heights.copy()

    def bar_centre(self, i: int) -> QPointF:
        """The middle of bar i's top edge, in data coordinates."""
        return QPointF((self._left[i] + self._right[i]) / 2, self._heights[i])

    # ------------------------------------------------------------ drawing
    def _data_rect(self) -> QRectF:
        if not len(self._heights):
            return QRectF()
        lo, hi = min(0.0, self._heights.min()), max(0.0, self._heights.max())
        x0, x1 = min(self._left.min(), self._right.min()), max(self._left.max(), self._right.max())
        return QRectF(x0, lo, x1 - x0, hi - lo)

    def dataBounds(self, ax, frac=1.0, orthoRange=None):  # noqa: N802 - pyqtgraph API
        r = self._data_rect()
        if r.isNull():
            return None, None
        return (r.left(), r.right()) if ax == 0 else (r.top(), r.bottom())

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        r = self._data_rect()
        if r.isNull():
            return QRectF()
        vb = self.getViewBox()
        if vb is not None:  # the whole visible column is grabbable
            view = vb.viewRect()
            top, bottom = min(r.top(), view.top()), max(r.bottom(), view.bottom())
            return QRectF(r.left(), top, r.width(), bottom - top)
        return r

    def viewTransformChanged(self) -> None:  # noqa: N802 - pyqtgraph API
        self.prepareGeometryChange()

    def paint(self, p: QPainter, *args) -> None:
        if self._picture is None:
            self._picture = QPicture()
            q = QPainter(self._picture)
            for i, h in enumerate(self._heights):
                a, b = self._left[i], self._right[i]
                q.setPen(Qt.PenStyle.NoPen)
                q.setBrush(QBrush(self._fill))
                q.drawRect(QRectF(a, 0.0, b - a, h))
                # the sides and the top, not the bottom: a selected bar's thick outline
                # along y = 0 read as a flat box under the bar
                pen = QPen(self._line, 3 if i == self._selected else 1.5)
                pen.setCosmetic(True)
                q.setPen(pen)
                q.setBrush(Qt.BrushStyle.NoBrush)
                q.drawPolyline([QPointF(a, 0.0), QPointF(a, h), QPointF(b, h), QPointF(b, 0.0)])
            q.end()
        self._picture.play(p)

    # ------------------------------------------------------------ mouse
    def _index_at(self, x: float) -> int | None:
        lo = np.minimum(self._left, self._right)
        hi = np.maximum(self._left, self._right)
        inside = np.flatnonzero((lo <= x) & (x <= hi))
        return int(inside[-1]) if len(inside) else None

    def mouseDragEvent(self, ev) -> None:  # noqa: N802 - pyqtgraph API
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        if ev.isStart():
            self._drag = self._index_at(ev.buttonDownPos().x())
            if self._drag is not None:
                self.drag_started.emit()
        if self._drag is None:
            ev.ignore()
            return
        ev.accept()
        self.height_dragged.emit(self._drag, float(ev.pos().y()))
        if ev.isFinish():
            self._drag = None
            self.drag_finished.emit()

    def mouseClickEvent(self, ev) -> None:  # noqa: N802 - pyqtgraph API
        i = self._index_at(ev.pos().x()) if ev.button() == Qt.MouseButton.LeftButton else None
        if i is None:
            ev.ignore()
            return
        ev.accept()
        self.height_dragged.emit(i, float(ev.pos().y()))
        self.drag_finished.emit()
