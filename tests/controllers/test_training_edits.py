"""The Training controller's network edits (``ctl.edits``), with their own state: the
count of Resets (each draws other weights, the same ones for the same lesson) and the
generator of structure edits' new weights (seeded by the lesson)."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.controllers.document import Document
from nnviz.controllers.training.controller import TrainingController


@pytest.fixture
def two(qtbot):
    made = []
    for _ in range(2):
        doc = Document()
        made.append(TrainingController(doc))
        doc.load_lesson("spiral")
    yield made
    for c in made:
        c.shutdown()
        c.doc.undo_stack.blockSignals(True)
        c.doc.undo_stack.clear()


def test_each_reset_draws_other_weights_the_same_for_the_same_lesson(two):
    a, b = two
    assert a.edits.resets == 0
    a.edits.reset()
    first = a.doc.network.get_params()
    a.edits.reset()
    assert a.edits.resets == 2 and not np.array_equal(a.doc.network.get_params(), first)
    b.edits.reset()
    assert np.array_equal(b.doc.network.get_params(), first)   # reset 1 of the lesson
    assert a.epoch == 0 and len(a.history.epoch) == 1          # the run starts again


def test_structure_edits_draw_their_new_weights_from_the_lessons_generator(two):
    a, b = two
    assert a.edits.resize_layer(1, +1) and b.edits.resize_layer(1, +1)
    assert np.array_equal(a.doc.network.get_params(), b.doc.network.get_params())
    assert a.edits.resize_layer(1, +1)   # the generator moved on: another new neuron
    w = a.doc.network.weights[0]
    assert not np.array_equal(w[-1], w[-2])
    a.doc.load_lesson("spiral")   # the lesson again: its generator from the start
    assert a.edits.resize_layer(1, +1)
    b.doc.undo_stack.undo()
    b.doc.load_lesson("spiral")
    assert b.edits.resize_layer(1, +1)
    assert np.array_equal(a.doc.network.get_params(), b.doc.network.get_params())


def test_an_edit_that_cannot_be_made_changes_nothing_and_says_why(two):
    a, _ = two
    messages = []
    a.doc.message.connect(messages.append)
    while len(a.doc.network.sizes) > 2:
        assert a.edits.change_layers(-1)
    before, undo = a.doc.network.get_params(), a.doc.undo_stack.count()
    assert not a.edits.change_layers(-1) and messages == ["There is no hidden layer to remove."]
    assert not a.edits.resize_layer(1, +1) and len(messages) == 2
    assert np.array_equal(a.doc.network.get_params(), before)
    assert a.doc.undo_stack.count() == undo
