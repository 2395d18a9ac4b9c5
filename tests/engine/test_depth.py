"""Initialisers against their distributions; per-layer histograms against NumPy."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine.core.depth import layer_histograms
from nnviz.engine.core.init import INITIALISERS, init_weights
from nnviz.engine.core.network import Network


@pytest.mark.parametrize("init, mean, var", [
    ("uniform", 0.0, lambda n_in, n_out: 0.5 ** 2 / 3),
    ("uniform01", 0.5, lambda n_in, n_out: 1 / 12),
    ("normal", 0.0, lambda n_in, n_out: 1.0),
    ("lecun", 0.0, lambda n_in, n_out: 1 / n_in),
    ("xavier", 0.0, lambda n_in, n_out: 2 / (n_in + n_out)),
    ("he", 0.0, lambda n_in, n_out: 2 / n_in),
])
def test_each_initialiser_draws_its_distribution(init, mean, var):
    n_in, n_out = 400, 300
    (w,) = init_weights([n_in, n_out], init, np.random.default_rng(0))
    assert w.shape == (n_out, n_in)
    assert abs(w.mean() - mean) < 0.01 * max(1.0, np.sqrt(var(n_in, n_out)) * 3)
    assert w.var() == pytest.approx(var(n_in, n_out), rel=0.03)
    (w2,) = init_weights([n_in, n_out], init, np.random.default_rng(0), gain=3.0)
    np.testing.assert_allclose(w2, 3.0 * w, rtol=1e-15)
    if init == "uniform01":
        assert w.min() >= 0.0 and w.max() < 1.0


def test_zeros_bad_names_and_bad_gains():
    assert not init_weights([3, 2], "zeros", np.random.default_rng(0))[0].any()
    assert len(INITIALISERS) == 7
    for bad in ({"init": "glorot"}, {"init": "he", "gain": -1.0}, {"init": "he", "gain": np.nan}):
        with pytest.raises(ValueError):
            init_weights([3, 2], bad["init"], np.random.default_rng(0), gain=bad.get("gain", 1.0))


def test_layer_histograms_count_every_value_and_match_numpy():
    rng = np.random.default_rng(1)
    net = Network.create([3, 5, 4, 2], "sigmoid", rng, init="normal")
    x = rng.normal(size=(50, 3))
    hs = layer_histograms(net, x, bins=10)
    assert [h.layer for h in hs] == [1, 2, 3]
    zs, a = [], x
    for l in range(3):
        zs.append(a @ net.weights[l].T + net.biases[l])
        a = 1 / (1 + np.exp(-zs[-1]))
    a = x
    for l, h in enumerate(hs):
        z = a @ net.weights[l].T + net.biases[l]
        a = 1 / (1 + np.exp(-z))
        assert h.z_counts.sum() == z.size and h.a_counts.sum() == a.size
        assert h.z_std == pytest.approx(z.std()) and h.a_mean == pytest.approx(a.mean())
        assert (h.a_edges[0], h.a_edges[-1]) == (0.0, 1.0)
        assert h.saturated == pytest.approx(np.mean((a < 0.02) | (a > 0.98)))
        span = max(float(np.abs(zz).max()) for zz in zs)
        assert (h.z_edges[0], h.z_edges[-1]) == (-span, span)  # one z range for all layers
        np.testing.assert_array_equal(h.z_counts, np.histogram(z, 10, (-span, span))[0])


def test_large_weights_saturate_a_sigmoid_network_and_small_ones_shrink_the_signal():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(200, 10))
    big = Network.create([10] + [30] * 5 + [1], "sigmoid", np.random.default_rng(0),
                         init="normal")
    for w in big.weights:
        w *= 5.0
    tiny = Network.create([10] + [30] * 5 + [1], "tanh", np.random.default_rng(0),
                          init="normal")
    for w in tiny.weights:
        w *= 0.05
    assert all(h.saturated > 0.75 for h in layer_histograms(big, x))
    stds = [h.a_std for h in layer_histograms(tiny, x)]
    assert stds[4] < 0.01 * stds[0]
