"""A monkey test: thousands of random user actions across every lab, with a fixed seed.

The actions include the menus' actions (File, Edit, View, Lessons and every Export,
writing to temporary paths) and lesson switches through the Lessons menu. No exception
(the app's own exception hook is installed and the test fails if its "Something went
wrong" dialog would have shown), no Qt warning (qt_log_level_fail), no leaked window or
running timer after the window closes. On
failure the seed and the log of actions are printed so the run can be replayed:
``NNVIZ_MONKEY_SEED=123 NNVIZ_MONKEY_ACTIONS=2000 pytest tests/views/test_monkey.py``.
"""

from __future__ import annotations

import os
import random

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDockWidget,
    QDoubleSpinBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from .windows import describe_timer, other_windows

SEED = int(os.environ.get("NNVIZ_MONKEY_SEED", "20261121"))
N_ACTIONS = int(os.environ.get("NNVIZ_MONKEY_ACTIONS", "1200"))

KEYS = [Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_Space, Qt.Key.Key_PageDown,
        Qt.Key.Key_PageUp, Qt.Key.Key_Backspace, Qt.Key.Key_Home]
MOD_KEYS = [(Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier),
            (Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier),
            (Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier),
            (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier),
            (Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier),
            (Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier),
            (Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier),
            (Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)]
# buttons whose text suggests a dialog or leaving the app are left alone
SKIP_TEXT = ("quit", "open", "save", "export", "import", "browse", "…", "...", "about")


@pytest.fixture
def no_dialogs(monkeypatch, tmp_path):
    """Modal dialogs answer at once, so random clicks never block the test: save dialogs
    with a file in tmp_path named like the suggested one, open dialogs cancel, the
    exercise-sheet dialog is accepted, recorded steps stop after a few frames."""
    from pathlib import Path

    from nnviz.views import handouts

    monkeypatch.setattr(handouts, "MAX_FRAMES", 3)
    monkeypatch.setattr(QDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *a, **k: str(tmp_path)))
    monkeypatch.setattr(QMessageBox, "about", staticmethod(lambda *a, **k: None))
    for name in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(
        lambda _p=None, _t="", start="", *a, **k: (str(tmp_path / (Path(start).name
                                                                   or "monkey.nnviz")), "")))
    yield


@pytest.fixture
def exception_dialogs(monkeypatch, main_window):
    """The app's exception hook, its dialog replaced by a list the test checks."""
    import sys

    from nnviz import app

    shown: list[str] = []
    monkeypatch.setattr(app, "_show_error_dialog", lambda parent, msg, det: shown.append(det))
    monkeypatch.setattr(sys, "excepthook", app.exception_hook(lambda: main_window))
    return shown


def _menu_actions(win) -> list:
    """The File (but Quit), Edit, View, Lessons and Export menus' actions."""
    out = []

    def walk(menu) -> None:
        for a in menu.actions():
            if a.menu() is not None:
                walk(a.menu())
            elif not a.isSeparator() and a is not win.act_quit:
                out.append(a)

    for top in win.menuBar().actions():
        if top.text().replace("&", "") in ("File", "Edit", "View", "Lessons"):
            walk(top.menu())
    return out


def _settle(win) -> None:
    """Answer an unsaved-changes prompt (Discard), bring back a blanked screen, close an
    open popup menu (as Esc would: a button's menu stays open until the user leaves it)."""
    for _ in range(5):
        popup = QApplication.activePopupWidget()
        if popup is None:
            break
        QTest.keyClick(popup, Qt.Key.Key_Escape)
    box = win.files.prompt
    if box is not None:
        box.button(QMessageBox.StandardButton.Discard).click()
    if win.blank_overlay.isVisible():
        QTest.keyClick(win.blank_overlay, Qt.Key.Key_Space)


def _widgets(lab: QWidget, kind) -> list:
    return [w for w in lab.findChildren(kind) if w.isVisible() and w.isEnabled()]


def _random_point(w: QWidget, rng: random.Random) -> QPoint:
    return QPoint(rng.randrange(max(1, w.width())), rng.randrange(max(1, w.height())))


class _Monkey:
    """Random user actions, drawn from one seeded generator (the same seed, the same
    actions): keys, lessons, menus, saving and reopening, labs, and the shown lab's
    sliders, spin boxes, combo boxes, buttons, text fields and pictures."""

    def __init__(self, win, rng: random.Random, tmp_path) -> None:
        from nnviz.engine.teaching.lessons import lesson_names

        self.win, self.rng, self.tmp_path = win, rng, tmp_path
        self.lessons = lesson_names()
        self.menu_actions = _menu_actions(win)
        self.log: list[str] = []

    def act(self, i: int) -> None:
        """One action: where r falls among the limits picks it (as likely as its share)."""
        lab = self.win.current_lab
        r = self.rng.random()
        for limit, action, needs_lab in self.ACTIONS:
            if r < limit:
                if lab is not None or not needs_lab:
                    action(self, i, lab)
                return

    def key(self, i, lab) -> None:
        key = self.rng.choice(KEYS)
        self.log.append(f"{i} key {key.name}")
        QTest.keyClick(self.win, key)

    def mod_key(self, i, lab) -> None:
        key, mod = self.rng.choice(MOD_KEYS)
        self.log.append(f"{i} key {mod.name}+{key.name}")
        QTest.keyClick(self.win, key, mod)

    def lesson(self, i, lab) -> None:
        name = self.rng.choice(self.lessons)
        self.log.append(f"{i} lesson {name}")
        self.win.open_lesson(name)

    def menu(self, i, lab) -> None:
        a = self.rng.choice(self.menu_actions)
        self.log.append(f"{i} menu {a.text()}")
        if a.isEnabled():
            a.trigger()
        _settle(self.win)

    def save_and_reopen(self, i, lab) -> None:
        win = self.win
        path = str(self.tmp_path / f"monkey-{i % 3}.nnviz")
        self.log.append(f"{i} save and reopen {path}")
        if win.files.save_to(path):
            before = win.doc.network.copy()
            win.files.open_path(path)
            assert win.doc.network.equals(before), "reopened workspace differs"

    def show_lab(self, i, lab) -> None:
        name = self.rng.choice(self.win.lab_names)
        self.log.append(f"{i} lab {name}")
        self.win.show_lab(name)

    def slider(self, i, lab) -> None:
        sliders = _widgets(lab, QAbstractSlider)
        if sliders:
            s = self.rng.choice(sliders)
            v = self.rng.randint(s.minimum(), s.maximum())
            self.log.append(f"{i} slider {s.objectName() or type(s).__name__} -> {v}")
            s.setValue(v)

    def spin(self, i, lab) -> None:
        spins = _widgets(lab, QAbstractSpinBox)
        if spins:
            s = self.rng.choice(spins)
            if isinstance(s, (QSpinBox, QDoubleSpinBox)):
                v = self.rng.uniform(s.minimum(), s.maximum())
                self.log.append(f"{i} spin {s.objectName() or type(s).__name__} -> {v:.4g}")
                s.setValue(int(v) if isinstance(s, QSpinBox) else v)

    def combo(self, i, lab) -> None:
        combos = _widgets(lab, QComboBox)
        if combos:
            c = self.rng.choice(combos)
            if c.count():
                idx = self.rng.randrange(c.count())
                self.log.append(f"{i} combo {c.objectName() or type(c).__name__} -> {idx}")
                c.setCurrentIndex(idx)

    def button(self, i, lab) -> None:
        buttons = [b for b in _widgets(lab, QAbstractButton)
                   if not any(t in b.text().lower() for t in SKIP_TEXT)]
        if buttons:
            b = self.rng.choice(buttons)
            self.log.append(f"{i} click {b.text() or b.objectName() or type(b).__name__}")
            if isinstance(b, QCheckBox):
                b.toggle()
            else:
                b.click()

    def type_text(self, i, lab) -> None:
        edits = [e for e in _widgets(lab, QLineEdit) if not e.isReadOnly()]
        if edits:
            e = self.rng.choice(edits)
            text = self.rng.choice(["0.5", "-3", "1e6", "abc", "", "x^2", "sin(15*x)", "1/0",
                                    "__import__('os')", "9" * 40])
            self.log.append(f"{i} type {text!r} into {e.objectName() or type(e).__name__}")
            e.setText(text)
            QTest.keyClick(e, Qt.Key.Key_Return)

    def mouse(self, i, lab) -> None:
        rng = self.rng
        view = lab.main_view()
        target = view.viewport() if hasattr(view, "viewport") else view
        if target.width() <= 2 or target.height() <= 2:
            return
        a, b = _random_point(target, rng), _random_point(target, rng)
        button = rng.choice([Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton])
        if rng.random() < 0.5:
            self.log.append(f"{i} click {button.name} at {a.x()},{a.y()}")
            QTest.mouseClick(target, button, Qt.KeyboardModifier.NoModifier, a)
        else:
            self.log.append(f"{i} drag {a.x()},{a.y()} -> {b.x()},{b.y()}")
            QTest.mousePress(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
            QTest.mouseMove(target, b)
            QTest.mouseRelease(target, Qt.MouseButton.LeftButton,
                               Qt.KeyboardModifier.NoModifier, b)

    #: (upper limit of r, action, needs a lab): the cumulative shares of the actions
    ACTIONS = ((0.30, key, False), (0.38, mod_key, False), (0.42, lesson, False),
               (0.46, menu, False), (0.49, save_and_reopen, False), (0.53, show_lab, False),
               (0.60, slider, True), (0.68, spin, True), (0.73, combo, True),
               (0.80, button, True), (0.84, type_text, True), (2.0, mouse, True))


@pytest.mark.slow
def test_monkey(main_window, qtbot, no_dialogs, exception_dialogs, tmp_path):
    win = main_window
    monkey = _Monkey(win, random.Random(SEED), tmp_path)
    try:
        for i in range(N_ACTIONS):
            monkey.act(i)
            if i % 25 == 0:
                QApplication.processEvents()
            assert not exception_dialogs, "exception dialog:\n" + exception_dialogs[0]
        QApplication.processEvents()
        _settle(win)
    except BaseException:
        print(f"monkey failed: seed {SEED}; last actions:\n" + "\n".join(monkey.log[-40:]))
        raise

    # every lab is shut down cleanly: no running timers, no extra top-level windows
    for page in win.labs.values():
        page.shutdown()
    QApplication.processEvents()
    running = [describe_timer(t) for page in win.labs.values() for t in page.findChildren(QTimer)
               if t.isActive()]
    assert running == [], f"timers still running after shutdown: {running}"
    extra = other_windows(win, (QDialog, QDockWidget))
    assert extra == [], f"leaked windows: {extra}"
    print(f"monkey: {N_ACTIONS} actions with seed {SEED} over labs {sorted(win.labs)}")
