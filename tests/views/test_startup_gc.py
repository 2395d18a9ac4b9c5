"""Start-up without the cyclic garbage collector; after the first paint, the survivors are
frozen out of its sight and cyclic garbage is collected between events only, never inside
a call into Qt."""

from __future__ import annotations

import gc
import weakref

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

from nnviz.app import _AfterFirstPaint, _CollectBetweenEvents, collect_due, settle_gc


@pytest.fixture
def collector():
    """Nothing frozen afterwards, and the collector as the test process keeps it (off)."""
    yield
    gc.unfreeze()
    gc.disable()


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def _garbage_cycle() -> weakref.ref:
    return weakref.ref(_Cycle())


def test_settle_freezes_the_survivors_and_leaves_automatic_collection_off(collector):
    owner = QObject()
    gc.enable()
    settle_gc(owner)
    assert not gc.isenabled()
    assert gc.get_freeze_count() > 1000     # modules, classes... of this test process
    assert len(owner.findChildren(_CollectBetweenEvents)) == 1


def test_settle_happens_once(collector):
    owner = QObject()
    settle_gc(owner)
    frozen = gc.get_freeze_count()
    _garbage_cycle()
    settle_gc(owner)
    assert gc.get_freeze_count() == frozen
    assert len(owner.findChildren(_CollectBetweenEvents)) == 1


def test_cyclic_garbage_is_collected_from_the_event_loop(qtbot, collector):
    owner = QObject()
    gc.disable()
    settle_gc(owner)
    dead = _garbage_cycle()
    for _ in range(2 * gc.get_threshold()[0]):   # enough allocations to pass the threshold
        _Cycle()
    assert dead() is not None                    # nothing collects inside Python code...
    qtbot.waitUntil(lambda: dead() is None, timeout=5000)   # ...the event loop does


def test_collect_due_waits_for_the_youngest_threshold(collector):
    gc.disable()
    gc.collect()
    dead = _garbage_cycle()
    assert gc.get_count()[0] <= gc.get_threshold()[0]
    assert collect_due() == 0 and dead() is not None
    for _ in range(gc.get_threshold()[0]):
        _Cycle()
    assert collect_due() > 0 and dead() is None


def test_collect_due_takes_the_oldest_generation_due(collector, monkeypatch):
    taken = []
    monkeypatch.setattr(gc, "collect", taken.append)
    for counts, expected in [((701, 0, 0), 0), ((701, 11, 0), 1), ((701, 11, 11), 2),
                             ((701, 3, 11), 2), ((700, 11, 11), None)]:
        monkeypatch.setattr(gc, "get_count", lambda c=counts: c)
        monkeypatch.setattr(gc, "get_threshold", lambda: (700, 10, 10))
        taken.clear()
        collect_due()
        assert taken == ([] if expected is None else [expected]), counts


def test_collection_is_settled_after_the_first_paint(qtbot, collector):
    w = QLabel("first paint")
    qtbot.addWidget(w)
    _AfterFirstPaint(w, lambda: settle_gc(w))
    assert w.findChild(_CollectBetweenEvents) is None
    w.show()
    qtbot.waitUntil(lambda: w.findChild(_CollectBetweenEvents) is not None, timeout=5000)
    assert gc.get_freeze_count() > 0
