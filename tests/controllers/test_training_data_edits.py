"""The training controller's data edits (``ctl.data_edits``): a part that keeps nothing
of its own; each edit replaces the document's data set in one undo step."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.controllers.training.data import DataEdits


def test_the_part_is_made_with_the_controller_and_reads_the_documents_data(training_ctl):
    ctl = training_ctl
    ctl.doc.load_lesson("spiral")
    edits = ctl.data_edits
    assert isinstance(edits, DataEdits) and edits.ctl is ctl and edits.doc is ctl.doc
    assert edits.data is ctl.doc.data
    before = ctl.doc.data
    assert edits.regenerate()              # a new data set: the document's, not a copy
    assert ctl.doc.data is not before and edits.data is ctl.doc.data
    assert ctl.data.spec.seed == before.spec.seed + 1
    assert ctl.doc.undo_stack.undoText().startswith("Data")
    ctl.doc.undo_stack.undo()
    assert ctl.data.spec.seed == before.spec.seed


def test_a_click_adds_a_point_of_the_class_or_the_next_and_a_second_click_removes_it(
        training_ctl):
    ctl = training_ctl
    ctl.doc.load_lesson("spiral")
    n, k = len(ctl.data.x), ctl.data.n_classes
    ctl.data_edits.click((5.9, -5.9), 0.3, 0)
    assert len(ctl.data.x) == n + 1 and ctl.data.labels[-1] == 0 and not ctl.data.test[-1]
    ctl.data_edits.click((5.9, -5.85), 0.3, 0)            # on it: removed
    assert len(ctl.data.x) == n
    ctl.data_edits.click((5.9, -5.9), 0.3, k - 1, other=True, test=True)
    expected = 0 if k > 2 else 1 - (k - 1)                  # the next class, after the last
    assert ctl.data.labels[-1] == expected and ctl.data.test[-1]
    with pytest.raises(ValueError):
        ctl.data_edits.click((-5.9, 5.9), 0.3, k)            # no such class: nothing added
    assert len(ctl.data.x) == n + 1


def test_a_click_on_regression_data_adds_its_y_as_the_target(training_ctl):
    ctl = training_ctl
    ctl.doc.load_lesson("exploding-gradients")   # 1-D regression
    assert ctl.data.regression
    n = len(ctl.data.x)
    ctl.data_edits.click((0.123, 0.5), 1e-9, 0, other=True)
    assert len(ctl.data.x) == n + 1
    assert ctl.data.x[-1, 0] == 0.123 and np.isclose(ctl.data.y[-1, 0], 0.5)
