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
- ``editable`` (attribute, default True): False turns off drag/Shift+wheel edits.
- Signals ``neuron_clicked(layer, j)`` (layer 0 = inputs), ``bias_clicked(l, j)`` (weight
  layer l, 0-based), ``edge_clicked(l, j, k)`` (weight w[l][j, k]),
  ``weight_dragged(l, j, k, delta)`` (vertical drag or Shift+wheel on an edge; the owner
  decides what to do with the change).
- ``label_texts()``: the plain text of every visible label (for tests and export).
- ``node_scene_pos(layer, j)``, ``edge_scene_pos(l, j, k, t)``, ``bias_scene_pos(l)``:
  scene positions (for tests and overlays); ``neuron_at``/``edge_at``/``bias_at`` pick.

Edges are drawn as at most a dozen batched ``QGraphicsPathItem``s (sign x magnitude
bucket plus overlays), never one item per edge, so 784-100-10 (79,400 edges) stays
light; weight labels and per-neuron text appear only where they fit.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGraphicsView, QLabel, QVBoxLayout, QWidget

from nnviz.engine.naming import Naming
from nnviz.views.coalesce import Coalescer, flush_scenes
from nnviz.views.items.graph_edges import EDGE_BUDGET, N_BUCKETS, EdgeLayer, dropped_edges
from nnviz.views.items.graph_nodes import NodeLayer
from nnviz.views.items.graph_place import PlacingMixin
from nnviz.views.items.graph_state import GraphState
from nnviz.views.items.graph_support import GraphViewBox, PickingMixin, colour_legend, culled
from nnviz.views.items.graph_texts import MAX_EDGE_LABELS, MAX_NODE_TEXT, TextsMixin
from nnviz.views.style import Style, current_style

__all__ = ["GraphState", "NetworkGraphWidget", "MAX_NODE_TEXT", "MAX_EDGE_LABELS", "EDGE_BUDGET",
           "N_BUCKETS"]


def _same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.shape == b.shape and bool(np.array_equal(a, b))


class NetworkGraphWidget(TextsMixin, PlacingMixin, PickingMixin, QWidget):
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
        #: a thumbnail (e.g. the surface lab's picker): small margins, only the neurons' names
        self.compact = False
        self._sizes: list[int] = []
        self.view_widget = pg.GraphicsLayoutWidget()
        # one full repaint per frame: clipping 79,400-segment paths to many small update
        # rectangles is far slower than painting them once
        self.view_widget.setViewportUpdateMode(
            QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.view = GraphViewBox(self)
        self.view_widget.addItem(self.view)
        self.legend = QLabel()
        self.legend.setObjectName("graph-legend")
        self.legend.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.view_widget, 1)
        lay.addWidget(self.legend)
        self.edges = EdgeLayer(self.view)   # the weights' edges and their overlays
        self.node_layer = NodeLayer(self.view)   # the neurons and shared-bias squares
        self._texts: list = []   # neuron names, values, targets, biases, captions
        self._edge_labels: list[tuple] = []
        self._auto_fit = True
        self._legend_html = ""   # the colours' legend (set by apply_style)
        self._ppu_y = 160.0     # pixels per layout unit vertically, set by fit()
        self._ppu_x = 1e9       # and from one layer to the next
        # the texts keep a size in pixels: place them again when the view's scale changes,
        # once per event (a fit or a window layout changes it several times)
        self._placer = Coalescer(self._place_texts, self)
        self.view.sigTransformChanged.connect(self._placer.request)
        self._fitter = Coalescer(lambda: self._auto_fit and self.fit(), self)
        self.view.sigResized.connect(self._on_resized)
        self.view.sigRangeChangedManually.connect(self._on_manual_range)
        self.view_widget.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self.apply_style(self.style_)

    # ------------------------------------------------------------ public API
    def set_network(self, net, naming: Naming | None = None) -> None:
        """Show ``net`` (an engine Network), named by ``naming`` (default: layer notation)."""
        naming = naming or (self.naming if net.sizes == self._sizes and self.naming
                            else Naming.layered(net.sizes))
        key = (tuple(hash(w.tobytes()) for w in net.weights),
               tuple(hash(b.tobytes()) for b in net.biases),
               tuple(a.name for a in net.activations), tuple(net.shared_bias),
               tuple(net.use_bias), id(naming))
        if net.sizes == self._sizes and key == getattr(self, "_net_key", None):
            self.net = net      # nothing visible changed (e.g. the next micro-step)
            return
        self._net_key = key
        self.net = net
        self.naming = naming
        if net.sizes != self._sizes:
            self._sizes = list(net.sizes)
            self.state, self.dropped = GraphState(), None   # they belonged to the old shape
            self.selected_neuron = self.selected_edge = None
            self._layout()
            self.fit()
        self._redraw()

    def set_inputs(self, x: np.ndarray | None, redraw: bool = True) -> None:
        """The input values shown left of the inputs (``redraw=False``: a set_state
        follows and draws them)."""
        x = None if x is None else np.asarray(x, float).reshape(-1)
        if not _same(x, self.x):
            self.x = x
            if redraw:
                self._redraw_texts()

    def set_targets(self, y: np.ndarray | None, redraw: bool = True) -> None:
        y = None if y is None else np.asarray(y, float).reshape(-1)
        if not _same(y, self.y):
            self.y = y
            if redraw:
                self._redraw_texts()

    def set_state(self, state: GraphState | None) -> None:
        self.state = state or GraphState()
        self._redraw()

    def set_dropped(self, masks: list[np.ndarray | None] | None) -> None:
        self.dropped = masks
        self._redraw()

    def set_selected(self, neuron: tuple[int, int] | None = None,
                     edge: tuple[int, int, int] | None = None) -> None:
        if (neuron, edge) == (self.selected_neuron, self.selected_edge):
            return   # already drawn (every refresh re-applies the selection)
        self.selected_neuron, self.selected_edge = neuron, edge
        self._redraw_nodes()
        self._redraw_selected_edge()

    def show_weight_labels(self, on: bool) -> None:
        self.weight_labels_on = bool(on)
        self._place_texts()

    def fit(self) -> None:
        """Show the whole network with room for its texts. Only the circles' sizes follow
        the scale (the edges are drawn in view units; the texts, placed in pixels, are
        placed again whenever the view's transform changes)."""
        if self._sizes:
            L = len(self._sizes) - 1
            ys = np.concatenate([p[:, 1] for p in self._pos]
                                + ([self._bias_pos[:, 1]] if self._any_shared() else []))
            self._auto_fit = True
            small = max(self._sizes) <= MAX_NODE_TEXT
            # margins in pixels for the input values (left) and targets/errors (right)
            sc = self.style_.scale
            lpx = (60 if small else 20) * sc
            rpx = (175 if self._sizes[-1] <= MAX_NODE_TEXT else 20) * sc
            lpx, rpx = self._measured_margins(lpx, rpx)
            # at least a large circle's radius and a gap beyond the outer layers
            lpx, rpx = max(lpx, 26 * sc), max(rpx, 26 * sc)
            wpx = max(200.0, float(self.view.width()) or 600.0)
            span = L + 0.02
            ppu = max(40.0, (wpx - lpx - rpx) / span)
            if abs(ppu - self._ppu_x) > 0.5:   # the circles shrink where layers are close
                self._ppu_x = ppu
                self._redraw_nodes()
            # vertical margins in pixels: three lines of values above the top neurons and
            # below the bottom ones, then the layer captions
            hpx = max(100.0, float(self.view.height()) or 400.0)
            top = (78 if small else 12) * sc
            # (with bias nodes: room under them for the layer captions)
            bottom = (48 if self._any_shared() else 120 if small else 34) * sc
            if self.compact:    # only the neurons' names are shown: no room kept for texts
                lpx = rpx = top = bottom = (22 + 6) * sc   # a circle's radius and a gap
            ppu_y = max(10.0, (hpx - top - bottom) / max(float(np.ptp(ys)), 1.0))
            y0, y1 = ys.min() - top / ppu_y, ys.max() + bottom / ppu_y
            self.view.setRange(xRange=(-0.01 - lpx / ppu, L + 0.01 + rpx / ppu),
                               yRange=(y0, y1), padding=0)
            ppu_y = hpx / (y1 - y0)
            if abs(ppu_y - self._ppu_y) > 0.5:
                self._ppu_y = ppu_y
                self._redraw_nodes()
                self._placer.request()   # the texts keep their distance from the circles

    def _measured_margins(self, lpx: float, rpx: float) -> tuple[float, float]:
        """The side margins from the widest input value and target text shown, where
        there are any (a fixed guess wasted a third of a 1024-pixel projector)."""
        sc = self.style_.scale

        def widest(items) -> float:
            return max((it.boundingRect().width() for it in items
                        if getattr(it, "_nnviz_html", "")), default=0.0)

        inputs = widest(it for (l, _), it in self._value_items.items() if l == 0)
        targets, cap_left, cap_right = self._fitted_needs = self._side_needs()
        if inputs:
            lpx = inputs + (self._node_size(0) / 2 + 12 * sc) if self._sizes else lpx
        if targets:
            rpx = targets + (self._node_size(len(self._sizes) - 1) / 2 + 16 * sc)
        # the outer layers' captions, centred under them, inside the view too
        return max(lpx, cap_left + 4 * sc), max(rpx, cap_right + 4 * sc)

    def zoom(self, factor: float | None) -> None:
        if factor is None:
            self.fit()
        else:
            self._auto_fit = False
            self.view.scaleBy((1 / factor, 1 / factor))

    def _on_resized(self) -> None:
        # a window being laid out resizes the view several times in one event: fit (and
        # redraw the texts) once, before the repaint
        if self._auto_fit:
            self._fitter.request()

    def _on_manual_range(self, *_) -> None:
        self._auto_fit = False

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        self.view_widget.setBackground(style.background)
        s = style
        self._legend_html = colour_legend(s)
        self._set_legend()
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

    def flush(self) -> None:
        """Hand the scene's pending item changes to the view now, so they are painted in the
        window's next repaint with everything else (Qt would otherwise queue them behind
        that repaint and paint the graph in a second pass)."""
        flush_scenes(self.view_widget)

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
        self.edges.relayout(self._src, self._dst)  # new positions: every edge item again
        self._make_texts()

    def _any_shared(self) -> bool:
        """True if some layer's bias is drawn as its own node (shared bias)."""
        return self.net is not None and any(
            u and s for u, s in zip(self.net.use_bias, self.net.shared_bias))

    def _edge_index(self, i: int) -> tuple[int, int, int]:
        l = int(np.searchsorted(self._offsets, i, side="right") - 1)
        r = i - self._offsets[l]
        n_in = self._sizes[l]
        return l, int(r // n_in), int(r % n_in)

    def _node_size(self, l: int) -> float:
        """Circle diameter in pixels: 44 (scaled) where it fits the spacing on screen."""
        n = self._sizes[l]
        # at most 30 % of the distance between layers: the rest is room for weight labels
        base = min(44 * self.style_.scale, max(24.0, 0.3 * self._ppu_x))
        if n < 2:
            return base
        gap_px = float(self._pos[l][1, 1] - self._pos[l][0, 1]) * self._ppu_y
        # neurons with texts keep 40 % of the gap free: the weight labels go there
        share = 0.6 if n <= MAX_NODE_TEXT else 0.8
        return float(max(3.0, min(base, share * gap_px)))

    # ------------------------------------------------------------ drawing
    def _redraw(self) -> None:
        if self.net is None or not self._sizes:
            return
        self._redraw_nodes()
        self._redraw_edges()
        self._redraw_selected_edge()
        self._redraw_texts()

    def _redraw_edges(self) -> None:
        muted = dropped_edges(self.dropped, self._sizes, self._offsets)
        links = [(self._bias_pos[l], self._pos[l + 1]) for l in range(len(self._sizes) - 1)
                 if self.net.use_bias[l] and self.net.shared_bias[l]]
        st = self.state
        if self.edges.draw(self.style_, self._weights(), muted, st.gradient_edges,
                           st.active_edges, links):
            self._set_legend()

    def _redraw_selected_edge(self) -> None:
        ends = None
        if self.selected_edge is not None and self._sizes:
            l, j, k = self.selected_edge
            if l < len(self._sizes) - 1 and j < self._sizes[l + 1] and k < self._sizes[l]:
                ends = (self._pos[l][k], self._pos[l + 1][j])
        self.edges.draw_selected(self.style_, ends)

    def _redraw_nodes(self) -> None:
        if self.net is None or not self._sizes:
            return
        sizes, fills, roles = [], [], []
        for l, n in enumerate(self._sizes):
            vals = self._node_values(l, n)
            drop = self.dropped[l] if self.dropped and l < len(self.dropped) else None
            for j in range(n):
                fills.append((np.nan if vals is None else float(vals[j]),
                              drop is not None and bool(drop[j])))
                roles.append(self._node_role(l, j, n))
            sizes += [self._node_size(l)] * n
        self.node_layer.draw(self.style_, np.concatenate(self._pos), sizes, fills, roles)
        shared = [l for l in range(len(self._sizes) - 1)
                  if self.net.use_bias[l] and self.net.shared_bias[l]]
        self.node_layer.draw_biases(self.style_, self._bias_pos[shared] if shared
                               else np.zeros((0, 2)))

    def _node_values(self, l: int, n: int):
        """The values layer l's neurons are coloured by (the inputs by default), or None."""
        st = self.state
        if st.node_values is not None and l < len(st.node_values):
            return st.node_values[l]
        if l == 0 and self.x is not None and len(self.x) == n:
            return self.x
        return None

    def _node_role(self, l: int, j: int, n: int) -> str:
        """How neuron j of layer l is outlined (:data:`graph_nodes.OUTLINES`)."""
        if self.state.active == (l, j):
            return "active"
        if self.selected_neuron == (l, j):
            return "selected"
        return "none" if n > MAX_NODE_TEXT else "plain"

    def _set_legend(self) -> None:
        html = self._legend_html
        n, shown = self.edges.counts
        if shown < n:
            html += culled(shown, n)
        if self.legend.text() != html:
            self.legend.setText(html)
