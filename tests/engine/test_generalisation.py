"""Generalisation lab engine: ridge fits, bias and variance by resampling, augmentation,
L1/L2 updates, dropout thinning, transfer and the lab's validated settings."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnviz.engine.files.validate import FormatError
from nnviz.engine.labs import digit_tasks, reg_nets
from nnviz.engine.labs.general_setup import BOUNDS, GeneralSetup, case_setup, parse_setup
from nnviz.engine.labs.generalisation import CASES, bias_variance, complexity_sweep, resample
from nnviz.engine.labs.polyfit import (
    CURVES,
    notes_line_points,
    poly_eval,
    poly_features,
    regularised_polynomial,
    ridge_fit,
)
from nnviz.engine.sets import augment


# ----------------------------------------------------------------- ridge
@pytest.mark.parametrize("lam", [1e-4, 0.01, 1.0, 30.0])
@pytest.mark.parametrize("degree", [1, 3, 9])
def test_ridge_equals_lstsq_on_the_augmented_system(degree, lam):
    """min Σ(y − Φa)² + λ Σ_{j≥1} a_j² is least squares on [Φ; √λ P] a ≈ [y; 0]."""
    x, y = notes_line_points(seed=3)
    phi = poly_features(x, degree)
    p = np.eye(degree + 1)
    p[0, 0] = 0.0                                   # the constant is not penalised
    big = np.vstack([phi, np.sqrt(lam) * p])
    rhs = np.concatenate([y, np.zeros(degree + 1)])
    want = np.linalg.lstsq(big, rhs, rcond=None)[0]
    np.testing.assert_allclose(ridge_fit(x, y, degree, lam), want, rtol=1e-6, atol=1e-8)


def test_unregularised_fit_is_least_squares_and_degree_9_goes_through_ten_points():
    x, y = notes_line_points()
    np.testing.assert_allclose(ridge_fit(x, y, 1), np.polyfit(x, y, 1)[::-1], atol=1e-12)
    coef9 = ridge_fit(x, y, 9)
    np.testing.assert_allclose(poly_eval(coef9, x), y, atol=1e-8)


def test_lambda_pulls_the_polynomial_back_to_the_line():
    x, y = notes_line_points()
    sizes = [regularised_polynomial(x, y, 9, lam).size for lam in (0.0, 1e-4, 1e-2, 1.0)]
    assert sizes == sorted(sizes, reverse=True)
    r0, r1 = regularised_polynomial(x, y, 9, 0.0), regularised_polynomial(x, y, 9, 0.1)
    # outside the data the unregularised 9th-order fit is far from the line, the L2 one near
    assert abs(r0.far - r0.far_line) > 10 * abs(r1.far - r1.far_line)


def test_ridge_refuses_bad_input():
    with pytest.raises(ValueError):
        ridge_fit([0.0, 1.0], [0.0, 1.0], 1, -1.0)
    with pytest.raises(ValueError):
        ridge_fit([0.0, 1.0], [0.0], 1)
    with pytest.raises(ValueError):
        poly_features([0.0], 16)


# ----------------------------------------------------------------- bias and variance
def test_bias_and_variance_equal_a_direct_computation():
    r = resample("sine", 5, 12, 0.3, 7, lam=0.001, seed=4)
    f = CURVES["sine"][0]
    k, m = r.fits.shape
    bias2 = var = 0.0
    for j in range(m):                               # written out, point by point
        mean = sum(r.fits[i, j] for i in range(k)) / k
        bias2 += (mean - f(r.grid[j])) ** 2 / m
        var += sum((r.fits[i, j] - mean) ** 2 for i in range(k)) / (k * m)
    assert r.bias2 == pytest.approx(bias2, rel=1e-12)
    assert r.variance == pytest.approx(var, rel=1e-12)
    assert r.noise == pytest.approx(0.09)
    # each grey curve really is the fit to its own training set
    coef = ridge_fit(r.xs[2], r.ys[2], 5, 0.001)
    np.testing.assert_allclose(r.fits[2], poly_eval(coef, r.grid), atol=1e-12)


def test_expected_test_error_is_about_bias2_plus_variance_plus_noise():
    r = resample("sine", 3, 30, 0.3, 40, lam=0.001, seed=1, n_test=4000)
    assert r.test_mse == pytest.approx(r.bias2 + r.variance + r.noise, rel=0.15)


def test_bias_variance_of_identical_fits():
    preds = np.tile(np.array([1.0, 2.0, 3.0]), (4, 1))
    assert bias_variance(preds, np.array([1.0, 2.0, 4.0]), 0.5) == pytest.approx(
        (1.0 / 3.0, 0.0, 0.25))


def test_the_four_cases_have_the_bias_and_variance_they_are_named_for():
    got = {}
    for c in CASES:
        r = resample("sine", c.degree, c.n, c.noise, 20, 0.001)
        got[c.key] = (r.bias2, r.variance)
    assert got["low-low"][0] < got["high-low"][0] / 10      # bias: low vs high
    assert got["low-low"][1] < got["low-high"][1] / 10      # variance: low vs high
    assert got["high-low"][1] < got["high-high"][1] / 10
    assert got["low-high"][0] < got["high-high"][0]


def test_the_complexity_sweep_is_u_shaped():
    sw = complexity_sweep("sine", 15, 0.3, 10, 12, lam=0.001)
    best = int(np.argmin(sw.test))
    assert 2 <= best <= 6
    assert sw.test[best] < sw.test[0] and sw.test[best] < sw.test[-1]
    assert sw.train[-1] < sw.train[0]
    assert sw.bias2[-1] < sw.bias2[0] and sw.variance[-1] > sw.variance[0]


# ----------------------------------------------------------------- augmentation
def test_shift_moves_pixels_and_fills_with_blank():
    img = np.arange(64, dtype=float).reshape(1, 64) + 1
    right = augment.shift(img, 1, 0).reshape(8, 8)
    np.testing.assert_array_equal(right[:, 1:], img.reshape(8, 8)[:, :-1])
    assert not right[:, 0].any()
    up = augment.shift(img, 0, -1).reshape(8, 8)
    np.testing.assert_array_equal(up[:-1], img.reshape(8, 8)[1:])
    assert not up[-1].any()


def test_rotation_by_0_and_90_degrees():
    rng = np.random.default_rng(0)
    img = rng.random((3, 64))
    np.testing.assert_allclose(augment.rotate(img, 0.0), img, atol=1e-12)
    turned = augment.rotate(img, 90.0).reshape(3, 8, 8)
    np.testing.assert_allclose(turned, np.rot90(img.reshape(3, 8, 8), 1, axes=(1, 2)),
                               atol=1e-9)


def test_augment_shapes_and_labels():
    x, labels = digit_tasks.load_digits()
    xa, la = augment.augment(x[:50], labels[:50])
    assert xa.shape == (50 * 7, 64) and la.shape == (350,)
    np.testing.assert_array_equal(la, np.tile(labels[:50], 7))
    np.testing.assert_array_equal(xa[:50], x[:50])
    assert xa.min() >= 0 and xa.max() <= 1 + 1e-12
    with pytest.raises(ValueError):
        augment.augment(x[:5], labels[:4])


# ----------------------------------------------------------------- L1 and L2
def test_l1_and_l2_rules_written_out():
    assert reg_nets.l2_step(0.8, 0.1, 0.5, 2.0, 10) == pytest.approx(0.9 * 0.8 - 0.05)
    assert reg_nets.l1_step(0.8, 0.1, 0.5, 2.0, 10) == pytest.approx(0.8 - 0.1 - 0.05)
    assert reg_nets.l1_step(-0.8, 0.0, 0.5, 2.0, 10) == pytest.approx(-0.7)


def test_trained_l1_and_l2_follow_the_written_out_rules():
    """One step of the lab's L1/L2 training on a batch equals the rules above applied to
    every weight with the unregularised gradient."""
    from nnviz.engine.core.losses import get_loss
    from nnviz.engine.core.network import backward, forward
    from nnviz.engine.learning.training import TrainConfig, train_step

    x, labels = digit_tasks.load_digits()
    y = np.eye(10)[labels[:20]]
    ce = get_loss("cross_entropy")
    for kind, rule in (("l1", reg_nets.l1_step), ("l2", reg_nets.l2_step)):
        net = digit_tasks.classifier(10, 0)
        g0 = backward(net, forward(net, x[:20], training=True), y, ce)
        want = np.vectorize(rule)(net.weights[0], g0[0].dw, 0.5, 3.0, 20)
        train_step(net, x[:20], y, ce, TrainConfig(eta=0.5, **{kind: 3.0}))
        np.testing.assert_allclose(net.weights[0], want, atol=1e-12)


def test_l1_drives_more_weights_to_zero_than_l2():
    pair = digit_tasks.run_all(reg_nets.l1_vs_l2(lam=0.5, n=60, epochs=6))
    assert pair.epochs == 6
    assert pair.zeros("L1", 0.01) > 3 * pair.zeros("L2", 0.01)


# ----------------------------------------------------------------- dropout, data, transfer
def test_thinned_masks_drop_hidden_neurons_only():
    net = digit_tasks.classifier(10, 0, hidden=400)
    masks = reg_nets.thinned_masks(net, 0.5, np.random.default_rng(0))
    assert masks[-1] is None and masks[0].shape == (1, 400)
    assert set(np.unique(masks[0])) == {0.0, 2.0}
    assert 0.4 < np.mean(masks[0] == 0) < 0.6


def test_dropout_ensemble_runs_and_averages_its_members():
    ens = digit_tasks.run_all(reg_nets.dropout_ensemble(p=0.5, m=4, n=100, epochs=2))
    assert ens.thinned.shape == (4, digit_tasks.N_TEST, 10)
    np.testing.assert_allclose(ens.average, ens.thinned.mean(axis=0))
    assert len(ens.thinned_accuracies()) == 4


def test_learning_curve_sizes_and_accuracies():
    c = digit_tasks.run_all(digit_tasks.learning_curve((20, 200), steps=60))
    assert c.sizes == [20, 200]
    assert all(0 <= a <= 1 for a in c.train + c.test)
    assert c.test[1] > c.test[0]


def test_augmentation_race_counts():
    r = digit_tasks.run_all(digit_tasks.augmentation(2, epochs=2))
    assert r.n_train == (20, 140) and len(r.a) == len(r.b) == 2


def test_transfer_freezes_the_first_layer_and_trains_only_the_output():
    r = digit_tasks.run_all(digit_tasks.transfer(2, base_epochs=1, epochs=3))
    base, moved = r.extra["base"], r.extra["transferred"]
    np.testing.assert_array_equal(moved.weights[0], base.weights[0])
    np.testing.assert_array_equal(moved.biases[0], base.biases[0])
    assert moved.sizes == [64, digit_tasks.HIDDEN, 5]
    assert not np.array_equal(moved.weights[1], base.weights[1])
    assert len(r.a) == len(r.b) == 3 and r.n_train == (10, 10)


# ----------------------------------------------------------------- settings
def test_settings_round_trip_and_cases():
    s = parse_setup({"page": "l1-l2", "degree": 7, "noise": 0.25})
    assert parse_setup(s.to_dict()) == s
    c = case_setup(GeneralSetup(), "low-high")
    assert (c.degree, c.n) == (12, 15)


@pytest.mark.parametrize("bad", [{"page": "nope"}, {"degree": 16}, {"degree": 2.5},
                                 {"noise": float("nan")}, {"k": 1}, {"n": True},
                                 {"p": 0.95}, {"unknown": 1}, {"seed": -1}, [1]])
def test_bad_settings_are_refused(bad):
    with pytest.raises(FormatError):
        parse_setup(bad)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(sorted(BOUNDS)),
                       st.one_of(st.floats(allow_nan=True), st.integers(-10**12, 10**12),
                                 st.text(max_size=5), st.none(), st.booleans()),
                       max_size=4))
def test_hostile_settings_are_refused_or_in_bounds(d):
    try:
        s = parse_setup(d)
    except FormatError:
        return
    for key, (lo, hi) in BOUNDS.items():
        assert lo <= getattr(s, key) <= hi


def test_network_model_is_trained_by_the_engine_and_measured_the_same_way():
    from nnviz.engine.core.network import predict
    from nnviz.engine.labs.generalisation import MSE, mlp_fit, mlp_network, resample_mlp
    from nnviz.engine.labs.polyfit import sample
    from nnviz.engine.learning.training import OptimizerState, TrainConfig, train

    r = digit_tasks.run_all(resample_mlp("sine", 4, 10, 0.3, 3, epochs=30, seed=2))
    assert r.fits.shape == (3, len(r.grid))
    # the same training sets as the polynomial model draws with this seed
    poly = resample("sine", 1, 10, 0.3, 3, seed=2)
    np.testing.assert_array_equal(r.xs, poly.xs)
    # network 1 is the engine's Adam training written out with train()
    net = mlp_network(4, 2 + 1)
    train(net, r.xs[1].reshape(-1, 1), r.ys[1].reshape(-1, 1), MSE,
          TrainConfig(eta=0.02, optimiser="adam"), 30, None, OptimizerState())
    np.testing.assert_allclose(r.fits[1], predict(net, r.grid.reshape(-1, 1))[:, 0],
                               atol=1e-12)
    assert (r.bias2, r.variance) == pytest.approx(bias_variance(r.fits, r.truth, 0.3)[:2])
    net2 = mlp_network(2, 0)
    x, y = sample("sine", 5, 0.1, np.random.default_rng(0))
    assert list(mlp_fit(net2, x, y, 3)) == [1, 2, 3]
