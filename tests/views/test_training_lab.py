"""The Training lab driven like a user: play, keys while training, map clicks, NaN, curves."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest


@pytest.fixture
def lab(main_window, qtbot):
    assert main_window.open_lesson("spiral")
    page = main_window.current_lab
    assert page.name == "training"
    yield page
    page.ctl.playback.pause()


def test_spiral_lesson_opens_the_training_lab(lab, qtbot):
    # the first frame: every offered feature, each hidden neuron and the output in its node
    qtbot.waitUntil(lambda: lab.graph.image_counts() == [7, 16, 16, 1])
    assert lab.map.isVisible() and lab.map.mode == "map"
    assert lab.map.point_counts() == (200, 200)
    assert lab.readout.epoch.value.text() == "0"
    h = lab.ctl.history
    assert lab.readout.train_loss.value.text() == f"{h.train_loss[-1]:.4g}"
    assert lab.readout.accuracy.value.text() == f"{100 * h.test_acc[-1]:.1f} %"


def _node_colours(lab, layer, j):
    shot = lab.graph.grab().toImage()
    r = lab.graph.node_rect(layer, j).toRect().adjusted(2, 2, -2, -2)
    return {shot.pixelColor(x, y).getRgb()[:3] for x in range(r.left(), r.right() + 1)
            for y in range(r.top(), r.bottom() + 1)}


def test_each_node_shows_its_neurons_map(lab, qtbot):
    from nnviz.engine.learning.monitor import GridEvaluator
    from nnviz.views.training.colours import diverging

    qtbot.waitUntil(lambda: lab.graph.image_counts() == [7, 16, 16, 1])
    lab.redraw()
    grid = GridEvaluator()(lab.doc.network)
    for layer, j in ((1, 0), (2, 1)):
        want = diverging(grid.hidden[layer - 1][::2, ::2, j], -1, 1, lab.style_)
        colours = {tuple(int(v) for v in c[:3]) for c in want.reshape(-1, 4)}
        shown = _node_colours(lab, layer, j)
        assert len(shown) > 3 and shown <= colours  # this neuron's colours, nothing else
    assert lab.graph.tip(2, 1).startswith("hidden layer 2, neuron 2")
    assert lab.graph.tip(3, 0).startswith("output")
    assert lab.graph.tip(0, 2).startswith("input feature x1² (off)")


def _click_node(lab, qtbot, layer, j):
    lab.redraw()
    qtbot.mouseClick(lab.graph, Qt.MouseButton.LeftButton,
                     pos=lab.graph.node_rect(layer, j).center().toPoint())


def test_a_click_on_a_neuron_shows_its_map_large(lab, qtbot):
    from nnviz.engine.learning.monitor import GridEvaluator
    from nnviz.views.training.colours import diverging

    _click_node(lab, qtbot, 1, 3)
    lab.redraw()
    grid = GridEvaluator()(lab.doc.network)
    want = diverging(grid.hidden[0][..., 3], -1, 1, lab.style_)
    shown = np.transpose(lab.map.image.image, (1, 0, 2))
    assert np.array_equal(shown, want)
    assert lab.map.caption.text().startswith("Hidden layer 1, neuron 4")
    assert lab.graph.selected == (1, 3)
    _click_node(lab, qtbot, 1, 3)   # again: the output
    lab.redraw()
    assert lab.map.caption.text().startswith("The network's output")
    assert lab.graph.selected is None


def test_hovering_a_neuron_shows_it_until_the_mouse_leaves(lab, qtbot):
    lab.redraw()
    QTest.mouseMove(lab.graph, lab.graph.node_rect(2, 5).center().toPoint())
    qtbot.waitUntil(lambda: lab.map.caption.text().startswith("Hidden layer 2, neuron 6"))
    QTest.mouseMove(lab.graph, QPoint(2, lab.graph.height() - 2))
    qtbot.waitUntil(lambda: lab.map.caption.text().startswith("The network's output"))


def test_plus_and_minus_change_neurons_and_layers_undoably(main_window, lab, qtbot):
    g = lab.graph
    sizes = list(lab.doc.network.sizes)
    lab.redraw()
    qtbot.mouseClick(g.plus[0], Qt.MouseButton.LeftButton)
    assert lab.doc.network.sizes == [2, sizes[1] + 1] + sizes[2:]
    qtbot.mouseClick(g.minus[1], Qt.MouseButton.LeftButton)
    assert lab.doc.network.sizes[2] == sizes[2] - 1
    qtbot.waitUntil(lambda: lab.graph.image_counts() == [7, 17, 15, 1])
    qtbot.mouseClick(g.add_layer, Qt.MouseButton.LeftButton)
    assert len(lab.doc.network.sizes) == 5
    qtbot.waitUntil(lambda: len(lab.graph.plus) == 3 and lab.graph.image_counts()[3] == 15)
    assert lab.map.point_counts() == (200, 200)   # the same data
    qtbot.mouseClick(g.remove_layer, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(g.remove_layer, Qt.MouseButton.LeftButton)
    assert lab.doc.network.sizes == [2, sizes[1] + 1, 1]
    main_window.setFocus()
    for _ in range(4):
        qtbot.keyClick(main_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert lab.doc.network.sizes == [2, sizes[1] + 1, sizes[2], 1]
    qtbot.keyClick(main_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert lab.doc.network.sizes == sizes
    qtbot.waitUntil(lambda: lab.graph.image_counts() == [7, 16, 16, 1])


def test_a_click_on_a_feature_switches_it(main_window, lab, qtbot):
    from nnviz.engine.sets.features import expand

    _click_node(lab, qtbot, 0, 2)   # x1²
    assert lab.ctl.features == ("x1", "x2", "x1²") and lab.doc.network.sizes[0] == 3
    _click_node(lab, qtbot, 0, 6)   # sin x2
    feats = ("x1", "x2", "x1²", "sin x2")
    assert lab.ctl.features == feats
    assert np.array_equal(lab.doc.x, expand(lab.ctl.data.x, feats))
    lab.advance(2)
    assert lab.map.mode == "map" and "inputs: x1, x2, x1², sin x2" in lab.map.caption.text()
    assert lab.readout.epoch.value.text() == "2"
    main_window.setFocus()
    qtbot.keyClick(main_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    lab.redraw()                            # the two epochs were the newest entry
    assert lab.readout.epoch.value.text() == "0" and lab.ctl.features == feats
    qtbot.keyClick(main_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert lab.ctl.features == ("x1", "x2", "x1²") and lab.doc.network.sizes[0] == 3


def _no_dialogs(monkeypatch) -> list:
    """Modal warnings would block an offscreen test: record them instead."""
    from PySide6.QtWidgets import QMessageBox

    shown: list = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    return shown


def test_features_survive_save_and_open(main_window, lab, qtbot, tmp_path, monkeypatch):
    win = main_window
    shown = _no_dialogs(monkeypatch)
    _click_node(lab, qtbot, 0, 4)   # x1·x2
    _click(lab, 5.5, -5.5)           # and a point of the user's
    x = lab.ctl.data.x.copy()
    path = tmp_path / "f.nnviz"
    assert win.files.save_to(str(path))
    assert win.open_lesson("overfitting")
    win.files.open_path(str(path))
    assert not shown
    qtbot.waitUntil(lambda: win.doc.lesson.name == "spiral")
    assert lab.ctl.features == ("x1", "x2", "x1·x2") and np.array_equal(lab.ctl.data.x, x)
    assert np.array_equal(win.doc.example_x, [*win.doc.example_x[:2], np.prod(win.doc.example_x[:2])])
    lab.redraw()
    assert lab.map.mode == "map" and lab.graph.image_counts() == [7, 16, 16, 1]


def test_play_trains_and_gui_events_are_handled_while_it_runs(lab, qtbot, monkeypatch):
    ctl = lab.ctl
    # Play stops at the lesson's 200 epochs (tested elsewhere); this test watches a
    # longer run, which a fast machine trains in a few frames
    monkeypatch.setattr(lab.doc.lesson, "epochs", 0)
    qtbot.mouseClick(lab.run_panel.play, Qt.MouseButton.LeftButton)
    assert ctl.playback.playing and "Pause" in lab.run_panel.play.text()
    qtbot.waitUntil(lambda: ctl.epoch >= 3, timeout=20000)
    fired = []
    QTimer.singleShot(0, lambda: fired.append(ctl.playback.playing))
    qtbot.waitUntil(lambda: bool(fired), timeout=5000)
    assert fired == [True]  # the timer ran while training was running
    # a key press into the learning-rate box is handled while training runs
    box = lab.run_panel.eta
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "0.01")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert ctl.playback.playing and lab.doc.config.eta == pytest.approx(0.01)
    epoch = ctl.epoch
    qtbot.waitUntil(lambda: ctl.epoch > epoch, timeout=20000)  # still training, not reset
    qtbot.waitUntil(lambda: lab.run_panel.epoch.text() != "Epoch 0", timeout=5000)
    # every training slice is drawn: after each one the panel shows that slice's epoch
    shown = []
    ctl.trained.connect(lambda: shown.append((ctl.epoch, lab.run_panel.epoch.text())))
    qtbot.waitUntil(lambda: len(shown) >= 5, timeout=10000)
    assert all(text == f"Epoch {e}" for e, text in shown)
    qtbot.mouseClick(lab.run_panel.play, Qt.MouseButton.LeftButton)
    assert not ctl.playback.playing


def test_step_buttons(lab, qtbot):
    qtbot.mouseClick(lab.run_panel.step_epoch, Qt.MouseButton.LeftButton)
    assert lab.ctl.epoch == 1
    qtbot.mouseClick(lab.run_panel.step_sample, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(lab.run_panel.step_batch, Qt.MouseButton.LeftButton)
    assert lab.ctl.steps == 20 + 2
    qtbot.waitUntil(lambda: lab.run_panel.epoch.text() == "Epoch 1")


def _click(lab, x, y, button=Qt.MouseButton.LeftButton, mod=Qt.KeyboardModifier.NoModifier):
    lab.redraw()
    pos = lab.map.data_to_widget(x, y)
    QTest.mouseClick(lab.map.plot.viewport(), button, mod, QPoint(int(pos.x()), int(pos.y())))


def test_clicks_on_the_map_add_and_remove_points(lab, qtbot):
    ds = lab.ctl.data
    n = len(ds.x)
    lab.data_panel.click_class.setCurrentIndex(0)
    _click(lab, 5.5, -5.5)
    assert len(lab.ctl.data.x) == n + 1
    assert lab.ctl.data.labels[-1] == 0 and np.allclose(lab.ctl.data.x[-1], (5.5, -5.5), atol=0.15)
    _click(lab, -5.5, 5.5, Qt.MouseButton.RightButton)
    assert len(lab.ctl.data.x) == n + 2 and lab.ctl.data.labels[-1] == 1
    _click(lab, 5.5, -5.5)  # on an existing point: removes it
    assert len(lab.ctl.data.x) == n + 1
    assert not np.any(np.all(np.abs(lab.ctl.data.x - (5.5, -5.5)) < 0.15, axis=1))
    lab.redraw()
    train, test = lab.map.point_counts()
    _click(lab, -5.5, -5.5, mod=Qt.KeyboardModifier.ShiftModifier)   # a test point (a ring)
    assert len(lab.ctl.data.x) == n + 2 and lab.ctl.data.test[-1]
    lab.redraw()
    assert lab.map.point_counts() == (train, test + 1)


def test_nan_pauses_with_a_message_and_revert(main_window, qtbot):
    assert main_window.open_lesson("exploding-gradients")
    lab = main_window.current_lab
    qtbot.mouseClick(lab.run_panel.play, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not lab.ctl.playback.playing, timeout=20000)
    qtbot.waitUntil(lambda: lab.message.isVisible() and "NaN" in lab.message.text())
    assert "learning rate" in lab.message.text()
    # the readout gives the losses of the network on screen (the last finite step, not
    # the epoch's record: "1.031" stood beside a curve shot off the chart)
    (trl, _), (tel, _) = lab.ctl.scores_now()
    assert not np.isclose(trl, lab.ctl.history.train_loss[-1])
    lab.redraw()
    qtbot.wait(20)
    for fig, v in ((lab.readout.train_loss, trl), (lab.readout.test_loss, tel)):
        want = "∞" if np.isinf(v) else f"{v:.4g}" if v < 1e4 else f"{v:.3g}"
        assert fig.value.text() == want, (fig.value.text(), v)
    huge = max(float(np.abs(w).max()) for w in lab.doc.network.weights)
    qtbot.waitUntil(lab.run_panel.revert.isEnabled)
    qtbot.mouseClick(lab.run_panel.revert, Qt.MouseButton.LeftButton)
    assert lab.doc.network.is_finite()
    assert max(float(np.abs(w).max()) for w in lab.doc.network.weights) < huge
    qtbot.waitUntil(lambda: not lab.run_panel.revert.isEnabled())
    assert lab.map.mode == "curve"


def test_gradient_bars_show_vanishing_gradients(main_window, qtbot):
    assert main_window.open_lesson("vanishing-gradients")
    lab = main_window.current_lab
    assert lab.bars.isVisible()  # the lesson talks about the bars: their tab is open
    lab.redraw()
    d, dw = lab.bars.delta, lab.bars.dw
    assert len(d) == 6 and np.all(np.diff(d) > 0)
    # numbered as the notes (input layer = layer 1): the first bar is layer 2
    assert f"2: {d[0]:.2g}" in lab.bars.label.toolTip()
    ticks = lab.bars.plot.getAxis("bottom")._tickLevels[0]
    assert [t[1] for t in ticks] == ["2", "3", "4", "5", "6", "7"]
    # the log axis in powers of ten as the notes write them: 10⁻³, not "1e-3"
    logs = [t for _, t in lab.bars.plot.getAxis("left")._tickLevels[0]]
    assert logs and all(t.startswith("10") and "e" not in t for t in logs), logs
    assert any("⁻" in t for t in logs), logs
    # the caption: "layer 2, the first hidden layer, gets about a ten-thousandth of the
    # output layer's gradient"
    assert "layer 2, the first hidden layer, gets about a ten-thousandth" in \
        main_window.caption_bar.text_label.text()
    for v in (d, dw):
        assert 10**-4.5 < v[0] / v[-1] < 10**-3.5
    main_window.doc.set_layer_base(0)   # the 0-based option renumbers the bars
    lab.redraw()
    assert f"1: {d[0]:.2g}" in lab.bars.label.toolTip()
    main_window.doc.set_layer_base(1)


def test_the_chart_tabs_follow_the_lesson_and_clicks(main_window, lab, qtbot):
    assert lab.curves.isVisible() and not lab.bars.isVisible()
    bar = lab.charts.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert lab.bars.isVisible()
    lab.redraw()
    assert len(lab.bars.delta) == 3
    assert main_window.open_lesson("overfitting")
    assert lab.curves.isVisible()


def test_digits_show_weight_images(main_window, qtbot):
    assert main_window.open_lesson("keras-lab")
    lab = main_window.current_lab
    lab.advance(2)
    assert not lab.map.isVisible() and len(lab.thumbs.cells) == 32
    assert lab.thumbs.cells[0].width() >= 24 and lab.thumbs.tip_at(0) == "neuron 1"
    acc = lab.ctl.history.test_acc[-1]
    assert f"test accuracy {100 * acc:.1f} %" in lab.thumbs.title.text()
    # dropout 0.5: the neurons dropped in the last step are greyed on the graph
    dropped = lab.graph.dropped
    assert dropped is not None and dropped[0] is None and dropped[-1] is None
    assert 0 < dropped[1].sum() < 32
    assert lab.ctl.epoch == 2 and len(lab.ctl.history) == 3


def test_curves_read_on_hover(lab, qtbot):
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    lab.advance(5)
    plot = lab.curves.loss_plot
    vb = plot.getViewBox()

    def hover_epoch_3() -> bool:
        # the mouse moves over epoch 3 of the loss plot (mapped afresh: layout may settle)
        scene = vb.mapViewToScene(QPointF(3, float(np.mean(vb.viewRange()[1]))))
        p = QPointF(plot.mapFromScene(scene))
        ev = QMouseEvent(QEvent.Type.MouseMove, p, plot.viewport().mapToGlobal(p),
                         Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                         Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(plot.viewport(), ev)
        return lab.curves.readout.text().startswith("epoch 3:")

    qtbot.waitUntil(hover_epoch_3)
    h = lab.ctl.history
    assert f"{h.train_loss[3]:.4g}" in lab.curves.readout.text()
    assert f"{h.test_loss[3]:.4g}" in lab.curves.readout.text()


def test_state_round_trip_and_bad_state(lab):
    lab.discrete.setChecked(True)
    st = lab.state()
    lab.discrete.setChecked(False)
    lab.restore_state(st)
    assert lab.discrete.isChecked()
    with pytest.raises(ValueError):
        lab.restore_state({"discrete": "yes"})
    with pytest.raises(ValueError):
        lab.restore_state({"controller": {"speed": 7}})


def test_csv_import_bad_file_changes_nothing(lab, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n1,2,1\n1,2\n")
    before = lab.ctl.data.x.copy()
    assert not lab.import_csv(str(bad))
    assert shown and "line 3" in shown[0]
    assert np.array_equal(lab.ctl.data.x, before)
    out = tmp_path / "out.csv"
    assert lab.export_csv(str(out))
    assert lab.import_csv(str(out))
    assert np.array_equal(lab.ctl.data.x, before)


def test_screenshot_command_renders_the_lab(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "shot.png"
    r = subprocess.run([sys.executable, "-m", "nnviz", "screenshot", "--lab", "training",
                        "--lesson", "spiral", "--steps", "3", "--size", "1280x720",
                        "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert out.stat().st_size > 10000


def test_data_panel_noise_split_regenerate_and_source(lab, qtbot):
    panel = lab.data_panel
    x0 = lab.ctl.data.x.copy()
    panel.noise.setFocus()
    for _ in range(3):
        qtbot.keyClick(panel.noise, Qt.Key.Key_Up)  # Left/Right are the clicker's keys
    assert lab.ctl.data.spec.noise == pytest.approx(0.03)
    assert panel.noise_label.text() == "noise 3 %"
    for _ in range(2):
        qtbot.keyClick(panel.split, Qt.Key.Key_Down)
    assert lab.ctl.data.spec.split == pytest.approx(0.48)
    assert panel.counts.text() == f"{round(0.48 * 400)} training and {400 - round(0.48 * 400)} test samples"
    seed = lab.ctl.data.spec.seed
    qtbot.mouseClick(panel.regenerate, Qt.MouseButton.LeftButton)
    assert lab.ctl.data.spec.seed == seed + 1 and not np.array_equal(lab.ctl.data.x, x0)
    i = panel.source.findData("circle")
    panel.source.setCurrentIndex(i)
    panel.source.activated.emit(i)
    assert lab.ctl.data.spec.source == "circle"
    i = panel.source.findData("gate")
    panel.source.activated.emit(i)
    assert len(lab.ctl.data.x) == 4 and not lab.ctl.data.test.any()


def test_output_activation_and_initialiser(lab, qtbot):
    ctl = lab.ctl
    assert set(np.unique(ctl.data.y)) == {-1.0, 1.0}  # tanh output
    lab.redraw()
    out_box = lab.run_panel.acts[-1]
    out_box.setCurrentText("sigmoid")
    assert lab.doc.network.activations[-1].name == "sigmoid"
    assert set(np.unique(ctl.data.y)) == {0.0, 1.0}  # targets follow the output's range
    lab.run_panel.init.setCurrentText("he")
    before = lab.doc.network.copy()
    qtbot.mouseClick(lab.run_panel.reset, Qt.MouseButton.LeftButton)
    assert ctl.init_method == "he" and ctl.epoch == 0
    assert not np.array_equal(before.weights[0], lab.doc.network.weights[0])
    assert np.all(lab.doc.network.biases[0] == 0)
    lab.doc.undo_stack.undo()  # reset is undoable
    assert lab.doc.network.equals(before)


def test_zoom_keys_zoom_the_map(main_window, lab, qtbot):
    lab.redraw()
    vb = lab.map.plot.getViewBox()
    w0 = vb.viewRange()[0][1] - vb.viewRange()[0][0]
    lab.setFocus()
    qtbot.keyClick(main_window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    w1 = vb.viewRange()[0][1] - vb.viewRange()[0][0]
    assert w1 < w0
    lab.ctl.step_epoch()
    lab.redraw()  # training frames keep the zoomed view
    assert vb.viewRange()[0][1] - vb.viewRange()[0][0] == pytest.approx(w1)
    qtbot.keyClick(main_window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    w2 = vb.viewRange()[0][1] - vb.viewRange()[0][0]
    assert w2 == pytest.approx(w0, rel=0.05)


def test_regression_curve_clicks_add_points_with_their_height(main_window, qtbot):
    assert main_window.open_lesson("exploding-gradients")
    lab = main_window.current_lab
    lab.redraw()
    assert lab.map.mode == "curve"
    n = len(lab.ctl.data.x)
    vb = lab.map.plot.getViewBox()
    (x0, x1), (y0, y1) = vb.viewRange()
    x, y = 0.5 * (x0 + x1), y0 + 0.92 * (y1 - y0)  # above sin(2x) at x = 0: no point near
    from nnviz.engine.sets.data import nearest
    from nnviz.views.training.lab import REMOVE_RADIUS

    assert nearest(lab.ctl.data, (x, y), REMOVE_RADIUS) is None
    _click(lab, x, y)
    ds = lab.ctl.data
    assert len(ds.x) == n + 1 and ds.regression
    assert ds.x[-1, 0] == pytest.approx(x, abs=0.05 * (x1 - x0))
    assert ds.y[-1, 0] == pytest.approx(y, abs=0.05 * (y1 - y0))


def test_discretised_map_has_two_colours(lab, qtbot):
    lab.redraw()
    smooth = len(np.unique(lab.map.image.image.reshape(-1, 4), axis=0))
    qtbot.mouseClick(lab.discrete, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, lab.discrete.height() // 2))  # on the box, not the blank
    assert lab.discrete.isChecked()
    lab.redraw()
    colours = np.unique(lab.map.image.image.reshape(-1, 4), axis=0)
    assert smooth > 10 and len(colours) == 2


def test_a_network_no_data_fits_is_handled(lab, qtbot):
    from nnviz.engine.core.network import Network

    lab.doc.set_network(Network.create([3, 4, 2], "tanh"), "Edit structure")
    qtbot.waitUntil(lambda: "No data set fits" in lab.thumbs.title.text())
    assert len(lab.ctl.data.x) == 0 and not lab.map.isVisible()
    qtbot.mouseClick(lab.run_panel.play, Qt.MouseButton.LeftButton)
    assert not lab.ctl.playback.playing  # nothing to train on
    lab.doc.undo_stack.undo()  # back to the 2-input network: the spiral returns
    qtbot.waitUntil(lambda: lab.ctl.data.spec.source == "spiral" and len(lab.ctl.data.x) == 400)
    qtbot.waitUntil(lab.map.isVisible)


def test_curve_ranges_grow_in_nice_steps():
    from nnviz.views.training.charts import nice_ceiling

    assert [nice_ceiling(v) for v in (0.0, 0.7, 1.0, 1.3, 3.0, 7.0, 11.0, 260.0)] == \
        [1.0, 1.0, 1.0, 2.0, 5.0, 10.0, 20.0, 500.0]
    assert nice_ceiling(0.0042) == 0.005


def test_back_button_and_page_up_undo_training_steps(lab, qtbot):
    panel = lab.run_panel
    qtbot.waitUntil(lambda: panel.epoch.text() == "Epoch 0")
    assert not panel.back.isEnabled()
    w0 = lab.doc.network.get_params()
    qtbot.mouseClick(panel.step_epoch, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.step_epoch, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.epoch.text() == "Epoch 2" and panel.back.isEnabled())
    qtbot.mouseClick(panel.back, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.epoch.text() == "Epoch 1")
    win = lab.window()
    win.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_PageUp)   # the clicker's "previous"
    qtbot.waitUntil(lambda: panel.epoch.text() == "Epoch 0" and not panel.back.isEnabled())
    assert np.array_equal(lab.doc.network.get_params(), w0)
    assert len(lab.curves.lines["train_loss"].getData()[0]) == 1   # the curve went back too
    qtbot.keyClick(win, Qt.Key.Key_PageUp)
    qtbot.waitUntil(lambda: "Nothing to step back to" in win.status_label.text())


def test_training_steps_are_entries_of_the_edit_menus_history(lab, qtbot):
    """One history: an edit after training disables Back (its newest entry is not
    training); Edit > Undo takes the edit back, then Back (or Undo) the epoch, and Redo
    brings the trained epoch back exactly."""
    panel, win = lab.run_panel, lab.window()
    qtbot.waitUntil(lambda: panel.epoch.text() == "Epoch 0")
    qtbot.mouseClick(panel.step_epoch, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.epoch.text() == "Epoch 1" and panel.back.isEnabled())
    trained = lab.doc.network.get_params()
    assert win.act_undo.text().endswith("Train 1 epoch")
    lab.doc.set_weight(0, 0, 0, 0.5)
    assert not panel.back.isEnabled()
    win.act_undo.trigger()                  # the edit
    assert panel.back.isEnabled() and np.array_equal(lab.doc.network.get_params(), trained)
    qtbot.mouseClick(panel.back, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.epoch.text() == "Epoch 0")
    win.act_redo.trigger()
    qtbot.waitUntil(lambda: panel.epoch.text() == "Epoch 1")
    assert np.array_equal(lab.doc.network.get_params(), trained)


def test_diverging_colours_any_memory_layout():
    """The decision grid hands over views of neuron-major buffers (not C order): the
    colours must not depend on the layout."""
    from nnviz.views.style import Style
    from nnviz.views.training.colours import diverging

    v = np.random.default_rng(0).uniform(-1.5, 1.5, size=(4, 30)).T   # (30, 4), F order
    assert not v.flags.c_contiguous
    got = diverging(v.reshape(5, 6, 4), -1, 1, Style())
    want = diverging(np.ascontiguousarray(v).reshape(5, 6, 4), -1, 1, Style())
    assert got.shape == (5, 6, 4, 4) and np.array_equal(got, want)


def test_rgb32_colours_are_the_diverging_colours():
    """The neurons' maps are coloured straight into QImage RGB32 pixels: the same colours
    as the RGBA table, from any memory layout, NaN and infinities included."""
    from nnviz.views.style import Style
    from nnviz.views.training.colours import diverging, diverging_rgb32, rgb32

    v = np.random.default_rng(1).uniform(-2, 2, size=(20, 20, 3))
    v[0, 0, 0], v[1, 1, 1], v[2, 2, 2] = np.nan, np.inf, -np.inf
    view = np.moveaxis(v, -1, 0)[:, ::-1]      # a stack of maps, rows flipped: a view
    for style in (Style(), Style(positive="#112233", negative="#ddeeff")):
        got = diverging_rgb32(view, -1.0, 1.0, style)
        want = rgb32(diverging(view, -1.0, 1.0, style)).view(np.uint32)[..., 0]
        assert got.dtype == np.uint32 and got.flags.c_contiguous
        assert np.array_equal(got, want)


def test_each_neurons_node_shows_its_map(lab, qtbot):
    """Every drawn node image is its neuron's map over the plane (row 0 at the top, every
    second grid point), coloured by its activation's range."""
    from nnviz.views.training.colours import diverging, rgb32

    lab.advance(3)
    grid = lab.ctl.readouts.grid()
    net = lab.doc.network
    for layer in (1, 2):
        maps = grid.hidden[layer - 1]
        for j in (0, maps.shape[-1] - 1):
            img, src = lab.graph._images[layer][j]
            shown = img.copy(src).convertToFormat(img.Format.Format_RGB32)
            got = np.frombuffer(shown.constBits(), np.uint32).reshape(src.height(), -1)
            rgba = diverging(maps[::2, ::2, j], *net.activations[layer - 1].colour_range,
                             lab.style_)
            want = rgb32(rgba[::-1]).view(np.uint32)[..., 0]
            assert np.array_equal(got[:, :src.width()], want)


def _hover(lab, epoch: float) -> str:
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    plot = lab.curves.loss_plot
    vb = plot.getViewBox()
    scene = vb.mapViewToScene(QPointF(epoch, float(np.mean(vb.viewRange()[1]))))
    p = QPointF(plot.mapFromScene(scene))
    ev = QMouseEvent(QEvent.Type.MouseMove, p, plot.viewport().mapToGlobal(p),
                     Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                     Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(plot.viewport(), ev)
    return lab.curves.readout.text()


def test_the_hover_readout_does_not_survive_a_lesson_switch(main_window, lab, qtbot):
    lab.advance(5)
    qtbot.waitUntil(lambda: _hover(lab, 3).startswith("epoch 3:"))
    assert all(c.isVisible() for c in lab.curves.cursors)
    assert main_window.open_lesson("overfitting")
    qtbot.waitUntil(lambda: lab.ctl.epoch == 0 and lab.run_panel.epoch.text() == "Epoch 0")
    assert not lab.curves.readout.text().startswith("epoch")
    assert lab.curves.readout.text() == lab.curves.hint
    assert not any(c.isVisible() for c in lab.curves.cursors)
    lab.advance(2)  # the readout works again in the new lesson
    qtbot.waitUntil(lambda: _hover(lab, 1).startswith("epoch 1:"))
    lab.ctl.edits.reset()  # a reset to epoch 0 drops it too
    qtbot.waitUntil(lambda: lab.curves.readout.text() == lab.curves.hint)


def test_the_accuracy_chart_keeps_its_share_after_lesson_switches(main_window, lab, qtbot):
    for name in ("exploding-gradients", "spiral", "keras-lab", "overfitting", "spiral"):
        assert main_window.open_lesson(name)
        lab.advance(1)
        qtbot.wait(20)
    loss, acc = lab.curves.loss_plot, lab.curves.acc_plot
    assert acc.isVisible()
    assert acc.width() >= 0.8 * loss.width() and acc.height() >= 0.8 * loss.height()
    lo, hi = acc.getViewBox().viewRange()[1]
    assert lo == pytest.approx(0, abs=0.05) and hi == pytest.approx(1.02, abs=0.05)


def test_an_infinite_loss_pauses_play_with_a_message(main_window, lab, qtbot):
    from nnviz.engine.core.network import Network

    net = Network.create([2, 1], "linear")
    net.weights[0][:] = 1e160   # finite weights, every loss infinite
    lab.doc.set_network(net, "Huge weights")
    qtbot.mouseClick(lab.run_panel.play, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not lab.ctl.playback.playing, timeout=5000)
    qtbot.waitUntil(lambda: lab.message.isVisible())
    assert "although every weight is finite" in lab.message.text()
    assert "Play" in lab.run_panel.play.text() and lab.ctl.epoch == 0


def _csv_through_the_button(lab, qtbot, monkeypatch, path):
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    qtbot.mouseClick(lab.data_panel.import_csv, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("how", ["csv", "clicks"])
def test_save_then_open_keeps_the_users_data(main_window, lab, qtbot, tmp_path, monkeypatch,
                                             how):
    win = main_window
    shown = _no_dialogs(monkeypatch)
    if how == "csv":
        src = tmp_path / "mine.csv"
        src.write_text("x1,x2,label\n1,2,1\n-1,-2,0\n3,-1,1\n-2,2.5,0\n0.5,0.25,1\n")
        _csv_through_the_button(lab, qtbot, monkeypatch, src)
        assert len(lab.ctl.data.x) == 5
    else:
        _click(lab, 5.5, -5.5)
        _click(lab, -5.5, -5.5, mod=Qt.KeyboardModifier.ShiftModifier)
        assert len(lab.ctl.data.x) == 402
    x, y, test = lab.ctl.data.x.copy(), lab.ctl.data.y.copy(), lab.ctl.data.test.copy()
    path = tmp_path / "mine.nnviz"
    assert win.files.save_to(str(path))
    assert win.open_lesson("overfitting")
    win.files.open_path(str(path))
    assert not shown
    qtbot.waitUntil(lambda: win.doc.lesson.name == "spiral")
    page = win.current_lab
    assert page is lab
    assert np.array_equal(lab.ctl.data.x, x) and np.array_equal(lab.ctl.data.y, y)
    assert np.array_equal(lab.ctl.data.test, test)
    lab.redraw()
    assert lab.map.point_counts() == (int((~test).sum()), int(test.sum()))
    assert lab.data_panel.counts.text() == (f"{int((~test).sum())} training and "
                                            f"{int(test.sum())} test samples")


def test_the_edges_are_stroked_again_only_when_they_look_different(lab, qtbot):
    g = lab.graph
    lab.redraw()
    g.grab()
    first = g._edge_picture()
    net = lab.doc.network
    g.set_network(net.sizes, [w * 1.0001 for w in net.weights], g.names, g.active, True)
    assert g._edge_picture() is first        # the same signs and widths: copied, not stroked
    flipped = [w.copy() for w in net.weights]
    flipped[1][0, 0] = -flipped[1][0, 0]
    g.set_network(net.sizes, flipped, g.names, g.active, True)
    assert g._edge_picture() is not first    # one edge changed colour: stroked again


def test_histograms_and_batch_norm_read_the_features(main_window, qtbot):
    from nnviz.engine.core.depth import layer_histograms

    assert main_window.open_lesson("initialisation")
    lab = main_window.current_lab
    assert lab.ctl.points_in() == 2 and lab.depth_dock.isVisible()
    _click_node(lab, qtbot, 0, 3)   # x2²: the network now has three inputs
    assert lab.doc.network.sizes[0] == 3
    panel = lab.depth_panel
    panel.refresh()
    want = layer_histograms(lab.doc.network, lab.ctl.net_data.x_train[:500])
    assert len(panel.hists) == len(want) and [h.saturated for h in panel.hists] == [
        h.saturated for h in want]
    lab.bn_box.switches[0].click()   # batch norm of hidden layer 1 reads the features too
    assert lab.bn_box.neuron_values() is not None
    lab.ctl.run_epochs(1)
    assert np.isfinite(lab.ctl.history.train_loss[-1])


def _loss_by_formula(net, x, y, halve: float) -> float:
    """Binary cross-entropy of a tanh-tanh-sigmoid network whose hidden layers' outgoing
    weights are multiplied by ``halve``, written out here."""
    a = x
    for l, (w, b) in enumerate(zip(net.weights, net.biases)):
        z = a @ (w * (halve if l > 0 else 1.0)).T + b
        a = np.tanh(z) if l < net.n_layers - 1 else 1.0 / (1.0 + np.exp(-z))
    a = np.clip(a, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(a) + (1 - y) * np.log(1 - a)))


def test_the_notes_dropout_convention_trains_and_evaluates_as_the_notes(main_window, qtbot):
    assert main_window.open_lesson("overfitting-dropout")
    lab = main_window.current_lab
    panel, ctl, doc = lab.run_panel, lab.ctl, lab.doc
    lab.readout.controls.setChecked(True)     # the side panel, as ☰ Controls opens it
    qtbot.waitUntil(panel.dropout_mode.isVisible)
    # inverted dropout by default, said on screen next to the notes' rule
    assert doc.config.dropout == 0.5 and doc.config.dropout_mode == "inverted"
    note = panel.dropout_note
    assert note.isVisible()
    text = note.text().replace("\u2060", "")
    assert "Inverted dropout" in text and "1/(1 − p) = 2 while training" in text
    assert "The notes (002)" in text and "1 − p = 0.5 at test" in text
    panel.dropout_mode.setFocus()
    qtbot.keyClick(panel.dropout_mode, Qt.Key.Key_Down)   # the user picks the notes' rule
    assert doc.config.dropout_mode == "notes"
    assert "As the notes" in note.text() and "× (1 − p) = 0.5 (halved)" in note.text()
    qtbot.mouseClick(panel.step_epoch, Qt.MouseButton.LeftButton)
    lab.redraw()
    ds = ctl.net_data
    # the test loss shown is the network's with every hidden layer's outgoing weights halved
    want = _loss_by_formula(doc.network, ds.x_test, ds.y_test, 0.5)
    assert ctl.history.test_loss[-1] == pytest.approx(want, rel=1e-12)
    assert lab.readout.test_loss.value.text() == f"{want:.4g}"
    assert _loss_by_formula(doc.network, ds.x_test, ds.y_test, 1.0) != pytest.approx(want)
    # the map shows the halved network's output
    g = ctl.readouts.grid(20)
    xs = np.linspace(-6.0, 6.0, 20)
    gx, gy = np.meshgrid(xs, xs)
    a = np.stack([gx.ravel(), gy.ravel()], axis=1)
    for l, (w, b) in enumerate(zip(doc.network.weights, doc.network.biases)):
        z = a @ (w * (0.5 if l > 0 else 1.0)).T + b
        a = np.tanh(z) if l < 2 else 1.0 / (1.0 + np.exp(-z))
    np.testing.assert_allclose(np.ravel(g.output), a[:, 0], rtol=1e-12, atol=1e-15)
    # switching back re-measures the epoch on screen with the unchanged network
    qtbot.keyClick(panel.dropout_mode, Qt.Key.Key_Up)
    assert doc.config.dropout_mode == "inverted"
    plain = _loss_by_formula(doc.network, ds.x_test, ds.y_test, 1.0)
    assert ctl.history.test_loss[-1] == pytest.approx(plain, rel=1e-12)
    qtbot.waitUntil(lambda: lab.readout.test_loss.value.text() == f"{plain:.4g}")
    # no dropout: no note
    panel.dropout.setValue(0)
    assert not note.isVisible()


def test_the_keras_code_follows_the_controls_and_points_at_them(main_window, qtbot):
    """keras-lab-notes opens the Keras code tab: the notes' model as code; pointing at a line
    outlines its control, selecting one (↓ / a click) also scrolls it into view, and
    changing a control rewrites its line at once."""
    assert main_window.open_lesson("keras-lab-notes")
    lab = main_window.current_lab
    code = lab.keras
    qtbot.waitUntil(code.isVisible)
    texts = [code.list.item(i).text() for i in range(code.list.count())]
    assert "model.add(layers.Dropout(0.5))" in texts
    assert "          batch_size=128," in texts and "    learning_rate=0.01," in texts
    assert "          epochs=50,  # Play stops there" in texts
    assert "init = initializers.RandomUniform(-0.05, 0.05)" in texts
    panel = lab.run_panel
    lab.readout.controls.setChecked(True)
    qtbot.waitUntil(panel.eta.isVisible)
    # point at the learning-rate line: the η spin box is outlined
    row = texts.index("    learning_rate=0.01,")
    code.list.scrollToItem(code.list.item(row), code.list.ScrollHint.PositionAtCenter)
    qtbot.wait(10)
    rect = code.list.visualItemRect(code.list.item(row))
    at = QPoint(20, rect.center().y())
    assert code.list.viewport().rect().contains(at)
    QTest.mouseMove(code.list.viewport(), at)
    # the rate's line: η and the schedule (a schedule replaces the number)
    qtbot.waitUntil(lambda: code.lit == [panel.eta, lab.optimiser_box.schedule])
    assert "border: 3px solid" in panel.eta.styleSheet()
    # click it, then ↓ through the lines to batch_size: the batch box is outlined instead
    qtbot.mouseClick(code.list.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert code.list.currentRow() == row
    target = texts.index("          batch_size=128,")
    code.list.setFocus()
    while code.list.currentRow() < target:
        qtbot.keyClick(code.list, Qt.Key.Key_Down)
    assert code.lit == [panel.batch] and panel.eta.styleSheet() == ""
    # changing the control rewrites the line (and marks it)
    panel.batch.setFocus()
    panel.batch.selectAll()
    qtbot.keyClicks(panel.batch, "64")
    qtbot.keyClick(panel.batch, Qt.Key.Key_Return)
    assert lab.doc.config.batch_size == 64
    texts = [code.list.item(i).text() for i in range(code.list.count())]
    assert "          batch_size=64," in texts
    assert code.changed == {texts.index("          batch_size=64,")}
    # the initialiser and weight scale of the next Reset (the Initialisation group)
    lab.init_box.method.setFocus()
    while lab.init_box.method.currentData() != "he":
        qtbot.keyClick(lab.init_box.method, Qt.Key.Key_Down)
    gain = lab.init_box.gain
    gain.setFocus()
    gain.selectAll()
    qtbot.keyClicks(gain, "2")
    qtbot.keyClick(gain, Qt.Key.Key_Return)
    texts = [code.list.item(i).text() for i in range(code.list.count())]
    assert "init = initializers.VarianceScaling(8, 'fan_in', 'untruncated_normal')" in texts
    code.list.setCurrentRow(texts.index(
        "init = initializers.VarianceScaling(8, 'fan_in', 'untruncated_normal')"))
    assert code.lit == [panel.init, lab.init_box.method, gain]
    # the optimiser chosen in its box: Adam's line and its settings, each linked
    box = lab.optimiser_box.optimiser
    box.setFocus()
    while box.currentData() != "adam":
        qtbot.keyClick(box, Qt.Key.Key_Down)
    texts = [code.list.item(i).text() for i in range(code.list.count())]
    assert "opt = optimizers.Adam(" in texts and "    beta_1=0.9," in texts
    code.list.setCurrentRow(texts.index("    beta_1=0.9,"))
    assert code.lit == [lab.optimiser_box.spins["beta1"]]
    # dropout as the notes: said in the code
    panel.dropout_mode.setFocus()
    qtbot.keyClick(panel.dropout_mode, Qt.Key.Key_Down)
    texts = [code.list.item(i).text() for i in range(code.list.count())]
    assert any("Keras's Dropout is inverted" in t for t in texts)
    # another tab: no control stays outlined
    spin = lab.optimiser_box.spins["beta1"]
    assert code.lit == [spin] and "border" in spin.styleSheet()
    bar = lab.charts.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(0).center())
    assert not code.isVisible() and code.lit == [] and spin.styleSheet() == ""


def test_another_lesson_gives_its_own_keras_code_unmarked(main_window, qtbot):
    assert main_window.open_lesson("keras-lab-notes")
    code = main_window.current_lab.keras
    qtbot.waitUntil(code.isVisible)
    assert main_window.open_lesson("keras-lab")          # same lab, the curves' tab
    lab = main_window.current_lab
    bar = lab.charts.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(2).center())
    qtbot.waitUntil(code.isVisible)
    texts = [code.list.item(i).text() for i in range(code.list.count())]
    assert "          batch_size=32," in texts and "    learning_rate=0.1," in texts
    assert code.changed == set() and code.list.currentRow() == -1 and code.lit == []


def test_the_network_repaints_when_its_greyed_neurons_change(main_window, qtbot):
    """The digits' plain nodes are repainted when the neurons greyed as dropped out
    change, and not on a frame where nothing about them changed."""
    from PySide6.QtCore import QEvent, QObject

    assert main_window.open_lesson("keras-lab")
    lab = main_window.current_lab
    lab.advance(1)
    graph, paints = lab.graph, []

    class Paints(QObject):
        def eventFilter(self, obj, ev):  # noqa: N802 - Qt API
            if obj is graph and ev.type() == QEvent.Type.Paint:
                paints.append(1)
            return False

    spy = Paints()
    graph.installEventFilter(spy)
    qtbot.wait(20)
    paints.clear()
    masks = [None, np.zeros(32, bool), np.zeros(64, bool), None]
    masks[1][3] = True
    graph.dropped = masks
    qtbot.waitUntil(lambda: len(paints) > 0)
    paints.clear()
    graph.dropped = [None, masks[1].copy(), masks[2].copy(), None]   # the same neurons
    graph.set_images([])                                              # plain nodes again
    qtbot.wait(20)
    assert not paints
    graph.dropped = None
    qtbot.waitUntil(lambda: len(paints) > 0)
    graph.removeEventFilter(spy)


def test_the_map_after_a_pause_is_the_network_as_it_is(lab, qtbot, monkeypatch):
    """Live frames draw maps computed on a helper thread while the slice trains (one
    slice behind the numbers); once paused, the map shown is the trained network's own."""
    from nnviz.engine.learning.monitor import GridEvaluator, threshold_for
    from nnviz.views.training.colours import diverging

    ctl = lab.ctl
    monkeypatch.setattr(lab.doc.lesson, "epochs", 0)
    took = []
    take = ctl.readouts._ahead.take
    monkeypatch.setattr(ctl.readouts._ahead, "take", lambda: took.append(1) or take())
    qtbot.mouseClick(lab.run_panel.play, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(took) >= 3 and ctl.epoch >= 3, timeout=20000)
    qtbot.mouseClick(lab.run_panel.play, Qt.MouseButton.LeftButton)
    assert not ctl.playback.playing
    net = ctl.readouts.evaluated().copy()
    out = GridEvaluator()(net, -6.0, 6.0, 100, ctl.features).output
    thr = threshold_for(ctl.data.y)
    lo = -1.0 if thr == 0.0 else 0.0
    want = np.ascontiguousarray(np.transpose(
        diverging(out[..., 0], lo, 1.0, lab.style_, lab.discrete.isChecked()), (1, 0, 2)))
    qtbot.waitUntil(lambda: np.array_equal(lab.map.image.image, want), timeout=5000)
