"""Early stopping in live training: the best test epoch (marked on the loss chart,
restorable) and the pause after ``patience`` epochs without a lower test loss."""

from __future__ import annotations

import copy
import math
from typing import TYPE_CHECKING

from nnviz.engine.learning.schedules import EarlyStopping

if TYPE_CHECKING:
    from nnviz.controllers.training.controller import TrainingController


class EarlyStop:
    """The training controller's early stopping: its own record of the best test epoch
    (:class:`EarlyStopping`: epoch, loss, weights) and the best epoch it last paused for
    (so it pauses once per best epoch). It reads the controller's epoch and network and
    pauses its playback."""

    def __init__(self, ctl: TrainingController) -> None:
        self._ctl = ctl
        self.record = EarlyStopping()
        self._paused_for: int | None = None

    def reset(self) -> None:
        self.record.reset()
        self._paused_for = None

    def best_epoch(self) -> int | None:
        """The recorded epoch with the lowest test loss so far (None if none yet)."""
        e = self.record.best_epoch
        return e if e is not None and e <= self._ctl.epoch else None

    def observe(self, test_loss: float, params=None) -> None:
        """After each recorded epoch: mark a new best; pause when patience ran out.
        ``params()`` gives the epoch's flat parameters (default: the network's now)."""
        c, rec = self._ctl, self.record
        if rec.best_epoch is not None and rec.best_epoch > c.epoch:
            rec.reset()   # stepped back past the best: start watching again
        rec.observe(c.epoch, test_loss, params or c.doc.network.get_params)
        patience = c.doc.config.patience
        best = rec.best_epoch
        if rec.should_stop(patience) and self._paused_for != best:
            self._paused_for = best
            c.playback.pause()
            c.doc.message.emit(
                f"Early stopping: no lower test loss for {patience} epochs since epoch "
                f"{best} (test loss {rec.best_loss:.4g}); 'Restore best' goes back "
                "to its weights.")

    def restore_best(self) -> bool:
        """Put the weights of the best test epoch back (an entry of the history: Back or
        Undo takes it back)."""
        c = self._ctl
        best, params = self.best_epoch(), self.record.best_params
        net = c.doc.network
        if best is None or params is None or params.size != net.get_params().size:
            c.doc.message.emit("No best test epoch to restore yet.")
            return False
        c.playback.pause()
        c.back.remember()
        net.set_params(params)
        c.back.record(f"Restore the weights of epoch {best}")
        loss = self.record.best_loss
        c.doc.message.emit(f"Restored the weights of epoch {best} "
                           f"(test loss {loss:.4g})" if math.isfinite(loss) else
                           f"Restored the weights of epoch {best}")
        c.announce()
        return True

    def state(self) -> tuple:
        """A copy of what it has recorded (a run's in-memory progress)."""
        return copy.deepcopy(self.record), self._paused_for

    def set_state(self, state: tuple) -> None:
        record, self._paused_for = state
        self.record = copy.deepcopy(record)
