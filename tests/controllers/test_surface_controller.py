"""The surface controller: grids in a worker thread (newest request wins), the path,
divergence, state validation."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from nnviz.controllers.document import Document
from nnviz.controllers.surface.controller import SurfaceController
from nnviz.engine.core.network import cost
from nnviz.engine.labs import surface as S


@pytest.fixture
def ctl(qtbot):
    doc = Document()
    doc.load_lesson("sigmoid-neuron")
    c = SurfaceController(doc)
    yield c
    c.shutdown()
    doc.undo_stack.clear()  # a Document dropped with pending undo commands warns at exit


def _wait_grid(qtbot, c):
    if c.busy():
        with qtbot.waitSignal(c.surface_changed, timeout=30_000):
            pass


def test_grid_arrives_and_matches_the_engine(ctl, qtbot):
    _wait_grid(qtbot, ctl)
    s = ctl.surface
    assert s.z.shape == (101, 101) and (s.x_label, s.y_label) == ("w", "b")
    assert s.xs[0] == -4 and s.xs[-1] == 4 and s.ys[0] == -6 and s.ys[-1] == 2  # lesson settings
    doc = ctl.doc
    n = doc.network.copy()
    n.weights[0][0, 0], n.biases[0][0] = s.xs[30], s.ys[70]
    assert abs(s.z[70, 30] - cost(n, doc.x, doc.y, doc.loss)) <= 1e-12


def test_new_request_cancels_a_running_one(ctl, qtbot):
    _wait_grid(qtbot, ctl)
    gate = threading.Event()
    chunks = []

    def hook(rid, done, total):
        chunks.append(rid)
        if len(chunks) == 1:
            gate.wait(10)  # hold the first request after its first chunk

    ctl.runner.worker.chunk_hook = hook
    old = S.MAX_CHUNK
    S.MAX_CHUNK = 500
    delivered = []
    ctl.runner.finished.connect(lambda rid, res: delivered.append(rid))
    try:
        first = ctl.set_resolution(301) or ctl.runner.current
        qtbot.waitUntil(lambda: len(chunks) >= 1, timeout=10_000)
        with qtbot.waitSignal(ctl.surface_changed, timeout=30_000):
            ctl.set_resolution(41)
            second = ctl.runner.current
            gate.set()
    finally:
        S.MAX_CHUNK = old
        gate.set()
    assert second != first
    assert delivered == [second]
    assert ctl.surface.z.shape == (41, 41)
    # the first request stopped at the chunk after the second one was submitted
    assert chunks.count(first) <= 2 and chunks.count(first) < 301 * 301 // 500


def test_steps_move_the_document_network_along_the_path(ctl, qtbot):
    _wait_grid(qtbot, ctl)
    changes = []
    ctl.doc.network_changed.connect(lambda: changes.append(1))
    assert ctl.step(100) == 100
    assert len(changes) == 1  # one signal per batch of steps
    assert f"{ctl.doc.network.weights[0][0, 0]:.10f}" == "1.0029902114"
    assert ctl.steps == 100 and len(ctl.path_coords()) == 101
    np.testing.assert_array_equal(ctl.path_coords()[-1], [ctl.doc.network.weights[0][0, 0],
                                                         ctl.doc.network.biases[0][0]])
    ctl.step_back()
    assert ctl.steps == 99 and ctl.doc.network.get_params().tolist() == ctl.thetas[-1].tolist()


def test_click_point_is_undoable(ctl, qtbot):
    _wait_grid(qtbot, ctl)
    ctl.step(10)
    ctl.move_to(1.25, -0.5)
    assert ctl.doc.network.weights[0][0, 0] == 1.25 and ctl.doc.network.biases[0][0] == -0.5
    assert ctl.steps == 0  # an outside change starts a new path
    ctl.doc.undo_stack.undo()
    assert ctl.doc.network.weights[0][0, 0] != 1.25


def test_divergence_pauses_at_the_last_finite_point(qtbot):
    doc = Document()
    doc.load_lesson("linear-2-2-1")
    c = SurfaceController(doc)
    try:
        msgs = []
        c.message.connect(msgs.append)
        c.set_eta(1e6)
        c.playback.play()
        qtbot.waitUntil(lambda: not c.playback.playing, timeout=10_000)
        assert msgs and "diverged" in msgs[-1]
        assert doc.network.is_finite() and np.isfinite(c.costs[-1])
        np.testing.assert_array_equal(doc.network.get_params(), c.thetas[-1])
    finally:
        c.shutdown()


def test_normal_mode_recomputes_the_slice_when_others_move(qtbot):
    doc = Document()
    doc.load_lesson("xor-mlp")
    c = SurfaceController(doc)
    try:
        _wait_grid(qtbot, c)
        before = c.surface
        assert "recomputed" in c.explanation()
        with qtbot.waitSignal(c.surface_changed, timeout=30_000):
            c.step(5)
        assert c.surface is not before
        c.set_only_two(True)
        assert "exactly on the surface" in c.explanation()
        others = [i for i, r in enumerate(S.all_params(doc.network)) if r not in (c.px, c.py)]
        p0 = doc.network.get_params()[others]
        c.step(5)
        assert np.array_equal(doc.network.get_params()[others], p0)
        assert not c.grids.recompute.isActive()
    finally:
        c.shutdown()


def test_planes(qtbot):
    doc = Document()
    doc.load_lesson("xor-mlp")
    c = SurfaceController(doc)
    try:
        _wait_grid(qtbot, c)
        c.step(30)
        _wait_grid(qtbot, c)
        with qtbot.waitSignal(c.surface_changed, timeout=30_000):
            c.set_mode("pca")
        s = c.surface
        assert s.mode == "pca" and "principal components" in s.info
        coords = c.path_coords()
        assert coords.shape == (31, 2)
        np.testing.assert_allclose(coords[-1], [0, 0], atol=1e-9)  # centred on the end
        with qtbot.waitSignal(c.surface_changed, timeout=30_000):
            c.set_mode("random")
        assert c.surface.mode == "random"
        np.testing.assert_allclose(c.path_coords()[-1], [0, 0], atol=1e-9)
    finally:
        c.shutdown()


@pytest.fixture
def landscape(qtbot):
    """xor-landscape's controller, its first grid (the PCA plane) computed."""
    doc = Document()
    doc.load_lesson("xor-landscape")
    c = SurfaceController(doc)
    _wait_grid(qtbot, c)
    yield c
    c.shutdown()
    doc.undo_stack.clear()


def test_a_planes_slice_runs_through_the_point_and_says_how_far_off_the_plane_it_is(
        landscape, qtbot):
    """xor-landscape opens on the PCA plane of a path whose first point lies 0.54 off the
    plane: the slice is the plane's loss along direction 1 at that point's β (it was the
    centre row, β = 0), and off_plane gives the distance and the plane's loss at the
    projection, each against the network's cost computed directly."""
    c = landscape
    doc, s = c.doc, c.surface
    assert s.mode == "pca"
    a, b = c.point()
    assert abs(b) > 0.1          # not on the centre row
    xs, zs = c.slice_values()
    theta = c.net.get_params()
    probe = c.net.copy()
    for i in (0, 17, 50, 99):
        probe.set_params(s.origin + xs[i] * s.d1 + b * s.d2)
        assert zs[i] == pytest.approx(cost(probe, doc.x, doc.y, doc.loss), rel=1e-12)
    distance, there = c.off_plane()
    on = s.origin + a * s.d1 + b * s.d2
    assert distance == pytest.approx(float(np.sqrt(np.sum((theta - on) ** 2))), rel=1e-12)
    assert distance > 0.5
    probe.set_params(on)
    assert there == pytest.approx(cost(probe, doc.x, doc.y, doc.loss), rel=1e-12)
    assert abs(there - c.current_cost()) > 0.01   # the point's own loss is not the plane's
    c.set_mode("params")
    _wait_grid(qtbot, c)
    assert c.off_plane() is None


def test_restore_state_validates(ctl, qtbot):
    _wait_grid(qtbot, ctl)
    good = ctl.state()
    for bad in ({"mode": "nope"}, {"params": ["w", "zz"]}, {"span": -1}, {"resolution": 5},
                {"center": [0, float("nan")]}, {"only_two": "yes"}, [1, 2]):
        before = ctl.state()
        with pytest.raises(ValueError):
            ctl.restore_state(bad if not isinstance(bad, dict) else {**good, **bad})
        assert ctl.state() == before
    ctl.restore_state({**good, "params": ["b", "w"], "resolution": 41})
    assert ctl.state()["params"] == ["b", "w"] and ctl.resolution == 41


def test_lesson_settings_choose_the_mode(qtbot):
    doc = Document()
    doc.load_lesson("xor-landscape")
    c = SurfaceController(doc)
    try:
        assert c.mode == "pca"
        _wait_grid(qtbot, c)
        s = c.surface
        assert s.mode == "pca" and c.span == s.xs[-1]
        # the trial trajectory's plane: its end is the origin, the current point projects on it
        n = doc.network.copy()
        n.set_params(s.origin + s.xs[10] * s.d1 + s.ys[80] * s.d2)
        assert abs(s.z[80, 10] - cost(n, doc.x, doc.y, doc.loss)) <= 1e-12
    finally:
        c.shutdown()


def test_same_parameter_twice_is_refused(ctl, qtbot):
    _wait_grid(qtbot, ctl)
    w, b = ctl.px, ctl.py
    with pytest.raises(ValueError, match="two different"):
        ctl.set_pair(w, w)
    assert (ctl.px, ctl.py) == (w, b)
    with pytest.raises(ValueError, match="two different"):
        S.loss_grid(ctl.doc.network, ctl.doc.x, ctl.doc.y, ctl.doc.loss, w, w, [0], [0])


def test_shutdown_stops_the_thread_and_later_requests_are_ignored(qtbot):
    doc = Document()
    doc.load_lesson("sigmoid-neuron")
    c = SurfaceController(doc)
    thread = c.runner._thread
    assert thread.isRunning()
    c.shutdown()
    assert not thread.isRunning()
    doc.load_lesson("xor-mlp")  # signals still arrive: nothing may fail
    assert c.request_grid() == 0
    c.shutdown()  # twice is fine


def test_one_grid_per_lesson_and_new_structures_are_followed(ctl, qtbot):
    _wait_grid(qtbot, ctl)
    ids = []
    ctl.runner.started.connect(ids.append)
    ctl.doc.load_lesson("xor-mlp")
    qtbot.wait(300)  # longer than the recompute delay: a second request would show
    assert len(ids) == 1
    _wait_grid(qtbot, ctl)
    # another network shape through the document (as another lab would do it)
    from nnviz.engine.core.network import Network

    bigger = Network.create([2, 3, 1], "sigmoid", np.random.default_rng(0))
    with qtbot.waitSignal(ctl.surface_changed, timeout=30_000):
        ctl.doc.set_network(bigger, "Add a neuron")
    assert ctl.thetas[0].size == bigger.n_params() and ctl.steps == 0
    assert ctl.px.valid_for(ctl.doc.network) and ctl.py.valid_for(ctl.doc.network)
    # new data: the path starts again and the surface follows
    with qtbot.waitSignal(ctl.surface_changed, timeout=30_000):
        ctl.doc.set_data(ctl.doc.x, 1 - ctl.doc.y)
    n = ctl.doc.network.copy()
    s = ctl.surface
    ctl.px.set(n, s.xs[4])
    ctl.py.set(n, s.ys[9])
    assert abs(s.z[9, 4] - cost(n, ctl.doc.x, ctl.doc.y, ctl.doc.loss)) <= 1e-12


def test_clicking_a_plane_point_sets_every_parameter(qtbot):
    doc = Document()
    doc.load_lesson("xor-mlp")
    c = SurfaceController(doc)
    try:
        _wait_grid(qtbot, c)
        with qtbot.waitSignal(c.surface_changed, timeout=30_000):
            c.set_mode("random")
        s = c.surface
        before = doc.network.get_params()
        c.move_to(0.5, -0.25)
        after = doc.network.get_params()
        np.testing.assert_allclose(after, s.origin + 0.5 * s.d1 - 0.25 * s.d2, rtol=0,
                                   atol=1e-15)
        assert not np.array_equal(after, before)
        np.testing.assert_allclose(c.path_coords()[-1], [0.5, -0.25], atol=1e-9)
        doc.undo_stack.undo()
        np.testing.assert_array_equal(doc.network.get_params(), before)
    finally:
        c.shutdown()
        doc.undo_stack.clear()


def _live_ctl(qtbot, lesson="xor-mlp"):
    doc = Document()
    doc.load_lesson(lesson)
    c = SurfaceController(doc)
    _wait_grid(qtbot, c)
    assert len(c.surface.xs) == c.resolution == 101
    shapes, started = [], []
    c.surface_changed.connect(lambda: shapes.append(c.surface.z.shape))
    c.runner.started.connect(lambda rid: started.append(rid))
    return c, shapes, started


def test_while_playing_coarse_grids_follow_and_a_pause_refines_once(qtbot):
    """All parameters train: each step moves the slice, so live grids (coarse) keep
    arriving; the pause asks for exactly one full-resolution grid."""
    from nnviz.controllers.surface.live import LIVE_RESOLUTION

    c, shapes, started = _live_ctl(qtbot)
    try:
        c.playback.play()
        qtbot.waitUntil(lambda: len(shapes) >= 3, timeout=30_000)
        assert set(shapes) == {(LIVE_RESOLUTION, LIVE_RESOLUTION)}
        assert c.surface.live and "coarse, no contours, while playing" in c.explanation()
        with qtbot.waitSignal(c.surface_changed, timeout=30_000):
            c.playback.pause()
            after = len(started)
        assert c.surface.z.shape == (101, 101) and len(shapes) >= 4
        assert not c.surface.live and "coarse" not in c.explanation()
        qtbot.wait(300)  # longer than any recompute delay: a further request would show
        assert len(started) == after and not c.busy()
        # the refined grid is the slice through the point where play stopped
        net = c.doc.network.copy()
        c.px.set(net, c.surface.xs[7])
        c.py.set(net, c.surface.ys[93])
        assert abs(c.surface.z[93, 7] - cost(net, c.doc.x, c.doc.y, c.doc.loss)) <= 1e-12
    finally:
        c.shutdown()


def test_a_pause_during_a_live_grid_replaces_it_with_the_full_one(qtbot):
    c, shapes, started = _live_ctl(qtbot)
    gate = threading.Event()
    c.runner.worker.chunk_hook = lambda rid, done, total: gate.wait(10)
    try:
        c.playback.play()
        qtbot.waitUntil(lambda: len(started) >= 1, timeout=30_000)  # a live grid held
        with qtbot.waitSignal(c.surface_changed, timeout=30_000):
            c.playback.pause()
            gate.set()
        assert shapes == [(101, 101)]  # the coarse one was never delivered
    finally:
        gate.set()
        c.shutdown()


def test_only_two_or_a_plane_asks_for_no_live_grids(qtbot):
    c, shapes, started = _live_ctl(qtbot)
    try:
        c.set_only_two(True)  # the other parameters hold: the slice does not move
        c.playback.play()
        qtbot.waitUntil(lambda: c.steps >= 20, timeout=30_000)
        c.playback.pause()
        qtbot.wait(200)
        assert started == [] and shapes == []
    finally:
        c.shutdown()


def test_playing_leaves_the_path_losses_float64_and_as_without_live_grids(qtbot):
    """The descent path's losses are float64 costs of the path's own points, and the
    path is exactly the one descent takes with no grid running."""
    c, shapes, started = _live_ctl(qtbot)
    try:
        net0 = c.doc.network.copy()
        c.playback.play()
        qtbot.waitUntil(lambda: len(shapes) >= 2 and c.steps >= 30, timeout=30_000)
        c.playback.pause()
        thetas, costs = S.descent_path(net0, c.doc.x, c.doc.y, c.doc.loss,
                                       c.doc.config.eta, c.steps)
        np.testing.assert_array_equal(np.array(c.thetas), thetas)
        for theta, got in zip(c.thetas, c.costs):
            net = net0.copy()
            net.set_params(theta)
            assert type(got) is float and got == cost(net, c.doc.x, c.doc.y, c.doc.loss)
    finally:
        c.shutdown()
