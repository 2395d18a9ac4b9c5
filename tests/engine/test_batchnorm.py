"""Batch normalisation against its formulas and central finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine.batchnorm import BatchNorm


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
