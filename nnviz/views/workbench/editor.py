"""The network editor (stub)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from nnviz.controllers.document import Document
from nnviz.views.style import Style


class NetworkEditor(QWidget):
    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc

    def apply_style(self, style: Style) -> None:
        pass

    def refresh(self) -> None:
        pass
