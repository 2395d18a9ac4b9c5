"""The text items of the network graph (:class:`TextLayer`, ``graph.texts``): names,
values, targets, biases, captions and weight labels, their texts, and their first places
in pixels around the neurons (shown only where they fit; ``graph_place`` then moves each
where it covers nothing)."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

from nnviz.engine.core.naming import fmt
from nnviz.views.items.graph_coords import MAX_NODE_TEXT
from nnviz.views.items.graph_support import lines_html, translucent
from nnviz.views.items.label_item import GraphLabel
from nnviz.views.items.math_text import math_html

if TYPE_CHECKING:
    from nnviz.views.items.network_graph import NetworkGraphWidget

MAX_EDGE_LABELS = 48   # more edges than this: weight labels are culled


def _show(item, on: bool) -> None:
    """setVisible only on a change (the texts are placed again whenever the view's scale
    changes, and most keep their visibility)."""
    on = bool(on)
    if item.isVisible() != on:
        item.setVisible(on)


class TextLayer:
    """The graph's text items and their texts, made again for each shape of network (the
    numbers change, the items stay). ``items`` holds every text but the weight labels
    (``edge_labels``: (item, (l, j, k)) for weight w[l][j, k]); ``names``, ``values``
    (neuron (l, j) -> item), ``targets`` (output j), ``biases`` (weight layer l) and
    ``captions`` (layer l) are the same items by role."""

    def __init__(self, graph: NetworkGraphWidget, in_scene: bool = True) -> None:
        self._g = weakref.proxy(graph)   # its owner: what to show (no cycle through it)
        self._in_scene = in_scene   # (False: placed ahead off screen, graph_ahead.py)
        self.items: list[GraphLabel] = []
        self.edge_labels: list[tuple[GraphLabel, tuple[int, int, int]]] = []
        self.names: dict[tuple[int, int], GraphLabel] = {}
        self.values: dict[tuple[int, int], GraphLabel] = {}
        self.targets: dict[int, GraphLabel] = {}
        self.biases: dict[int, GraphLabel] = {}
        self.captions: dict[int, GraphLabel] = {}
        #: layer l (too many neurons for each one's values) -> the active neuron's values
        self.spotlight: dict[int, GraphLabel] = {}
        #: the side texts' needs (targets, first and last caption) the last fit kept room for
        self.fitted_needs: tuple[float, ...] | None = None
        self._room_key, self._room_width = None, 0.0   # the widest target_room, measured
        self._row_key, self._row_height = None, 0.0    # one row of a target, measured

    # ------------------------------------------------------------ items
    def make(self) -> None:
        """Items for the network's shape (``graph.coords``), the old ones removed."""
        for t in self.all_items() if self._in_scene else ():
            self._g.view.removeItem(t)
        self.items, self.edge_labels = [], []
        self.names, self.values, self.targets = {}, {}, {}
        self.biases, self.captions, self.spotlight = {}, {}, {}
        c = self._g.coords
        L = len(c.sizes) - 1
        for l, n in enumerate(c.sizes):
            if n <= MAX_NODE_TEXT:
                for j in range(n):
                    self.names[(l, j)] = self._add((0.5, 0.5))
                    anchor = (1, 0.5) if l == 0 else ((0.5, 1) if j < n / 2 else (0.5, 0))
                    self.values[(l, j)] = self._add(anchor)
                    if l == L:
                        self.targets[j] = self._add((0, 0.5))
            elif l > 0:   # too crowded for every neuron's values: the active one's
                self.spotlight[l] = self._add((0.5, 1))
            self.captions[l] = self._add((0.5, 0))
        for l in range(L):
            self.biases[l] = self._add((0, 0.5))
        if sum(c.offsets[-1:]) <= MAX_EDGE_LABELS:   # (over the neurons: a long value
            self.edge_labels = [(self._label((0, 0.5), 15), c.edge_index(i))   # is never
                                for i in range(int(c.offsets[-1]))]              # cut off)

    def _label(self, anchor, z: float) -> GraphLabel:
        """A label at depth ``z``, in the view (unless placed ahead, off screen)."""
        t = GraphLabel(anchor)
        t.setZValue(z)
        if self._in_scene:
            self._g.view.addItem(t, ignoreBounds=True)
        return t

    def _add(self, anchor) -> GraphLabel:
        t = self._label(anchor, 20)
        self.items.append(t)
        return t

    def value_items(self) -> list[tuple[tuple[int, int], GraphLabel]]:
        """(neuron, item) of the neurons' values; a crowded layer's one item as the active
        neuron's (as neuron -1 where it is not in that layer)."""
        a = self._g.state.active
        return [*self.values.items(), *(((l, a[1] if a and a[0] == l else -1), it)
                                        for l, it in self.spotlight.items())]

    def all_items(self) -> list[GraphLabel]:
        return self.items + [t for t, _ in self.edge_labels]

    def label_texts(self) -> list[str]:
        """Plain text of every visible label (neuron values, weights, targets...)."""
        return [t.textItem.toPlainText() for t in self.all_items() if t.isVisible()]

    # ------------------------------------------------------------ texts
    def redraw(self) -> None:
        """Every item's text from the graph's network, naming, state and example."""
        g = self._g
        s, nm, st = g.style_, g.naming, g.state
        pt = s.pt(9.5)
        # nearly opaque: the dotted bias links run in under the bottom neuron's values
        # (no free spot beside their neuron at 1024x768 in F5), and showed through them
        fill = pg.mkBrush(translucent(s.background, 240))
        for (l, j), item in self.names.items():
            item.set_html_once(f'<div style="font-size:{s.pt(10):.1f}pt; font-weight:bold; '
                               f'color:{s.foreground}">{math_html(nm.label(l, j))}</div>')
        for (l, j), item in self.value_items():
            lines = list(st.node_text.get((l, j), []))
            if l == 0 and not lines and g.x is not None and j < len(g.x):
                lines = [(fmt(g.x[j]), "value")]
            item.lines = lines   # the placing picks the type size (graph_place)
            item.set_html_once(lines_html(lines, s, pt))
            _show(item, bool(lines))
            item.fill = fill
        for j, item in self.targets.items():
            lines = list(st.target_text.get(j, []))
            if not lines and g.y is not None and j < len(g.y):
                lines = [(f"{nm.target(j)} = {fmt(g.y[j])}", "muted")]
            item.lines = lines   # set in the form the outputs' spacing allows
            _show(item, bool(lines))
        self.set_target_html()
        b = g.shown_biases()
        shared = g.shared_layers()
        for l, item in self.biases.items():  # shown or not: place() decides
            if l in shared:
                name, value = nm.bias(l, 0), fmt(b[l][0])   # in one line, or two if narrow
                item.forms = (lines_html([(f"{name} = {value}", "value")], s, pt),
                              lines_html([(f"{name} =", "value"), (value, "value")], s, pt))
                item.set_html_once(item.forms[item.form])
        for l, item in self.captions.items():
            self._set_caption_forms(l, item)
        w = g.shown_weights()
        for item, (l, j, k) in self.edge_labels:
            lines = st.edge_text.get((l, j, k))
            if lines is None:
                lines = [(f"{nm.weight(l, j, k)} = {fmt(w[l][j, k])}",
                          "positive" if w[l][j, k] >= 0 else "negative")]
            item.lines = lines   # the placing picks the form (whole, numbers alone, size)
            item.set_html_once(lines_html(lines, s, s.pt(9)))
            item.fill = pg.mkBrush(QColor(s.background))

    def _set_caption_forms(self, l: int, item: GraphLabel) -> None:
        """Layer l's caption in one line ("2 hidden · sigmoid") and in two (the
        activation under the count, for layers closer than the line is wide); the item
        keeps the form the placing chose last, and the one-line width (the fit keeps
        room for it: a form chosen by the room would change the room)."""
        g = self._g
        s, n, L = g.style_, g.coords.sizes[l], len(g.coords.sizes) - 1
        kind = ("input" + ("s" if n != 1 else "")) if l == 0 else (
            "output" if l == L else "hidden")
        act = "" if l == 0 else g.net.activations[l - 1].name
        one = lines_html([(f"{n} {kind}" + (f" · {act}" if act else ""), "muted")], s, s.pt(9))
        if (item.forms or (None,))[0] != one:
            two = lines_html([(f"{n} {kind}", "muted")] + ([(act, "muted")] if act else []),
                             s, s.pt(9)).replace("<div ", '<div align="center" ', 1)
            item.set_html_once(one)
            item.one_width = item.boundingRect().width()
            item.forms = (one, two)
        item.set_html_once(item.forms[item.form])

    # ------------------------------------------------------------ room at the sides
    def margins(self, lpx: float, rpx: float) -> tuple[float, float]:
        """The side margins in pixels from the widest input value and target text shown,
        where there are any (a fixed guess wasted a third of a 1024-pixel projector); the
        needs they were fitted to are remembered (:meth:`needs_refit`)."""
        c, sc = self._g.coords, self._g.style_.scale

        def widest(items) -> float:
            return max((it.boundingRect().width() for it in items if it.html), default=0.0)

        inputs = widest(it for (l, _), it in self.values.items() if l == 0)
        targets, cap_left, cap_right, _ = self.fitted_needs = self.side_needs()
        if inputs:
            lpx = inputs + (c.node_size(0) / 2 + 16 * sc)   # clear of the ring, see Placement
        if targets:
            rpx = targets + (c.node_size(len(c.sizes) - 1) / 2 + 16 * sc)
        # the outer layers' captions, centred under them, inside the view too
        return max(lpx, cap_left + 4 * sc), max(rpx, cap_right + 4 * sc)

    def needs_refit(self) -> bool:
        """Do the texts at the sides (the targets, the outer layers' captions) need other
        room than the last fit gave them?"""
        fitted = self.fitted_needs
        return fitted is None or max(
            abs(a - b) for a, b in zip(self.side_needs(), fitted)) > 0.5

    def side_needs(self) -> tuple[float, float, float, float]:
        """Pixels the side texts need: the targets' width, and half the first and the last
        layer's caption (centred under their layers); and the pixels the values need
        above and below the neurons beyond three lines (:meth:`extra_rows`)."""
        L = len(self._g.coords.sizes) - 1
        half = [self.captions[l].one_width / 2
                if l in self.captions and self.captions[l].toPlainText() else 0.0
                for l in (0, L)]
        return self._targets_width(), half[0], half[1], self.extra_rows()

    def extra_rows(self) -> float:
        """Pixels the neurons' values need above the top neurons and below the bottom
        ones beyond the three lines the fit keeps room for (``state.value_lines``)."""
        g = self._g
        return max(0, g.state.value_lines - 3) * 16 * g.style_.scale

    def _targets_width(self) -> float:
        """Pixels the texts right of the outputs need: the widest shown now, or of the
        lines kept room for (``state.target_room``: what the pass will show later)."""
        g = self._g
        shown = max((it.boundingRect().width() for it in self.targets.values() if it.html),
                    default=0.0)
        room = [lines for j, lines in g.state.target_room.items() if j in self.targets]
        if not room:
            return shown
        one_line, pt = self.target_form()
        key = (tuple(tuple(r) for r in room), g.style_, one_line, pt)
        if self._room_key != key:
            probe = GraphLabel()   # measured as the target labels are laid out
            self._room_key = key
            self._room_width = 0.0
            for lines in room:
                probe.setHtml(lines_html(lines, g.style_, pt, 2 if one_line else 1))
                self._room_width = max(self._room_width, probe.boundingRect().width())
        return max(shown, self._room_width)

    def target_form(self) -> tuple[bool, float]:
        """(each output's target and error on one row, type size): one row where two
        lines would run into the next output's texts, in type a little smaller where even
        one row is taller than the outputs' spacing on screen."""
        g = self._g
        c, pt = g.coords, g.style_.pt(9.5)
        L = len(c.sizes) - 1
        if not c.sizes or c.sizes[L] < 2:
            return False, pt
        gap = c.spacing(L) * c.ppu_y
        key = (g.style_, pt)
        if self._row_key != key:
            probe = GraphLabel()
            probe.setHtml(lines_html([("y1 = 0", "muted")], g.style_, pt))
            self._row_key, self._row_height = key, probe.boundingRect().height()
        row = self._row_height
        # the lines each output shows (at the end of the pass, to keep one form all along)
        rows = [len(g.state.target_room.get(j) or it.lines or [1])
                for j, it in sorted(self.targets.items())]
        if gap >= max(a + b for a, b in zip(rows, rows[1:])) / 2 * row + 2:
            return False, pt
        return True, round(pt * max(0.75, min(1.0, (gap - 1) / row)), 1)

    def set_target_html(self) -> None:
        """The targets' texts in the form the outputs' spacing allows (one row each: the
        last output's extra rows, the total error, hang below it, its own row centred)."""
        one_line, pt = self.target_form()
        last = len(self.targets) - 1
        for j, item in self.targets.items():
            lines = item.lines
            if not lines:
                continue
            item.set_html_once(lines_html(lines, self._g.style_, pt, 2 if one_line else 1))
            rows = len(lines) - 1 if one_line and len(lines) > 1 else len(lines)
            item.set_anchor((0, 0.5 / rows if one_line and j == last else 0.5))

    # ------------------------------------------------------------ first places
    def place(self) -> None:
        """Every text at its default place, shown where it fits (before the placing)."""
        px, py = self._g.view.viewPixelSize()
        for item in self.all_items():   # by the point it was made with: what the placing
            item.set_anchor(item.home)   # is given then owes nothing to the last one's
        self._place_node_texts(px, py)
        self._place_biases_and_captions(px, py)
        if self._g.compact:    # a thumbnail: the neurons' names only
            for item in (*self.values.values(), *self.targets.values(),
                         *self.biases.values(), *self.captions.values()):
                _show(item, False)
        self._place_edge_labels(px, py)

    def roomy_layer(self, l: int, py: float) -> bool:
        """Is there room between neighbours for the text above/below each neuron? (Two
        neurons' values go above the top one and below the bottom one: none between
        them. xor-mlp's hidden layer at 1280x720 in F5 showed only the active neuron's
        values, and with them the other's own bias went missing.)"""
        g = self._g
        if g.coords.sizes[l] <= 2:
            return True
        lines = max((len(v) for (ll, _), v in g.state.node_text.items() if ll == l),
                    default=1 if l == 0 else 2)
        if not py > 0:   # not laid out yet (a lab made but never shown): no room
            return False
        gap = g.coords.spacing(l) / py
        return gap >= g.coords.node_size(l) + (4 + 16 * lines) * g.style_.scale

    def _place_node_texts(self, px: float, py: float) -> None:
        """Names in the neurons (where they fit), values beside them (where there is
        room, and always the active neuron's), targets right of the outputs."""
        g = self._g
        c, st = g.coords, g.state
        L = len(c.sizes) - 1
        sc = g.style_.scale
        fits = {l: c.node_size(l) >= 24 * sc for l in range(L + 1)}
        roomy = {l: self.roomy_layer(l, py) for l in range(L + 1)}
        for (l, j), item in self.names.items():
            item.set_anchor((0.5, 0.5))   # in the circle (the placing moves a wide one out)
            item.setPos(*c.pos[l][j])
            # a name narrower than its circle in it (xor-mlp's 40-pixel circles at
            # 1024x768 in F5 lost every name); a wider one only beside a large circle
            inside = item.boundingRect().width() <= c.node_size(l) - 2
            _show(item, inside or fits[l])
        for (l, j), item in self.value_items():
            if not roomy[l] and st.active != (l, j):
                _show(item, False)
            elif l == 0 or (l, j) in st.node_text:
                _show(item, bool(item.textItem.toPlainText()))
            x, y = c.pos[l][j]
            r = c.node_size(l) / 2 + 4
            if l == 0:
                item.setPos(x - r * px, y)
            else:   # upper half of the column: text above the neuron, lower half: below
                item.setPos(x, y - r * py if j < c.sizes[l] / 2 else y + r * py)
        self.set_target_html()   # (the spacing may have changed with the fit)
        for j, item in self.targets.items():
            x, y = c.pos[L][j]
            item.setPos(x + (c.node_size(L) / 2 + 8) * px, y)

    def _place_biases_and_captions(self, px: float, py: float) -> None:
        """Bias values and layer captions only where they fit between the layers (not in
        a thumbnail such as the surface lab's picker, where they would run into each
        other)."""
        g = self._g
        L = len(g.coords.sizes) - 1
        gap = 1.0 / max(px, 1e-12)    # pixels from one layer to the next
        sc = g.style_.scale
        shared = g.shared_layers()
        for l, item in self.biases.items():
            x, y = g.coords.bias_pos[l]
            item.setPos(x + 14 * sc * px, y)
            fits = False
            for form in range(len(item.forms)):   # one line, else two
                item.form = form
                item.set_html_once(item.forms[form])
                fits = (14 + 8) * sc + item.boundingRect().width() <= gap
                if fits:
                    break
            _show(item, l in shared and fits)
        items = [self.captions[l] for l in range(L + 1)]
        for form in (0, 1):   # in one line each where they fit, else in two
            for item in items:
                item.form = form
                item.set_html_once(item.forms[form])
            widths = [item.boundingRect().width() for item in items]
            captions_fit = all((a + b) / 2 + 4 * sc <= gap for a, b in zip(widths, widths[1:]))
            if captions_fit:
                break
        for l, item in self.captions.items():
            _show(item, captions_fit)
            item.setPos(l, self._caption_y(l, py))

    def _caption_y(self, l: int, py: float) -> float:
        """Below the shared biases, else below the values under the neurons."""
        g = self._g
        c, sc = g.coords, g.style_.scale
        L = len(c.sizes) - 1
        if g.shared_layers():
            return c.bias_pos[:, 1].max() + 14 * sc * py
        if max(c.sizes) <= MAX_NODE_TEXT:
            return max(p[:, 1].max() for p in c.pos) + (
                max(c.node_size(ll) for ll in range(L + 1)) / 2 + 70 * sc) * py
        return c.pos[l][:, 1].max() + (c.node_size(l) / 2 + 4) * py

    def _place_edge_labels(self, px: float, py: float) -> None:
        """Weight labels a quarter of the way along the edge from the source neuron;
        hidden when labels are off or neighbouring labels would overlap on screen."""
        g, c = self._g, self._g.coords
        L = len(c.sizes) - 1
        crowded = False
        lines = max((len(g.state.edge_text.get(e, [1])) for _, e in self.edge_labels),
                    default=1)
        for l in range(L):
            if c.sizes[l] * c.sizes[l + 1] > 1:
                dy = 0.25 * min(1.0, np.diff(c.pos[l + 1][:, 1]).min()
                               if c.sizes[l + 1] > 1 else 1.0)
                crowded |= dy / max(py, 1e-12) < 14 * g.style_.scale * lines
        for item, (l, j, k) in self.edge_labels:
            a, b = c.pos[l][k], c.pos[l + 1][j]
            item.setPos(*(a + 0.25 * (b - a) + (4 * px, 0)))
            item.set_leader(None)   # (the placing draws one where it sets a label off)
            _show(item, g.weight_labels_on and not crowded and not g.compact)
