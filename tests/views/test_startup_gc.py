"""Start-up without the cyclic garbage collector: it comes back on after the first paint,
with the start-up objects frozen out of its sight."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtWidgets import QLabel

from nnviz.app import _AfterFirstPaint, settle_gc


@pytest.fixture
def collector():
    """Leave the collector on and nothing frozen, as the test process has it."""
    yield
    gc.unfreeze()
    gc.enable()


def test_settle_switches_collection_on_and_freezes_the_survivors(collector):
    gc.disable()
    settle_gc()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 1000     # modules, classes... of this test process


def test_settle_leaves_a_running_collector_alone(collector):
    gc.enable()
    before = gc.get_freeze_count()
    settle_gc()
    assert gc.isenabled() and gc.get_freeze_count() == before


def test_collection_is_back_on_after_the_first_paint(qtbot, collector):
    w = QLabel("first paint")
    qtbot.addWidget(w)
    gc.disable()
    _AfterFirstPaint(w, settle_gc)
    assert not gc.isenabled()
    w.show()
    qtbot.waitUntil(gc.isenabled, timeout=5000)
    assert gc.get_freeze_count() > 0
