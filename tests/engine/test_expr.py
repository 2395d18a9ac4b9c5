"""The safe goal-function parser: presets parse, anything else is refused with a message."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz.engine.labs.expr import MAX_LENGTH, ExpressionError, parse_expression
from nnviz.engine.labs.universality import DEFAULT_GOAL, GOAL_PRESETS, GOAL_PRESETS_2D

X = np.linspace(0, 1, 101)


def test_default_goal_matches_nielsen_formula():
    f = parse_expression(DEFAULT_GOAL)
    expected = 0.2 + 0.4 * X**2 + 0.3 * X * np.sin(15 * X) + 0.05 * np.cos(50 * X)
    np.testing.assert_allclose(f.evaluate(X), expected, rtol=0, atol=1e-15)
    assert f.text == DEFAULT_GOAL


@pytest.mark.parametrize("text", list(GOAL_PRESETS.values()))
def test_presets_parse_and_are_finite(text):
    values, ok = parse_expression(text).finite(X)
    assert ok and values.shape == X.shape


@pytest.mark.parametrize("text", list(GOAL_PRESETS_2D.values()))
def test_2d_presets_need_y(text):
    f = parse_expression(text, ("x", "y"))
    gx, gy = np.meshgrid(X, X)
    assert f.evaluate(gx, gy).shape == gx.shape
    with pytest.raises(ExpressionError, match="unknown name 'y'"):
        parse_expression(text)


@pytest.mark.parametrize("text,value", [
    ("1 + 2 * 3", 7.0), ("2^3^2", 512.0), ("-2^2", -4.0), ("(1 + 2) * 3", 9.0), ("2(3)", 6.0),
    ("8 / 4 / 2", 1.0), ("2 ** 3", 8.0), ("sqrt(16) + abs(-2)", 6.0), ("log(e)", 1.0),
    ("cos(pi)", -1.0), ("1e-3 * 1000", 1.0), (".5 + .5", 1.0), ("3 - -2", 5.0),
])
def test_arithmetic(text, value):
    assert parse_expression(text).evaluate(np.array([0.3]))[0] == pytest.approx(value)


def test_implicit_multiplication_with_x():
    np.testing.assert_allclose(parse_expression("0.4x^2").evaluate(X), 0.4 * X**2)
    np.testing.assert_allclose(parse_expression("0.3x sin(15x)").evaluate(X),
                               0.3 * X * np.sin(15 * X))


@pytest.mark.parametrize("text,fragment", [
    ("__import__('os')", "unexpected character '_'"),
    ("x.__class__", "unexpected character '.'"),
    ("1e999999", "too large"),
    ("", "empty"),
    ("   ", "empty"),
    ("sin x", "needs parentheses"),
    ("(x + 1", "not closed"),
    ("x + ", "ends too early"),
    ("os", "unknown name 'os'"),
    ("x)", "unexpected ')'"),
    ("x" * (MAX_LENGTH + 1), "too long"),
    ("(" * 60 + "x" + ")" * 60, "nested too deeply"),
    ("-" * 60 + "x", "nested too deeply"),
    ("+".join(["x"] * 300), "too long"),
    ("lambda: 1", "unexpected character ':'"),
])
def test_refused_with_a_message(text, fragment):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    assert fragment in str(info.value)


def test_error_reports_the_position():
    with pytest.raises(ExpressionError) as info:
        parse_expression("x + $")
    assert info.value.position == 4 and "at character 5" in str(info.value)


def test_overflow_and_domain_errors_give_non_finite_values_without_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        v, ok = parse_expression("exp(1000 x) + 1/x + log(x - 2) + sqrt(-x) + 10^400x").finite(X)
    assert not ok and v.shape == X.shape


ALPHABET = "x y 0123456789.eE+-*/^()sincostanexplogsqrtabspi_,'[]{}:;!@#$%&|<>=\"\\ \t\nλ"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_random_text_is_parsed_or_refused_never_crashes(text):
    try:
        f = parse_expression(text)
    except ExpressionError as e:
        assert str(e)
        return
    v = f.evaluate(X)
    assert v.shape == X.shape and v.dtype == np.float64


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.sampled_from(["x", "1", "2.5", "pi", "e", "0"]),
                    lambda inner: st.one_of(
                        st.tuples(inner, st.sampled_from("+-*/^"), inner).map(
                            lambda t: f"({t[0]} {t[1]} {t[2]})"),
                        st.tuples(st.sampled_from(["sin", "cos", "tan", "exp", "log", "sqrt",
                                                   "abs", "-"]), inner).map(
                            lambda t: f"{t[0]}({t[1]})")),
                    max_leaves=25))
def test_well_formed_expressions_always_parse_and_evaluate(text):
    v = parse_expression(text).evaluate(X)
    assert v.shape == X.shape
