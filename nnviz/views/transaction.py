"""Opening a file is all-or-nothing: the new state is applied inside a transaction that,
if anything at all goes wrong (a lab's exception, even one raised in a slot, which Qt
reports to ``sys.excepthook`` instead of raising), puts the window back as it was —
document, every lab's state and in-memory progress (each lab's ``progress()``: the
Training lab's and the CNN's runs with their optimiser, shuffle and random state, the
Generalisation lab's experiments part-way through, the Universality lab's model with its
stage and step count), the lab shown, the file name and the modified flag — and
keeps the undo history (the undo stack is only cleared once the new state is in place).

Files are validated completely before this (``nnviz.engine.files.file_schema``,
``workspace_schema``), so the rollback is a last resort, never the normal refusal.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from nnviz.engine.files.validate import FormatError

if TYPE_CHECKING:
    from nnviz.views.main_window import MainWindow


@contextmanager
def slot_errors() -> Iterator[list[BaseException]]:
    """Collect the exceptions raised in slots while the block runs."""
    got: list[BaseException] = []
    old = sys.excepthook
    sys.excepthook = lambda _t, e, _tb: got.append(e)
    try:
        yield got
    finally:
        sys.excepthook = old


@dataclass
class Snapshot:
    doc: tuple
    dirty: bool
    labs: dict[str, Any]
    progress: dict[str, Any]
    lab: str
    path: str | None
    made: tuple[str, ...] = ()   # the labs whose controllers the session had made


def take(win: MainWindow) -> Snapshot:
    """Everything a failed open must restore."""
    d = win.doc
    docs = (d.lesson, d.network.copy() if d.network is not None else None, d.x.copy(),
            d.y.copy(), d.example_x.copy(), d.example_y.copy(), replace(d.config), d.loss_name,
            d.dataset)
    states, progress = {}, {}
    for name, parts in win.session.parts.items():
        try:
            states[name] = parts.state()
            progress[name] = parts.progress()
        except Exception:  # noqa: BLE001 - a lab that cannot say its state keeps its own
            continue
    return Snapshot(docs, d._dirty, states, progress, win.current_lab_name, win.files.path,
                    tuple(win.session.parts))


def restore(win: MainWindow, snap: Snapshot) -> None:
    """Put the window back to ``snap`` (best effort; each part on its own)."""
    d = win.doc
    for name in set(win.session.parts) - set(snap.made):
        if name not in win.labs:   # made by the open, shown by no page: as if never made
            win.session.forget(name)   # (before the document is put back: none hears it)
    lesson, net, x, y, ex_x, ex_y, cfg, loss, data = snap.doc
    if lesson is not None and net is not None:
        d.restore_workspace(lesson, net, x, y, ex_x, ex_y, cfg, loss, clear_undo=False,
                            dataset=data)
    for name, st in snap.labs.items():
        try:
            win.session.parts[name].restore_state(st)
            if snap.progress.get(name) is not None:
                win.session.parts[name].restore_progress(snap.progress[name])
        except Exception:  # noqa: BLE001 - the other labs are still restored
            continue
    if snap.lab:
        win.show_lab(snap.lab)
    d._dirty = snap.dirty
    d.modified_changed.emit(d.is_modified)
    win.files.path = snap.path
    win.update_title()


def all_or_nothing(win: MainWindow, apply: Callable[[], object], what: str) -> None:
    """Run ``apply``; on any exception (raised or in a slot) restore the window and raise
    FormatError with the reason. On success the undo history of the old state is
    cleared (it belongs to the document that was replaced)."""
    snap = take(win)
    try:
        with slot_errors() as errors:
            apply()
        if errors:
            raise errors[0]
    except Exception as e:  # noqa: BLE001 - the last resort: whatever went wrong
        try:
            with slot_errors():
                restore(win, snap)
        except Exception:  # noqa: BLE001
            pass
        raise FormatError(f"{what}: {type(e).__name__}: {str(e)[:300]} — nothing was "
                          "changed") from None
    win.doc.clear_undo()
