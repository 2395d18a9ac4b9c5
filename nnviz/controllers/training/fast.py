"""The training controller's full-speed slices (:class:`FastSlices`, a part of the
controller with its own state): the engine's FastTrainer runs all of a
slice's epochs in one call, and every epoch's losses are scored afterwards in one
batched forward pass (:mod:`nnviz.engine.learning.fast_scores`).

What the slice's epochs mean is unchanged from training them one at a time: the same
shuffles from the same generator, every recorded epoch's train and test loss and
accuracy in the history, blow-ups and early stopping at the same epoch. Because the
losses are known only after the call, the slice is walked epoch by epoch afterwards; when
something stops it before its last epoch (early stopping, a blow-up, Pause), the network,
optimiser and generator go back to the slice's start and exactly the epochs before that
point are trained again (the same arithmetic, so the same bits), and a blow-up's epoch is
then replayed step by step as before, pausing at the step that blew up.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

import numpy as np

from nnviz.controllers.training.grid_ahead import JobAhead
from nnviz.controllers.training.remote import SliceWorker
from nnviz.controllers.training.score_ahead import ScoreAhead
from nnviz.engine.learning import fast_remote
from nnviz.engine.learning.fast import FastTrainer
from nnviz.engine.learning.fast_scores import epoch_scores, params_of
from nnviz.engine.learning.training import dropout_test_factor

if TYPE_CHECKING:
    from nnviz.controllers.training.controller import TrainingController

#: at most this many epochs in one slice's call ...
MAX_SLICE_EPOCHS = 512
#: ... and their parameter rows at most this many floats (a wide network: fewer epochs)
MAX_SNAP_FLOATS = 1_000_000
#: a slice trained in this process (the worker not ready, or failed) is scored on a helper
#: thread while it trains (score_ahead.py) only where an epoch's scores take at least this
#: many multiply-adds (the keras lab's digits: 8.5 M);
#: a small network's (Playground's b: 44 k) cost less than handing them over, and scored
#: four at a time on the helper they held Python's lock longer than all at once after
MIN_AHEAD_WORK = 1_000_000
#: a played slice of at least this many epochs scored after it (the small networks') is
#: scored in two halves at once, the later half on a helper thread: their forward passes
#: are mostly float64 tanh over all of a half's epochs at once (Playground's b: ~2/3 of the
#: scores), which NumPy computes without Python's lock; each row's scores are the same
#: function of the same row wherever it is computed, so the same bits (tested)
MIN_SPLIT_ROWS = 4


class FastSlices:
    """The full-speed slices of a :class:`~nnviz.controllers.training.controller.TrainingController`
    (its run: epoch, order, cursor, optimiser, generator, history), with their own state:
    the cached FastTrainer and the rows of a slice's parameters after each epoch."""

    def __init__(self, ctl: TrainingController) -> None:
        self._ctl = weakref.proxy(ctl)   # its owner (no cycle through it)
        self._cache: tuple | None = None   # (net, optimiser state, settings, FastTrainer or None)
        self._snaps: np.ndarray | None = None  # a slice's parameters after each epoch
        self.ahead = ScoreAhead()   # scores a slice's trained epochs while it trains on
        self.split = JobAhead()     # the later half of a small network's slice's scores
        self._ahead = False         # the slice under way is scored ahead
        self.remote = SliceWorker()  # the next slice trained in a worker process (remote.py)

    def shutdown(self) -> None:
        """The lab is closing: the scoring helper threads stop."""
        self.ahead.close()
        self.split.close()
        self.remote.close()

    def forget(self) -> None:
        """The run was replaced: the trainer's buffers belong to the old one."""
        self._cache = None

    def trainer(self) -> FastTrainer | None:
        """The FastTrainer for the current network, loss and settings (cached), or None."""
        c = self._ctl
        net, cfg, loss = c.doc.network, c.doc.config, c.doc.loss
        if net is None or not len(c.net_data.x_train):
            return None
        sig = (list(net.sizes), [a.name for a in net.activations], cfg, loss.name)
        k = self._cache
        if k is None or k[0] is not net or k[1] is not c._opt or k[2] != sig:
            trainer = FastTrainer(net, loss, cfg, c._opt)
            self._cache = (net, c._opt, sig, trainer if trainer.fast else None)
        return self._cache[3]

    def epochs(self, deadline: float) -> bool:
        """Whole epochs with the engine's FastTrainer until ``deadline``; False (nothing
        done) where it does not support the settings."""
        c = self._ctl
        if self.trainer() is None:
            return False
        while c._cursor < len(c._order):  # finish a started epoch step by step
            if not c._step(c._batch_size()) or c.clock.over(deadline):
                return True
        while not self._slice(deadline):
            pass
        self._hand_on()
        return True

    def _start(self) -> dict:
        """Where the next slice starts, as numbers (for the worker process)."""
        c = self._ctl
        c._opt.epochs = c.epoch  # the schedule's epoch
        return fast_remote.run_state(c.doc.network, c.doc.loss.name, c.doc.config, c._opt,
                                     c._rng)

    def _handed_cap(self, trainer: FastTrainer | None, epoch: int) -> int:
        """The cap of the slice from ``epoch`` on where the worker may train it, else 0:
        playing at full speed, whole epochs, no batch norm. Heavy scores too (the keras
        lab's): the worker trains on its own core while this process scores and draws,
        246,000-271,000 samples/s against 98,000-109,000 with the slice trained here and
        scored ahead on a helper thread (3 December, paired runs)."""
        c = self._ctl
        target = c.doc.lesson.epochs if c.doc.lesson is not None else 0
        if (not c.playback.playing or trainer is None or c.doc.network.has_batch_norm
                or c._cursor < len(c._order)
                or (target > 1 and epoch == target and c._play_from_epoch < target)):
            return 0
        cap = self._cap_at(trainer, epoch)
        return cap if cap > 1 else 0

    def _hand_on(self) -> None:
        """Playing at full speed: the next slice to the worker process, which trains it
        while the views draw this one (remote.py)."""
        c = self._ctl
        trainer = self.trainer()
        cap = self._handed_cap(trainer, c.epoch)
        if cap:
            self.remote.start()
            if self.remote.pending:   # _taken handed the next slice on: no second pack
                c._opt.epochs = c.epoch  # the schedule's epoch (as _start sets it)
            else:
                self.remote.submit(self._start(), c.net_data.x_train, c.net_data.y_train, cap)

    def _taken(self, cap: int, snaps: np.ndarray) -> int:
        """The epochs the worker trained from here (in place: network, optimiser,
        generator; their rows in ``snaps``), or 0 where there are none to take. The slice
        after them goes to the worker at once, while this one is scored, walked and drawn
        (a walk that stops early leaves it started elsewhere: it is then dropped)."""
        if not self.remote.pending:
            return 0
        c = self._ctl
        start = self._start()
        res = self.remote.take(start, cap, c.net_data.x_train, c.net_data.y_train)
        if res is None:
            return 0
        done = res["done"]
        nxt = self._handed_cap(self.trainer(), c.epoch + done)
        if nxt:
            self.remote.submit(fast_remote.after(start, res), c.net_data.x_train,
                               c.net_data.y_train, nxt)
        fast_remote.apply_result(c.doc.network, c._opt, c._rng, res)
        snaps[:done] = res["snaps"]
        return done

    def slice_cap(self, trainer: FastTrainer) -> int:
        """Epochs one call may train: one when not playing or with batch norm (scored epoch
        by epoch), else up to the lesson's epoch count, within the snapshots' memory."""
        return self._cap_at(trainer, self._ctl.epoch)

    def _cap_at(self, trainer: FastTrainer, epoch: int) -> int:
        c = self._ctl
        if not c.playback.playing or c.doc.network.has_batch_norm:
            return 1
        cap = min(MAX_SLICE_EPOCHS, max(1, MAX_SNAP_FLOATS // trainer.P.size))
        target = c.doc.lesson.epochs if c.doc.lesson is not None else 0
        if target > 1 and c._play_from_epoch < target and epoch < target:
            cap = min(cap, target - epoch)
        return cap

    def _slice(self, deadline: float) -> bool:
        """One FastTrainer call for the slice's epochs, then each epoch recorded in
        order; True when the slice is over (time, a pause, a blow-up, the lesson's end)."""
        c = self._ctl
        trainer = self.trainer()
        net, xtr = c.doc.network, c.net_data.x_train
        cap = self.slice_cap(trainer)
        snaps = self._snapshot_rows(cap, trainer.P.size)
        c._opt.epochs = c.epoch  # the schedule's epoch
        start, opt, rng_state = net.copy(), c._opt.copy(), c._rng.bit_generator.state
        c._epoch_start = start
        done = remote = self._taken(cap, snaps)
        if not remote:
            done = self._train(trainer, deadline, cap, snaps)
        c.last_record = None
        scores = self.slice_scores(trainer, snaps[:done])
        per_epoch = -(-len(xtr) // c._batch_size())
        for k in range(done):
            sc = scores[k] if c.history.wants(c.epoch + 1) else None
            if not np.isfinite(snaps[k]).all() or (sc is not None
                                                   and not np.isfinite(sc[0][0])):
                # the weights or the loss (finite weights can overflow the outputs) are no
                # longer finite: back to this epoch's start, then step by step (same
                # shuffle, same optimiser state) to the exact step that blew up
                self._rewind(start, opt, rng_state, k)
                c._order, c._cursor = np.zeros(0, dtype=int), 0
                target = c.epoch + 1
                while c.epoch < target and c._step(c._batch_size()):
                    pass
                return True
            c.steps += per_epoch
            c.epoch += 1
            if sc is not None:
                row = snaps[k]
                c._record(sc, params=lambda row=row: params_of(trainer, row))
            if not c.playback.playing or c._at_lesson_epochs():  # early stop pauses
                if k + 1 < done:
                    self._rewind(start, opt, rng_state, k + 1)
                return True
        return bool(remote) or c.clock.over(deadline)

    def _train(self, trainer: FastTrainer, deadline: float, cap: int,
               snaps: np.ndarray) -> int:
        """The slice's epochs trained here, until ``deadline``; the epochs done."""
        c = self._ctl
        heavy = self._scoring_work() >= MIN_AHEAD_WORK
        self._ahead = (cap > 1 and heavy and not c.doc.network.has_batch_norm
                       and self.ahead.begin(self._scorer(trainer, snaps[:cap])))
        trained = [0]

        def over() -> bool:   # after each epoch: its row may be scored
            if self._ahead:
                trained[0] += 1
                self.ahead.ready(trained[0])
            return c.clock.over(deadline)
        with np.errstate(all="ignore"):
            return trainer.train_until(c.net_data.x_train, c.net_data.y_train, c._rng, over,
                                       cap, snaps)

    def _scoring_work(self) -> int:
        """Multiply-adds of one epoch's scores: both data sets through every layer."""
        c = self._ctl
        sizes = c.doc.network.sizes
        rows = len(c.net_data.x_train) + len(c.net_data.x_test)
        return rows * sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))

    def _snapshot_rows(self, cap: int, size: int) -> np.ndarray:
        rows = self._snaps
        if rows is None or rows.shape[1] != size or len(rows) < cap:
            rows = self._snaps = np.empty((cap, size))
        return rows

    def slice_scores(self, trainer: FastTrainer, rows: np.ndarray) -> list:
        """Each epoch's ((train loss, accuracy), (test loss, accuracy)), None where the
        history does not record it: one batched pass, or with batch norm (one epoch a call)
        the network's own forward pass."""
        c = self._ctl
        if c.doc.network.has_batch_norm:
            ok = c.history.wants(c.epoch + 1) and trainer.params_finite()
            return [c._scores() if ok else None]
        if self._ahead:   # scored while the slice trained (score_ahead.py)
            self._ahead = False
            return self.ahead.finish(len(rows))
        score, n = self._scorer(trainer, rows), len(rows)
        h = n // 2
        if n >= MIN_SPLIT_ROWS and c.playback.playing and self.split.submit(
                lambda: score(h, n)):
            first = score(0, h)
            return first + self.split.take()
        return score(0, n)

    def _scorer(self, trainer: FastTrainer, rows: np.ndarray):
        """``score(lo, hi)``: the scores of rows lo..hi-1 of a slice starting now (None
        where the history does not record the epoch or the row is not finite); it reads
        only what is fixed while the slice runs, so the helper thread may call it."""
        c = self._ctl
        sc = c.scores
        sc.source(c.net_data)
        cfg = c.doc.config
        x, parts, loss, thr = sc.x, sc.parts, c.doc.loss, sc.threshold
        factor = dropout_test_factor(cfg.dropout, cfg.dropout_mode)
        wanted = [c.history.wants(c.epoch + k + 1) for k in range(len(rows))]

        def score(lo: int, hi: int) -> list:
            keep = [k for k in range(lo, hi) if wanted[k] and np.isfinite(rows[k]).all()]
            out: list = [None] * (hi - lo)
            if keep:
                got = epoch_scores(trainer, rows[keep], x, parts, loss, thr, factor)
                for k, s in zip(keep, got):
                    out[k - lo] = s
            return out
        return score

    def _rewind(self, start, opt, rng_state, epochs: int) -> None:
        """The network, optimiser and generator as after ``epochs`` of this slice's epochs:
        back to its start, those epochs trained again (the same bits as the first time)."""
        c = self._ctl
        net = c.doc.network
        net.set_params(start.get_params())
        net.norms = [None if bn is None else bn.copy() for bn in start.norms]
        c._rng.bit_generator.state = rng_state
        c._opt = opt
        if epochs:
            with np.errstate(all="ignore"):
                self.trainer().train_epochs(c.net_data.x_train, c.net_data.y_train, c._rng,
                                            epochs)
