"""The window's Session: every lab's page is handed the controllers the session made, and
a workspace saved with every lab opens in a new window without building their pages,
each page showing its part when first shown."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSettings

#: a page's attribute -> its parts' attribute, per lab
HANDED = {
    "workbench": {"stepper": "stepper", "matrix": "matrix"},
    "training": {"ctl": "ctl"},
    "universality": {"ctl": "ctl"},
    "general": {"ctl": "ctl"},
    "conv": {"ctl": "ctl", "cnn": "cnn"},
    "neuron": {"ctl": "ctl"},
    "surface": {"controller": "controller", "slowdown": "slowdown", "racer": "racer"},
}


def test_every_page_is_handed_the_sessions_controllers(main_window):
    win = main_window
    assert win.doc is win.session.doc
    assert sorted(HANDED) == sorted(win.lab_names)
    for name, attrs in HANDED.items():
        made = name in win.labs
        parts = win.session.lab(name)         # exists before its page is shown
        ctls = {a: getattr(parts, p) for a, p in attrs.items()}
        assert all(c.doc is win.doc for c in ctls.values() if hasattr(c, "doc"))
        win.show_lab(name)
        page = win.labs[name]
        assert page.parts is parts, name
        for attr, ctl in ctls.items():
            assert getattr(page, attr) is ctl, (name, attr, made)


def test_a_workspace_opens_in_a_new_window_without_building_its_labs(main_window, qtbot,
                                                                      tmp_path):
    win = main_window
    win.open_lesson("xor-mlp")
    for name in ("neuron", "surface", "training", "workbench"):
        win.show_lab(name)
    win.labs["neuron"].show_page("softmax")
    win.labs["surface"].tabs.setCurrentIndex(2)           # the optimiser race
    win.labs["training"].discrete.setChecked(True)
    win.labs["workbench"].act_labels.trigger()            # weight labels off
    path = str(tmp_path / "all.nnviz")
    assert win.files.save_to(path)
    saved = win.session.state()

    from nnviz.views.main_window import MainWindow

    other = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(other)
    other.resize(1280, 720)
    other.files.open_path(path)
    assert other.files.path == path
    assert sorted(other.labs) == ["workbench"]            # the lab shown, no other page
    assert sorted(other.session.parts) == sorted(saved)   # every lab's controllers
    assert other.session.state() == saved
    other.show_lab("neuron")
    assert other.labs["neuron"].page == "softmax"
    other.show_lab("surface")
    assert other.labs["surface"].page_name == "race"
    other.show_lab("training")
    assert other.labs["training"].discrete.isChecked()
    other.show_lab("workbench")
    assert not other.labs["workbench"].act_labels.isChecked()
    other.close()


def test_a_failed_open_leaves_no_lab_controllers_it_made(main_window, qtbot, tmp_path,
                                                         monkeypatch):
    """The last-resort rollback also undoes the labs' controllers the open made: none is
    left holding the refused file's state, and none changes the document put back (its
    data set is the lesson's, whichever lab is made: the notes' example for mazur-2-2-2)."""
    from tests.views.test_hostile_open import open_via_menu, snapshot

    win = main_window
    win.show_lab("general")
    win.lab("general").ctl.set(seed=5)
    win.show_lab("training")
    win.show_lab("workbench")   # the file's lab: the one page the open builds
    path = tmp_path / "labs.nnviz"
    assert win.files.save_to(str(path))

    from nnviz.views.main_window import MainWindow

    other = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(other)
    other.start(lesson="mazur-2-2-2")
    assert sorted(other.session.parts) == ["workbench"] and len(other.doc.x) == 1
    before, rows = snapshot(other), other.doc.x.copy()

    def late_fault(_strokes):   # after every lab took the file's state
        assert sorted(other.session.parts) == ["general", "training", "workbench"]
        raise TypeError("a lab's bug")

    monkeypatch.setattr(other.pen, "restore", late_fault)
    shown = open_via_menu(other, monkeypatch, path)
    assert len(shown) == 1 and "nothing was changed" in shown[0]
    assert snapshot(other) == before and np.array_equal(other.doc.x, rows)
    assert sorted(other.session.parts) == ["workbench"]
    assert other.session.lab("general").ctl.setup.seed != 5    # made afresh when asked
    other.close()
