"""Opening is all-or-nothing (issue 17, items 7 and 8): a workspace or lesson with a
hostile value is refused before anything changes — the window, its undo history and its
training progress stay exactly as they were — and if a lab fails anyway, the rollback
catches every exception (even one raised in a slot)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pytest

from tests.views.test_hostile_open import HOSTILE, open_via_menu, snapshot


def _trained_window(win, qtbot):
    """The spiral lesson in the training lab after a few epochs (an entry of the history)
    and one undoable edit."""
    assert win.open_lesson("spiral")
    win.show_lab("training")
    ctl = win.labs["training"].ctl
    ctl.run_epochs(3)
    qtbot.waitUntil(lambda: ctl.epoch >= 3)
    win.doc.set_weight(0, 0, 0, 0.25)
    assert win.doc.undo_stack.count() == 2
    return ctl


def _saved(win, tmp_path) -> dict:
    path = tmp_path / "good.nnviz"
    assert win.files.save_to(str(path))
    return json.loads(path.read_text())


def _state(win, ctl) -> tuple:
    return snapshot(win) + (ctl.epoch, len(ctl.history.epoch) if hasattr(ctl.history, "epoch")
                            else None)


HOSTILE_WORKSPACE_EDITS = {
    "surface centre 10**400": lambda d: d["labs"].setdefault("surface", {}).update(
        center=[10**400, 0.0]),
    "surface centre 1e308": lambda d: d["labs"].setdefault("surface", {}).update(
        center=[1e308, 0.0]),
    "neuron values 1e308": lambda d: d["labs"].setdefault("neuron", {}).update(
        w=[1e308, 1e308], b=1e308),
    "universality weights 1e308": lambda d: d["labs"].setdefault("universality", {}).update(
        controller={"w": [1e308]}),
    "lesson goal 9^9^9^9 with fit": lambda d: d["lesson"]["raw"].update(
        lab="universality", settings={"mode": "bumps", "goal": "9^9^9^9", "fit": True}),
    "losses as lists": lambda d: d["lesson"]["raw"].update(
        settings={"losses": [["mse"], ["cross"]]}),
    "template with a width": lambda d: d["lesson"]["raw"].update(
        names={"templates": {"net": "{n:>999999999}"}}),
    "unknown lab state key": lambda d: d["labs"].setdefault("training", {}).update(
        surprise=1),
    "position phase": lambda d: d.update(position={"k": 0, "phase": "<b>x</b>"}),
}


@pytest.mark.parametrize("what", list(HOSTILE_WORKSPACE_EDITS))
def test_hostile_workspace_is_refused_and_nothing_changes(main_window, qtbot, tmp_path,
                                                          monkeypatch, what):
    win = main_window
    ctl = _trained_window(win, qtbot)
    d = _saved(win, tmp_path)
    win.doc.set_weight(0, 0, 1, 0.5)  # unsaved again: the refusal must keep this
    HOSTILE_WORKSPACE_EDITS[what](d)
    path = tmp_path / "hostile.nnviz"
    path.write_text(json.dumps(d))
    before = _state(win, ctl)
    shown = open_via_menu(win, monkeypatch, path)
    assert len(shown) == 1, shown
    assert "hostile.nnviz" in shown[0]
    assert _state(win, ctl) == before
    assert win.doc.undo_stack.count() == 3


def test_a_lab_failing_anyway_is_rolled_back(main_window, qtbot, tmp_path, monkeypatch):
    """The last resort: a lab raises something unexpected (here in a slot, where Qt does
    not propagate it) after the document changed: everything comes back."""
    win = main_window
    ctl = _trained_window(win, qtbot)
    d = _saved(win, tmp_path)
    assert win.open_lesson("mazur-2-2-2")
    win.show_lab("training")
    ctl.run_epochs(2)
    qtbot.waitUntil(lambda: ctl.epoch >= 2)
    win.doc.set_weight(0, 0, 0, 0.75)
    path = tmp_path / "w.nnviz"
    path.write_text(json.dumps(d))
    before = snapshot(win)
    surface = win.lab("surface")

    def boom():
        raise TypeError("a lab's bug")

    win.doc.lesson_changed.connect(boom)
    shown = open_via_menu(win, monkeypatch, path)
    win.doc.lesson_changed.disconnect(boom)
    assert len(shown) == 1 and "TypeError" in shown[0] and "nothing was changed" in shown[0]
    assert snapshot(win) == before
    assert win.doc.undo_stack.count() == 2
    assert surface.state()  # the labs still answer


def _run(win) -> tuple:
    """What the Training lab shows of its run: the epoch, the history, the charts."""
    lab = win.labs["training"]
    lab.redraw()
    h = lab.ctl.history
    lines = tuple(tuple(a.tobytes() for a in line.getData() if a is not None)
                  for line in lab.curves.lines.values())
    return (lab.ctl.epoch, lab.ctl.steps, lab.readout.epoch.value.text(), tuple(h.epoch),
            tuple(h.train_loss), tuple(h.test_loss), tuple(h.test_acc), lines,
            lab.ctl.early.best_epoch(), lab.ctl.can_step_back())


def test_a_rollback_brings_the_training_run_back(main_window, qtbot, tmp_path, monkeypatch):
    """After a last-resort rollback the Training lab's run is back completely: the epoch,
    the history and the charts drawn from it, and the optimiser, shuffle and random
    state (one more epoch gives what it would have given), and step back still works."""
    win = main_window
    d = _saved(win, tmp_path)
    ctl = _trained_window(win, qtbot)  # Adam-free spiral run: 3 epochs, one weight edit
    win.doc.set_config(momentum=0.9)    # an optimiser state that must come back too
    ctl.run_epochs(4)
    shown_before = _run(win)
    assert shown_before[0] == 7 and len(shown_before[3]) >= 7
    ctl.step_epoch()  # the epoch that must follow, then back to where we were
    expected = win.doc.network.get_params().copy()
    assert ctl.step_back() and _run(win) == shown_before
    path = tmp_path / "w.nnviz"
    path.write_text(json.dumps(d))

    def boom():
        raise TypeError("a lab's bug")

    win.doc.lesson_changed.connect(boom)
    shown = open_via_menu(win, monkeypatch, path)
    win.doc.lesson_changed.disconnect(boom)
    assert len(shown) == 1 and "nothing was changed" in shown[0]
    assert win.current_lab_name == "training"
    assert _run(win) == shown_before
    ctl.step_epoch()
    assert np.array_equal(win.doc.network.get_params(), expected)
    assert ctl.step_back() and _run(win) == shown_before


@pytest.mark.parametrize("name", ["goal-overflow-fit", "losses-lists", "spiral-4-of-10",
                                  "spiral-settings", "template-width", "bigint"])
def test_hostile_lesson_is_refused_with_key_and_line(main_window, qtbot, monkeypatch, name):
    win = main_window
    ctl = _trained_window(win, qtbot)
    before = _state(win, ctl)
    shown = open_via_menu(win, monkeypatch, HOSTILE / f"{name}.json")
    assert len(shown) == 1
    assert f"{name}.json: line " in shown[0], shown[0]
    assert _state(win, ctl) == before


def test_every_hostile_file_of_the_corpus_is_refused_or_shown_safely(main_window, qtbot,
                                                                     monkeypatch):
    win = main_window
    for path in sorted(HOSTILE.iterdir()):
        before = snapshot(win)
        shown = open_via_menu(win, monkeypatch, path)
        if shown:  # refused: nothing changed
            assert snapshot(win) == before, path.name
        else:      # accepted: its text is on screen as plain text (tests above)
            assert win.doc.lesson.path == path


def test_cli_prints_the_message_not_a_traceback(capsys):
    from nnviz.cli import main

    for name in ("goal-overflow-fit", "spiral-4-of-10", "losses-lists"):
        assert main(["worked", "--lesson", str(HOSTILE / f"{name}.json")]) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and f"{name}.json: line " in err


def test_screenshot_prints_the_message_not_a_traceback(tmp_path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent.parent
    r = subprocess.run([sys.executable, "-m", "nnviz", "screenshot", "--lesson",
                        str(HOSTILE / "spiral-4-of-10.json"), "--out", str(tmp_path / "x.png")],
                       capture_output=True, text=True, timeout=120, cwd=root,
                       env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "data.n" in r.stderr


_ = copy
