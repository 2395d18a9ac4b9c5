"""The Training lab's network, Playground-style: every neuron a small map of what it
computes over the input plane, edges coloured by sign and drawn as wide as |w|, +/- to
add or remove neurons and hidden layers, and the input features to click on and off.

A layer of more than :data:`~nnviz.engine.core.summary.MAX_SHOWN` neurons is summarised: evenly
spaced neurons of it and the weights between drawn neurons are drawn, its caption gives
its size and a line under the network says how it is summarised."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QRegion
from PySide6.QtWidgets import QToolButton, QToolTip, QWidget

from nnviz.engine.core.summary import shown_neurons, summary_text
from nnviz.views.style import Style
from nnviz.views.training import net_matrix
from nnviz.views.training.colours import rgb32
from nnviz.views.training.net_captions import column_captions, node_tip, paint_labels
from nnviz.views.training.net_edges import EdgeStrokes, segments


class NetView(QWidget):
    """Columns of neurons (inputs on the left) joined by their weights.

    Signals: ``chosen(layer, j)`` on a click on a neuron (neuron layers, 0 = inputs),
    ``hovered(layer, j)`` ((-1, -1) when the mouse leaves), ``feature_clicked(name)`` on a
    click on an input feature, ``resize(layer, delta)`` from a hidden layer's +/- and
    ``layers(delta)`` from the hidden-layer +/-.
    """

    chosen = Signal(int, int)
    hovered = Signal(int, int)
    feature_clicked = Signal(str)
    resize = Signal(int, int)
    layers = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setMinimumSize(160, 140)
        self.style_ = Style()
        self.sizes: list[int] = []
        self.shown: list[np.ndarray] = []  # per column, the neurons drawn (all but big layers)
        self.weights: list[np.ndarray] = []
        self.names: list[str] = []       # column 0: the input features (all offered)
        self.active: list[bool] = []     # which of them feed the network
        self.editable = True
        self._dropped: list[np.ndarray | None] | None = None  # greyed: dropped out last step
        self.selected: tuple[int, int] | None = None
        self.hover: tuple[int, int] | None = None
        self._images: list[list[tuple[QImage, QRect]]] = []
        self._arrays: list[np.ndarray] = []
        self._nodes: list[list[QRectF]] = []
        self._node_region: QRegion | None = None   # every node's rectangle (and its border)
        self._marks: tuple | None = None   # (hover, selected) as last painted
        self._compact = False   # the captions between the hidden layers' − and + (_layout)
        self._button_w = 20
        self.edges = EdgeStrokes()   # the weights' strokes, made again when they look different
        self.dense: list[bool] = []   # per weight layer: drawn as its matrix (net_matrix)
        self._matrix_key = b""
        self.add_layer = self._button("+", "Add a hidden layer (undo: Ctrl+Z)", lambda: 1)
        self.remove_layer = self._button("−", "Remove the last hidden layer", lambda: -1)
        self.plus: list[QToolButton] = []
        self.minus: list[QToolButton] = []

    def _button(self, text: str, tip: str, delta=None, layer: int = 0) -> QToolButton:
        b = QToolButton(self)
        b.setText(text)
        b.setToolTip(tip)
        b.setAutoRaise(False)
        if layer:
            b.clicked.connect(lambda: self.resize.emit(layer, 1 if text == "+" else -1))
        else:
            b.clicked.connect(lambda: self.layers.emit(delta()))
        return b

    # ------------------------------------------------------------ data
    def set_network(self, sizes: list[int], weights: list[np.ndarray], names: list[str],
                    active: list[bool], editable: bool) -> None:
        """The structure and weights; ``names``/``active``: the input column's features."""
        if list(sizes) != self.sizes or names != self.names or active != self.active:
            self.sizes, self.names, self.active = list(sizes), list(names), list(active)
            self.shown = ([np.arange(len(names))] if names else [shown_neurons(sizes[0])]) + [
                shown_neurons(n) for n in sizes[1:]]
            self._make_buttons()
            self._layout()
        self.editable = editable
        for b in self.plus + self.minus + [self.add_layer, self.remove_layer]:
            b.setVisible(editable)
        self.weights = weights
        drawn = self._drawn_weights()
        key = net_matrix.look_key([w for w, d in zip(drawn, self.dense) if d])
        if self.edges.set_weights([w for w, d in zip(drawn, self.dense) if not d]) \
                or key != self._matrix_key:   # a stroke changed bucket, a matrix its look
            self._matrix_key = key
            self.update()

    def _drawn_weights(self) -> list[np.ndarray]:
        """Each weight layer cut to the drawn neurons (its columns: the network's inputs in
        column 0 when it shows features)."""
        out = []
        for l, w in enumerate(self.weights):
            if l + 1 >= len(self.shown):
                return []
            cols = np.arange(w.shape[1]) if (l == 0 and self.names) else self.shown[l]
            rows = self.shown[l + 1]
            if len(rows) and rows[-1] >= w.shape[0] or len(cols) and cols[-1] >= w.shape[1]:
                return []
            out.append(w[np.ix_(rows, cols)])
        return out

    def summary(self) -> str:
        """The line under a summarised network saying what is drawn ("" if all is)."""
        big = sorted({n for n, sh in zip(self.sizes, self.shown) if len(sh) < n})
        text = ("Large layers summarised: " + "; ".join(summary_text(n) for n in big)
                + "; only the weights between drawn neurons are drawn.") if big else ""
        return " ".join(t for t in (text, net_matrix.NOTE if any(self.dense) else "") if t)

    def _pos(self, layer: int, j: int) -> int | None:
        """Where neuron j of a column is drawn (None: not drawn)."""
        if layer >= len(self.shown):
            return None
        k = int(np.searchsorted(self.shown[layer], j))
        return k if k < len(self.shown[layer]) and self.shown[layer][k] == j else None

    @property
    def dropped(self) -> list[np.ndarray | None] | None:   # per layer: greyed neurons
        return self._dropped

    @dropped.setter
    def dropped(self, masks: list[np.ndarray | None] | None) -> None:
        def key(m):   # None, or per neuron layer None or its mask's bytes
            return None if m is None else [None if x is None else x.tobytes() for x in m]
        if key(masks) != key(self._dropped):
            self.update()
        self._dropped = masks

    def set_images(self, rows: list) -> None:
        """Per neuron layer (inputs first) its neurons' maps: RGBA arrays (h, w, 4), row 0
        at the bottom, or an (n, h, w) stack of RGB32 pixels drawn as it is; None or empty:
        plain nodes."""
        images, arrays = [], []
        for imgs in rows:
            if imgs is None or not len(imgs):
                images.append([])
                continue
            if isinstance(imgs, np.ndarray) and imgs.dtype == np.uint32:
                arr = np.ascontiguousarray(imgs)
            else:
                arr = rgb32(np.stack(imgs)[:, ::-1])  # row 0 up
            n, h, w = arr.shape[:3]
            img = QImage(arr.data, w, n * h, 4 * w, QImage.Format.Format_RGB32)
            arrays.append(arr)
            images.append([(img, QRect(0, k * h, w, h)) for k in range(n)])
        same = [len(r) for r in images] == [len(r) for r in self._images]
        if same and not arrays and not any(self._images):
            return   # plain nodes before and after (the digits): nothing to repaint
        self._images, self._arrays = images, arrays
        if same and self._node_region is not None and self._marks == (self.hover, self.selected):
            self.update(self._node_region)   # only the maps changed: not edges, captions
        else:
            self.update()

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        self._layout()
        self.edges.invalidate()
        self.update()

    # ------------------------------------------------------------ geometry
    def _make_buttons(self) -> None:
        for b in self.plus + self.minus:
            b.hide()   # at once: deleteLater waits for the event loop, showing old buttons
            b.deleteLater()
        hidden = range(1, len(self.sizes) - 1)
        self.plus = [self._button("+", f"One more neuron in hidden layer {l}", layer=l)
                     for l in hidden]
        self.minus = [self._button("−", f"One neuron less in hidden layer {l}", layer=l)
                      for l in hidden]
        for b in self.plus + self.minus:
            b.show()

    def image_counts(self) -> list[int]:
        """How many small maps each column shows (inputs first)."""
        return [len(r) for r in self._images]

    def node_rect(self, layer: int, j: int) -> QRectF:
        """Where neuron j of neuron layer ``layer`` is drawn (column 0: offered features);
        KeyError for a neuron a summarised layer does not draw."""
        k = self._pos(layer, j)
        if k is None:
            raise KeyError(f"neuron {j + 1} of layer {layer} is not drawn")
        return self._nodes[layer][k]

    def chrome_height(self) -> int:
        """The height of what is not the network itself: the buttons and captions above
        it, the summary below."""
        return self._header() + 4 + self._footer_height()

    def _header(self) -> int:
        """Above the nodes: the layer buttons, the neuron buttons, the column captions."""
        return int(self._caption_y() + self.fontMetrics().height() + 4)

    def _caption_y(self) -> int:
        fm = self.fontMetrics()
        if self._compact:   # between each hidden layer's − and +
            return int(fm.height() + 10 + 3)
        return int(2 * (fm.height() + 8) + 4)

    def captions(self) -> list[tuple[str, QRectF]]:
        """Each column's caption and where it is drawn (net_captions.py)."""
        return column_captions(self)

    def _layout(self) -> None:
        """Node rectangles and button positions for the widget's size."""
        fm = self.fontMetrics()
        sizes = list(self.sizes)
        if not sizes:
            self._nodes = []
            self._node_region = None
            return
        counts = [len(sh) for sh in self.shown]
        label_w = (max(fm.horizontalAdvance(n) for n in self.names) + 8) if self.names else 4
        left, right = label_w, self.width() - 4
        gap = (right - left) / max(1, len(counts))
        bw = self._button_w = int(min(fm.horizontalAdvance("+") * 2.6 + 8, gap * 0.46))
        self._compact = all(fm.horizontalAdvance(f"{n:,}") + 2 * bw + 8 <= 0.95 * gap
                            for n in sizes[1:-1])
        self.dense = []
        self._place_nodes(counts, left, gap)
        self.dense = net_matrix.dense_layers(self._nodes)
        if any(self.dense):   # the footer's note on reading the matrices takes room
            self._place_nodes(counts, left, gap)
        self._node_region = QRegion()
        for col in self._nodes:
            for r in col:
                self._node_region += r.toAlignedRect().adjusted(-1, -1, 1, 1)
        # the hidden-layer buttons: "+ −" above each hidden column, in the second header row
        bh = fm.height() + 6
        row2 = fm.height() + 10
        for i, (p, m) in enumerate(zip(self.plus, self.minus)):
            cx = left + gap * (i + 1.5)
            half = fm.horizontalAdvance(f"{sizes[i + 1]:,}") / 2 + 4 if self._compact else 1
            m.setGeometry(int(cx - half - bw), row2, bw, bh)
            p.setGeometry(int(cx + half), row2, bw, bh)
        lw = int(fm.horizontalAdvance("+") * 2.6 + 8)
        self.remove_layer.setGeometry(2, 2, lw, bh - 2)
        self.add_layer.setGeometry(2 + lw + 2, 2, lw, bh - 2)
        self.edges.invalidate()

    def _place_nodes(self, counts: list[int], left: float, gap: float) -> None:
        top, bottom = self._header(), self.height() - 4 - self._footer_height()
        avail = max(10, bottom - top)
        self._nodes = []
        for l, n in enumerate(counts):
            # each column as large as its neurons allow (a few features: large nodes)
            s = max(3.0, min(0.62 * gap, avail / (n * 1.18), 80 * self.style_.scale))
            cx = left + gap * (l + 0.5)
            step = min(avail / n, s * 1.35)
            y0 = top + (avail - step * n) / 2 + (step - s) / 2
            self._nodes.append([QRectF(cx - s / 2, y0 + k * step, s, s) for k in range(n)])

    def _footer_height(self) -> int:
        text = self.summary()
        if not text:
            return 0
        r = self.fontMetrics().boundingRect(QRect(0, 0, max(50, self.width() - 8), 1000),
                                            int(Qt.TextFlag.TextWordWrap.value), text)
        return r.height() + 6

    def resizeEvent(self, _ev) -> None:  # noqa: N802 - Qt API
        self._layout()

    def changeEvent(self, ev) -> None:  # noqa: N802 - Qt API
        super().changeEvent(ev)
        if ev.type() == ev.Type.FontChange:
            self._layout()

    def _inputs(self) -> list[int]:
        """Node index in column 0 of each network input."""
        if not self.names:
            return list(range(len(self.shown[0]) if self.shown else 0))
        return [i for i, a in enumerate(self.active) if a]

    def _segments(self) -> np.ndarray:
        """Every drawn edge's (x0, y0, x1, y1, w) between the laid-out nodes."""
        drawn = self._drawn_weights()
        if (not self._nodes or len(self.weights) != len(self.sizes) - 1
                or len(drawn) != len(self.weights)):
            return np.zeros((0, 5))
        columns = self._columns()
        parts = [segments([w], columns[l:l + 2]) for l, w in enumerate(drawn)
                 if not (l < len(self.dense) and self.dense[l])]
        return np.concatenate(parts) if parts else np.zeros((0, 5))

    def _columns(self) -> list[list[QRectF]]:   # the nodes; of the inputs, the active ones
        return [[self._nodes[0][i] for i in self._inputs()], *self._nodes[1:]]

    def matrices(self) -> list[tuple[int, np.ndarray, QRectF]]:
        """(layer, W, where it is drawn) of each weight layer drawn as its matrix."""
        drawn = self._drawn_weights()
        if len(drawn) != len(self.weights) or not self._nodes:
            return []
        columns = self._columns()
        return [(l, w, net_matrix.matrix_rect(columns[l], columns[l + 1]))
                for l, w in enumerate(drawn) if l < len(self.dense) and self.dense[l]
                and columns[l] and columns[l + 1] and w.shape == (len(columns[l + 1]),
                                                                  len(columns[l]))]

    def _edge_picture(self):
        """The edges, stroked once into a pixmap when the weights, the size or the style
        change (at most four times a second while training runs); a frame that only
        recolours the neurons' maps copies it."""
        return self.edges.picture(self.size(), self.devicePixelRatioF(), self._segments,
                                  self.style_)

    def paintEvent(self, ev) -> None:  # noqa: N802 - Qt API
        edges = self._edge_picture()
        p = QPainter(self)
        p.drawPixmap(0, 0, edges)
        net_matrix.paint(p, self.matrices(), self.style_)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = self.style_
        fg, muted = QColor(s.foreground), QColor(s.muted)
        ins = set(self._inputs())
        for l, col in enumerate(self._nodes):
            imgs = self._images[l] if l < len(self._images) else []
            gone = self._dropped[l] if self._dropped and l < len(self._dropped) else None
            for j, r in enumerate(col):
                jj = self.shown[l][j] if l < len(self.shown) and j < len(self.shown[l]) else j
                on = (l > 0 or j in ins) and not (gone is not None and jj < len(gone) and gone[jj])
                p.setOpacity(1.0 if on else 0.3)
                if j < len(imgs):
                    img, src = imgs[j]
                    p.drawImage(r, img, QRectF(src))
                    p.setBrush(Qt.BrushStyle.NoBrush)
                else:
                    p.setBrush(QColor(s.panel))
                p.setPen(QPen(fg if on else muted, 1))
                p.drawRect(r) if j < len(imgs) else p.drawEllipse(r)
        p.setOpacity(1.0)
        self._marks = (self.hover, self.selected)
        for mark, colour in ((self.hover, muted), (self.selected, QColor(s.highlight))):
            k = None if mark is None else self._pos(*mark)
            if k is not None and mark[0] < len(self._nodes) and k < len(self._nodes[mark[0]]):
                p.setPen(QPen(colour, 3 * s.scale))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(self._nodes[mark[0]][k].adjusted(-3, -3, 3, 3))
        if self._node_region is None or not ev.region().subtracted(self._node_region).isEmpty():
            self._paint_labels(p, fg, muted)   # (a frame that repaints only the nodes: none)
        p.end()

    def _paint_labels(self, p: QPainter, fg: QColor, muted: QColor) -> None:
        paint_labels(self, p, fg, muted)

    # ------------------------------------------------------------ mouse
    def node_at(self, pos) -> tuple[int, int] | None:
        for l, col in enumerate(self._nodes):
            for j, r in enumerate(col):
                if r.adjusted(-2, -2, 2, 2).contains(QPointF(pos)):
                    return l, int(self.shown[l][j]) if l < len(self.shown) else j
        return None

    def mouseMoveEvent(self, ev) -> None:  # noqa: N802 - Qt API
        hit = self.node_at(ev.position())
        if hit != self.hover:
            self.hover = hit
            self.hovered.emit(*(hit if hit else (-1, -1)))
            self.update()

    def leaveEvent(self, _ev) -> None:  # noqa: N802 - Qt API
        if self.hover is not None:
            self.hover = None
            self.hovered.emit(-1, -1)
            self.update()

    def mousePressEvent(self, ev) -> None:  # noqa: N802 - Qt API
        hit = self.node_at(ev.position())
        if hit is None:
            return
        if hit[0] == 0 and self.names:
            self.feature_clicked.emit(self.names[hit[1]])
        else:
            self.chosen.emit(*hit)

    def event(self, ev) -> bool:
        if ev.type() == ev.Type.ToolTip:
            hit = self.node_at(ev.pos())
            text = self.tip(*hit) if hit else net_matrix.cell_tip(self.matrices(), ev.pos())
            if text is None:
                QToolTip.hideText()
                return True
            QToolTip.showText(ev.globalPos(), text, self)
            return True
        return super().event(ev)

    def tip(self, layer: int, j: int) -> str:
        return node_tip(self, layer, j)
