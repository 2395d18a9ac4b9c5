"""An autosave of a large network is written off the GUI thread from a snapshot taken on
it (here every network counts as large): the file equals a normal save, holds the work as
it was when the autosave was taken, and a save, another autosave or a quit while it is
being written loses nothing and leaves no stale or half-written file."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from nnviz.engine.core.activations import get_activation
from nnviz.engine.core.network import Network
from nnviz.engine.files.workspace import read_workspace
from nnviz.views import autosave
from nnviz.views.autosave import NetworkShadow

WAIT_MS = 20_000


@pytest.fixture
def gated(monkeypatch):
    """Every network is large; the worker's write waits for ``gate`` and records the
    first weight of each file it wrote (read back from the file)."""
    monkeypatch.setattr(autosave, "BIG_AUTOSAVE_PARAMS", 0)
    real = autosave.save_workspace
    gate = threading.Event()
    written: list[float] = []

    def save(path, ws, version=""):
        assert threading.current_thread() is not threading.main_thread()
        assert gate.wait(WAIT_MS / 1000)
        real(path, ws, version)
        written.append(float(read_workspace(path).network.weights[0][0, 0]))

    monkeypatch.setattr(autosave, "save_workspace", save)
    return gate, written


def _idle(qtbot, win) -> None:
    qtbot.waitUntil(lambda: not win.files.background.busy, timeout=WAIT_MS)


def _temp_files(win) -> list:
    return list(win.files.recovery.folder.glob(".nnviz-*.tmp"))


def test_the_file_equals_a_normal_save(main_window, qtbot, tmp_path, gated):
    gate, written = gated
    gate.set()
    win = main_window
    win.doc.set_weight(0, 0, 1, -0.375)
    assert win.files.autosave_now()
    _idle(qtbot, win)
    recovered = win.files.recovery_path.read_bytes()
    normal = tmp_path / "normal.nnviz"
    assert win.files.save_to(str(normal))
    assert recovered == normal.read_bytes()
    assert written == [float(win.doc.network.weights[0][0, 0])]


def test_the_file_holds_the_work_when_the_autosave_was_taken(main_window, qtbot, gated):
    gate, written = gated
    win = main_window
    win.doc.set_weight(0, 0, 0, 0.125)
    assert win.files.autosave_now()
    assert win.files.background.busy          # being written
    win.doc.set_weight(0, 0, 0, 0.5)          # the work goes on meanwhile
    assert not win.files.autosave_now()       # one at a time: this one comes after
    gate.set()
    _idle(qtbot, win)
    assert written == [0.125, 0.5]            # the first as taken, then the newest
    ws = read_workspace(win.files.recovery_path)
    assert ws.network.equals(win.doc.network) and not _temp_files(win)


def test_a_save_while_an_autosave_is_written_leaves_no_stale_recovery(
        main_window, qtbot, tmp_path, gated):
    gate, written = gated
    win = main_window
    win.doc.set_weight(0, 0, 0, 0.25)
    assert win.files.autosave_now()
    path = tmp_path / "saved.nnviz"
    assert win.files.save_to(str(path))       # on the GUI thread, while the worker waits
    gate.set()
    _idle(qtbot, win)
    assert written == [0.25]                  # the autosave landed, and then went:
    assert not win.files.recovery_path.exists() and not _temp_files(win)
    assert read_workspace(path).network.weights[0][0, 0] == 0.25
    win.doc.set_weight(0, 0, 0, 0.75)         # new unsaved work is autosaved again
    assert win.files.autosave_now()
    _idle(qtbot, win)
    assert read_workspace(win.files.recovery_path).network.weights[0][0, 0] == 0.75


def test_a_quit_while_an_autosave_is_written_loses_nothing(main_window, qtbot, tmp_path,
                                                          gated):
    """The user saves (the quit prompt's Save) and the window closes while the autosave
    is still being written: the close waits for it, the saved file holds the work, and
    no recovery or temporary file is left behind."""
    gate, written = gated
    win = main_window
    win.doc.set_weight(0, 1, 0, -2.5)
    assert win.files.autosave_now()
    path = tmp_path / "saved.nnviz"
    assert win.files.save_to(str(path))
    threading.Timer(0.2, gate.set).start()    # the worker finishes while close() waits
    win.close()
    assert written == [float(win.doc.network.weights[0][0, 0])]
    assert read_workspace(path).network.equals(win.doc.network)
    assert not win.files.recovery_path.exists() and not _temp_files(win)


def test_a_quit_with_unsaved_work_while_an_autosave_is_written(main_window, qtbot, gated):
    """Closing waits for the autosave: until the clean exit removes it, the recovery file
    is complete and holds the work (a crash at that moment would recover it)."""
    gate, written = gated
    win = main_window
    win.doc.set_weight(0, 1, 1, 3.25)
    assert win.files.autosave_now()
    seen = []
    release = win.files.recovery.release

    def release_and_look(remove_file):
        seen.append(read_workspace(win.files.recovery_path).network.weights[0][1, 1])
        release(remove_file)

    win.files.recovery.release = release_and_look
    threading.Timer(0.2, gate.set).start()
    win.close()
    assert written == [win.doc.network.weights[0][0, 0]] and seen == [3.25]
    assert not win.files.recovery_path.exists() and not _temp_files(win)


def test_a_failed_autosave_is_reported_and_the_old_file_kept(main_window, qtbot, gated,
                                                              monkeypatch):
    gate, written = gated
    gate.set()
    win = main_window
    win.doc.set_weight(0, 0, 0, 0.125)
    assert win.files.autosave_now()
    _idle(qtbot, win)
    before = win.files.recovery_path.read_bytes()

    def broken(path, ws, version=""):
        raise OSError("no space left on device")

    monkeypatch.setattr(autosave, "save_workspace", broken)
    messages = []
    win.doc.message.connect(messages.append)
    win.doc.set_weight(0, 0, 0, 0.5)
    assert win.files.autosave_now()
    _idle(qtbot, win)
    assert any("Autosave failed" in m and "no space" in m for m in messages)
    assert win.files.recovery_path.read_bytes() == before


# ------------------------------------------------------------ the kept arrays
def _net(sizes, seed=0) -> Network:
    rng = np.random.default_rng(seed)
    return Network([rng.normal(size=(b, a)) for a, b in zip(sizes[:-1], sizes[1:])],
                   [rng.normal(size=b) for b in sizes[1:]],
                   [get_activation("tanh")] * (len(sizes) - 1))


def test_the_shadow_is_a_copy_in_arrays_kept_between_takes():
    shadow = NetworkShadow()
    net = _net([2, 5, 3])
    first = shadow.take(net)
    assert first.equals(net) and first is not net
    assert not any(np.shares_memory(a, b) for a, b in zip(first.weights, net.weights))
    arrays = [id(w) for w in first.weights + first.biases]
    net.weights[0][1, 1] = 9.0                 # the source changes after the take
    assert first.weights[0][1, 1] != 9.0
    net.shared_bias[1] = True
    second = shadow.take(net)                  # the same arrays, the new values
    assert second.equals(net) and second.shared_bias == net.shared_bias
    assert [id(w) for w in second.weights + second.biases] == arrays
    other = _net([2, 4, 3], seed=1)            # another shape: new arrays
    assert shadow.take(other).equals(other)


def test_prepare_makes_the_arrays_in_a_thread_and_take_uses_them():
    shadow = NetworkShadow()
    net = _net([3, 6, 2])
    shadow.prepare(net)
    shadow._thread.join()
    made = shadow.take(net)
    assert made.equals(net) and made is shadow.net
    shadow.prepare(net)                        # already there: nothing to make
    assert shadow._thread is None
    shadow.drop()
    assert shadow.net is None
