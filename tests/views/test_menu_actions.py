"""Every File, Edit, View, Lessons and Export action in every lab, on the real main window
with the real labs, triggered as a user triggers them (the menu's QAction); file dialogs
answer with temporary paths, prompts are answered, and the test fails on any exception
dialog. Files written are checked to exist and be non-empty (their content is checked in
test_exports.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

from nnviz.engine.teaching.lessons import lesson_names, load_lesson
from nnviz.views.labs import available_labs

from .windows import open_menu, visible_dialogs


def _lesson_for(lab: str) -> str:
    return next(n for n in lesson_names() if load_lesson(n).lab == lab)


def _actions(menu) -> list:
    out = []
    for a in menu.actions():
        if a.isSeparator():
            continue
        if a.menu() is not None:
            out += _actions(a.menu())
        else:
            out.append(a)
    return out


def _menu(win, title: str):
    return next(a.menu() for a in win.menuBar().actions()
                if a.text().replace("&", "") == title)


@pytest.fixture
def dialogs(monkeypatch, tmp_path):
    """Save dialogs answer with a file in tmp_path named like the suggested one; open
    dialogs with the last file written; message boxes are recorded and answer Ok; the
    exercise-sheet dialog is accepted as it stands."""
    written: list[Path] = []
    told: list[str] = []

    def save(_parent, _title="", start="", *_a, **_k):
        p = tmp_path / (Path(start).name or "out")
        written.append(p)
        return str(p), ""

    def open_(*_a, **_k):
        done = [p for p in written if p.suffix in (".nnviz", ".json") and p.exists()]
        return (str(done[-1]) if done else "", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(open_))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *a, **k: str(tmp_path)))
    for name in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(
            lambda *a, **k: told.append(str(a[2]) if len(a) > 2 else "")
            or QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "about", staticmethod(lambda *a, **k: None))
    monkeypatch.setattr(QDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    # the recorded steps stop after a few frames (all of them take a minute for the
    # convolution lesson's network; the path is the same)
    from nnviz.views import handouts
    monkeypatch.setattr(handouts, "MAX_FRAMES", 4)
    return written, told


def _settle(win, qtbot) -> None:
    """Answer an unsaved-changes prompt (Discard) and let the window catch up."""
    for _ in range(3):
        box = win.files.prompt
        if box is not None:
            box.button(QMessageBox.StandardButton.Discard).click()
        QApplication.processEvents()
    if win.blank_overlay.isVisible():
        qtbot.keyClick(win.blank_overlay, Qt.Key.Key_Space)
    for w in visible_dialogs(win):              # a progress dialog, the exercise sheet
        w.close()


def _trigger(win, qtbot, action, times: int = 1) -> None:
    for _ in range(times):
        if action.isEnabled():
            action.trigger()
        _settle(win, qtbot)


@pytest.mark.parametrize("lab", available_labs())
def test_every_menu_action_in_every_lab(main_window, qtbot, dialogs, error_dialogs, lab):
    win = main_window
    written, _told = dialogs
    assert win.open_lesson(_lesson_for(lab))
    assert win.current_lab_name == lab
    qtbot.wait(30)
    # Edit: an edit to undo and redo (through the window's actions)
    net = win.doc.network
    if net is not None:
        w = float(net.weights[-1][0, 0])
        win.doc.set_weight(net.n_layers - 1, 0, 0, w + 0.25)
        _trigger(win, qtbot, win.act_undo)
        assert float(win.doc.network.weights[-1][0, 0]) == w
        _trigger(win, qtbot, win.act_redo)
        assert float(win.doc.network.weights[-1][0, 0]) == w + 0.25
    # File > Export, every kind
    for a in _actions(win.export_menu):
        win.show_lab(lab)           # the recorded steps are the Workbench's: it shows them
        _trigger(win, qtbot, a)
    win.show_lab(lab)
    # View: every action, toggles twice (back to where they were)
    for a in _actions(_menu(win, "View")):
        _trigger(win, qtbot, a, 2 if a.isCheckable() else 1)
    assert not win.act_presentation.isChecked() and not win.act_dark.isChecked()
    # File: save, save as, open (the file just saved), recent, import weights
    for a in _actions(_menu(win, "File")):
        if a is win.act_quit or a in win.export_menu.actions():
            continue
        _trigger(win, qtbot, a)
    win.show_lab(lab)
    # Lessons: the navigation actions (next, previous, afresh …), each lesson elsewhere
    lesson_actions = _actions(open_menu(win, "Lessons", qtbot))
    for a in lesson_actions:
        if "[" not in a.text() and not a.text().lstrip("&").split(" ")[0].isdigit():
            _trigger(win, qtbot, a)
    files = [p for p in written if p.exists()]
    assert files, "nothing was written"
    for p in files:
        assert p.is_dir() or p.stat().st_size > 0, p


def test_every_lesson_from_the_lessons_menu(main_window, qtbot, dialogs, error_dialogs):
    win = main_window
    opened = set()
    for a in _actions(open_menu(win, "Lessons", qtbot)):
        before = win.doc.lesson
        _trigger(win, qtbot, a)
        if win.doc.lesson is not before:
            opened.add(win.doc.lesson.name)
            assert win.current_lab_name == win.doc.lesson.lab or \
                win.doc.lesson.lab not in win.lab_names
    assert opened >= set(lesson_names()) - {"mazur-2-2-2"}


def test_quit_from_the_file_menu(main_window, qtbot, dialogs, error_dialogs):
    win = main_window
    win.doc.set_weight(1, 0, 0, 0.5)       # unsaved: Quit asks, Discard quits
    win.act_quit.trigger()
    assert win.files.prompt is not None
    _settle(win, qtbot)
    qtbot.waitUntil(lambda: not win.isVisible())
