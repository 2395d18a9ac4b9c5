"""Fixtures of the window tests: answers for the save dialog and the app's exception hook
(a test fails if its "Something went wrong" dialog would show). Window tests use
``main_window`` (tests/conftest.py): the real window with the real labs, no stand-ins."""

from __future__ import annotations

import pytest


@pytest.fixture
def lab(main_window, qtbot):
    """The real window's Workbench with its graph focused, so the lab's own keys reach it
    (a test module of another lab defines its own ``lab``)."""
    main_window.activateWindow()
    lab = main_window.current_lab
    assert lab.name == "workbench"
    lab.graph.setFocus()
    return lab


@pytest.fixture
def graph(qtbot):
    """A network graph on its own, 900 × 600, shown offscreen (the graph's own tests)."""
    from nnviz.views.items.network_graph import NetworkGraphWidget

    g = NetworkGraphWidget()
    qtbot.addWidget(g)
    g.resize(900, 600)
    g.show()
    qtbot.waitExposed(g)
    return g


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
