"""The fills and outlines of the network graph's neurons."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
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
