"""Opening or importing a large file without freezing the window.

The file is read, parsed and checked in a child process (``nnviz.engine.files.file_child``:
``json.loads`` of 50 MB holds the interpreter lock for seconds, which no thread can hide);
the worker thread rebuilds the decoded object from the child's plain answer and checks it
again with the same validators before building the workspace, lesson or network; the GUI
thread only installs the result (all or nothing). A progress dialog with Cancel shows
meanwhile; a cancelled or refused file changes nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nnviz.engine.files.file_child import Cancelled, read_checked
from nnviz.engine.files.validate import FormatError
from nnviz.engine.files.weights_file import weights_from
from nnviz.engine.files.workspace import workspace_from
from nnviz.engine.teaching.lessons import lesson_from
from nnviz.views.safe_text import warn

if TYPE_CHECKING:
    from nnviz.views.files import FileManager

TITLES = {"workspace": "Cannot open workspace", "lesson": "Cannot open lesson",
          "weights": "Cannot import weights", "json": "Cannot open"}


def build(kind: str, obj: Any, path: str) -> Any:
    """The Workspace, Lesson or Network of a decoded file, validated here (again)."""
    if kind == "workspace":
        return workspace_from(obj, path)
    if kind == "lesson":
        return lesson_from(obj, Path(path))
    return weights_from(obj, path)


def read_big(files: FileManager, path: str, kind: str, then: Callable[[str, Any], object],
             failed: Callable[[str], object] | None = None) -> threading.Event:
    """Read ``path`` (``kind``: workspace, lesson, weights, or json for a lesson or
    weights file) off the GUI thread; ``then(kind, value)`` runs on the GUI thread with
    the validated result. A refusal is shown (titled by the kind), or given to
    ``failed(message)``; Cancel or an error changes nothing. Returns the event that
    cancels it."""
    stop = threading.Event()

    def job() -> tuple[str, Any]:
        got, obj = read_checked(path, kind, stop)
        if stop.is_set():
            raise Cancelled()
        value = build(got, obj, path)
        if stop.is_set():
            raise Cancelled()
        return got, value

    def done(result: tuple[str, Any] | None, err: BaseException | None) -> None:
        win = files.win
        if isinstance(err, Cancelled):
            win.doc.message.emit(f"Cancelled reading {Path(path).name}: nothing changed")
            return
        if err is not None:
            text = (str(err) if isinstance(err, FormatError)
                    else f"{Path(path).name}: {type(err).__name__}: {err}")
            if failed is not None:
                failed(text)
            else:
                warn(win, TITLES.get(kind, "Cannot open"), text)
            return
        then(*result)

    verb = "Importing" if kind == "weights" else "Opening"
    files.background.run(job, done, f"{verb} {Path(path).name}…", files.win, stop)
    return stop
