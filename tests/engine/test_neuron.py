"""The single-neuron engine: MP units, perceptron gates, the learning rule (notes 002, 003)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz.engine.labs import neuron as eng
from nnviz.engine.sets.datasets import GATES, gate

# truth tables in counting order 00, 01, 10, 11 (notes 003's MP examples)
MP_EXPECTED = {
    "AND": [0, 0, 0, 1],
    "OR": [0, 1, 1, 1],
    "NOR": [1, 0, 0, 0],
    "NOT": [1, 0],
    "x1 AND NOT x2": [0, 0, 1, 0],
}


@pytest.mark.parametrize("name", list(MP_EXPECTED))
def test_mp_presets_truth_tables(name):
    t = eng.mp_truth_table(eng.MP_PRESETS[name])
    assert t.y.tolist() == MP_EXPECTED[name]
    assert t.g.tolist() == t.inputs.sum(axis=1).tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=4).flatmap(
    lambda inh: st.tuples(st.just(tuple(inh)), st.integers(0, 4),
                          st.lists(st.integers(0, 1), min_size=len(inh), max_size=len(inh)))))
def test_mp_inhibitory_rule(case):
    inh, theta, x = case
    unit = eng.MPUnit(inh, theta)
    y = eng.mp_output(unit, np.array(x))
    if any(xi and i for xi, i in zip(x, inh)):
        assert y == 0                      # one active inhibitory input vetoes
    else:
        assert y == int(sum(x) >= theta)   # otherwise thresholding logic
        # switching on one more excitatory input never turns the unit off
        for k in range(len(x)):
            if not x[k] and not inh[k]:
                x2 = list(x)
                x2[k] = 1
                assert eng.mp_output(unit, np.array(x2)) >= y


def test_mp_rejects_non_boolean_input():
    with pytest.raises(ValueError):
        eng.mp_output(eng.MP_PRESETS["AND"], np.array([2, 0]))


@pytest.mark.parametrize("name", ["NAND", "AND", "OR"])
@pytest.mark.parametrize("convention", eng.CONVENTIONS)
def test_perceptron_presets_compute_their_gates(name, convention):
    w1, w2, b = eng.PERCEPTRON_PRESETS[name]
    t = eng.perceptron_table(np.array([w1, w2]), b, convention)
    assert t.y.tolist() == GATES[name]
    assert not t.differs.any()        # REFERENCE §4: both conventions agree on these gates


def test_reference_gate_weights():
    assert eng.PERCEPTRON_PRESETS == {"NAND": (-2, -2, 3), "AND": (2, 2, -3), "OR": (2, 2, -1)}


def test_conventions_differ_only_on_the_line():
    w, b = np.array([1.0, 0.0]), 0.0          # the line x1 = 0 passes through (0,0) and (0,1)
    gt = eng.perceptron_table(w, b, "perceptron")
    ge = eng.perceptron_table(w, b, "step")
    assert gt.differs.tolist() == [True, True, False, False]
    assert gt.y.tolist() == [0, 0, 1, 1]
    assert ge.y.tolist() == [1, 1, 1, 1]


@given(st.floats(-5, 5), st.floats(-5, 5), st.floats(-5, 5))
def test_decision_line_lies_on_w_dot_x_plus_b_zero(w1, w2, b):
    xs, ys = eng.decision_line(np.array([w1, w2]), b, (-1, 2), (-1, 2))
    if len(xs):
        assert np.allclose(w1 * xs + w2 * ys + b, 0, atol=1e-9)
        assert ((xs >= -1 - 1e-12) & (xs <= 2 + 1e-12)).all()
        assert ((ys >= -1 - 1e-12) & (ys <= 2 + 1e-12)).all()


def test_decision_line_absent_without_weights():
    xs, _ = eng.decision_line(np.zeros(2), 1.0, (-1, 2), (-1, 2))
    assert len(xs) == 0


def test_learn_step_follows_notes_003():
    xa = eng.augment(np.array([[1.0, 1.0], [0.0, 1.0]]))
    labels = np.array([1, 0])
    # x in P and w.x < 0: w = w + x
    s = eng.learn_step(np.array([-3.0, 1.0, 1.0]), xa, labels, 0)
    assert s.wx == -1 and s.update == 1 and s.w_after.tolist() == [-2, 2, 2]
    # x in N and w.x >= 0 (here exactly 0): w = w - x
    s = eng.learn_step(np.array([-1.0, 0.0, 1.0]), xa, labels, 1)
    assert s.wx == 0 and s.update == -1 and s.w_after.tolist() == [-2, 0, 0]
    # correctly classified: no change
    s = eng.learn_step(np.array([-1.0, 0.0, 0.0]), xa, labels, 1)
    assert s.update == 0 and s.w_after.tolist() == s.w_before.tolist()


def test_learn_step_on_the_line_depends_on_convention():
    xa = eng.augment(np.array([[1.0, 0.0]]))
    w = np.array([-1.0, 1.0, 0.0])                      # w.x = 0 for a point of class 1
    assert eng.learn_step(w, xa, np.array([1]), 0, "step").update == 0
    assert eng.learn_step(w, xa, np.array([1]), 0, "perceptron").update == 1


@pytest.mark.parametrize("name", ["AND", "OR", "NAND"])
@pytest.mark.parametrize("convention", eng.CONVENTIONS)
def test_learning_converges_on_separable_gates(name, convention):
    x, y = gate(name)
    for seed in range(10):
        rng = np.random.default_rng(seed)
        run = eng.run_learning(eng.random_init(rng), x, y[:, 0], rng, convention)
        assert run.status == "converged"
        assert run.updates <= 60
        pred = eng.classify(eng.augment(x) @ run.w, convention)
        assert pred.tolist() == GATES[name]


@pytest.mark.parametrize("convention", eng.CONVENTIONS)
def test_learning_reports_xor_as_non_convergent(convention):
    x, y = gate("XOR")
    for seed in range(10):
        rng = np.random.default_rng(seed)
        run = eng.run_learning(eng.random_init(rng), x, y[:, 0], rng, convention)
        assert run.status == "cycle"
        # the last weight vector really occurred before, and points are still wrong
        earlier = [eng.weight_key(s.w_before) for s in run.steps]
        assert eng.weight_key(run.w) in earlier
        assert len(eng.misclassified(run.w, eng.augment(x), y[:, 0], convention)) > 0


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_separable_data_never_reported_as_a_cycle(seed):
    rng = np.random.default_rng(seed)
    pts = np.round(rng.uniform(-0.5, 1.5, size=(12, 2)) / 0.05) * 0.05
    u = rng.normal(size=3)
    z = eng.augment(pts) @ u
    keep = np.abs(z) > 0.05                     # a margin so the rule converges quickly
    pts, labels = pts[keep], (z[keep] > 0).astype(int)
    if len(pts) == 0:
        return
    run = eng.run_learning(eng.random_init(rng), pts, labels, rng, "step", max_steps=200_000)
    assert run.status == "converged"


def test_saturation_regions_of_the_sigmoid():
    from nnviz.engine.core.activations import get_activation

    z = np.linspace(-6, 6, 1201)
    fp = get_activation("sigmoid").prime(z)
    regions = eng.saturation_regions(z, fp, tol=0.01)
    assert len(regions) == 2
    (a0, a1), (b0, b1) = regions
    assert a0 == -6 and b1 == 6 and a1 == pytest.approx(-b0)
    inside = get_activation("sigmoid").prime(np.array([a1, b0]))
    assert (inside < 0.01).all()
    assert get_activation("sigmoid").prime(np.array([a1 + 0.01]))[0] >= 0.01
    assert eng.saturation_regions(z, get_activation("linear").prime(z)) == []


@pytest.mark.parametrize("convention", eng.CONVENTIONS)
def test_learn_step_follows_the_rule_text_it_shows(convention):
    """The box prints RULE_TEXT; the rule applied is exactly those two lines."""
    import operator

    ops = {"<": operator.lt, "≤": operator.le, ">": operator.gt, "≥": operator.ge}
    _title, lines = eng.RULE_TEXT[convention]
    rules = {}
    for line in lines:                  # "if x ∈ P and w·x < 0 then w = w + x"
        words = line.split()
        rules[1 if words[3] == "P" else 0] = (ops[words[6]], 1 if words[-2] == "+" else -1)
    xa = eng.augment(np.array([[1.0, 0.0]]))
    for label in (0, 1):
        for wx in (-1.0, 0.0, 1.0):
            w = np.array([wx - 1.0, 1.0, 0.0])          # w·x = wx
            op, sign = rules[label]
            s = eng.learn_step(w, xa, np.array([label]), 0, convention)
            assert s.update == (sign if op(wx, 0) else 0), (convention, label, wx)
    if convention == "step":            # notes 003 letter for letter
        assert lines == ("if x ∈ P and w·x < 0 then w = w + x",
                         "if x ∈ N and w·x ≥ 0 then w = w − x")
