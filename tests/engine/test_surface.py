"""Error surfaces: batched grids equal direct loss evaluations; descent paths; planes."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine.core.losses import get_loss
from nnviz.engine.core.network import Network, cost
from nnviz.engine.labs import planes as P
from nnviz.engine.labs import surface as S
from nnviz.engine.teaching.lessons import load_lesson, parse_lesson


def _setup(name):
    lesson = load_lesson(name)
    x, y = lesson.dataset()
    return lesson, lesson.network.copy(), x, y, get_loss(lesson.loss)


def _direct(net, x, y, loss, settings):
    n = net.copy()
    for ref, v in settings:
        ref.set(n, v)
    return cost(n, x, y, loss)


@pytest.mark.parametrize("name", ["sigmoid-neuron", "mazur-2-2-2", "xor-mlp", "linear-2-2-1",
                                  "learning-slowdown"])
def test_grid_equals_direct_loss_at_sampled_points(name):
    lesson, net, x, y, loss = _setup(name)
    refs = S.all_params(net)
    rng = np.random.default_rng(1)
    pairs = [(refs[0], refs[-1]), (refs[-1], refs[0])]
    if len(refs) > 2:
        pairs.append(tuple(rng.choice(len(refs), 2, replace=False)))
        pairs[-1] = (refs[pairs[-1][0]], refs[pairs[-1][1]])
    xs = np.linspace(-3.7, 2.9, 23)
    ys = np.linspace(-1.3, 4.1, 19)
    for px, py in pairs:
        z = S.loss_grid(net, x, y, loss, px, py, xs, ys)
        assert z.shape == (19, 23)
        for i, j in zip(rng.integers(0, 19, 12), rng.integers(0, 23, 12)):
            want = _direct(net, x, y, loss, [(px, xs[j]), (py, ys[i])])
            assert abs(z[i, j] - want) <= 1e-12, (name, px, py, i, j)
        sl = S.loss_slice(net, x, y, loss, px, xs)
        for j in (0, 7, 22):
            assert abs(sl[j] - _direct(net, x, y, loss, [(px, xs[j])])) <= 1e-12


def test_grid_with_a_shared_bias_varies_the_whole_layer():
    lesson, net, x, y, loss = _setup("mazur-2-2-2")
    assert net.shared_bias[0]
    bias = next(r for r in S.all_params(net) if r.kind == "b" and r.layer == 0)
    w = S.all_params(net)[0]
    z = S.loss_grid(net, x, y, loss, w, bias, [0.1, 0.2], [0.0, 0.7])
    n = net.copy()
    n.weights[0][0, 0] = 0.2
    n.biases[0][:] = 0.7
    assert abs(z[1, 1] - cost(n, x, y, loss)) <= 1e-12


def test_chunked_grid_equals_one_chunk(monkeypatch):
    lesson, net, x, y, loss = _setup("xor-mlp")
    px, py = S.default_pair(net)
    xs = ys = np.linspace(-2, 2, 31)
    whole = S.loss_grid(net, x, y, loss, px, py, xs, ys)
    monkeypatch.setattr(S, "MAX_CHUNK", 7)
    seen = []
    chunked = S.loss_grid(net, x, y, loss, px, py, xs, ys, lambda d, t: seen.append(d) or True)
    assert np.array_equal(whole, chunked)
    assert len(seen) == int(np.ceil(31 * 31 / 7)) and seen[-1] == 31 * 31


def test_progress_false_cancels():
    lesson, net, x, y, loss = _setup("sigmoid-neuron")
    px, py = S.default_pair(net)
    with pytest.raises(S.Cancelled):
        S.loss_grid(net, x, y, loss, px, py, np.zeros(5), np.zeros(5), lambda d, t: False)


def test_plane_grid_equals_direct_loss():
    lesson, net, x, y, loss = _setup("xor-mlp")
    rng = np.random.default_rng(3)
    d1 = P.filter_normalised_direction(net, rng)
    d2 = P.filter_normalised_direction(net, rng)
    theta = net.get_params()
    a = np.linspace(-1, 1, 11)
    z = P.plane_grid(net, x, y, loss, theta, d1, d2, a, a)
    for i, j in [(0, 0), (3, 8), (10, 10), (5, 5)]:
        n = net.copy()
        n.set_params(theta + a[j] * d1 + a[i] * d2)
        assert abs(z[i, j] - cost(n, x, y, loss)) <= 1e-12
    assert abs(z[5, 5] - cost(net, x, y, loss)) <= 1e-12


def test_filter_normalised_direction_matches_each_neurons_norm():
    lesson, net, x, y, loss = _setup("xor-mlp")
    d = P.filter_normalised_direction(net, np.random.default_rng(0))
    dn = net.copy()
    dn.set_params(d)
    for w, dw, b in zip(net.weights, dn.weights, dn.biases):
        np.testing.assert_allclose(np.linalg.norm(dw, axis=1), np.linalg.norm(w, axis=1),
                                   rtol=1e-12)
        assert not np.allclose(dw, w) and np.all(b == 0)
    again = P.filter_normalised_direction(net, np.random.default_rng(0))
    assert np.array_equal(d, again)


def test_pca_plane_recovers_a_planar_trajectory():
    rng = np.random.default_rng(0)
    u, v = rng.standard_normal(6), rng.standard_normal(6)
    t = np.linspace(0, 1, 40)
    traj = 1.5 + np.outer(np.cos(3 * t), u) + np.outer(t ** 2, v)
    plane = P.pca_plane(traj)
    back = plane.origin + plane.coords[:, :1] * plane.d1 + plane.coords[:, 1:] * plane.d2
    np.testing.assert_allclose(back, traj, atol=1e-10)
    assert abs(plane.explained.sum() - 1) < 1e-12
    np.testing.assert_allclose(plane.coords[-1], [0, 0], atol=1e-12)
    with pytest.raises(ValueError):
        P.pca_plane(traj[:2])


def test_sigmoid_neuron_path_matches_reference():
    lesson, net, x, y, loss = _setup("sigmoid-neuron")
    thetas, costs = S.descent_path(net, x, y, loss, lesson.train.eta, 1000)
    assert thetas.shape == (1001, 2)
    assert f"{thetas[-1, 0]:.10f}" == "1.7917198301"
    assert f"{thetas[-1, 1]:.10f}" == "-2.2821180729"
    assert f"{thetas[1, 0]:.10f}" == "-1.9945076808"
    assert f"{costs[0]:.10f}" == "0.4158199010"
    assert f"{costs[100]:.10f}" == "0.0177410096"
    # with two parameters "only these two" is plain gradient descent
    only, _ = S.descent_path(net, x, y, loss, 1.0, 1000, S.default_pair(net))
    assert np.array_equal(only, thetas)


def test_only_two_moves_only_those_two():
    lesson, net, x, y, loss = _setup("mazur-2-2-2")
    refs = S.all_params(net)
    pick = (refs[1], refs[5])
    thetas, _ = S.descent_path(net, x, y, loss, 0.5, 20, pick)
    moved = np.flatnonzero(np.any(thetas != thetas[0], axis=0))
    assert moved.tolist() == [1, 5]
    free, _ = S.descent_path(net, x, y, loss, 0.5, 20)
    assert np.count_nonzero(np.any(free != free[0], axis=0)) > 2


def test_learning_slowdown_quadratic_stalls_cross_entropy_does_not():
    lesson = load_lesson("learning-slowdown")
    x, y = lesson.dataset()
    net = lesson.network
    assert (net.weights[0][0, 0], net.biases[0][0], lesson.train.eta) == (2, 2, 0.15)
    quad, _ = S.descent_path(net, x, y, get_loss("half_sse"), lesson.train.eta, 100)
    ce, _ = S.descent_path(net, x, y, get_loss("binary_cross_entropy"), lesson.train.eta, 100)
    a_quad = neuron_outputs(net, x, quad)[:, 0, 0]
    a_ce = neuron_outputs(net, x, ce)[:, 0, 0]
    assert a_quad[100] > 0.9 and a_ce[100] < 0.1
    assert np.all(a_quad[1:] > a_ce[1:])  # the quadratic one stays further from target 0
    np.testing.assert_allclose(a_quad[100], cost_output(net, x, quad[100]), rtol=1e-14)


def neuron_outputs(net: Network, x, thetas):
    """The network's outputs (T, n, n_out) for each flat parameter vector of (T, P)."""
    weights, biases = S.unflatten_batch(net, np.asarray(thetas, dtype=np.float64))
    a = np.asarray(x, dtype=np.float64)
    for l in range(net.n_layers):
        z = a @ np.swapaxes(weights[l], -1, -2)
        if net.use_bias[l]:
            b = biases[l]
            z = z + (b[:, None, :] if b.ndim == 2 else b)
        a = net.activations[l].fn(z)
    return a


def cost_output(net, x, theta):
    from nnviz.engine.core.network import predict

    n = net.copy()
    n.set_params(theta)
    return predict(n, x)[0, 0]


def test_param_refs_validate_and_name():
    lesson, net, x, y, loss = _setup("mazur-2-2-2")
    names = [r.name(lesson.naming) for r in S.all_params(net)]
    assert names[:4] == ["w1", "w2", "w3", "w4"] and "b1" in names and "w8" in names
    assert len(names) == net.n_params()
    assert not S.ParamRef("w", 5, 0, 0).valid_for(net)
    assert not S.ParamRef("b", 0, 1).valid_for(net)  # shared bias: one entry
    nobias = parse_lesson({"format": "nnviz-lesson", "version": 1, "name": "t", "title": "t",
                           "network": {"sizes": [1, 1], "layers": [
                               {"activation": "linear", "weights": [[1]], "bias": None}]},
                           "example": {"input": [1], "target": [1]}})
    assert [r.kind for r in S.all_params(nobias.network)] == ["w"]


def test_default_pair_lists_one_layer_only():
    from nnviz.engine.core.activations import get_activation

    rng = np.random.default_rng(0)
    big = Network.create([784, 100, 10], "sigmoid", rng)
    px, py = S.default_pair(big)
    assert (px, py) == (S.ParamRef("w", 1, 0, 0), S.ParamRef("b", 1, 0))
    small = Network.create([1, 1, 1], "sigmoid", rng)
    small.use_bias[0] = False
    small.activations[0] = get_activation("tanh")
    px, py = S.default_pair(small)
    assert px != py and (px, py) == tuple(S.all_params(small)[:2])
