"""One undo command for every lab: a state before, a state after, and who installs them.

Consecutive edits of one thing (the steps of a drag) merge into one undo entry;
QUndoStack tells them apart by an int id. A key names the thing (any hashable tuple,
e.g. ("weight", layer, j, k)); distinct keys get distinct ids, so no two things can share
one however big the network (an arithmetic code such as layer*10_000 + j*100 + k did
collide for a 784-input layer).
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable, Hashable
from itertools import count
from typing import Any

from PySide6.QtGui import QUndoCommand

#: ids are never reused; the table is emptied now and then so it cannot grow without bound
#: (a forgotten key gets a new id - its next edit starts a new undo entry, nothing else)
_MAX_KEYS = 100_000
_ids: dict[Hashable, int] = {}
_next = count(1_000_000)


def merge_id(*key: Hashable) -> int:
    """The merge id of ``key`` (the same key, the same id)."""
    mid = _ids.get(key)
    if mid is None:
        if len(_ids) >= _MAX_KEYS:
            _ids.clear()
        mid = _ids[key] = next(_next)
    return mid


def _same(state: Any) -> Any:
    return state


class Change(QUndoCommand):
    """An undoable change: redo installs ``after``, undo installs ``before``, each through
    ``install(copy(state))`` (``copy`` keeps the history's own states from being changed
    by whoever receives them).

    ``key`` names the thing changed, a tuple such as ``("weight", layer, j, k)``:
    consecutive changes with the same key merge into one entry (the steps of a drag keep
    the first ``before`` and the last ``after``); None never merges. ``applied``: the
    change is already made, so pushing it does not install it again.

    A bound method ``install`` is held weakly: the history must not keep a controller in a
    reference cycle (collecting such a cycle of Qt objects crashed); once the controller is
    gone its steps do nothing.
    """

    def __init__(self, text: str, install: Callable[[Any], None], before: Any, after: Any,
                 key: tuple[Hashable, ...] | None = None, *, copy: Callable[[Any], Any] = _same,
                 applied: bool = False) -> None:
        super().__init__(text)
        self._target = (weakref.WeakMethod(install) if inspect.ismethod(install)
                        else (lambda: install))
        self._before, self._after = before, after
        self._key = key
        self._id = merge_id(*key) if key is not None else -1
        self._copy = copy
        self._skip = applied

    def id(self) -> int:  # noqa: A003 - Qt API
        return self._id

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt API
        if not isinstance(other, Change) or self._key is None or other._key != self._key:
            return False
        self._after = other._after
        return True

    def redo(self) -> None:
        if self._skip:
            self._skip = False
            return
        self._install(self._after)

    def undo(self) -> None:
        self._install(self._before)

    def _install(self, state: Any) -> None:
        fn = self._target()
        if fn is not None:
            fn(self._copy(state))
