"""Slices trained ahead in a worker process (controllers/training/remote.py): the run must
be bit for bit the run trained in the GUI's process (every parameter, the optimiser, the
generator, every recorded loss), through early stopping inside a slice, a pause, a step
and an edit between slices; the worker must be gone after the lab closes, and a worker
that cannot start or dies leaves training in the GUI's process, with the same result."""

from __future__ import annotations

import os
import signal
import time

import numpy as np
import pytest

from nnviz.bench.gui_bench import _reference_lesson
from nnviz.controllers.training import clock as clock_mod
from nnviz.controllers.training import remote as remote_mod


@pytest.fixture
def ctl(training_ctl):
    return training_ctl


def _ready(ctl) -> None:
    """Start the worker and wait (at most a minute) until it has answered."""
    worker = ctl.fast.remote
    worker.start()
    end = time.monotonic() + 60
    while not worker.usable and time.monotonic() < end:
        time.sleep(0.02)
    assert worker.usable


def _load(ctl, lesson, setup=None) -> None:
    ctl.doc.load_lesson(lesson)
    if setup is not None:
        setup(ctl)


def _ticks(ctl, n: int, used: list) -> None:
    """Play ``n`` ticks (or until play stops by itself), the worker given a few ms each;
    ``used`` gets each slice's epochs taken from the worker."""
    taken = ctl.fast._taken

    def counted(cap, snaps):
        got = taken(cap, snaps)
        used.append(got)
        return got
    ctl.fast._taken = counted
    ctl.playback.play()
    for _ in range(n):
        if not ctl.playback.playing:
            break
        ctl._tick()
        time.sleep(0.004)
    ctl.fast._taken = taken
    ctl.playback.pause()


def _play_to(ctl, epoch: int | None) -> None:
    """The reference: in-process slices (the worker closed) to ``epoch`` (None: until play
    stops by itself); slices end where they may, which changes no bit."""
    real, over = ctl.fast.slice_cap, ctl.clock.over
    if epoch is not None:
        ctl.fast.slice_cap = lambda tr: max(1, min(real(tr), epoch - ctl.epoch))
        ctl.clock.over = lambda deadline: ctl.epoch >= epoch or over(deadline)
    ctl.playback.play()
    while ctl.playback.playing and (epoch is None or ctl.epoch < epoch):
        ctl._tick()
    ctl.fast.slice_cap, ctl.clock.over = real, over
    ctl.playback.pause()
    assert epoch is None or ctl.epoch == epoch


def _state(ctl) -> dict:
    opt = ctl._opt.opt
    return {"params": ctl.doc.network.get_params(), "epoch": ctl.epoch, "steps": ctl.steps,
            "history": ctl.history.arrays(), "best": ctl.early.best_epoch(),
            "best_params": ctl.early.record.best_params,
            "opt": None if opt is None else opt.state_dict(),
            "counters": (ctl._opt.steps, ctl._opt.epochs), "rng": ctl._rng.bit_generator.state}


def _identical(a: dict, b: dict) -> None:
    assert (a["epoch"], a["steps"], a["best"], a["counters"]) == (
        b["epoch"], b["steps"], b["best"], b["counters"])
    assert a["params"].tobytes() == b["params"].tobytes()
    assert a["history"].keys() == b["history"].keys()
    for k, v in a["history"].items():
        assert np.asarray(v).tobytes() == np.asarray(b["history"][k]).tobytes(), k
    assert (a["best_params"] is None) == (b["best_params"] is None)
    if a["best_params"] is not None:
        assert a["best_params"].tobytes() == b["best_params"].tobytes()
    assert a["opt"] == b["opt"] and a["rng"] == b["rng"]


def _fresh(ctl) -> None:
    """A new worker object for the next run (the last one may have been closed)."""
    ctl.fast.remote.close()
    ctl.fast.remote = remote_mod.SliceWorker()


def _step(c):
    c.step_epoch()


def _halve_eta(c):
    c.doc.set_config(eta=c.doc.config.eta / 2)


def _add_point(c):
    n = len(c.net_data.x_train)
    c.data_edits.add_point((0.3, -0.2), label=1)
    assert len(c.net_data.x_train) + len(c.net_data.x_test) > n


def _compare(ctl, lesson, script, setup=None, worker=True) -> list:
    """``script``: ticks to play (an int, None: until play stops) or an action between
    them; played with the worker (started first where ``worker``), then replayed in the
    GUI's process to the same epochs: the same bits. Returns the epochs taken from it."""
    _load(ctl, lesson, setup)
    if worker:
        _ready(ctl)
    used: list = []
    reached = []
    for part in script:
        if callable(part):
            part(ctl)
        else:
            _ticks(ctl, 100_000 if part is None else part, used)
        reached.append(ctl.epoch)
    got = _state(ctl)
    _fresh(ctl)
    ctl.fast.remote.close()
    _load(ctl, lesson, setup)
    for part, epoch in zip(script, reached):
        if callable(part):
            part(ctl)
        else:
            _play_to(ctl, None if part is None else epoch)
    _identical(got, _state(ctl))
    return used


@pytest.mark.parametrize("name", ["a", "b", "c"])
def test_playground_networks_train_to_the_same_bits_in_the_worker(ctl, name):
    used = _compare(ctl, _reference_lesson(name), [30])
    assert sum(used) > 0 and sum(1 for u in used if u > 1) > 0   # slices came from it


def test_the_keras_labs_network_trains_to_the_same_bits_in_the_worker(ctl):
    """Softmax, cross-entropy, inverted dropout, and scores heavy enough that a slice
    trained in the GUI's process is scored on a helper thread while it trains: played,
    its slices come from the worker all the same."""
    used = _compare(ctl, "keras-lab", [12])
    assert sum(used) > 0


def test_early_stopping_inside_a_worker_slice_goes_back_to_the_same_epoch(ctl, monkeypatch):
    """overfitting with patience 5 stops at epoch 207 of 800 inside a slice (the walk
    pauses and trains the epochs up to it again in the GUI's process). The GUI's slices
    are kept short: a fast machine trained all 207 epochs in the first tick's slice,
    before there was a slice to hand on."""
    monkeypatch.setattr(clock_mod, "MAX_BUDGET_S", clock_mod.MIN_BUDGET_S)

    def patience(c):
        c.doc.set_config(patience=5)

    used = _compare(ctl, "overfitting", [None], patience)
    assert sum(used) > 0
    assert ctl.epoch < ctl.doc.lesson.epochs and ctl.early.best_epoch() < ctl.epoch


def test_pause_step_and_edit_between_worker_slices_give_the_same_network(ctl):
    """A slice handed to the worker is not used once the run moved (a step, an edit of
    the settings, a point added to the data), and is used after a pause where the run
    did not move."""
    used = _compare(ctl, _reference_lesson("b"),
                    [6, _step, 6, _halve_eta, 6, _add_point, 6, 6])
    assert sum(used) > 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
        return f.read().split(")")[-1].split()[0] != "Z"   # a zombie has ended


def test_the_worker_ends_when_the_lab_shuts_down(ctl):
    _load(ctl, _reference_lesson("a"))
    _ready(ctl)
    _ticks(ctl, 5, [])
    pid = ctl.fast.remote.pid
    assert pid is not None and _alive(pid)
    ctl.shutdown()
    assert not _alive(pid)
    assert ctl.fast.remote.pid is None and not ctl.fast.remote.usable


def test_a_worker_that_cannot_start_leaves_training_here(ctl, monkeypatch):
    def broken():
        raise OSError("no process for you")
    monkeypatch.setattr(remote_mod, "_spawn", broken)
    _load(ctl, _reference_lesson("b"))
    ctl.fast.remote.start()
    used = _compare(ctl, _reference_lesson("b"), [10], worker=False)
    assert ctl.fast.remote.pid is None and not any(used) and ctl.epoch > 0


def _kill(c):
    pid = c.fast.remote.pid
    if pid is None:                      # the replay in the GUI's process: no worker
        return
    os.kill(pid, signal.SIGKILL)         # it dies with a slice handed to it
    end = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < end:
        time.sleep(0.01)


def test_a_worker_killed_mid_run_leaves_training_here_with_the_same_run(ctl):
    used = _compare(ctl, _reference_lesson("b"), [8, _kill, 8])
    assert sum(used) > 0 and not any(used[-7:])   # none taken from it after its end


def test_nothing_crosses_to_the_worker_pickled(ctl, monkeypatch):
    """Every message goes as bytes (nnviz.engine.learning.wire): the connection's pickling
    send and recv are never called, and the worker (which reads bytes only) still trains
    the same bits."""
    from multiprocessing.connection import Connection

    def pickled(*_a, **_k):
        raise AssertionError("a message was pickled")
    monkeypatch.setattr(Connection, "send", pickled)
    monkeypatch.setattr(Connection, "recv", pickled)
    used = _compare(ctl, _reference_lesson("b"), [20])
    assert sum(used) > 0
