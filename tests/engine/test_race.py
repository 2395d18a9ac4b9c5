"""The race surfaces against finite differences and the notes; racers are optimisers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz.engine.labs.race import COLOURS, MAX_STEPS, SURFACES, Race, default_entries
from nnviz.engine.learning.optimisers import make_optimiser


@pytest.mark.parametrize("name", list(SURFACES))
def test_gradients_match_central_differences(name):
    s = SURFACES[name]()
    rng = np.random.default_rng(0)
    x0, x1, y0, y1 = s.bounds
    for _ in range(6):
        p = np.array([rng.uniform(x0, x1), rng.uniform(y0, y1)])
        h = 1e-6
        num = [(s.loss(p + h * e) - s.loss(p - h * e)) / (2 * h) for e in np.eye(2)]
        np.testing.assert_allclose(s.grad(p), num, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("name", list(SURFACES))
def test_the_grid_is_the_loss_at_each_point(name):
    s = SURFACES[name]()
    xs, ys = np.linspace(s.bounds[0], s.bounds[1], 7), np.linspace(s.bounds[2], s.bounds[3], 5)
    z = s.grid(xs, ys)
    assert z.shape == (5, 7)
    for i in (0, 2, 4):
        for j in (0, 3, 6):
            assert z[i, j] == pytest.approx(s.loss(np.array([xs[j], ys[i]])), rel=1e-12)


def test_the_notes_sigmoid_neuron_by_sgd():
    # REFERENCE.md section 6: eta = 1, start w = b = -2
    s = SURFACES["sigmoid-neuron"]()
    race = Race(s, [("sgd", 1.0, {})])
    r = race.racers[0]
    assert r.losses[0] == pytest.approx(0.4158199010, abs=5e-11)
    race.step(1)
    assert r.p[0] == pytest.approx(-1.9945076808, abs=5e-11)
    assert r.p[1] == pytest.approx(-1.9922888408, abs=5e-11)
    assert r.losses[-1] == pytest.approx(0.4157298551, abs=5e-11)
    race.step(99)
    assert r.p[0] == pytest.approx(1.0029902114, abs=5e-10)
    assert r.p[1] == pytest.approx(-1.0507858881, abs=5e-10)
    assert r.losses[-1] == pytest.approx(0.0177410096, abs=5e-11)
    assert r.steps == 100 and len(r.path) == 101


@pytest.mark.parametrize("name", ["momentum", "nesterov", "adagrad", "rmsprop", "adam"])
def test_each_racer_is_its_optimiser_on_the_surface(name):
    s = SURFACES["ravine"]()
    race = Race(s, [(name, 0.02, {})], start=(-5.0, 1.0))
    race.step(15)
    opt, p = make_optimiser(name), np.array([-5.0, 1.0])
    for _ in range(15):
        opt.step([p], [np.array([p[0] / 10.0, 10.0 * p[1]])], 0.02)
    assert np.array_equal(race.racers[0].p, p)
    d = dict(race.describe(0))
    assert "g" in d and "step" in d
    assert d["step"] == pytest.approx(tuple(np.subtract(race.racers[0].path[-1],
                                                        race.racers[0].path[-2])))


def test_the_xor_plateau_holds_sgd_and_not_adam():
    s = SURFACES["xor"]()
    race = Race(s, default_entries(s, ["sgd", "adam"]))
    race.step(100)
    sgd, adam = race.racers
    assert sgd.losses[-1] > 0.99 and adam.losses[-1] < 0.1


def test_the_optimiser_race_lesson_says_the_plateaus_gradient_right():
    """Its first caption: loss 1.0, gradient under 10^-6 (about -6.3 x 10^-7 in each
    direction) at v1 = -6, v2 = -2 (it said about 10^-4, 160 times too large)."""
    from nnviz.engine.teaching.lessons import load_lesson

    text = load_lesson("optimiser-race").captions[0].text
    s = SURFACES["xor"]()
    start = np.array([-6.0, -2.0])
    assert "v1 = -6, v2 = -2" in text and "the loss is 1.0" in text
    assert round(s.loss(start), 1) == 1.0
    g = s.grad(start)
    assert "under 10^-6" in text and np.all(np.abs(g) < 1e-6)
    assert "about −6.3 × 10^-7 in v1 and in v2" in text
    assert np.all(np.round(g / 1e-7, 1) == -6.3)


def test_a_diverging_racer_stops_at_its_last_finite_point():
    s = SURFACES["ravine"]()
    race = Race(s, [("sgd", 5.0, {}), ("adam", 0.1, {})])
    race.step(2000)
    sgd, adam = race.racers
    assert sgd.stopped.startswith("diverged at step")
    assert np.isfinite(sgd.p).all() and np.isfinite(sgd.losses).all()
    assert len(sgd.path) == sgd.steps + 1
    assert adam.steps == 2000 and not adam.stopped and race.running()


def test_racers_stop_after_the_step_limit_and_reset_starts_again():
    s = SURFACES["saddle"]()
    race = Race(s, [("sgd", 0.01, {})])
    race.step(MAX_STEPS + 5)
    r = race.racers[0]
    assert r.steps == MAX_STEPS and r.stopped and not race.running()
    race.reset((0.5, 0.5))
    assert r.steps == 0 and r.path == [(0.5, 0.5)] and r.opt.t == 0 and not r.stopped


@pytest.mark.parametrize("bad", [("sgd", 0.0), ("sgd", float("nan")), ("adam", 1e4)])
def test_bad_rates_and_starts_are_refused(bad):
    s = SURFACES["saddle"]()
    with pytest.raises(ValueError):
        Race(s, [(bad[0], bad[1], {})])
    with pytest.raises(ValueError):
        Race(s, [], start=(float("inf"), 0.0))


def test_colours_are_okabe_ito_and_distinct():
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
                 "#000000"}
    assert set(COLOURS.values()) <= okabe_ito and len(set(COLOURS.values())) == len(COLOURS)


_hostile = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30),
                     st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
                     st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=3))


@settings(max_examples=200, deadline=None)
@given(surface=st.one_of(st.sampled_from(list(SURFACES)), _hostile),
       names=st.one_of(st.lists(st.sampled_from(["sgd", "adam", "momentum", "nope"]),
                                max_size=4), _hostile),
       rates=st.one_of(st.dictionaries(st.sampled_from(["sgd", "adam", "x"]), _hostile,
                                       max_size=2), _hostile),
       start=_hostile, k=_hostile)
def test_hostile_race_settings_are_refused_or_make_a_valid_race(surface, names, rates, start, k):
    from nnviz.controllers.surface.race import parse_race

    d = {"surface": surface, "optimisers": names, "rates": rates, "start": start,
         "steps_per_tick": k}
    try:
        v = parse_race(d)
    except ValueError:
        return
    s = SURFACES[v["surface"]]()
    race = Race(s, [(n, v["rates"].get(n, s.rates[n]), {}) for n in v["optimisers"]],
                v["start"])
    race.step(3)
    for r in race.racers:
        assert np.isfinite(r.p).all() and np.isfinite(r.losses).all()
