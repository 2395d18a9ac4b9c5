"""The network graph's labels placed once, at its first paint, not at every change of its
size while the window is first laid out.

Placing the labels (:mod:`nnviz.views.items.graph_place`) is the costliest part of drawing
a small graph. When the Workbench was first shown, the graph placed them three times
around the window's first paint (for the network's layout, for the state, and again at
each size the window's layout passes gave it), about 30 % of the time from show to paint.
Now, from the moment the graph is shown until it has been painted once, a placement is
only noted, and done once when the graph's view is about to paint (its viewport's first
paint event, before the view draws the scene: the layout is final then); a question about
where the labels are places them first too. A graph not on screen places at once, as
before, and after its first paint every placement is done at once. A placement also
answers the requests made before it (and the one its own look at the view's new scale
makes): one placement where a fit or a resize made two.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import QEvent, QObject


class FirstPaint(QObject):
    """Places the graph's labels; from the graph's show to its first paint, once."""

    def __init__(self, graph) -> None:
        super().__init__(graph)
        self._graph = weakref.ref(graph)   # (the graph stays in no reference cycle)
        self.painted = False   # the graph has been painted: no more deferring
        self.due = False       # a placement is waiting for the paint
        self._viewport = graph.view_widget.viewport()
        self._viewport.installEventFilter(self)

    def request(self) -> None:
        """Place the labels: now, or while the graph is on screen but not yet painted, at
        its first paint."""
        g = self._graph()
        if g is None:
            return
        if self.painted or not g.isVisible():
            self._place(g)
        else:
            self.due = True

    def settle(self) -> None:
        """The noted placement, now."""
        g = self._graph()
        if self.due and g is not None:
            self.due = False
            self._place(g)

    @staticmethod
    def _place(g) -> None:
        if g.coords.sizes:
            g.texts.place()
            g.placement.resolve()
            # the placement's first look at the view's scale updates pyqtgraph's pending
            # transform, whose signal asks for a placement again: this one was at that
            # scale, and any earlier request is answered by it too
            g._place_soon.cancel()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint and obj is self._viewport:
            self.settle()
            self.painted = True
            obj.removeEventFilter(self)
        return False
