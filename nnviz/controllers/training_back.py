"""Step back in live training: the state before each step the user asked for.

A snapshot (parameters, batch normalisation's gamma, beta and running averages, epoch,
history, shuffle position, random generator and optimiser state) is taken before every
single step (a sample, a batch, an epoch) and when Play starts, so "step back" undoes
the last step, or a whole run of Play, and training on from there repeats exactly what
happened. Snapshots belong to one network and one data set: a new lesson, network shape,
reset or data edit clears them.
"""

from __future__ import annotations

import copy
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from nnviz.engine.monitor import History
from nnviz.engine.training import OptimizerState, StepRecord

if TYPE_CHECKING:
    from nnviz.controllers.training import TrainingController

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
    """The training controller's snapshots (its own deque of at most MAX_BACK) and the
    in-memory copy of a whole run (:meth:`progress`). It reads and puts back the run's
    position that the controller owns: network, epoch, steps, history, generator,
    optimiser, shuffle order and cursor, last record."""

    #: the controller's run fields a :meth:`progress` copies
    PROGRESS = ("epoch", "steps", "history", "_opt", "_order",
                "_cursor", "last_record", "last_finite", "_epoch_start", "blowup_message",
                "_play_from_epoch")

    def __init__(self, ctl: TrainingController) -> None:
        self._ctl = ctl
        self._snaps: deque[_Snapshot] = deque(maxlen=MAX_BACK)

    def __len__(self) -> int:
        return len(self._snaps)

    def remember(self) -> None:
        """Snapshot the state before a step the user asked for."""
        c = self._ctl
        net = c.doc.network
        if net is None or not len(c.net_data.x_train):
            return
        self._snaps.append(_Snapshot(
            net.get_params(), list(net.sizes),
            [None if bn is None else bn.copy() for bn in net.norms], c.epoch, c.steps,
            copy.deepcopy(c.history), copy.deepcopy(c._rng.bit_generator.state),
            c._opt.copy(), c._order.copy(), c._cursor, c.last_record))

    def forget(self) -> None:
        """Drop every snapshot (the network's shape or the data changed)."""
        self._snaps.clear()

    def can_go_back(self) -> bool:
        return bool(self._snaps)

    def go_back(self) -> bool:
        """Put back the newest snapshot that fits the network (older ones that do not
        are dropped); False if there is none."""
        c = self._ctl
        net = c.doc.network
        while self._snaps:
            snap = self._snaps.pop()
            if snap.sizes == list(net.sizes) and _same_norms(snap.norms, net.norms):
                break
        else:
            return False
        net.set_params(snap.params)
        net.norms = [None if bn is None else bn.copy() for bn in snap.norms]
        c.epoch, c.steps = snap.epoch, snap.steps
        c.history.assign(snap.history)
        c._rng.bit_generator.state = snap.rng
        c._opt = snap.opt
        c._order, c._cursor = snap.order, snap.cursor
        c.last_record = snap.last_record
        c.last_finite = None
        c.blowup_message = ""
        c._epoch_start = None
        return True

    def progress(self) -> dict:
        """The whole training run as it is now (epoch, step count, history, optimiser,
        shuffle and random state, best epoch, step-back snapshots), copied: a failed open
        puts it back with :meth:`restore_progress`. Never written to a file."""
        c = self._ctl
        got = {k: copy.deepcopy(getattr(c, k)) for k in self.PROGRESS}
        got["rng"] = copy.deepcopy(c._rng.bit_generator.state)
        got["early"] = c.early.state()
        got["back"] = list(self._snaps)  # snapshots are never changed once taken
        got["sizes"] = list(c.doc.network.sizes) if c.doc.network is not None else []
        return got

    def restore_progress(self, got: dict) -> bool:
        """Put back a :meth:`progress` of the same network shape; False (nothing changed)
        for another shape."""
        c = self._ctl
        net = c.doc.network
        if not got or net is None or got["sizes"] != list(net.sizes):
            return False
        for k in self.PROGRESS:
            setattr(c, k, copy.deepcopy(got[k]))
        c._rng.bit_generator.state = got["rng"]
        c.early.set_state(got["early"])
        self._snaps.clear()
        self._snaps.extend(got["back"])
        return True


def _same_norms(saved: list, now: list) -> bool:
    """The same layers batch-normalised, with the same sizes."""
    return len(saved) == len(now) and all(
        (a is None) == (b is None) and (a is None or a.size == b.size) for a, b in zip(saved, now))
