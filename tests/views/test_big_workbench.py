"""A large network (2-400-400-2: 802 hidden and output neurons, 161,600 weights) in the
Workbench, opened through File > Open as a user does (in the background, with its
progress dialog): the neuron-by-neuron steps decline it and say to use the matrix view;
the M key, pressed where the focus is, shows the matrix view, whose steps are built off
the GUI thread (the window keeps running and says so), and → steps them."""

from __future__ import annotations

import json
import threading

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from nnviz.engine.stepping import matrix_trace
from nnviz.engine.stepping.matrix_trace import build_matrix_trace
from tests.views.test_background_files import everything_big  # noqa: F401 - a fixture
from tests.views.test_hostile_open import open_via_menu
from tests.views.workbench_keys import press


def _big_workbench_file(tmp_path):
    from nnviz.bench.file_bench import big_files

    path = big_files(tmp_path, 400)[0]
    d = json.loads(path.read_text())
    d["lab"] = "workbench"
    path.write_text(json.dumps(d))
    return path


def _active(win) -> bool:
    """The window is the active one (else it is asked to be, as a click into it would)."""
    if QApplication.activeWindow() is win:
        return True
    win.activateWindow()
    return False


def test_m_and_right_step_a_large_network_in_the_workbench(
        main_window, qtbot, monkeypatch, tmp_path, everything_big):  # noqa: F811
    win = main_window
    win.show_lab("training")   # the lab shown before the open had the focus
    win.activateWindow()
    path = _big_workbench_file(tmp_path)
    assert open_via_menu(win, monkeypatch, path) == []
    qtbot.waitUntil(lambda: win.files.path == str(path) and not win.files.background.busy,
                    timeout=60_000)
    lab = win.current_lab
    assert lab.name == "workbench" and win.doc.network.sizes == [2, 400, 400, 2]
    # → in the neuron view: the steps are declined, and the Equation panel says why
    press(qtbot, win, Qt.Key.Key_Right)
    assert lab.stepper.trace is None
    assert "Cannot trace this network" in win.status_label.text()
    why = lab.equations.plain_text()
    assert "stop at 256 neurons" in why and "matrix view (M)" in why

    # the matrix trace is built on the worker: held there until the test lets it go
    gate, started = threading.Event(), threading.Event()

    def held(*a, **k):
        assert threading.current_thread() is not threading.main_thread()
        started.set()
        gate.wait(30)
        return build_matrix_trace(*a, **k)

    # (the stepper imports it when it first builds one: patched where it is defined)
    monkeypatch.setattr(matrix_trace, "build_matrix_trace", held)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(1)
    # M did at times nothing after the open (in runs of the whole suite, and alone on a
    # loaded machine): no window was active (QApplication.activeWindow() None, after the
    # open's progress dialog), and a lab's keys work in the active window only; once the
    # focus was outside the Workbench. A user whose keys do nothing clicks into the graph,
    # which makes the window active and gives the graph the focus: so does the test.
    qtbot.waitUntil(lambda: _active(win))
    if not lab.isAncestorOf(win.focusWidget()):
        lab.graph.setFocus()
    press(qtbot, win, Qt.Key.Key_M)   # to the focused widget, as a user's key press
    assert lab.matrix.active and lab.centre.currentWidget() is lab.matrix_view, (
        f"M did nothing: focus on {type(win.focusWidget()).__name__}, "
        f"active window {type(QApplication.activeWindow()).__name__}")
    qtbot.waitUntil(started.is_set, timeout=10_000)
    qtbot.wait(50)
    assert ticks  # the event loop runs while the steps are built
    building = "Building the matrix steps of this large network (161,600 weights)"
    assert building in lab.matrix_view.shown_text()
    assert building in win.status_label.text()
    press(qtbot, win, Qt.Key.Key_Right)   # nothing to step yet: nothing happens
    assert lab.matrix.m == 0 and lab.matrix.trace is None
    gate.set()
    qtbot.waitUntil(lambda: lab.matrix.trace is not None, timeout=30_000)
    timer.stop()

    press(qtbot, win, Qt.Key.Key_Right, 2)
    assert lab.matrix.m == 2
    want = build_matrix_trace(win.doc.network, win.doc.example_x, win.doc.example_y,
                              win.doc.loss, win.doc.config.eta).steps[1]
    step = lab.matrix.step
    assert step.title == want.title and np.array_equal(step.value, want.value)
    qtbot.waitUntil(lambda: "matrix step 2 of" in win.status_label.text(), timeout=2000)
    assert f"Step 2 of {len(lab.matrix)}" in lab.matrix_view.shown_text()
