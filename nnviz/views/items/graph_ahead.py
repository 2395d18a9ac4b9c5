"""The graph's labels placed ahead, and every placing remembered.

Placing the labels (:mod:`nnviz.views.items.graph_place`) is the costliest part of a
Workbench step: 3.5-4 ms of its 14-17. What a placing finds depends only on what it is
given: every label's text, size and first place (``TextLayer.place``), the view's
geometry, the active neuron and which neurons show values. :class:`PlacingMemo` keeps
each placing's outcome by all of that (its key), and a placing given the same again puts
the labels where the first one found them, without the search (the same positions, to
the last bit: nothing else is read).

:class:`PlaceAhead` (``graph.ahead``) places the labels of a state not yet shown: in a
shadow set of label items that are in no scene (nothing on screen changes, nothing is
repainted), with the graph's state swapped for that one meanwhile (plain attributes: no
signal, no redraw); the outcome goes into the memo the graph's own placing reads. While
the class looks at a step, the Workbench has the next one placed so (views/workbench/
step_ahead.py): Right then finds it. Where the shadow's labels were given anything else
than the real ones will be (another font, a view resized in between) the keys differ and
the real placing searches as before: the memo can be missed, never wrong.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF

if TYPE_CHECKING:
    from nnviz.views.items.graph_place import Placement
    from nnviz.views.items.graph_state import GraphState
    from nnviz.views.items.network_graph import NetworkGraphWidget

#: placings remembered (a lesson's trace has a few dozen steps; a training run brings a
#: new trace, and new keys, every frame)
KEEP = 256


def _label_in(item) -> tuple:
    """What the placing reads of a label: its text (and its lines, from which it makes
    the text's other sizes), its size, where it is and by which point, whether shown,
    its leader."""
    p, r = item.pos(), item.boundingRect()
    return (item.html, tuple(item.lines), item.anchor, p.x(), p.y(), item.isVisible(),
            r.width(), r.height(), item.leader_args)


def _label_out(item) -> tuple:
    """What the placing sets of a label."""
    p = item.pos()
    return item.html, item.anchor, p.x(), p.y(), item.isVisible(), item.leader_args


class PlacingMemo:
    """Placings' outcomes by everything they read (see the module docstring)."""

    def __init__(self) -> None:
        self._got: dict[tuple, tuple] = {}
        self.hits = 0   # placings answered from the memo (for tests)
        # off until a placing ahead is asked for (a graph nobody places ahead, e.g. a
        # handout's, pays nothing for the keys)
        self.on = False

    def key(self, placement: Placement) -> tuple | None:
        """Everything ``placement.resolve`` reads, or None where it places nothing."""
        g, texts = placement._g, placement.texts
        view, c, st = g.view, g.coords, g.state
        if not self.on or g.compact or not c.sizes:
            return None
        o = view.mapViewToDevice(QPointF(0.0, 0.0))
        e = view.mapViewToDevice(QPointF(1.0, 1.0))
        px, py = view.viewPixelSize()
        if o is None or e is None or not (px > 0 and py > 0):
            return None
        items = texts.all_items()
        L = len(c.sizes)
        return (o.x(), o.y(), e.x(), e.y(), px, py, placement._view_bounds(),
                tuple(c.sizes), tuple(c.node_size(l) for l in range(L)),   # (the sizes
                c.bias_pos.tobytes(), tuple(g.shared_layers()), g.style_,   # give the edges)
                g.weight_labels_on, st.active, tuple(sorted(st.node_text)),
                tuple(texts.roomy_layer(l, py) for l in range(L)),
                items[0].font().key() if items else "",   # (all of them: the scene's)
                tuple(_label_in(t) for t in items))

    def get(self, key: tuple | None) -> tuple | None:
        return None if key is None else self._got.get(key)

    def put(self, key: tuple | None, placement: Placement) -> None:
        """The outcome of the placing just done with ``key``."""
        if key is None:
            return
        if len(self._got) >= KEEP:
            self._got.clear()
        self._got[key] = (placement.weights.form,
                          tuple(_label_out(t) for t in placement.texts.all_items()))

    def apply(self, placement: Placement, got: tuple) -> None:
        """The labels where the remembered placing put them."""
        self.hits += 1
        form, labels = got
        placement.weights.form = form
        for item, (html, anchor, x, y, shown, leader) in zip(placement.texts.all_items(),
                                                             labels):
            item.set_html_once(html)
            item.set_anchor(anchor)
            item.setPos(x, y)
            item.setVisible(shown)
            if leader != item.leader_args:
                item.set_leader(*(leader or (None,)))

    def clear(self) -> None:
        self._got.clear()


class PlaceAhead:
    """The graph's labels placed for a state before it is shown (``graph.ahead``)."""

    def __init__(self, graph: NetworkGraphWidget) -> None:
        self._g = weakref.ref(graph)   # (no cycle through it)
        self._texts = None       # the shadow labels (a TextLayer in no scene)
        self._placement = None   # and their placing, into the graph's memo
        self._shape: tuple = ()

    def place(self, state: GraphState) -> None:
        """Place the labels ``state`` will show, off screen, into the graph's memo."""
        g = self._g()
        if g is None or g.net is None or not g.coords.sizes or g.compact:
            return
        g.placement.memo.on = True
        if self._texts is None or self._shape != tuple(g.coords.sizes):
            from nnviz.views.items.graph_place import Placement
            from nnviz.views.items.graph_texts import TextLayer

            self._texts = TextLayer(g, in_scene=False)
            self._texts.make()
            self._placement = Placement(g, self._texts, g.placement.memo)
            self._shape = tuple(g.coords.sizes)
        real = g.texts.all_items()
        font = real[0].font() if real else None   # (the scene's: larger in F5)
        for item in self._texts.all_items() if font is not None else ():
            if item.font() != font:
                item.setFont(font)
        shown = g.state
        g.state = state
        try:
            self._texts.redraw()
            self._texts.place()
            self._placement.resolve()
        finally:
            g.state = shown
