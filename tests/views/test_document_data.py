"""The data set belongs to the document: made whole (with its split) when a lesson opens,
so every lab sees the same rows whichever lab was opened first. Until issue 18 the
Training controller made the data and wrote them into the document when it was first
made: mazur-2-2-2, linear-2-2-1 and step-network had their one example as data before the
Training lab was shown and 400 spiral points after, and the error surface changed with
them (away from the notes' numbers). A lesson that names no data set has its example."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.engine.files.workspace import workspace_to_dict


def _surface(win, qtbot):
    win.show_lab("surface")
    ctl = win.current_lab.controller
    qtbot.waitUntil(lambda: not ctl.busy() and ctl.surface is not None, timeout=30_000)
    s = ctl.surface
    return s.xs.copy(), s.ys.copy(), np.array(s.z, dtype=np.float64)


def _seen(win) -> tuple:
    d = win.doc
    return d.x.copy(), d.y.copy(), d.data.test.copy(), d.data.spec, d.dataset.edited


def _saved(win) -> dict:
    ws = workspace_to_dict(win.files.current_workspace())
    ws["labs"].pop("training", None)   # the Training lab's own settings (speed, init)
    return ws


@pytest.mark.parametrize("lesson", ["mazur-2-2-2", "linear-2-2-1", "step-network"])
def test_the_error_surface_and_the_workspace_are_the_same_before_and_after_the_training_lab(
        main_window, qtbot, lesson):
    win = main_window
    assert win.open_lesson(lesson)
    assert "training" not in win.session.parts   # its controller not made yet
    data, surface, saved = _seen(win), _surface(win, qtbot), _saved(win)
    assert len(data[0]) == 1 and np.array_equal(data[0][0], win.doc.example_x)  # the notes'
    assert np.array_equal(data[1][0], win.doc.example_y) and not data[2].any()
    assert not win.doc.is_modified
    win.show_lab("training")
    assert "training" in win.session.parts and not win.doc.is_modified
    after = _seen(win)
    for a, b in zip(data[:3], after[:3]):
        assert np.array_equal(a, b)
    assert data[3:] == after[3:]
    for a, b in zip(surface, _surface(win, qtbot)):
        assert np.array_equal(a, b)
    assert _saved(win) == saved
    assert saved["dataset"]["rows"] == "document" and saved["data"]["inputs"] == [
        win.doc.example_x.tolist()]


def test_a_lesson_makes_the_same_data_every_time(main_window):
    win = main_window
    assert win.open_lesson("spiral")
    first = _seen(win)
    win.show_lab("training")
    assert win.open_lesson("mazur-2-2-2") and win.open_lesson("spiral")
    for a, b in zip(first[:3], _seen(win)[:3]):
        assert np.array_equal(a, b)


def test_data_edits_in_the_training_lab_are_the_documents_and_undo_follows(main_window):
    """A point added in the Training lab is in the document (the error surface reads it);
    input features and structure edits are undone with the data the document fitted."""
    from nnviz.engine.sets.features import expand

    win = main_window
    assert win.open_lesson("spiral")
    win.show_lab("training")
    ctl = win.current_lab.ctl
    n = len(win.doc.x)
    ctl.data_edits.add_point((5.5, -5.5), label=0)
    assert len(win.doc.x) == n + 1 and win.doc.dataset.edited and win.doc.is_modified
    points = win.doc.data.x.copy()
    assert ctl.edits.toggle_feature("x1²")
    feats = ("x1", "x2", "x1²")
    assert win.doc.dataset.features == feats
    assert np.array_equal(win.doc.x, expand(points, feats))
    assert len(win.doc.example_x) == 3          # the Workbench's example reads them too
    win.doc.undo_stack.undo()
    assert np.array_equal(win.doc.x, points) and len(win.doc.example_x) == 2
    win.doc.undo_stack.redo()
    assert np.array_equal(win.doc.x, expand(points, feats))
    assert set(np.unique(win.doc.y)) == {-1.0, 1.0}   # tanh's class targets
    ctl.edits.set_activation(len(win.doc.network.sizes) - 2, "sigmoid")
    assert set(np.unique(win.doc.y)) == {0.0, 1.0}    # the targets follow the output
    win.doc.undo_stack.undo()
    assert set(np.unique(win.doc.y)) == {-1.0, 1.0} and np.array_equal(win.doc.data.x, points)


def _keys(win, qtbot, *, redo: bool = False) -> None:
    """Ctrl+Z (or Ctrl+Shift+Z) in the main window, as a user presses them."""
    win.setFocus()
    mods = Qt.KeyboardModifier.ControlModifier
    if redo:
        mods |= Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(win, Qt.Key.Key_Z, mods)


def test_each_data_edit_in_the_training_lab_is_one_undo_step(main_window, qtbot, tmp_path):
    """Points clicked onto the map, a change of the split (two key presses in its box: one
    step), new points and a CSV import are undone and redone with Ctrl+Z / Ctrl+Shift+Z;
    the Training lab shows the data of each step, and undoing them all leaves the
    document unmodified."""
    from tests.views.test_training_lab import _click

    win = main_window
    assert win.open_lesson("spiral")
    lab = win.current_lab
    assert lab.name == "training" and not win.doc.is_modified
    first = _seen(win)

    lab.data_panel.click_class.setCurrentIndex(0)
    _click(lab, 5.5, -5.5)
    _click(lab, -5.5, -5.5, mod=Qt.KeyboardModifier.ShiftModifier)  # a test point
    assert len(win.doc.x) == 402 and win.doc.is_modified
    lab.data_panel.split.setFocus()
    for _ in range(2):
        qtbot.keyClick(lab.data_panel.split, Qt.Key.Key_Down)
    assert win.doc.data.spec.split == pytest.approx(0.48)
    qtbot.mouseClick(lab.data_panel.regenerate, Qt.MouseButton.LeftButton)
    csv = tmp_path / "four.csv"
    csv.write_text("x1,x2,label\n1,1,1\n-1,-1,1\n1,-1,0\n-1,1,0\n")
    assert lab.import_csv(str(csv))
    assert len(win.doc.x) == 4 and win.doc.dataset.edited
    steps = [win.doc.undo_stack.text(i) for i in range(win.doc.undo_stack.count())]
    assert steps == ["Add a point", "Add a test point", "Data: split", "Data: seed",
                     "Import CSV data"]

    _keys(win, qtbot)                                   # the CSV
    lab.redraw()
    assert len(win.doc.x) == 400 and lab.map.point_counts() == (192, 208)
    _keys(win, qtbot)                                   # the new points
    assert win.doc.data.spec.seed == first[3].seed
    _keys(win, qtbot)                                   # the split, both key presses
    assert win.doc.data.spec.split == first[3].split and len(win.doc.x) == 402
    _keys(win, qtbot)
    _keys(win, qtbot)
    for a, b in zip(first[:3], _seen(win)[:3]):
        assert np.array_equal(a, b)
    assert _seen(win)[3:] == first[3:] and not win.doc.is_modified
    lab.redraw()
    assert lab.map.point_counts() == (200, 200)

    _keys(win, qtbot, redo=True)
    assert len(win.doc.x) == 401 and win.doc.is_modified
    assert np.allclose(win.doc.data.x[-1], (5.5, -5.5), atol=0.15)
    for _ in range(4):
        _keys(win, qtbot, redo=True)
    lab.redraw()
    assert len(win.doc.x) == 4 and lab.map.point_counts()[0] + lab.map.point_counts()[1] == 4
