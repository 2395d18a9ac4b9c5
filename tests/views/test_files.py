"""Workspace files through the window: save -> close -> open round trip, atomic saves,
the unsaved-changes prompt, drops, recent files, autosave and recovery, bad files."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from nnviz.engine.files import atomic
from nnviz.engine.files.workspace import read_workspace


def _edit(win) -> None:
    """Change a weight (undoable) and 'train' in place (not undoable)."""
    win.doc.set_weight(0, 0, 1, 0.123456789012345)
    win.doc.network.weights[-1].flat[0] += 1e-9
    win.doc.network_updated()


@pytest.fixture
def window(main_window):
    """The real window with the real labs on the Workbench with mazur-2-2-2."""
    win = main_window
    assert win.open_lesson("mazur-2-2-2")
    assert win.current_lab_name == "workbench"
    win.activateWindow()
    win.setFocus()
    return win


def _new_window(qtbot, settings, monkeypatch):
    from nnviz.views import main_window as mw

    win = mw.MainWindow(settings=settings)
    qtbot.addWidget(win)
    win.resize(800, 600)
    win.start(lesson="perceptron-and")
    win.show()
    return win


def _answer(qtbot, win, button) -> None:
    """Wait for the window's prompt and click ``button`` on it."""
    qtbot.waitUntil(lambda: win.files.prompt is not None and win.files.prompt.isVisible())
    box = win.files.prompt
    qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.files.prompt is None)


def test_save_close_open_round_trips_bit_for_bit(window, qtbot, tmp_path, settings,
                                                 monkeypatch):
    win = window
    _edit(win)
    win.doc.set_config(eta=0.37, momentum=0.25)
    win.doc.set_data(win.doc.x + 1 / 3, win.doc.y)
    for _ in range(5):
        qtbot.keyClick(win, Qt.Key.Key_Right)
    lab = win.current_lab
    saved_net = win.doc.network.copy()
    saved_x, saved_y = win.doc.x.copy(), win.doc.y.copy()
    saved_hist = lab.history()
    qtbot.wait(10)  # the caption follows the steps before the window repaints
    saved_caption = win.caption_bar.text_label.text()
    path = tmp_path / "class.nnviz"
    assert win.files.save_to(str(path))
    assert not win.doc.is_modified
    assert "class.nnviz" in win.windowTitle()
    win.close()

    win2 = _new_window(qtbot, settings, monkeypatch)
    assert win2.doc.lesson.name == "perceptron-and"  # another lesson; now open the file
    win2.files.open_path(str(path))
    assert win2.doc.lesson.name == "mazur-2-2-2"
    assert win2.doc.network.equals(saved_net)
    assert all(np.array_equal(a, b) for a, b in zip(win2.doc.network.weights, saved_net.weights))
    assert np.array_equal(win2.doc.x, saved_x) and np.array_equal(win2.doc.y, saved_y)
    assert win2.doc.config.eta == 0.37 and win2.doc.config.momentum == 0.25
    lab2 = win2.current_lab
    assert lab2.stepper.k == 5 and lab2.history() == saved_hist
    qtbot.waitUntil(lambda: win2.caption_bar.text_label.text() == saved_caption)
    assert not win2.doc.is_modified
    assert win2.files.recent_files()[0] == str(path)


def test_interrupted_save_keeps_the_previous_file(window, tmp_path, monkeypatch):
    win = window
    folder = tmp_path / "saves"
    folder.mkdir()
    path = folder / "w.nnviz"
    assert win.files.save_to(str(path))
    before = path.read_bytes()
    _edit(win)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))

    def boom(*a, **k):
        raise OSError("No space left on device")

    monkeypatch.setattr(atomic.os, "replace", boom)
    assert not win.files.save_to(str(path))
    assert warnings and "No space left" in warnings[0]
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["w.nnviz"]
    assert win.doc.is_modified  # still unsaved


def test_quit_asks_about_unsaved_changes(window, qtbot):
    win = window
    _edit(win)
    assert win.windowTitle().endswith("*")
    win.act_quit.trigger()
    _answer(qtbot, win, QMessageBox.StandardButton.Cancel)
    assert win.isVisible()
    win.act_quit.trigger()
    _answer(qtbot, win, QMessageBox.StandardButton.Discard)
    qtbot.waitUntil(lambda: not win.isVisible())


def test_quit_without_changes_does_not_ask(window, qtbot):
    window.act_quit.trigger()
    assert window.files.prompt is None
    qtbot.waitUntil(lambda: not window.isVisible())


def test_opening_asks_and_save_first_writes_the_file(window, qtbot, tmp_path):
    win = window
    path = tmp_path / "a.nnviz"
    assert win.files.save_to(str(path))
    _edit(win)
    edited = win.doc.network.copy()
    from nnviz.engine.files.resources import lessons_dir

    win.files.open_path(str(lessons_dir() / "xor-mlp.json"))   # opening a lesson file asks
    _answer(qtbot, win, QMessageBox.StandardButton.Save)  # saves to a.nnviz, then opens
    assert win.doc.lesson.name == "xor-mlp"
    assert read_workspace(path).network.equals(edited)
    _edit(win)
    win.files.open_path(str(path))
    _answer(qtbot, win, QMessageBox.StandardButton.Cancel)
    assert win.doc.lesson.name == "xor-mlp"
    win.files.open_path(str(path))
    _answer(qtbot, win, QMessageBox.StandardButton.Discard)
    assert win.doc.lesson.name == "mazur-2-2-2" and win.doc.network.equals(edited)


@pytest.mark.parametrize("content", ["", "{not json", "\x00\x01binary",
                                     '{"format": "nnviz-workspace", "version": 9}',
                                     '{"format": "nnviz-workspace", "version": 1}'])
def test_bad_workspace_changes_nothing(window, tmp_path, monkeypatch, content):
    win = window
    qtbot_keys = win.current_lab
    qtbot_keys.step_forward()
    before = win.doc.network.copy()
    p = tmp_path / "bad.nnviz"
    p.write_text(content)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    win.files.open_path(str(p))
    assert shown and "bad.nnviz" in shown[0]
    assert win.doc.network.equals(before) and win.doc.lesson.name == "mazur-2-2-2"
    assert win.current_lab.stepper.k == 1 and win.files.path is None


def test_a_lab_refusing_its_state_rolls_everything_back(window, tmp_path, monkeypatch):
    win = window
    p = tmp_path / "w.nnviz"
    _edit(win)
    win.files.save_to(str(p))
    d = json.loads(p.read_text())
    d["labs"]["workbench"]["k"] = -4
    d["network"]["layers"][0]["weights"][0][0] = 9.5
    p.write_text(json.dumps(d))
    win.current_lab.step_forward()
    before = win.doc.network.copy()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    win.files.open_path(str(p))
    assert shown and "labs.workbench.k" in shown[0]  # refused by the schema, before any change
    assert win.doc.network.equals(before) and win.current_lab.stepper.k == 1


def _drop(win, path):
    md = QMimeData()
    md.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(win.rect().center(), Qt.DropAction.CopyAction, md,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(win, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(QPointF(win.rect().center()), Qt.DropAction.CopyAction, md,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(win, drop)
    return True


def test_drop_workspace_lesson_and_csv(window, tmp_path, monkeypatch):
    win = window
    p = tmp_path / "w.nnviz"
    win.files.save_to(str(p))
    from nnviz.engine.files.resources import lessons_dir

    assert _drop(win, lessons_dir() / "xor-mlp.json")
    assert win.doc.lesson.name == "xor-mlp"
    assert _drop(win, p)
    assert win.doc.lesson.name == "mazur-2-2-2"
    csv = tmp_path / "data.csv"
    csv.write_text("x1,x2,y\n0,1,1\n")
    assert _drop(win, csv)
    assert win.current_lab_name == "training"          # the Training lab took the data
    assert win.doc.x.tolist() == [[0.0, 1.0]]
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,y\nbad\n")
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    assert _drop(win, bad)
    assert shown and "line 2" in shown[0]
    txt = tmp_path / "notes.txt"
    txt.write_text("hello")
    assert not _drop(win, txt)  # not accepted


def test_autosave_writes_a_recovery_file_offered_after_a_crash(window, qtbot, settings,
                                                               monkeypatch):
    win = window
    rec = win.files.recovery_path
    assert not rec.exists()
    win.files.autosave_timer.setInterval(20)
    qtbot.wait(60)
    assert not rec.exists()  # nothing unsaved, nothing written
    _edit(win)
    qtbot.waitUntil(rec.exists)
    edited = win.doc.network.copy()
    # a second window while the first runs: no prompt, the first's file is not touched
    live = _new_window(qtbot, settings, monkeypatch)
    live.files.offer_recovery()
    assert live.files.prompt is None
    live.close()
    assert rec.exists()
    # "crash": the first window's process dies (its lock is free, its file stays)
    win.files.autosave_timer.stop()
    win.files.recovery.release(remove_file=False)
    win2 = _new_window(qtbot, settings, monkeypatch)
    assert not win2.doc.network.equals(edited)
    win2.files.offer_recovery()
    qtbot.waitUntil(lambda: win2.files.prompt is not None and win2.files.prompt.isVisible())
    box = win2.files.prompt
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Open), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win2.files.prompt is None)
    assert win2.doc.network.equals(edited)
    assert win2.doc.is_modified  # recovered work is not saved yet
    assert not rec.exists()  # recovered: the orphan is gone; win2 autosaves to its own
    win2.close()
    assert not win2.files.recovery_path.exists()


def test_discarding_the_recovery_removes_it(window, qtbot, settings, monkeypatch):
    win = window
    _edit(win)
    assert win.files.autosave_now()
    rec = win.files.recovery_path
    win.files.recovery.release(remove_file=False)  # as if its process had died
    win2 = _new_window(qtbot, settings, monkeypatch)
    win2.files.offer_recovery()
    _answer(qtbot, win2, QMessageBox.StandardButton.Discard)
    assert not rec.exists()


def test_an_unreadable_recovery_file_is_kept(window, qtbot, settings, monkeypatch):
    win = window
    _edit(win)
    assert win.files.autosave_now()
    rec = win.files.recovery_path
    win.files.recovery.release(remove_file=False)
    rec.write_text("{broken")
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    win2 = _new_window(qtbot, settings, monkeypatch)
    win2.files.offer_recovery()
    _answer(qtbot, win2, QMessageBox.StandardButton.Open)
    assert shown and "kept as" in shown[0]
    assert not rec.exists() and rec.with_name(rec.name + ".unreadable").exists()


def test_recent_files_menu(window, tmp_path, monkeypatch):
    win = window
    paths = []
    for i in range(3):
        p = tmp_path / f"w{i}.nnviz"
        win.files.save_to(str(p))
        paths.append(str(p))
    win.files.recent_menu.aboutToShow.emit()
    names = [a.text() for a in win.files.recent_menu.actions()]
    assert names == ["w2.nnviz", "w1.nnviz", "w0.nnviz"]
    (tmp_path / "w1.nnviz").unlink()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    win.files.recent_menu.actions()[1].trigger()
    assert shown and "no longer exists" in shown[0]
    assert paths[1] not in win.files.recent_files()


def test_random_malformed_workspaces_never_change_the_window(window, tmp_path,
                                                            monkeypatch):
    """Random mutations of a saved file: opened cleanly, or refused with a message and
    nothing changed; never another exception."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tests.engine.test_workspace import _mutated, _paths

    win = window
    good = tmp_path / "good.nnviz"
    win.files.save_to(str(good))
    base = json.loads(good.read_text())
    paths = [p for p in _paths(base) if p and p[0] != "lesson"]
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))

    @settings(max_examples=25, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.data())
    def check(data):
        win.files.open_path(str(good))  # a known state
        win.current_lab.step_forward()
        before_net, before_k = win.doc.network.copy(), win.current_lab.stepper.k
        d = _mutated(base, paths, data)
        bad = tmp_path / "bad.nnviz"
        bad.write_text(json.dumps(d))
        n = len(shown)
        win.files.open_path(str(bad))
        if len(shown) > n:  # refused: nothing changed
            assert win.doc.network.equals(before_net) and win.current_lab.stepper.k == before_k
        else:  # accepted: what is on screen is what the file says
            assert win.files.path == str(bad)

    check()


class _WindowManagerClose:
    """Stands in for the close event of the window's close button (spontaneous)."""

    def __init__(self):
        self.ignored = False

    def spontaneous(self):
        return True

    def ignore(self):
        self.ignored = True


def test_the_close_button_asks_about_unsaved_changes(window, qtbot):
    win = window
    _edit(win)
    ev = _WindowManagerClose()
    win.closeEvent(ev)
    assert ev.ignored and win.isVisible()
    _answer(qtbot, win, QMessageBox.StandardButton.Discard)
    qtbot.waitUntil(lambda: not win.isVisible())


def test_a_workspace_given_on_the_command_line_is_opened(window, qtbot, tmp_path,
                                                         settings, monkeypatch):
    win = window
    _edit(win)
    edited = win.doc.network.copy()
    p = tmp_path / "cli.nnviz"
    win.files.save_to(str(p))
    win2 = _new_window(qtbot, settings, monkeypatch)
    win2.start(lesson=str(p))
    assert win2.doc.network.equals(edited) and win2.files.path == str(p)


def test_a_fresh_lesson_is_unmodified_and_a_change_made_while_it_opens_is_not_hidden(window):
    """No lab writes into the document while it hears a new lesson (the Training lab
    wrote its data set back, hidden by a reset of the modified flag); one that did would
    now show as a change."""
    win = window
    for lab in ("training", "surface", "neuron", "workbench"):   # their controllers listen
        win.show_lab(lab)
    for lesson in ("xor-mlp", "spiral", "mazur-2-2-2"):
        assert win.open_lesson(lesson)
        assert not win.doc.is_modified and not win.windowTitle().endswith("*")
    win.doc.set_config(momentum=0.2)
    assert win.doc.is_modified and win.windowTitle().endswith("*")
    adjust = win.doc.lesson_changed.connect(lambda: win.doc.set_config(momentum=0.1))
    assert win.open_lesson("xor-mlp")
    win.doc.lesson_changed.disconnect(adjust)
    assert win.doc.is_modified and win.windowTitle().endswith("*")
