"""Input features of the plane (Playground's x1, x2, x1², x2², x1·x2, sin x1, sin x2)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnviz.engine.core.network import Network, forward
from nnviz.engine.files.validate import FormatError
from nnviz.engine.learning.monitor import GridEvaluator
from nnviz.engine.sets.features import FEATURES, PLAIN, expand, parse_features, rewire, toggled


def test_every_feature_against_its_formula_written_out():
    pts = np.array([[0.5, -2.0], [3.0, 0.25], [-1.5, 1.5]])
    got = expand(pts, tuple(FEATURES))
    for row, (a, b) in zip(got, pts):
        assert row.tolist() == [a, b, a * a, b * b, a * b, math.sin(a), math.sin(b)]
    assert expand(pts, ("sin x2", "x1·x2")).tolist() == [[math.sin(b), a * b] for a, b in pts]


def test_the_plain_choice_is_the_points_themselves():
    pts = np.random.default_rng(0).normal(size=(5, 2))
    assert expand(pts, PLAIN) is pts
    assert expand(np.zeros((0, 2)), ("x1²",)).shape == (0, 1)


def test_toggling_keeps_the_offered_order_and_at_least_one():
    assert toggled(PLAIN, "x1²") == ("x1", "x2", "x1²")
    assert toggled(("x1²", "sin x1"), "x1") == ("x1", "x1²", "sin x1")
    assert toggled(("x1", "x2"), "x2") == ("x1",)
    with pytest.raises(ValueError):
        toggled(("x1",), "x1")
    with pytest.raises(ValueError):
        toggled(PLAIN, "x3")


@pytest.mark.parametrize("bad", [[], "x1", ["x1", "x1"], ["x1", 2], ["x9"], list(FEATURES) + ["x1"]])
def test_a_saved_choice_is_validated(bad):
    with pytest.raises(FormatError):
        parse_features(bad, "training.features")


def test_a_saved_choice_is_put_in_the_offered_order():
    assert parse_features(["sin x1", "x1"], "f") == ("x1", "sin x1")


def test_rewire_keeps_the_columns_of_kept_features():
    rng = np.random.default_rng(1)
    w = rng.normal(size=(4, 2))
    new = rewire(w, PLAIN, ("x2", "x1·x2"), rng)
    assert new.shape == (4, 2) and np.array_equal(new[:, 0], w[:, 1])
    assert np.all(np.abs(new[:, 1]) <= math.sqrt(6 / 6))


def test_decision_grid_reads_the_features_of_each_grid_point():
    feats = ("x1", "x1²", "sin x2")
    net = Network.create([3, 4, 1], "tanh", np.random.default_rng(2))
    g = GridEvaluator()(net, -6.0, 6.0, 11, feats)
    xs = np.linspace(-6, 6, 11)
    # grid[i, j] is the point (x1 = xs[j], x2 = xs[i])
    for i, j in ((0, 0), (3, 7), (10, 5)):
        a, b = xs[j], xs[i]
        want = forward(net, np.array([[a, a * a, math.sin(b)]])).output[0, 0]
        assert g.output[i, j, 0] == pytest.approx(want, abs=1e-12)
    with pytest.raises(ValueError):
        GridEvaluator()(net, -6.0, 6.0, 11)  # 3 inputs are not the plain plane
