"""The Generalisation lab's controller: slices, validation, all-or-nothing restore."""

from __future__ import annotations

import pytest

from nnviz.controllers.general.controller import GeneralController, SliceRunner
from nnviz.engine.files.validate import FormatError


def counting(n, log):
    for i in range(n):
        log.append(i)
        yield i


def test_slice_runner_runs_in_slices_and_finishes(qtbot):
    log: list[int] = []
    r = SliceRunner(budget=0.0)              # one next() a tick
    seen = []
    r.progressed.connect(seen.append)
    r.start(counting(5, log))
    assert r.playing and log == []           # nothing runs before the event loop
    r.tick()
    assert log == [0] and seen == [0]
    r.pause()
    r.tick()                                 # a stray tick after pause still advances one
    assert log == [0, 1]
    with qtbot.waitSignal(r.finished, timeout=2000):
        r.play()
    assert log == [0, 1, 2, 3, 4] and r.done and not r.playing and r.value == 4


def test_slice_runner_finish_and_restart(qtbot):
    r = SliceRunner()
    r.start(counting(3, []))
    assert r.finish() == 2 and r.done
    r.start(counting(2, []))
    assert not r.done and r.value is None
    r.pause()


def test_settings_change_restarts_only_the_experiments_that_depend_on_them(qtbot):
    c = GeneralController()
    c.runners["more-data"].start(iter([1, 2]))
    c.runners["l1-l2"].start(iter([1, 2]))
    c.runners["l1-l2"].finish()
    c.set(steps=100)
    assert c.result("more-data") is None and c.result("l1-l2") == 2
    c.set(l_lambda=1.0)
    assert c.result("l1-l2") is None
    c.pause_all()


def test_bad_settings_change_nothing(qtbot):
    c = GeneralController()
    before = c.state()
    with qtbot.assertNotEmitted(c.changed):
        for bad in ({"degree": 99}, {"noise": "x"}, {"page": "nope"}):
            with pytest.raises(FormatError):
                c.set(**bad)
        with pytest.raises(FormatError):
            c.restore_state({"k": 2, "p": 5.0})
    assert c.state() == before


def test_resample_draws_new_sets_and_marks_an_edit(qtbot):
    c = GeneralController()
    first = c.resampled.ys.copy()
    with qtbot.waitSignal(c.edited):
        c.new_samples()
    assert c.setup.seed == 1 and (c.resampled.ys != first).any()
    with qtbot.assertNotEmitted(c.edited):
        c.restore_state({"seed": 5})
    assert c.setup.seed == 5
