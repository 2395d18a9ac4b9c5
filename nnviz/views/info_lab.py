"""The fallback page shown when no lab is available: the lesson and its worked example."""

from __future__ import annotations

from PySide6.QtWidgets import QTextBrowser, QWidget

from nnviz.controllers.document import Document
from nnviz.views.lab_base import Lab
from nnviz.views.safe_text import show_markdown
from nnviz.views.style import Style


class LessonInfoLab(Lab):
    """Fallback page used when no other lab is available: the lesson and its worked example."""

    name = "info"
    title = "Lesson"

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent)
        self.text = QTextBrowser()
        self.setCentralWidget(self.text)
        doc.lesson_changed.connect(self._on_lesson_changed)
        self._on_lesson_changed()

    def _on_lesson_changed(self) -> None:
        from nnviz.engine.stepping.worked import worked_markdown

        if self.doc.lesson is not None:
            try:
                text = worked_markdown(self.doc.lesson)
            except ValueError as e:   # batch normalisation: no worked step
                text = f"No worked example: {e}"
            show_markdown(self.text, text)

    def apply_style(self, style: Style) -> None:
        from nnviz.views.presentation import scaled_font

        self.text.document().setDefaultFont(scaled_font(style.scale))
        self._on_lesson_changed()  # lay the text out again in the new size
