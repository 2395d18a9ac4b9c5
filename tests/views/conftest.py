"""A main window whose only lab is the recording DummyLab."""

from __future__ import annotations

import pytest


@pytest.fixture
def dummy_window(qtbot, settings, monkeypatch):
    from nnviz.views import main_window as mw
    from tests.views.dummy_lab import DummyLab

    monkeypatch.setattr(mw, "available_labs", lambda: ["dummy"])
    monkeypatch.setattr(mw, "lab_class", lambda name: DummyLab)
    win = mw.MainWindow(settings=settings)
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.start(lesson="mazur-2-2-2")
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    win.setFocus()
    yield win
    for page in win.labs.values():
        page.shutdown()
