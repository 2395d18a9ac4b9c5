"""The Neuron lab's controllers: lessons, weights with undo, learning history, functions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz.controllers.document import Document
from nnviz.controllers.neuron.controller import NeuronController
from nnviz.controllers.neuron.functions import GALLERY, FunctionsController
from nnviz.engine.core.activations import get_activation


@pytest.fixture
def make_doc(qtbot):
    docs = []

    def make():
        docs.append(Document())
        return docs[-1]

    yield make
    for d in docs:   # the undo stack outlives the document's Python wrapper otherwise
        d.undo_stack.cleanChanged.disconnect()


@pytest.fixture
def ctl(make_doc):
    doc = make_doc()
    c = NeuronController(doc)
    doc.load_lesson("perceptron-nand")
    yield c
    c.playback.pause()


def test_lesson_loads_the_perceptron_and_its_data(ctl):
    assert ctl.w.tolist() == [-2, -2] and ctl.b == 3
    assert ctl.convention == "perceptron"
    assert ctl.data_name == "NAND"
    assert ctl.truth_table().y.tolist() == [1, 1, 1, 0]


def test_weights_are_undoable_and_one_signal_per_change(ctl, qtbot):
    with qtbot.waitSignal(ctl.perceptron_changed):
        ctl.set_preset("AND")
    assert ctl.truth_table().y.tolist() == [0, 0, 0, 1]
    ctl.doc.undo_stack.undo()
    assert ctl.w.tolist() == [-2, -2] and ctl.b == 3
    ctl.doc.undo_stack.redo()
    assert ctl.b == -3


def test_bad_weights_change_nothing(ctl):
    with pytest.raises(ValueError):
        ctl.set_weights(float("nan"), 0, 0)
    assert ctl.w.tolist() == [-2, -2]


def test_learning_steps_forward_and_back(ctl):
    assert ctl.status() == "idle"
    ws = []
    for _ in range(12):
        assert ctl.step_forward()
        ws.append(ctl.current_aug().copy())
    assert ctl.run.cursor == 12
    for k in range(11, 0, -1):
        assert ctl.step_back()
        assert np.array_equal(ctl.current_aug(), ws[k - 1])
    # forward again replays the same picks
    for _ in range(11):
        ctl.step_forward()
    assert np.array_equal(ctl.current_aug(), ws[11])


def test_learning_converges_on_nand_and_stops(ctl):
    for _ in range(500):
        if not ctl.step_forward():
            break
    assert ctl.status() == "converged"
    assert len(ctl.misclassified()) == 0
    assert ctl.truth_table().y.tolist() == [1, 1, 1, 0]


def test_learning_cycle_on_xor(make_doc):
    doc = make_doc()
    c = NeuronController(doc)
    doc.load_lesson("perceptron-xor")
    for _ in range(500):
        c.step_forward()
        if c.status() == "cycle":
            break
    assert c.status() == "cycle"
    k0, k1 = c.run.cycle()
    assert k0 < k1 and np.array_equal(c.run.w_hist[k0], c.run.w_hist[k1])


def test_added_points_snap_and_reset_learning(ctl):
    ctl.step_forward()
    ctl.add_point(0.512, 0.733, 1)
    assert ctl.data_name == "custom" and ctl.run.cursor == 0
    assert ctl.x[-1] == pytest.approx([0.5, 0.75])
    assert ctl.labels[-1] == 1
    with pytest.raises(ValueError):
        ctl.add_point(0.1, 0.1, 2)


def test_data_edits_are_undoable(ctl):
    ctl.add_point(0.3, 0.3, 0)
    ctl.set_data_gate("XOR")
    assert ctl.data_name == "XOR" and len(ctl.x) == 4
    ctl.doc.undo_stack.undo()
    assert ctl.data_name == "custom" and len(ctl.x) == 5
    ctl.doc.undo_stack.undo()
    assert ctl.data_name == "NAND" and len(ctl.x) == 4


def test_reset_returns_to_the_start_weights(ctl):
    for _ in range(10):
        ctl.step_forward()
    w0 = ctl.run.w_hist[0].copy()
    ctl.reset_learning()
    assert np.array_equal(ctl.current_aug(), w0) and ctl.run.cursor == 0


def test_state_keeps_the_learning_run(ctl, make_doc):
    for _ in range(15):
        ctl.step_forward()
    s = ctl.state()
    c2 = NeuronController(make_doc())
    c2.restore_state(s)
    assert c2.run.cursor == 15 and np.array_equal(c2.current_aug(), ctl.current_aug())
    assert [st.index for st in c2.run.steps] == [st.index for st in ctl.run.steps[:15]]
    c2.step_back()
    assert np.array_equal(c2.current_aug(), ctl.run.w_hist[14])


def test_state_round_trip_and_bad_state(ctl, make_doc):
    ctl.add_point(0.2, 0.3, 0)
    ctl.functions.set_softmax_z(1, 3.0)
    s = ctl.state()
    doc2 = make_doc()
    c2 = NeuronController(doc2)
    c2.restore_state(s)
    assert c2.state() == s
    before = c2.state()
    for bad in ({**s, "convention": "maybe"}, {**s, "labels": [3] * len(s["labels"])},
                {**s, "softmax_z": [1, 2]}, {**s, "b": "x"}, {"mp": {}}, [],
                {**s, "run": {"start": [1, 2], "cursor": 3}}, {**s, "run": {"cursor": -1}}):
        with pytest.raises(ValueError):
            c2.restore_state(bad)
        assert c2.state() == before


@pytest.mark.parametrize("name", GALLERY)
def test_gallery_values_are_the_engines(qtbot, name):
    f = FunctionsController()
    z, a, fp, _ = f.gallery_curve(name)
    # Leaky ReLU and ELU with the notes' α = 0.1 (adjustable), the rest as the engine has them
    act = get_activation(name, 0.1 if name in ("leaky_relu", "elu") else None)
    assert np.array_equal(a, act.fn(z))
    assert np.array_equal(fp, act.prime(z))
    f.set_gallery_z(1.3)
    assert f.gallery_at(name) == (float(act.fn(np.array([1.3]))[0]),
                                  float(act.prime(np.array([1.3]))[0]))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(-50, 50), min_size=4, max_size=4), st.floats(0, 50))
def test_softmax_outputs_sum_to_one(zs, c):
    f = FunctionsController()
    for j, z in enumerate(zs):
        f.set_softmax_z(j, z)
    f.set_softmax_scale(c)
    a = f.softmax_outputs()
    assert a.sum() == pytest.approx(1.0, abs=1e-12)
    assert (a >= 0).all()


def test_compare_perceptron_flips_sigmoid_moves_a_little():
    f = FunctionsController()
    f.set_compare_w(0.95)
    f.set_compare_w(1.05)                 # z crosses 0
    c = f.compare()
    assert c["d_perceptron"] == 1.0
    assert 0 < c["d_sigmoid"] < 0.05
    assert c["d_sigmoid_approx"] == pytest.approx(c["d_sigmoid"], rel=0.01)


def test_odd_lesson_settings_are_refused_before_anything_changes(make_doc):
    import json

    import pytest

    from nnviz.engine.teaching.lessons import LessonError, lessons_dir, parse_lesson

    raw = json.loads((lessons_dir() / "perceptron-xor.json").read_text())
    doc = make_doc()
    c = NeuronController(doc)
    doc.load_lesson(parse_lesson(raw))
    before = (c.data_name, c.seed, c.start_mode, c.mp_preset)
    for key, odd in (("page", 5), ("mp", [1]), ("learning", "x"), ("gallery", []),
                     ("compare", "a")):
        bad = dict(raw, settings={**raw.get("settings", {}), key: odd})
        with pytest.raises(LessonError, match=f"settings.{key}"):
            parse_lesson(bad)
    assert (c.data_name, c.seed, c.start_mode, c.mp_preset) == before
    assert doc.lesson.name == "perceptron-xor"
