"""The Session: one document, every lab's controllers made without any lab page, and a
workspace's lab states saved and restored through the controllers alone."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from nnviz.controllers.lab_parts import LabParts
from nnviz.controllers.session import LAB_PARTS, Session
from nnviz.engine.files.workspace import Workspace, data_spec_for, read_workspace, save_workspace


def _session(lesson: str = "mazur-2-2-2") -> Session:
    s = Session()
    s.doc.load_lesson(lesson)
    return s


@pytest.fixture
def session(qtbot):
    s = _session()
    yield s
    s.shutdown()
    s.doc.undo_stack.blockSignals(True)


def _controllers(parts: LabParts) -> list[QObject]:
    return [v for k, v in vars(parts).items() if isinstance(v, QObject) and k != "doc"]


def test_the_session_and_the_window_name_the_same_labs():
    from nnviz.views.labs import LAB_CLASSES

    assert list(LAB_PARTS) == list(LAB_CLASSES)


def test_every_labs_controllers_are_made_without_any_page(session):
    widgets = len(QApplication.allWidgets())
    session.make_all()
    assert sorted(session.parts) == sorted(LAB_PARTS)
    assert len(QApplication.allWidgets()) == widgets      # no page, no widget
    for name, parts in session.parts.items():
        assert parts.name == name and parts.parent() is session
        ctls = _controllers(parts)
        assert ctls, name
        for c in ctls:       # owned by the parts (Qt deletes them with the session)
            assert c.parent() is parts, (name, c)


def test_there_is_one_document(session):
    session.make_all()
    assert session.doc.parent() is session
    for parts in session.parts.values():
        assert parts.doc is session.doc
        for c in _controllers(parts):
            assert getattr(c, "doc", session.doc) is session.doc, c


def test_asking_twice_gives_the_same_controllers_and_unknown_labs_are_refused(session):
    assert session.lab("training") is session.lab("training")
    assert session.lab("training").ctl is session.parts["training"].ctl
    with pytest.raises(KeyError):
        session.lab("no-such-lab")


def _changed_states(session: Session) -> dict:
    """Every lab's state with something changed from the lesson's start, made by asking
    the controllers (the workbench steps and trains; page-only choices edited)."""
    session.make_all()
    wb = session.lab("workbench")
    wb.stepper.train_step()
    wb.stepper.set_position(3)
    states = session.state()
    states["training"]["discrete"] = True
    states["universality"].update(tab=1, selected=2)
    states["neuron"]["page"] = "softmax"
    states["surface"]["page"] = "race"
    states["conv"]["page"] = "cnn"
    states["workbench"]["weight_labels"] = False
    return states


def _workspace(session: Session, labs: dict) -> Workspace:
    d = session.doc
    return Workspace(d.lesson, d.network.copy(), d.x.copy(), d.y.copy(), d.example_x.copy(),
                     d.example_y.copy(), d.config, d.loss_name, "workbench", labs, (0, "start"),
                     data_spec_for(d.lesson, d.x, d.y), [])


def test_a_workspace_round_trip_through_a_file_needs_no_lab_page(session, qtbot, tmp_path):
    states = _changed_states(session)
    session.restore_state(states)       # page-only choices too, with no page to show them
    saved = session.state()
    assert saved == states
    assert saved["workbench"]["k"] == 3 and saved["workbench"]["t"] == 1
    path = tmp_path / "w.nnviz"
    save_workspace(path, _workspace(session, saved))
    ws = read_workspace(path)

    widgets = len(QApplication.allWidgets())
    other = Session()
    try:
        d = other.doc
        d.restore_workspace(ws.lesson, ws.network, ws.x, ws.y, ws.example_x, ws.example_y,
                            ws.config, ws.loss)
        other.restore_state(ws.labs)
        assert sorted(other.parts) == sorted(LAB_PARTS)   # made by the restore
        assert other.state() == saved
        assert other.lab("workbench").stepper.k == 3
        assert np.array_equal(d.network.get_params(), session.doc.network.get_params())
        assert len(QApplication.allWidgets()) == widgets
    finally:
        other.shutdown()
        other.doc.undo_stack.blockSignals(True)


@pytest.mark.parametrize("lab, bad", [
    ("workbench", {"k": -1}),
    ("workbench", {"matrix": {"on": "yes"}}),
    ("training", {"discrete": 1}),
    ("universality", {"tab": 5}),
    ("neuron", {"page": "nowhere"}),
    ("surface", {"page": "nowhere"}),
    ("conv", {"page": "nowhere"}),
    ("general", {"page": "nowhere"}),
])
def test_a_bad_lab_state_is_refused_and_changes_nothing(session, lab, bad):
    before = session.lab(lab).state()
    with pytest.raises(ValueError):
        session.restore_state({lab: {**before, **bad}})
    assert session.lab(lab).state() == before


class _Page:
    """What the parts ask of a page: its own choices, and showing given ones."""

    def __init__(self, discrete: bool) -> None:
        self.view = {"discrete": discrete}

    def view_state(self) -> dict:
        return dict(self.view)

    def apply_view_state(self, view: dict) -> None:
        self.view = dict(view)


def test_parts_ask_their_page_and_hold_it_weakly(session):
    """The parts read the page's choices while it lives and never keep it alive (no cycle
    for the garbage collector to break); afterwards they keep its last choices."""
    parts = session.lab("training")
    page = _Page(discrete=True)
    parts.attach(page)
    assert parts.state()["discrete"] is True
    page.view["discrete"] = False
    assert parts.state()["discrete"] is False
    ref = weakref.ref(page)
    gc.disable()
    try:
        del page
        assert ref() is None
    finally:
        gc.enable()
    assert parts.state()["discrete"] is False


def test_a_workspace_opened_before_the_page_is_built_is_shown_by_it(session):
    parts = session.lab("training")
    parts.restore_state({**parts.state(), "discrete": True})
    page = _Page(discrete=False)
    parts.attach(page)
    assert page.view == {"discrete": True}


def test_a_lesson_opened_later_replaces_a_workspace_choice_not_yet_shown(session):
    parts = session.lab("training")
    parts.restore_state({**parts.state(), "discrete": True})
    session.doc.load_lesson("xor-mlp")
    page = _Page(discrete=False)         # the page shows the new lesson's own choice
    parts.attach(page)
    assert page.view == {"discrete": False} and parts.state()["discrete"] is False
