"""Every optimiser against its update rule written out here, independently of the engine."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz.engine.learning.optimisers import OPTIMISERS, make_optimiser, optimiser_from_state


def _rule(name, h):
    """(init_state(shape), update(w, g, state, lr, t) -> (w, state)) written from the textbooks."""
    if name == "sgd":
        return (lambda shape: ()), (lambda w, g, s, lr, t: (w - lr * g, ()))
    if name == "momentum":
        def mom(w, g, s, lr, t):
            (v,) = s
            v = h["momentum"] * v - lr * g
            return w + v, (v,)
        return (lambda shape: (np.zeros(shape),)), mom
    if name == "nesterov":
        def nag(w, g, s, lr, t):
            # Bengio et al. 2012: w_{t+1} = w_t - mu v_t + (1 + mu) v_{t+1}
            (v_prev,) = s
            v = h["momentum"] * v_prev - lr * g
            return w - h["momentum"] * v_prev + (1 + h["momentum"]) * v, (v,)
        return (lambda shape: (np.zeros(shape),)), nag
    if name == "adagrad":
        def ada(w, g, s, lr, t):
            G = s[0] + g ** 2
            return w - lr * g / (np.sqrt(G) + h["eps"]), (G,)
        return (lambda shape: (np.zeros(shape),)), ada
    if name == "rmsprop":
        def rms(w, g, s, lr, t):
            sq = h["rho"] * s[0] + (1 - h["rho"]) * g ** 2
            return w - lr * g / (np.sqrt(sq) + h["eps"]), (sq,)
        return (lambda shape: (np.zeros(shape),)), rms
    if name == "adam":
        def adam(w, g, s, lr, t):
            m = h["beta1"] * s[0] + (1 - h["beta1"]) * g
            v = h["beta2"] * s[1] + (1 - h["beta2"]) * g ** 2
            mh, vh = m / (1 - h["beta1"] ** t), v / (1 - h["beta2"] ** t)
            return w - lr * mh / (np.sqrt(vh) + h["eps"]), (m, v)
        return (lambda shape: (np.zeros(shape), np.zeros(shape))), adam
    raise AssertionError(name)


HYPER = {"sgd": {}, "momentum": {"momentum": 0.8}, "nesterov": {"momentum": 0.7},
         "adagrad": {"eps": 1e-6}, "rmsprop": {"rho": 0.85, "eps": 1e-7},
         "adam": {"beta1": 0.8, "beta2": 0.95, "eps": 1e-7}}


def test_the_registry_holds_the_six():
    assert list(OPTIMISERS) == ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
    for name, cls in OPTIMISERS.items():
        opt = cls()
        assert opt.name == name and opt.label and opt.formula.startswith(("w ←", "v ←", "G ←",
                                                                         "s ←", "m ←"))


@pytest.mark.parametrize("name", list(OPTIMISERS))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_several_steps_follow_the_rule_written_out(name, seed):
    rng = np.random.default_rng(seed)
    shapes = [tuple(rng.integers(1, 5, size=rng.integers(1, 3))) for _ in range(3)]
    params = [rng.normal(size=s) for s in shapes]
    expected = [p.copy() for p in params]
    h = {**OPTIMISERS[name]().hyper, **HYPER[name]}
    init, rule = _rule(name, h)
    states = [init(s) for s in shapes]
    opt = make_optimiser(name, **HYPER[name])
    for t in range(1, 7):
        lr = float(rng.uniform(0.01, 0.3))
        grads = [rng.normal(size=s) * 10.0 ** rng.integers(-3, 2) for s in shapes]
        opt.step(params, grads, lr)
        for i in range(len(shapes)):
            expected[i], states[i] = rule(expected[i], grads[i], states[i], lr, t)
    for got, want in zip(params, expected):
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15)
    assert opt.t == 6


def test_adam_first_step_is_lr_times_the_sign():
    # bias correction: after one step m^ = g and v^ = g^2, so the step is lr g / (|g| + eps)
    opt = make_optimiser("adam", eps=1e-12)
    w = np.array([1.0, -2.0, 0.5])
    opt.step([w], [np.array([3.0, -0.001, 40.0])], 0.1)
    np.testing.assert_allclose(w, [0.9, -1.9, 0.4], rtol=1e-10)


def test_a_none_gradient_leaves_its_array_and_state_alone():
    opt = make_optimiser("momentum", momentum=0.5)
    a, b = np.ones(2), np.ones(3)
    opt.step([a, b], [np.ones(2), None], 0.1)
    assert np.all(b == 1.0) and len(opt.slots) == 1
    np.testing.assert_allclose(a, 0.9)


def test_bind_equals_step():
    rng = np.random.default_rng(5)
    for name in OPTIMISERS:
        p1, p2 = rng.normal(size=(3, 4)), None
        p2 = p1.copy()
        g = np.zeros((3, 4))
        a, b = make_optimiser(name), make_optimiser(name)
        update = b.bind([p2], [g])
        for _ in range(4):
            g[...] = rng.normal(size=(3, 4))
            a.step([p1], [g], 0.05)
            update(0.05)
        assert np.array_equal(p1, p2) and a.t == b.t == 4


def test_lr_folding_is_exact_for_the_linear_rules():
    rng = np.random.default_rng(6)
    for name in ("sgd", "momentum", "nesterov"):
        assert OPTIMISERS[name].lr_folds
        p1 = rng.normal(size=5)
        p2 = p1.copy()
        a, b = make_optimiser(name), make_optimiser(name)
        for _ in range(3):
            g = rng.normal(size=5)
            a.step([p1], [g], 0.1)
            b.step([p2], [0.1 * g], 1.0)
        assert np.array_equal(p1, p2)
    assert not any(OPTIMISERS[n].lr_folds for n in ("adagrad", "rmsprop", "adam"))


def test_describe_update_gives_the_numbers_of_the_last_step():
    opt = make_optimiser("adam", beta1=0.5, beta2=0.75)
    opt.keep_last = True
    w = np.array([[0.0, 1.0]])
    opt.step([w], [np.array([[2.0, 4.0]])], 0.1)
    d = opt.describe_update(0, (0, 1))
    assert d["t"] == 1 and d["g"] == 4.0
    assert d["m"] == pytest.approx(2.0) and d["v"] == pytest.approx(4.0)
    assert d["m_hat"] == pytest.approx(4.0) and d["v_hat"] == pytest.approx(16.0)
    assert d["step"] == pytest.approx(-0.1 * 4.0 / (4.0 + 1e-8))
    mom = make_optimiser("momentum", momentum=0.5)
    w = np.zeros(2)
    mom.step([w], [np.array([1.0, 2.0])], 0.1)
    mom.step([w], [np.array([1.0, 2.0])], 0.1)
    assert mom.describe_update(0, 1)["v"] == pytest.approx(0.5 * -0.2 - 0.2)
    assert "g" not in mom.describe_update(0, 1)  # keep_last off: no copies kept


def test_state_dict_round_trips_through_json_and_continues_identically():
    rng = np.random.default_rng(7)
    for name in OPTIMISERS:
        opt = make_optimiser(name)
        w = [rng.normal(size=(2, 3)), rng.normal(size=4)]
        for _ in range(3):
            opt.step(w, [rng.normal(size=(2, 3)), rng.normal(size=4)], 0.1)
        back = optimiser_from_state(json.loads(json.dumps(opt.state_dict())))
        w2 = [a.copy() for a in w]
        g = [rng.normal(size=(2, 3)), rng.normal(size=4)]
        opt.step(w, g, 0.1)
        back.step(w2, g, 0.1)
        assert all(np.array_equal(a, b) for a, b in zip(w, w2)) and back.t == opt.t


def test_reset_and_copy():
    opt = make_optimiser("rmsprop")
    w = np.ones(3)
    opt.step([w], [np.ones(3)], 0.1)
    c = opt.copy()
    opt.reset()
    assert opt.t == 0 and opt.slots == [] and c.t == 1 and c.slots[0]["s"][0] > 0


@pytest.mark.parametrize("bad", [
    ("adam", {"beta1": 1.0}), ("adam", {"beta2": -0.1}), ("adam", {"eps": 0.0}),
    ("momentum", {"momentum": float("nan")}), ("rmsprop", {"rho": True}),
    ("sgd", {"momentum": 0.5}), ("adagrad", {"eps": "1e-8"}), ("nope", {})])
def test_bad_settings_are_refused_with_a_message(bad):
    name, hyper = bad
    with pytest.raises(ValueError):
        make_optimiser(name, **hyper)


def test_set_hyper_is_all_or_nothing():
    opt = make_optimiser("adam")
    with pytest.raises(ValueError):
        opt.set_hyper(beta1=0.5, beta2=2.0)
    assert opt.hyper["beta1"] == 0.9
    opt.set_hyper(beta1=0.5)
    assert opt.hyper["beta1"] == 0.5


_num = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**20, 10**20),
                 st.booleans(), st.text(max_size=3), st.none())


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(list(OPTIMISERS)), t=_num, shape=st.lists(_num, max_size=5),
       data=st.lists(_num, max_size=8), hyper=st.dictionaries(st.sampled_from(
           ["momentum", "eps", "rho", "beta1", "beta2", "x"]), _num, max_size=3))
def test_hostile_saved_states_are_refused_or_valid(name, t, shape, data, hyper):
    opt = make_optimiser(name)
    keys = opt.slot_names or ("v",)
    d = {"name": name, "hyper": hyper, "t": t,
         "slots": [{k: {"shape": shape, "data": data} for k in keys}]}
    before = json.dumps(opt.state_dict())
    try:
        opt.load_state_dict(d)
    except ValueError:
        assert json.dumps(opt.state_dict()) == before  # nothing changed
        return
    assert isinstance(opt.t, int) and opt.t >= 0
    for s in opt.slots:
        for a in s.values():
            assert np.isfinite(a).all()
    for v in opt.hyper.values():
        assert np.isfinite(v)


def test_the_worked_step_keeps_the_optimiser_the_config_asks_for():
    from nnviz.engine.core.network import Network
    from nnviz.engine.learning.training import TrainConfig
    from nnviz.engine.stepping.trace_options import StepOptions

    net = Network.create([2, 2, 1], "sigmoid")

    def opt(cfg, state=None):
        return StepOptions.from_config(cfg, net, 4, None, state).optimiser

    for name in ("nesterov", "adagrad", "rmsprop", "adam"):
        assert opt(TrainConfig(optimiser=name, momentum=0.9)).name == name
    # SGD with a momentum is the momentum optimiser, with its mu; plain SGD has none
    assert opt(TrainConfig(momentum=0.5)).hyper == {"momentum": 0.5}
    assert opt(TrainConfig(optimiser="sgd")) is None
    # the state reached is carried on (a copy), with the settings of now
    state = make_optimiser("adam")
    state.t = 3
    got = opt(TrainConfig(optimiser="adam", hyper=(("beta1", 0.5),)), state)
    assert got is not state and got.t == 3 and got.hyper["beta1"] == 0.5
    assert opt(TrainConfig(optimiser="rmsprop"), state).t == 0     # another one: afresh
