"""The universality lab driven like a user: drag bars and step markers, type goals,
step through the ReLU example, train from here, towers."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from nnviz.engine.labs.universality import GOAL_PRESETS, relu_formula
from nnviz.views.widgets import PAUSE


@pytest.fixture
def lab(main_window, qtbot):
    assert main_window.open_lesson("universality-bumps")
    page = main_window.current_lab
    assert page.name == "universality"
    qtbot.waitUntil(lambda: not page.plots._timer.isActive())
    return page


def _to_viewport(plot_widget, plot_item, x: float, y: float) -> QPoint:
    scene = plot_item.getViewBox().mapViewToScene(QPointF(x, y))
    return plot_widget.mapFromScene(scene)


def _drag(qtbot, widget, start: QPoint, end: QPoint, steps: int = 6) -> None:
    vp = widget.viewport()
    QTest.mouseMove(vp, start)
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for k in range(1, steps + 1):
        p = start + (end - start) * (k / steps)
        QTest.mouseMove(vp, p)
        qtbot.wait(5)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def _data_at(plot_widget, plot_item, p: QPoint) -> QPointF:
    return plot_item.getViewBox().mapSceneToView(plot_widget.mapToScene(p))


def test_lesson_configures_ten_fitted_bumps(lab):
    ctl = lab.ctl
    assert ctl.m.mode == "bumps" and ctl.m.n_bumps == 10 and ctl.net.n == 20
    assert lab.controls.count.value() == 10
    score = ctl.readouts.score()
    assert f"{score:.4f}" in lab.controls.score_label.text()
    np.testing.assert_allclose(lab.plots.bars.heights(), ctl.readouts.heights())
    x, y = lab.plots.out_curve.getData()
    assert np.abs(y - ctl.readouts.goal_values(x)).mean() == pytest.approx(score)


def test_dragging_a_bar_sets_the_output_weights(lab, qtbot):
    ctl, plots = lab.ctl, lab.plots
    undo_before = lab.doc.undo_stack.count()
    i = 3
    centre = plots.bars.bar_centre(i)
    start = _to_viewport(plots.graphics, plots.main, centre.x(), centre.y())
    end = start + QPoint(0, -60)
    target = _data_at(plots.graphics, plots.main, end).y()
    _drag(qtbot, plots.graphics, start, end)
    qtbot.waitUntil(lambda: abs(ctl.readouts.heights()[i] - target) < 0.02)
    h = ctl.readouts.heights()[i]
    assert h > centre.y() + 0.05
    assert ctl.net.v[2 * i] == h and ctl.net.v[2 * i + 1] == -h
    qtbot.waitUntil(lambda: plots.bars.heights()[i] == h)
    assert lab.doc.undo_stack.count() == undo_before + 1  # one drag, one undo step
    lab.doc.undo_stack.undo()
    assert ctl.readouts.heights()[i] == pytest.approx(centre.y())


def test_editing_a_weight_moves_the_bar(lab, qtbot):
    controls = lab.controls
    controls.neuron.setValue(4)  # neuron 4 is the rising step of bump 2
    spin = controls.v.spin
    spin.selectAll()
    qtbot.keyClicks(spin.lineEdit(), "0.625")
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)
    assert lab.ctl.readouts.heights()[2] == pytest.approx(0.625)
    assert lab.ctl.net.v[5] == pytest.approx(-0.625)
    qtbot.waitUntil(lambda: lab.plots.bars.heights()[2] == pytest.approx(0.625))


def test_dragging_a_step_marker_moves_the_step(lab, qtbot):
    ctl, plots, controls = lab.ctl, lab.plots, lab.controls
    controls.mode.setCurrentIndex(controls.mode.findData("step"))
    controls.mode.activated.emit(controls.mode.currentIndex())
    assert ctl.m.mode == "step"
    qtbot.waitUntil(lambda: len(plots.markers) == ctl.net.n and plots.markers[5].isVisible())
    j = 5
    ctl.set_step_position(j, 0.45)  # away from the neighbours' steps (bump edges coincide)
    s0 = 0.45
    qtbot.waitUntil(lambda: plots.markers[j].value() == s0)
    plots.main.getViewBox().setYRange(0, 1, padding=0)
    start = _to_viewport(plots.graphics, plots.main, s0, 0.05)
    end = start + QPoint(35, 0)
    target = _data_at(plots.graphics, plots.main, end).x()
    _drag(qtbot, plots.graphics, start, end)
    qtbot.waitUntil(lambda: abs(ctl.readouts.step_positions()[j] - target) < 0.01)
    s = ctl.readouts.step_positions()[j]
    assert s > s0 + 0.01
    assert ctl.net.w[j] == 1000 and ctl.net.b[j] == pytest.approx(-1000 * s)
    qtbot.waitUntil(lambda: controls.selected == j)
    assert controls.s.spin.value() == pytest.approx(s, abs=1e-4)


def test_typing_a_step_position_moves_the_marker(lab, qtbot):
    controls, plots = lab.controls, lab.plots
    controls.mode.setCurrentIndex(controls.mode.findData("step"))
    controls.mode.activated.emit(controls.mode.currentIndex())
    controls.neuron.setValue(2)
    spin = controls.s.spin
    spin.selectAll()
    qtbot.keyClicks(spin.lineEdit(), "0.4321")
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)
    assert lab.ctl.net.b[2] == pytest.approx(-432.1)
    qtbot.waitUntil(lambda: len(plots.markers) > 2
                    and plots.markers[2].value() == pytest.approx(0.4321))


def test_bad_goal_is_refused_with_a_message_and_no_change(lab, qtbot):
    before = lab.ctl.m.goal_text
    count = lab.doc.undo_stack.count()
    edit = lab.controls.goal_edit
    for text, why in [("__import__('os')", "unexpected character '_'"),
                      ("x.__class__", "unexpected character '.'"), ("1e999999", "too large"),
                      ("", "empty"), ("1/x", "not finite")]:
        edit.clear()
        qtbot.keyClicks(edit, text)
        qtbot.keyClick(edit, Qt.Key.Key_Return)
        shown = lab.controls.goal_error.text()
        assert shown.startswith("Not changed:") and why in shown, (text, shown)
        assert not lab.controls.goal_error.isHidden()   # (hidden while it has nothing to say)
        assert lab.ctl.m.goal_text == before and lab.doc.undo_stack.count() == count


def test_presets_and_typed_goal_are_accepted(lab, qtbot):
    combo = lab.controls.preset
    for name, text in GOAL_PRESETS.items():
        combo.setCurrentIndex(combo.findText(name))
        combo.activated.emit(combo.currentIndex())
        assert lab.ctl.m.goal_text == text
    edit = lab.controls.goal_edit
    edit.clear()
    qtbot.keyClicks(edit, "0.5 + 0.3 sin(6x)")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert lab.controls.goal_error.text() == "" and lab.controls.goal_error.isHidden()
    assert lab.ctl.m.goal_text == "0.5 + 0.3 sin(6x)"
    qtbot.mouseClick(lab.controls.fit_button, Qt.MouseButton.LeftButton)
    assert lab.ctl.readouts.score() < 0.05


def test_relu_example_not_even_close_then_relu(main_window, qtbot):
    assert main_window.open_lesson("relu-approximation")
    lab = main_window.current_lab
    assert "not even close" in lab.caption.text()
    assert lab.controls.activation.currentData() == "linear"
    qtbot.waitUntil(lambda: not lab.plots._timer.isActive())
    x, y = lab.plots.out_curve.getData()
    np.testing.assert_allclose(y, 13.2 * x + 1.7, atol=1e-9)
    qtbot.keyClick(main_window, Qt.Key.Key_Right)
    assert lab.ctl.net.activation == "relu"
    assert lab.controls.activation.currentData() == "relu"
    assert "max(wₖx + bₖ, 0)" in lab.caption.text()
    qtbot.waitUntil(lambda: not lab.plots._timer.isActive())
    x, y = lab.plots.out_curve.getData()
    w, b, c = [-5, -1.2, 1.2, 1.2, 2, 5], [-7.7, -1.3, 1, -0.2, -1.1, -5], [-1, -1, -1, 1, 1, 1]
    np.testing.assert_allclose(y, relu_formula(x, w, b, c), atol=1e-12)
    qtbot.keyClick(main_window, Qt.Key.Key_Left)
    assert lab.ctl.net.activation == "linear"


def test_train_from_here_runs_and_pauses_and_undoes(lab, qtbot):
    ctl = lab.ctl
    before = ctl.net.v.copy()
    qtbot.mouseClick(lab.controls.train_button, Qt.MouseButton.LeftButton)
    assert ctl.playback.playing and lab.controls.train_button.text().startswith(PAUSE)
    qtbot.waitUntil(lambda: ctl.epochs > 5, timeout=5000)
    qtbot.mouseClick(lab.controls.train_button, Qt.MouseButton.LeftButton)
    # the training steps so far beside the score (in the wording that fits the panel)
    shown = lab.controls.score_label.text()
    assert not ctl.playback.playing and f"· {ctl.epochs} " in shown and "steps" in shown
    assert shown.endswith("steps") and "training steps" in lab.controls.score_label.toolTip()
    assert not np.array_equal(ctl.net.v, before)
    lab.doc.undo_stack.undo()
    np.testing.assert_array_equal(ctl.net.v, before)


def test_nan_during_training_pauses_with_an_explanation(main_window, qtbot):
    assert main_window.open_lesson("relu-approximation")
    lab = main_window.current_lab
    ctl = lab.ctl
    assert ctl.set_goal_text("x^2") is None
    lab.controls.eta.setValue(50.0)
    before = ctl.net.w.copy()
    with qtbot.waitSignal(ctl.message, timeout=5000,
                          check_params_cb=lambda text: "NaN" in text):
        qtbot.mouseClick(lab.controls.train_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ctl.playback.playing)
    np.testing.assert_array_equal(ctl.net.w, before)
    assert ctl.net.is_finite()


def test_state_round_trip_and_bad_state_changes_nothing(lab):
    lab.ctl.set_height(0, 0.42)
    st = lab.state()
    lab.ctl.set_height(0, 0.1)
    lab.restore_state(st)
    assert lab.ctl.readouts.heights()[0] == 0.42
    for bad in [None, {"controller": {}}, {"controller": dict(st["controller"], w=[1, "x"])},
                {"controller": dict(st["controller"], goal="__import__('os')")},
                {"controller": dict(st["controller"], mode="bumps", v=[1.0] * 20)},
                dict(st, tab=7)]:
        with pytest.raises(ValueError):
            lab.restore_state(bad)
        assert lab.ctl.readouts.heights()[0] == 0.42


def test_two_input_towers_heatmap_and_honest_3d_label(lab, qtbot):
    lab.tabs.setCurrentIndex(1)
    two = lab.two
    qtbot.waitUntil(lambda: two.out_img.image is not None)
    assert "Score" in two.score_label.text()
    assert two.view3d is None and "offscreen" in two.gl_label.text()
    score_before = lab.ctl.readouts.towers_grid()["score"]
    two.towers.setValue(12)
    assert lab.ctl.m.towers == 12 and lab.ctl.readouts.towers_grid()["score"] < score_before
    assert two.bias_label.text() == f"= −{1.5 * lab.ctl.m.gain:.6g}"    # b = −3h/2 = −…
    said = []
    lab.status.connect(said.append)
    two.towers.setValue(10)         # the status bar speaks of the towers tab, not the other
    assert said[-1] == f"Universality · towers · 10 per side · h = {lab.ctl.m.gain:g}, " \
                       f"b = −{1.5 * lab.ctl.m.gain:g}"   # a minus sign
    lab.tabs.setCurrentIndex(0)
    assert "hidden neurons" in said[-1]


def test_presentation_style_and_zoom(lab, main_window):
    from nnviz.views.style import Style

    main_window.window_style.apply(Style(presentation=True, scale=1.6))
    assert lab.caption.font().pointSizeF() == pytest.approx(13 * 1.6)
    x0 = lab.plots.main.getViewBox().viewRange()[0]
    lab.zoom(2.0)
    x1 = lab.plots.main.getViewBox().viewRange()[0]
    assert (x1[1] - x1[0]) < (x0[1] - x0[0])
    main_window.window_style.apply(Style())


GL_SCRIPT = r"""
import sys
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from nnviz.controllers.document import Document
from nnviz.views.universality import UniversalityLab
doc = Document()
doc.load_lesson("universality-bumps")
lab = UniversalityLab(doc)
lab.resize(1000, 700)
lab.tabs.setCurrentIndex(1)
lab.show()
for _ in range(20):
    app.processEvents()
view = lab.two.view3d
assert view is not None, lab.two.gl_label.text()
img = view.grabFramebuffer()
bg = img.pixelColor(1, 1)
lit = sum(1 for i in range(0, img.width(), 4) for j in range(0, img.height(), 4)
          if img.pixelColor(i, j) != bg)
print("LIT", lit)
lab.shutdown()
"""


def test_towers_3d_surface_renders_under_xvfb(gl_env):
    r = subprocess.run([sys.executable, "-c", GL_SCRIPT], env=gl_env, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert int(r.stdout.split("LIT")[-1]) > 50, r.stdout


def test_every_mode_and_activation_from_the_controls(lab, qtbot):
    controls, ctl = lab.controls, lab.ctl
    for mode in ("free", "step", "bumps"):
        controls.mode.setCurrentIndex(controls.mode.findData(mode))
        controls.mode.activated.emit(controls.mode.currentIndex())
        assert ctl.m.mode == mode
        assert controls.count_label.text() == ("Bumps" if mode == "bumps" else "Neurons")
        for i in range(controls.activation.count()):
            controls.activation.setCurrentIndex(i)
            controls.activation.activated.emit(i)
            assert ctl.net.activation == controls.activation.itemData(i)
            qtbot.waitUntil(lambda: not lab.plots._timer.isActive())
            x, y = lab.plots.out_curve.getData()
            np.testing.assert_allclose(y, ctl.readouts.curves()["out"])
        controls.activation.setCurrentIndex(0)
        controls.activation.activated.emit(0)
        controls.count.setValue(7)
        assert (ctl.m.n_bumps if mode == "bumps" else ctl.net.n) == 7
    qtbot.mouseClick(controls.sigmoid_out, Qt.MouseButton.LeftButton)
    assert ctl.net.output == "sigmoid"
    qtbot.mouseClick(controls.fit_button, Qt.MouseButton.LeftButton)
    assert ctl.readouts.score() < 0.1
    controls.w_big.setValue(50)
    assert ctl.m.w_big == 50 and np.all(np.abs(ctl.net.w) == 50)
    count = lab.doc.undo_stack.count()
    while lab.doc.undo_stack.canUndo():
        lab.doc.undo_stack.undo()
    assert count > 10 and ctl.m.mode == "bumps" and ctl.m.n_bumps == 10


def test_bars_follow_the_real_step_positions(lab, qtbot):
    controls = lab.controls
    controls.neuron.setValue(7)  # the falling step of bump 3
    spin = controls.s.spin
    spin.selectAll()
    qtbot.keyClicks(spin.lineEdit(), "0.37")
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: lab.plots.bars.bar_centre(3).x() == pytest.approx((0.3 + 0.37) / 2))


def test_weights_so_big_the_output_overflows(lab, qtbot, main_window):
    """Finite weights whose weighted sum overflows (a workspace may hold 1e308): the
    plots and score draw without a numeric warning (the suite turns those into errors),
    the score says "—", and training from there stops at once as a blow-up, with the
    message, the weights as they were."""
    ctl = lab.ctl
    ctl.set_mode("free")
    for j in range(3):
        ctl.set_output_weight(j, 1.5e308)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not lab.plots._timer.isActive())
    assert ctl.readouts.score() is None
    score = lab.controls.score_label
    assert score.text().endswith(": —") and score.toolTip() == "Score (mean |output − goal|): —"
    total = ctl.readouts.curves()["sum"]
    assert np.isnan(total).any() and not np.isinf(total).any()   # overflow: not drawn
    before = ctl.net.v.copy()
    qtbot.mouseClick(lab.controls.train_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ctl.playback.playing)
    assert "NaN or infinite" in main_window.statusBar().currentMessage()
    assert np.array_equal(ctl.net.v, before)


def _goal_field_problems(field) -> list[str]:
    """The goal field's text cut off (a line out of the field's view, or a one-line field
    narrower than its text) or a line broken inside a term ("0.05 | cos(50x)")."""
    text = field.text()
    if not hasattr(field, "document"):   # a one-line field
        fm = field.fontMetrics()
        room = field.contentsRect().width() - 8
        return [] if fm.horizontalAdvance(text) <= room else [
            f"{text!r} ({fm.horizontalAdvance(text)} px) in a field of {room} px"]
    out, block = [], field.document().begin()
    bottom = field.blockBoundingGeometry(block).translated(field.contentOffset()).bottom()
    if bottom > field.viewport().height() + 1 or field.horizontalScrollBar().maximum():
        out.append(f"{text!r}: drawn {bottom:.0f} px high in {field.viewport().height()} px")
    layout, shown = block.layout(), block.text()
    for i in range(layout.lineCount() - 1):
        end = layout.lineAt(i).textStart() + layout.lineAt(i).textLength()
        if shown[end:end + 1] not in ("+", "-", "−"):   # a sum's terms: "… sin(15x) | + 0.05"
            out.append(f"broken inside a term: {shown[:end]!r} | {shown[end:]!r}")
    return out


def test_the_goal_field_shows_its_whole_goal_at_projector_sizes(main_window, qtbot):
    """A long goal (Nielsen's, of the bumps lesson) at 1024x768, 1280x720, 1366x768 and
    1920x1080, in presentation mode (F5) and not: the goal field shows all of it, its
    lines breaking only between the sum's terms (at 1024x768 the one-line field cut it
    off after "0.05 cos("); a typed goal is taken with Enter and shown whole too."""
    from nnviz.views.style import current_style

    win = main_window
    assert win.open_lesson("universality-bumps")
    field = win.current_lab.controls.goal_edit
    long_goal = "0.2 + 0.4x^2 + 0.3x sin(15x) + 0.05 cos(50x)"
    assert field.text() == long_goal
    problems = []
    for size in ((1024, 768), (1280, 720), (1366, 768), (1920, 1080)):
        win.resize(*size)
        for presentation in (True, False):
            if current_style().presentation != presentation:
                qtbot.keyClick(win, Qt.Key.Key_F5)
            for _ in range(3):
                QApplication.processEvents()
            where = f"{size} F5={presentation}"
            assert win.size().toTuple() == size, where
            problems += [f"{where}: {p}" for p in _goal_field_problems(field)]
    typed = "0.5 + 0.25 sin(2 pi x) + 0.125 cos(4 pi x) - 0.0625 sin(8 pi x)"
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, typed)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert win.current_lab.ctl.m.goal_text == typed and field.text() == typed
    problems += [f"typed: {p}" for p in _goal_field_problems(field)]
    if current_style().presentation:
        qtbot.keyClick(win, Qt.Key.Key_F5)
    assert not problems, "\n".join(problems)


def test_the_caption_follows_what_the_lab_shows(main_window, lab, qtbot):
    """universality-bumps: its "Each bar is one bump" caption while the bars are shown;
    after Train from here (free mode: no bars) the lesson's training caption instead; an
    undo brings the bars and the first caption back; on the towers tab, which the lesson
    is not about, none of them. universality-towers: its caption on the towers tab only."""
    bar = main_window.caption_bar

    def caption() -> str:
        qtbot.wait(1)   # (the bar is refreshed once per event pass)
        return bar.text_label.text() if bar.isVisible() else ""
    assert caption().startswith("Each bar is one bump")
    ctl = lab.ctl
    qtbot.mouseClick(lab.controls.train_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctl.epochs > 2, timeout=5000)
    qtbot.mouseClick(lab.controls.train_button, Qt.MouseButton.LeftButton)
    assert ctl.m.mode == "free"
    qtbot.waitUntil(lambda: caption().startswith("Training switched to free mode"))
    lab.doc.undo_stack.undo()
    assert ctl.m.mode == "bumps"
    qtbot.waitUntil(lambda: caption().startswith("Each bar is one bump"))
    qtbot.mouseClick(lab.tabs.tabBar(), Qt.MouseButton.LeftButton,
                     pos=lab.tabs.tabBar().tabRect(1).center())
    assert lab.tabs.currentIndex() == 1
    qtbot.waitUntil(lambda: "bump" not in caption() and "Training" not in caption())
    assert main_window.open_lesson("universality-towers")
    assert lab.tabs.currentIndex() == 1
    qtbot.waitUntil(lambda: caption().startswith("Two inputs: a bump in x"))
    qtbot.mouseClick(lab.tabs.tabBar(), Qt.MouseButton.LeftButton,
                     pos=lab.tabs.tabBar().tabRect(0).center())
    qtbot.waitUntil(lambda: not caption().startswith("Two inputs"))


def test_the_best_error_plot_stands_on_zero(main_window, qtbot):
    """relu-approximation: the "best error" mini plot runs from 0, labelled at 0 and at its
    largest error. The linear stage's best error is the same for every N: drawn flat, not
    as 3.804 ... 3.808 (which read as a ragged curve); after → (ReLU) it falls towards 0."""
    from tests.views.fit_checks import drawn_tick_labels

    win = main_window
    assert win.open_lesson("relu-approximation")
    lab = win.current_lab
    errors = lab.plots.errors

    def shown():
        lab.plots.redraw()
        qtbot.wait(20)
        _, ys = lab.plots.error_curve.getData()
        lo, hi = errors.getViewBox().viewRange()[1]
        labels = [t for _, t in drawn_tick_labels(errors.getAxis("left"))]
        return ys, lo, hi, labels

    ys, lo, hi, labels = shown()
    assert np.ptp(ys) < 1e-9 * ys.max()                  # flat: a linear network
    assert lo < 0 < ys.max() < hi
    assert labels == ["0", f"{ys.max():.2g}"], labels
    lab.plots.setFocus()
    qtbot.keyClick(win.focusWidget() or win, Qt.Key.Key_Right)   # next stage: ReLU
    qtbot.waitUntil(lambda: lab.ctl.m.net.activation == "relu", timeout=2000)
    ys, lo, hi, labels = shown()
    assert ys[-1] < 0.2 * ys[0] and lo < 0 < ys.max() < hi
    assert labels == ["0", f"{ys.max():.2g}"], labels


def test_the_lesson_caption_stays_through_its_stages(main_window, qtbot):
    """relu-approximation: its caption ("First with no activation… Then switch on ReLU…")
    and question stay up at its second stage, reached by →; the caption bar stood empty
    there. A training step (the network no longer the lesson's) takes them down."""
    from nnviz.engine.teaching.lessons import load_lesson

    win = main_window
    assert win.open_lesson("relu-approximation")
    lab = win.current_lab
    lesson = load_lesson("relu-approximation")
    bar = win.caption_bar
    qtbot.waitUntil(lambda: bar.text_label.text() == lesson.captions[0].text, timeout=2000)
    lab.plots.setFocus()
    qtbot.keyClick(win.focusWidget() or win, Qt.Key.Key_Right)   # next stage: ReLU
    qtbot.waitUntil(lambda: lab.ctl.m.net.activation == "relu", timeout=2000)
    qtbot.wait(30)
    assert bar.text_label.text() == lesson.captions[0].text
    assert "smoother fit" in bar.question_label.text()
    qtbot.mouseClick(lab.controls.train_button, Qt.MouseButton.LeftButton)   # train
    qtbot.waitUntil(lambda: lab.ctl.epochs > 0, timeout=5000)
    qtbot.mouseClick(lab.controls.train_button, Qt.MouseButton.LeftButton)   # pause
    qtbot.waitUntil(lambda: bar.text_label.text() == "", timeout=2000)
