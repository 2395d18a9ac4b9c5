"""The document's data set made in one place (nnviz.engine.sets.data_state): from the lesson
alone, the same every time; fitted again to a new network; its workspace part."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnviz.engine.sets import data_state as D
from nnviz.engine.teaching.lessons import load_lesson


def _made(name: str) -> D.DocData:
    lesson = load_lesson(name)
    return D.lesson_data(D.lesson_spec(lesson)[0], lesson.network, lesson.dataset())


def test_a_lesson_makes_the_same_data_set_every_time():
    a, b = _made("overfitting"), _made("overfitting")
    assert len(a.data.x) == 400 and (~a.data.test).sum() == 40 and not a.edited
    assert np.array_equal(a.data.x, b.data.x) and np.array_equal(a.data.test, b.data.test)


@pytest.mark.parametrize("name", ["mazur-2-2-2", "linear-2-2-1", "step-network"])
def test_a_lesson_that_names_no_data_has_its_example(name):
    lesson = load_lesson(name)
    d = _made(name)
    ex_x, ex_y = lesson.example()
    assert np.array_equal(d.data.x, ex_x[None]) and np.array_equal(d.data.y, ex_y[None])
    assert not d.data.test.any()


def test_a_workspace_of_the_lessons_rows_is_the_lessons_set_else_a_table():
    lesson = load_lesson("spiral")
    spec = D.lesson_spec(lesson)[0]
    made = _made("spiral")
    same = D.opened_data(spec, lesson.network, (made.data.x, made.data.y))
    assert not same.edited and np.array_equal(same.data.test, made.data.test)
    moved = D.opened_data(spec, lesson.network, (made.data.x + 0.5, made.data.y))
    assert moved.edited and np.array_equal(moved.data.x, made.data.x + 0.5)


def test_refit_encodes_the_class_targets_for_the_output_and_keeps_the_points():
    from nnviz.engine.core.activations import get_activation

    lesson = load_lesson("spiral")   # tanh output: -1/+1 targets
    d = _made("spiral")
    net = lesson.network.copy()
    net.activations[-1] = get_activation("sigmoid")
    got, why = D.refit(d, net, D.lesson_spec(lesson)[0])
    assert why is None and np.array_equal(got.data.x, d.data.x)
    assert set(np.unique(got.data.y)) == {0.0, 1.0}
    assert np.array_equal(got.data.y[:, 0], (d.data.y[:, 0] > 0).astype(float))
    assert D.refit(got, net, D.lesson_spec(lesson)[0])[0] is got   # nothing to change


def test_the_workspace_part_round_trips_and_bad_parts_are_refused():
    lesson = load_lesson("spiral")
    d = _made("spiral")
    st = D.data_state(d)
    back = D.restored_data(st, (d.data.x, d.data.y), lesson.network)
    assert np.array_equal(back.data.x, d.data.x) and np.array_equal(back.data.test, d.data.test)
    for bad in ({**st, "rows": "both"}, {**st, "test": [0, 0]}, {**st, "test": [400]},
                {**st, "features": ["x1", "x3"]}, {**st, "data": {"dataset": "digits"}}):
        with pytest.raises(ValueError):
            D.restored_data(bad, (d.data.x, d.data.y), lesson.network)


def test_a_workspace_file_with_a_data_set_that_does_not_fit_is_refused():
    from nnviz.engine.files.validate import FormatError
    from nnviz.engine.files.workspace import Workspace, dumps_workspace, loads_workspace

    lesson = load_lesson("spiral")
    d = _made("spiral")
    ws = Workspace(lesson, lesson.network, d.data.x, d.data.y, d.data.x[0], d.data.y[0],
                   lesson.train, lesson.loss, dataset=D.data_state(d))
    back = loads_workspace(dumps_workspace(ws))
    assert back.dataset == D.data_state(d)
    ws.dataset = {**D.data_state(d), "test": [400]}
    with pytest.raises(FormatError, match="dataset"):
        loads_workspace(dumps_workspace(ws))


def _dataset_workspaces() -> dict[str, dict]:
    """Saved workspaces whose 'dataset' says each thing it can: made from the settings;
    the document's own rows (a point removed) with a test split; input features with
    their points."""
    import json

    from nnviz.engine.core.network import Network
    from nnviz.engine.files.workspace import Workspace, workspace_to_dict
    from nnviz.engine.sets.data import without_point
    from nnviz.engine.sets.features import expand, rewire

    lesson = load_lesson("spiral")
    made = _made("spiral")
    own = made.with_data(without_point(made.data, 3), True)
    feats = ("x1", "x2", "x1²")
    n = lesson.network
    w = [rewire(n.weights[0], ("x1", "x2"), feats, np.random.default_rng(0)), *n.weights[1:]]
    wide = Network(w, n.biases, n.activations, n.shared_bias, n.use_bias, n.norms)
    out = {}
    for name, d, net in (("spec", made, lesson.network), ("own", own, lesson.network),
                         ("features", D.DocData(own.data, True, feats), wide)):
        x = d.data.x if d.features == ("x1", "x2") else expand(d.data.x, d.features)
        ws = Workspace(lesson, net, x, d.data.y, x[0], d.data.y[0], lesson.train,
                       lesson.loss, dataset=D.data_state(d))
        out[name] = json.loads(json.dumps(workspace_to_dict(ws)))
    return out


DATASET_WORKSPACES = _dataset_workspaces()


def test_the_unmutated_data_sets_are_read_back():
    from nnviz.engine.files.workspace import parse_workspace

    assert set(DATASET_WORKSPACES) == {"spec", "own", "features"}
    for d in DATASET_WORKSPACES.values():
        ws = parse_workspace(d)
        assert ws.dataset == d["dataset"]


def _hostile_dataset():
    """A saved workspace with one hostile value (or a removed or unknown key) in any field
    of its 'dataset', or in place of the whole section."""
    from tests.hostile_strategies import HOSTILE_VALUES, leaf_paths, mutate

    @st.composite
    def variant(draw):
        d = DATASET_WORKSPACES[draw(st.sampled_from(sorted(DATASET_WORKSPACES)))]
        path = draw(st.sampled_from([p for p in leaf_paths(d) if p[0] == "dataset"]))
        action = draw(st.sampled_from(["replace", "replace", "replace", "remove", "add"]))
        return mutate(d, path, draw(st.sampled_from(HOSTILE_VALUES)), action)
    return variant()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_hostile_dataset())
def test_a_hostile_data_set_is_refused_or_read_whole(d):
    """parse_workspace validates the whole 'dataset' (FormatError, never another
    exception); what it accepts the document can install (restored_data again)."""
    from nnviz.engine.files.validate import FormatError
    from nnviz.engine.files.workspace import parse_workspace

    try:
        ws = parse_workspace(d)
    except FormatError:
        return
    if ws.dataset is not None:
        got = D.restored_data(ws.dataset, (ws.x, ws.y), ws.network)
        assert len(got.data.x) == len(got.data.test) and np.isfinite(got.net.x).all()
