"""Helpers of the network graph: rich-text lines, colours, the view box that lets the
graph take drags and Shift+wheel on edges, and picking (what is under the mouse)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor

from nnviz.views.items.math_text import math_html
from nnviz.views.style import Style

if TYPE_CHECKING:
    from nnviz.views.items.network_graph import NetworkGraphWidget


def lines_html(lines: list[tuple[str, str]], style: Style, size: float,
               joined: int = 1) -> str:
    """Coloured lines of (text, role) as one HTML block (remembered per lines and style);
    the first ``joined`` lines share the first row, two spaces apart."""
    return _lines_html(tuple(lines), style, size, max(1, joined))


@lru_cache(maxsize=8192)
def _lines_html(lines: tuple[tuple[str, str], ...], style: Style, size: float,
                joined: int = 1) -> str:
    colours = {"value": style.foreground, "gradient": style.gradient, "muted": style.muted,
               "highlight": style.highlight, "positive": style.positive,
               "negative": style.negative}
    rows = [f'<span style="color:{colours.get(role, style.foreground)}">'
            f'{math_html(text)}</span>' for text, role in lines]
    rows = ["&nbsp;&nbsp;".join(rows[:joined])] + rows[joined:] if rows else rows
    return (f'<div style="font-size:{size:.1f}pt; font-family:sans-serif">'
            + "<br>".join(rows) + "</div>")


def translucent(c: str, alpha: int) -> QColor:
    q = QColor(c)
    q.setAlpha(alpha)
    return q


def mix(a: str, b: str, t: float) -> QColor:
    ca, cb = QColor(a), QColor(b)
    t = float(min(1.0, max(0.0, t)))
    return QColor(int(ca.red() + (cb.red() - ca.red()) * t),
                  int(ca.green() + (cb.green() - ca.green()) * t),
                  int(ca.blue() + (cb.blue() - ca.blue()) * t))


class GraphViewBox(pg.ViewBox):
    """A ViewBox that lets the graph grab drags and Shift+wheel over an edge."""

    def __init__(self, graph: NetworkGraphWidget) -> None:
        super().__init__(invertY=True, enableMenu=False)
        self._graph = graph
        self._drag_edge: tuple[int, int, int] | None = None

    def mouseDragEvent(self, ev, axis=None) -> None:  # noqa: N802 - pyqtgraph API
        if ev.button() == Qt.MouseButton.LeftButton and self._graph.editable:
            if ev.isStart():
                self._drag_edge = self._graph.edge_at(self.mapSceneToView(ev.buttonDownScenePos()))
            if self._drag_edge is not None:
                ev.accept()
                dy = ev.lastScenePos().y() - ev.scenePos().y()
                if dy:
                    self._graph.weight_dragged.emit(*self._drag_edge, 0.01 * dy)
                if ev.isFinish():
                    self._drag_edge = None
                return
        super().mouseDragEvent(ev, axis)

    def wheelEvent(self, ev, axis=None) -> None:  # noqa: N802 - pyqtgraph API
        if ev.modifiers() & Qt.KeyboardModifier.ShiftModifier and self._graph.editable:
            edge = self._graph.edge_at(self.mapSceneToView(ev.scenePos()))
            if edge is not None:
                ev.accept()
                self._graph.weight_dragged.emit(*edge, 0.01 * np.sign(ev.delta()))
                return
        super().wheelEvent(ev, axis)


class PickingMixin:
    """Hit tests in screen pixels for NetworkGraphWidget."""

    # ------------------------------------------------------------ picking
    def _pixel_dist(self, pts: np.ndarray, p: QPointF) -> np.ndarray:
        px, py = self.view.viewPixelSize()
        return np.hypot((pts[:, 0] - p.x()) / px, (pts[:, 1] - p.y()) / py)

    def neuron_at(self, p: QPointF) -> tuple[int, int] | None:
        """The neuron (layer, j) under view point ``p``, if any."""
        if not self._sizes:
            return None
        best, hit = 1e9, None
        for l in range(len(self._sizes)):
            d = self._pixel_dist(self._pos[l], p)
            j = int(np.argmin(d))
            if d[j] <= max(self._node_size(l) / 2 + 2, 5) and d[j] < best:
                best, hit = d[j], (l, j)
        return hit

    def bias_at(self, p: QPointF) -> int | None:
        if not self._sizes or self.net is None:
            return None
        d = self._pixel_dist(self._bias_pos, p)
        for l in np.argsort(d):
            if d[l] <= 12 * self.style_.scale and self.net.shared_bias[l] and self.net.use_bias[l]:
                return int(l)
        return None

    def edge_at(self, p: QPointF) -> tuple[int, int, int] | None:
        """The weight (l, j, k) whose edge passes within a few pixels of ``p``."""
        if not self._sizes or not len(self._src):
            return None
        px, py = self.view.viewPixelSize()
        a = self._src / (px, py)
        b = self._dst / (px, py)
        q = np.array([p.x() / px, p.y() / py])
        ab = b - a
        t = np.clip(np.einsum("ij,ij->i", q - a, ab) / np.maximum(
            np.einsum("ij,ij->i", ab, ab), 1e-12), 0, 1)
        d = np.hypot(*(a + t[:, None] * ab - q).T)
        i = int(np.argmin(d))
        return self._edge_index(i) if d[i] <= 6 else None

    def _on_scene_clicked(self, ev) -> None:
        if ev.button() == Qt.MouseButton.LeftButton and not ev.double():
            self._click(self.view.mapSceneToView(ev.scenePos()))

    def _click(self, p: QPointF) -> None:
        hit = self.neuron_at(p)
        if hit is not None:
            self.neuron_clicked.emit(*hit)
            return
        bl = self.bias_at(p)
        if bl is not None:
            self.bias_clicked.emit(bl, 0)
            return
        edge = self.edge_at(p)
        if edge is not None:
            self.edge_clicked.emit(*edge)

    def bias_scene_pos(self, l: int) -> QPointF:
        """Where the shared-bias node of weight layer l is in scene coordinates."""
        return self.view.mapViewToScene(QPointF(*self._bias_pos[l]))

    def node_scene_pos(self, layer: int, j: int) -> QPointF:
        """Where neuron (layer, j) is in scene coordinates (for tests and overlays)."""
        return self.view.mapViewToScene(QPointF(*self._pos[layer][j]))

    def edge_scene_pos(self, l: int, j: int, k: int, t: float = 0.5) -> QPointF:
        a, b = self._pos[l][k], self._pos[l + 1][j]
        return self.view.mapViewToScene(QPointF(*(a + t * (b - a))))


#: between two items of the legend: the only place its lines may break
LEGEND_GAP = "&nbsp;&nbsp; "


def legend_items(items: list[str]) -> str:
    """Legend items (HTML) in a row that wraps between items, never inside one (its
    spaces are non-breaking: "gradient ∂C/∂w | known" was split at the window's edge)."""
    return LEGEND_GAP.join(_unbreakable(t) for t in items)


def _unbreakable(html: str) -> str:
    """``html`` with the spaces of its text (not of its tags) made non-breaking."""
    return re.sub(r"(^|>)([^<]*)", lambda m: m.group(1) + m.group(2).replace(" ", "&nbsp;"),
                  html)


def colour_legend(s: Style) -> str:
    """The legend of the graph's colours and widths (HTML)."""
    sw = '<span style="color:{c}; font-weight:bold">━━</span> {t}'
    return legend_items([sw.format(c=s.positive, t="positive weight"),
                         sw.format(c=s.negative, t="negative weight"),
                         sw.format(c=s.gradient, t="gradient ∂C/∂w known"),
                         sw.format(c=s.highlight, t="active step"),
                         "width ∝ |w|, fill ∝ activation"])


def culled(shown: int, n: int) -> str:
    """The legend's item saying that only the strongest weights are drawn."""
    return LEGEND_GAP + legend_items([f"<i>showing the {shown:,} strongest of {n:,} weights</i>"])
