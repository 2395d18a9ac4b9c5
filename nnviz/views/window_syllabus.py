"""The main window's syllabus and help overlays: next/previous lesson, the lesson picker
(G), the shortcut sheet (F1), and the quit question about lessons left with changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:
    from nnviz.views.lesson_picker import LessonPicker
    from nnviz.views.main_window import MainWindow
    from nnviz.views.shortcut_sheet import ShortcutSheet


class WindowSyllabus(QObject):
    """The syllabus's steps (through the window's lesson navigator), the two overlays it
    owns (each made when first asked for) and the quit questions."""

    def __init__(self, win: MainWindow) -> None:
        super().__init__(win)
        self.win = win
        self.picker: LessonPicker | None = None           # G: every lesson by chapter
        self.shortcut_sheet: ShortcutSheet | None = None  # F1: every key

    def next_lesson(self) -> None:
        self.win.nav.step(+1)

    def previous_lesson(self) -> None:
        self.win.nav.step(-1)

    def restart_lesson(self) -> None:
        """Lessons > Start this lesson afresh: like opening its file, so it asks first."""
        self.win.nav.restart()

    def show_picker(self) -> None:
        """The lesson picker over the window (G)."""
        if self.picker is None:
            from nnviz.views.lesson_picker import LessonPicker

            self.picker = LessonPicker(self.win)
        self.picker.toggle()

    def show_shortcuts(self) -> None:
        """Help > Keyboard shortcuts (F1): the sheet over the window."""
        if self.shortcut_sheet is None:
            from nnviz.views.shortcut_sheet import ShortcutSheet

            self.shortcut_sheet = ShortcutSheet(self.win)
        self.shortcut_sheet.toggle()

    def confirm_quit(self, then: Callable[[], object]) -> None:
        """Ask about the lesson on screen (Save / Discard / Cancel), then about lessons left
        earlier with changes (they are lost when the app closes)."""
        self.win.files.confirm_discard(lambda: self._confirm_left_lessons(then))

    def _confirm_left_lessons(self, then: Callable[[], object]) -> None:
        left = self.win.nav.modified_elsewhere()
        if not left:
            then()
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes in other lessons",
                          "These lessons were left with changes that are not saved: "
                          f"{', '.join(left)}.\nQuit anyway and lose them? (Cancel, go back "
                          "to a lesson and save it as a workspace to keep it.)",
                          QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self.win)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self.win.files._ask(box, lambda clicked: then()
                            if clicked == QMessageBox.StandardButton.Discard else None)
