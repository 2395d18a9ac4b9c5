"""Large files are read and autosaved off the GUI thread (here every file, by lowering the
thresholds): File > Open returns at once, the event loop keeps running, the result is
installed (or refused, changing nothing) when the worker is done."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QTimer

from nnviz.engine.files.workspace import read_workspace
from tests.views.test_hostile_open import HOSTILE, open_via_menu, snapshot


@pytest.fixture
def everything_big(monkeypatch):
    from nnviz.views import autosave, files

    monkeypatch.setattr(files, "BIG_FILE_BYTES", 0)
    monkeypatch.setattr(autosave, "BIG_AUTOSAVE_PARAMS", 0)


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


@pytest.fixture
def big_pair(tmp_path):
    """A workspace and a weights file of a 2-120-120-2 network (another network's values)."""
    from nnviz.bench.file_bench import big_files

    return big_files(tmp_path, 120)


def _nowhere_here(monkeypatch):
    """Parsing a file's text in the app's own process fails the test: the child does it."""
    from nnviz.engine.files import validate

    def parse_here(*_a, **_k):
        raise AssertionError("a file's text was parsed in the app's process")

    monkeypatch.setattr(validate, "loads_json", parse_here)


def test_the_window_keeps_running_while_a_big_workspace_is_read(main_window, qtbot, monkeypatch,
                                                               everything_big, big_pair):
    """The file is parsed and checked in a child process: the GUI thread keeps processing
    events (a timer keeps ticking, the progress dialog with Cancel is there) until the
    checked workspace is installed."""
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    win = main_window
    ws_path, _ = big_pair
    _nowhere_here(monkeypatch)
    ticks: list[bool] = []
    timer = QTimer(win)  # dies with the window, even if the test fails
    timer.timeout.connect(lambda: ticks.append(win.files.background.busy))
    timer.start(1)
    shown = open_via_menu(win, monkeypatch, ws_path)
    assert win.files.background.busy  # File > Open returned at once
    dialog = win.findChild(QProgressDialog)
    assert dialog is not None and dialog.findChild(QPushButton).text() == "Cancel"
    qtbot.waitUntil(lambda: win.files.path == str(ws_path), timeout=60_000)
    timer.stop()
    assert not shown
    assert sum(ticks) >= 3  # the event loop ran while the file was being read
    monkeypatch.undo()
    assert win.doc.network.equals(read_workspace(ws_path).network)
    assert win.doc.network.sizes == [2, 120, 120, 2] and not win.doc.is_modified


def test_cancel_changes_nothing(main_window, qtbot, monkeypatch, everything_big, big_pair):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    win = main_window
    ws_path, _ = big_pair
    said: list[str] = []
    win.doc.message.connect(said.append)
    before = snapshot(win)
    shown = open_via_menu(win, monkeypatch, ws_path)
    dialog = win.findChild(QProgressDialog)
    dialog.show()
    qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not win.files.background.busy, timeout=60_000)
    assert not shown and snapshot(win) == before
    assert any(m.startswith("Cancelled reading big.nnviz") for m in said)


def test_a_big_weights_import_is_read_elsewhere_and_all_or_nothing(
        main_window, qtbot, monkeypatch, tmp_path, everything_big, big_pair):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from nnviz.engine.files.weights_file import read_weights, save_weights
    from tests.engine.test_big_files import _net

    win = main_window
    ws_path, w_path = big_pair
    open_via_menu(win, monkeypatch, ws_path)
    qtbot.waitUntil(lambda: win.files.path == str(ws_path), timeout=60_000)
    opened = win.doc.network.copy()
    steps = win.doc.undo_stack.count()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    answer = [str(w_path)]
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (answer[0], "")))
    _nowhere_here(monkeypatch)
    win.act_import_weights.trigger()  # File > Import weights
    assert win.files.background.busy
    qtbot.waitUntil(lambda: not win.files.background.busy, timeout=60_000)
    assert not shown and win.doc.undo_stack.count() == steps + 1
    imported = win.doc.network.copy()
    assert not imported.equals(opened)
    win.doc.undo_stack.undo()  # one undoable step
    assert win.doc.network.equals(opened)
    win.doc.undo_stack.redo()
    # another network's weights, and a hostile value: refused with the key, nothing changes
    other = tmp_path / "other.json"
    save_weights(other, _net(3))
    hostile = tmp_path / "hostile.json"
    d = json.loads(w_path.read_text())
    d["network"]["layers"][1]["weights"][5][7] = "0.5"
    hostile.write_text(json.dumps(d))
    for path, says in ((other, "network.sizes"), (hostile, "layers[1].weights[5][7]")):
        answer[0] = str(path)
        win.act_import_weights.trigger()
        qtbot.waitUntil(lambda: bool(shown), timeout=60_000)
        assert says in shown[-1] and path.name in shown[-1], shown
        assert win.doc.network.equals(imported) and win.doc.undo_stack.count() == steps + 1
        shown.clear()
    # File > Open of the same weights file sorts it as weights and imports it too
    win.doc.undo_stack.undo()
    open_via_menu(win, monkeypatch, w_path)
    qtbot.waitUntil(lambda: not win.files.background.busy, timeout=60_000)
    monkeypatch.undo()
    assert win.doc.network.equals(read_weights(w_path)) and win.files.path == str(ws_path)


def test_a_large_recovery_file_is_restored_in_the_background(main_window, qtbot, settings,
                                                             monkeypatch, everything_big):
    """After a crash, Restore reads a large recovery file off the GUI thread; a broken
    one is kept aside (never deleted) with a message."""
    from PySide6.QtWidgets import QMessageBox

    from tests.views.test_files import _answer, _edit, _new_window

    win = main_window
    for broken in (False, True):
        _edit(win)
        assert win.files.autosave_now()
        win.files.background.wait()
        rec = win.files.recovery_path
        edited = win.doc.network.copy()
        if broken:
            rec.write_text('{"format": "nnviz-workspace", "version": 1}')
        win.files.recovery.release(remove_file=False)  # as if its process had died
        shown: list[str] = []
        monkeypatch.setattr(QMessageBox, "warning", lambda *a, s=shown, **k: s.append(a[2]))
        win2 = _new_window(qtbot, settings, monkeypatch)
        with pytest.MonkeyPatch.context() as here:
            _nowhere_here(here)
            win2.files.offer_recovery()
            _answer(qtbot, win2, QMessageBox.StandardButton.Open)
            assert win2.files.background.busy  # being read
            qtbot.waitUntil(lambda w=win2: not w.files.background.busy, timeout=60_000)
        if broken:
            assert shown and "kept as" in shown[0] and "lesson" in shown[0]
            assert not rec.exists() and rec.with_name(rec.name + ".unreadable").exists()
        else:
            assert not shown and win2.doc.network.equals(edited) and win2.doc.is_modified
            assert not rec.exists()
        win2.close()
        win.files.recovery.claim()
