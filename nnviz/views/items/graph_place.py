"""Where the network graph's texts go: each label measured as a rectangle on screen and
put at the first of a few candidate places where it covers no neuron and no other label
(or hidden, if it fits nowhere). The active neuron's values are placed first."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF

from nnviz.views.items.graph_texts import MAX_NODE_TEXT
from nnviz.views.items.graph_weights import Rect, WeightsMixin
from nnviz.views.items.graph_weights import hits as _hits


class PlacingMixin(WeightsMixin):
    """Overlap-free placement for NetworkGraphWidget (after TextsMixin placed defaults)."""

    def _device_map(self):
        """view point (x, y) -> pixel point, as an origin and a scale per axis."""
        o = self.view.mapViewToDevice(QPointF(0.0, 0.0))
        e = self.view.mapViewToDevice(QPointF(1.0, 1.0))
        if o is None or e is None:
            return None
        ox, oy = o.x(), o.y()
        sx, sy = e.x() - ox, e.y() - oy
        return lambda x, y: (ox + sx * x, oy + sy * y)

    def _label_rect(self, item, dev, x: float, y: float, anchor) -> Rect:
        r = item.textItem.boundingRect()   # pixels: the label ignores the zoom
        px, py = dev(x, y)
        x0, y0 = px - anchor[0] * r.width(), py - anchor[1] * r.height()
        return x0, y0, x0 + r.width(), y0 + r.height()

    def _view_bounds(self) -> Rect:
        """The view box on screen, in the pixels the device map gives (the box sits a
        few pixels into the graphics view: (0, 0, width, height) let texts stick out)."""
        vw = self.view_widget
        r = vw.mapFromScene(self.view.sceneBoundingRect()).boundingRect()
        r = r.intersected(vw.viewport().rect())
        return float(r.left()), float(r.top()), float(r.left() + r.width()), \
            float(r.top() + r.height())

    def node_rects(self) -> list[Rect]:
        """The neurons' (and bias nodes') squares on screen, in the view's pixels."""
        dev = self._device_map()
        if dev is None or not self._sizes:
            return []
        out = []
        for l, n in enumerate(self._sizes):
            if n > MAX_NODE_TEXT:
                continue
            h = self._node_size(l) / 2
            for x, y in self._pos[l]:
                cx, cy = dev(x, y)
                out.append((cx - h, cy - h, cx + h, cy + h))
        h = 9 * self.style_.scale
        for l in range(len(self._sizes) - 1):
            if self.net is not None and self.net.use_bias[l] and self.net.shared_bias[l]:
                cx, cy = dev(*self._bias_pos[l])
                out.append((cx - h, cy - h, cx + h, cy + h))
        return out

    def text_rects(self, names: bool = True) -> list[tuple[str, Rect]]:
        """(plain text, rectangle) of every visible label, in the view's pixels
        (``names=False``: without the neurons' names, which sit inside their circles)."""
        dev = self._device_map()
        if dev is None:
            return []
        out = []
        inside = set() if names else {id(t) for t in self._name_items.values()}
        for item in self._texts + [t for t, _ in self._edge_labels]:
            if item.isVisible() and id(item) not in inside:
                p = item.pos()
                out.append((item.toPlainText(), self._label_rect(item, dev, p.x(), p.y(),
                                                                 item.anchor)))
        return out

    def _try(self, item, spots, taken: list[Rect], dev, bounds: Rect) -> bool:
        """Put ``item`` at the first free spot ((x, y, anchor) in view units); hide it if
        none is free."""
        for x, y, anchor in spots:
            r = self._label_rect(item, dev, x, y, anchor)
            inside = r[0] >= bounds[0] and r[2] <= bounds[2] and r[1] >= bounds[1] \
                and r[3] <= bounds[3]
            if inside and not _hits(r, taken):
                item.set_anchor(anchor)
                item.setPos(x, y)
                taken.append(r)
                item.setVisible(True)
                return True
        item.setVisible(False)
        return False

    def _value_spots(self, l: int, j: int, px: float, down: float, roomy: bool = True):
        """Where neuron (l, j)'s values may go. In a layer without room for every
        neuron's values (``roomy`` False: only the active one's are shown) not beside the
        neuron, where its label would cover the edges running in, but above the top
        neuron of the column or below the bottom one, where it is free."""
        x, y = self._pos[l][j]
        r = self._node_size(l) / 2 + 4
        # above or below, a little further out if a neighbour's text is in the way,
        # before beside it (there the edges and their weight labels are)
        sc = self.style_.scale
        above = [(x, y - (r + d * sc) * down, (0.5, 1.0)) for d in (0, 6, 12, 20)]
        below = [(x, y + (r + d * sc) * down, (0.5, 0.0)) for d in (0, 6, 12, 20)]
        right, left = (x + r * px, y, (0.0, 0.5)), (x - r * px, y, (1.0, 0.5))
        if l == 0:
            return [left, *above[:1], *below[:1]]
        first = [*above, *below] if j < self._sizes[l] / 2 else [*below, *above]
        if roomy:
            return first + [right, left]
        ys = self._pos[l][:, 1]
        top, bottom = (ys.min(), ys.max()) if down > 0 else (ys.max(), ys.min())
        ends = [(x, top - (r + d * sc) * down, (0.5, 1.0)) for d in (0, 12)] + \
            [(x, bottom + (r + d * sc) * down, (0.5, 0.0)) for d in (0, 12)]
        return first[:1] + first[4:5] + ends

    def _resolve_overlaps(self) -> None:
        """Place every shown text where it overlaps nothing (see the module docstring)."""
        dev = self._device_map()
        if dev is None or self.compact or not self._sizes:
            return
        px, py = self.view.viewPixelSize()
        if not (px > 0 and py > 0):
            return
        # view units per pixel downwards on the screen
        down = py if dev(0.0, 1.0)[1] > dev(0.0, 0.0)[1] else -py
        bounds = self._view_bounds()
        taken = self.node_rects()
        fixed = [*self._target_items.values()]
        for item in fixed:
            if item.isVisible():
                p = item.pos()
                taken.append(self._label_rect(item, dev, p.x(), p.y(), item.anchor))
        self._place_wide_names(px, down, taken, dev, bounds)
        # (a crowded layer shows the active neuron's values only: the others' would go
        # beside their neurons, over the edges)
        roomy = {l: self._roomy_layer(l, py) for l in range(len(self._sizes))}
        values = [(k, it) for k, it in self._value_items.items() if it.toPlainText().strip()
                  and (k[0] == 0 or k in self.state.node_text)
                  and (roomy[k[0]] or k == self.state.active)]
        values.sort(key=lambda kv: kv[0] != self.state.active)
        for (l, j), item in values:
            self._try(item, self._value_spots(l, j, px, down, roomy[l]), taken, dev, bounds)
        gap = 1.0 / max(px, 1e-12)    # pixels from one layer to the next
        for l, item in self._bias_items.items():
            # beside its square where the value (in one line or two: _place_texts chose)
            # is narrower than a layer's step, else under it (layers close together on a
            # projector: "b1 = 0.35" went missing)
            if self.net.shared_bias[l] and self.net.use_bias[l]:
                x, y = self._bias_pos[l]
                s = 14 * self.style_.scale
                beside = [(x + s * px, y, (0.0, 0.5)), (x - s * px, y, (1.0, 0.5))]
                below = (x, y + s * down, (0.5, 0.0))
                narrow = item.boundingRect().width() <= 0.95 * gap
                self._try(item, [beside[0], below, beside[1]] if narrow else [below],
                          taken, dev, bounds)
        if self.weight_labels_on:
            self._place_weights(taken, dev, bounds)
        for item in self._caption_items.values():
            if item.isVisible():   # the layer captions: where placed, or a little lower
                p = item.pos()   # set afresh by _place_texts before every placing
                spots = [(p.x(), p.y() + d * down, item.anchor)
                         for d in (0, 8, 16, 24, 40, 56, 72)]
                self._try(item, spots, taken, dev, bounds)


    def _place_wide_names(self, px: float, down: float, taken: list[Rect], dev,
                          bounds: Rect) -> None:
        """A name wider than its circle ("prediction") below the neuron, else above or
        left of it, where it covers nothing."""
        for (l, j), item in self._name_items.items():
            if not item.isVisible() or item.boundingRect().width() <= self._node_size(l):
                continue
            x, y = self._pos[l][j]
            r = self._node_size(l) / 2 + 2
            ds = [d * self.style_.scale for d in (0, 6, 12)]
            spots = [(x, y + (r + d) * down, (0.5, 0.0)) for d in ds]
            spots += [(x, y - (r + d) * down, (0.5, 1.0)) for d in ds]
            self._try(item, spots + [(x - r * px, y, (1.0, 0.5))], taken, dev, bounds)


def overlapping(rects: list[tuple[str, Rect]]) -> list[tuple[str, str]]:
    """Pairs of texts whose rectangles overlap (for tests and checks)."""
    out = []
    arr = np.array([r for _, r in rects], float).reshape(-1, 4)
    for i in range(len(rects)):
        for j in range(i + 1, len(rects)):
            a, b = arr[i], arr[j]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                out.append((rects[i][0], rects[j][0]))
    return out
