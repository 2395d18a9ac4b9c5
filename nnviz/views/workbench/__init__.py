"""The workbench lab: the network graph in the centre, step through one training pass
neuron by neuron with the arithmetic shown, inspect and edit, scrub the timeline.

Docks: Equation (current step + steps done), Inspector, Network (structure, settings,
example), Lesson (description), Timeline (training-step and micro-step sliders,
transport, play speed). Keys (besides the main window's Right/Left clicker keys):
Shift+Right/Left next/previous layer, Ctrl+Right whole training step, Home start of
the pass, P play/pause, L weight labels.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QSignalBlocker, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QScrollArea,
    QStackedWidget,
    QTextBrowser,
    QWidget,
)

from nnviz.controllers.document import Document
from nnviz.controllers.lab_parts import WorkbenchParts
from nnviz.controllers.workbench.repeat_trainer import RepeatTrainer
from nnviz.views.caption_text import quotes_values
from nnviz.views.coalesce import Coalescer, lay_out_now
from nnviz.views.items.network_graph import NetworkGraphWidget
from nnviz.views.lab_base import Lab
from nnviz.views.presentation import plain_dock
from nnviz.views.safe_text import show_markdown
from nnviz.views.style import Style, current_style
from nnviz.views.workbench.editor import NetworkEditor
from nnviz.views.workbench.equation_panel import EquationPanel
from nnviz.views.workbench.inspector import Inspector
from nnviz.views.workbench.notes import step_remarks
from nnviz.views.workbench.present import math_plain, show_step
from nnviz.views.workbench.step_ahead import StepAhead
from nnviz.views.workbench.timeline import TimelinePanel
from nnviz.views.workbench.train_n import TrainNPanel


class WorkbenchLab(Lab):
    """Neuron-by-neuron forward and backward stepping on the lesson's network."""

    name = "workbench"
    title = "Workbench"
    captions_quote_worked_example = True

    def __init__(self, doc: Document, parent: QWidget | None = None,
                 parts: WorkbenchParts | None = None) -> None:
        super().__init__(doc, parent, parts)
        self.style_ = current_style()
        self.stepper = self.parts.stepper
        self.graph = NetworkGraphWidget()
        self.graph.setObjectName("workbench-graph")
        self.graph.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.matrix = self.parts.matrix
        self._matrix_view = None   # built when first shown (M): most lessons never do
        self.centre = QStackedWidget()
        self.centre.addWidget(self.graph)
        self.setCentralWidget(self.centre)
        self._build_actions()
        self.equations = EquationPanel(self.stepper)
        self.inspector = Inspector(self.stepper)
        self.lesson_text = QTextBrowser()
        self.timeline = TimelinePanel(self.stepper, [
            self.act_home, self.act_prev_layer, self.act_prev, self.act_play, self.act_next,
            self.act_next_layer, self.act_train, self.act_labels, self.act_matrix])
        self.repeat = RepeatTrainer(self.stepper, self, batch=lambda: (
            self.matrix.batch_rows()[:2] if self.matrix.active and self.matrix.batch else None))
        self.train_n = TrainNPanel(self.repeat)
        self.timeline.add_row(self.train_n)
        self._build_docks()
        self._sized = False
        self._refresher = Coalescer(self._refresh, self)  # once per event, same repaint
        self._stale = False   # changed while hidden: refreshed when shown
        self._docks_before: list[bool] | None = None   # the docks shown before presentation
        self._values_of = self._values = None   # the trace caption_values() last read
        from nnviz.views.workbench.reveal import WorkbenchReveal

        self.reveal = WorkbenchReveal(self, getattr(parent, "reveal", None))
        self._ahead = StepAhead(self)   # the next step's graph labels placed ahead
        self.equations.set_guess_bar(self.reveal.bar)
        self._connect(doc)
        self._on_lesson_changed()
        self.parts.attach(self)

    # ------------------------------------------------------------ building
    def _build_docks(self) -> None:
        """Equation and the tabbed Inspector, Network and Lesson on the right (the Network
        editor built when its tab is first shown), the Timeline below."""
        self.setDockNestingEnabled(True)
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.dock_eq = self._dock("Equation", self.equations, right)
        self.dock_inspector = self._dock("Inspector", self.inspector, right)
        self._editor: NetworkEditor | None = None   # built when its tab is first shown
        self._editor_scroll = QScrollArea()
        self._editor_scroll.setWidgetResizable(True)
        self.dock_editor = self._dock("Network", self._editor_scroll, right)
        self.dock_editor.visibilityChanged.connect(lambda shown: shown and self.editor)
        self.dock_lesson = self._dock("Lesson", self.lesson_text, right)
        self.tabifyDockWidget(self.dock_inspector, self.dock_editor)
        self.tabifyDockWidget(self.dock_editor, self.dock_lesson)
        self.dock_inspector.raise_()
        self.dock_timeline = self._dock("Timeline", self.timeline,
                                        Qt.DockWidgetArea.BottomDockWidgetArea)

    def _connect(self, doc: Document) -> None:
        """The stepper, the matrix view, the lesson and the graph's clicks."""
        self.stepper.position_changed.connect(self._on_position_changed)
        # after the refresh is asked for: the caption bar then waits for it (one caption
        # refresh a step, after the status it shows)
        self.stepper.position_changed.connect(self.position_changed)
        self.stepper.timeline_changed.connect(self._on_position_changed)
        self.stepper.playback.playing_changed.connect(self._on_playing_changed)
        self.matrix.changed.connect(self._on_position_changed)
        doc.lesson_changed.connect(self._on_lesson_changed)
        self.graph.neuron_clicked.connect(lambda l, j: self.inspector.select(("neuron", l, j)))
        self.graph.bias_clicked.connect(lambda l, j: self.inspector.select(("neuron", l + 1, j)))
        self.graph.edge_clicked.connect(lambda l, j, k: self.inspector.select(("edge", l, j, k)))
        self.graph.weight_dragged.connect(self.inspector.nudge)
        self.inspector.selection_changed.connect(self._on_selection_changed)
        self.equations.jump_requested.connect(self.stepper.set_position)

    def _dock(self, title: str, widget: QWidget, area) -> QDockWidget:
        d = plain_dock(title, self)   # its frame and title bar never scale
        d.setObjectName(f"workbench-dock-{title.lower()}")
        # its own ground: a step repaints the content alone (see-through, it had the dock's
        # frame and title bar painted again under it: ~0.6 ms of a step's repaint)
        widget.setAutoFillBackground(True)
        d.setWidget(widget)
        self.addDockWidget(area, d)
        return d

    def _stepping(self):
        """What the step keys move: the matrix trace when its view is shown, else the
        neuron-by-neuron stepper."""
        return self.matrix if self.matrix.active else self.stepper

    def _build_actions(self) -> None:
        s = self.stepper
        self.act_next = self._action("▶ Step", lambda: self._stepping().next(), None,
                                     "Next micro-step (Right, Space)")
        self.act_prev = self._action("◀ Back", lambda: self._stepping().prev(), None,
                                     "Previous micro-step (Left)")
        self.act_next_layer = self._action("Layer ▶▶", lambda: self._stepping().next_layer(),
                                           "Shift+Right", "Next layer")
        self.act_prev_layer = self._action("◀◀ Layer", lambda: self._stepping().prev_layer(),
                                           "Shift+Left", "Previous layer")
        self.act_train = self._action("Train step", lambda: self._stepping().train_step(),
                                      "Ctrl+Right",
                                      "Whole training step: forward, backward, update")
        self.act_home = self._action("|◀ Start", lambda: self._stepping().home(), "Home",
                                     "Back to the start of the pass")
        self.act_matrix = self._action("Matrices", self.show_matrices, "M",
                                       "Matrix view: the pass layer by layer as the notes "
                                       "write it (z = W a + b, BP1-BP4); the same keys step",
                                       checkable=True)
        self.act_play = self._action("Play", s.playback.toggle, "P",
                                     "Play or pause through the micro-steps", checkable=True)
        self.act_labels = self._action("Weights", self.graph.show_weight_labels, "L",
                                       "Weight labels on or off", checkable=True)
        self.act_labels.setChecked(True)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            self._size_docks()
            # laid out at those sizes now, so that the refresh below fits the panels' texts
            # to the sizes they are painted at (not once before and once after)
            QCoreApplication.sendPostedEvents(self, QEvent.Type.LayoutRequest)
            QTimer.singleShot(0, self, self._size_docks)   # once the page has its real size
        if self._stale:          # what changed while another lab was shown, before painting
            self._stale = False
            self._refresh()
            lay_out_now(self)    # (its texts' new sizes too, before the first frame)

    def _size_docks(self) -> None:
        """The equation panel gets most of the right side, wider in presentation mode."""
        h = max(300, self.height())
        self.resizeDocks([self.dock_eq, self.dock_inspector], [int(h * 0.66), int(h * 0.2)],
                         Qt.Orientation.Vertical)
        self._size_equation_width()

    def _size_equation_width(self) -> None:
        """The equation panel's share of the width: more in presentation mode (the graph
        needs room at 1.75x), less beside the matrix view there (batch-norm matrices)."""
        frac = (0.31 if self.matrix.active else 0.36) if self.style_.presentation else 0.34
        w = max(600, self.width())
        self.resizeDocks([self.dock_eq], [int(w * frac)], Qt.Orientation.Horizontal)

    @property
    def matrix_view(self):
        """The matrix view (:class:`MatrixView`), built when first shown or asked for."""
        if self._matrix_view is None:
            from nnviz.views.workbench.matrix_view import MatrixView
            v = self._matrix_view = MatrixView(self.matrix)
            v.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            v.is_hidden = self.reveal.hidden
            v.apply_style(self.style_)
            self.centre.addWidget(v)
        return self._matrix_view

    @property
    def editor(self) -> NetworkEditor:
        """The network editor, built the first time its tab is shown (or it is asked for):
        most lessons start on the inspector, and the start-up need not wait for it."""
        if self._editor is None:
            self._editor = NetworkEditor(self.doc)
            self._editor.apply_style(self.style_)
            self._editor_scroll.setWidget(self._editor)
        return self._editor

    def show_matrices(self, on: bool | None = None) -> None:
        """Toggle the matrix view in the centre (the graph comes back when it is off)."""
        on = self.act_matrix.isChecked() if on is None else bool(on)
        with QSignalBlocker(self.act_matrix):
            self.act_matrix.setChecked(on)
        self.matrix.set_active(on)
        self.centre.setCurrentWidget(self.matrix_view if on else self.graph)
        if self.style_.presentation and self._sized:
            self._size_equation_width()
        self.stepper.tick = self.matrix.next if on else None
        self.stepper.tick_position = (lambda: self.matrix.m) if on else (lambda: 0)
        (self.matrix_view if on else self.graph).setFocus()
        self.request_refresh()

    # ------------------------------------------------------------ refresh
    def _on_position_changed(self) -> None:
        self.request_refresh()

    def refresh_pending(self) -> bool:
        return self._refresher.pending()

    def request_refresh(self) -> None:
        """Refresh once before the next repaint. A hidden Workbench only notes that it must
        (a hidden lab costs nothing: the Training lab changes the network every frame)."""
        if self.isVisible():
            self._refresher.request()
        else:
            self._refresher.cancel()
            self._stale = True

    def _on_playing_changed(self, playing: bool) -> None:
        self.act_play.setChecked(playing)
        self.act_play.setText("Pause" if playing else "Play")

    def _on_selection_changed(self) -> None:
        sel = self.inspector.selection
        self.graph.set_selected(neuron=sel[1:] if sel and sel[0] == "neuron" else None,
                                edge=sel[1:] if sel and sel[0] == "edge" else None)

    def _on_lesson_changed(self) -> None:
        lesson = self.doc.lesson
        if lesson is not None:
            self.train_n.set_default_steps(lesson.epochs)
            show_markdown(self.lesson_text, f"## {lesson.title}\n\n{lesson.description}\n\n"
                          + (f"*{lesson.source}*" if lesson.source else ""))
        self.inspector.select(None)
        # after the whole load (the training lab may still replace the data, which would
        # make a trace built now stale), before the window repaints
        self.request_refresh()

    def _refresh(self) -> None:
        """Re-read the stepper and the document into every panel (coalesced)."""
        self._refresher.cancel()
        st = self.stepper
        hidden = self.reveal.hidden()
        if not self.matrix.active:   # (behind the matrix view the graph waits until
            show_step(self.graph, st, self.reveal, hidden, self.style_.presentation)
            self._on_selection_changed()   # (it comes back: a hidden view costs nothing)
        self.reveal.sync()
        self.equations.refresh(hidden)
        self.inspector.refresh()
        self.timeline.refresh()
        remarks = step_remarks(self.doc, self.matrix, self.stepper)
        self.train_n.set_step_remarks(remarks)
        if self.matrix.active:   # (remarks of a hidden matrix view are set when shown)
            self.matrix_view.canvas.remarks = remarks
            self.matrix_view.refresh()
        status = self.matrix.status_text() if self.matrix.active else st.status_text()
        # in view in presentation mode too
        short = step_remarks(self.doc, self.matrix, self.stepper, short=True)
        self.status.emit(math_plain(" · ".join([status] + short)))   # "neuron a²₃", not a^2_3
        if not self.matrix.active:
            self.graph.flush()

    # ------------------------------------------------------------ Lab hooks
    def step_forward(self) -> None:
        self._stepping().next()

    def predict_mode_text(self) -> str:
        return ("Predict mode on: each micro-step's result is hidden until a guess is right "
                "or R reveals it (→ steps)")

    def reveal_current(self) -> bool:
        return self.reveal.reveal()

    def result_hidden(self) -> bool:
        return self.reveal.hidden()

    def step_back(self) -> None:
        self._stepping().prev()

    def advance(self, steps: int) -> None:
        for _ in range(max(0, int(steps))):
            self._stepping().next()
        self._refresh()

    def activate(self) -> None:
        self.status.emit(math_plain(self.matrix.status_text() if self.matrix.active
                                    else self.stepper.status_text()))
        fw = QApplication.focusWidget()
        if fw is None or not self.isAncestorOf(fw):
            # so the lab's own shortcuts (Shift+Right …) work
            (self.matrix_view if self.matrix.active else self.graph).setFocus()

    def deactivate(self) -> None:
        self.stepper.playback.pause()

    def zoom(self, factor: float | None) -> None:
        self.graph.zoom(factor)

    def apply_style(self, style: Style) -> None:
        was = self.style_.presentation
        self.style_ = style
        self._presentation_docks(style.presentation, was)
        self.graph.apply_style(style)
        if self._matrix_view is not None:
            self._matrix_view.apply_style(style)
        for p in (self.equations, self.inspector, self.timeline, self.train_n, self._editor,
                  self.reveal.bar):
            if p is not None:
                p.apply_style(style)
        f = self.lesson_text.font()
        f.setPointSizeF(style.pt(10.5))
        self.lesson_text.setFont(f)
        if self.isVisible():
            self._size_docks()
        self.request_refresh()  # once, before the repaint (not again at creation)

    def _presentation_docks(self, on: bool, was: bool) -> None:
        """Presentation mode keeps the graph and the equation: the editing docks and the
        timeline step aside (keys still step and play), and come back afterwards."""
        docks = (self.dock_inspector, self.dock_editor, self.dock_lesson, self.dock_timeline)
        if on and not was:
            self._docks_before = [d.isVisible() or not self.isVisible() for d in docks]
            for d in docks:
                d.hide()
        elif was and not on:
            for d, shown in zip(docks, self._docks_before or [True] * len(docks)):
                d.setVisible(shown)

    def view_state(self) -> dict[str, Any]:
        return {"weight_labels": self.act_labels.isChecked(), "matrix_on": self.matrix.active}

    def apply_view_state(self, view: dict[str, Any]) -> None:
        self.act_labels.setChecked(view["weight_labels"])
        self.graph.show_weight_labels(view["weight_labels"])
        if view["matrix_on"] != self.matrix.active:
            self.show_matrices(view["matrix_on"])

    def caption_position(self) -> tuple[int, str]:
        """Micro-steps shown and the phase of the last one, for the caption bar and exports."""
        step = self.stepper.step
        return self.stepper.k, (step.phase if step is not None else "start")

    def menu_actions(self) -> list:
        return [self.act_matrix]

    def caption_values(self) -> dict[str, float] | None:
        """The live trace's values for caption templates (once per trace)."""
        tr, lesson = self.stepper.trace, self.doc.lesson
        if tr is None or lesson is None:
            return None
        if not quotes_values(lesson.captions):
            return {}
        if self._values_of is not tr:
            from nnviz.engine.teaching.captions import trace_values

            self._values_of, self._values = tr, trace_values(tr)
        return self._values

    def main_view(self) -> QWidget:
        return self.matrix_view if self.matrix.active else self.graph

    def history(self) -> dict[str, list[float]] | None:
        """The timeline's cost per training step (File > Export > Training history)."""
        return self.stepper.history()

    def stop_work(self) -> None:
        self.repeat.cancel()
        self.matrix.shutdown()
        self.stepper.playback.pause()
        self._refresher.cancel()
