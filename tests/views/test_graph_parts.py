"""The network graph's parts, each with its own state made in its own ``__init__``: the
coordinates (:class:`GraphCoords`), the labels (:class:`TextLayer`), the placing of the
labels (:class:`Placement`) and the picking (:class:`Picker`)."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine.core.network import Network
from nnviz.engine.teaching.lessons import load_lesson
from nnviz.views.items.graph_coords import MAX_NODE_TEXT, GraphCoords
from nnviz.views.items.graph_place import overlapping
from nnviz.views.items.graph_texts import MAX_EDGE_LABELS


def test_coords_lay_out_each_layer_and_number_the_edges_as_the_weights():
    c = GraphCoords()
    assert c.sizes == [] and len(c.src) == 0   # born empty, before any network
    c.relayout([3, 2, 1])
    assert [p.shape for p in c.pos] == [(3, 2), (2, 2), (1, 2)]
    assert [float(p[0, 0]) for p in c.pos] == [0.0, 1.0, 2.0]      # layer l at x = l
    assert np.allclose(c.pos[0][:, 1], [-1, 0, 1]) and np.allclose(c.pos[2][:, 1], [0])
    assert list(c.offsets) == [0, 6, 8] and len(c.src) == len(c.dst) == 8
    # edge i is w[l].ravel()[i - offsets[l]]: from neuron k of layer l to j of layer l + 1
    for i in range(8):
        l, j, k = c.edge_index(i)
        w = np.zeros((c.sizes[l + 1], c.sizes[l]))
        w[j, k] = 1
        assert np.flatnonzero(w.ravel())[0] == i - c.offsets[l]
        assert np.array_equal(c.src[i], c.pos[l][k]) and np.array_equal(c.dst[i], c.pos[l + 1][j])
    assert np.allclose(c.bias_pos, [[0.5, 2.05], [1.5, 2.05]])   # under the tallest column


def test_coords_pack_a_large_layer_and_shrink_its_circles():
    c = GraphCoords()
    c.relayout([2, 4 * MAX_NODE_TEXT])
    assert c.spacing(0) == 1.0 and c.spacing(1) == pytest.approx(0.25)
    c.ppu_x, c.ppu_y = 300.0, 160.0
    assert c.node_size(0) == 44.0                 # room: the full 44 pixels
    assert c.node_size(1) == pytest.approx(0.8 * 0.25 * 160)   # 80 % of a 40-px gap
    c.scale = 2.0
    assert c.node_size(0) == 88.0                 # a projector's larger circles
    c.ppu_x = 100.0
    assert c.node_size(0) == 30.0                 # layers close: 30 % of their distance


def test_the_text_layer_makes_labels_only_where_the_network_is_small_enough(graph):
    lesson = load_lesson("mazur-2-2-2")
    graph.set_network(lesson.network, lesson.naming)
    t = graph.texts
    assert sorted(t.names) == [(l, j) for l in range(3) for j in range(2)]
    assert sorted(t.values) == sorted(t.names) and sorted(t.targets) == [0, 1]
    assert sorted(t.captions) == [0, 1, 2] and sorted(t.biases) == [0, 1]
    assert [e for _, e in t.edge_labels] == [(l, j, k) for l in range(2) for j in range(2)
                                             for k in range(2)]
    assert len(t.items) == 6 + 6 + 2 + 3 + 2 and len(t.all_items()) == len(t.items) + 8
    graph.set_network(Network.create([20, 3, 2], rng=np.random.default_rng(0)))
    assert all(l > 0 for l, _ in t.names)        # 20 inputs: no per-neuron labels
    assert sorted(t.captions) == [0, 1, 2]
    assert 20 * 3 + 3 * 2 > MAX_EDGE_LABELS and t.edge_labels == []
    scene = graph.view_widget.scene()
    assert all(item.scene() is scene for item in t.all_items())


def test_the_text_layer_shows_the_weights_and_its_caption_forms(graph, qtbot):
    lesson = load_lesson("mazur-2-2-2")
    graph.set_network(lesson.network, lesson.naming)
    t = graph.texts
    w5 = next(item for item, e in t.edge_labels if e == (1, 0, 0))
    assert w5.lines == [("w5 = 0.4", "positive")]
    one, two = t.captions[1].forms
    assert "2 hidden · sigmoid" in one and "align=\"center\"" in two
    assert t.captions[1].one_width > 0
    # the network was fitted before its texts were written: they need a fit again
    assert t.needs_refit()
    qtbot.waitUntil(lambda: not t.needs_refit())   # which the graph asked for, once


def test_placement_leaves_no_text_over_another_or_a_neuron(graph):
    lesson = load_lesson("mazur-2-2-2")
    graph.set_network(lesson.network, lesson.naming)
    graph.set_inputs(lesson.example_x)
    graph.set_targets(lesson.example_y)
    graph.fit()
    graph.placement.resolve()
    texts = graph.text_rects(names=False)
    assert len(texts) >= 8 + 2 + 2   # weights, inputs, targets at least
    nodes = [("neuron", r) for r in graph.node_rects()]
    assert len(nodes) == 6 + 2       # the neurons and the two shared-bias squares
    assert overlapping(texts + nodes) == []
    assert graph.placement.weights.form == (False, 9.0)   # the whole text, full size


def test_the_picker_finds_what_is_under_a_point(graph):
    lesson = load_lesson("mazur-2-2-2")
    graph.set_network(lesson.network, lesson.naming)
    c, pick, vb = graph.coords, graph.picker, graph.view
    for l, j in [(0, 1), (1, 0), (2, 1)]:
        p = vb.mapSceneToView(graph.node_scene_pos(l, j))
        assert pick.neuron_at(p) == (l, j) and pick.edge_at(p) is not None
    p = vb.mapSceneToView(graph.edge_scene_pos(1, 1, 0, 0.25))   # (the middle: a crossing)
    assert pick.neuron_at(p) is None and pick.edge_at(p) == (1, 1, 0)
    p = vb.mapSceneToView(graph.bias_scene_pos(1))
    assert pick.bias_at(p) == 1 and pick.neuron_at(p) is None
    far = vb.mapSceneToView(graph.node_scene_pos(0, 0))
    far.setX(far.x() - 0.4)   # left of the inputs: nothing
    assert pick.neuron_at(far) is None and pick.edge_at(far) is None
    assert pick.bias_at(far) is None and c.sizes == [2, 2, 2]

