"""The error-surface controller's parts, each with its own state: the descent path
(:class:`DescentPath`: what it records, resets, steps back, thins) and the grid schedule
(:class:`GridSchedule`: a recompute after a change, one grid at a time, coarse grids
while descent plays and the full one on a pause)."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.controllers.document import Document
from nnviz.controllers.surface import path as surface_path
from nnviz.controllers.surface.controller import SurfaceController
from nnviz.controllers.surface.live import LIVE_RESOLUTION
from nnviz.engine.core.network import cost


@pytest.fixture
def ctl(qtbot):
    doc = Document()
    doc.load_lesson("sigmoid-neuron")
    c = SurfaceController(doc)
    if c.busy():
        with qtbot.waitSignal(c.surface_changed, timeout=30_000):
            pass
    yield c
    c.shutdown()
    doc.undo_stack.clear()


def _numeric_grad(doc, theta: np.ndarray, h: float = 1e-6) -> np.ndarray:
    net = doc.network.copy()
    g = np.zeros_like(theta)
    for i in range(theta.size):
        for sign in (1, -1):
            t = theta.copy()
            t[i] += sign * h
            net.set_params(t)
            g[i] += sign * cost(net, doc.x, doc.y, doc.loss) / (2 * h)
    return g


def test_the_path_records_each_descent_step_and_its_loss(ctl):
    doc, path = ctl.doc, ctl.path
    theta0 = doc.network.get_params()
    assert len(path.thetas) == 1 and np.array_equal(path.thetas[0], theta0)
    assert path.costs == [cost(doc.network, doc.x, doc.y, doc.loss)] and path.steps == 0
    assert path.step(3) == 3
    assert path.steps == 3 and len(path.thetas) == len(path.costs) == 4
    # every point is the one before moved by -eta * dC/dtheta (central differences)
    eta = doc.config.eta
    for a, b in zip(path.thetas, path.thetas[1:]):
        assert np.allclose(b, a - eta * _numeric_grad(doc, a), rtol=0, atol=1e-8)
    for t, c in zip(path.thetas, path.costs):
        net = doc.network.copy()
        net.set_params(t)
        assert c == cost(net, doc.x, doc.y, doc.loss)
    assert np.array_equal(doc.network.get_params(), path.thetas[-1])
    # the controller's API reads the same state
    assert ctl.thetas is path.thetas and ctl.steps == 3 and ctl.current_cost() == path.costs[-1]


def test_the_path_steps_back_and_resets_at_the_network(ctl):
    path, net = ctl.path, ctl.doc.network
    path.step(2)
    second = path.thetas[1].copy()
    path.step_back()
    assert path.steps == 1 and len(path.thetas) == 2
    assert np.array_equal(net.get_params(), second)
    path.step_back()
    path.step_back()   # at the start: nothing more to go back to
    assert path.steps == 0 and len(path.thetas) == 1
    path.step(4)
    here = net.get_params()
    path.reset()
    assert path.steps == 0 and len(path.thetas) == 1 and np.array_equal(path.thetas[0], here)
    assert path.costs == [cost(net, ctl.doc.x, ctl.doc.y, ctl.doc.loss)]


def test_a_hidden_lab_path_waits_for_its_cost(ctl):
    ctl.set_active(False)
    ctl.path.reset()
    assert ctl.path.stale and np.isnan(ctl.path.costs[0])
    ctl.set_active(True)
    assert not ctl.path.stale and np.isfinite(ctl.path.costs[0])


def test_a_long_path_keeps_its_start_and_thins_the_middle(ctl, monkeypatch):
    monkeypatch.setattr(surface_path, "MAX_PATH", 10)
    path = ctl.path
    first = path.thetas[0].copy()
    path.step(10)   # 11 points: one over the limit
    assert np.array_equal(path.thetas[0], first)
    assert len(path.thetas) == len(path.costs) == 6 and path.steps == 10
    assert np.array_equal(path.thetas[-1], ctl.doc.network.get_params())


def test_an_edit_from_outside_resets_the_path_but_the_paths_own_steps_do_not(ctl):
    path = ctl.path
    path.step(2)
    assert path.steps == 2   # its own network_updated did not reset it
    ctl.doc.network.biases[0][0] += 0.5
    ctl.doc.network_updated()
    assert path.steps == 0 and len(path.thetas) == 1


def test_the_schedule_recomputes_soon_after_a_change_and_one_grid_at_a_time(ctl, qtbot):
    grids, requests = ctl.grids, []
    real = ctl.request_grid
    grids.recompute.timeout.disconnect()
    grids.recompute.timeout.connect(lambda: requests.append("full") or real())
    grids.schedule()
    assert grids.recompute.isActive() and not grids.live.isActive() and grids.due()
    with qtbot.waitSignal(ctl.surface_changed, timeout=30_000):
        pass
    assert requests == ["full"] and not grids.due()
    # while a grid is running a change is remembered, and asked for when it is done
    ctl.request_grid()
    assert ctl.busy()
    grids.schedule()
    assert grids.dirty and not grids.recompute.isActive()
    with qtbot.waitSignal(ctl.surface_changed, timeout=30_000):
        pass
    assert not grids.dirty and grids.recompute.isActive()   # caught up: the next one soon
    grids.stop()
    assert not grids.due()


def test_the_schedule_asks_for_coarse_grids_while_playing_and_the_full_one_on_pause(ctl, qtbot):
    grids, asked = ctl.grids, []
    real = ctl.request_grid
    ctl.request_grid = lambda resolution=None, live=False: (
        asked.append((resolution, live)), real(resolution, live))[1]
    ctl.resolution = 101
    ctl.playback.play()
    try:
        ctl.playback.pause()   # nothing coarse was shown or pending: no new grid
        assert asked == []
        ctl.playback.play()
        grids.schedule()   # a step moved the slice
        assert asked == [(LIVE_RESOLUTION, True)] and grids.live_pending
        grids.schedule()   # again within a display frame: one request, the next one later
        assert len(asked) == 1 and (grids.live.isActive() or grids.dirty)
        qtbot.waitUntil(lambda: not ctl.busy(), timeout=30_000)
        ctl.playback.pause()   # the coarse picture is refined to the full resolution
        assert asked[-1] == (None, False)
        qtbot.waitUntil(lambda: not ctl.busy() and not ctl.surface.live, timeout=30_000)
        assert ctl.surface.z.shape == (101, 101)
    finally:
        ctl.playback.pause()
