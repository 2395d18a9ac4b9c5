"""The document on its own: lessons, undoable edits, merging, the modified flag, refusals."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.controllers.document import Document


@pytest.fixture
def doc(qtbot):
    d = Document()
    d.load_lesson("mazur-2-2-2")
    return d


def test_a_new_lesson_is_unmodified_with_an_empty_history(qtbot):
    d = Document()
    seen = []
    d.lesson_changed.connect(lambda: seen.append("lesson"))
    d.network_changed.connect(lambda: seen.append("network"))
    d.modified_changed.connect(lambda m: seen.append(("modified", m)))
    d.load_lesson("mazur-2-2-2")
    assert seen[:2] == ["lesson", "network"] and seen[-1] == ("modified", False)
    assert d.lesson.name == "mazur-2-2-2"
    assert d.network.weights[1][0, 0] == 0.4
    assert d.undo_stack.count() == 0 and not d.is_modified


def test_an_edit_is_undoable_and_undo_back_to_the_start_is_clean(doc):
    doc.set_weight(1, 0, 0, 0.5)
    assert doc.network.weights[1][0, 0] == 0.5 and doc.is_modified
    assert doc.undo_stack.undoText() == "Set w5 = 0.5"
    doc.undo_stack.undo()
    assert doc.network.weights[1][0, 0] == 0.4 and not doc.is_modified
    doc.undo_stack.redo()
    assert doc.network.weights[1][0, 0] == 0.5 and doc.is_modified


def test_merged_edits_of_one_weight_are_one_undo_entry(doc):
    for v in (0.41, 0.42, 0.43):
        doc.set_weight(1, 0, 0, v, merge=True)
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert doc.network.weights[1][0, 0] == 0.4


def test_edits_of_different_parameters_or_without_merge_stay_apart(doc):
    doc.set_weight(1, 0, 0, 0.41, merge=True)
    doc.set_weight(1, 0, 1, 0.46, merge=True)
    doc.set_bias(1, 0, 0.7, merge=True)
    doc.set_weight(1, 0, 1, 0.47)
    doc.set_weight(1, 0, 1, 0.48)
    assert doc.undo_stack.count() == 5
    for _ in range(5):
        doc.undo_stack.undo()
    np.testing.assert_array_equal(doc.network.weights[1], [[0.4, 0.45], [0.5, 0.55]])
    np.testing.assert_array_equal(doc.network.biases[1], [0.6, 0.6])


def test_a_shared_bias_is_set_for_every_neuron_of_its_layer(doc):
    doc.set_bias(0, 1, 0.3)
    np.testing.assert_array_equal(doc.network.biases[0], [0.3, 0.3])
    np.testing.assert_array_equal(doc.network.biases[1], [0.6, 0.6])


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_a_non_finite_edit_is_refused_and_changes_nothing(doc, bad):
    before = doc.network.copy()
    with pytest.raises(ValueError, match="finite"):
        doc.set_weight(0, 0, 0, bad)
    with pytest.raises(ValueError, match="finite"):
        doc.set_bias(0, 0, bad)
    assert doc.undo_stack.count() == 0 and not doc.is_modified
    for a, b in zip(doc.network.weights + doc.network.biases, before.weights + before.biases):
        np.testing.assert_array_equal(a, b)


def test_saving_marks_clean_and_changes_outside_the_stack_mark_modified(doc):
    doc.set_weight(0, 0, 0, 0.2)
    doc.mark_saved()
    assert not doc.is_modified
    doc.undo_stack.undo()
    assert doc.is_modified  # the saved state had the edit
    doc.undo_stack.redo()
    assert not doc.is_modified
    doc.network_updated()  # training changed the weights in place
    assert doc.is_modified
    doc.mark_saved()
    assert not doc.is_modified


def test_settings_and_data_are_validated_before_they_change(doc):
    config, x, ex = doc.config, doc.x.copy(), doc.example_x.copy()
    with pytest.raises(ValueError):
        doc.set_config(eta=-1.0)
    assert doc.config is config
    with pytest.raises(ValueError, match="NaN or infinite"):
        doc.set_data(np.array([[np.nan, 0.0]]), np.array([[1.0, 0.0]]))
    np.testing.assert_array_equal(doc.x, x)
    with pytest.raises(ValueError, match="2 inputs and 2 targets"):
        doc.set_example(np.array([0.1, 0.2, 0.3]), np.array([0.0, 1.0]))
    np.testing.assert_array_equal(doc.example_x, ex)
    assert not doc.is_modified
    doc.set_config(eta=0.25)
    assert doc.config.eta == 0.25 and doc.is_modified


def test_a_lesson_that_cannot_be_opened_leaves_the_document_as_it_was(doc, tmp_path):
    doc.set_weight(1, 0, 0, 0.5)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "nnviz-lesson", "version": 1, "name": "x"}', encoding="utf-8")
    for target in ("no-such-lesson", str(bad)):
        message = doc.try_load_lesson(target)
        assert message
        assert doc.lesson.name == "mazur-2-2-2" and doc.network.weights[1][0, 0] == 0.5
        assert doc.undo_stack.count() == 1


def test_names_follow_the_structure(doc):
    assert doc.naming.weight(1, 0, 0) == "w5"
    from nnviz.engine.core.edit import insert_layer

    doc.set_network(insert_layer(doc.network, 1, 3, "sigmoid", np.random.default_rng(0)),
                    "Add layer")
    assert doc.network.sizes == [2, 3, 2, 2]
    assert doc.naming.weight(1, 0, 0) != "w5"
    doc.undo_stack.undo()
    assert doc.naming.weight(1, 0, 0) == "w5"


def test_merge_ids_of_a_784_100_10_network_never_collide(qtbot):
    """Every weight and bias of 784-100-10 has its own merge id (the old code
    1_000_000 + layer*10_000 + j*100 + k gave w[0][0,100] and w[0][1,0] the same one),
    and dragging one weight right after another keeps two undo entries."""
    from nnviz.controllers.undo import merge_id
    from nnviz.engine.core.network import Network

    net = Network.create([784, 100, 10], "sigmoid", np.random.default_rng(0))
    ids = {merge_id("weight", l, j, k) for l, W in enumerate(net.weights)
           for j in range(W.shape[0]) for k in range(W.shape[1])}
    ids |= {merge_id("bias", l, j) for l, b in enumerate(net.biases) for j in range(len(b))}
    assert len(ids) == net.n_params() == 79_510
    assert merge_id("weight", 0, 0, 100) == merge_id("weight", 0, 0, 100)

    d = Document()
    d.load_lesson("wide-784-100-10")
    d.set_weight(0, 0, 100, 0.5, merge=True)
    d.set_weight(0, 1, 0, 0.25, merge=True)   # another weight: its own undo entry
    assert d.undo_stack.count() == 2
    d.undo_stack.undo()
    assert d.network.weights[0][0, 100] == 0.5
    d.undo_stack.undo()
    assert d.network.weights[0][0, 100] != 0.5


def _spy(doc):
    seen = []
    doc.network_changed.connect(lambda: seen.append("network"))
    doc.structure_changed.connect(lambda: seen.append("structure"))
    return seen


def test_a_weight_edit_or_training_changes_the_network_but_not_its_structure(doc):
    seen = _spy(doc)
    doc.set_weight(1, 0, 0, 0.5)
    doc.set_bias(0, 0, 0.25)
    doc.network.weights[0][0, 0] += 0.1     # training changes it in place
    doc.network_updated()
    assert seen == ["network"] * 3
    doc.undo_stack.undo()                   # undo of a weight edit: the same shape
    assert seen == ["network"] * 4


def test_adding_a_hidden_layer_changes_the_structure_and_undo_changes_it_back(doc):
    from nnviz.engine.core import edit

    seen = _spy(doc)
    doc.set_network(edit.insert_layer(doc.network, 1, 3, "tanh", np.random.default_rng(0)),
                    "Add layer")
    assert doc.network.sizes == [2, 3, 2, 2]
    assert seen == ["structure", "network"]
    doc.undo_stack.undo()
    assert doc.network.sizes == [2, 2, 2] and seen == ["structure", "network"] * 2
    seen.clear()
    doc.set_network(edit.set_activation(doc.network, 1, "relu"), "ReLU")   # same sizes
    assert seen == ["structure", "network"]


def test_a_new_lesson_or_workspace_announces_a_new_structure(doc):
    seen = _spy(doc)
    doc.load_lesson("mazur-2-2-2")        # even the same shape: a new network
    assert seen == ["structure", "network"]


def test_undo_of_a_shape_change_puts_the_data_back_as_they_were(qtbot):
    """A new output layer the user's rows do not fit: the data are made again for it; undo
    puts back the user's own rows and split (it fitted them again from the lesson's
    settings before: 7 edited rows became XOR's 4), redo the same fitted set."""
    from nnviz.engine.core.network import Network

    doc = Document()
    doc.load_lesson("xor-mlp")
    x = np.random.default_rng(1).normal(size=(7, 2))
    doc.set_data(x, (x[:, :1] > 0).astype(float))
    mine, net = doc.dataset, doc.network
    wider = Network([w.copy() for w in net.weights[:-1]] + [np.vstack([net.weights[-1]] * 2)],
                    [b.copy() for b in net.biases[:-1]] + [np.tile(net.biases[-1], 2)],
                    list(net.activations), list(net.shared_bias), list(net.use_bias))
    seen = _spy(doc)
    doc.data_changed.connect(lambda: seen.append("data"))
    doc.set_network(wider, "Two outputs")
    fitted = doc.dataset
    assert fitted is not mine and doc.y.shape[1] == 2 and not fitted.edited
    assert seen == ["structure", "network", "data"]
    doc.undo_stack.undo()
    assert doc.dataset is mine and np.array_equal(doc.x, x) and doc.dataset.edited
    assert doc.network.equals(net) and seen[3:] == ["structure", "network", "data"]
    doc.undo_stack.redo()
    assert doc.dataset is fitted and doc.network.equals(wider)
    doc.undo_stack.undo()
    doc.undo_stack.undo()                     # the rows' own entry: the lesson's data
    assert len(doc.x) == 4


def test_a_hidden_layer_added_and_undone_keeps_the_data_set(doc):
    from nnviz.engine.core import edit

    data = doc.dataset
    doc.set_network(edit.insert_layer(doc.network, 1, 3, "tanh", np.random.default_rng(0)),
                    "Add layer")
    assert doc.dataset is data
    doc.undo_stack.undo()
    assert doc.dataset is data
