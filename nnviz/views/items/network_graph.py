"""The network graph: neurons by layer, edges coloured by sign, live values.

Reusable by every lab. API (kept stable):

``NetworkGraphWidget(parent=None)`` — a QWidget (pyqtgraph view + legend line).

- ``set_network(net, naming=None)``: structure and weights (re-lays out only when the
  sizes change). ``naming`` is an engine ``Naming`` (labels i1/h1/w5 or a^l_j).
- ``set_inputs(x)`` / ``set_targets(y)``: the example shown at the edges (None hides).
- ``set_state(GraphState | None)``: what to show on top of the network: node fill
  values, text lines beside neurons, weight-label texts, the active neuron,
  highlighted and gradient edges, and optional weights/biases to draw instead of
  the network's (e.g. half-updated weights).
- ``set_dropped(masks)``: list of per-layer boolean arrays (None = none dropped);
  dropped neurons are drawn grey and their edges muted.
- ``set_selected(neuron=None, edge=None)``: ring a neuron (layer, j) or an edge (l, j, k).
- ``show_weight_labels(on)``, ``fit()``, ``zoom(factor | None)``, ``apply_style(style)``.
- Signals ``neuron_clicked(layer, j)`` (layer 0 = inputs), ``bias_clicked(l, j)`` (weight
  layer l, 0-based), ``edge_clicked(l, j, k)`` (weight w[l][j, k]),
  ``weight_dragged(l, j, k, delta)`` (vertical drag or Shift+wheel on an edge; the owner
  decides what to do with the change).
- ``label_texts()``: the plain text of every visible label (for tests and export).

Edges are drawn as at most a dozen batched ``QGraphicsPathItem``s (sign x magnitude
bucket plus overlays), never one item per edge, so 784-100-10 (79,400 edges) stays
light; weight labels and per-neuron text appear only where they fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QLabel, QVBoxLayout, QWidget

from nnviz.engine.naming import Naming, fmt
from nnviz.views.style import Style, current_style

MAX_NODE_TEXT = 16     # layers larger than this get no per-neuron labels
MAX_EDGE_LABELS = 48   # more edges than this: weight labels are culled
N_BUCKETS = 4


@dataclass
class GraphState:
    """What the graph shows on top of the network; every field is optional.

    ``node_values[l]``: (n_l,) values filling the circles of layer l (NaN = unknown).
    ``node_text[(l, j)]``: lines ``(text, role)`` shown beside neuron j of layer l,
    role one of "value", "gradient", "muted", "highlight".
    ``edge_text[(l, j, k)]``: lines replacing the default label of weight w[l][j, k].
    ``target_text[j]``: lines shown right of output neuron j (replace the default).
    ``active``: the spotlighted neuron (layer, j).
    ``active_edges`` / ``gradient_edges``: per weight layer boolean (n_out, n_in) masks.
    ``weights`` / ``biases``: arrays drawn instead of the network's.
    """

    node_values: list[np.ndarray] | None = None
    node_text: dict[tuple[int, int], list[tuple[str, str]]] = field(default_factory=dict)
    edge_text: dict[tuple[int, int, int], list[tuple[str, str]]] = field(default_factory=dict)
    target_text: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    active: tuple[int, int] | None = None
    active_edges: list[np.ndarray] | None = None
    gradient_edges: list[np.ndarray] | None = None
    weights: list[np.ndarray] | None = None
    biases: list[np.ndarray] | None = None


def _lines_html(lines: list[tuple[str, str]], style: Style, size: float) -> str:
    colours = {"value": style.foreground, "gradient": style.gradient, "muted": style.muted,
               "highlight": style.highlight, "positive": style.positive,
               "negative": style.negative}
    rows = [f'<span style="color:{colours.get(role, style.foreground)}">'
            f'{_esc(text)}</span>' for text, role in lines]
    return (f'<div style="font-size:{size:.1f}pt; font-family:sans-serif">'
            + "<br>".join(rows) + "</div>")


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _translucent(c: str, alpha: int) -> QColor:
    q = QColor(c)
    q.setAlpha(alpha)
    return q


def _mix(a: str, b: str, t: float) -> QColor:
    ca, cb = QColor(a), QColor(b)
    t = float(min(1.0, max(0.0, t)))
    return QColor(int(ca.red() + (cb.red() - ca.red()) * t),
                  int(ca.green() + (cb.green() - ca.green()) * t),
                  int(ca.blue() + (cb.blue() - ca.blue()) * t))


class _GraphViewBox(pg.ViewBox):
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


class NetworkGraphWidget(QWidget):
    """The network drawn as circles and batched edge paths. See the module docstring."""

    neuron_clicked = Signal(int, int)
    bias_clicked = Signal(int, int)
    edge_clicked = Signal(int, int, int)
    weight_dragged = Signal(int, int, int, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.style_ = current_style()
        self.editable = True
        self.net = None
        self.naming: Naming | None = None
        self.x: np.ndarray | None = None
        self.y: np.ndarray | None = None
        self.state = GraphState()
        self.dropped: list[np.ndarray | None] | None = None
        self.selected_neuron: tuple[int, int] | None = None
        self.selected_edge: tuple[int, int, int] | None = None
        self.weight_labels_on = True
        self._sizes: list[int] = []
        self.view_widget = pg.GraphicsLayoutWidget()
        self.view = _GraphViewBox(self)
        self.view_widget.addItem(self.view)
        self.legend = QLabel()
        self.legend.setObjectName("graph-legend")
        self.legend.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.view_widget, 1)
        lay.addWidget(self.legend)
        self.nodes = pg.ScatterPlotItem(pxMode=True)
        self.nodes.setZValue(10)
        self.bias_nodes = pg.ScatterPlotItem(pxMode=True, symbol="s")
        self.bias_nodes.setZValue(10)
        for it in (self.nodes, self.bias_nodes):   # clicks go to the view box's picking
            it.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.edge_items = [QGraphicsPathItem() for _ in range(2 * N_BUCKETS)]
        self.muted_item = QGraphicsPathItem()
        self.bias_edge_item = QGraphicsPathItem()
        self.gradient_item = QGraphicsPathItem()
        self.active_item = QGraphicsPathItem()
        self.selected_item = QGraphicsPathItem()
        for z, it in enumerate([self.muted_item, self.bias_edge_item, *self.edge_items,
                                self.gradient_item, self.active_item, self.selected_item]):
            it.setZValue(1 + z * 0.1)
            self.view.addItem(it)
        self.view.addItem(self.nodes)
        self.view.addItem(self.bias_nodes)
        self._texts: list[pg.TextItem] = []   # neuron names, values, targets, biases, captions
        self._edge_labels: list[tuple[pg.TextItem, tuple[int, int, int]]] = []
        self._auto_fit = True
        self.view.sigTransformChanged.connect(self._place_texts)
        self.view.sigResized.connect(self._on_resized)
        self.view.sigRangeChangedManually.connect(self._on_manual_range)
        self.view_widget.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self.apply_style(self.style_)

    # ------------------------------------------------------------ public API
    def set_network(self, net, naming: Naming | None = None) -> None:
        """Show ``net`` (an engine Network), named by ``naming`` (default: layer notation)."""
        self.net = net
        self.naming = naming or Naming.layered(net.sizes)
        if net.sizes != self._sizes:
            self._sizes = list(net.sizes)
            self.state, self.dropped = GraphState(), None   # they belonged to the old shape
            self.selected_neuron = self.selected_edge = None
            self._layout()
            self._redraw()
            self.fit()
        else:
            self._redraw()

    def set_inputs(self, x: np.ndarray | None) -> None:
        self.x = None if x is None else np.asarray(x, float).reshape(-1)
        self._redraw_texts()

    def set_targets(self, y: np.ndarray | None) -> None:
        self.y = None if y is None else np.asarray(y, float).reshape(-1)
        self._redraw_texts()

    def set_state(self, state: GraphState | None) -> None:
        self.state = state or GraphState()
        self._redraw()

    def set_dropped(self, masks: list[np.ndarray | None] | None) -> None:
        self.dropped = masks
        self._redraw()

    def set_selected(self, neuron: tuple[int, int] | None = None,
                     edge: tuple[int, int, int] | None = None) -> None:
        self.selected_neuron, self.selected_edge = neuron, edge
        self._redraw_nodes()
        self._redraw_selected_edge()

    def show_weight_labels(self, on: bool) -> None:
        self.weight_labels_on = bool(on)
        self._place_texts()

    def fit(self) -> None:
        if self._sizes:
            L = len(self._sizes) - 1
            ys = np.concatenate([p[:, 1] for p in self._pos] + [self._bias_pos[:, 1]])
            self._auto_fit = True
            small = max(self._sizes) <= MAX_NODE_TEXT
            # margins in pixels for the input values (left) and targets/errors (right)
            sc = self.style_.scale
            lpx = (60 if small else 20) * sc
            rpx = (175 if self._sizes[-1] <= MAX_NODE_TEXT else 20) * sc
            wpx = max(200.0, float(self.view.width()) or 600.0)
            span = L + 0.3
            ppu = max(40.0, (wpx - lpx - rpx) / span)
            self.view.setRange(xRange=(-0.15 - lpx / ppu, L + 0.15 + rpx / ppu),
                               yRange=(ys.min() - (0.85 if small else 0.3), ys.max() + 0.4),
                               padding=0)

    def zoom(self, factor: float | None) -> None:
        if factor is None:
            self.fit()
        else:
            self._auto_fit = False
            self.view.scaleBy((1 / factor, 1 / factor))

    def _on_resized(self) -> None:
        if self._auto_fit:
            self.fit()

    def _on_manual_range(self, *_) -> None:
        self._auto_fit = False

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        self.view_widget.setBackground(style.background)
        s = style
        sw = '<span style="color:{c}; font-weight:bold">━━</span> {t}'
        self.legend.setText("&nbsp;&nbsp;".join([
            sw.format(c=s.positive, t="positive weight"),
            sw.format(c=s.negative, t="negative weight"),
            sw.format(c=s.gradient, t="gradient dC/dw known"),
            sw.format(c=s.highlight, t="active step"),
            "width ∝ |w|, fill ∝ activation"]))
        f = self.legend.font()
        f.setPointSizeF(s.pt(9))
        self.legend.setFont(f)
        self.legend.setStyleSheet(f"color:{s.foreground}; background:{s.background};")
        self._redraw()
        if getattr(self, "_auto_fit", False) and self._sizes:
            self.fit()

    def label_texts(self) -> list[str]:
        """Plain text of every visible label item (neuron values, weights, targets...)."""
        items = self._texts + [t for t, _ in self._edge_labels]
        return [t.textItem.toPlainText() for t in items if t.isVisible()]

    def item_count(self) -> int:
        """Number of graphics items in the view (stays small for any network size)."""
        return len(self.view_widget.scene().items())

    # ------------------------------------------------------------ geometry
    def _layout(self) -> None:
        sizes = self._sizes
        self._pos = []
        for l, n in enumerate(sizes):
            gap = 1.0 if n <= MAX_NODE_TEXT else MAX_NODE_TEXT / n
            ys = (np.arange(n) - (n - 1) / 2) * gap
            self._pos.append(np.column_stack([np.full(n, float(l)), ys]))
        low = max(p[:, 1].max() for p in self._pos) + 1.05
        bp = [(l + 0.5, low) for l in range(len(sizes) - 1)]
        self._bias_pos = np.array(bp, float).reshape(-1, 2)
        # all edges, flattened per layer in w[l].ravel() order (j major, k minor)
        self._edge_src, self._edge_dst, self._edge_layer = [], [], []
        for l in range(len(sizes) - 1):
            n_in, n_out = sizes[l], sizes[l + 1]
            self._edge_src.append(np.tile(self._pos[l], (n_out, 1)))
            self._edge_dst.append(np.repeat(self._pos[l + 1], n_in, axis=0))
        self._src = np.concatenate(self._edge_src)
        self._dst = np.concatenate(self._edge_dst)
        self._offsets = np.cumsum([0] + [sizes[l] * sizes[l + 1] for l in range(len(sizes) - 1)])
        self._make_texts()

    def _edge_index(self, i: int) -> tuple[int, int, int]:
        l = int(np.searchsorted(self._offsets, i, side="right") - 1)
        r = i - self._offsets[l]
        n_in = self._sizes[l]
        return l, int(r // n_in), int(r % n_in)

    def _node_size(self, l: int) -> float:
        n = self._sizes[l]
        base = 44 * self.style_.scale
        return base if n <= MAX_NODE_TEXT else max(3.0, min(base, 500.0 / n))

    # ------------------------------------------------------------ texts
    def _make_texts(self) -> None:
        for t in self._texts + [t for t, _ in self._edge_labels]:
            self.view.removeItem(t)
        self._texts, self._edge_labels = [], []
        self._name_items: dict[tuple[int, int], pg.TextItem] = {}
        self._value_items: dict[tuple[int, int], pg.TextItem] = {}
        self._target_items: dict[int, pg.TextItem] = {}
        self._bias_items: dict[int, pg.TextItem] = {}
        self._caption_items: dict[int, pg.TextItem] = {}
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
                t = pg.TextItem(anchor=(0, 0.5))
                t.setZValue(5)   # under the neurons
                self.view.addItem(t)
                self._edge_labels.append((t, self._edge_index(i)))

    def _add_text(self, anchor) -> pg.TextItem:
        t = pg.TextItem(anchor=anchor)
        t.setZValue(20)
        self.view.addItem(t)
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
        L = len(self._sizes) - 1
        for (l, j), item in self._name_items.items():
            item.setHtml(f'<div style="font-size:{s.pt(10):.1f}pt; font-weight:bold; '
                         f'color:{s.foreground}">{_esc(nm.label(l, j))}</div>')
        for (l, j), item in self._value_items.items():
            lines = list(st.node_text.get((l, j), []))
            if l == 0 and not lines and self.x is not None and j < len(self.x):
                lines = [(fmt(self.x[j]), "value")]
            item.setHtml(_lines_html(lines, s, pt))
            item.setVisible(bool(lines))
            item.fill = pg.mkBrush(_translucent(s.background, 200))
        for j, item in self._target_items.items():
            lines = list(st.target_text.get(j, []))
            if not lines and self.y is not None and j < len(self.y):
                lines = [(f"{nm.target(j)} = {fmt(self.y[j])}", "muted")]
            item.setHtml(_lines_html(lines, s, pt))
            item.setVisible(bool(lines))
        b = self._biases()
        for l, item in self._bias_items.items():
            shared = self.net.shared_bias[l] and self.net.use_bias[l]
            item.setVisible(bool(shared))
            if shared:
                item.setHtml(_lines_html([(f"{nm.bias(l, 0)} = {fmt(b[l][0])}", "value")], s, pt))
        for l, item in self._caption_items.items():
            n = self._sizes[l]
            kind = "inputs" if l == 0 else ("output" if l == L else "hidden")
            act = "" if l == 0 else f" · {self.net.activations[l - 1].name}"
            item.setHtml(_lines_html([(f"{n} {kind}{act}", "muted")], s, s.pt(9)))
        w = self._weights()
        for item, (l, j, k) in self._edge_labels:
            lines = st.edge_text.get((l, j, k))
            if lines is None:
                lines = [(f"{nm.weight(l, j, k)} = {fmt(w[l][j, k])}",
                          "positive" if w[l][j, k] >= 0 else "negative")]
            item.setHtml(_lines_html(lines, s, s.pt(9)))
            item.fill = pg.mkBrush(QColor(s.background))
        self._place_texts()

    def _place_texts(self) -> None:
        if not self._sizes:
            return
        px, py = self.view.viewPixelSize()
        L = len(self._sizes) - 1
        for (l, j), item in self._name_items.items():
            item.setPos(*self._pos[l][j])
        for (l, j), item in self._value_items.items():
            x, y = self._pos[l][j]
            r = self._node_size(l) / 2 + 4
            if l == 0:
                item.setPos(x - r * px, y)
            else:   # upper half of the column: text above the neuron, lower half: below
                item.setPos(x, y - r * py if j < self._sizes[l] / 2 else y + r * py)
        for j, item in self._target_items.items():
            x, y = self._pos[L][j]
            item.setPos(x + (self._node_size(L) / 2 + 8) * px, y)
        for l, item in self._bias_items.items():
            x, y = self._bias_pos[l]
            item.setPos(x + 14 * self.style_.scale * px, y)
        for l, item in self._caption_items.items():
            ys = self._pos[l][:, 1]
            low = self._bias_pos[:, 1].max() if len(self._bias_pos) else ys.max()
            item.setPos(l, max(ys.max() + (self._node_size(l) / 2 + 4) * py,
                               low + 14 * self.style_.scale * py))
        # weight labels a third of the way along the edge from the source neuron; hidden
        # when labels are off or neighbouring labels would overlap on screen
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
            item.setVisible(self.weight_labels_on and not crowded)

    # ------------------------------------------------------------ drawing
    def _redraw(self) -> None:
        if self.net is None or not self._sizes:
            return
        self._redraw_nodes()
        self._redraw_edges()
        self._redraw_selected_edge()
        self._redraw_texts()

    def _redraw_nodes(self) -> None:
        if self.net is None or not self._sizes:
            return
        s, st = self.style_, self.state
        pos, sizes, brushes, pens = [], [], [], []
        for l, n in enumerate(self._sizes):
            vals = None
            if st.node_values is not None and l < len(st.node_values):
                vals = st.node_values[l]
            elif l == 0 and self.x is not None and len(self.x) == n:
                vals = self.x
            drop = self.dropped[l] if self.dropped and l < len(self.dropped) else None
            for j in range(n):
                v = np.nan if vals is None else float(vals[j])
                if drop is not None and drop[j]:
                    brushes.append(pg.mkBrush(s.muted))
                elif np.isfinite(v):
                    c = s.positive if v >= 0 else s.negative
                    brushes.append(pg.mkBrush(_mix(s.background, c, 0.15 + 0.55 * min(1, abs(v)))))
                else:
                    brushes.append(pg.mkBrush(s.background))
                if st.active == (l, j):
                    pens.append(pg.mkPen(s.highlight, width=4 * s.scale))
                elif self.selected_neuron == (l, j):
                    pens.append(pg.mkPen(s.accent, width=3.5 * s.scale))
                else:
                    pens.append(pg.mkPen(s.foreground, width=1.2 * s.scale))
            pos.append(self._pos[l])
            sizes += [self._node_size(l)] * n
        p = np.concatenate(pos)
        self.nodes.setData(x=p[:, 0], y=p[:, 1], size=sizes, brush=brushes, pen=pens)
        shared = [l for l in range(len(self._sizes) - 1)
                  if self.net.use_bias[l] and self.net.shared_bias[l]]
        bp = self._bias_pos[shared] if shared else np.zeros((0, 2))
        self.bias_nodes.setData(x=bp[:, 0], y=bp[:, 1], size=18 * s.scale, symbol="s",
                                brush=pg.mkBrush(s.background), pen=pg.mkPen(s.muted, width=1.5))

    def _path(self, mask: np.ndarray) -> QPainterPath:
        src, dst = self._src[mask], self._dst[mask]
        if not len(src):
            return QPainterPath()
        x = np.empty(2 * len(src))
        y = np.empty(2 * len(src))
        x[0::2], x[1::2] = src[:, 0], dst[:, 0]
        y[0::2], y[1::2] = src[:, 1], dst[:, 1]
        return pg.functions.arrayToQPath(x, y, connect="pairs")

    def _flat(self, arrays: list[np.ndarray] | None) -> np.ndarray:
        if arrays is None:
            return np.zeros(len(self._src), bool)
        return np.concatenate([np.asarray(a).ravel() for a in arrays])

    def _redraw_edges(self) -> None:
        s, st = self.style_, self.state
        w = np.concatenate([a.ravel() for a in self._weights()])
        n = len(w)
        muted = np.zeros(n, bool)
        if self.dropped:
            for l in range(len(self._sizes) - 1):
                d_in = self.dropped[l] if l < len(self.dropped) else None
                d_out = self.dropped[l + 1] if l + 1 < len(self.dropped) else None
                m = np.zeros((self._sizes[l + 1], self._sizes[l]), bool)
                if d_in is not None:
                    m |= np.asarray(d_in, bool)[None, :]
                if d_out is not None:
                    m |= np.asarray(d_out, bool)[:, None]
                muted[self._offsets[l]:self._offsets[l + 1]] = m.ravel()
        mag = np.abs(w) / max(float(np.max(np.abs(w))) if n else 1.0, 1e-12)
        bucket = np.minimum((mag * N_BUCKETS).astype(int), N_BUCKETS - 1)
        big = n > 2000   # many edges: hairlines (fast to paint), magnitude shown by opacity
        for sign in range(2):
            for b in range(N_BUCKETS):
                colour = QColor(s.positive if sign == 0 else s.negative)
                colour.setAlpha(int(30 + 50 * b) if big else (255 if n <= 400 else 150))
                item = self.edge_items[sign * N_BUCKETS + b]
                m = ~muted & (bucket == b) & ((w >= 0) if sign == 0 else (w < 0))
                item.setPath(self._path(m))
                pen = QPen(colour, 0 if big else (0.8 + 1.3 * b) * s.scale)
                pen.setCosmetic(True)
                item.setPen(pen)
        mc = QColor(s.muted)
        mc.setAlpha(90)
        self.muted_item.setPath(self._path(muted))
        self.muted_item.setPen(self._pen(mc, 0.8))
        grad = self._flat(st.gradient_edges)
        self.gradient_item.setPath(self._path(grad))
        pen = self._pen(QColor(s.gradient), 2.5)
        pen.setStyle(Qt.PenStyle.DashLine)
        self.gradient_item.setPen(pen)
        self.active_item.setPath(self._path(self._flat(st.active_edges)))
        self.active_item.setPen(self._pen(QColor(s.highlight), 4.5))
        bpath = QPainterPath()
        for l in range(len(self._sizes) - 1):
            if self.net.use_bias[l] and self.net.shared_bias[l]:
                bx, by = self._bias_pos[l]
                for x, y in self._pos[l + 1]:
                    bpath.moveTo(QPointF(bx, by))
                    bpath.lineTo(QPointF(x, y))
        self.bias_edge_item.setPath(bpath)
        pen = self._pen(QColor(s.muted), 1.0)
        pen.setStyle(Qt.PenStyle.DotLine)
        self.bias_edge_item.setPen(pen)

    def _redraw_selected_edge(self) -> None:
        path = QPainterPath()
        if self.selected_edge is not None and self._sizes:
            l, j, k = self.selected_edge
            if l < len(self._sizes) - 1 and j < self._sizes[l + 1] and k < self._sizes[l]:
                path.moveTo(QPointF(*self._pos[l][k]))
                path.lineTo(QPointF(*self._pos[l + 1][j]))
        self.selected_item.setPath(path)
        self.selected_item.setPen(self._pen(QColor(self.style_.accent), 6))

    def _pen(self, colour: QColor, width: float) -> QPen:
        pen = QPen(colour, width * self.style_.scale)
        pen.setCosmetic(True)
        return pen

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

    def node_scene_pos(self, layer: int, j: int) -> QPointF:
        """Where neuron (layer, j) is in scene coordinates (for tests and overlays)."""
        return self.view.mapViewToScene(QPointF(*self._pos[layer][j]))

    def edge_scene_pos(self, l: int, j: int, k: int, t: float = 0.5) -> QPointF:
        a, b = self._pos[l][k], self._pos[l + 1][j]
        return self.view.mapViewToScene(QPointF(*(a + t * (b - a))))

