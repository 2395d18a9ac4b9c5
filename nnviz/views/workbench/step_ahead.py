"""The Workbench's next micro-step placed ahead: once the graph has painted a step, the
labels of the next one are placed off screen (``graph.ahead``,
:mod:`nnviz.views.items.graph_ahead`), while the class looks at this one; Right then
finds their places remembered and skips the search (3.5-4 ms of a step). As the
Equation panel chooses the next step's text ahead, and with the same wait after a new
trace (a training frame, a dragged weight: each frame brings another, and the work would
be thrown away)."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer

from nnviz.views.workbench.equation_panel import AHEAD_NEW_TRACE_MS
from nnviz.views.workbench.present import shown_state

if TYPE_CHECKING:
    from nnviz.views.workbench import WorkbenchLab


class StepAhead(QObject):
    """Places the next micro-step's graph labels after each paint of the graph."""

    def __init__(self, lab: WorkbenchLab) -> None:
        super().__init__(lab)
        self._lab = weakref.ref(lab)   # (its child: no cycle through it)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._run)
        self._painted = None   # the trace the graph last painted
        self._done: tuple = ()   # what was last placed ahead
        lab.graph.view_widget.viewport().installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            lab = self._lab()
            tr = lab.stepper.trace if lab is not None else None
            self._timer.start(0 if tr is self._painted else AHEAD_NEW_TRACE_MS)
            self._painted = tr
        return False

    def _run(self) -> None:
        lab = self._lab()
        if lab is None or not lab.isVisible() or lab.matrix.active:
            return   # (a hidden lab costs nothing; the matrix view has no graph labels)
        st = lab.stepper
        tr = st.trace
        if tr is None or st.k >= len(tr):
            return
        k = st.k + 1
        hidden = lab.reveal.hidden_at(k)
        presentation = bool(lab.style_.presentation)
        size = lab.graph.view_widget.viewport().size()
        shown = tuple(map(tuple, lab.graph.view.viewRange()))   # (zoomed: placed again)
        todo = (id(tr), k, hidden, presentation, size.width(), size.height(), shown)
        if todo != self._done:   # (a repaint of the same step: placed already)
            self._done = todo
            lab.graph.ahead.place(shown_state(tr, k, st.doc.naming, lab.reveal, hidden,
                                              presentation))
