"""The shortcuts added for `nnviz bench` change nothing that is shown: the graph skips only
work whose result would be identical."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine.core.network import Network


def _graph(qtbot):
    from nnviz.views.items.network_graph import NetworkGraphWidget

    g = NetworkGraphWidget()
    qtbot.addWidget(g)
    g.resize(800, 500)
    g.set_network(Network.create([2, 3, 1], "sigmoid", np.random.default_rng(0)))
    g.set_inputs(np.array([0.5, -1.0]))
    return g


def test_graph_sets_label_html_only_when_the_text_changes(qtbot):
    from nnviz.views.items.network_graph import GraphState

    g = _graph(qtbot)
    item = next(iter(g.texts.values.values()))   # the first input's value label
    calls = []
    orig = item.setHtml
    item.setHtml = lambda html: (calls.append(html), orig(html))[1]
    g.set_state(GraphState())                    # a redraw with the same texts
    assert calls == []
    g.set_inputs(np.array([0.25, -1.0]))         # the first input's value changes
    assert len(calls) == 1 and "0.25" in calls[0]
    assert "0.25" in item.textItem.toPlainText()


def test_graph_reselecting_the_same_neuron_draws_nothing_new(qtbot):
    g = _graph(qtbot)
    calls = []
    orig = g._redraw_nodes
    g._redraw_nodes = lambda: (calls.append(1), orig())[1]
    g.set_selected(neuron=(1, 0))
    assert len(calls) == 1
    g.set_selected(neuron=(1, 0))
    assert len(calls) == 1
    g.set_selected(neuron=None)
    assert len(calls) == 2 and g.selected_neuron is None


def test_graph_keeps_its_node_brushes_across_redraws(qtbot):
    from nnviz.views.items.network_graph import GraphState

    g = _graph(qtbot)
    vals = [np.array([0.9, -0.9]), np.array([0.2, 0.2, 0.2]), np.array([0.5])]
    seen = []
    orig, orig_brush = g.nodes.nodes.setData, g.nodes.nodes.setBrush
    g.nodes.nodes.setData = lambda *a, **k: (seen.append(k["brush"]), orig(*a, **k))[1]
    # a fill change restyles the points in place (setData would rebuild them all)
    g.nodes.nodes.setBrush = lambda b, **k: (seen.append(b), orig_brush(b, **k))[1]
    g.set_state(GraphState(node_values=vals))
    g.set_state(GraphState(node_values=[vals[0] * 0.5, vals[1], vals[2]]))
    first, second = seen[-2], seen[-1]
    assert first[2] is first[3] is first[4]      # one object per colour
    assert second[2] is first[2]                 # and the same object next time
    assert second[0] is not first[0]             # a changed colour: another brush


def _max_diff(a, b) -> float:
    return max(float(np.max(np.abs(p - q)))
               for p, q in zip(a.weights + a.biases, b.weights + b.biases))


@pytest.mark.parametrize("lesson", ["spiral", "overfitting-l2"])
def test_full_speed_training_equals_step_by_step_epochs(qtbot, lesson):
    from dataclasses import replace

    from nnviz.controllers.document import Document
    from nnviz.controllers.training.controller import TrainingController

    fast, slow = TrainingController(Document()), TrainingController(Document())
    for c in (fast, slow):
        c.doc.load_lesson(lesson)
        # Play stops at the lesson's epoch count: 3 here, so a fast machine (which trains
        # the spiral's 200 epochs in one slice, where rounding differences between the two
        # paths grow to 0.1) compares the same short run as a slow one
        c.doc.lesson = replace(c.doc.lesson, epochs=3)
    assert fast.fast.trainer() is not None, "this lesson should take the fast path"
    fast.playback.play()
    qtbot.waitUntil(lambda: not fast.playback.playing, timeout=20000)
    assert fast.epoch == 3
    slow.run_epochs(fast.epoch)  # one train_step per mini-batch
    assert slow.epoch == fast.epoch and slow.steps == fast.steps
    assert _max_diff(fast.doc.network, slow.doc.network) < 1e-11
    assert len(fast.history) == len(slow.history)
    np.testing.assert_allclose(fast.history.train_loss, slow.history.train_loss, rtol=1e-9)
    assert fast._rng.random() == slow._rng.random()  # the same shuffles were drawn


def test_settings_without_a_fast_path_train_step_by_step(qtbot):
    from nnviz.controllers.document import Document
    from nnviz.controllers.training.controller import TrainingController
    from nnviz.engine.core.activations import get_activation
    from nnviz.engine.learning.fast import unsupported_reason

    c = TrainingController(Document())
    c.doc.load_lesson("spiral")
    net = c.doc.network.copy()
    net.activations[0] = get_activation("elu")   # an activation with no fast kernels
    c.doc.set_network(net)
    assert unsupported_reason(c.doc.network, c.doc.loss, c.doc.config).startswith("activation")
    assert c.fast.trainer() is None
    c.playback.play()
    qtbot.waitUntil(lambda: c.steps >= 3, timeout=20000)
    c.playback.pause()
    assert c.doc.network.is_finite() and c.last_record is not None


def test_escape_is_html_escape():
    import html

    from nnviz.views.items.math_text import escape

    for text in ("a<b & c>\"d'", "plain", "&amp;", ""):
        assert escape(text) == html.escape(text)
        assert escape(text, quote=False) == html.escape(text, quote=False)


def test_graph_label_anchors_its_text_and_keeps_a_pixel_size(qtbot):
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter, QTransform
    from PySide6.QtWidgets import QGraphicsScene

    from nnviz.views.items.label_item import GraphLabel

    scene = QGraphicsScene()
    t = GraphLabel((1.0, 0.5))
    scene.addItem(t)
    t.setHtml("<b>net 0.3775</b>")
    t.setPos(100.0, 50.0)
    r = t.sceneBoundingRect()
    assert abs(r.right() - 100.0) < 1e-9 and abs(r.center().y() - 50.0) < 1e-9
    assert t.textItem.toPlainText() == "net 0.3775"
    # a zoomed view: the text keeps its size in pixels, its anchor stays at its point
    zoom = QTransform.fromScale(3.0, 3.0)
    dev = t.deviceTransform(zoom).mapRect(t.boundingRect())
    assert abs(dev.width() - r.width()) < 1e-9 and abs(dev.right() - 300.0) < 1e-9
    t.fill = QColor("white")      # painted behind the text
    img = QImage(400, 200, QImage.Format.Format_ARGB32)
    img.fill(QColor("black"))
    p = QPainter(img)
    whole = QRectF(0, 0, 400, 200)
    scene.render(p, whole, whole)
    p.end()
    assert img.pixelColor(int(r.left()) + 2, int(r.top()) + 1) != QColor("black")


def test_a_graph_label_is_drawn_from_its_bitmap_until_its_text_or_fill_changes(
        qtbot, monkeypatch):
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

    from nnviz.views.items.label_item import GraphLabel

    drawn: list[GraphLabel] = []
    paint = GraphLabel.paint
    monkeypatch.setattr(GraphLabel, "paint", lambda self, *a: (drawn.append(self), paint(self, *a)))
    scene = QGraphicsScene()
    t = GraphLabel((0.0, 0.0))
    scene.addItem(t)
    t.setHtml("<b>net 0.3775</b>")
    t.setPos(20.0, 20.0)
    assert t.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache

    def render() -> QImage:
        img = QImage(200, 80, QImage.Format.Format_ARGB32)
        img.fill(QColor("black"))
        p = QPainter(img)
        scene.render(p, QRectF(0, 0, 200, 80), QRectF(0, 0, 200, 80))
        p.end()
        return img

    render()
    render()
    assert len(drawn) == 1          # the second frame is the bitmap of the first
    t.fill = QColor("white")
    img = render()
    assert len(drawn) == 2 and img.pixelColor(21, 21) == QColor("white")
    t.fill = QColor("white")        # the same colour (another brush): nothing to draw
    render()
    assert len(drawn) == 2
    t.fill = None
    img = render()
    assert len(drawn) == 3 and img.pixelColor(21, 21) == QColor("black")
    t.setHtml("<b>out 0.5933</b>")
    render()
    assert len(drawn) == 4


def _worked_example_graph(qtbot):
    """The graph of mazur-2-2-2's worked example, shown at 900x600 and fitted."""
    from nnviz.engine.teaching.lessons import load_lesson
    from nnviz.views.items.network_graph import NetworkGraphWidget

    lesson = load_lesson("mazur-2-2-2")
    g = NetworkGraphWidget()
    qtbot.addWidget(g)
    g.resize(900, 600)
    g.show()
    qtbot.waitExposed(g)
    g.set_network(lesson.network, lesson.naming)
    g.set_inputs(lesson.example_x)
    g.set_targets(lesson.example_y)
    g.fit()
    return g


def test_placing_the_same_texts_again_weighs_no_line_again(qtbot, monkeypatch):
    """A step places every shown text again, most of them at the spots they had: what the
    lines cost under a neuron's values is remembered per spots while the lines stay, and
    a second placing of the same texts puts them exactly where the first did."""
    from nnviz.views.items import graph_lines

    weighed = []
    costs = graph_lines.Lines.costs
    monkeypatch.setattr(graph_lines.Lines, "costs",
                        lambda self, rects, edge=None: (weighed.append(len(rects)),
                                                        costs(self, rects, edge))[1])
    g = _worked_example_graph(qtbot)
    g.placement.resolve()
    assert weighed   # (the inputs' values: placed where they hide least)
    first = g.placement.text_rects()
    weighed.clear()
    g.placement.resolve()
    assert weighed == []
    assert g.placement.text_rects() == first
    # the lines move (another size): weighed afresh
    g.resize(700, 450)
    qtbot.waitUntil(lambda: g.view_widget.width() < 800, timeout=2000)
    g.fit()
    g.placement.resolve()
    assert weighed


def test_weight_labels_weigh_each_free_spot_once_all_labels_together(qtbot, monkeypatch):
    """The weight labels' spots are weighed against the lines all labels in one call per
    form tried, only the spots that are free (not on a neuron or another label), and
    each spot once while the lines stay: placing the same texts again weighs nothing and
    puts them where they were."""
    from nnviz.views.items import graph_lines
    from nnviz.views.items.graph_weights import free_rects

    calls = []
    costs = graph_lines.Lines.label_costs

    def record(self, rects, owner, edges):
        calls.append([(edges[o], tuple(r)) for r, o in zip(np.asarray(rects), owner)])
        return costs(self, rects, owner, edges)

    monkeypatch.setattr(graph_lines.Lines, "label_costs", record)
    spotted = []
    from nnviz.views.items import graph_weights

    def free(*args):
        r, ok = free_rects(*args)
        spotted.append((len(ok), int(ok.sum())))
        return r, ok

    monkeypatch.setattr(graph_weights, "free_rects", free)
    tried = []
    candidates = graph_weights.WeightLabels._candidates
    monkeypatch.setattr(graph_weights.WeightLabels, "_candidates",
                        lambda self, *a, **k: (tried.append(1), candidates(self, *a, **k))[1])
    g = _worked_example_graph(qtbot)
    calls.clear()
    spotted.clear()
    tried.clear()
    g.placement.resolve()
    weighed = [row for call in calls for row in call]
    assert calls and len(calls) <= len(tried)   # at most one call a form tried
    assert {e for call in calls for e, _ in call} == {e for _, e in g.texts.edge_labels}
    assert len(set(weighed)) == len(weighed)   # no spot twice
    # only free spots: fewer than all the spots of the forms tried, as many as were free
    assert len(weighed) <= sum(f for _, f in spotted) < sum(n for n, _ in spotted)
    first = g.placement.text_rects()
    calls.clear()
    g.placement.resolve()
    assert calls == []
    assert g.placement.text_rects() == first
