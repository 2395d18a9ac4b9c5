"""An undo stack bounded by the bytes its commands hold, not only by their count.

QUndoStack can limit the number of steps, and only while it is empty. A network that
grows in the middle of a session (Network > Add hidden layer) makes every later step
hold far bigger copies, so a count fixed when the file was opened is no bound at all.
This stack measures what its commands keep (the NumPy arrays in their before/after
states) after every push and, over ``max_bytes``, drops the oldest steps: the steps
kept are re-pushed (wrapped, without being redone) in a fresh history with the same
position and the same saved ("clean") state where that is still in the history.
"""

from __future__ import annotations

import weakref
from functools import partial
from itertools import count
from typing import Any

import numpy as np
import shiboken6
from PySide6.QtGui import QUndoCommand, QUndoStack

_PAYLOAD = ("_before", "_after")


def payload_bytes(obj: Any, depth: int = 0) -> int:
    """The bytes of the NumPy arrays reachable from ``obj`` (arrays, networks and other
    objects' attributes, tuples, lists, dicts; a few levels deep)."""
    if isinstance(obj, np.ndarray):
        return obj.nbytes
    if depth > 4 or obj is None or isinstance(obj, (str, bytes, int, float, bool)):
        return 0
    if isinstance(obj, (tuple, list)):
        return sum(payload_bytes(e, depth + 1) for e in obj)
    if isinstance(obj, dict):
        return sum(payload_bytes(e, depth + 1) for e in obj.values())
    attrs = getattr(obj, "__dict__", None)
    if attrs is None:
        return 0
    return sum(payload_bytes(v, depth + 1) for k, v in attrs.items() if not k.startswith("__"))


def command_bytes(cmd: QUndoCommand) -> int:
    """What one undo step keeps: its before and after states (measured once)."""
    inner = cmd._inner if isinstance(cmd, _Kept) else cmd
    cached = getattr(inner, "_undo_bytes", None)
    if cached is None:
        cached = sum(payload_bytes(getattr(inner, k, None)) for k in _PAYLOAD)
        inner._undo_bytes = cached
    return cached


class _Kept(QUndoCommand):
    """A step carried over into a rebuilt history: undo/redo/merge go to the original
    command's own (Python) methods; its text and merge id are copied."""

    def __init__(self, cmd: QUndoCommand, stack: BoundedUndoStack) -> None:
        super().__init__(cmd.text())  # read while ``cmd`` is still in the old history
        self._inner = cmd._inner if isinstance(cmd, _Kept) else cmd
        self._stack, self._id = stack, cmd.id()
        self._merges = type(self._inner).mergeWith is not QUndoCommand.mergeWith

    def id(self) -> int:  # noqa: A003 - Qt API
        return self._id

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt API
        if not self._merges or self._stack._replaying:
            return False
        return bool(self._inner.mergeWith(other))

    def redo(self) -> None:
        if not self._stack._replaying:
            self._inner.redo()

    def undo(self) -> None:
        if not self._stack._replaying:
            self._inner.undo()


#: The Python objects of the commands each stack holds, kept here, outside the stack.
#: A document that ends in a reference cycle is freed by the garbage collector, which may
#: free a command's Python object before the document: the stack's C++ destructor then
#: deleted a command whose wrapper was gone, and the process crashed (SIGSEGV in
#: QUndoStack::clear during gc.collect, reproduced with a Document, a Training controller
#: and one pushed step). Held here, a command outlives its C++ object; the entries go when
#: the stack is destroyed, and the commands Qt deleted (merged, dropped, cleared) are
#: pruned as the stack changes.
_HELD: dict[int, list[QUndoCommand]] = {}
_stack_keys = count()


def _release(key: int, *_args: Any) -> None:
    _HELD.pop(key, None)


def weak_slot(owner: Any, fn: Any) -> partial:
    """A slot calling ``fn(owner, *args)`` while ``owner`` lives, held weakly: for the
    stack's own signals, which QUndoStack's destructor emits (it clears the stack). A
    slot of the stack's owner then ran on an owner whose wrapper the garbage collector
    had freed (SIGSEGV in PySide's SignalManager under QUndoStack::clear, gc.collect)."""
    return partial(_call_weakly, weakref.ref(owner), fn)


def _call_weakly(ref: weakref.ref, fn: Any, *args: Any) -> None:
    owner = ref()
    if owner is not None and shiboken6.isValid(owner):
        fn(owner, *args)


def silence(obj: Any) -> None:
    """Block ``obj``'s signals if its C++ object still exists (for weakref.finalize: the
    owner's wrapper is going, and its children's destructors would still emit)."""
    if shiboken6.isValid(obj):
        obj.blockSignals(True)


class BoundedUndoStack(QUndoStack):
    """QUndoStack whose steps together keep at most ``max_bytes`` (at least one step
    is always kept, and never a step still to be redone)."""

    @classmethod
    def owned_by(cls, owner: Any, max_bytes: int, limit: int, slots: dict[str, Any]
                 ) -> BoundedUndoStack:
        """A stack for ``owner`` (its child): ``slots`` (signal name -> ``fn(owner,
        *args)``) hold the owner weakly, as the stack emits while it is destroyed, after
        its owner; and it is silenced when the owner's wrapper goes, as its destructor
        would tell every other listener (the Edit menu's, a lab's) of its clearing."""
        stack = cls(max_bytes, owner)
        stack.setUndoLimit(limit)
        for name, fn in slots.items():
            getattr(stack, name).connect(weak_slot(owner, fn))
        weakref.finalize(owner, silence, stack)
        return stack

    def __init__(self, max_bytes: int, parent=None) -> None:
        super().__init__(parent)
        self.max_bytes = max_bytes
        self._replaying = False
        # at least the bytes the steps hold (what every push since the last measure
        # added): while it fits, nothing is measured (a thousand steps took 4 ms a push)
        self._bound = 0
        self._key = next(_stack_keys)
        _HELD[self._key] = []
        self.destroyed.connect(partial(_release, self._key))

    def held_bytes(self) -> int:
        return sum(command_bytes(self.command(i)) for i in range(self.count()))

    def push(self, cmd: QUndoCommand) -> None:  # noqa: D102 - QUndoStack.push, then the cap
        self._hold(cmd)
        self._bound += command_bytes(cmd)
        super().push(cmd)
        if self._bound > self.max_bytes:
            self.trim()
        self._prune()

    def push_all(self, cmds: list[QUndoCommand], index: int) -> None:
        """Push ``cmds`` (a saved history put back), then stand at ``index``: measured and
        pruned once, and the stack's signals told once, of the end state."""
        blocked = self.blockSignals(True)
        try:
            for cmd in cmds:
                self._hold(cmd)
                self._bound += command_bytes(cmd)
                super().push(cmd)
            self.setIndex(index)
            if self._bound > self.max_bytes:
                self.trim()
            self._prune()
        finally:
            self.blockSignals(blocked)
        for signal, value in ((self.indexChanged, self.index()),
                              (self.canUndoChanged, self.canUndo()),
                              (self.canRedoChanged, self.canRedo()),
                              (self.undoTextChanged, self.undoText()),
                              (self.redoTextChanged, self.redoText()),
                              (self.cleanChanged, self.isClean())):
            signal.emit(value)

    def clear(self) -> None:  # noqa: D102 - QUndoStack.clear, then forget the commands
        super().clear()
        self._bound = 0
        self._prune()

    def _hold(self, cmd: QUndoCommand) -> None:
        _HELD.setdefault(self._key, []).append(cmd)

    def _prune(self) -> None:
        held = _HELD.get(self._key)
        if held is not None:
            held[:] = [c for c in held if shiboken6.isValid(c)]

    def trim(self) -> bool:
        """Drop the oldest steps until the rest fit in ``max_bytes``; True if any went."""
        n = self.count()
        sizes = [command_bytes(self.command(i)) for i in range(n)]
        total, first = sum(sizes), 0
        while total > self.max_bytes and first < min(n - 1, self.index()):
            total -= sizes[first]
            first += 1
        if first:
            self._rebuild(first)   # (cleared and filled again: the bound is set after)
        self._bound = total
        return first > 0

    def drop_oldest(self, n: int) -> None:
        """Drop the ``n`` oldest steps (only steps already done: at most up to the index)."""
        if 0 < n <= self.index():
            self._rebuild(n)
            self._bound = self.held_bytes()

    def _rebuild(self, first: int) -> None:
        n, index, clean = self.count(), self.index(), self.cleanIndex()
        kept = [self.command(i) for i in range(first, n)]
        carried = [_Kept(c, self) for c in kept]
        blocked = self.blockSignals(True)
        self._replaying = True
        try:
            self.clear()
            for i, c in enumerate(carried):
                if i == clean - first:
                    self.setClean()
                self._hold(c)
                QUndoStack.push(self, c)
            if clean == n:
                self.setClean()
            elif clean < first:
                self.resetClean()  # the saved state is no longer in the history
            self.setIndex(index - first)
        finally:
            self._replaying = False
            self.blockSignals(blocked)
        self.cleanChanged.emit(self.isClean())
