"""The training controller's learning-rate schedule readout and early stopping."""

from __future__ import annotations

import math

from nnviz.engine.schedules import EarlyStopping


class ScheduleStop:
    """Mixin for TrainingController: the current scheduled rate, the best test epoch
    (marked on the loss chart, restorable) and the early stop after ``patience`` epochs."""

    def _init_early_stop(self) -> None:
        self.early = EarlyStopping()
        self._stopped_for: int | None = None

    def current_rate(self) -> float:
        """The learning rate the next step uses (the schedule at the current epoch)."""
        return self.doc.config.rate(self.epoch)

    def best_epoch(self) -> int | None:
        """The recorded epoch with the lowest test loss so far (None if none yet)."""
        e = self.early.best_epoch
        return e if e is not None and e <= self.epoch else None

    def _observe_epoch(self, test_loss: float, params=None) -> None:
        """After each recorded epoch: mark a new best; pause when patience ran out.
        ``params()`` gives the epoch's flat parameters (default: the network's now)."""
        if self.early.best_epoch is not None and self.early.best_epoch > self.epoch:
            self.early.reset()   # stepped back past the best: start watching again
        self.early.observe(self.epoch, test_loss, params or self.doc.network.get_params)
        patience = self.doc.config.patience
        best = self.early.best_epoch
        if self.early.should_stop(patience) and self._stopped_for != best:
            self._stopped_for = best
            self.playback.pause()
            self.doc.message.emit(
                f"Early stopping: no lower test loss for {patience} epochs since epoch "
                f"{best} (test loss {self.early.best_loss:.4g}); 'Restore best' goes back "
                "to its weights.")

    def _reset_early_stop(self) -> None:
        self.early.reset()
        self._stopped_for = None

    def restore_best(self) -> bool:
        """Put the weights of the best test epoch back (undoable with step back)."""
        best, params = self.best_epoch(), self.early.best_params
        net = self.doc.network
        if best is None or params is None or params.size != net.get_params().size:
            self.doc.message.emit("No best test epoch to restore yet.")
            return False
        self.playback.pause()
        self.back.remember()
        net.set_params(params)
        loss = self.early.best_loss
        self.doc.message.emit(f"Restored the weights of epoch {best} "
                              f"(test loss {loss:.4g})" if math.isfinite(loss) else
                              f"Restored the weights of epoch {best}")
        self._announce()
        return True
