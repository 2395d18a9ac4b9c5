"""The text items of the network graph: names, values, targets, biases, captions and
weight labels, placed in pixels around the neurons and shown only where they fit."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

from nnviz.engine.naming import fmt
from nnviz.views.items.graph_support import lines_html, translucent
from nnviz.views.items.label_item import GraphLabel
from nnviz.views.items.math_text import math_html

MAX_NODE_TEXT = 16     # layers larger than this get no per-neuron labels
MAX_EDGE_LABELS = 48   # more edges than this: weight labels are culled


def _set_html(item, html: str) -> None:
    """setHtml only when the text changed: laying out rich text is the slow part of a
    redraw, and most labels keep their text from one micro-step to the next."""
    if getattr(item, "_nnviz_html", None) != html:
        item.setHtml(html)
        item._nnviz_html = html


def _show(item, on: bool) -> None:
    """setVisible only on a change (the texts are placed again whenever the view's scale
    changes, and most keep their visibility)."""
    on = bool(on)
    if item.isVisible() != on:
        item.setVisible(on)


class TextsMixin:
    """Text items for NetworkGraphWidget."""

    # ------------------------------------------------------------ texts
    def _make_texts(self) -> None:
        for t in self._texts + [t for t, _ in self._edge_labels]:
            self.view.removeItem(t)
        self._texts, self._edge_labels = [], []
        self._name_items: dict[tuple[int, int], GraphLabel] = {}
        self._value_items: dict[tuple[int, int], GraphLabel] = {}
        self._target_items: dict[int, GraphLabel] = {}
        self._bias_items: dict[int, GraphLabel] = {}
        self._caption_items: dict[int, GraphLabel] = {}
        L = len(self._sizes) - 1
        for l, n in enumerate(self._sizes):
            if n <= MAX_NODE_TEXT:
                for j in range(n):
                    self._name_items[(l, j)] = self._add_text((0.5, 0.5))
                    anchor = (1, 0.5) if l == 0 else ((0.5, 1) if j < n / 2 else (0.5, 0))
                    self._value_items[(l, j)] = self._add_text(anchor)
                    if l == L:
                        self._target_items[j] = self._add_text((0, 0.5))
            self._caption_items[l] = self._add_text((0.5, 0))
        for l in range(L):
            self._bias_items[l] = self._add_text((0, 0.5))
        if sum(self._offsets[-1:]) <= MAX_EDGE_LABELS:
            for i in range(int(self._offsets[-1])):
                t = GraphLabel((0, 0.5))
                t.setZValue(15)  # over the neurons: a long value must never be cut off
                self.view.addItem(t, ignoreBounds=True)
                self._edge_labels.append((t, self._edge_index(i)))

    def _add_text(self, anchor) -> GraphLabel:
        t = GraphLabel(anchor)
        t.setZValue(20)
        self.view.addItem(t, ignoreBounds=True)
        self._texts.append(t)
        return t

    def _weights(self) -> list[np.ndarray]:
        return self.state.weights if self.state.weights is not None else self.net.weights

    def _biases(self) -> list[np.ndarray]:
        return self.state.biases if self.state.biases is not None else self.net.biases

    def _redraw_texts(self) -> None:
        if self.net is None or not self._sizes:
            return
        s, nm, st = self.style_, self.naming, self.state
        pt = s.pt(9.5)
        fill = pg.mkBrush(translucent(s.background, 200))
        for (l, j), item in self._name_items.items():
            _set_html(item, f'<div style="font-size:{s.pt(10):.1f}pt; font-weight:bold; '
                         f'color:{s.foreground}">{math_html(nm.label(l, j))}</div>')
        for (l, j), item in self._value_items.items():
            lines = list(st.node_text.get((l, j), []))
            if l == 0 and not lines and self.x is not None and j < len(self.x):
                lines = [(fmt(self.x[j]), "value")]
            _set_html(item, lines_html(lines, s, pt))
            _show(item, bool(lines))
            item.fill = fill
        for j, item in self._target_items.items():
            lines = list(st.target_text.get(j, []))
            if not lines and self.y is not None and j < len(self.y):
                lines = [(f"{nm.target(j)} = {fmt(self.y[j])}", "muted")]
            item.lines = lines   # set in the form the outputs' spacing allows
            _show(item, bool(lines))
        self._set_target_html()
        b = self._biases()
        for l, item in self._bias_items.items():  # shown or not: _place_texts decides
            if self.net.shared_bias[l] and self.net.use_bias[l]:
                name, value = nm.bias(l, 0), fmt(b[l][0])   # in one line, or two if narrow
                item.forms = (lines_html([(f"{name} = {value}", "value")], s, pt),
                              lines_html([(f"{name} =", "value"), (value, "value")], s, pt))
                _set_html(item, item.forms[getattr(item, "form", 0)])
        for l, item in self._caption_items.items():
            self._set_caption_forms(l, item)
        w = self._weights()
        for item, (l, j, k) in self._edge_labels:
            lines = st.edge_text.get((l, j, k))
            if lines is None:
                lines = [(f"{nm.weight(l, j, k)} = {fmt(w[l][j, k])}",
                          "positive" if w[l][j, k] >= 0 else "negative")]
            item.lines = lines   # the placing picks the form (whole, numbers alone, size)
            _set_html(item, lines_html(lines, s, s.pt(9)))
            item.fill = pg.mkBrush(QColor(s.background))
        self._refit_for_texts()
        self._place_texts()

    def _set_caption_forms(self, l: int, item) -> None:
        """Layer l's caption in one line ("2 hidden · sigmoid") and in two (the
        activation under the count, for layers closer than the line is wide); the item
        keeps the form the placing chose last, and the one-line width (the fit keeps
        room for it: a form chosen by the room would change the room)."""
        s, n, L = self.style_, self._sizes[l], len(self._sizes) - 1
        kind = ("input" + ("s" if n != 1 else "")) if l == 0 else (
            "output" if l == L else "hidden")
        act = "" if l == 0 else self.net.activations[l - 1].name
        one = lines_html([(f"{n} {kind}" + (f" · {act}" if act else ""), "muted")], s, s.pt(9))
        if getattr(item, "forms", (None,))[0] != one:
            two = lines_html([(f"{n} {kind}", "muted")] + ([(act, "muted")] if act else []),
                             s, s.pt(9)).replace("<div ", '<div align="center" ', 1)
            _set_html(item, one)
            item.one_width = item.boundingRect().width()
            item.forms = (one, two)
        _set_html(item, item.forms[getattr(item, "form", 0)])

    def _refit_for_texts(self) -> None:
        """Fit again (once, soon) if the texts at the sides (the targets, the outer
        layers' captions) need other room than the last fit gave them."""
        fitted = getattr(self, "_fitted_needs", None)
        if self._auto_fit and (fitted is None or max(
                abs(a - b) for a, b in zip(self._side_needs(), fitted)) > 0.5):
            self._fitter.request()

    def _side_needs(self) -> tuple[float, float, float]:
        """Pixels the side texts need: the targets' width, and half the first and the last
        layer's caption (centred under their layers)."""
        L = len(self._sizes) - 1
        half = [getattr(self._caption_items[l], "one_width", 0.0) / 2
                if l in self._caption_items and self._caption_items[l].toPlainText() else 0.0
                for l in (0, L)]
        return self._targets_width(), half[0], half[1]

    def _targets_width(self) -> float:
        """Pixels the texts right of the outputs need: the widest shown now, or of the
        lines kept room for (``state.target_room``: what the pass will show later)."""
        shown = max((it.boundingRect().width() for it in self._target_items.values()
                     if getattr(it, "_nnviz_html", "")), default=0.0)
        room = [lines for j, lines in self.state.target_room.items()
                if j in self._target_items]
        if not room:
            return shown
        one_line, pt = self._target_form()
        key = (tuple(tuple(r) for r in room), self.style_, one_line, pt)
        if getattr(self, "_room_key", None) != key:
            probe = GraphLabel()   # measured as the target labels are laid out
            self._room_key = key
            self._room_width = 0.0
            for lines in room:
                probe.setHtml(lines_html(lines, self.style_, pt, 2 if one_line else 1))
                self._room_width = max(self._room_width, probe.boundingRect().width())
        return max(shown, self._room_width)

    def _target_form(self) -> tuple[bool, float]:
        """(each output's target and error on one row, type size): one row where two
        lines would run into the next output's texts, in type a little smaller where even
        one row is taller than the outputs' spacing on screen."""
        pt = self.style_.pt(9.5)
        L = len(self._sizes) - 1
        if not self._sizes or self._sizes[L] < 2:
            return False, pt
        gap = float(self._pos[L][1, 1] - self._pos[L][0, 1]) * self._ppu_y
        key = (self.style_, pt)
        if getattr(self, "_row_key", None) != key:
            probe = GraphLabel()
            probe.setHtml(lines_html([("y1 = 0", "muted")], self.style_, pt))
            self._row_key, self._row_height = key, probe.boundingRect().height()
        row = self._row_height
        # the lines each output shows (at the end of the pass, to keep one form all along)
        rows = [len(self.state.target_room.get(j) or getattr(it, "lines", None) or [1])
                for j, it in sorted(self._target_items.items())]
        if gap >= max(a + b for a, b in zip(rows, rows[1:])) / 2 * row + 2:
            return False, pt
        return True, round(pt * max(0.75, min(1.0, (gap - 1) / row)), 1)

    def _set_target_html(self) -> None:
        """The targets' texts in the form the outputs' spacing allows (one row each: the
        last output's extra rows, the total error, hang below it, its own row centred)."""
        one_line, pt = self._target_form()
        last = len(self._target_items) - 1
        for j, item in self._target_items.items():
            lines = getattr(item, "lines", [])
            if not lines:
                continue
            _set_html(item, lines_html(lines, self.style_, pt, 2 if one_line else 1))
            rows = len(lines) - 1 if one_line and len(lines) > 1 else len(lines)
            item.set_anchor((0, 0.5 / rows if one_line and j == last else 0.5))

    def _place_texts(self) -> None:
        if not self._sizes:
            return
        px, py = self.view.viewPixelSize()
        self._place_node_texts(px, py)
        self._place_biases_and_captions(px, py)
        if self.compact:    # a thumbnail: the neurons' names only
            for item in (*self._value_items.values(), *self._target_items.values(),
                         *self._bias_items.values(), *self._caption_items.values()):
                _show(item, False)
        self._place_edge_labels(px, py)
        self._resolve_overlaps()

    def _roomy_layer(self, l: int, py: float) -> bool:
        """Is there room between neighbours for the text above/below each neuron?"""
        if self._sizes[l] < 2:
            return True
        lines = max((len(v) for (ll, _), v in self.state.node_text.items() if ll == l),
                    default=1 if l == 0 else 2)
        if not py > 0:   # not laid out yet (a lab made but never shown): no room
            return False
        gap = (self._pos[l][1, 1] - self._pos[l][0, 1]) / py
        return gap >= self._node_size(l) + (4 + 16 * lines) * self.style_.scale

    def _place_node_texts(self, px: float, py: float) -> None:
        """Names in the neurons (where they fit), values beside them (where there is
        room, and always the active neuron's), targets right of the outputs."""
        L = len(self._sizes) - 1
        fits = {l: self._node_size(l) >= 24 * self.style_.scale for l in range(L + 1)}
        roomy = {l: self._roomy_layer(l, py) for l in range(L + 1)}
        for (l, j), item in self._name_items.items():
            item.set_anchor((0.5, 0.5))   # in the circle (the placing moves a wide one out)
            item.setPos(*self._pos[l][j])
            _show(item, fits[l])
        for (l, j), item in self._value_items.items():
            if not roomy[l] and self.state.active != (l, j):
                _show(item, False)
            elif l == 0 or (l, j) in self.state.node_text:
                _show(item, bool(item.textItem.toPlainText()))
            x, y = self._pos[l][j]
            r = self._node_size(l) / 2 + 4
            if l == 0:
                item.setPos(x - r * px, y)
            else:   # upper half of the column: text above the neuron, lower half: below
                item.setPos(x, y - r * py if j < self._sizes[l] / 2 else y + r * py)
        self._set_target_html()   # (the spacing may have changed with the fit)
        for j, item in self._target_items.items():
            x, y = self._pos[L][j]
            item.setPos(x + (self._node_size(L) / 2 + 8) * px, y)

    def _place_biases_and_captions(self, px: float, py: float) -> None:
        """Bias values and layer captions only where they fit between the layers (not in
        a thumbnail such as the surface lab's picker, where they would run into each
        other)."""
        L = len(self._sizes) - 1
        gap = 1.0 / max(px, 1e-12)    # pixels from one layer to the next
        sc = self.style_.scale
        for l, item in self._bias_items.items():
            x, y = self._bias_pos[l]
            item.setPos(x + 14 * sc * px, y)
            fits = False
            for form in range(len(getattr(item, "forms", ()))):   # one line, else two
                item.form = form
                _set_html(item, item.forms[form])
                fits = (14 + 8) * sc + item.boundingRect().width() <= gap
                if fits:
                    break
            _show(item, self.net.shared_bias[l] and self.net.use_bias[l] and fits)
        items = [self._caption_items[l] for l in range(L + 1)]
        for form in (0, 1):   # in one line each where they fit, else in two
            for item in items:
                item.form = form
                _set_html(item, item.forms[form])
            widths = [item.boundingRect().width() for item in items]
            captions_fit = all((a + b) / 2 + 4 * sc <= gap for a, b in zip(widths, widths[1:]))
            if captions_fit:
                break
        for l, item in self._caption_items.items():
            _show(item, captions_fit)
            item.setPos(l, self._caption_y(l, py))

    def _caption_y(self, l: int, py: float) -> float:
        """Below the shared biases, else below the values under the neurons."""
        L = len(self._sizes) - 1
        if self._any_shared():
            return self._bias_pos[:, 1].max() + 14 * self.style_.scale * py
        if max(self._sizes) <= MAX_NODE_TEXT:
            return max(p[:, 1].max() for p in self._pos) + (
                max(self._node_size(ll) for ll in range(L + 1)) / 2 + 70
                * self.style_.scale) * py
        return self._pos[l][:, 1].max() + (self._node_size(l) / 2 + 4) * py

    def _place_edge_labels(self, px: float, py: float) -> None:
        """Weight labels a quarter of the way along the edge from the source neuron;
        hidden when labels are off or neighbouring labels would overlap on screen."""
        L = len(self._sizes) - 1
        crowded = False
        lines = max((len(self.state.edge_text.get(e, [1])) for _, e in self._edge_labels),
                    default=1)
        for l in range(L):
            if self._sizes[l] * self._sizes[l + 1] > 1:
                dy = 0.25 * min(1.0, np.diff(self._pos[l + 1][:, 1]).min()
                               if self._sizes[l + 1] > 1 else 1.0)
                crowded |= dy / max(py, 1e-12) < 14 * self.style_.scale * lines
        for item, (l, j, k) in self._edge_labels:
            a, b = self._pos[l][k], self._pos[l + 1][j]
            item.setPos(*(a + 0.25 * (b - a) + (4 * px, 0)))
            _show(item, self.weight_labels_on and not crowded and not self.compact)
