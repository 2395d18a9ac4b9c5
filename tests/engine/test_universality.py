"""Steps, bumps, auto-fit, the notes' ReLU example and towers."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine.core.network import predict
from nnviz.engine.labs.expr import parse_expression
from nnviz.engine.labs.universality import (
    DEFAULT_GOAL,
    GOAL_PRESETS_2D,
    OneInput,
    bias_for_step,
    bump_edges,
    bump_heights,
    bump_model,
    error_curve,
    fit_heights,
    fit_target,
    fitted_bumps,
    hidden_outputs,
    output,
    relu_formula,
    score,
    step_position,
    tower,
    towers_for_goal,
    towers_output,
    with_heights,
)
from nnviz.engine.teaching.lessons import load_lesson

X = np.linspace(0, 1, 401)
GOAL = parse_expression(DEFAULT_GOAL).evaluate(X)


@pytest.mark.parametrize("w,b", [(1000, -400), (8, 4), (-3, 1.5), (0.5, -0.01)])
def test_step_position_is_minus_b_over_w(w, b):
    s = step_position(w, b)
    assert s == pytest.approx(-b / w)
    assert w * s + b == pytest.approx(0, abs=1e-12)
    assert np.isnan(step_position(0.0, 1.0))


@pytest.mark.parametrize("s", [0.1, 0.37, 0.8])
def test_w_1000_is_a_step_at_s(s):
    m = OneInput([1000.0], [float(bias_for_step(s, 1000.0))], [1.0])
    a = hidden_outputs(m, np.array([s - 0.01, s + 0.01]))[:, 0]
    assert abs(a[0] - 0) < 1e-4 and abs(a[1] - 1) < 1e-4
    assert step_position(m.w, m.b)[0] == pytest.approx(s)


def test_small_w_is_not_a_step():
    m = OneInput([5.0], [float(bias_for_step(0.5, 5.0))], [1.0])
    a = hidden_outputs(m, np.array([0.49, 0.51]))[:, 0]
    assert 0.4 < a[0] < 0.5 < a[1] < 0.6


@pytest.mark.parametrize("h", [0.7, -1.3])
def test_bump_has_height_h_inside_and_zero_outside(h):
    m = bump_model([0.3, 0.6], [h])
    inside = output(m, np.linspace(0.32, 0.58, 30))
    outside = output(m, np.r_[np.linspace(0, 0.28, 20), np.linspace(0.62, 1, 20)])
    np.testing.assert_allclose(inside, h, atol=1e-6)
    np.testing.assert_allclose(outside, 0, atol=1e-6)
    assert bump_heights(m)[0] == h and m.v[1] == -h


def test_with_heights_round_trip():
    m = bump_model(bump_edges(4), np.zeros(4))
    m2 = with_heights(m, [1, 2, 3, 4])
    np.testing.assert_array_equal(bump_heights(m2), [1, 2, 3, 4])
    np.testing.assert_array_equal(m2.v, [1, -1, 2, -2, 3, -3, 4, -4])


def test_auto_fit_error_decreases_as_n_grows():
    errs = error_curve([5, 10, 20, 50], X, GOAL)
    assert np.all(np.diff(errs) < 0), errs
    assert errs[-1] < 0.02


def test_fitted_heights_are_the_least_squares_solution():
    m = fitted_bumps(10, X, GOAL)
    base = score(m, X, GOAL)
    rng = np.random.default_rng(1)
    for _ in range(5):
        h = bump_heights(m) + rng.normal(0, 0.01, 10)
        mse_fit = np.mean((output(m, X) - GOAL) ** 2)
        mse_other = np.mean((output(with_heights(m, h), X) - GOAL) ** 2)
        assert mse_fit < mse_other
    assert base < 0.07


def test_sigmoid_output_fits_inverse_sigmoid_of_goal():
    m = bump_model(bump_edges(10), np.zeros(10), out="sigmoid")
    h = fit_heights(m, X, GOAL)
    fitted = with_heights(m, h)
    assert score(fitted, X, GOAL) < 0.07
    t = fit_target(np.array([0.0, 0.5, 2.0]), "sigmoid")
    assert np.isfinite(t).all() and t[1] == 0 and t[0] < 0 < t[2]


def _relu_model(activation: str) -> OneInput:
    m = OneInput.from_network(load_lesson("relu-approximation").network)
    m.activation = activation
    return m


def test_relu_example_matches_the_notes_formula():
    m = _relu_model("relu")
    np.testing.assert_array_equal(m.w, [-5, -1.2, 1.2, 1.2, 2, 5])
    np.testing.assert_array_equal(m.b, [-7.7, -1.3, 1, -0.2, -1.1, -5])
    np.testing.assert_array_equal(m.v, [-1, -1, -1, 1, 1, 1])
    xs = np.linspace(-3, 3, 61)
    expected = [-max(-5 * x - 7.7, 0) - max(-1.2 * x - 1.3, 0) - max(1.2 * x + 1, 0)
                + max(1.2 * x - 0.2, 0) + max(2 * x - 1.1, 0) + max(5 * x - 5, 0) for x in xs]
    np.testing.assert_allclose(output(m, xs), expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(relu_formula(xs, m.w, m.b, m.v), expected, atol=1e-12)
    np.testing.assert_allclose(predict(m.to_network(), xs.reshape(-1, 1))[:, 0], expected,
                               atol=1e-12)


def test_relu_example_without_activation_is_linear():
    m = _relu_model("linear")
    xs = np.linspace(-3, 3, 61)
    y = output(m, xs)
    slope, intercept = np.polyfit(xs, y, 1)
    np.testing.assert_allclose(y, slope * xs + intercept, atol=1e-12)
    assert slope == pytest.approx(5 + 1.2 - 1.2 + 1.2 + 2 + 5)  # sum_k c_k w_k
    assert intercept == pytest.approx(7.7 + 1.3 - 1 - 0.2 - 1.1 - 5)


def test_one_input_validates():
    with pytest.raises(ValueError):
        OneInput([1, 2], [0], [1])
    with pytest.raises(ValueError):
        OneInput([1], [0], [1], activation="softmax")


def test_tower_is_one_inside_and_zero_outside():
    gx, gy = np.meshgrid(np.array([0.2, 0.5, 0.8]), np.array([0.2, 0.5, 0.8]))
    t = tower(gx, gy, (0.4, 0.6), (0.4, 0.6), gain=40)
    assert t[1, 1] > 0.999
    mask = np.ones_like(t, bool)
    mask[1, 1] = False
    assert np.all(t[mask] < 1e-3)


def test_more_towers_approximate_a_2d_goal_better():
    f = parse_expression(GOAL_PRESETS_2D["hill"], ("x", "y"))
    gx, gy = np.meshgrid(np.linspace(0, 1, 41), np.linspace(0, 1, 41))
    goal = f.evaluate(gx, gy)
    errs = [np.mean(np.abs(towers_output(towers_for_goal(f.evaluate, k, gain=60), gx, gy) - goal))
            for k in (2, 5, 10)]
    assert errs[0] > errs[1] > errs[2]
