"""The reusable network graph: labels, batched edges, picking."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from nnviz.engine.core.network import Network
from nnviz.engine.teaching.lessons import load_lesson
from nnviz.views.items.network_graph import GraphState, NetworkGraphWidget


def _view_point(graph, scene_pos) -> QPoint:
    return graph.view_widget.mapFromScene(scene_pos)


def test_lesson_network_labels(graph):
    lesson = load_lesson("mazur-2-2-2")
    graph.set_network(lesson.network, lesson.naming)
    graph.set_inputs(lesson.example_x)
    graph.set_targets(lesson.example_y)
    texts = graph.label_texts()
    for expected in ("i1", "h2", "o1", "0.05", "targeto2 = 0.99", "w5 = 0.4", "b1 = 0.35"):
        assert any(expected in t for t in texts), expected
    st = GraphState(node_text={(1, 0): [("net 0.3775", "value")]},
                    edge_text={(1, 0, 0): [("w5 0.4 → 0.35891648", "value")]})
    graph.set_state(st)
    texts = graph.label_texts()
    assert "net 0.3775" in texts
    assert "w5 0.4 → 0.35891648" in texts
    graph.show_weight_labels(False)
    assert not any("w6" in t for t in graph.label_texts())


def test_large_network_uses_few_items(graph, qtbot):
    net = Network.create([784, 100, 10], rng=np.random.default_rng(1))
    graph.set_network(net)
    n_edges = 784 * 100 + 100 * 10
    assert sum(w.size for w in net.weights) == n_edges
    assert graph.item_count() < 100
    img = graph.grab()          # paints every batched path
    assert not img.isNull()
    # weights crowd: no weight labels at all
    assert not any("w^" in t for t in graph.label_texts())


def test_click_neuron_and_edge(graph, qtbot):
    lesson = load_lesson("mazur-2-2-2")
    graph.set_network(lesson.network, lesson.naming)
    qtbot.wait(10)
    with qtbot.waitSignal(graph.neuron_clicked) as sig:
        QTest.mouseClick(graph.view_widget.viewport(), Qt.MouseButton.LeftButton,
                         pos=_view_point(graph, graph.node_scene_pos(1, 1)))
    assert sig.args == [1, 1]
    with qtbot.waitSignal(graph.edge_clicked) as sig:
        QTest.mouseClick(graph.view_widget.viewport(), Qt.MouseButton.LeftButton,
                         pos=_view_point(graph, graph.edge_scene_pos(1, 0, 1, 0.6)))
    assert sig.args == [1, 0, 1]   # w6: from h2 into o1


def test_dropped_neurons_are_muted(graph):
    net = Network.create([3, 5, 2], rng=np.random.default_rng(3))
    graph.set_network(net)
    assert graph.edges.muted_item.path().isEmpty()
    n_items = graph.item_count()
    graph.set_dropped([None, np.array([True, False, False, True, False]), None])
    # edges into and out of the two dropped neurons: 2*3 + 2*2 = 10 muted segments
    assert graph.edges.muted_item.path().elementCount() == 20
    assert graph.item_count() == n_items
    graph.set_dropped(None)
    assert graph.edges.muted_item.path().isEmpty()


def test_graph_draws_a_diverged_network(qtbot):
    """NaN and infinite weights (a blown-up training run) draw without warnings or errors."""
    import numpy as np

    from nnviz.engine.core.network import Network
    from nnviz.views.items.network_graph import NetworkGraphWidget

    g = NetworkGraphWidget()
    qtbot.addWidget(g)
    g.resize(400, 300)
    net = Network.create([2, 3, 1], "tanh", np.random.default_rng(0))
    net.weights[0][0, 0] = np.nan
    net.weights[0][1, 1] = np.inf
    net.weights[1][0, 2] = -np.inf
    g.set_network(net)
    g.show()
    qtbot.waitExposed(g)
    img = g.grab()
    assert not img.isNull()
    assert g.label_texts()  # neuron labels drawn; the edge paths were built without a warning


def test_large_network_draws_only_its_strongest_weights(graph, qtbot):
    from nnviz.views.items.network_graph import EDGE_BUDGET, N_BUCKETS

    net = Network.create([784, 100, 10], rng=np.random.default_rng(2))
    graph.set_network(net)
    drawn = sum(item.path().elementCount() // 2 for item in graph.edges.edge_items)
    assert drawn == EDGE_BUDGET
    # (it breaks between items only: non-breaking spaces, word joiners)
    legend = graph.legend.text().replace("&nbsp;", " ").replace("&#8288;", "")
    assert f"showing the {EDGE_BUDGET:,} strongest of 79,400 weights" in legend
    # the strongest are the ones drawn: the weakest drawn is at least the strongest hidden
    w = np.abs(np.concatenate([a.ravel() for a in net.weights]))
    threshold = np.sort(w)[-EDGE_BUDGET]
    assert (w >= threshold).sum() == EDGE_BUDGET
    assert len(graph.edges.edge_items) == 2 * N_BUCKETS
    # a small network draws every edge and says nothing
    graph.set_network(Network.create([2, 3, 1], rng=np.random.default_rng(3)))
    assert "strongest" not in graph.legend.text()


def _look(g):
    """What the graph draws: edge paths and pens, node fills and outlines."""
    edges = [(it.path().elementCount(), it.path().boundingRect().getRect(), it.pen().color().name(),
              it.pen().widthF()) for it in g.edges.edge_items + [g.edges.active_item, g.edges.gradient_item]]
    pts = g.nodes.nodes.data
    nodes = [(p["brush"].color().name(), p["pen"].color().name(), p["pen"].widthF()) for p in pts]
    return edges, nodes


def test_a_micro_step_restyles_only_what_changed_and_draws_like_a_fresh_graph(graph, qtbot):
    rng = np.random.default_rng(5)
    net = Network.create([2, 3, 2], rng=rng)
    graph.set_network(net)
    built = []
    make_path = graph.edges._path
    graph.edges._path = lambda mask: built.append(int(mask.sum())) or make_path(mask)
    vals = [np.array([0.5, -0.2]), np.array([0.9, np.nan, -0.4]), np.full(2, np.nan)]
    active = [np.zeros((3, 2), bool), np.zeros((2, 3), bool)]
    active[0][1] = True
    st = GraphState(node_values=vals, active=(1, 1), active_edges=active)
    graph.set_state(st)
    # the weights did not change: only the overlays (muted, gradient, active) are rebuilt,
    # not the 2 x N_BUCKETS weight-edge paths that span the whole view
    assert built == [0, 0, 2]
    assert graph.edges.active_item.path().elementCount() == 4   # two highlighted edges
    fresh = NetworkGraphWidget()
    qtbot.addWidget(fresh)
    fresh.resize(900, 600)
    fresh.show()
    qtbot.waitExposed(fresh)
    fresh.set_network(net)
    fresh.set_state(st)
    assert _look(graph) == _look(fresh)
    # new weights redraw the edges; the cached look follows
    net2 = net.copy()
    net2.weights[0][:] = -net2.weights[0]
    graph.set_network(net2)
    fresh.set_network(net2)
    assert _look(graph) == _look(fresh)
    assert _look(graph) != _look(NetworkGraphWidget())


def test_a_thumbnail_graph_drops_bias_values_and_captions(graph, qtbot):
    lesson = load_lesson("mazur-2-2-2")
    graph.set_network(lesson.network, lesson.naming)
    qtbot.waitUntil(lambda: any("2 hidden" in t for t in graph.label_texts()))
    assert any(t.startswith("b1 =") for t in graph.label_texts())
    graph.resize(160, 110)          # e.g. the surface lab's parameter picker
    qtbot.waitUntil(lambda: not any("2 hidden" in t for t in graph.label_texts()))
    assert not any(t.startswith("b1 =") for t in graph.label_texts())
    graph.resize(900, 600)
    qtbot.waitUntil(lambda: any(t.startswith("b1 =") for t in graph.label_texts()))


def test_weight_labels_are_never_cut_off_by_a_neuron(graph, qtbot):
    """In large type a weight label can reach the next neuron: it is drawn over it, so the
    whole value stays readable (w8 = 0.55 must not read "w8 = 0.5")."""
    lesson = load_lesson("mazur-2-2-2")
    graph.set_network(lesson.network, lesson.naming)
    labels = [t for t, _ in graph.texts.edge_labels]
    assert len(labels) == 8
    assert all(t.zValue() > graph.nodes.nodes.zValue() for t in labels)


def test_a_compact_graph_shows_only_the_names_and_fills_its_widget(graph, qtbot):
    """The surface lab's picker: no values, targets, biases or captions, small margins."""
    lesson = load_lesson("mazur-2-2-2")
    graph.compact = True
    graph.legend.hide()
    graph.resize(320, 200)
    graph.set_network(lesson.network, lesson.naming)
    graph.set_inputs([0.05, 0.1])
    graph.set_targets([0.01, 0.99])
    qtbot.wait(50)
    texts = graph.label_texts()
    assert {"i1", "h1", "o1"} <= set(texts)
    assert not [t for t in texts if "=" in t or "hidden" in t or t == "0.05"]
    compact_scale = 1 / graph.view.viewPixelSize()[0]     # pixels per layer gap
    graph.compact = False
    graph.fit()
    qtbot.wait(50)
    assert compact_scale > 1.4 / graph.view.viewPixelSize()[0]   # no room kept for texts
