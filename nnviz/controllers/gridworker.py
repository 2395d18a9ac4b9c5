"""A worker thread for long computations (error-surface grids).

Jobs are plain callables ``job(progress) -> result`` built from copies of the
data, so the worker never touches live objects. A newer job replaces an older
one: the older one stops at its next chunk (its progress callback returns
False) and its result is never delivered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from nnviz.engine.labs.surface import Cancelled

Job = Callable[[Callable[[int, int], bool]], Any]


class _Worker(QObject):
    progress = Signal(int, int, int)      # request id, done, total
    finished = Signal(int, object)        # request id, result
    failed = Signal(int, str)             # request id, message

    def __init__(self) -> None:
        super().__init__()
        self.latest = 0      # written by the GUI thread; an int store is atomic
        #: test hook: called in the worker thread after each chunk (id, done, total)
        self.chunk_hook: Callable[[int, int, int], None] | None = None

    @Slot(int, object)
    def run(self, rid: int, work: tuple[Job, bool]) -> None:
        if rid != self.latest:
            return  # replaced before it started
        job, quiet = work

        def progress(done: int, total: int) -> bool:
            if self.chunk_hook is not None:
                self.chunk_hook(rid, done, total)
            if rid != self.latest:
                return False
            if not quiet:
                self.progress.emit(rid, done, total)
            return True

        try:
            result = job(progress)
        except Cancelled:
            return
        except (ValueError, FloatingPointError, MemoryError) as e:
            self.failed.emit(rid, str(e))
            return
        if rid == self.latest:
            self.finished.emit(rid, result)


class GridRunner(QObject):
    """Runs one job at a time off the GUI thread; a new submit cancels the old job."""

    started = Signal(int)                 # request id
    progress = Signal(int)                # percent of the current request
    finished = Signal(int, object)        # request id, result (current requests only)
    failed = Signal(str)
    _submit = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("nnviz-grid")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.progress.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._thread.finished.connect(self._worker.deleteLater)
        self._stopped = False   # the thread starts with the first job (a hidden lab's none)
        app = QCoreApplication.instance()
        if app is not None:  # never leave a running thread behind at exit
            app.aboutToQuit.connect(self.shutdown)
        self._next = 0
        self.current = 0      # id of the request whose result we wait for (0: none)

    @property
    def worker(self) -> _Worker:
        return self._worker

    def busy(self) -> bool:
        """True while a request is outstanding."""
        return self.current != 0

    def submit(self, job: Job, quiet: bool = False) -> int:
        """Queue ``job``; any earlier job is cancelled. Returns the request id. A ``quiet``
        job reports no progress (a quick one: progress would only cost repaints)."""
        if self._stopped:
            raise RuntimeError("the grid worker has been shut down")
        if not self._thread.isRunning():
            self._thread.start()
        self._next += 1
        rid = self._next
        self._worker.latest = rid
        self.current = rid
        self.started.emit(rid)
        self._submit.emit(rid, (job, quiet))
        return rid

    def cancel(self) -> None:
        """Cancel the outstanding request (its result is dropped)."""
        if not self._stopped:
            self._worker.latest = -1
        self.current = 0

    def _on_progress(self, rid: int, done: int, total: int) -> None:
        if rid == self.current and total:
            self.progress.emit(int(100 * done / total))

    def _on_finished(self, rid: int, result: object) -> None:
        if rid != self.current:
            return  # a stale result
        self.current = 0
        self.finished.emit(rid, result)

    def _on_failed(self, rid: int, message: str) -> None:
        if rid == self.current:
            self.current = 0
            self.failed.emit(message)

    def shutdown(self) -> None:
        """Cancel and stop the thread (waits for the running chunk to end)."""
        if self._stopped:
            return
        self.cancel()
        self._stopped = True
        self._thread.quit()
        self._thread.wait()
