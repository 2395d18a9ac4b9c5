"""What the Training lab tells the caption bar (TrainingCaptions): the controller's epoch
and last losses, read when asked."""

from __future__ import annotations

import pytest

from nnviz.views.training.captions import TrainingCaptions


@pytest.fixture
def ctl(qtbot):
    from nnviz.controllers.document import Document
    from nnviz.controllers.training.controller import TrainingController

    doc = Document()
    c = TrainingController(doc)
    yield c
    c.shutdown()
    doc.undo_stack.blockSignals(True)


def test_it_reads_the_epoch_and_the_last_recorded_losses(ctl):
    ctl.doc.load_lesson("spiral")
    part = TrainingCaptions(ctl)
    assert part.ctl is ctl
    h = ctl.history
    assert part.progress() == (0, h.train_loss[-1])      # the epoch-0 record
    ctl.run_epochs(2)
    assert part.progress() == (2, h.train_loss[-1])
    vals = part.values()
    assert vals["epoch"] == vals["step"] == 2.0
    assert vals["loss"] == h.train_loss[-1] and vals["test_loss"] == h.test_loss[-1]
    assert vals["test_accuracy"] == pytest.approx(100.0 * h.test_acc[-1])
    h.clear()                                             # nothing recorded: no losses
    assert part.progress() == (2, None) and set(part.values()) == {"epoch", "step"}
