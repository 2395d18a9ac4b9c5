"""Step back in live training, on the document's one history.

Every step the user asks for (a sample, a batch, an epoch, k epochs) and every run of Play
is one entry on the document's undo stack, beside the edits: Edit > Undo (Ctrl+Z) and the
Training lab's Back both put back the run as it was before that entry — parameters, batch
normalisation's gamma, beta and running averages, epoch, history, shuffle position,
random generator and optimiser state — and Redo puts the trained state back, so training
on from an undone step repeats exactly what happened. A snapshot is taken before the step
(or when Play starts) and the entry is pushed when the step is done (or Play pauses).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import shiboken6

from nnviz.controllers.undo import Change
from nnviz.engine.learning.monitor import History
from nnviz.engine.learning.training import OptimizerState, StepRecord

if TYPE_CHECKING:
    from nnviz.controllers.training.controller import TrainingController


@dataclass
class _Snapshot:
    params: np.ndarray
    sizes: list[int]
    norms: list   # BatchNorm copies (None where a layer has none)
    epoch: int
    steps: int
    history: History
    rng: dict
    opt: OptimizerState
    order: np.ndarray
    cursor: int
    last_record: StepRecord | None


class TrainingStep(Change):
    """A training step or run of Play on the document's undo stack."""


def _is_training(cmd) -> bool:
    return isinstance(getattr(cmd, "_inner", cmd), TrainingStep)


class StepBack:
    """The training controller's steps on the document's history: :meth:`remember` before
    a step (or when Play starts), :meth:`record` when it is done; :meth:`go_back` undoes
    the newest entry if it is training. It reads and puts back the run's position that
    the controller owns: network, epoch, steps, history, generator, optimiser, shuffle
    order and cursor, last record. :meth:`progress` copies a whole run in memory."""

    #: the controller's run fields a :meth:`progress` copies
    PROGRESS = ("epoch", "steps", "history", "_opt", "_order",
                "_cursor", "last_record", "last_finite", "_epoch_start", "blowup_message",
                "_play_from_epoch")

    def __init__(self, ctl: TrainingController) -> None:
        self._ctl = ctl
        self._before: _Snapshot | None = None   # taken before the step (or run) under way

    def _snapshot(self) -> _Snapshot | None:
        c = self._ctl
        net = c.doc.network
        if net is None or not len(c.net_data.x_train):
            return None
        return _Snapshot(
            net.get_params(), list(net.sizes),
            [None if bn is None else bn.copy() for bn in net.norms], c.epoch, c.steps,
            copy.deepcopy(c.history), copy.deepcopy(c._rng.bit_generator.state),
            c._opt.copy(), c._order.copy(), c._cursor, c.last_record)

    def remember(self) -> None:
        """Snapshot the state before a step the user asked for (or a run of Play)."""
        if self._before is None:
            self._before = self._snapshot()

    def record(self, text: str | None = None) -> None:
        """The step (or run) remembered is done: one entry on the document's history,
        named ``text`` (else by what it trained). Nothing if nothing changed."""
        before, self._before = self._before, None
        after = self._snapshot() if before is not None else None
        if after is None or after.sizes != before.sizes or (
                after.steps == before.steps and np.array_equal(after.params, before.params)):
            return
        self._ctl.doc.undo_stack.push(TrainingStep(text or _describe(before, after),
                                                   self._put_back, before, after,
                                                   applied=True))

    def forget(self) -> None:
        """Drop the step under way (the network, the data or the lesson was replaced)."""
        self._before = None

    def can_go_back(self) -> bool:
        """Is the newest entry of the document's history a training step?"""
        stack = self._ctl.doc.undo_stack
        if not shiboken6.isValid(stack):    # the window is closing: its history is gone
            return False
        return stack.index() > 0 and _is_training(stack.command(stack.index() - 1))

    def go_back(self) -> bool:
        """Undo the newest entry if it is a training step; False if it is not."""
        if not self.can_go_back():
            return False
        self._ctl.doc.undo_stack.undo()
        return True

    def _put_back(self, snap: _Snapshot) -> None:
        """Install a snapshot (undo or redo of a training step); the snapshot stays as it
        was (the history keeps it for the next undo or redo)."""
        c = self._ctl
        net = c.doc.network
        if c.playback.playing:      # Undo while playing: the run under way is dropped
            self._before = None
            c.playback.pause()
        if net is None or snap.sizes != list(net.sizes) or not _same_norms(snap.norms,
                                                                            net.norms):
            return
        net.set_params(snap.params)
        net.norms = [None if bn is None else bn.copy() for bn in snap.norms]
        c.epoch, c.steps = snap.epoch, snap.steps
        c.history.assign(copy.deepcopy(snap.history))
        c._rng.bit_generator.state = copy.deepcopy(snap.rng)
        c._opt = snap.opt.copy()
        if len(snap.order) == len(c.net_data.x_train):
            c._order, c._cursor = snap.order.copy(), snap.cursor
        else:                       # the training set changed since: a new epoch's order
            c._order, c._cursor = np.zeros(0, dtype=int), 0
        c.last_record = snap.last_record
        c.last_finite = None
        c.blowup_message = ""
        c._epoch_start = None
        c.fast.forget()             # the fast trainer's buffers belong to the replaced run
        c.announce()

    def progress(self) -> dict:
        """The whole training run as it is now (epoch, step count, history, optimiser,
        shuffle and random state, best epoch), copied: a failed open puts it back with
        :meth:`restore_progress`. Never written to a file."""
        c = self._ctl
        got = {k: copy.deepcopy(getattr(c, k)) for k in self.PROGRESS}
        got["rng"] = copy.deepcopy(c._rng.bit_generator.state)
        got["early"] = c.early.state()
        got["sizes"] = list(c.doc.network.sizes) if c.doc.network is not None else []
        return got

    def restore_progress(self, got: dict) -> bool:
        """Put back a :meth:`progress` of the same network shape; False (nothing changed)
        for another shape."""
        c = self._ctl
        net = c.doc.network
        if not got or net is None or got["sizes"] != list(net.sizes):
            return False
        self._before = None         # the pause below records nothing
        for k in self.PROGRESS:
            setattr(c, k, copy.deepcopy(got[k]))
        c._rng.bit_generator.state = got["rng"]
        c.early.set_state(got["early"])
        c.playback.pause()
        c.fast.forget()             # the fast trainer's buffers belong to the replaced run
        return True


def _describe(before: _Snapshot, after: _Snapshot) -> str:
    """An entry's name from what it trained: epochs, else steps."""
    epochs, steps = after.epoch - before.epoch, after.steps - before.steps
    if epochs > 0:
        return f"Train {epochs} epoch{'s' if epochs != 1 else ''}"
    return f"Train {steps} step{'s' if steps != 1 else ''}"


def _same_norms(saved: list, now: list) -> bool:
    """The same layers batch-normalised, with the same sizes."""
    return len(saved) == len(now) and all(
        (a is None) == (b is None) and (a is None or a.size == b.size) for a, b in zip(saved, now))
