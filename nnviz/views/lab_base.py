"""The base of every lab page: an embedded QMainWindow (so a lab can have its
own dock panels) with the hooks the main window calls."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMainWindow, QWidget

from nnviz.controllers.document import Document
from nnviz.views.style import Style


class Lab(QMainWindow):
    """A lab page. Subclasses set ``name`` and ``title`` and override the hooks they need."""

    name = ""
    title = ""
    #: text for the main window's status bar (e.g. "Forward · layer 1 · neuron h1 · step 3 of 32")
    status = Signal(str)

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.setObjectName(f"lab-{self.name}")

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
        """Lab-specific state for a workspace file (JSON-serialisable)."""
        return {}

    def restore_state(self, state: dict[str, Any]) -> None:
        """Inverse of :meth:`state`; must validate and raise ValueError on bad input."""

    def main_view(self) -> QWidget:
        """The widget exported as PNG/SVG for 'export view'."""
        return self.centralWidget() or self

    def shutdown(self) -> None:
        """Stop timers and threads before the window closes."""
