"""Step back in live training: the state before each step the user asked for.

A snapshot (parameters, batch normalisation's gamma, beta and running averages, epoch,
history, shuffle position, random generator and optimiser state) is taken before every
single step (a sample, a batch, an epoch) and when Play starts, so "step back" undoes
the last step, or a whole run of Play, and training on from there repeats exactly what
happened. Snapshots belong to one
network and one data set: a new lesson, network shape, reset or data edit clears them.
"""

from __future__ import annotations

import copy
from collections import deque
from dataclasses import dataclass

import numpy as np

from nnviz.engine.monitor import History
from nnviz.engine.training import OptimizerState, StepRecord

#: how many steps back are kept
MAX_BACK = 100


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


class StepBack:
    """Mixin for TrainingController (which makes ``_back``, a deque of MAX_BACK snapshots)."""

    _back: deque

    def _remember(self) -> None:
        """Snapshot the state before a step the user asked for."""
        net = self.doc.network
        if net is None or not len(self._net_ds.x_train):
            return
        self._back.append(_Snapshot(
            net.get_params(), list(net.sizes),
            [None if bn is None else bn.copy() for bn in net.norms], self.epoch, self.steps,
            copy.deepcopy(self.history), copy.deepcopy(self._rng.bit_generator.state),
            self._opt.copy(), self._order.copy(), self._cursor, self.last_record))

    def forget_steps(self) -> None:
        """Drop every snapshot (the network's shape or the data changed)."""
        self._back.clear()

    def can_step_back(self) -> bool:
        return bool(self._back)

    def step_back(self) -> bool:
        """Undo the last step (or run of Play); False if there is nothing to undo."""
        self.playback.pause()
        net = self.doc.network
        while self._back:
            snap = self._back.pop()
            if snap.sizes == list(net.sizes) and _same_norms(snap.norms, net.norms):
                break
        else:
            return False
        net.set_params(snap.params)
        net.norms = [None if bn is None else bn.copy() for bn in snap.norms]
        self.epoch, self.steps = snap.epoch, snap.steps
        h = snap.history
        for name in ("cap", "stride", "epoch", "train_loss", "test_loss", "train_acc",
                     "test_acc"):
            setattr(self.history, name, getattr(h, name))
        self._rng.bit_generator.state = snap.rng
        self._opt = snap.opt
        self._order, self._cursor = snap.order, snap.cursor
        self.last_record = snap.last_record
        self.last_finite = None
        self.blowup_message = ""
        self._epoch_start = None
        self._announce()
        return True

    # ------------------------------------------------------------ progress (in memory)
    _PROGRESS = ("epoch", "steps", "history", "_opt", "early", "_stopped_for", "_order",
                 "_cursor", "last_record", "last_finite", "_epoch_start", "blowup_message")

    def progress(self) -> dict:
        """The whole training run as it is now (epoch, step count, history, optimiser,
        shuffle and random state, best epoch, step-back snapshots), copied: a failed open
        puts it back with :meth:`restore_progress`. Never written to a file."""
        got = {k: copy.deepcopy(getattr(self, k, None)) for k in self._PROGRESS}
        got["play_from"] = self._play_from_epoch
        got["rng"] = copy.deepcopy(self._rng.bit_generator.state)
        got["back"] = list(self._back)  # snapshots are never changed once taken
        got["sizes"] = list(self.doc.network.sizes) if self.doc.network is not None else []
        return got

    def restore_progress(self, got: dict) -> None:
        """Put back a :meth:`progress` of the same network shape (else nothing changes)."""
        net = self.doc.network
        if not got or net is None or got["sizes"] != list(net.sizes):
            return
        self.playback.pause()
        for k in self._PROGRESS:
            setattr(self, k, copy.deepcopy(got[k]))
        self._play_from_epoch = got["play_from"]
        self._rng.bit_generator.state = got["rng"]
        self._back.clear()
        self._back.extend(got["back"])
        self._fast = None  # the fast trainer's buffers belong to the run that was replaced
        self.trained.emit()

def _same_norms(saved: list, now: list) -> bool:
    """The same layers batch-normalised, with the same sizes."""
    return len(saved) == len(now) and all(
        (a is None) == (b is None) and (a is None or a.size == b.size) for a, b in zip(saved, now))
