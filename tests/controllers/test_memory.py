"""Long sessions keep memory bounded: tens of thousands of training steps, thousands of
workbench passes."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.controllers.document import Document
from nnviz.engine.lessons import load_lesson


@pytest.fixture
def doc(qtbot):
    d = Document()
    yield d
    d.undo_stack.blockSignals(True)


def _sizes(obj) -> int:
    """Bytes held in the NumPy arrays of a list of networks (or one network)."""
    nets = obj if isinstance(obj, list) else [obj]
    return sum(w.nbytes + b.nbytes for n in nets for w, b in zip(n.weights, n.biases))


def test_20000_training_steps_keep_the_history_bounded(doc):
    from nnviz.controllers.training import TrainingController
    from nnviz.engine.monitor import History

    ctl = TrainingController(doc)
    lesson = load_lesson("xor-mlp")  # 4 samples, full batch: one step per epoch
    doc.load_lesson(lesson)
    doc.set_config(eta=0.05)
    assert ctl._batch_size() == len(ctl.data.x_train)
    cap = History().cap
    ctl.run_epochs(10 * cap)           # ten times the record's cap: thinned several times
    assert ctl.steps >= 10 * cap and ctl.epoch >= 10 * cap
    assert len(ctl.history) <= cap + 1
    assert all(len(getattr(ctl.history, k)) == len(ctl.history.epoch)
               for k in ("train_loss", "test_loss", "train_acc", "test_acc"))
    assert ctl.history.epoch[-1] > 9 * cap  # thinned, not truncated: the recent past is there
    assert doc.undo_stack.count() <= 500
    ctl.shutdown()


def test_thousands_of_workbench_passes_keep_the_timeline_bounded(doc):
    from nnviz.controllers.stepper import MAX_TIMELINE, StepController

    doc.load_lesson("mazur-2-2-2")
    st = StepController(doc)
    for _ in range(MAX_TIMELINE + 300):
        st.train_step()
    assert len(st.timeline) == MAX_TIMELINE
    assert _sizes(st.timeline) == MAX_TIMELINE * _sizes(doc.network)
    assert doc.undo_stack.count() <= doc.undo_stack.undoLimit()
    assert np.isfinite(doc.network.get_params()).all()
