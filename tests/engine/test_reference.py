"""Every number of shared/REFERENCE.md, to the digits the notes print.

``close(value, "0.593269992")`` asserts |value - printed| <= one unit of the last
printed digit: the notes round, and in a few places round an intermediate (the
reference sheet says where), so the last digit may differ by one.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine import get_activation, get_loss
from nnviz.engine.core.network import backward, forward, predict
from nnviz.engine.learning.training import TrainConfig, train_step
from nnviz.engine.stepping.trace import build_trace
from nnviz.engine.teaching.lessons import load_lesson


def close(value: float, printed: str) -> None:
    digits = len(printed.split(".")[1]) if "." in printed else 0
    assert abs(float(value) - float(printed)) <= 10.0 ** -digits, (value, printed)


@pytest.fixture
def mazur():
    return load_lesson("mazur-2-2-2")


@pytest.fixture
def mazur_trace(mazur):
    x, y = mazur.example()
    return build_trace(mazur.network, x, y, get_loss(mazur.loss), mazur.train.eta, mazur.naming,
                       mazur.train.freeze_biases)


def _step_value(trace, lhs: str) -> float:
    for s in trace.steps:
        for eq in (s.equation, *s.details):
            if eq.lhs == lhs:
                return eq.value
    raise AssertionError(f"no step computes {lhs}")


def test_mazur_forward(mazur):
    f = forward(mazur.network, mazur.example_x)
    close(f.zs[0][0, 0], "0.3775")
    close(f.activations[1][0, 0], "0.593269992")
    close(f.activations[1][0, 1], "0.596884378")
    close(f.zs[1][0, 0], "1.105905967")
    close(f.activations[2][0, 0], "0.75136507")
    close(f.activations[2][0, 1], "0.772928465")


def test_mazur_errors(mazur_trace):
    close(mazur_trace.errors[0], "0.274811083")
    close(mazur_trace.errors[1], "0.023560026")
    close(mazur_trace.total_error, "0.298371109")


def test_mazur_backward_output_layer(mazur_trace):
    t = mazur_trace
    close(_step_value(t, "∂E_total/∂out_o1"), "0.74136507")
    close(_step_value(t, "∂out_o1/∂net_o1"), "0.186815602")
    close(_step_value(t, "∂net_o1/∂w5"), "0.593269992")
    close(_step_value(t, "∂E_total/∂w5"), "0.082167041")
    close(_step_value(t, "δ_o1"), "0.138498562")


def test_mazur_backward_hidden_layer(mazur_trace):
    t = mazur_trace
    d_o1, d_o2 = t.grads[1].delta[0]
    w5, w7 = t.net_before.weights[1][0, 0], t.net_before.weights[1][1, 0]
    close(d_o1 * w5, "0.055399425")
    close(d_o2 * w7, "-0.019049119")
    close(_step_value(t, "∂E_total/∂out_h1"), "0.036350306")
    close(_step_value(t, "∂out_h1/∂net_h1"), "0.241300709")
    close(_step_value(t, "∂E_total/∂w1"), "0.000438568")


def test_mazur_updates(mazur_trace):
    w = mazur_trace.net_after.weights
    for value, printed in zip(w[1].ravel(), ["0.35891648", "0.408666186", "0.511301270",
                                            "0.561370121"]):
        close(value, printed)
    for value, printed in zip(w[0].ravel(), ["0.149780716", "0.19956143", "0.24975114",
                                            "0.29950229"]):
        close(value, printed)
    # biases are not updated in this example
    assert np.array_equal(mazur_trace.net_after.biases[0], [0.35, 0.35])
    assert np.array_equal(mazur_trace.net_after.biases[1], [0.6, 0.6])


def test_mazur_error_after_one_and_10000_updates(mazur):
    net = mazur.network.copy()
    loss = get_loss("half_sse")
    x, y = mazur.example_x.reshape(1, -1), mazur.example_y.reshape(1, -1)
    cfg = TrainConfig(eta=0.5, freeze_biases=True)
    train_step(net, x, y, loss, cfg)
    # the notes print 0.291027924 (a rounded intermediate); exact arithmetic gives 0.291027774
    close(loss.value(predict(net, x), y), "0.291027774")
    assert abs(loss.value(predict(net, x), y) - 0.291027924) < 1e-6
    for _ in range(9999):
        train_step(net, x, y, loss, cfg)
    out = predict(net, x)[0]
    assert abs(loss.value(predict(net, x), y) - 0.0000351085) < 1e-5
    close(loss.value(predict(net, x), y), "0.0000351019")
    assert abs(out[0] - 0.015912196) < 1e-5 and abs(out[1] - 0.984065734) < 1e-5
    close(out[0], "0.01591362")
    close(out[1], "0.98406427")


def test_mazur_with_trained_biases(mazur):
    loss = get_loss("half_sse")
    x, y = mazur.example_x.reshape(1, -1), mazur.example_y.reshape(1, -1)
    # The reference figure trains each neuron's bias by its own delta (they start equal).
    net = mazur.network.copy()
    net.shared_bias = [False, False]
    train_step(net, x, y, loss, TrainConfig(eta=0.5, freeze_biases=False))
    close(loss.value(predict(net, x), y), "0.280471447")
    # A truly shared bias moves by the sum of its neurons' deltas and stays shared.
    shared = mazur.network.copy()
    train_step(shared, x, y, loss, TrainConfig(eta=0.5, freeze_biases=False))
    assert shared.biases[0][0] == shared.biases[0][1]
    assert shared.biases[1][0] == shared.biases[1][1]
    d = forward(mazur.network, x)
    g = backward(mazur.network, d, y, loss)
    assert np.isclose(0.6 - shared.biases[1][0], 0.5 * g[1].delta.sum())


def test_linear_2_2_1():
    lesson = load_lesson("linear-2-2-1")
    net = lesson.network
    f = forward(net, lesson.example_x)
    close(f.activations[1][0, 0], "0.85")
    close(f.activations[1][0, 1], "0.48")
    close(f.output[0, 0], "0.191")
    g = backward(net, f, lesson.example_y, get_loss(lesson.loss))
    close(g[1].delta[0, 0], "-0.809")
    after = net.copy()
    train_step(after, lesson.example_x.reshape(1, -1), lesson.example_y.reshape(1, -1),
               get_loss(lesson.loss), lesson.train)
    w5, w6 = after.weights[1][0]
    (w1, w2), (w3, w4) = after.weights[0]
    # rounded to two decimals, as the notes print them
    assert [round(v, 2) for v in (w5, w6, w1, w3, w2, w4)] == [0.17, 0.17, 0.12, 0.13, 0.23, 0.10]
    # and the exact values of the reference sheet
    for v, printed in zip((w5, w6, w1, w3, w2, w4),
                          ("0.1743825", "0.169416", "0.121326", "0.132135", "0.226989",
                           "0.0982025")):
        close(v, printed)


def test_step_network():
    lesson = load_lesson("step-network")
    f = forward(lesson.network, lesson.example_x)
    assert f.zs[0][0].tolist() == [2.0, 1.0]          # v3, v4
    assert f.activations[1][0].tolist() == [1.0, 1.0]  # y3, y4
    assert f.zs[1][0, 0] == 1.0 and f.output[0, 0] == 1.0  # v5, y5


@pytest.mark.parametrize("name,table", [("perceptron-nand", [1, 1, 1, 0]),
                                        ("perceptron-and", [0, 0, 0, 1]),
                                        ("perceptron-or", [0, 1, 1, 1])])
def test_perceptron_gates_both_conventions(name, table):
    lesson = load_lesson(name)
    x, y = lesson.dataset()
    assert y.ravel().tolist() == table
    assert predict(lesson.network, x).ravel().tolist() == table  # w.x + b > 0 (002)
    net = lesson.network.copy()
    net.activations = [get_activation("step")]  # w.x + b >= 0 (003)
    assert predict(net, x).ravel().tolist() == table


def test_xor_mlp():
    lesson = load_lesson("xor-mlp")
    x, y = lesson.dataset()
    out = predict(lesson.network, x).ravel()
    assert np.round(out).tolist() == [0, 1, 1, 0] == y.ravel().tolist()
    h = forward(lesson.network, x).activations[1]
    assert np.round(h[:, 0]).tolist() == [0, 1, 1, 1]   # OR
    assert np.round(h[:, 1]).tolist() == [1, 1, 1, 0]   # NAND


def _sigmoid_neuron_run(epochs):
    lesson = load_lesson("sigmoid-neuron")
    net = lesson.network.copy()
    x, y = lesson.dataset()
    loss = get_loss(lesson.loss)
    errors = [loss.value(predict(net, x), y)]
    for _ in range(epochs):
        train_step(net, x, y, loss, lesson.train)
        errors.append(loss.value(predict(net, x), y))
    return net, errors


def test_sigmoid_neuron_gradient_descent():
    lesson = load_lesson("sigmoid-neuron")
    assert lesson.train.eta == 1.0 and lesson.train.batch_size is None
    net, errors = _sigmoid_neuron_run(1000)
    close(errors[0], "0.4158199010")
    close(errors[1], "0.4157298551")
    close(errors[100], "0.0177410096")
    assert abs(errors[1000] - 2.43e-11) < 0.01e-11
    close(net.weights[0][0, 0], "1.7917198301")
    close(net.biases[0][0], "-2.2821180729")
    net1, _ = _sigmoid_neuron_run(1)
    close(net1.weights[0][0, 0], "-1.9945076808")
    close(net1.biases[0][0], "-1.9922888408")
    net100, _ = _sigmoid_neuron_run(100)
    close(net100.weights[0][0, 0], "1.0029902114")
    close(net100.biases[0][0], "-1.0507858881")
    # the exact minimum of the reference sheet
    w_star = (np.log(9) - np.log(0.25)) / 2
    close(w_star, "1.7917595")
    close(np.log(0.25) - w_star / 2, "-2.2821741")
    assert abs(net.weights[0][0, 0] - w_star) < 1e-4


def test_relu_approximation():
    lesson = load_lesson("relu-approximation")
    w = np.array([-5, -1.2, 1.2, 1.2, 2, 5])
    b = np.array([-7.7, -1.3, 1, -0.2, -1.1, -5])
    c = np.array([-1, -1, -1, 1, 1, 1])
    xs = np.linspace(-3, 3, 61).reshape(-1, 1)
    out = predict(lesson.network, xs).ravel()
    expected = (c * np.maximum(w * xs + b, 0)).sum(axis=1)
    np.testing.assert_allclose(out, expected, rtol=0, atol=1e-12)
    lin = lesson.network.copy()
    lin.activations[0] = get_activation("linear")
    lout = predict(lin, xs).ravel()
    np.testing.assert_allclose(lout, (c * (w * xs + b)).sum(axis=1), atol=1e-12)
    assert np.allclose(np.diff(lout, 2), 0, atol=1e-9)  # a straight line


def test_keras_lab_network():
    lesson = load_lesson("keras-lab")
    assert lesson.network.sizes == [64, 32, 64, 10]
    assert [a.name for a in lesson.network.activations] == ["relu", "relu", "softmax"]
    assert lesson.loss == "cross_entropy" and lesson.train.dropout == 0.5
    assert all(np.abs(w).max() <= 0.05 for w in lesson.network.weights)  # uniform init
    x, y = lesson.dataset()
    assert x.shape == (1797, 64) and y.shape == (1797, 10)
