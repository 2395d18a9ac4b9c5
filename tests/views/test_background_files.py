"""Large files are read and autosaved off the GUI thread (here every file, by lowering the
thresholds): File > Open returns at once, the event loop keeps running, the result is
installed (or refused, changing nothing) when the worker is done."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer

from nnviz.engine.workspace import read_workspace
from tests.views.test_hostile_open import HOSTILE, open_via_menu, snapshot


@pytest.fixture
def everything_big(monkeypatch):
    from nnviz.views import files

    monkeypatch.setattr(files, "BIG_FILE_BYTES", 0)
    monkeypatch.setattr(files, "BIG_AUTOSAVE_PARAMS", 0)


def test_a_large_workspace_opens_in_the_background(main_window, qtbot, tmp_path,
                                                   monkeypatch, everything_big):
    win = main_window
    assert win.open_lesson("xor-mlp")
    path = tmp_path / "w.nnviz"
    assert win.files.save_to(str(path))
    assert win.open_lesson("mazur-2-2-2")
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(1)
    shown = open_via_menu(win, monkeypatch, path)
    assert win.files.background.busy or win.doc.lesson.name == "xor-mlp"
    qtbot.waitUntil(lambda: win.doc.lesson.name == "xor-mlp", timeout=20_000)
    timer.stop()
    assert not shown and ticks  # the event loop ran while the file was read
    assert win.files.path == str(path) and not win.doc.is_modified


def test_a_refused_large_lesson_changes_nothing(main_window, qtbot, monkeypatch,
                                                everything_big):
    win = main_window
    before = snapshot(win)
    shown = open_via_menu(win, monkeypatch, HOSTILE / "losses-lists.json")
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert "settings.losses[0]" in shown[0] and snapshot(win) == before


def test_a_large_autosave_is_written_in_the_background(main_window, qtbot, everything_big):
    win = main_window
    win.doc.set_weight(0, 0, 0, 0.125)
    assert win.files.autosave_now()
    win.files.background.wait()
    ws = read_workspace(win.files.recovery_path)
    assert ws.network.weights[0][0, 0] == 0.125
    win.files.shutdown()
    assert not win.files.recovery_path.exists()


def test_a_large_json_is_sorted_into_lesson_or_weights_in_the_background(
        main_window, qtbot, monkeypatch, everything_big):
    win = main_window
    shown = open_via_menu(win, monkeypatch, HOSTILE / "rich-caption.json")
    qtbot.waitUntil(lambda: win.doc.lesson.name == "rich-caption", timeout=20_000)
    assert not shown
