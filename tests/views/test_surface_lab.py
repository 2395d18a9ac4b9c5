"""The error-surface lab driven like a user: clicks on the heatmap, buttons, keys,
pickers; responsiveness while a 301 x 301 grid runs; the slowdown page; 3-D under Xvfb."""

from __future__ import annotations

import re
import subprocess
import sys
import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

from nnviz.engine.core.naming import fmt
from nnviz.views.items.math_text import math_plain


def _open(main_window, qtbot, lesson):
    assert main_window.open_lesson(lesson)
    main_window.show_lab("surface")  # lessons of other labs open there
    lab = main_window.current_lab
    assert lab.name == "surface"
    ctl = lab.controller
    qtbot.waitUntil(lambda: not ctl.busy() and ctl.surface is not None, timeout=30_000)
    qtbot.wait(30)  # let the coalesced redraw run
    return lab, ctl


def test_sigmoid_neuron_opens_the_surface_with_its_start_point(main_window, qtbot):
    lab, ctl = _open(main_window, qtbot, "sigmoid-neuron")
    page = lab.page
    assert page.heatmap.getAxis("bottom").labelText == "w"
    assert page.heatmap.getAxis("left").labelText == "b"
    assert "loss = 0.415819901" in page.readout.text()
    assert "w = −2\n" in page.readout.text()   # a minus sign, not a hyphen
    assert page.x_param.currentText() == "w" and page.y_param.currentText() == "b"
    assert page.x_param.count() == 2
    assert not page.view3d.available
    assert "3-D view unavailable" in page.view3d.label.text()
    assert "offscreen" in page.view3d.label.text()


def test_clicking_the_heatmap_moves_the_two_parameters(main_window, qtbot):
    lab, ctl = _open(main_window, qtbot, "sigmoid-neuron")
    hm = lab.page.heatmap
    pos = hm.view_to_widget(1.0, -1.0)
    QTest.mouseClick(hm.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     pos)
    net = main_window.doc.network
    w, b = net.weights[0][0, 0], net.biases[0][0]
    assert abs(w - 1.0) < 0.05 and abs(b + 1.0) < 0.05 and (w, b) != (-2, -2)
    qtbot.wait(30)
    assert re.search(r"w = 0\.9[5-9]|w = 1(\.0[0-4])?", lab.page.readout.text())
    assert list(hm.point.getData()[0]) == [w]
    main_window.act_undo.trigger()
    assert main_window.doc.network.weights[0][0, 0] == -2.0
    assert main_window.doc.network.biases[0][0] == -2.0


def test_step_button_and_clicker_key_descend(main_window, qtbot):
    lab, ctl = _open(main_window, qtbot, "sigmoid-neuron")
    qtbot.mouseClick(lab.page.step_btn, Qt.MouseButton.LeftButton)
    qtbot.wait(30)
    assert "Step 1\n" in lab.page.readout.text()
    assert f"{main_window.doc.network.weights[0][0, 0]:.10f}" == "-1.9945076808"
    main_window.activateWindow()
    lab.page.heatmap.setFocus()
    qtbot.keyClick(lab.page.heatmap, Qt.Key.Key_Right)
    qtbot.wait(30)
    assert "Step 2\n" in lab.page.readout.text()
    assert len(lab.page.heatmap.path.getData()[0]) == 3
    lab.advance(998)
    assert f"{main_window.doc.network.weights[0][0, 0]:.10f}" == "1.7917198301"
    assert f"{main_window.doc.network.biases[0][0]:.10f}" == "-2.2821180729"


def test_play_and_pause(main_window, qtbot):
    lab, ctl = _open(main_window, qtbot, "sigmoid-neuron")
    qtbot.mouseClick(lab.page.play_btn, Qt.MouseButton.LeftButton)
    assert lab.page.play_btn.text() == "Pause"
    qtbot.waitUntil(lambda: ctl.steps >= 20, timeout=10_000)
    qtbot.mouseClick(lab.page.play_btn, Qt.MouseButton.LeftButton)
    assert lab.page.play_btn.text() == "Play" and not ctl.playback.playing
    n = ctl.steps
    qtbot.wait(50)
    assert ctl.steps == n


def test_while_descent_plays_the_slice_is_at_most_a_tenth_of_a_second_old(main_window,
                                                                            qtbot, monkeypatch):
    """The slice under the heatmap was computed at every drawn step (up to 60 a second,
    a fifth of the window's thread while descent played); now at most every
    LIVE_SLICE_S, and afresh when play stops: then it is the current point's exactly."""
    import time

    import numpy as np

    from nnviz.controllers.surface.slices import LIVE_SLICE_S

    lab, ctl = _open(main_window, qtbot, "sigmoid-neuron")
    page = lab.page
    calls, paths = [], []
    real_slice, real_path = ctl.slice_values, page.heatmap.set_path
    monkeypatch.setattr(ctl, "slice_values", lambda: calls.append(1) or real_slice())
    monkeypatch.setattr(page.heatmap, "set_path", lambda c: paths.append(1) or real_path(c))
    t0 = time.monotonic()
    qtbot.mouseClick(page.play_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(paths) >= 40, timeout=30_000)
    qtbot.mouseClick(page.play_btn, Qt.MouseButton.LeftButton)
    elapsed = time.monotonic() - t0
    assert not ctl.playback.playing
    assert len(calls) < len(paths)
    assert len(calls) <= elapsed / LIVE_SLICE_S + 3, (len(calls), len(paths), elapsed)
    qtbot.wait(50)
    xs, zs = page.slice_curve.getData()
    want_x, want_z = real_slice()
    assert np.array_equal(xs, want_x) and np.array_equal(zs, want_z)
    dot_x, dot_y = page.slice_dot.getData()
    assert list(dot_x) == [main_window.doc.network.weights[0][0, 0]]
    assert list(dot_y) == [ctl.costs[-1]]


def test_picking_parameters_from_the_lists(main_window, qtbot):
    lab, ctl = _open(main_window, qtbot, "mazur-2-2-2")
    page = lab.page
    names = [page.x_param.itemText(i) for i in range(page.x_param.count())]
    assert names[:8] == ["w1", "w2", "w3", "w4", "b1", "w5", "w6", "w7"]
    assert len(names) == main_window.doc.network.n_params()
    assert "recomputed" in page.explain.text()
    page.x_param.setFocus()
    qtbot.keyClick(page.x_param, Qt.Key.Key_Down)
    assert page.x_param.currentText() == "w2"
    assert ctl.px.name(main_window.doc.naming) == "w2"
    qtbot.waitUntil(lambda: not ctl.busy(), timeout=30_000)
    qtbot.wait(30)
    assert page.heatmap.getAxis("bottom").labelText == "w2"


def test_window_stays_responsive_during_a_301_grid(main_window, qtbot):
    lab, ctl = _open(main_window, qtbot, "sigmoid-neuron")
    page = lab.page
    gate = threading.Event()
    held = threading.Event()

    def hook(rid, done, total):
        if total == 301 * 301 and not gate.is_set():
            held.set()
            gate.wait(20)  # the worker is mid-grid until the GUI has done its work

    ctl.runner.worker.chunk_hook = hook
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    try:
        page.resolution.setFocus()
        page.resolution.selectAll()
        qtbot.keyClicks(page.resolution, "301")
        qtbot.keyClick(page.resolution, Qt.Key.Key_Return)
        assert ctl.busy() and page.progress.isVisibleTo(page)
        qtbot.waitUntil(held.is_set, timeout=10_000)
        timer.start(5)
        qtbot.waitUntil(lambda: len(ticks) >= 3, timeout=10_000)
        page.eta.setFocus()
        qtbot.keyClick(page.eta, Qt.Key.Key_Up)  # a key press handled mid-grid
        assert main_window.doc.config.eta == pytest.approx(1.05)
        assert ctl.busy() and not gate.is_set()  # the grid really was still running
    finally:
        gate.set()
        timer.stop()
    qtbot.waitUntil(lambda: not ctl.busy(), timeout=60_000)
    assert ctl.surface.z.shape == (301, 301)
    assert not page.progress.isVisibleTo(page)


def test_slowdown_page(main_window, qtbot):
    action = main_window.nav.lesson_actions["learning-slowdown"]
    action.trigger()
    lab = main_window.current_lab
    assert lab.name == "surface" and lab.page_name == "slowdown"
    page = lab.slow_page
    assert "Squared error" in page.titles[0].text() and "cross-entropy" in page.titles[1].text()
    # the costs as the Equation panel writes formulas: Eₜₒₜₐₗ and Σₓ, not E_total and Σ_x
    assert "Eₜₒₜₐₗ" in page.titles[0].text() and "Σₓ" in page.titles[1].text()
    assert not [t.text() for t in page.titles if "_" in t.text()]
    for _ in range(100):
        qtbot.mouseClick(page.step_btn, Qt.MouseButton.LeftButton)
    qtbot.wait(30)
    assert "Epoch 100" in page.epoch_label.text()
    a_quad = float(re.search(r"a\s=\s([0-9.]+)", page.readouts[0].text()).group(1))
    a_ce = float(re.search(r"a\s=\s([0-9.]+)", page.readouts[1].text()).group(1))
    assert a_quad > 0.9 and a_ce < 0.1
    assert len(page.curves[0].getData()[0]) == 101
    costs = [page.loss_curves[i].getData()[1] for i in range(2)]
    assert len(costs[0]) == 101 and costs[1][100] < costs[1][0] / 10  # cross-entropy drops
    assert costs[0][100] > 0.9 * costs[0][0]                            # quadratic stalls
    qtbot.waitUntil(lambda: all(r.z is not None for r in lab.slowdown.runs), timeout=30_000)
    qtbot.mouseClick(page.reset_btn, Qt.MouseButton.LeftButton)
    qtbot.wait(30)
    assert "Epoch 0" in page.epoch_label.text()


def test_state_round_trip_and_bad_state(main_window, qtbot):
    lab, ctl = _open(main_window, qtbot, "mazur-2-2-2")
    st = lab.state()
    st2 = {**st, "params": ["w5", "w6"], "span": 2.5}
    lab.restore_state(st2)
    assert lab.page.x_param.currentText() == "w5" and lab.page.span.value() == 2.5
    assert lab.state()["params"] == ["w5", "w6"]
    for bad in ({**st, "page": "nope"}, {**st, "resolution": 1000}, "x"):
        with pytest.raises(ValueError):
            lab.restore_state(bad)
    assert lab.state()["params"] == ["w5", "w6"]


def test_zoom_and_presentation_style(main_window, qtbot):
    lab, ctl = _open(main_window, qtbot, "sigmoid-neuron")
    vb = lab.page.heatmap.getViewBox()
    w0 = vb.viewRange()[0][1] - vb.viewRange()[0][0]
    lab.zoom(2.0)
    w1 = vb.viewRange()[0][1] - vb.viewRange()[0][0]
    assert w1 == pytest.approx(w0 / 2, rel=1e-6)
    lab.zoom(None)
    assert vb.viewRange()[0][1] - vb.viewRange()[0][0] == pytest.approx(w0, rel=1e-6)
    from nnviz.views.style import Style

    lab.apply_style(Style(theme="dark", presentation=True, scale=1.6))
    assert lab.font().pointSizeF() == pytest.approx(16.0)


GL_SCRIPT = r"""
import sys, tempfile, os
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from nnviz.views.main_window import MainWindow
s = QSettings(os.path.join(tempfile.mkdtemp(), "s.ini"), QSettings.Format.IniFormat)
win = MainWindow(settings=s)
win.resize(1280, 720)
win.start(lesson="sigmoid-neuron")
win.show()
lab = win.current_lab
lab.advance(1000)
for _ in range(20):
    app.processEvents()
v3 = lab.page.view3d
print("AVAILABLE", v3.available)
img = v3.view.grabFramebuffer()
coloured = path = 0
for i in range(0, img.width(), 2):
    for j in range(0, img.height(), 2):
        c = img.pixelColor(i, j)
        if c.saturation() > 80:
            coloured += 1
        if c.red() > 200 and 90 < c.green() < 200 and c.blue() < 90:
            path += 1
print("COLOURED", coloured, "PATH", path)
for p in win.labs.values():
    p.shutdown()
win.close()
"""


def test_3d_surface_renders_with_its_path(gl_env):
    r = subprocess.run([sys.executable, "-c", GL_SCRIPT], env=gl_env, capture_output=True,
                       text=True, timeout=180)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "AVAILABLE True" in r.stdout, r.stdout
    coloured = int(r.stdout.split("COLOURED")[-1].split()[0])
    path = int(r.stdout.split("PATH")[-1].split()[0])
    assert coloured > 500 and path > 5, r.stdout
    assert "Traceback" not in r.stderr and "Error while drawing" not in r.stderr, r.stderr


def test_picking_the_same_parameter_twice_is_refused_with_a_message(main_window, qtbot):
    lab, ctl = _open(main_window, qtbot, "sigmoid-neuron")
    page = lab.page
    page.x_param.setFocus()
    qtbot.keyClick(page.x_param, Qt.Key.Key_Down)  # w -> b, but b is on the y axis
    assert page.x_param.currentText() == "w" and page.y_param.currentText() == "b"
    assert "two different" in page.message.text()


def test_too_large_a_learning_rate_diverges_and_pauses_with_a_message(main_window, qtbot):
    lab, ctl = _open(main_window, qtbot, "linear-2-2-1")
    page = lab.page
    page.eta.setFocus()
    page.eta.selectAll()
    qtbot.keyClicks(page.eta, "999")
    qtbot.keyClick(page.eta, Qt.Key.Key_Return)
    assert main_window.doc.config.eta == 999
    page.speed.setValue(200)
    qtbot.mouseClick(page.play_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ctl.playback.playing, timeout=20_000)
    assert "diverged" in page.message.text() and page.play_btn.text() == "Play"
    assert main_window.doc.network.is_finite()


def test_parameters_are_picked_by_clicking_the_network(main_window, qtbot):
    """Click a weight on the graph: x axis; Shift+click a neuron: its bias on the y axis."""
    from PySide6.QtCore import Qt as _Qt
    from PySide6.QtTest import QTest

    from nnviz.engine.labs.surface import ParamRef

    win = main_window
    win.show_lab("surface")
    lab = win.current_lab
    page = lab.page if hasattr(lab, "page") else lab.findChild(type(lab).__mro__[0], "")
    from nnviz.views.surface.page import SurfacePage

    page = lab.findChildren(SurfacePage)[0]
    ctl = page.ctl
    g = page.picker.graph
    qtbot.waitUntil(g.isVisible)
    qtbot.wait(20)
    view = g.view_widget.viewport()
    QTest.mouseClick(view, _Qt.MouseButton.LeftButton,
                     pos=g.view_widget.mapFromScene(g.edge_scene_pos(1, 0, 1, 0.6)))
    qtbot.waitUntil(lambda: ctl.px == ParamRef("w", 1, 0, 1))
    assert page.x_param.currentText() == "w6"
    QTest.mouseClick(view, _Qt.MouseButton.LeftButton, _Qt.KeyboardModifier.ShiftModifier,
                     g.view_widget.mapFromScene(g.edge_scene_pos(0, 1, 0, 0.6)))
    qtbot.waitUntil(lambda: ctl.py == ParamRef("w", 0, 1, 0))
    assert page.y_param.currentText() == "w3"
    assert ctl.px == ParamRef("w", 1, 0, 1)
    ctl.wait_idle()


def test_hidden_surface_lab_computes_no_grid_until_shown(main_window, qtbot):
    """Lessons opened while another lab is shown cost no background grid; showing the
    surface lab again computes the grid for the current lesson."""
    win = main_window
    win.show_lab("surface")
    ctl = win.current_lab.controller
    ctl.wait_idle()
    win.show_lab("workbench")
    submitted = []
    orig = ctl.runner.submit
    ctl.runner.submit = lambda job, **kw: submitted.append(job) or orig(job, **kw)
    try:
        assert win.open_lesson("xor-mlp")
        assert submitted == []
        win.show_lab("surface")
        assert len(submitted) == 1
        ctl.wait_idle()
        assert ctl.surface is not None and ctl.surface.z.shape == (ctl.resolution,) * 2
    finally:
        ctl.runner.submit = orig


def test_a_hidden_surface_lab_lists_the_parameters_when_shown(main_window, qtbot):
    lab, ctl = _open(main_window, qtbot, "sigmoid-neuron")
    page = lab.page
    assert page.x_param.count() == 2
    main_window.show_lab("workbench")
    assert main_window.open_lesson("mazur-2-2-2")
    main_window.show_lab("workbench")
    assert page.x_param.count() == 2      # nobody sees the combo boxes: they wait
    main_window.show_lab("surface")
    n = len(ctl.param_list.refs())
    assert n == 10 and page.x_param.count() == n   # 8 weights and 2 shared biases
    assert page.x_param.currentText() == math_plain(ctl.name(ctl.px))


def test_weights_too_large_for_a_finite_loss_show_inf_and_no_dot(main_window, qtbot, recwarn):
    """Another lab (or the editor) left weights so large that the loss overflows: the
    surface lab says so ("inf") and leaves the slice's dot out, with no warning."""
    lab, ctl = _open(main_window, qtbot, "linear-2-2-1")
    net = main_window.doc.network.copy()
    for w in net.weights:
        w[:] = 1e200
    main_window.doc.set_network(net, "huge weights")
    qtbot.waitUntil(lambda: not ctl.busy(), timeout=30_000)
    qtbot.wait(50)
    page = lab.page
    assert re.search(r"loss = (inf|nan)\n", page.readout.text()), page.readout.text()
    assert len(page.slice_dot.data) == 0
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_while_playing_the_heatmap_follows_coarse_and_a_pause_refines_it(main_window, qtbot):
    """XOR network, all parameters training: live pictures (51 x 51, no contours, said in
    the explanation) while playing; Pause brings the full grid with its contours."""
    lab, ctl = _open(main_window, qtbot, "xor-mlp")
    page = lab.page
    assert page.heatmap.image.image.shape == (101, 101) and page.heatmap.contours
    shown, held = [], []

    def on_picture():  # what the picture and the slice show (after the page drew them)
        shown.append(page.heatmap.image.image.shape)
        z, (lo, hi) = ctl.surface.z, page.heatmap.bar.levels()
        curve = page.slice_curve.getData()[1]
        y0, y1 = page.slice.getViewBox().viewRange()[1]
        held.append(lo <= z.min() and z.max() <= hi and y0 <= curve.min()
                    and curve.max() <= y1)

    ctl.surface_changed.connect(on_picture)
    qtbot.mouseClick(page.play_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(shown) >= 3, timeout=30_000)
    assert set(shown) == {(51, 51)} and page.heatmap.contours == []
    # steady scales while playing: every value still inside the colour bar and the slice
    assert all(held)
    assert "coarse, no contours, while playing" in page.explain.text()
    with qtbot.waitSignal(ctl.surface_changed, timeout=30_000):
        qtbot.mouseClick(page.play_btn, Qt.MouseButton.LeftButton)
    assert page.heatmap.image.image.shape == (101, 101) and page.heatmap.contours
    z = ctl.surface.z  # paused: the colour bar and the slice fit the values again
    assert page.heatmap.bar.levels() == (z.min(), z.max())
    assert page.slice.getViewBox().autoRangeEnabled()[1]
    assert "coarse" not in page.explain.text()
    assert math_plain(f"loss = {fmt(ctl.costs[-1])}") in page.readout.text()  # the float64 path's loss


def test_steady_levels_keep_the_colour_scale_while_the_values_fill_it():
    from nnviz.views.surface.plots import steady_levels

    assert steady_levels(1.0, 2.0, None) == pytest.approx((0.9, 2.1))   # a tenth each way
    assert steady_levels(1.0, 2.0, (0.9, 2.1)) == (0.9, 2.1)            # inside, fills it
    assert steady_levels(0.95, 2.05, (0.9, 2.1)) == (0.9, 2.1)
    assert steady_levels(0.8, 2.0, (0.9, 2.1)) == pytest.approx((0.68, 2.12))  # out: anew
    assert steady_levels(1.2, 1.8, (0.9, 2.1)) == pytest.approx((1.14, 1.86))  # < 3/4
    assert steady_levels(0.01, 3.0, None)[0] == 0.0       # a loss's scale stays >= 0
    assert steady_levels(-1.0, 1.0, None) == pytest.approx((-1.2, 1.2))


def test_on_a_plane_the_slice_dot_sits_on_its_curve_and_the_readout_says_how_far_off(
        main_window, qtbot):
    """xor-landscape's PCA plane: the slice's dot lies on the slice curve at the point's α
    (it floated 0.04 above it: the curve was the plane's centre row, the dot the
    network's own loss 0.54 off the plane); the readout gives the network's loss, the
    distance from the plane and the plane's loss there; Step moves all three along."""
    import numpy as np

    lab, ctl = _open(main_window, qtbot, "xor-landscape")
    page = lab.page
    for _ in range(2):
        xs, ys = page.slice_curve.getData()
        (u,), (c,) = page.slice_dot.getData()
        assert u == pytest.approx(ctl.point()[0])
        assert c == pytest.approx(float(np.interp(u, xs, ys)), abs=1e-3 * float(np.ptp(ys)))
        distance, there = ctl.off_plane()
        assert c == pytest.approx(there, rel=1e-12)
        text = page.readout.text()
        assert f"loss = {fmt(ctl.current_cost())}\n" in text
        assert text.endswith(f"{fmt(distance)} off the plane; the plane's loss there "
                             f"{fmt(there)}")
        qtbot.mouseClick(page.step_btn, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: ctl.steps >= 1)
        qtbot.wait(30)


def test_the_axes_print_the_parameters_own_values(main_window, qtbot):
    """No "(x0.001)" scale on the heatmap's or the slice's parameter axes (the label
    "β (direction 2) (x0.001)" was cut at 1280x720 in F5 and its ticks read 500 for 0.5):
    on a span of ±0.0005 the ticks print 0.0005 themselves."""
    lab, ctl = _open(main_window, qtbot, "sigmoid-neuron")
    page = lab.page
    ctl.set_span(0.0005)
    qtbot.waitUntil(lambda: not ctl.busy() and abs(ctl.surface.xs[-1] - ctl.surface.xs[0]
                                                   - 0.001) < 1e-9, timeout=30_000)
    qtbot.wait(30)
    axes = [page.heatmap.getAxis("left"), page.heatmap.getAxis("bottom"),
            page.slice.getAxis("bottom")]
    for ax in axes:
        assert ax.autoSIPrefix is False
        assert ax.autoSIPrefixScale == 1.0
        assert "(x" not in ax.labelString()
