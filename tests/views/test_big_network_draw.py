"""A large network (2-300-300-2: 91,200 weights, layers over the 64 neurons drawn in full)
opened through File > Open: its decision map is computed off the GUI thread while the
event loop keeps running, the network view draws it summarised and says so, and the map
and the drawn neurons' maps are those of the network."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer

from nnviz.engine.core.summary import SUMMARY_SHOWN, shown_neurons
from nnviz.engine.learning.monitor import GridEvaluator
from tests.views.test_background_files import everything_big  # noqa: F401 - a fixture
from tests.views.test_hostile_open import open_via_menu


@pytest.fixture
def big_workspace(tmp_path):
    from nnviz.bench.file_bench import big_files

    return big_files(tmp_path, 300)[0]


def test_a_big_network_is_drawn_without_blocking_and_summarised(
        main_window, qtbot, monkeypatch, big_workspace, everything_big):  # noqa: F811
    win = main_window
    win.show_lab("training")
    lab, ctl = win.lab("training"), win.lab("training").ctl
    while_pending = []
    timer = QTimer(lab)  # dies with the lab: a failure below leaves no 1 ms timer behind
    timer.timeout.connect(lambda: while_pending.append(lab.thumbs.title.text())
                          if ctl.big_grid.pending else None)
    timer.start(1)
    shown = open_via_menu(win, monkeypatch, big_workspace)
    qtbot.waitUntil(lambda: win.doc.network.sizes == [2, 300, 300, 2], timeout=30_000)
    qtbot.waitUntil(lambda: lab.graph.image_counts()[1:] == [SUMMARY_SHOWN, SUMMARY_SHOWN, 2],
                    timeout=60_000)  # the maps are drawn once the worker is done
    assert lab.map.mode == "map"
    timer.stop()
    assert not shown
    assert while_pending  # the event loop ran while the map was being computed
    assert any("Computing the decision map of this large network (91,200 weights)" in t
               for t in while_pending)

    # the map is the network's own output over the plane
    net = ctl.readouts.evaluated()
    with np.errstate(all="ignore"):
        full = GridEvaluator()(net, -6.0, 6.0, 100, ctl.features)
    grid = ctl.readouts.grid()
    assert np.array_equal(grid.output, full.output)
    drawn = shown_neurons(300)
    assert len(drawn) == SUMMARY_SHOWN and drawn[0] == 0 and drawn[-1] == 299
    assert np.array_equal(grid.hidden[1], full.hidden[1][..., drawn])
    assert "network's output" in lab.map.caption.text()

    # the network view: 64 of each 300-neuron layer, and it says so
    g = lab.graph
    assert g.image_counts()[1:] == [SUMMARY_SHOWN, SUMMARY_SHOWN, 2]
    assert g.summary().startswith("Large layers summarised: 24 of 300 neurons drawn, evenly "
                                  "spaced (neurons 1, 14, 27, … 300)")
    assert "one of the 24 of 300 drawn" in g.tip(2, int(drawn[1]))

    # a click on a drawn neuron shows that neuron's map large
    j = int(drawn[3])
    qtbot.mouseClick(g, Qt.MouseButton.LeftButton, pos=g.node_rect(2, j).center().toPoint())
    qtbot.waitUntil(lambda: f"Hidden layer 2, neuron {j + 1} " in lab.map.caption.text())
    with pytest.raises(KeyError):
        g.node_rect(2, j + 1)  # not drawn


def test_a_small_network_is_not_summarised(main_window):
    win = main_window
    assert win.open_lesson("spiral")
    win.show_lab("training")
    lab = win.lab("training")
    lab.redraw()
    assert lab.graph.summary() == "" and not lab.ctl.readouts.grid_is_big()
    assert lab.graph.image_counts()[1:] == win.doc.network.sizes[1:]


def test_the_workbench_declines_a_big_network_and_its_matrix_view_steps_it(
        main_window, qtbot, monkeypatch, big_workspace, everything_big):  # noqa: F811
    win = main_window
    shown = open_via_menu(win, monkeypatch, big_workspace)
    qtbot.waitUntil(lambda: win.doc.network.sizes == [2, 300, 300, 2], timeout=30_000)
    win.show_lab("workbench")
    bench = win.current_lab
    qtbot.waitUntil(lambda: "matrix view (M)" in bench.equations.plain_text())
    assert not shown
    assert ("stop at 256 neurons, and this network has 602 in its hidden and output layers"
            in bench.equations.plain_text())
    assert bench.stepper.trace is None
    win.activateWindow()
    bench.graph.setFocus()
    from PySide6.QtWidgets import QAbstractButton

    button = next(b for b in bench.findChildren(QAbstractButton) if b.text() == "Matrices")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert bench.centre.currentWidget() is bench.matrix_view
    step = next(b for b in bench.findChildren(QAbstractButton) if b.text() == "▶ Step")
    qtbot.mouseClick(step, Qt.MouseButton.LeftButton)  # one matrix step: z = W a + b
    qtbot.waitUntil(lambda: bench.matrix.m == 1)
    bench.matrix_view.canvas.grab()
    assert "W" in bench.matrix_view.shown_text()


def test_a_hidden_training_lab_draws_nothing_until_it_is_shown(main_window, qtbot):
    win = main_window
    assert win.open_lesson("mazur-2-2-2")
    win.show_lab("training")
    lab = win.lab("training")
    drawn = []
    real = lab.redraw
    lab.redraw = lambda: (drawn.append(1), real())[1]
    win.show_lab("workbench")
    win.doc.set_weight(0, 0, 0, 0.125)
    qtbot.wait(300)
    assert not drawn and not lab.isVisible()
    win.show_lab("training")
    qtbot.waitUntil(lambda: bool(drawn))
