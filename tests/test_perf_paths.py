"""The shortcuts added for `nnviz bench` change nothing that is shown: the graph skips only
work whose result would be identical."""

from __future__ import annotations

import numpy as np

from nnviz.engine.network import Network


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
    item = next(iter(g._value_items.values()))   # the first input's value label
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
    orig = g.nodes.setData
    g.nodes.setData = lambda *a, **k: (seen.append(k["brush"]), orig(*a, **k))[1]
    g.set_state(GraphState(node_values=vals))
    g.set_state(GraphState(node_values=[vals[0] * 0.5, vals[1], vals[2]]))
    first, second = seen[-2], seen[-1]
    assert first[2] is first[3] is first[4]      # one object per colour
    assert second[2] is first[2]                 # and the same object next time
    assert second[0] is not first[0]             # a changed colour: another brush
