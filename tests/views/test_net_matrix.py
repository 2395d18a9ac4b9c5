"""The Training lab's network at 1024x768 in presentation mode: the keras lessons'
64-32-64-10 network (64 neurons in about 100 pixels) draws each weight layer as its
matrix W, not as thousands of edges merged into one band; each cell shows its weight's
sign and size, follows training and names its weight on hover; a small network keeps its
edges."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from nnviz.views.style import current_style
from nnviz.views.training import net_matrix
from tests.views.projector_window import projector_window, set_presentation, settle


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory):
    yield from projector_window((1024, 768), tmp_path_factory, "matrix")


def _colour_distance(c: QColor, hex_colour: str) -> float:
    o = QColor(hex_colour)
    return float(np.hypot(np.hypot(c.red() - o.red(), c.green() - o.green()),
                          c.blue() - o.blue()))


def _cell_centre(w: np.ndarray, r, j: int, k: int) -> QPointF:
    return QPointF(r.left() + (k + 0.5) * r.width() / w.shape[1],
                   r.top() + (j + 0.5) * r.height() / w.shape[0])


def _check_cells(graph) -> None:
    """The strongest positive and negative weight of each matrix in the style's colours,
    the weakest nearly white, read from the widget's pixels."""
    img = graph.grab().toImage()
    dpr = img.devicePixelRatio()
    style = current_style()
    mats = graph.matrices()
    assert len(mats) == 3
    for l, w, r in mats:
        assert w.shape == (graph.sizes[l + 1], graph.sizes[l])
        for pick, ours, other in ((np.argmax(w), style.positive, style.negative),
                                  (np.argmin(w), style.negative, style.positive)):
            j, k = np.unravel_index(pick, w.shape)
            p = _cell_centre(w, r, j, k)
            c = img.pixelColor(int(p.x() * dpr), int(p.y() * dpr))
            assert _colour_distance(c, ours) < _colour_distance(c, other), (l, j, k, c.name())
            assert _colour_distance(c, "#FFFFFF") > 60, (l, j, k, c.name())
        j, k = np.unravel_index(np.argmin(np.abs(w)), w.shape)
        p = _cell_centre(w, r, j, k)
        c = img.pixelColor(int(p.x() * dpr), int(p.y() * dpr))
        assert _colour_distance(c, "#FFFFFF") < 25, (l, j, k, c.name())


def test_dense_layers_are_drawn_as_their_weight_matrices(window, qtbot):
    win = window
    assert win.open_lesson("keras-lab-notes")
    win.show_lab("training")
    set_presentation(win, qtbot, True)
    lab = win.lab("training")
    graph = lab.graph
    settle()
    assert graph.isVisible()
    steps = [net_matrix.step(col) for col in graph._nodes]
    assert min(steps) < net_matrix.DENSE_STEP   # too dense for edges at this size
    assert graph.dense == [True, True, True]
    assert len(graph._segments()) == 0          # no edge is stroked
    assert net_matrix.NOTE in graph.summary()
    # the matrices lie between the columns, inside the widget, their rows level with
    # the right-hand column
    for l, _w, r in graph.matrices():
        src, dst = graph._nodes[l], graph._nodes[l + 1]
        assert src[0].right() < r.left() and r.right() < dst[0].left()
        assert r.top() == pytest.approx(dst[0].top()) and r.bottom() == pytest.approx(
            dst[-1].bottom())
        assert graph.rect().contains(r.toAlignedRect())
    _check_cells(graph)

    # training moves the weights: the cells follow
    before = [w.copy() for _, w, _ in graph.matrices()]
    epoch = lab.ctl.epoch
    win.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: lab.ctl.epoch > epoch, timeout=20_000)
    lab.redraw()
    settle()
    after = graph.matrices()
    assert any(not np.array_equal(a, w) for a, (_, w, _) in zip(before, after))
    for (_l, w, _), wn in zip(after, win.doc.network.weights):
        np.testing.assert_array_equal(w, wn)   # the network's own weights, all drawn
    _check_cells(graph)

    # hovering a cell names its weight
    l, w, r = after[1]
    j, k = 5, 17
    pos = _cell_centre(w, r, j, k).toPoint()
    QApplication.sendEvent(graph, QHelpEvent(QEvent.Type.ToolTip, pos, graph.mapToGlobal(pos)))
    text = QToolTip.text()
    assert text == (f"weight from neuron {k + 1} of layer 1 to neuron {j + 1} of layer 2: "
                    f"{w[j, k]:.4g}")
    QToolTip.hideText()
    # a node keeps its own tooltip
    node = graph._nodes[3][0].center().toPoint()
    QApplication.sendEvent(graph, QHelpEvent(QEvent.Type.ToolTip, node, graph.mapToGlobal(node)))
    assert QToolTip.text().startswith("output 1")
    QToolTip.hideText()


def test_a_small_network_keeps_its_edges(window, qtbot):
    win = window
    assert win.open_lesson("spiral")
    win.show_lab("training")
    set_presentation(win, qtbot, True)
    graph = win.lab("training").graph
    settle()
    assert not any(graph.dense) and graph.matrices() == []
    drawn = sum(w.size for w in graph._drawn_weights())
    assert len(graph._segments()) == drawn > 0
    assert net_matrix.NOTE not in graph.summary()
    set_presentation(win, qtbot, False)


def test_cell_tip_reads_the_cell_under_the_point():
    from PySide6.QtCore import QRectF

    w = np.arange(6.0).reshape(2, 3) - 2.5
    r = QRectF(10, 20, 30, 40)   # cells 10 wide, 20 high
    mats = [(0, w, r)]
    assert net_matrix.cell_tip(mats, QPointF(35, 55)) == (
        "weight from neuron 3 of the inputs to neuron 2 of layer 1: 2.5")
    assert net_matrix.cell_tip(mats, QPointF(11, 21)).endswith(": -2.5")
    assert net_matrix.cell_tip(mats, QPointF(5, 55)) is None
    assert net_matrix.cell_tip([(2, w, r)], QPoint(15, 21)).startswith(
        "weight from neuron 1 of layer 2 to neuron 1 of layer 3")
