"""The network graph's neurons: their fills and outlines, and the layer of scatter items
they are drawn in."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from nnviz.views.items.graph_support import mix
from nnviz.views.style import Style

#: how an outline is drawn: (style colour attribute or None, width in style.scale units)
OUTLINES = {"active": ("highlight", 4.0), "selected": ("accent", 3.5), "none": (None, 0.0),
            "plain": ("foreground", 1.2)}


class NodeSymbols:
    """Brushes and pens of the neurons, few distinct objects kept across redraws:
    pyqtgraph renders and caches one symbol per pen/brush *object*, so new objects every
    redraw would re-render every node."""

    MAX = 4096

    def __init__(self) -> None:
        self._cache: dict = {}

    def _get(self, key: tuple, make):
        if key not in self._cache:
            if len(self._cache) > self.MAX:
                self._cache.clear()
            self._cache[key] = make()
        return self._cache[key]

    def fill(self, s: Style, v: float, dropped: bool):
        """A neuron's fill: muted if dropped out, else its value's colour in 21 shades
        (the background where the value is unknown)."""
        if dropped:
            colour = s.muted
        elif np.isfinite(v):
            c = s.positive if v >= 0 else s.negative
            level = round(min(1.0, abs(v)) * 20) / 20
            colour = mix(s.background, c, 0.15 + 0.55 * level)
        else:
            colour = s.background
        return self._get(("b", QColor(colour).name()), lambda: pg.mkBrush(colour))

    def outline(self, s: Style, role: str):
        """A neuron's outline for ``role`` (one of :data:`OUTLINES`)."""
        attr, width = OUTLINES[role]
        colour, width = (None, 0) if attr is None else (getattr(s, attr), width * s.scale)
        key = ("p", None if colour is None else QColor(colour).name(), width)
        return self._get(key, lambda: pg.mkPen(colour, width=width) if colour
                         else pg.mkPen(None))


class NodeLayer:
    """The graph's neurons (circles) and shared-bias squares: two scatter items, the
    symbols they are drawn with, and what was drawn last, so a redraw that changes only
    a fill or an outline restyles the points in place (setData rebuilds every point)."""

    def __init__(self, view) -> None:
        self.symbols = NodeSymbols()   # the neurons' brushes and pens, kept across redraws
        self.nodes = pg.ScatterPlotItem(pxMode=True)
        self.bias_nodes = pg.ScatterPlotItem(pxMode=True, symbol="s")
        for it in (self.nodes, self.bias_nodes):
            it.setZValue(10)
            it.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # the view box picks
            view.addItem(it)
        self._key: tuple | None = None
        self._marks: tuple | None = None
        self._bias_key: tuple | None = None

    def draw(self, s: Style, pos: np.ndarray, sizes: list[float], fills: list,
             roles: list[str]) -> None:
        """Neuron i at ``pos[i]`` with diameter ``sizes[i]`` px, filled by ``fills[i]``
        (value, dropped) and outlined for ``roles[i]`` (one of :data:`OUTLINES`)."""
        brushes = [self.symbols.fill(s, v, dropped) for v, dropped in fills]
        pens = [self.symbols.outline(s, role) for role in roles]
        key = (pos.tobytes(), tuple(sizes))
        marks = (tuple(map(id, brushes)), tuple(map(id, pens)))
        if key != self._key:
            self.nodes.setData(x=pos[:, 0], y=pos[:, 1], size=sizes, brush=brushes, pen=pens)
            self._key, self._marks = key, marks
        elif marks != self._marks:
            self.nodes.setBrush(brushes, update=False)
            self.nodes.setPen(pens)
            self._marks = marks

    def draw_biases(self, s: Style, pos: np.ndarray) -> None:
        """The squares of the shared biases at ``pos``, when the places or style changed."""
        key = (pos.tobytes(), s)
        if key != self._bias_key:
            self._bias_key = key
            self.bias_nodes.setData(x=pos[:, 0], y=pos[:, 1], size=18 * s.scale, symbol="s",
                                    brush=pg.mkBrush(s.background),
                                    pen=pg.mkPen(s.muted, width=1.5))
