"""Workspace files for the main window: save, open, recent files, the unsaved-changes
prompt, drops, and the autosave to a recovery file.

The prompts are window-modal and asynchronous (``QMessageBox.open``): the action
continues in a callback, so nothing ever blocks in a nested event loop.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from nnviz.controllers.settings_store import get_str_list, put_str_list
from nnviz.engine.core.network import Network
from nnviz.engine.files.json_text import json_format, plain
from nnviz.engine.files.validate import FormatError
from nnviz.engine.files.weights_file import WEIGHTS_FORMAT
from nnviz.engine.files.workspace import SUFFIX, Workspace, data_spec_for, read_workspace, save_workspace
from nnviz.views.autosave import Autosaver
from nnviz.views.background import BIG_FILE_BYTES, Background, file_size
from nnviz.views.recovery import RecoveryFiles
from nnviz.views.safe_text import warn
from nnviz.views.transaction import all_or_nothing

if TYPE_CHECKING:
    from nnviz.views.main_window import MainWindow

AUTOSAVE_MS = 60_000
MAX_RECENT = 8
DROP_SUFFIXES = (SUFFIX, ".json", ".csv")


def read_big(*args) -> None:
    """:func:`nnviz.views.big_reads.read_big`, imported when a large file is first read."""
    from nnviz.views.big_reads import read_big as read

    read(*args)


def dropped_path(event) -> str | None:
    """The one local .nnviz, .json or .csv file of a drag/drop event, else None."""
    md = event.mimeData()
    if md is None or not md.hasUrls():
        return None
    urls = [u for u in md.urls() if u.isLocalFile()]
    if len(urls) != 1:
        return None
    path = urls[0].toLocalFile()
    return path if path.lower().endswith(DROP_SUFFIXES) else None


class FileManager(QObject):
    """Save/open/recover workspaces for one main window."""

    def __init__(self, win: MainWindow) -> None:
        super().__init__(win)
        self.win = win
        self.doc = win.doc
        self.path: str | None = None
        self.prompt: QMessageBox | None = None
        self.recent_menu = QMenu("Open &recent", win)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave_now)
        self.autosave_timer.start()
        self.doc.modified_changed.connect(self._on_modified_changed)
        self.recovery = RecoveryFiles(win.settings.fileName())
        self.background = Background(self)
        self.autosaver = Autosaver(self)

    # ------------------------------------------------------------ collecting
    def current_workspace(self, network: Network | None = None,
                          detached: bool = False) -> Workspace:
        """The workspace of what is on screen now, with a copy of the document's network
        (or ``network``, a copy made by the caller); ``detached``: the labs' parts copied
        as plain JSON values too (the workspace is then written on another thread)."""
        doc, win = self.doc, self.win
        lab = win.current_lab
        position = lab.caption_position() if lab is not None else (0, "start")
        states = win.session.state()   # from the controllers: no lab page need exist
        if detached:
            states = {name: plain(st, f"labs.{name}") for name, st in states.items()}
        network = doc.network.copy() if network is None else network
        return Workspace(doc.lesson, network, doc.x.copy(), doc.y.copy(),
                         doc.example_x.copy(), doc.example_y.copy(), doc.config, doc.loss_name,
                         win.current_lab_name, states, (int(position[0]), str(position[1])),
                         data_spec_for(doc.lesson, doc.x, doc.y), win.pen.saved(),
                         dataset=doc.data_state())

    def install(self, ws: Workspace) -> None:
        """Put a validated workspace on screen, all or nothing (FormatError if anything
        went wrong; the window, its undo history and its labs are then as before)."""
        all_or_nothing(self.win, lambda: self._install(ws), "a lab refused the workspace")

    def _install(self, ws: Workspace) -> None:
        win = self.win
        self.doc.restore_workspace(ws.lesson, ws.network, ws.x, ws.y, ws.example_x,
                                   ws.example_y, ws.config, ws.loss, clear_undo=False,
                                   dataset=ws.dataset)
        win.session.restore_state(ws.labs)
        win.show_lab(ws.lab if ws.lab in win.lab_names else
                     (ws.lesson.lab if ws.lesson.lab in win.lab_names else win.lab_names[0]))
        win.pen.restore(ws.drawing)
        win.captions.refresh()

    # ------------------------------------------------------------ save
    def save(self) -> bool:
        """Save to the current file (asks for a name the first time)."""
        if self.path is None:
            return self.save_as()
        return self.save_to(self.path)

    def save_as(self) -> bool:
        start = self.path or str(Path.home() / f"{self.doc.lesson.name}{SUFFIX}")
        path, _ = QFileDialog.getSaveFileName(self.win, "Save workspace", start,
                                              f"nnviz workspaces (*{SUFFIX})")
        if not path:
            return False
        if not path.endswith(SUFFIX):
            path += SUFFIX
        return self.save_to(path)

    def save_to(self, path: str) -> bool:
        """Write the workspace atomically; on failure tell the user, the old file survives."""
        from nnviz import __version__

        try:
            save_workspace(path, self.current_workspace(), __version__)
        except (OSError, FormatError) as e:
            warn(self.win, "Could not save", f"{path}:\n{e}")
            return False
        self.path = path
        self.doc.mark_saved()
        self.remove_recovery()
        self.add_recent(path)
        self.win.update_title()
        self.doc.message.emit(f"Saved {path}")
        return True

    # ------------------------------------------------------------ open
    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.win, "Open", self.path or "",
            f"nnviz files (*{SUFFIX} *.json *.csv);;Workspaces (*{SUFFIX});;Lessons (*.json);;"
            "Data (*.csv)")
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> None:
        """Open a workspace, lesson, weights or CSV file, asking about unsaved changes first."""
        if Path(path).suffix.lower() == ".json" and self.is_big(path):
            # which kind of .json it is needs a parse: read (and check) it once, off the
            # GUI thread, then import the weights or ask about unsaved changes and open
            read_big(self, path, "json", lambda kind, value: self._open_read(path, kind, value))
            return
        self._open_kind(path, self.kind_of(path))

    def _open_read(self, path: str, kind: str, value) -> None:
        if kind == "weights":
            self.win.exporter.apply_weights(path, value)
        else:
            self.confirm_discard(lambda: self._finish_lesson(path, value, None))

    def _open_kind(self, path: str, kind: str) -> None:
        if kind == "csv":
            self.win.open_csv(path)
        elif kind == "weights":
            self.win.import_weights(path)
        elif kind in ("workspace", "lesson"):
            self.confirm_discard(lambda: self._open_now(path, kind))
        else:
            warn(self.win, "Cannot open", f"{path}:\nnnviz opens {SUFFIX} "
                                "workspaces, lesson or weights .json files and .csv data files.")

    @staticmethod
    def is_big(path: str) -> bool:
        """True if ``path`` is read off the GUI thread (over BIG_FILE_BYTES)."""
        return file_size(path) > BIG_FILE_BYTES

    @staticmethod
    def kind_of(path: str) -> str:
        """'workspace', 'lesson', 'weights', 'csv' or '' from the name; a .json file is a
        weights file if its parsed top-level "format" says so (else a lesson)."""
        suffix = Path(path).suffix.lower()
        if suffix == SUFFIX:
            return "workspace"
        if suffix == ".csv":
            return "csv"
        if suffix == ".json":
            return "weights" if json_format(path) == WEIGHTS_FORMAT else "lesson"
        return ""

    def _open_now(self, path: str, kind: str) -> bool:
        if self.is_big(path):  # read and check it off the GUI thread
            finish = self._finish_lesson if kind == "lesson" else self._finish_open
            read_big(self, path, kind, lambda _kind, value: finish(path, value, None))
            return True
        if kind == "lesson":
            return self._finish_lesson(path, path, None)
        try:
            ws = read_workspace(path)
        except FormatError as e:
            ws, err = None, e
        else:
            err = None
        return self._finish_open(path, ws, err)

    def _finish_lesson(self, path: str, lesson, err: BaseException | None) -> bool:
        if err is not None:
            warn(self.win, "Cannot open lesson", str(err) if isinstance(err, FormatError)
                 else f"{Path(path).name}: {type(err).__name__}: {err}")
            return False
        if self.win.open_lesson(lesson):
            self.path = None
            self.win.update_title()
            return True
        return False

    def _finish_open(self, path: str, ws: Workspace | None, err: BaseException | None) -> bool:
        try:
            if err is not None:
                raise err if isinstance(err, FormatError) else FormatError(
                    f"{Path(path).name}: {type(err).__name__}: {err}")
            self.install(ws)
        except FormatError as e:
            warn(self.win, "Cannot open workspace", str(e))
            return False
        self.path = path
        self.doc.mark_saved()
        self.add_recent(path)
        self.win.update_title()
        self.doc.message.emit(f"Opened {path}")
        return True

    # ------------------------------------------------------------ unsaved changes
    def confirm_discard(self, then: Callable[[], object]) -> None:
        """Run ``then`` now if nothing is unsaved, else after the user chose Save or Discard."""
        if not self.doc.is_modified or self.doc.lesson is None:
            then()
            return
        if self.prompt is not None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes",
                          "The workspace has unsaved changes. Save them first?",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self.win)
        box.setDefaultButton(QMessageBox.StandardButton.Save)

        def done(clicked) -> None:
            if clicked == QMessageBox.StandardButton.Save:
                if self.save():
                    then()
            elif clicked == QMessageBox.StandardButton.Discard:
                then()

        self._ask(box, done)

    def _ask(self, box: QMessageBox, done: Callable[[object], object]) -> None:
        """Show ``box`` window-modal without a nested event loop; ``done(button)`` runs with
        the standard button clicked (None if the box was closed otherwise)."""
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self.prompt = box

        def finished(_result: int) -> None:
            clicked = box.standardButton(box.clickedButton()) if box.clickedButton() else None
            self.prompt = None
            box.deleteLater()
            done(clicked)

        box.finished.connect(finished)
        box.open()

    # ------------------------------------------------------------ recent files
    def recent_files(self) -> list[str]:
        return get_str_list(self.win.settings, "recent_files")[:MAX_RECENT]

    def add_recent(self, path: str) -> None:
        path = os.path.abspath(path)
        files = [path] + [p for p in self.recent_files() if p != path]
        put_str_list(self.win.settings, "recent_files", files[:MAX_RECENT])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for p in files:
            a = QAction(Path(p).name, self.recent_menu)
            a.setToolTip(p)
            a.setStatusTip(p)
            a.triggered.connect(lambda _=False, p=p: self._open_recent(p))
            self.recent_menu.addAction(a)
        if not files:
            a = self.recent_menu.addAction("(no recent files)")
            a.setEnabled(False)

    def _open_recent(self, path: str) -> None:
        if not os.path.exists(path):
            put_str_list(self.win.settings, "recent_files",
                         [p for p in self.recent_files() if p != path])
            warn(self.win, "File not found",
                                f"{path}\nno longer exists; it was removed from the list.")
            return
        self.open_path(path)

    # ------------------------------------------------------------ autosave and recovery
    @property
    def recovery_path(self) -> Path:
        """This window's recovery file (its own; other windows have theirs)."""
        return self.recovery.path

    def _on_modified_changed(self, modified: bool) -> None:
        self.win.update_title()
        if modified:
            self.autosaver.prepare()

    def autosave_now(self) -> bool:
        """Write this window's recovery file if there are unsaved changes (a large network's
        off the GUI thread, see :mod:`nnviz.views.autosave`); never raises."""
        return self.autosaver.now()

    def remove_recovery(self) -> None:
        """Remove this window's own recovery file (its work was saved or discarded)."""
        self.autosaver.removed()
        self.recovery.discard(self.recovery_path)

    def offer_recovery(self) -> None:
        """After a crash: offer the newest recovery file of a window that is not running
        (Restore or Discard); running windows' files are never offered."""
        orphans = self.recovery.orphans()
        if not orphans or self.prompt is not None:
            return
        p = max(orphans, key=lambda q: q.stat().st_mtime if q.exists() else 0)
        box = QMessageBox(QMessageBox.Icon.Question, "Recover unsaved work?",
                          "nnviz did not close cleanly last time. Restore the work that was "
                          "autosaved?", QMessageBox.StandardButton.Open
                          | QMessageBox.StandardButton.Discard, self.win)
        box.button(QMessageBox.StandardButton.Open).setText("Restore")

        def done(clicked) -> None:
            if clicked == QMessageBox.StandardButton.Open:
                self.recover(p)
            else:
                self.recovery.discard(p)

        self._ask(box, done)

    def recover(self, p: Path | None = None) -> bool:
        """Load a recovery file as an unsaved workspace; one that cannot be read is kept
        (renamed ``….unreadable``) and the user is told where, never deleted unasked. A
        large one is read off the GUI thread (True then means it is being read)."""
        p = p or self.recovery_path
        if self.is_big(str(p)):
            read_big(self, str(p), "workspace", lambda _kind, ws: self._recovered(p, ws),
                     lambda message: self._unrecoverable(p, message))
            return True
        try:
            ws = read_workspace(p)
        except FormatError as e:
            return self._unrecoverable(p, str(e))
        return self._recovered(p, ws)

    def _recovered(self, p: Path, ws: Workspace) -> bool:
        try:
            self.install(ws)
        except FormatError as e:
            return self._unrecoverable(p, str(e))
        self.recovery.discard(p)
        self.path = None
        self.doc.mark_modified()
        self.win.update_title()
        self.doc.message.emit("Recovered the autosaved work (not saved yet)")
        return True

    def _unrecoverable(self, p: Path, message: str) -> bool:
        aside = self.recovery.set_aside(p)
        warn(self.win, "Cannot recover", f"{message}\n\nThe file was kept as {aside}")
        return False

    def shutdown(self) -> None:
        """Clean exit: stop the autosave, remove this window's recovery file and lock."""
        self.autosave_timer.stop()
        self.autosaver.closing = True
        self.background.shutdown()  # an autosave being written finishes first
        self.recovery.release(remove_file=True)

