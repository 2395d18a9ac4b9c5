"""The base of every lab page: an embedded QMainWindow (so a lab can have its
own dock panels) with the hooks the main window calls.

Hooks (all optional; the defaults are safe):

- ``activate()`` / ``deactivate()``: shown / hidden (start or pause timers).
- ``step_forward()`` / ``step_back()`` / ``advance(k)``: clicker keys and ``--steps``.
- ``zoom(factor | None)``: Ctrl+= / Ctrl+- / Ctrl+0.
- ``apply_style(style)``: presentation mode or theme changed (fonts: ``style.pt(size)``,
  pens: width * ``style.scale``, colours: ``style.background`` etc.). The main window
  already scales the application font and sets the widget palette; a lab redraws its
  own pictures (pyqtgraph backgrounds, pens, item fonts).
- ``state()`` / ``restore_state(d)``: the lab's part of a ``.nnviz`` workspace, read
  from and written to its controllers (``self.parts``, nnviz.controllers.lab_parts,
  made by the window's Session before the page): the page need not exist for a
  workspace round trip. A page with choices of its own (a tab, a check box) says them
  in ``view_state()`` and takes them in ``apply_view_state(view)`` (also called when
  the parts are attached, so a workspace opened before the page was built shows).
- ``progress()`` / ``restore_progress(p)``: what a run has built up in memory and a
  workspace does not keep (the Training lab's epoch, history, optimiser state).
- ``caption_position() -> (k, phase)``: where the lab is in the lesson's micro-step
  trace, for the caption bar and the Markdown export: ``k`` micro-steps are shown
  (0 = none) and ``phase`` is the phase of step k ("start" when k == 0, else one of
  forward, error, backward, update, result). Emit ``position_changed`` (or ``status``)
  whenever it changes so the caption bar follows.
- ``caption_progress() -> (step, loss) | None`` and ``caption_values() -> dict | None``:
  what ``when`` captions and caption templates read (nnviz.engine.teaching.captions).
- ``history() -> dict[str, list[float]] | None``: the training history as equal-length
  columns (e.g. {"epoch": [...], "cost": [...]}) for File > Export > History as CSV.
- ``open_csv(path) -> bool``: a CSV file was dropped or opened; return True if the lab
  took it, False if it does not take CSV files; raise ValueError with a clear message
  if the file is bad (nothing may change then).
- ``predict_mode_text() -> str``: what predict mode (Q) hides in this lab, for the status
  bar; "" (the default) if nothing: Q then says so and leaves the mode off.
- ``reveal_current() -> bool``: predict-then-reveal (R): show the hidden result of the
  step on screen; False if the lab hides nothing now. ``result_hidden()``: a result is
  hidden now (the caption bar then shows no caption: it may quote the answer; it says
  what to predict instead, from ``reveal_prompt()``).
- ``main_view()``: the widget exported as PNG/SVG.
- ``shutdown()``: stop timers and threads before the window closes.

A lab's own keys (QActions with shortcuts) also go in ``nnviz/views/lab_keys.py``, which
the shortcut sheet (F1) reads for labs not made yet; a test checks the two agree.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QWidget

from nnviz.controllers.document import Document
from nnviz.controllers.lab_parts import LabParts
from nnviz.controllers.session import LAB_PARTS, parts_class
from nnviz.views.style import Style


class Lab(QMainWindow):
    """A lab page. Subclasses set ``name`` and ``title`` and override the hooks they need."""

    name = ""
    title = ""
    #: text for the main window's status bar (e.g. "Forward · layer 2 · neuron h1 · step 3 of 32")
    status = Signal(str)
    #: emitted when caption_position() changes (the caption bar re-reads it)
    position_changed = Signal()
    #: caption_values() are the lesson's worked example computed live (the notes' own
    #: numbers are then shown beside them where they differ)
    captions_quote_worked_example = False

    def refresh_pending(self) -> bool:
        """True while a coalesced refresh of the lab is posted and not yet run (it emits
        ``status``, which refreshes the caption bar: nothing else need ask meanwhile)."""
        return False

    def caption_hold_from(self) -> int | None:
        """None, or the first micro-step of the phase shown: a step caption from there on
        stays up until the next captioned step (the Convolution lab's captions describe
        the positions after them too; its caption bar stood empty between them)."""
        return None

    def __init__(self, doc: Document, parent: QWidget | None = None,
                 parts: LabParts | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.setObjectName(f"lab-{self.name}")
        # the last status, for a window that starts to watch the lab after it was built
        # (a page emits its first status while it is made: the Neuron lab's perceptron
        # page left the status bar empty until its first step)
        self.last_status = ""
        self.status.connect(self._note_status)
        if parts is None and self.name in LAB_PARTS:   # a page on its own: its own parts
            parts = parts_class(self.name)(doc, self)
        self.parts = parts

    def _note_status(self, text: str) -> None:
        self.last_status = text

    # -- called by the main window ------------------------------------------
    def activate(self) -> None:
        """The lab became visible (start timers here)."""

    def deactivate(self) -> None:
        """Another lab is shown (pause timers here)."""

    def step_forward(self) -> None:
        """Clicker 'next' (Right, Space, Page Down)."""

    def step_back(self) -> None:
        """Clicker 'previous' (Left, Backspace, Page Up)."""

    def advance(self, steps: int) -> None:
        """Take ``steps`` forward steps at once (used by ``nnviz screenshot --steps``)."""
        for _ in range(max(0, steps)):
            self.step_forward()

    def zoom(self, factor: float | None) -> None:
        """Zoom the lab's main view by ``factor``; None resets (Ctrl+=, Ctrl+-, Ctrl+0)."""

    def apply_style(self, style: Style) -> None:
        """Presentation mode or theme changed: update fonts, pens and colours."""

    def state(self) -> dict[str, Any]:
        """Lab-specific state for a workspace file (JSON-serialisable): its parts'."""
        return self.parts.state() if self.parts is not None else {}

    def restore_state(self, state: dict[str, Any]) -> None:
        """Inverse of :meth:`state`; must validate and raise ValueError on bad input."""
        if self.parts is not None:
            self.parts.restore_state(state)

    def view_state(self) -> dict[str, Any]:
        """The page's own choices a workspace keeps (see LabParts.view)."""
        return {}

    def apply_view_state(self, view: dict[str, Any]) -> None:
        """Show the choices of :meth:`view_state` (already validated by the parts)."""

    def progress(self) -> Any:
        """In-memory progress a failed open must put back (None: nothing beyond state())."""
        return self.parts.progress() if self.parts is not None else None

    def restore_progress(self, progress: Any) -> None:
        """Inverse of :meth:`progress` (called after :meth:`restore_state`)."""
        if self.parts is not None:
            self.parts.restore_progress(progress)

    def caption_position(self) -> tuple[int, str]:
        """(k, phase): micro-steps shown and the phase of step k; (0, "start") by default."""
        return 0, "start"

    def caption_progress(self) -> tuple[int, float | None] | None:
        """(step, loss) for captions with ``when`` conditions: the descent step or epoch
        and the loss now; None if the lab has no such progress."""
        return None

    def caption_values(self) -> dict[str, float] | None:
        """Live values that caption templates quote by name ({w5}, {out_o1}...); None:
        the lab has none, and the lesson's own worked example is quoted."""
        return None

    def history(self) -> dict[str, list[float]] | None:
        """Training history as equal-length named columns, or None if the lab has none."""
        return None

    def open_csv(self, path: str) -> bool:
        """Take a CSV data file; False if this lab does not take CSVs, ValueError if bad."""
        return False

    def _action(self, text: str, slot, shortcut: str | None, tip: str,
                checkable: bool = False) -> QAction:
        """A lab's own key: active while the lab (or a widget in it) has the focus."""
        a = QAction(text, self)
        if shortcut:
            a.setShortcut(QKeySequence(shortcut))
            tip = f"{tip} ({shortcut})"
        a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        a.setToolTip(tip)
        a.setStatusTip(tip)
        a.setCheckable(checkable)
        a.triggered.connect(slot)
        self.addAction(a)
        return a

    def predict_mode_text(self) -> str:
        """What the status bar says when predict mode (Q) is switched on in this lab: what
        it hides and how to see it; "" if the lab has nothing to hide (Q then says so and
        leaves the mode off)."""
        return ""

    def reveal_current(self) -> bool:
        """Show the step's hidden result (predict, then reveal); False if none is hidden."""
        return False

    def result_hidden(self) -> bool:
        """Is a step's result hidden now (predict, then reveal)?"""
        return False

    def reveal_prompt(self) -> str:
        """Predict, then reveal: what the caption bar says about the step's result (what
        to predict, how to reveal it); "" if the lab asks nothing now. Labs that predict
        have a :class:`nnviz.views.reveal_bar.LabReveal` as ``reveal``."""
        reveal = getattr(self, "reveal", None)
        return reveal.prompt() if hasattr(reveal, "prompt") else ""

    def menu_actions(self) -> list:
        """The lab's own entries for the Step menu (QActions), shown while it is."""
        return []

    def main_view(self) -> QWidget:
        """The widget exported as PNG/SVG for 'export view'."""
        return self.centralWidget() or self

    def stop_work(self) -> None:
        """Stop the lab's own playbacks, workers and threads (a hook for :meth:`shutdown`)."""

    def shutdown(self) -> None:
        """Before the window closes: stop the lab's work, then every timer the page owns —
        a redraw a user's last action scheduled a few milliseconds ago included, so nothing
        of the page runs after it."""
        self.stop_work()
        for timer in self.findChildren(QTimer):
            timer.stop()
