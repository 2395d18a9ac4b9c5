"""The workbench driven like a user: key presses, clicks, the inspector and the timeline."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from nnviz.engine.core.losses import get_loss
from nnviz.engine.core.network import forward
from nnviz.engine.learning.training import train_step
from nnviz.engine.teaching.lessons import load_lesson
from tests.views.workbench_keys import press

# (micro-step, value printed in the lecture notes)
NOTES = [(1, "0.3775"), (2, "0.593269992"), (6, "0.75136507"), (8, "0.772928465"),
         (11, "0.298371109"), (13, "0.082167041"), (28, "0.35891648")]




def shown(lab, qtbot, text) -> bool:
    qtbot.waitUntil(lambda: lab.stepper.k == lab.equations.stepper.k, timeout=1000)
    qtbot.wait(30)   # the coalesced redraw
    return text in lab.equations.plain_text() and any(text in t for t in lab.graph.label_texts())


def test_right_steps_through_the_notes(lab, main_window, qtbot):
    k = 0
    for step, value in NOTES:
        press(qtbot, main_window, Qt.Key.Key_Right, step - k)
        k = step
        qtbot.waitUntil(lambda v=value: v in lab.equations.plain_text(), timeout=2000)
        assert lab.stepper.k == step
        assert any(value in t for t in lab.graph.label_texts()), (value, lab.graph.label_texts())
    assert "step 28 of 32" in main_window.status_label.text()
    # Left steps back: the update of w5 disappears from the graph, the gradient returns
    press(qtbot, main_window, Qt.Key.Key_Left, 28 - 13)
    qtbot.waitUntil(lambda: "0.082167041" in lab.equations.plain_text().split("\n")[-1]
                    or lab.stepper.k == 13, timeout=2000)
    qtbot.wait(40)
    texts = lab.graph.label_texts()
    assert not any("0.35891648" in t for t in texts)
    assert any("0.082167041" in t for t in texts)
    press(qtbot, main_window, Qt.Key.Key_Left, 12)
    qtbot.wait(40)
    assert lab.stepper.k == 1
    assert "0.3775" in lab.equations.plain_text()
    assert not any("0.593269992" in t for t in lab.graph.label_texts())


def test_layer_keys_and_home(lab, main_window, qtbot):
    press(qtbot, main_window, Qt.Key.Key_Right, 1, Qt.KeyboardModifier.ShiftModifier)
    assert lab.stepper.k == 4           # the whole hidden layer (net and out of h1, h2)
    press(qtbot, main_window, Qt.Key.Key_Right, 1, Qt.KeyboardModifier.ShiftModifier)
    assert lab.stepper.k == 8
    press(qtbot, main_window, Qt.Key.Key_Left, 1, Qt.KeyboardModifier.ShiftModifier)
    assert lab.stepper.k == 4
    press(qtbot, main_window, Qt.Key.Key_Home)
    assert lab.stepper.k == 0


def test_ctrl_right_equals_engine_training(lab, main_window, qtbot):
    lesson = load_lesson("mazur-2-2-2")
    net = lesson.network.copy()
    x, y = lesson.example()
    for _ in range(10):
        train_step(net, x.reshape(1, -1), y.reshape(1, -1), get_loss(lesson.loss), lesson.train)
    press(qtbot, main_window, Qt.Key.Key_Right, 10, Qt.KeyboardModifier.ControlModifier)
    assert lab.stepper.t == 10
    assert main_window.doc.network.equals(net)
    qtbot.wait(40)
    assert "Training step 10 / 10" in lab.timeline.train_label.text()


def test_timeline_scrub_restores_earlier_state(lab, main_window, qtbot):
    doc = main_window.doc
    start = doc.network.copy()
    press(qtbot, main_window, Qt.Key.Key_Right, 3, Qt.KeyboardModifier.ControlModifier)
    after3 = doc.network.copy()
    qtbot.waitUntil(lambda: lab.timeline.train_slider.maximum() == 3, timeout=1000)
    lab.timeline.train_slider.setValue(1)      # drag the training-step slider back
    assert lab.stepper.t == 1
    assert not doc.network.equals(after3)
    lab.timeline.train_slider.setValue(0)
    assert doc.network.equals(start)
    press(qtbot, main_window, Qt.Key.Key_Right, 11)
    qtbot.waitUntil(lambda: "0.298371109" in lab.equations.plain_text(), timeout=2000)
    # continuing from the start drops the later history
    press(qtbot, main_window, Qt.Key.Key_Right, 1, Qt.KeyboardModifier.ControlModifier)
    assert len(lab.stepper.timeline) == 2
    assert not doc.network.equals(after3)


def test_undo_and_redo_move_the_timeline_and_a_live_run_between_keeps_it(lab, main_window,
                                                                           qtbot):
    """Ctrl+Z / Ctrl+Y are the timeline's back and forward (one history); the Training
    lab's live run from an earlier step is one entry that drops the later steps."""
    win, doc = main_window, main_window.doc
    ctrl = Qt.KeyboardModifier.ControlModifier
    label = lab.timeline.train_label.text
    press(qtbot, win, Qt.Key.Key_Right, 3, ctrl)
    nets = [n.copy() for n in lab.stepper.timeline]
    for _ in range(2):
        qtbot.keyClick(win, Qt.Key.Key_Z, ctrl)
    qtbot.waitUntil(lambda: "Training step 1 / 3" in label(), timeout=2000)
    assert lab.timeline.train_slider.value() == 1 and doc.network.equals(nets[1])
    qtbot.keyClick(win, Qt.Key.Key_Y, ctrl)
    qtbot.waitUntil(lambda: "Training step 2 / 3" in label(), timeout=2000)
    assert doc.network.equals(nets[2])
    lab.timeline.train_slider.setValue(0)            # the scrubber: the history's index
    assert doc.undo_stack.index() == 0 and doc.undo_stack.count() == 3
    qtbot.keyClick(win, Qt.Key.Key_Y, ctrl)
    qtbot.waitUntil(lambda: lab.timeline.train_slider.value() == 1, timeout=2000)
    win.show_lab("training")
    tl = win.current_lab
    qtbot.mouseClick(tl.run_panel.play, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tl.ctl.steps >= 20, timeout=10000)   # frames announced live
    qtbot.mouseClick(tl.run_panel.play, Qt.MouseButton.LeftButton)
    trained = doc.network.copy()
    assert not trained.equals(nets[1])
    win.show_lab("workbench")
    qtbot.waitUntil(lambda: "Training step 1 / 1" in label(), timeout=2000)
    assert lab.stepper.timeline[0].equals(nets[0]) and lab.stepper.timeline[1] is doc.network
    qtbot.keyClick(win, Qt.Key.Key_Z, ctrl)           # the run, then step 1
    assert doc.network.equals(nets[1]) and lab.stepper.t == 1
    qtbot.keyClick(win, Qt.Key.Key_Z, ctrl)
    qtbot.waitUntil(lambda: "Training step 0 / 1" in label(), timeout=2000)
    assert doc.network.equals(nets[0])


def _set_spin(qtbot, spin, text):
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def test_edit_weight_in_inspector_and_undo(lab, main_window, qtbot):
    doc = main_window.doc
    x = doc.example_x.reshape(1, -1)
    out_before = forward(doc.network, x).output.copy()
    g = lab.graph
    vp = g.view_widget.viewport()
    QTest.mouseClick(vp, Qt.MouseButton.LeftButton,
                     pos=g.view_widget.mapFromScene(g.edge_scene_pos(1, 0, 0, 0.6)))
    assert lab.inspector.selection == ("edge", 1, 0, 0)
    assert "w5" in lab.inspector.title.text()
    _set_spin(qtbot, lab.inspector.spin, "0.9")
    assert doc.network.weights[1][0, 0] == pytest.approx(0.9)
    out_edited = forward(doc.network, x).output.copy()
    assert not np.array_equal(out_edited, out_before)
    lab.graph.setFocus()
    press(qtbot, main_window, Qt.Key.Key_Right, 6)
    qtbot.waitUntil(lambda: lab.stepper.k == 6, timeout=1000)
    qtbot.wait(40)
    assert "w5 = 0.9" in " ".join(lab.graph.label_texts())
    qtbot.keyClick(main_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert np.array_equal(forward(doc.network, x).output, out_before)
    qtbot.keyClick(main_window, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert np.array_equal(forward(doc.network, x).output, out_edited)


def test_click_neuron_shows_values(lab, main_window, qtbot):
    press(qtbot, main_window, Qt.Key.Key_Right, 2)
    g = lab.graph
    QTest.mouseClick(g.view_widget.viewport(), Qt.MouseButton.LeftButton,
                     pos=g.view_widget.mapFromScene(g.node_scene_pos(1, 0)))
    assert lab.inspector.selection == ("neuron", 1, 0)
    assert "0.593269992" in lab.inspector.values.text()
    assert "0.3775" in lab.inspector.values.text()


def test_large_network_in_workbench(lab, main_window, qtbot):
    from nnviz.engine.core.network import Network

    doc = main_window.doc
    net = Network.create([784, 100, 10], rng=np.random.default_rng(0))
    doc.set_network(net, "Big network")
    doc.set_example(np.linspace(0, 1, 784), np.eye(10)[3])
    lab.advance(3)
    assert lab.stepper.k == 3
    assert lab.graph.item_count() < 150
    assert not lab.grab().isNull()
    text = lab.equations.plain_text()
    assert "step 3 of" in text and "(785 terms in all)" in text


def test_state_roundtrip_and_validation(lab, main_window, qtbot):
    lab.advance(5)
    st = lab.state()
    lab.advance(3)
    lab.restore_state(st)
    assert lab.stepper.k == 5
    with pytest.raises(ValueError):
        lab.restore_state({"k": "five"})
    with pytest.raises(ValueError):
        lab.restore_state({"t": -1})


def test_network_editor(lab, main_window, qtbot, monkeypatch):
    doc = main_window.doc
    lab.dock_editor.raise_()
    ed = lab.editor
    qtbot.mouseClick(ed.add_layer, Qt.MouseButton.LeftButton)
    assert doc.network.sizes == [2, 2, 2, 2]
    qtbot.wait(40)
    assert lab.stepper.trace is not None and len(lab.stepper) > 32
    spin = ed.layers.cellWidget(0, 0)
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "3")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert doc.network.sizes == [2, 3, 2, 2]
    combo = ed.layers.cellWidget(1, 1)
    combo.setCurrentIndex(combo.findData("tanh"))
    combo.activated.emit(combo.currentIndex())
    assert doc.network.activations[1].name == "tanh"
    # a bad learning rate is refused with a message, a good one is taken
    ed.eta.setFocus()
    ed.eta.selectAll()
    qtbot.keyClicks(ed.eta, "abc")
    qtbot.keyClick(ed.eta, Qt.Key.Key_Return)
    assert doc.config.eta == 0.5
    assert "refused" in ed.message.text()
    ed.eta.selectAll()
    qtbot.keyClicks(ed.eta, "0.25")
    qtbot.keyClick(ed.eta, Qt.Key.Key_Return)
    assert doc.config.eta == 0.25
    # input table: a bad value is refused, a good one changes the example
    ed.example.item(0, 0).setText("x")
    assert doc.example_x[0] == 0.05
    assert ed.example.item(0, 0).text() == "0.05"
    ed.example.item(0, 0).setText("0.5")
    assert doc.example_x[0] == 0.5
    # structure changes are undoable
    qtbot.keyClick(main_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(main_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(main_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert doc.network.sizes == [2, 2, 2]
    qtbot.wait(40)
    assert "w5" in " ".join(lab.graph.label_texts())   # the lesson's names are back


def test_update_step_shows_old_and_new_weight(lab, main_window, qtbot):
    press(qtbot, main_window, Qt.Key.Key_Right, 28)
    qtbot.waitUntil(lambda: "0.35891648" in lab.equations.plain_text(), timeout=2000)
    qtbot.wait(40)
    assert "w5: 0.4 → 0.35891648" in lab.graph.label_texts()


def test_drag_on_edge_changes_weight(lab, main_window, qtbot):
    doc = main_window.doc
    g = lab.graph
    vp = g.view_widget.viewport()
    start = g.view_widget.mapFromScene(g.edge_scene_pos(1, 0, 0, 0.6))
    before = doc.network.weights[1][0, 0]
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    for dy in range(1, 31, 5):    # moves with the left button held
        p = QPointF(start - QPoint(0, dy))
        QApplication.sendEvent(vp, QMouseEvent(
            QEvent.Type.MouseMove, p, vp.mapToGlobal(p), Qt.MouseButton.NoButton,
            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
        qtbot.wait(25)            # pyqtgraph drops moves faster than the screen rate
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=start - QPoint(0, 30))
    assert doc.network.weights[1][0, 0] > before          # dragged up: larger
    assert lab.inspector.selection == ("edge", 1, 0, 0)
    qtbot.keyClick(main_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert doc.network.weights[1][0, 0] == before          # one drag, one undo step


def test_play_pause(lab, main_window, qtbot):
    lab.timeline.speed.setValue(50)
    press(qtbot, main_window, Qt.Key.Key_P)
    assert lab.stepper.playback.playing and lab.act_play.isChecked()
    qtbot.waitUntil(lambda: lab.stepper.k >= 3, timeout=3000)
    press(qtbot, main_window, Qt.Key.Key_P)
    assert not lab.stepper.playback.playing
    k = lab.stepper.k
    qtbot.wait(60)
    assert lab.stepper.k == k


def test_blow_up_pauses_with_a_message(lab, main_window, qtbot):
    doc = main_window.doc
    messages = []
    doc.message.connect(messages.append)
    from nnviz.engine.core.edit import set_activation

    doc.set_network(set_activation(set_activation(doc.network, 1, "linear"), 2, "linear"))
    doc.set_weight(0, 0, 0, 1e300)
    doc.set_example([1e10, 0.1], [0.01, 0.99])     # net_h1 overflows to inf
    before = doc.network.copy()
    press(qtbot, main_window, Qt.Key.Key_Right, 1, Qt.KeyboardModifier.ControlModifier)
    assert doc.network.equals(before)
    assert any("NaN" in m or "infinite" in m for m in messages)


def test_dock_layout_persists(qtbot, settings):
    from nnviz.views.main_window import MainWindow

    win = MainWindow(settings=settings)
    qtbot.addWidget(win)
    win.start()
    lab = win.current_lab
    lab.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, lab.dock_eq)
    win.save_settings()
    win.close()
    win2 = MainWindow(settings=settings)
    qtbot.addWidget(win2)
    win2.start()
    lab2 = win2.current_lab
    assert lab2.dockWidgetArea(lab2.dock_eq) == Qt.DockWidgetArea.LeftDockWidgetArea
    for w in (win, win2):
        for page in w.labs.values():
            page.shutdown()


def test_lab_keys_work_without_setting_focus(main_window, qtbot):
    lab = main_window.current_lab
    main_window.activateWindow()
    qtbot.keyClick(main_window.focusWidget() or main_window, Qt.Key.Key_Right,
                   Qt.KeyboardModifier.ShiftModifier)
    assert lab.stepper.k == 4


def test_click_a_done_step_jumps_there(lab, main_window, qtbot):
    press(qtbot, main_window, Qt.Key.Key_Right, 9)
    lst = lab.equations.steps
    qtbot.waitUntil(lambda: lst.count() == 9, timeout=1000)
    item = lst.item(2)
    assert item.text().startswith("3. netₕ₂ = ")   # set as the equation: not net_h2
    QTest.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=lst.visualItemRect(item).center())
    assert lab.stepper.k == 3
    qtbot.waitUntil(lambda: "0.3925" in lab.equations.plain_text(), timeout=1000)


def test_click_bias_node_and_edit_shared_bias(lab, main_window, qtbot):
    doc = main_window.doc
    g = lab.graph
    QTest.mouseClick(g.view_widget.viewport(), Qt.MouseButton.LeftButton,
                     pos=g.view_widget.mapFromScene(g.bias_scene_pos(1)))
    assert lab.inspector.selection == ("neuron", 2, 0)
    assert lab.inspector.edit_label.text() == "b2"
    _set_spin(qtbot, lab.inspector.spin, "0.7")
    assert list(doc.network.biases[1]) == [0.7, 0.7]      # shared by o1 and o2
    qtbot.wait(40)
    assert "b2 = 0.7" in lab.graph.label_texts()


def test_every_lesson_steps_to_the_end(lab, main_window, qtbot):
    from nnviz.engine.teaching.lessons import lesson_names

    for name in lesson_names():
        main_window.doc.load_lesson(name)
        n = len(lab.stepper)
        if main_window.doc.network.has_batch_norm:  # declined, with a message
            assert n == 0 and "batch normalisation" in lab.stepper.error, name
            continue
        assert n > 0, name
        lab.advance(n)
        assert lab.stepper.k == n
        assert f"step {n} of {n}" in lab.equations.plain_text(), name
        assert lab.graph.label_texts(), name


def test_presentation_mode_leaves_the_graph_and_the_equation(main_window, qtbot):
    win = main_window
    lab = win.current_lab
    assert lab.name == "workbench"
    side = (lab.dock_inspector, lab.dock_timeline)
    assert all(d.isVisible() for d in side)
    qtbot.keyClick(win, Qt.Key.Key_F5)
    assert lab.dock_eq.isVisible() and lab.graph.isVisible()
    assert not any(d.isVisible() for d in side)
    qtbot.keyClick(win, Qt.Key.Key_Right)  # keys still step
    assert lab.stepper.k == 1
    # the large type still leaves room for the bias values between the layers at 1280 x 720
    qtbot.wait(50)
    assert {"b1 = 0.35", "b2 = 0.6"} <= set(lab.graph.label_texts())
    qtbot.keyClick(win, Qt.Key.Key_F5)
    assert all(d.isVisible() for d in side)


def test_the_timeline_survives_saving_and_reopening_the_workspace(lab, main_window, qtbot,
                                                                    tmp_path):
    """Three whole training steps, back to the second, save, open in a fresh window: the
    reopened workbench can still scrub through all four networks."""
    for _ in range(3):
        qtbot.keyClick(lab.graph, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert len(lab.stepper.timeline) == 4 and lab.stepper.t == 3
    lab.stepper.scrub(2, 4)
    saved = [n.get_params() for n in lab.stepper.timeline]
    path = str(tmp_path / "steps.nnviz")
    assert main_window.files.save_to(path)

    from nnviz.views.main_window import MainWindow
    again = MainWindow(settings=main_window.settings)
    qtbot.addWidget(again)
    again.start()
    again.files.open_path(path)
    st = again.current_lab.stepper
    assert (st.t, st.k) == (2, 4) and len(st.timeline) == 4
    assert all(np.array_equal(n.get_params(), p) for n, p in zip(st.timeline, saved))
    assert again.doc.network.equals(st.timeline[2])
    st.scrub(0)                       # the first network is there to go back to
    assert again.doc.network.equals(st.timeline[0])


@pytest.mark.parametrize("steps_before", [0, 2])
def test_a_failed_open_leaves_the_timeline_and_history_as_they_were(lab, main_window, qtbot,
                                                                    tmp_path, monkeypatch,
                                                                    steps_before):
    """A workspace's timeline goes on the history while it opens; if the open fails after
    that (a part failing last), the history and the timeline are as before, empty or not."""
    from tests.views.test_hostile_open import open_via_menu, snapshot

    win = main_window
    press(qtbot, win, Qt.Key.Key_Right, 3, Qt.KeyboardModifier.ControlModifier)
    path = str(tmp_path / "steps.nnviz")
    assert win.files.save_to(path)
    assert win.open_lesson("mazur-2-2-2")
    lab.graph.setFocus()
    press(qtbot, win, Qt.Key.Key_Right, steps_before, Qt.KeyboardModifier.ControlModifier)
    before = snapshot(win) + ([n.get_params().tobytes() for n in lab.stepper.timeline],)

    def boom(_drawing):
        raise TypeError("a part's bug")

    monkeypatch.setattr(win.pen, "restore", boom)
    shown = open_via_menu(win, monkeypatch, path)
    assert len(shown) == 1 and "nothing was changed" in shown[0]
    after = snapshot(win) + ([n.get_params().tobytes() for n in lab.stepper.timeline],)
    assert after == before and lab.stepper.t == steps_before


def test_a_timeline_saved_by_the_old_code_opens_on_the_history(main_window, qtbot):
    """tests/data/workbench-timeline-875d894.nnviz was saved by the code before the one
    history (875d894: four Ctrl+Right steps, back to step 2, micro-step 6): it opens at
    step 2 and Ctrl+Z / Ctrl+Y walk its five networks, each the engine's step."""
    from pathlib import Path

    path = Path(__file__).parent.parent / "data" / "workbench-timeline-875d894.nnviz"
    win = main_window
    win.files.open_path(str(path))
    st = win.current_lab.stepper
    assert (st.t, st.k, len(st.timeline)) == (2, 6, 5) and not win.doc.is_modified
    lesson = load_lesson("mazur-2-2-2")
    net, (x, y) = lesson.network.copy(), lesson.example()
    nets = [net.copy()]
    for _ in range(4):
        train_step(net, x.reshape(1, -1), y.reshape(1, -1), get_loss(lesson.loss), lesson.train)
        nets.append(net.copy())
    for a, b in zip(st.timeline, nets):
        np.testing.assert_allclose(a.get_params(), b.get_params(), rtol=1e-15, atol=0)
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(win, Qt.Key.Key_Z, ctrl)
    assert st.t == 1 and win.doc.network.equals(st.timeline[1])
    for _ in range(3):
        qtbot.keyClick(win, Qt.Key.Key_Y, ctrl)
    assert st.t == 4 and win.doc.network.equals(st.timeline[4])


def test_a_bad_saved_timeline_is_refused(lab, main_window):
    st = lab.state()
    n = main_window.doc.network.n_params()
    for bad in ([], "steps", [[0.1] * (n - 1)], [[float("nan")] * n], [[0.1] * n]):
        with pytest.raises(ValueError, match="timeline"):
            lab.restore_state(dict(st, timeline=bad))   # the last: not the current network
    lab.restore_state(st)


def test_the_step_status_is_set_as_the_equation(main_window, qtbot):
    """The wide network's first micro-step by →: the status bar names the neuron as the
    Equation panel does, "neuron a²₁" (it said a^2_1)."""
    win = main_window
    assert win.open_lesson("wide-784-100-10")
    lab = win.current_lab
    press(qtbot, win, Qt.Key.Key_Right)
    assert lab.stepper.k == 1
    qtbot.waitUntil(lambda: "neuron a²₁ · step 1 of 782" in win.status_label.text(),
                    timeout=2000)
    assert "^" not in win.status_label.text() and "_" not in win.status_label.text()
