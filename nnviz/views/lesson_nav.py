"""Moving through the syllabus: the Lessons menu by chapter, next and previous lesson
keys, and a lesson left keeps its state until the app closes.

Switching lessons asks nothing: the lesson left is kept as it was (its workspace:
network, data, settings, every lab's state such as the workbench's step and timeline)
and coming back to it restores that. Only quitting and opening files ask about unsaved
changes (and quitting names the lessons left with changes).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from nnviz.engine.files.workspace import Workspace
from nnviz.engine.teaching.lessons import builtin_id
from nnviz.engine.teaching.syllabus import Entry, chapters, neighbour, shipped_syllabus


@dataclass
class _Kept:
    workspace: Workspace
    modified: bool
    path: str | None


class LessonNavigator(QObject):
    """The syllabus of one main window and the lessons it has left."""

    def __init__(self, win) -> None:
        super().__init__(win)
        self.win = win
        self._entries: list[Entry] | None = None
        self._menu: QMenu | None = None
        self._lesson_actions: dict[str, QAction] | None = None
        self._kept: dict[str, _Kept] = {}

    @property
    def entries(self) -> list[Entry]:
        """The shipped syllabus, read at first use (every lesson file: not needed to show
        the first window)."""
        if self._entries is None:
            self._entries = shipped_syllabus()
        return self._entries

    # ------------------------------------------------------------ menu
    def fill_menu(self, menu: QMenu, extra: list[QAction]) -> None:
        """``extra`` (next, previous...) now; one submenu per chapter, in course order,
        above them when the menu is first opened (or :attr:`lesson_actions` asked for)."""
        self._menu = menu
        menu.addSeparator()
        for a in extra:
            menu.addAction(a)
        menu.aboutToShow.connect(self._add_chapters)

    @property
    def lesson_actions(self) -> dict[str, QAction]:
        """Each lesson's action in the Lessons menu, by name."""
        self._add_chapters()
        return self._lesson_actions or {}

    def _add_chapters(self) -> None:
        menu = self._menu
        if self._lesson_actions is not None or menu is None:
            return
        self._lesson_actions = {}
        first = menu.actions()[0] if menu.actions() else None
        for i, (title, entries) in enumerate(chapters(self.entries), 1):
            sub = QMenu(f"&{i} {title}" if i < 10 else title, menu)
            menu.insertMenu(first, sub)
            for e in entries:
                a = QAction(f"{e.title}  [{e.name}]", sub)
                a.setToolTip(f"Open the lesson {e.name}")
                a.triggered.connect(lambda _=False, n=e.name: self.go(n))
                sub.addAction(a)
                self._lesson_actions[e.name] = a

    # ------------------------------------------------------------ moving
    @property
    def current(self) -> str:
        """The shipped lesson on screen (its file id), or a key of its own for a lesson
        from a file or workspace: a file's ``name`` field is never taken for a shipped
        lesson's."""
        lesson = self.win.doc.lesson
        if lesson is None:
            return ""
        return builtin_id(lesson) or f"{lesson.title} (from a file)"

    def step(self, by: int) -> bool:
        """Go to the next (+1) or previous (-1) lesson of the syllabus."""
        name = neighbour(self.entries, self.current, by)
        if name is None:
            self.win.doc.message.emit("This is the last lesson." if by > 0 else
                                      "This is the first lesson.")
            return False
        return self.go(name)

    def go(self, name: str) -> bool:
        """Show lesson ``name``: as it was left, or fresh; the lesson on screen is kept."""
        if name == self.current:
            return True
        self.keep_current()
        kept = self._kept.pop(name, None)
        if kept is not None:
            return self._restore(name, kept)
        return self.win.open_lesson(name)

    def restart(self) -> None:
        """The lesson on screen afresh, as its file has it, after the unsaved-changes
        question (opening a file asks; only switching lessons does not)."""
        lesson = self.win.doc.lesson
        if lesson is None:
            return
        source = builtin_id(lesson) or (str(lesson.path) if lesson.path else None)
        if source is None:
            self.win.doc.message.emit("This lesson came from a workspace: open its file again.")
            return
        self.win.files.confirm_discard(lambda: self.win.open_lesson(source))

    def keep_current(self) -> None:
        """Remember the lesson on screen as it is now."""
        win = self.win
        if win.doc.lesson is None or win.doc.network is None:
            return
        try:
            ws = win.files.current_workspace()
        except (AttributeError, TypeError, ValueError):
            return
        self._kept[self.current] = _Kept(ws, win.doc.is_modified, win.files.path)

    def _restore(self, name: str, kept: _Kept) -> bool:
        from nnviz.engine.files.validate import FormatError

        win = self.win
        try:
            win.files.install(kept.workspace)
        except FormatError as e:
            opened = win.open_lesson(name)
            win.doc.message.emit(f"The lesson could not be put back as it was left ({e}); "
                                 "it opened afresh.")
            return opened
        win.files.path = kept.path
        if kept.modified:
            win.doc.mark_modified()
        win.update_title()
        win.doc.message.emit(f"Back to: {kept.workspace.lesson.title} (as you left it)")
        return True

    def forget(self) -> None:
        """A workspace or lesson file was opened: the kept lessons stay (they are other
        lessons); only the one opened over is dropped."""
        self._kept.pop(self.current, None)

    def kept_names(self) -> list[str]:
        return [n for n in self._kept if n != self.current]

    def modified_elsewhere(self) -> list[str]:
        """Lessons left with unsaved changes (not the one on screen)."""
        return [n for n, k in self._kept.items() if k.modified and n != self.current]
