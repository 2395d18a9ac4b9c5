"""The Workbench's timeline of training steps, read from the document's one history.

Each Workbench training step (the step keys, the matrix view's mini-batch step, Train N
steps) is one :class:`WorkbenchStep` on the document's undo stack: the network before and
after, and the optimiser state it reached. The timeline is derived from the stack: the
Workbench stands at training step t when t of these steps lie below the stack's index,
and going to step t moves that index (QUndoStack.setIndex) — Edit > Undo and Redo and the
timeline's scrubber are one thing. Other entries (edits, the Training lab's steps) belong
to the training step they follow; an entry pushed after going back drops the later steps,
as on any undo stack. Step i of the timeline is the network the step after it trained
(edits included), the last step the newest one's result, and the step the Workbench
stands at the document's network as it is now.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING, Any

import shiboken6

from nnviz.controllers.undo import Change
from nnviz.controllers.undo_bytes import payload_bytes
from nnviz.engine.core.network import Network

if TYPE_CHECKING:
    from nnviz.controllers.document import Document

#: the timeline holds at most this many networks (training steps + 1); the undo stack's
#: byte bound (MAX_UNDO_BYTES) keeps fewer of a large network's steps
MAX_TIMELINE = 1000


class WorkbenchStep(Change):
    """A Workbench training step on the document's history. ``previous``: the step below
    it, whose network after is shared as this one's before where they are equal (one copy
    of each network in a run of steps, and counted once)."""

    def __init__(self, text: str, install, before: Network, after: Network,
                 optimiser: Any = None, previous: WorkbenchStep | None = None,
                 **kw: Any) -> None:
        shared = previous is not None and previous.after.equals(before)
        super().__init__(text, install, previous.after if shared else before, after, **kw)
        self.optimiser = optimiser     # the optimiser (its state) after this step, or None
        self.quiet = False             # True: undo and redo install nothing (a restore)
        self._undo_bytes = (_net_bytes(after) + payload_bytes(optimiser)
                            + (0 if shared else _net_bytes(before)))

    @property
    def before(self) -> Network:
        return self._before

    @property
    def after(self) -> Network:
        return self._after

    def redo(self) -> None:
        if not self.quiet:
            super().redo()

    def undo(self) -> None:
        if not self.quiet:
            super().undo()


def _net_bytes(net: Network) -> int:
    """The bytes of a network's arrays (payload_bytes' count, without walking it)."""
    return sum(w.nbytes + b.nbytes for w, b in zip(net.weights, net.biases)) + (
        payload_bytes(net.norms) if any(n is not None for n in net.norms) else 0)


def _step(cmd) -> WorkbenchStep | None:
    cmd = getattr(cmd, "_inner", cmd)      # a step carried over by a trimmed history
    return cmd if isinstance(cmd, WorkbenchStep) else None


class StepHistory:
    """The Workbench steps of the document's undo stack, read once per change of it."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._seen: tuple = ()
        self._pos: list[int] = []              # stack positions of the Workbench steps
        self._cmds: list[WorkbenchStep] = []
        self._pending: tuple | None = None     # a restored timeline waiting for its history
        self._applied: list[WorkbenchStep] = []   # its steps put on an empty history

    # ------------------------------------------------------------ reading the stack
    def _key(self) -> tuple:
        stack = self.doc.undo_stack
        n = stack.count()
        return (n, stack.index(), id(stack.command(0)) if n else 0,
                id(stack.command(n - 1)) if n else 0)

    def _scan(self) -> None:
        if not shiboken6.isValid(self.doc.undo_stack):   # the window is closing
            self._pos, self._cmds, self._seen = [], [], ()
            return
        key = self._key()
        if key == self._seen:
            return
        self._seen = key
        stack = self.doc.undo_stack
        found = [(i, _step(stack.command(i))) for i in range(key[0])]
        self._pos = [i for i, c in found if c is not None]
        self._cmds = [c for _, c in found if c is not None]

    def changed(self) -> None:
        """The stack changed (a signal may not tell: a trimmed history is rebuilt quietly)."""
        self._seen = ()

    def steps(self) -> list[WorkbenchStep]:
        self._scan()
        return self._cmds

    @property
    def t(self) -> int:
        """The training step the document stands at: Workbench steps below the index."""
        self._scan()
        return bisect_left(self._pos, self.doc.undo_stack.index()) if self._pos else 0

    def networks(self) -> list[Network]:
        """The timeline: step 0 to the newest step (the document's network at step t)."""
        cmds, t, net = self.steps(), self.t, self.doc.network
        nets = [c.before for c in cmds] + [cmds[-1].after] if cmds else []
        if net is not None:
            nets[t:t + 1] = [net]
        return nets

    def optimiser_at(self, t: int) -> Any:
        """The optimiser state training step t reached (None: before any, or none)."""
        cmds = self.steps()
        return cmds[t - 1].optimiser if 0 < t <= len(cmds) else None

    def index_of(self, t: int) -> int:
        """The stack index that stands at step t, nearest the index now: back, just below
        the step after t (the network it trained); forward, just above step t."""
        now = self.t
        if t < now:
            return self._pos[t]
        if t > now:
            return self._pos[t - 1] + 1
        return self.doc.undo_stack.index()

    # ------------------------------------------------------------ changing it
    def push(self, after: Network, text: str, optimiser: Any = None) -> None:
        """One training step to ``after`` on the document's history (installed), the
        oldest step dropped past MAX_TIMELINE networks."""
        stack = self.doc.undo_stack
        self._scan()
        index = stack.index()
        below = _step(stack.command(index - 1)) if index else None
        cmd = self.doc.network_command(text, after.copy(), kind=WorkbenchStep,
                                       optimiser=optimiser, previous=below)
        stack.push(cmd)
        self._pushed(cmd, index)
        if len(self._cmds) >= MAX_TIMELINE:
            stack.drop_oldest(self._pos[0] + 1)
            self.changed()

    def _pushed(self, cmd: WorkbenchStep, index: int) -> None:
        """The steps after ``cmd`` was pushed at ``index``, without reading the whole stack
        again: the steps above the index went, and the oldest entries the history's caps
        dropped (if any) shift the rest down."""
        stack = self.doc.undo_stack
        n = stack.count()
        if stack.index() != n or _step(stack.command(n - 1)) is not cmd:
            self.changed()
            return
        gone, keep = index + 1 - n, bisect_left(self._pos, index)
        kept = [(p - gone, c) for p, c in zip(self._pos[:keep], self._cmds[:keep]) if p >= gone]
        self._pos = [p for p, _ in kept] + [n - 1]
        self._cmds = [c for _, c in kept] + [cmd]
        self._seen = self._key()

    def restore(self, nets: list[Network], t: int) -> None:
        """A saved timeline standing at step t (``nets[t]`` is the document's network). Its
        steps go on the history at once if it is empty, and again when it is emptied (an
        open clears it only once it has succeeded, after the labs' states are restored)."""
        self._pending = (nets, t, self.doc.lesson)
        if not self.doc.undo_stack.count():
            self._applied = self._apply(self._pending)

    def forget_restore(self) -> None:
        """Drop the timeline :meth:`restore` was given (a failed open puts the old state
        back), and its steps if they are all the history holds."""
        stack, mine = self.doc.undo_stack, self._applied
        self._pending, self._applied = None, []
        if mine and stack.count() == len(mine) and all(
                _step(stack.command(i)) is c for i, c in enumerate(mine)):
            stack.clear()
        self.changed()

    def on_cleared(self) -> None:
        """The history was emptied: the restored timeline, if it is for this document,
        becomes its steps."""
        got, self._pending, self._applied = self._pending, None, []
        self.changed()
        if got is not None:
            self._apply(got)

    def _apply(self, got: tuple) -> list[WorkbenchStep]:
        """The steps of a restored timeline on the empty history, standing at t (pushed
        quietly: the network is in place), the saved state kept; [] if it is not for
        this document."""
        doc, stack = self.doc, self.doc.undo_stack
        nets, t, lesson = got
        if (stack.count() or lesson is not doc.lesson or doc.network is None
                or not nets[t].equals(doc.network)):
            return []
        cmds, prev = [], None
        for i in range(1, len(nets)):
            prev = doc.network_command(f"Training step {i}", nets[i], nets[i - 1],
                                       kind=WorkbenchStep, previous=prev)
            prev.quiet = True
            cmds.append(prev)
        clean = stack.isClean()
        stack.push_all(cmds, t)
        if clean:
            stack.setClean()
        for c in cmds:
            c.quiet = False
        self.changed()
        return cmds
