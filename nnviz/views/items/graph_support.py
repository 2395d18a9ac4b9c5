"""Helpers of the network graph: rich-text lines, colours, the view box that lets the
graph take drags and Shift+wheel on edges, and picking (what is under the mouse)."""

from __future__ import annotations

import re
import weakref
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor

from nnviz.views.items.math_text import math_html, narrow_minus
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
    # (the close-set minus sign: the graph's labels stand close together)
    rows = [f'<span style="color:{colours.get(role, style.foreground)}">'
            f'{narrow_minus(math_html(text))}</span>' for text, role in lines]
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
        self._graph = weakref.proxy(graph)   # (no cycle through the graph)
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


class Picker:
    """What is under a point of the graph's view, in screen pixels (a neuron, a shared-bias
    node, an edge), and where each of them is in the scene."""

    def __init__(self, graph: NetworkGraphWidget) -> None:
        self._g = weakref.proxy(graph)   # its view, coordinates, network (no cycle)

    def _pixel_dist(self, pts: np.ndarray, p: QPointF) -> np.ndarray:
        px, py = self._g.view.viewPixelSize()
        return np.hypot((pts[:, 0] - p.x()) / px, (pts[:, 1] - p.y()) / py)

    def neuron_at(self, p: QPointF) -> tuple[int, int] | None:
        """The neuron (layer, j) under view point ``p``, if any."""
        c = self._g.coords
        best, hit = 1e9, None
        for l in range(len(c.sizes)):
            d = self._pixel_dist(c.pos[l], p)
            j = int(np.argmin(d))
            if d[j] <= max(c.node_size(l) / 2 + 2, 5) and d[j] < best:
                best, hit = d[j], (l, j)
        return hit

    def bias_at(self, p: QPointF) -> int | None:
        """The weight layer whose shared-bias node is under view point ``p``, if any."""
        g = self._g
        if not g.coords.sizes or g.net is None:
            return None
        shared = g.shared_layers()
        d = self._pixel_dist(g.coords.bias_pos, p)
        for l in np.argsort(d):
            if d[l] <= 12 * g.style_.scale and l in shared:
                return int(l)
        return None

    def edge_at(self, p: QPointF) -> tuple[int, int, int] | None:
        """The weight (l, j, k) whose edge passes within a few pixels of ``p``."""
        c = self._g.coords
        if not len(c.src):
            return None
        px, py = self._g.view.viewPixelSize()
        a = c.src / (px, py)
        b = c.dst / (px, py)
        q = np.array([p.x() / px, p.y() / py])
        ab = b - a
        t = np.clip(np.einsum("ij,ij->i", q - a, ab) / np.maximum(
            np.einsum("ij,ij->i", ab, ab), 1e-12), 0, 1)
        d = np.hypot(*(a + t[:, None] * ab - q).T)
        i = int(np.argmin(d))
        return c.edge_index(i) if d[i] <= 6 else None

    def scene_pos(self, x: float, y: float) -> QPointF:
        """View point (x, y) in scene coordinates."""
        return self._g.view.mapViewToScene(QPointF(float(x), float(y)))


#: between two items of the legend: the only place its lines may break
LEGEND_GAP = "&nbsp;&nbsp; "


def legend_items(items: list[str]) -> str:
    """Legend items (HTML) in a row that wraps between items, never inside one (its
    spaces are non-breaking: "gradient ∂C/∂w | known" was split at the window's edge)."""
    return LEGEND_GAP.join(_unbreakable(t) for t in items)


#: U+2060 WORD JOINER: no line break on either side of it
_JOIN = "&#8288;"


def _unbreakable(html: str) -> str:
    """``html`` with its text (not its tags) unbreakable: spaces made non-breaking and a
    word joiner after every other sign (Unicode line breaking allows a break after "|",
    "-", "/" ...: "width ∝ |" ended a line and "w|" began the next)."""
    def text(m: re.Match) -> str:
        out = []
        for tok in re.findall(r"&[#\w]+;|.", m.group(2), re.S):
            if tok == " ":
                tok = "&nbsp;"
            elif len(tok) == 1 and not tok.isalnum():
                tok += _JOIN
            out.append(tok)
        return m.group(1) + "".join(out)

    return re.sub(r"(^|>)([^<]*)", text, html)


def colour_legend(s: Style) -> str:
    """The legend of the graph's colours and widths (HTML)."""
    sw = '<span style="color:{c}; font-weight:bold">━━</span> {t}'
    # (in this order the row wraps into two lines, not three, at 1024x768 in F5: the
    # short items first, the two long ones together)
    return legend_items([sw.format(c=s.positive, t="positive weight"),
                         sw.format(c=s.negative, t="negative weight"),
                         sw.format(c=s.highlight, t="active step"),
                         sw.format(c=s.gradient, t="gradient ∂C/∂w known"),
                         "width ∝ |w|, fill ∝ activation"])


def culled(shown: int, n: int) -> str:
    """The legend's item saying that only the strongest weights are drawn."""
    return LEGEND_GAP + legend_items([f"<i>showing the {shown:,} strongest of {n:,} weights</i>"])


def same_array(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    """Both None, or equal arrays of one shape."""
    if a is None or b is None:
        return a is b
    return a.shape == b.shape and bool(np.array_equal(a, b))
