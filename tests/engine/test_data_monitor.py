"""Data sets, CSV, training on every generator, the digits, gradient health, history."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine.core.losses import get_loss
from nnviz.engine.core.network import Network, cost, forward
from nnviz.engine.files.validate import FormatError
from nnviz.engine.learning.monitor import (
    History,
    accuracy,
    evaluate,
    explain_blowup,
    gradient_health,
)
from nnviz.engine.learning.training import OptimizerState, TrainConfig, train_epoch
from nnviz.engine.sets.csvio import CsvError, from_csv, to_csv
from nnviz.engine.sets.data import (
    DataSpec,
    make_dataset,
    nearest,
    spec_from_settings,
    split_mask,
    with_point,
    without_point,
)


def _train(net, ds, loss, cfg, epochs, seed=0):
    rng, st = np.random.default_rng(seed), OptimizerState()
    for _ in range(epochs):
        train_epoch(net, ds.x_train, ds.y_train, loss, cfg, st, rng)


@pytest.mark.parametrize("kind,classes", [("circle", 2), ("xor", 2), ("gaussians", 2),
                                          ("spiral", 2), ("spiral", 3), ("gaussians", 4)])
def test_training_lowers_the_loss_on_every_generator(kind, classes):
    n_out = 1 if classes == 2 else classes
    out = "sigmoid" if n_out == 1 else "softmax"
    loss = get_loss("binary_cross_entropy" if n_out == 1 else "cross_entropy")
    net = Network.create([2, 8, 8, n_out], "tanh", np.random.default_rng(1), "xavier",
                         output_activation=out)
    ds = make_dataset(DataSpec(kind, 200, 0.1, 0.5, 3, classes), 2, n_out, out)
    before = cost(net, ds.x_train, ds.y_train, loss)
    _train(net, ds, loss, TrainConfig(eta=0.1, batch_size=10, momentum=0.5), 30)
    after = cost(net, ds.x_train, ds.y_train, loss)
    assert after < 0.9 * before


def test_xor_gate_is_solved():
    net = Network.create([2, 4, 1], "tanh", np.random.default_rng(0), "xavier",
                         output_activation="sigmoid")
    ds = make_dataset(DataSpec("gate", gate="XOR"), 2, 1, "sigmoid")
    assert not ds.test.any()  # four corners: no test split
    _train(net, ds, get_loss("binary_cross_entropy"), TrainConfig(eta=1.0), 1500)
    assert accuracy(net, ds.x, ds.labels, 0.5) == 1.0
    out = net.weights  # the outputs are near the targets, not just on the right side
    pred = (ds.x @ out[0].T + net.biases[0])
    assert pred.shape == (4, 4)
    from nnviz.engine.core.network import predict

    assert np.all(np.abs(predict(net, ds.x)[:, 0] - ds.y[:, 0]) < 0.2)


def test_digits_64_30_10_reaches_90_percent():
    net = Network.create([64, 30, 10], "sigmoid", np.random.default_rng(0), "xavier",
                         output_activation="softmax")
    ds = make_dataset(DataSpec("digits", split=0.5, seed=0), 64, 10, "softmax")
    assert len(ds.x) == 1797 and abs(ds.test.mean() - 0.5) < 0.01
    loss = get_loss("cross_entropy")
    _, acc0 = evaluate(net, ds.x_test, ds.y_test, ds.labels_of(True), loss)
    _train(net, ds, loss, TrainConfig(eta=0.5, batch_size=10), 10)
    _, acc = evaluate(net, ds.x_test, ds.y_test, ds.labels_of(True), loss)
    assert acc0 < 0.5 and acc >= 0.90


def test_gradient_bars_of_a_deep_sigmoid_network_fall_towards_the_input():
    net = Network.create([2, 8, 8, 8, 8, 8, 1], "sigmoid", np.random.default_rng(0), "xavier")
    ds = make_dataset(DataSpec("circle", 300, 0.0, 0.5, 0), 2, 1, "sigmoid")
    h = gradient_health(net, ds.x_train, ds.y_train, get_loss("binary_cross_entropy"))
    assert len(h.delta) == 6
    assert np.all(np.diff(h.delta) > 0)  # layer 1 (input side) smallest ... output largest
    assert h.delta[0] < 1e-2 * h.delta[-1]
    relu = Network.create([2, 8, 8, 8, 8, 8, 1], "relu", np.random.default_rng(0), "he",
                          output_activation="sigmoid")
    hr = gradient_health(relu, ds.x_train, ds.y_train, get_loss("binary_cross_entropy"))
    assert hr.delta[0] > 10 * h.delta[0]


def test_split_fraction_and_tiny_sets():
    m = split_mask(400, 0.1, 0)
    assert m.sum() == 360
    assert not split_mask(4, 0.5, 0).any()
    a = make_dataset(DataSpec("circle", 100, 0.0, 0.5, 1), 2, 1, "tanh")
    b = make_dataset(DataSpec("circle", 100, 0.0, 0.5, 2), 2, 1, "tanh")
    assert not np.array_equal(a.x, b.x)  # a new seed regenerates
    assert set(np.unique(a.y)) == {-1.0, 1.0}  # tanh output: -1/+1 targets


def test_regression_data_and_noise():
    ds = make_dataset(DataSpec("regression", 50, 0.0, 0.8, 0, goal="sin(2*x)"), 1, 1, "linear")
    assert ds.regression and np.allclose(ds.y[:, 0], np.sin(2 * ds.x[:, 0]))
    noisy = make_dataset(DataSpec("regression", 50, 0.2, 0.8, 0, goal="sin(2*x)"), 1, 1, "linear")
    assert not np.allclose(noisy.y[:, 0], np.sin(2 * noisy.x[:, 0]))
    with pytest.raises(ValueError, match="2-D"):
        make_dataset(DataSpec("spiral"), 1, 1, "linear")


def test_points_added_and_removed():
    ds = make_dataset(DataSpec("xor", 40, 0.0, 0.5, 0), 2, 1, "sigmoid")
    more = with_point(ds, (5.5, 5.5), label=0)
    assert len(more.x) == 41 and more.labels[-1] == 0 and more.y[-1, 0] == 0.0
    assert not more.test[-1]
    i = nearest(more, (5.45, 5.5), 0.3)
    assert i == 40
    assert len(without_point(more, i).x) == 40
    with pytest.raises(ValueError):
        with_point(ds, (0, 0), label=5)


def test_csv_round_trip():
    ds = make_dataset(DataSpec("spiral", 60, 0.1, 0.5, 0, classes=3), 2, 3, "softmax")
    x, labels = from_csv(to_csv(ds.x, ds.labels), 2, 3)
    assert np.array_equal(x, ds.x) and np.array_equal(labels, ds.labels)
    reg = make_dataset(DataSpec("regression", 20, 0.1, 0.5, 0), 1, 1, "linear")
    x, t = from_csv(to_csv(reg.x, None, reg.y), 1, None)
    assert np.array_equal(x, reg.x) and np.array_equal(t, reg.y[:, 0])
    x, labels = from_csv("1,2,1\n3,4,-1\n", 2, 2)  # no header; -1 is class 0
    assert labels.tolist() == [1, 0]


@pytest.mark.parametrize("text,line,words", [
    ("x1,x2,label\n1,2,1\n3,4\n", 3, "2 values"),
    ("x1,x2,label\n1,2,1\n3,abc,0\n", 3, "not a number"),
    ("1,2,1\n1,2,7\n", 2, "not a class"),
    ("1,2,1\n1,2,0.5\n", 2, "whole number"),
    ("1,2,1\n1,nan,0\n", 2, "not finite"),
    ("x1,label\n1,2\n", 1, "header"),
])
def test_bad_csv_names_the_line(text, line, words):
    with pytest.raises(CsvError) as e:
        from_csv(text, 2, 2)
    assert f"line {line}" in str(e.value) and words in str(e.value)


def test_empty_csv_is_refused():
    with pytest.raises(CsvError, match="no data"):
        from_csv("x1,x2,label\n", 2, 2)


def test_settings_are_validated():
    spec = spec_from_settings({"dataset": "circle", "noise": 0.4, "split": 0.1}, {})
    assert spec.source == "circle" and spec.split == 0.1
    with pytest.raises(FormatError, match="settings.split"):
        spec_from_settings({"split": 0.95}, {})
    with pytest.raises(FormatError, match="settings.dataset"):
        spec_from_settings({"dataset": "moons"}, {})
    with pytest.raises(FormatError, match="settings.goal"):
        spec_from_settings({"dataset": "regression", "goal": "__import__('os')"}, {})


def _plain_grid(net, lo, hi, res):
    """Every neuron over the grid by the plain forward pass (the reference)."""
    from nnviz.engine.core.network import forward

    xs = np.linspace(lo, hi, res)
    gx, gy = np.meshgrid(xs, xs)
    acts = forward(net, np.stack([gx.ravel(), gy.ravel()], axis=1)).activations[1:]
    return xs, [a.reshape(res, res, -1) for a in acts]


def test_decision_grid_is_one_batched_pass_over_every_neuron():
    from nnviz.engine.learning.monitor import GridEvaluator

    net = Network.create([2, 3, 4, 1], "tanh", np.random.default_rng(0))
    g = GridEvaluator()(net, -6, 6, 100)
    assert g.output.shape == (100, 100, 1)
    assert [h.shape for h in g.hidden] == [(100, 100, 3), (100, 100, 4)]
    from nnviz.engine.core.network import predict

    assert np.allclose(g.output[10, 20], predict(net, [g.xs[20], g.ys[10]]))


@pytest.mark.parametrize("acts", [["tanh", "tanh", "tanh"], ["relu", "sigmoid", "softmax"],
                                  ["linear", "elu", "sigmoid"]])
def test_grid_evaluator_gives_the_plain_forward_pass(acts):
    from nnviz.engine.core.activations import get_activation
    from nnviz.engine.learning.monitor import GridEvaluator

    rng = np.random.default_rng(3)
    ev = GridEvaluator()
    for sizes in ([2, 5, 4, 3], [2, 5, 4, 3], [2, 7, 2, 3]):  # reuse, then new buffers
        net = Network.create(sizes, "tanh", rng)
        net.activations = [get_activation(a) for a in acts]
        net.biases[1] += rng.normal(size=net.biases[1].shape)
        xs, want = _plain_grid(net, -6, 6, 40)
        got = ev(net, -6, 6, 40)
        assert np.allclose(got.output, want[-1], rtol=1e-12, atol=1e-14)
        assert all(np.allclose(g, w, rtol=1e-12, atol=1e-14)
                   for g, w in zip(got.hidden, want[:-1]))
        assert np.array_equal(got.xs, xs) and np.array_equal(got.ys, xs)
    with pytest.raises(ValueError, match="2 inputs"):
        ev(Network.create([3, 2], "tanh", rng))


@pytest.mark.parametrize("acts", [["tanh", "tanh", "tanh"], ["relu", "sigmoid", "softmax"],
                                  ["linear", "elu", "sigmoid"]])
def test_buffered_forward_gives_the_plain_forward_pass(acts):
    from nnviz.engine.core.activations import get_activation
    from nnviz.engine.learning.monitor import BufferedForward

    rng = np.random.default_rng(4)
    fwd = BufferedForward()
    for sizes, n in (([3, 5, 4, 2], 37), ([3, 5, 4, 2], 37), ([2, 6, 3, 3], 11)):
        net = Network.create(sizes, "tanh", rng)
        net.activations = [get_activation(a) for a in acts]
        net.biases[0] += rng.normal(size=net.biases[0].shape)
        x = rng.normal(size=(n, sizes[0]))
        got = fwd(net, x)
        want = forward(net, x).activations[1:]
        assert [g.shape for g in got] == [w.shape for w in want]
        if "tanh" in acts:   # tanh by exp for whole passes: within a few 1e-16 of np.tanh
            assert all(np.allclose(g, w, rtol=0.0, atol=1e-14) for g, w in zip(got, want))
        else:
            assert all(np.array_equal(g, w) for g, w in zip(got, want))


def test_score_parts_equals_evaluate_per_part():
    from nnviz.engine.learning.monitor import evaluate, score_parts

    rng = np.random.default_rng(5)
    net = Network.create([2, 4, 1], "tanh", rng)
    x = rng.normal(size=(30, 2))
    y = np.where(rng.random((30, 1)) > 0.5, 1.0, -1.0)
    labels = (y[:, 0] > 0).astype(int)
    out = forward(net, x).output
    for loss in (get_loss("mse"), get_loss("half_sse")):
        got = score_parts(out, [(20, y[:20], labels[:20]), (10, y[20:], labels[20:])], loss, 0.0)
        assert got == [evaluate(net, x[:20], y[:20], labels[:20], loss, 0.0),
                       evaluate(net, x[20:], y[20:], labels[20:], loss, 0.0)]
        per = loss.sample(out[:20], y[:20])
        assert got[0][0] == float(np.mean(per) if loss.reduction == "mean" else np.sum(per))


def test_history_is_bounded_and_thinned():
    h = History(cap=100)
    e = 0
    while e < 1000:
        e += 1
        if h.wants(e):
            h.append(e, 1.0 / e, 2.0 / e, 0.5, 0.5)
    assert len(h) <= 101 and h.stride > 1
    assert h.epoch == sorted(h.epoch) and h.epoch[-1] > 900


def test_history_arrays_follow_every_change_of_the_record():
    """arrays() copies only what was appended since its last call (a live chart asks at
    every frame): after appends, thinning, the last value re-scored in place, a clear and
    a step back's assign of a copy it still equals the lists as arrays."""
    import copy

    rng = np.random.default_rng(0)
    h, e = History(cap=50), 0
    for step in range(2000):
        r = rng.random()
        if r < 0.6:
            e += 1
            if h.wants(e):
                h.append(e, *rng.random(4))
        elif r < 0.65 and len(h):
            h.train_loss[-1], h.test_acc[-1] = 9.0, 0.25
        elif r < 0.66:
            h.clear()
            e = 0
        elif r < 0.67:
            snap = copy.deepcopy(h)
            assert snap._arrays_seen is None   # snapshots hold the record, not the buffers
            h.assign(snap)
        got = h.arrays()
        for k in ("epoch", "train_loss", "test_loss", "train_acc", "test_acc"):
            assert np.array_equal(got[k], np.asarray(getattr(h, k), dtype=float)), (step, k)
            assert got[k].dtype == np.float64


def test_blowup_is_explained():
    net = Network.create([2, 2, 1], "linear", np.random.default_rng(0))
    assert explain_blowup(1.0, net, 0.5, False) is None
    net.weights[0][0, 0] = np.inf
    msg = explain_blowup(float("nan"), net, 1e6, False)
    assert "learning rate" in msg and "1e+06" in msg and "clipping" in msg


def test_custom_goals_use_the_expression_parser_when_present(monkeypatch):
    import sys
    import types

    from nnviz.engine.sets.data import goal_function

    if not _has_expr():  # without the parser only the built-in goals are offered
        with pytest.raises(ValueError, match="unknown goal"):
            goal_function("x^3")
    fake = types.ModuleType("nnviz.engine.labs.expr")

    class _Expr:
        def evaluate(self, x):
            return np.asarray(x) ** 3

    fake.parse_expression = lambda text: _Expr()
    monkeypatch.setitem(sys.modules, "nnviz.engine.labs.expr", fake)
    ds = make_dataset(DataSpec("regression", 30, 0.0, 0.5, 0, goal="x^3"), 1, 1, "linear")
    assert np.allclose(ds.y[:, 0], ds.x[:, 0] ** 3)
    fake.parse_expression = lambda text: types.SimpleNamespace(evaluate=lambda x: 1 / (x * 0))
    with pytest.raises(ValueError, match="not finite"):
        with np.errstate(all="ignore"):
            make_dataset(DataSpec("regression", 30, 0.0, 0.5, 0, goal="1/0"), 1, 1, "linear")


def _has_expr():
    from nnviz.engine.sets.data import custom_goals_available

    return custom_goals_available()


def test_evaluate_parts_equals_evaluate_per_part():
    from nnviz.engine.core.losses import get_loss
    from nnviz.engine.learning.monitor import evaluate, evaluate_parts

    rng = np.random.default_rng(1)
    net = Network.create([2, 5, 3], "tanh", rng)
    xa, xb = rng.normal(size=(7, 2)), rng.normal(size=(4, 2))
    ya, yb = rng.normal(size=(7, 3)), rng.normal(size=(4, 3))
    la = rng.integers(0, 3, 7)
    loss = get_loss("mse")
    got = evaluate_parts(net, np.concatenate([xa, xb]), [(7, ya, la), (4, yb, None),
                                                         (0, yb[:0], None)], loss)
    assert got[0] == pytest.approx(evaluate(net, xa, ya, la, loss), rel=1e-12)
    assert got[1][0] == pytest.approx(evaluate(net, xb, yb, None, loss)[0], rel=1e-12)
    assert np.isnan(got[1][1])
    assert all(np.isnan(v) for v in got[2])
