"""A live frame's decision maps computed on a helper thread while the slice trains
(controllers/training/grid_ahead.py): the same bits as computing them on the GUI thread."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from nnviz.controllers.training.grid_ahead import JobAhead
from nnviz.engine.core.network import Network
from nnviz.engine.learning.monitor import GridEvaluator


def test_a_job_runs_on_the_helper_and_take_waits_for_it():
    ahead = JobAhead()
    go = threading.Event()
    try:
        def job():
            assert go.wait(10.0)
            return threading.current_thread().name
        assert ahead.submit(job) and ahead.pending
        go.set()
        assert ahead.take() == "nnviz-grid-ahead" and not ahead.pending
        assert ahead.take() is None            # nothing pending
        assert ahead.submit(lambda: 1)
        ahead.drop()                           # forgotten: take has nothing
        assert not ahead.pending and ahead.take() is None
    finally:
        ahead.close()


def test_an_error_reaches_the_taker_and_a_closed_helper_takes_nothing():
    ahead = JobAhead()

    def bad():
        raise FloatingPointError("helper")
    assert ahead.submit(bad)
    with pytest.raises(FloatingPointError):
        ahead.take()
    ahead.close()
    assert not ahead.submit(lambda: 1) and ahead.take() is None


class _Recording(GridEvaluator):
    """The controller's evaluator, noting which thread ran each grid."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[str] = []

    def __call__(self, *a, **k):
        self.threads.append(threading.current_thread().name)
        return super().__call__(*a, **k)


@pytest.mark.parametrize("lesson", ["spiral", "overfitting-dropout", "vanishing-gradients"])
def test_a_live_frame_draws_the_grid_of_the_last_slice_bit_equal(training_ctl, lesson):
    """While Play runs at full speed, each frame's grid (what the lab's redraw reads) is
    the helper's grid of the network as the previous slice left it, equal to the last bit
    to the GUI thread's own grid of those parameters; at the pause the grid is the
    network's as it is."""
    ctl = training_ctl
    ctl.doc.load_lesson(lesson)
    ctl.doc.lesson.epochs = 0           # no stop at the lesson's epochs
    ctl.readouts.maps_shown = True      # as the lab on screen sets it
    rec = ctl.readouts._grid = _Recording()
    starts, frames = [], []
    ahead = ctl.readouts.grid_ahead

    def noting_ahead(res: int = 100) -> None:
        starts.append(ctl.readouts.evaluated().copy())
        ahead(res)
    ctl.readouts.grid_ahead = noting_ahead

    def frame() -> None:   # the lab's live redraw reads the grid once per frame
        g = ctl.readouts.grid()
        frames.append([a.copy() for a in (g.output, *g.hidden)])
    ctl.trained.connect(frame)
    ctl.playback.play()
    for _ in range(5):
        ctl._tick()
    ctl.playback.pause()
    assert len(frames) >= 5 and rec.threads[:5] == ["nnviz-grid-ahead"] * 5
    assert not ctl.readouts._ahead.pending
    for net, got in zip(starts, frames):
        g = GridEvaluator()(net, -6.0, 6.0, 100, ctl.features)
        want = [g.output, *g.hidden]
        assert all(np.array_equal(a, b) for a, b in zip(got, want))
    # the pause's frame: the network as it is now, on the GUI thread
    g = ctl.readouts.grid()
    want = GridEvaluator()(Network.copy(ctl.doc.network), -6.0, 6.0, 100, ctl.features)
    assert rec.threads[-1] == threading.main_thread().name
    assert np.array_equal(g.output, want.output)
    assert ctl.epoch > 0 and not np.array_equal(frames[0][0], g.output)
