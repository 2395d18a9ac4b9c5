"""The training controller's full-speed slices: the engine's FastTrainer runs all of a
slice's epochs in one call, and every epoch's losses are scored afterwards in one
batched forward pass (:mod:`nnviz.engine.fast_scores`).

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

import numpy as np

from nnviz.engine.fast import FastTrainer
from nnviz.engine.fast_scores import epoch_scores, params_of
from nnviz.engine.training import dropout_test_factor

#: at most this many epochs in one slice's call ...
MAX_SLICE_EPOCHS = 512
#: ... and their parameter rows at most this many floats (a wide network: fewer epochs)
MAX_SNAP_FLOATS = 1_000_000


class FastSlices:
    """Mixin for TrainingController: ``_fast_epochs`` and its FastTrainer."""

    def _fast_trainer(self) -> FastTrainer | None:
        """The FastTrainer for the current network, loss and settings (cached), or None."""
        net, cfg, loss = self.doc.network, self.doc.config, self.doc.loss
        if net is None or not len(self._net_ds.x_train):
            return None
        sig = (list(net.sizes), [a.name for a in net.activations], cfg, loss.name)
        c = self._fast
        if c is None or c[0] is not net or c[1] is not self._opt or c[2] != sig:
            trainer = FastTrainer(net, loss, cfg, self._opt)
            self._fast = (net, self._opt, sig, trainer if trainer.fast else None)
        return self._fast[3]

    def _fast_epochs(self, deadline: float) -> bool:
        """Whole epochs with the engine's FastTrainer until ``deadline``; False (nothing
        done) where it does not support the settings."""
        if self._fast_trainer() is None:
            return False
        while self._cursor < len(self._order):  # finish a started epoch step by step
            if not self._step(self._batch_size()) or self.clock.over(deadline):
                return True
        while not self._fast_slice(deadline):
            pass
        return True

    def _slice_cap(self, trainer: FastTrainer) -> int:
        """Epochs one call may train: one when not playing or with batch norm (scored epoch
        by epoch), else up to the lesson's epoch count, within the snapshots' memory."""
        if not self.playback.playing or self.doc.network.has_batch_norm:
            return 1
        cap = min(MAX_SLICE_EPOCHS, max(1, MAX_SNAP_FLOATS // trainer.P.size))
        target = self.doc.lesson.epochs if self.doc.lesson is not None else 0
        if target > 1 and self._play_from_epoch < target and self.epoch < target:
            cap = min(cap, target - self.epoch)
        return cap

    def _fast_slice(self, deadline: float) -> bool:
        """One FastTrainer call for the slice's epochs, then each epoch recorded in
        order; True when the slice is over (time, a pause, a blow-up, the lesson's end)."""
        trainer = self._fast_trainer()
        net, xtr, ytr = self.doc.network, self._net_ds.x_train, self._net_ds.y_train
        cap = self._slice_cap(trainer)
        snaps = self._snapshot_rows(cap, trainer.P.size)
        self._opt.epochs = self.epoch  # the schedule's epoch
        start, opt, rng_state = net.copy(), self._opt.copy(), self._rng.bit_generator.state
        self._epoch_start = start
        with np.errstate(all="ignore"):
            done = trainer.train_until(xtr, ytr, self._rng, lambda: self.clock.over(deadline),
                                       cap, snaps)
        self.last_record = None
        scores = self._slice_scores(trainer, snaps[:done])
        per_epoch = -(-len(xtr) // self._batch_size())
        for k in range(done):
            sc = scores[k] if self.history.wants(self.epoch + 1) else None
            if not np.isfinite(snaps[k]).all() or (sc is not None
                                                   and not np.isfinite(sc[0][0])):
                # the weights or the loss (finite weights can overflow the outputs) are no
                # longer finite: back to this epoch's start, then step by step (same
                # shuffle, same optimiser state) to the exact step that blew up
                self._rewind(start, opt, rng_state, k)
                self._order, self._cursor = np.zeros(0, dtype=int), 0
                target = self.epoch + 1
                while self.epoch < target and self._step(self._batch_size()):
                    pass
                return True
            self.steps += per_epoch
            self.epoch += 1
            if sc is not None:
                row = snaps[k]
                self._record(sc, params=lambda row=row: params_of(trainer, row))
            if not self.playback.playing or self._at_lesson_epochs():  # early stop pauses
                if k + 1 < done:
                    self._rewind(start, opt, rng_state, k + 1)
                return True
        return self.clock.over(deadline)

    def _snapshot_rows(self, cap: int, size: int) -> np.ndarray:
        rows = self._snaps
        if rows is None or rows.shape[1] != size or len(rows) < cap:
            rows = self._snaps = np.empty((cap, size))
        return rows

    def _slice_scores(self, trainer: FastTrainer, rows: np.ndarray) -> list:
        """Each epoch's ((train loss, accuracy), (test loss, accuracy)), None where the
        history does not record it: one batched pass, or with batch norm (one epoch a call)
        the network's own forward pass."""
        wanted = [self.history.wants(self.epoch + k + 1) for k in range(len(rows))]
        if self.doc.network.has_batch_norm:
            ok = wanted[0] and trainer.params_finite()
            return [self._scores() if ok else None]
        keep = [k for k, w in enumerate(wanted) if w and np.isfinite(rows[k]).all()]
        out: list = [None] * len(rows)
        if keep:
            sc = self.scores
            sc.source(self._net_ds)
            cfg = self.doc.config
            got = epoch_scores(trainer, rows[keep], sc.x, sc.parts, self.doc.loss, sc.threshold,
                               dropout_test_factor(cfg.dropout, cfg.dropout_mode))
            for k, s in zip(keep, got):
                out[k] = s
        return out

    def _rewind(self, start, opt, rng_state, epochs: int) -> None:
        """The network, optimiser and generator as after ``epochs`` of this slice's epochs:
        back to its start, those epochs trained again (the same bits as the first time)."""
        net = self.doc.network
        net.set_params(start.get_params())
        net.norms = [None if bn is None else bn.copy() for bn in start.norms]
        self._rng.bit_generator.state = rng_state
        self._opt = opt
        if epochs:
            with np.errstate(all="ignore"):
                self._fast_trainer().train_epochs(self._net_ds.x_train, self._net_ds.y_train,
                                                  self._rng, epochs)
