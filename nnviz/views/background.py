"""Long file work (reading and checking a large workspace, lesson or weights file, writing
a large autosave) runs in a worker thread; the result comes back on the GUI thread, and an
indeterminate progress dialog shows while a user-visible job runs (with Cancel when the job
can stop). Reading a large file also hands its parsing to a child process
(``nnviz.views.big_reads``). Small files stay synchronous (they take milliseconds)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

BIG_FILE_BYTES = 4 * 1024 * 1024      # larger files are read off the GUI thread
BIG_AUTOSAVE_PARAMS = 200_000         # larger networks are autosaved off the GUI thread
POLL_MS = 30


def file_size(path: str) -> int:
    """The size of ``path`` in bytes (0 if it cannot be read: the reader reports that)."""
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


class Background(QObject):
    """One worker thread; ``run(fn, done)`` calls ``done(result, error)`` on the GUI thread."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._pool: ThreadPoolExecutor | None = None   # made with the first job
        self._jobs: list[tuple[Future, Callable[[Any, BaseException | None], None],
                               QProgressDialog | None]] = []
        self._stops: list[threading.Event] = []  # of the jobs that can stop early
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def run(self, fn: Callable[[], Any], done: Callable[[Any, BaseException | None], None],
            label: str = "", parent: QWidget | None = None,
            stop: threading.Event | None = None) -> QProgressDialog | None:
        """Run ``fn`` in the worker; with ``label`` and ``parent`` a progress dialog shows,
        whose Cancel sets ``stop`` (no Cancel without one). Returns the dialog."""
        dialog = None
        if label and parent is not None:
            dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
            if stop is None:
                dialog.setCancelButton(None)
            else:
                dialog.canceled.connect(stop.set)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(300)
            dialog.setValue(0)
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nnviz-files")
        self._jobs.append((self._pool.submit(fn), done, dialog))
        if stop is not None:
            self._stops.append(stop)
        self._timer.start()
        return dialog

    def wait(self) -> None:
        """Finish every job now (a clean exit, tests)."""
        while self._jobs:
            self._jobs[0][0].exception()  # blocks until that job is done
            self._poll()

    def _poll(self) -> None:
        for job in [j for j in self._jobs if j[0].done()]:
            self._jobs.remove(job)
            future, done, dialog = job
            if dialog is not None:
                _close_dialog(dialog)
            err = future.exception()
            done(None if err is not None else future.result(), err)
        if not self._jobs:
            self._timer.stop()
            self._stops.clear()

    def shutdown(self) -> None:
        """Stop the reads that can stop (a closing window opens nothing), finish the rest
        (an autosave being written)."""
        for stop in self._stops:
            stop.set()
        self.wait()
        if self._pool is not None:
            self._pool.shutdown(wait=True)


def _close_dialog(dialog: QProgressDialog) -> None:
    """Close a progress dialog and give its window back the keys: without a window
    manager to do it (or with one that does not), no window was active after the modal
    dialog went, and a lab's own keys (the Workbench's M) did nothing."""
    was_active = dialog.isActiveWindow()
    dialog.reset()
    dialog.deleteLater()
    parent = dialog.parentWidget()
    if parent is not None and (was_active or QApplication.activeWindow() is None):
        parent.window().activateWindow()
