"""Batch normalisation against its formulas and central finite differences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz.engine.core.batchnorm import BatchNorm


def _bn(m, rng):
    return BatchNorm(rng.normal(size=m) + 1.0, rng.normal(size=m), rng.normal(size=m),
                     rng.uniform(0.5, 2.0, size=m))


def test_training_forward_follows_the_formulas():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(7, 3)) * 3 + 2
    bn = _bn(3, rng)
    rm, rv = bn.running_mean.copy(), bn.running_var.copy()
    y, cache = bn.forward(z, training=True)
    for j in range(3):
        col = z[:, j]
        mu = sum(col) / 7
        var = sum((v - mu) ** 2 for v in col) / 7
        x_hat = [(v - mu) / np.sqrt(var + 1e-5) for v in col]
        np.testing.assert_allclose(y[:, j], [bn.gamma[j] * h + bn.beta[j] for h in x_hat],
                                   rtol=1e-12)
        assert cache.mu[j] == pytest.approx(mu) and cache.var[j] == pytest.approx(var)
        assert bn.running_mean[j] == pytest.approx(0.9 * rm[j] + 0.1 * mu)
        assert bn.running_var[j] == pytest.approx(0.9 * rv[j] + 0.1 * var * 7 / 6)
    # x_hat has mean 0 and variance 1 (up to eps) in the batch
    np.testing.assert_allclose(cache.x_hat.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(cache.x_hat.var(axis=0), 1, rtol=1e-5)


def test_test_time_uses_the_running_averages_and_changes_nothing():
    rng = np.random.default_rng(1)
    bn = _bn(2, rng)
    before = bn.copy()
    z = rng.normal(size=(4, 2))
    y, _ = bn.forward(z, training=False)
    np.testing.assert_allclose(
        y, before.gamma * (z - before.running_mean) / np.sqrt(before.running_var + 1e-5)
        + before.beta, rtol=1e-13)
    assert bn.equals(before)


@pytest.mark.parametrize("training", [True, False])
def test_backward_matches_central_differences(training):
    rng = np.random.default_rng(2)
    n, m = 6, 4
    z = rng.normal(size=(n, m))
    bn = _bn(m, rng)
    w = rng.normal(size=(n, m))   # C = sum(w * y): dC/dy = w

    def cost(zz, gamma=None, beta=None):
        b = bn.copy()
        if gamma is not None:
            b.gamma = gamma
        if beta is not None:
            b.beta = beta
        return float(np.sum(w * b.forward(zz, training, update=False)[0]))

    _, cache = bn.copy().forward(z, training, update=False)
    dz, dgamma, dbeta = bn.backward(w, cache)
    h = 1e-6
    num = np.zeros_like(z)
    for i in range(n):
        for j in range(m):
            e = np.zeros_like(z)
            e[i, j] = h
            num[i, j] = (cost(z + e) - cost(z - e)) / (2 * h)
    np.testing.assert_allclose(dz, num, rtol=1e-6, atol=1e-8)
    for j in range(m):
        e = np.zeros(m)
        e[j] = h
        assert dgamma[j] == pytest.approx((cost(z, gamma=bn.gamma + e)
                                           - cost(z, gamma=bn.gamma - e)) / (2 * h), rel=1e-6)
        assert dbeta[j] == pytest.approx((cost(z, beta=bn.beta + e)
                                          - cost(z, beta=bn.beta - e)) / (2 * h), rel=1e-6)
    if training:  # the batch mean is removed: a shift of every z changes nothing
        np.testing.assert_allclose(dz.sum(axis=0), 0, atol=1e-12)


@pytest.mark.parametrize("bad", [dict(eps=0.0), dict(momentum=1.0), dict(eps=float("nan"))])
def test_bad_settings_are_refused(bad):
    with pytest.raises(ValueError):
        BatchNorm(np.ones(2), np.zeros(2), np.zeros(2), np.ones(2), **bad)
    with pytest.raises(ValueError):
        BatchNorm(np.ones(2), np.zeros(3), np.zeros(2), np.ones(2))


def _bn_net(seed=0, sizes=(2, 5, 4, 1)):
    from nnviz.engine.core.network import Network

    rng = np.random.default_rng(seed)
    net = Network.create(list(sizes), "sigmoid", rng, init="normal")
    net.norms = [_bn(s, rng) for s in sizes[1:-1]] + [None]
    return net


def test_the_network_gradients_with_batch_norm_match_central_differences():
    from nnviz.engine.core.losses import get_loss
    from nnviz.engine.core.network import backward, forward

    net = _bn_net()
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(8, 2)), rng.uniform(size=(8, 1))
    loss = get_loss("mse")

    def cost(n):
        return loss.value(forward(n.copy(), x, training=True).output, y)

    grads = backward(net, forward(net.copy(), x, training=True), y, loss)
    h = 1e-6
    for l in range(net.n_layers):
        pairs = [("weights", None, grads[l].dw), ("biases", None, grads[l].db)]
        if net.norms[l]:
            pairs += [("norms", "gamma", grads[l].dgamma), ("norms", "beta", grads[l].dbeta)]
        for attr, sub, g in pairs:
            def arr(n, attr=attr, sub=sub, l=l):
                a = getattr(n, attr)[l]
                return getattr(a, sub) if sub else a
            for idx in np.ndindex(arr(net).shape):
                p, m = net.copy(), net.copy()
                arr(p)[idx] += h
                arr(m)[idx] -= h
                assert g[idx] == pytest.approx((cost(p) - cost(m)) / (2 * h), rel=1e-5, abs=1e-9)
    assert grads[-1].dgamma is None and grads[0].dgamma is not None


def test_a_training_step_moves_gamma_and_beta_by_the_optimiser_and_updates_running_averages():
    from nnviz.engine.core.losses import get_loss
    from nnviz.engine.core.network import backward, forward
    from nnviz.engine.learning.training import OptimizerState, TrainConfig, train_step

    net = _bn_net(1)
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=(10, 2)), rng.uniform(size=(10, 1))
    ref = net.copy()
    g = backward(ref, forward(ref.copy(), x, training=True), y, get_loss("mse"))
    rm = ref.norms[0].running_mean.copy()
    train_step(net, x, y, get_loss("mse"), TrainConfig(eta=0.3), OptimizerState())
    np.testing.assert_allclose(net.norms[0].gamma, ref.norms[0].gamma - 0.3 * g[0].dgamma)
    np.testing.assert_allclose(net.norms[1].beta, ref.norms[1].beta - 0.3 * g[1].dbeta)
    np.testing.assert_allclose(net.weights[0], ref.weights[0] - 0.3 * g[0].dw)
    z0 = x @ ref.weights[0].T + ref.biases[0]
    np.testing.assert_allclose(net.norms[0].running_mean, 0.9 * rm + 0.1 * z0.mean(axis=0))
    # the fast trainer takes the same step (tests/engine/test_fast_norm.py in depth)
    from nnviz.engine.learning.fast import FastTrainer

    fast = ref.copy()
    t = FastTrainer(fast, get_loss("mse"), TrainConfig(eta=0.3))
    assert t.fast
    t.train_batch(x, y)
    np.testing.assert_allclose(fast.norms[0].gamma, net.norms[0].gamma, rtol=0, atol=1e-14)
    np.testing.assert_allclose(fast.norms[0].running_mean, net.norms[0].running_mean,
                               rtol=0, atol=1e-14)


def test_copies_and_equality_include_batch_norm():
    net = _bn_net(2)
    c = net.copy()
    assert c.equals(net) and c.norms[0] is not net.norms[0]
    c.norms[1].beta[0] += 1e-12
    assert not c.equals(net)
    from nnviz.engine.core.network import Network

    with pytest.raises(ValueError):
        Network(net.weights, net.biases, net.activations,
                norms=[None, None, _bn(1, np.random.default_rng(0))])


def test_batch_norm_is_saved_exactly_and_validated_on_open():
    import json

    from nnviz.engine.files.network_io import network_from_dict, network_to_dict
    from nnviz.engine.files.validate import FormatError

    net = _bn_net(3)
    d = json.loads(json.dumps(network_to_dict(net)))
    assert network_from_dict(d).equals(net)
    assert "batch_norm" not in d["layers"][-1]
    for mutate in (lambda d: d["layers"][0]["batch_norm"].update(gamma=[1.0]),
                   lambda d: d["layers"][0]["batch_norm"].update(running_var=[-1.0] * 5),
                   lambda d: d["layers"][1]["batch_norm"].update(eps=0.0),
                   lambda d: d["layers"][1]["batch_norm"].update(momentum=1.5),
                   lambda d: d["layers"][1]["batch_norm"].update(extra=1),
                   lambda d: d["layers"][2].update(batch_norm={}),
                   lambda d: d["layers"][0].update(batch_norm=[1])):
        bad = json.loads(json.dumps(d))
        mutate(bad)
        with pytest.raises(FormatError):
            network_from_dict(bad)


def test_a_lesson_layer_can_ask_for_batch_norm():
    from nnviz.engine.files.validate import FormatError
    from nnviz.engine.teaching.lessons import parse_lesson

    raw = {"format": "nnviz-lesson", "version": 1, "name": "t", "title": "t",
           "network": {"sizes": [2, 3, 1], "layers": [
               {"activation": "sigmoid", "batch_norm": True}, {"activation": "sigmoid"}]},
           "example": {"input": [0, 1], "target": [1]}}
    net = parse_lesson(raw).network
    assert net.norms[0] is not None and np.array_equal(net.norms[0].gamma, np.ones(3))
    raw["network"]["layers"][1]["batch_norm"] = True
    with pytest.raises(FormatError):
        parse_lesson(raw)


_hostile = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                     st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=5),
                     st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=6))


@settings(max_examples=150, deadline=None)
@given(layer=st.integers(0, 2), key=st.sampled_from(
    ["gamma", "beta", "running_mean", "running_var", "eps", "momentum", "other"]),
    value=_hostile)
def test_hostile_batch_norm_values_in_a_workspace_are_refused_or_valid(layer, key, value):
    import json

    from nnviz.engine.files.network_io import network_from_dict, network_to_dict
    from nnviz.engine.files.validate import FormatError

    d = json.loads(json.dumps(network_to_dict(_bn_net(4))))
    bn = d["layers"][layer].setdefault("batch_norm", {})
    bn[key] = value
    try:
        net = network_from_dict(d)
    except (FormatError, ValueError):
        return
    for b in net.norms:
        if b is not None:
            assert all(np.isfinite(a).all() for a in (b.gamma, b.beta, b.running_mean,
                                                      b.running_var))
            assert (b.running_var >= 0).all() and 0 < b.eps <= 1 and 0 <= b.momentum < 1
    assert net.norms[-1] is None
