"""Fixtures of the window tests: answers for the file dialogs, the app's exception hook
(a test fails if its "Something went wrong" dialog would show), and a main window whose
only lab is the recording DummyLab (for the window's own plumbing, never for a path a
user takes: those tests use ``main_window`` with the real labs)."""

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


@pytest.fixture
def save_as(monkeypatch):
    """The save dialog answers with the paths appended to the returned list, in order
    (cancelled when the list is empty)."""
    from PySide6.QtWidgets import QFileDialog

    answers: list[str] = []

    def answer(*_a, **_k):
        return (answers.pop(0) if answers else "", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    return answers


@pytest.fixture
def error_dialogs(monkeypatch, main_window):
    """The app's exception hook is installed (as in nnviz's main); what it would show in
    its "Something went wrong" dialog is collected, and the test fails if anything is."""
    import sys

    from nnviz import app

    shown: list[str] = []
    monkeypatch.setattr(app, "_show_error_dialog",
                        lambda parent, message, details: shown.append(details))
    monkeypatch.setattr(sys, "excepthook", app.exception_hook(lambda: main_window))
    yield shown
    assert shown == [], "an exception dialog was shown:\n" + "\n".join(shown)
