"""The step-by-step trace: order, states after any step, stepping back, formulas."""

from __future__ import annotations

import numpy as np

from nnviz.engine import get_loss
from nnviz.engine.core.naming import Naming
from nnviz.engine.core.network import Network, backward, forward
from nnviz.engine.stepping.trace import build_trace
from nnviz.engine.stepping.worked import lesson_trace
from nnviz.engine.teaching.lessons import load_lesson


def test_mazur_trace_order_and_first_formula():
    tr = lesson_trace(load_lesson("mazur-2-2-2"))
    phases = [s.phase for s in tr.steps]
    assert phases == sorted(phases, key=["forward", "error", "backward", "update",
                                         "result"].index)
    assert tr.steps[0].equation.text() == (
        "net_h1 = w1*i1 + w2*i2 + b1*1 = 0.15*0.05 + 0.2*0.1 + 0.35*1 = 0.3775")
    assert tr.steps[1].equation.text() == (
        "out_h1 = 1/(1+e^(-net_h1)) = 1/(1+e^(-0.3775)) = 0.593269992")
    grad_w5 = next(s for s in tr.steps if s.equation.lhs == "∂E_total/∂w5")
    assert grad_w5.equation.text() == (
        "∂E_total/∂w5 = ∂E_total/∂out_o1 * ∂out_o1/∂net_o1 * ∂net_o1/∂w5 = "
        "δ_o1 * out_h1 = "                      # the delta rule, as notes 001 rewrite it
        "0.74136507 * 0.186815602 * 0.593269992 = 0.138498562 * 0.593269992 = 0.082167041")
    assert [v for _, v in grad_w5.factors] == [
        grad_w5.factors[0][1], grad_w5.factors[1][1], grad_w5.factors[2][1]]
    assert np.isclose(np.prod([v for _, v in grad_w5.factors]), grad_w5.value)
    # 8 forward, 3 error, 4 deltas + 8 gradients, 8 updates (biases frozen), 1 result
    assert len(tr) == 32
    assert tr.steps[0].title == "Forward · layer 2 · neuron h1"   # the inputs are layer 1


def test_state_after_each_step_reveals_in_order_and_back():
    tr = lesson_trace(load_lesson("mazur-2-2-2"))
    s0 = tr.state_at(0)
    assert not any(k.any() for k in s0.net_known) and s0.total_error is None
    s1 = tr.state_at(1)
    assert s1.net_known[0].tolist() == [True, False] and not s1.out_known[1].any()
    s2 = tr.state_at(2)
    assert s2.out_known[1].tolist() == [True, False]
    k_total = tr.idx_total
    assert tr.state_at(k_total - 1).total_error is None
    assert np.isclose(tr.state_at(k_total).total_error, 0.298371109, atol=1e-9)
    # weights are the old ones until their update step, then the new ones
    k_w5 = int(tr.idx_w[1][0, 0])
    assert tr.state_at(k_w5 - 1).weights[1][0, 0] == 0.4
    assert np.isclose(tr.state_at(k_w5).weights[1][0, 0], 0.35891648, atol=1e-9)
    # stepping back restores exactly the earlier state
    a, b = tr.state_at(10), tr.state_at(20)
    again = tr.state_at(10)
    for x, y in zip(a.delta_known, again.delta_known):
        assert np.array_equal(x, y)
    assert not all(np.array_equal(x, y) for x, y in zip(a.delta_known, b.delta_known))
    last = tr.state_at(len(tr))
    assert np.isclose(last.total_after, 0.291027774, atol=1e-9)
    assert tr.state_at(-5).k == 0 and tr.state_at(10**6).k == len(tr)


def test_trace_matches_backward_on_random_network():
    rng = np.random.default_rng(7)
    net = Network.create([3, 4, 3], ["tanh", "softmax"], rng)
    x = rng.normal(size=3)
    y = np.eye(3)[1]
    loss = get_loss("cross_entropy")
    tr = build_trace(net, x, y, loss, 0.1)
    g = backward(net, forward(net, x), y, loss)
    for l in range(2):
        np.testing.assert_allclose(tr.grads[l].dw, g[l].dw)
        np.testing.assert_allclose(tr.net_after.weights[l], net.weights[l] - 0.1 * g[l].dw)
        np.testing.assert_allclose(tr.net_after.biases[l], net.biases[l] - 0.1 * g[l].db)
    deltas = [s for s in tr.steps if s.kind == "delta"]
    assert len(deltas) == 7
    for s in deltas:  # softmax + cross-entropy: the output delta is written as a - y
        text = s.equation.text().replace("\u2212", "-")
        assert (" - y_" in text) == (s.layer == 2), text
        shown = float(text.rsplit("=", 1)[1])
        assert abs(shown - g[s.layer - 1].db[s.neuron]) <= 1e-8 * max(1.0, abs(shown)), text


def test_large_layers_are_grouped_per_neuron():
    rng = np.random.default_rng(8)
    net = Network.create([64, 32, 10], ["relu", "softmax"], rng)
    tr = build_trace(net, rng.random(64), np.eye(10)[3], get_loss("cross_entropy"), 0.1)
    kinds = {s.kind for s in tr.steps}
    assert "grad_row" in kinds and "update_row" in kinds
    assert len(tr) < 2 * (32 + 10) + 11 + (32 + 10) * 5 + 2 * 320 + 1
    assert tr.state_at(len(tr)).dw_known[0].all()


def test_layer_notation_without_lesson_names():
    rng = np.random.default_rng(11)
    net = Network.create([2, 3, 1], ["sigmoid", "sigmoid"], rng)
    tr = build_trace(net, [0.5, -1.0], [1.0], get_loss("half_sse"), 0.5)
    first = tr.steps[0].equation.text()
    # the input layer is layer 1, as notes 002 and 004: the first hidden layer is layer 2
    assert first.startswith("z^2_1 = w^2_11*x1 + w^2_12*x2 + b^2_1*1 = ")
    assert tr.steps[1].equation.text().startswith("a^2_1 = 1/(1+e^(-z^2_1))")
    lhs = {s.equation.lhs for s in tr.steps}
    assert {"δ^3_1", "δ^2_3", "∂C/∂w^3_13", "w^2_32⁺", "C"} <= lhs
    assert tr.steps[0].title == "Forward · layer 2 · neuron a^2_1"
    # 0-based as an option: Nielsen's code numbering
    tr0 = build_trace(net, [0.5, -1.0], [1.0], get_loss("half_sse"), 0.5,
                      naming=Naming.layered(net.sizes, base=0))
    assert tr0.steps[0].equation.text().startswith("z^1_1 = w^1_11*x1 + w^1_12*x2 + b^1_1*1")
    assert tr0.steps[0].title == "Forward · layer 1 · neuron a^1_1"


def test_the_neuron_steps_decline_a_large_network_and_point_to_the_matrix_view():
    import pytest

    from nnviz.engine.core.activations import get_activation
    from nnviz.engine.stepping.trace import MAX_TRACE_NEURONS

    def net(hidden: int) -> Network:
        sizes = [2, hidden, 2]
        rng = np.random.default_rng(0)
        return Network([rng.normal(size=(b, a)) for a, b in zip(sizes[:-1], sizes[1:])],
                       [np.zeros(b) for b in sizes[1:]], [get_activation("sigmoid")] * 2)

    x, y, loss = np.array([0.5, -0.5]), np.array([1.0, 0.0]), get_loss("half_sse")
    at_limit = build_trace(net(MAX_TRACE_NEURONS - 2), x, y, loss, 0.5)  # 254 + 2 neurons
    assert len(at_limit) > MAX_TRACE_NEURONS
    with pytest.raises(ValueError, match=r"stop at 256 neurons, and this network has 257 in "
                                         r"its hidden and output layers: the matrix view \(M\)"):
        build_trace(net(MAX_TRACE_NEURONS - 1), x, y, loss, 0.5)
