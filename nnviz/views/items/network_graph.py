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

import weakref

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import QGraphicsView, QLabel, QVBoxLayout, QWidget

from nnviz.engine.core.naming import Naming
from nnviz.views.coalesce import Coalescer, flush_scenes
from nnviz.views.items.graph_ahead import PlaceAhead
from nnviz.views.items.graph_coords import MAX_NODE_TEXT, GraphCoords
from nnviz.views.items.graph_edges import EDGE_BUDGET, N_BUCKETS, EdgeLayer, dropped_edges
from nnviz.views.items.graph_first_paint import FirstPaint
from nnviz.views.items.graph_nodes import NodeLayer
from nnviz.views.items.graph_place import Placement
from nnviz.views.items.graph_state import GraphState
from nnviz.views.items.graph_support import GraphViewBox, Picker, colour_legend, culled, same_array
from nnviz.views.items.graph_texts import MAX_EDGE_LABELS, TextLayer
from nnviz.views.style import Style, current_style

__all__ = ["GraphState", "NetworkGraphWidget", "MAX_NODE_TEXT", "MAX_EDGE_LABELS", "EDGE_BUDGET",
           "N_BUCKETS"]


class NetworkGraphWidget(QWidget):
    """The network drawn as circles and batched edge paths. See the module docstring.

    Its parts, each made here with its own state: ``coords`` (where every neuron and edge
    is), ``edges`` and ``nodes`` (the drawn items), ``texts`` (the labels and their
    texts), ``placement`` (where each label goes, covering nothing) and ``picker`` (what
    is under the mouse)."""

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
        self.coords = GraphCoords()
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
        self.nodes = NodeLayer(self.view)   # the neurons and shared-bias squares
        self.texts = TextLayer(self)   # neuron names, values, targets, biases, captions
        self.placement = Placement(self, self.texts)
        self.ahead = PlaceAhead(self)   # a state's labels placed before it is shown
        self.picker = Picker(self)
        self._net_key: tuple | None = None   # what set_network last drew
        self._auto_fit = True
        self._legend_html = ""   # the colours' legend (set by apply_style)
        # the texts keep a size in pixels: place them again when the view's scale changes,
        # once per event (a fit or a window layout changes it several times)
        me = weakref.ref(self)   # (the widget is in no cycle: it dies when let go)
        self._place_soon = Coalescer(lambda: (g := me()) and g._place_texts(), self)
        self.view.sigTransformChanged.connect(self._place_soon.request)
        self._fitter = Coalescer(lambda: (g := me()) and g._auto_fit and g.fit(), self)
        self._placing = FirstPaint(self)   # the labels placed once from show to first paint
        self.view.sigResized.connect(self._on_resized)
        self.view.sigRangeChangedManually.connect(self._on_manual_range)
        self.view_widget.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self.apply_style(self.style_)

    # ------------------------------------------------------------ public API
    def set_network(self, net, naming: Naming | None = None, redraw: bool = True) -> None:
        """Show ``net`` named by ``naming`` (``redraw=False``: a set_state draws it)."""
        naming = naming or (self.naming if net.sizes == self.coords.sizes and self.naming
                            else Naming.layered(net.sizes))
        key = (tuple(hash(w.tobytes()) for w in net.weights),
               tuple(hash(b.tobytes()) for b in net.biases),
               tuple(a.name for a in net.activations), tuple(net.shared_bias),
               tuple(net.use_bias), id(naming))
        if net.sizes == self.coords.sizes and key == self._net_key:
            self.net = net      # nothing visible changed (e.g. the next micro-step)
            return
        self._net_key = key
        self.net = net
        self.naming = naming
        if net.sizes != self.coords.sizes:
            self.state, self.dropped = GraphState(), None   # they belonged to the old shape
            self.selected_neuron = self.selected_edge = None
            self.coords.relayout(net.sizes)
            self.edges.relayout(self.coords.src, self.coords.dst)  # every edge item again
            self.texts.make()
            self.fit()
        if redraw:
            self._redraw()

    def set_inputs(self, x: np.ndarray | None, redraw: bool = True) -> None:
        """The input values left of the inputs (``redraw=False``: a set_state draws them)."""
        x = None if x is None else np.asarray(x, float).reshape(-1)
        if not same_array(x, self.x):
            self.x = x
            if redraw:
                self._redraw_texts()

    def set_targets(self, y: np.ndarray | None, redraw: bool = True) -> None:
        y = None if y is None else np.asarray(y, float).reshape(-1)
        if not same_array(y, self.y):
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
        c = self.coords
        if not c.sizes:
            return
        L = len(c.sizes) - 1
        shared = bool(self.shared_layers())
        ys = np.concatenate([p[:, 1] for p in c.pos] + ([c.bias_pos[:, 1]] if shared else []))
        self._auto_fit = True
        small = max(c.sizes) <= MAX_NODE_TEXT
        # margins in pixels for the input values (left) and targets/errors (right)
        sc = self.style_.scale
        lpx = (60 if small else 20) * sc
        rpx = (175 if c.sizes[-1] <= MAX_NODE_TEXT else 20) * sc
        lpx, rpx = self.texts.margins(lpx, rpx)
        # at least a large circle's radius and a gap beyond the outer layers
        lpx, rpx = max(lpx, 26 * sc), max(rpx, 26 * sc)
        wpx = max(200.0, float(self.view.width()) or 600.0)
        ppu = max(40.0, (wpx - lpx - rpx) / (L + 0.02))
        if abs(ppu - c.ppu_x) > 0.5:   # the circles shrink where layers are close
            c.ppu_x = ppu
            self._redraw_nodes()
        # vertical margins in pixels: three lines of values above the top neurons and
        # below the bottom ones, then the layer captions
        hpx = max(100.0, float(self.view.height()) or 400.0)
        top = (80 * sc + self.texts.extra_rows()) if small else 12 * sc   # radius, ring, lines
        # (with bias nodes: room under them for the layer captions)
        bottom = 48 * sc if shared else (120 * sc + self.texts.extra_rows()) if small else 34 * sc
        if self.compact:    # only the neurons' names are shown: no room kept for texts
            lpx = rpx = top = bottom = (22 + 6) * sc   # a circle's radius and a gap
        ppu_y = max(10.0, (hpx - top - bottom) / max(float(np.ptp(ys)), 1.0))
        y0, y1 = ys.min() - top / ppu_y, ys.max() + bottom / ppu_y
        self.view.setRange(xRange=(-0.01 - lpx / ppu, L + 0.01 + rpx / ppu),
                           yRange=(y0, y1), padding=0)
        ppu_y = hpx / (y1 - y0)
        if abs(ppu_y - c.ppu_y) > 0.5:
            c.ppu_y = ppu_y
            self._redraw_nodes()
            self._place_soon.request()   # the texts keep their distance from the circles

    def zoom(self, factor: float | None) -> None:
        if factor is None:
            self.fit()
        else:
            self._auto_fit = False
            self.view.scaleBy((1 / factor, 1 / factor))

    def _on_resized(self) -> None:   # (a window being laid out resizes it several times)
        if self._auto_fit:
            self._fitter.request()

    def _on_manual_range(self, *_) -> None:   # the user moved the view: no more fitting
        self._auto_fit = False

    def apply_style(self, style: Style) -> None:
        self.style_ = s = style
        self.coords.scale = style.scale
        self.view_widget.setBackground(style.background)
        self._legend_html = colour_legend(s)
        self._set_legend()
        f = self.legend.font()
        f.setPointSizeF(s.pt(9))
        self.legend.setFont(f)
        self.legend.setStyleSheet(f"color:{s.foreground}; background:{s.background};")
        self._redraw()
        if self._auto_fit and self.coords.sizes:
            self.fit()

    def label_texts(self) -> list[str]:   # (see TextLayer.label_texts)
        return self.texts.label_texts()

    def flush(self) -> None:
        """Hand the scene's pending item changes to the view now, so they are painted in the
        window's next repaint with everything else (Qt would otherwise queue them behind
        that repaint and paint the graph in a second pass)."""
        flush_scenes(self.view_widget)

    def item_count(self) -> int:
        """Number of graphics items in the view (stays small for any network size)."""
        return len(self.view_widget.scene().items())

    # ------------------------------------------------------------ geometry and picking
    def neuron_at(self, p: QPointF) -> tuple[int, int] | None:
        return self.picker.neuron_at(p)

    def bias_at(self, p: QPointF) -> int | None:
        return self.picker.bias_at(p)

    def edge_at(self, p: QPointF) -> tuple[int, int, int] | None:
        return self.picker.edge_at(p)

    def node_scene_pos(self, layer: int, j: int) -> QPointF:
        """Where neuron (layer, j) is in scene coordinates (for tests and overlays)."""
        return self.picker.scene_pos(*self.coords.pos[layer][j])

    def edge_scene_pos(self, l: int, j: int, k: int, t: float = 0.5) -> QPointF:
        a, b = self.coords.pos[l][k], self.coords.pos[l + 1][j]
        return self.picker.scene_pos(*(a + t * (b - a)))

    def bias_scene_pos(self, l: int) -> QPointF:
        """Where the shared-bias node of weight layer l is in scene coordinates."""
        return self.picker.scene_pos(*self.coords.bias_pos[l])

    def node_rects(self) -> list:
        """The neurons' (and bias nodes') squares on screen, in the view's pixels."""
        self._placing.settle()
        return self.placement.node_rects()

    def text_rects(self, names: bool = True) -> list:
        """(plain text, rectangle) of every visible label, in the view's pixels."""
        self._placing.settle()
        return self.placement.text_rects(names)

    def _on_scene_clicked(self, ev) -> None:
        if ev.button() == Qt.MouseButton.LeftButton and not ev.double():
            p = self.view.mapSceneToView(ev.scenePos())
            if (hit := self.neuron_at(p)) is not None:
                self.neuron_clicked.emit(*hit)
            elif (bl := self.bias_at(p)) is not None:
                self.bias_clicked.emit(bl, 0)
            elif (edge := self.edge_at(p)) is not None:
                self.edge_clicked.emit(*edge)

    def shared_layers(self) -> list[int]:
        """The weight layers whose bias is drawn as its own node (shared bias)."""
        net = self.net
        pairs = zip(net.use_bias, net.shared_bias) if net is not None else ()
        return [l for l, (used, shared) in enumerate(pairs) if used and shared]

    def shown_weights(self) -> list[np.ndarray]:
        """The weights drawn: the state's (e.g. half-updated) or the network's."""
        return self.state.weights if self.state.weights is not None else self.net.weights

    def shown_biases(self) -> list[np.ndarray]:   # (the same for the biases)
        return self.state.biases if self.state.biases is not None else self.net.biases

    # ------------------------------------------------------------ drawing
    def _redraw(self) -> None:
        if self.net is None or not self.coords.sizes:
            return
        self._redraw_nodes()
        self._redraw_edges()
        self._redraw_selected_edge()
        self._redraw_texts()

    def _redraw_texts(self) -> None:
        if self.net is None or not self.coords.sizes:
            return
        self.texts.redraw()
        if self._auto_fit and self.texts.needs_refit():
            self._fitter.request()   # once, soon: the side texts need other room
        self._place_texts()

    def _place_texts(self) -> None:
        self._placing.request()

    def _redraw_edges(self) -> None:
        c = self.coords
        muted = dropped_edges(self.dropped, c.sizes, c.offsets)
        links = [(c.bias_pos[l], c.pos[l + 1]) for l in self.shared_layers()]
        st = self.state
        if self.edges.draw(self.style_, self.shown_weights(), muted, st.gradient_edges,
                           st.active_edges, links):
            self._set_legend()

    def _redraw_selected_edge(self) -> None:
        c, ends = self.coords, None
        if self.selected_edge is not None and c.sizes:
            l, j, k = self.selected_edge
            if l < len(c.sizes) - 1 and j < c.sizes[l + 1] and k < c.sizes[l]:
                ends = (c.pos[l][k], c.pos[l + 1][j])
        self.edges.draw_selected(self.style_, ends)

    def _redraw_nodes(self) -> None:
        c = self.coords
        if self.net is None or not c.sizes:
            return
        sizes, fills, roles = [], [], []
        for l, n in enumerate(c.sizes):
            vals = self._node_values(l, n)
            drop = self.dropped[l] if self.dropped and l < len(self.dropped) else None
            for j in range(n):
                fills.append((np.nan if vals is None else float(vals[j]),
                              drop is not None and bool(drop[j])))
                roles.append(self._node_role(l, j, n))
            sizes += [c.node_size(l)] * n
        self.nodes.draw(self.style_, np.concatenate(c.pos), sizes, fills, roles)
        shared = self.shared_layers()
        self.nodes.draw_biases(self.style_, c.bias_pos[shared] if shared else np.zeros((0, 2)))

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
