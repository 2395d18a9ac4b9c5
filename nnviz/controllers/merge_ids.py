"""Undo merge ids. Consecutive edits of one thing (the steps of a drag) merge into one
undo entry; QUndoStack tells them apart by an int id. A key names the thing (any
hashable tuple, e.g. ("weight", layer, j, k)); distinct keys get distinct ids, so no two
things can share one however big the network (an arithmetic code such as
layer*10_000 + j*100 + k did collide for a 784-input layer)."""

from __future__ import annotations

from collections.abc import Hashable
from itertools import count

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
