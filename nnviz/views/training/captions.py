"""What the Training lab tells the caption bar: its epoch and losses, for captions with
``when`` conditions and caption templates ({epoch}, {loss}, {test_loss},
{test_accuracy})."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nnviz.controllers.training.controller import TrainingController


class TrainingCaptions:
    """Reads the training controller's epoch and history for the caption bar (the lab's
    ``caption_progress`` and ``caption_values``); keeps nothing of its own."""

    def __init__(self, ctl: TrainingController) -> None:
        self.ctl = ctl

    def progress(self) -> tuple[int, float | None]:
        """(epoch, the last training loss or None before any is recorded)."""
        h = self.ctl.history
        return int(self.ctl.epoch), (h.train_loss[-1] if len(h) else None)

    def values(self) -> dict[str, float]:
        """The values caption templates quote: epoch (also as step), and once recorded the
        training and test loss and the test accuracy in per cent."""
        h = self.ctl.history
        vals = {"epoch": float(self.ctl.epoch), "step": float(self.ctl.epoch)}
        if len(h):
            vals.update(loss=h.train_loss[-1], test_loss=h.test_loss[-1],
                        test_accuracy=100.0 * h.test_acc[-1])
        return vals
