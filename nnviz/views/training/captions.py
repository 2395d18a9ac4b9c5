"""What the Training lab tells the caption bar: its epoch and losses, for captions with
``when`` conditions and caption templates ({epoch}, {loss}, {test_loss},
{test_accuracy})."""

from __future__ import annotations


class TrainingCaptionsMixin:
    """Mixed into the Training lab (uses its controller ``ctl``)."""

    def caption_progress(self) -> tuple[int, float | None] | None:
        h = self.ctl.history
        return int(self.ctl.epoch), (h.train_loss[-1] if len(h) else None)

    def caption_values(self) -> dict[str, float] | None:
        h = self.ctl.history
        vals = {"epoch": float(self.ctl.epoch), "step": float(self.ctl.epoch)}
        if len(h):
            vals.update(loss=h.train_loss[-1], test_loss=h.test_loss[-1],
                        test_accuracy=100.0 * h.test_acc[-1])
        return vals
