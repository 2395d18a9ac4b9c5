"""Long sessions keep memory bounded: tens of thousands of training steps, thousands of
workbench passes."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.controllers.document import Document
from nnviz.engine.teaching.lessons import load_lesson


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
    from nnviz.controllers.training.controller import TrainingController
    from nnviz.engine.learning.monitor import History

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
    from nnviz.controllers.workbench.stepper import MAX_TIMELINE, StepController

    doc.load_lesson("mazur-2-2-2")
    st = StepController(doc)
    for _ in range(MAX_TIMELINE + 300):
        st.train_step()
    assert len(st.timeline) == MAX_TIMELINE
    assert _sizes(st.timeline) == MAX_TIMELINE * _sizes(doc.network)
    assert doc.undo_stack.count() <= doc.undo_stack.undoLimit()
    assert np.isfinite(doc.network.get_params()).all()


def test_a_large_networks_decision_maps_are_computed_in_bounded_memory(monkeypatch):
    """The Training lab's maps of a large network (the grid worker's job) go through the
    network a chunk of points at a time: the same values as the whole grid at once, in
    a fraction of its memory (a 2-1400-1400-2 network's had taken ~650 MB)."""
    import tracemalloc

    from nnviz.controllers.training import grid as training_grid
    from nnviz.engine.core.activations import get_activation
    from nnviz.engine.core.network import Network
    from nnviz.engine.core.summary import shown_neurons
    from nnviz.engine.learning.monitor import GridEvaluator
    from nnviz.engine.sets.features import PLAIN

    rng = np.random.default_rng(0)
    sizes = [2, 300, 300, 2]
    net = Network([rng.normal(size=(b, a)) for a, b in zip(sizes[:-1], sizes[1:])],
                  [rng.normal(size=b) for b in sizes[1:]], [get_activation("sigmoid")] * 3,
                  [False] * 3, [True] * 3)
    with np.errstate(all="ignore"):
        whole = GridEvaluator()(net, -6.0, 6.0, 100, PLAIN)

    def job_peak_mb(chunk: int):
        monkeypatch.setattr(training_grid, "CHUNK_POINTS", chunk)
        tracemalloc.start()
        try:
            grid = training_grid.grid_job(net, PLAIN, 100)(None)
            return grid, tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()

    _, at_once = job_peak_mb(100 * 100)    # the whole grid in one pass (as before)
    grid, chunked = job_peak_mb(999)       # (the last chunk is shorter)
    assert chunked < at_once / 4, (chunked, at_once)
    # the same values to rounding (BLAS may sum a chunk's last few columns in another
    # order; with chunks of a multiple of its blocks, as the lab's 1,000 of 10,000 points,
    # they are the same bits: tests/views/test_big_network_draw.py)
    drawn = shown_neurons(300)
    assert np.array_equal(grid.xs, whole.xs) and np.array_equal(grid.ys, whole.ys)
    np.testing.assert_allclose(grid.output, whole.output, rtol=1e-12, atol=1e-15)
    for h, w in zip(grid.hidden, whole.hidden):
        np.testing.assert_allclose(h, w[..., drawn], rtol=1e-12, atol=1e-15)
