"""Clicker keys never change a lab's mode or setting behind the user's back; where a lab
has no next step they do nothing and the status bar says so. Buttons a lecturer clicks
repeatedly stay where they are. Real window, real key presses."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractButton

from nnviz.views.widgets import BACK, PAUSE, PLAY


def _press(win, qtbot, key=Qt.Key.Key_PageDown, times=1) -> None:
    win.activateWindow()
    win.setFocus()
    for _ in range(times):
        qtbot.keyClick(win, key)


@pytest.mark.parametrize("lesson, mode", [("universality-bumps", "bumps"),
                                          ("universality-steps", "step")])
def test_page_down_keeps_the_universality_mode_and_weights(main_window, qtbot, lesson, mode):
    win = main_window
    assert win.open_lesson(lesson)
    ctl = win.current_lab.ctl
    assert ctl.m.mode == mode
    before = ctl.net.v.copy(), ctl.net.w.copy(), ctl.net.b.copy()
    undo = win.doc.undo_stack.count()
    for key in (Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Space):
        _press(win, qtbot, key)
    assert ctl.m.mode == mode and not ctl.playback.playing
    assert win.current_lab.controls.mode.currentData() == mode
    for a, b in zip(before, (ctl.net.v, ctl.net.w, ctl.net.b)):
        assert np.array_equal(a, b)
    assert win.doc.undo_stack.count() == undo
    assert f"No next step in {mode} mode" in win.statusBar().currentMessage()


def test_page_down_in_free_mode_is_one_gradient_step(main_window, qtbot):
    win = main_window
    assert win.open_lesson("universality-bumps")
    lab = win.current_lab
    c = lab.controls
    c.mode.setCurrentIndex(c.mode.findData("free"))
    c.mode.activated.emit(c.mode.currentIndex())
    assert lab.ctl.m.mode == "free"
    before = lab.ctl.net.v.copy()
    undo = win.doc.undo_stack.count()
    _press(win, qtbot)
    assert lab.ctl.m.mode == "free"
    assert not np.array_equal(lab.ctl.net.v, before)   # one gradient step, undoable
    assert win.doc.undo_stack.count() == undo + 1


def test_page_down_on_the_towers_page_changes_nothing(main_window, qtbot):
    win = main_window
    assert win.open_lesson("universality-towers")
    lab = win.current_lab
    lab.tabs.setCurrentIndex(1)
    m = lab.ctl.m
    _press(win, qtbot)
    assert lab.ctl.m is m or lab.ctl.m == m
    assert "towers page" in win.statusBar().currentMessage()


def test_page_down_on_the_softmax_page_keeps_c(main_window, qtbot):
    win = main_window
    assert win.open_lesson("softmax-outputs")
    f = win.current_lab.ctl.functions
    c = f.softmax_scale
    _press(win, qtbot, times=3)
    _press(win, qtbot, Qt.Key.Key_PageUp)
    assert f.softmax_scale == c == 1
    assert "softmax" in win.statusBar().currentMessage()


def test_perceptron_buttons_stay_put_while_stepping_and_playing(main_window, qtbot):
    win = main_window
    assert win.open_lesson("perceptron-and")
    page = win.current_lab.perceptron_page
    buttons = (page.btn_back, page.btn_step, page.btn_play, page.btn_reset)

    def where():
        qtbot.wait(5)
        return [(b.mapTo(win, QPoint(0, 0)), b.size()) for b in buttons]

    start = where()
    for _ in range(12):   # texts under the plot change length from step to step
        qtbot.mouseClick(page.btn_step, Qt.MouseButton.LeftButton)
        assert where() == start
    page.ctl.playback.set_interval(10_000)
    qtbot.mouseClick(page.btn_play, Qt.MouseButton.LeftButton)
    assert page.ctl.playback.playing and where() == start
    qtbot.mouseClick(page.btn_play, Qt.MouseButton.LeftButton)
    assert not page.ctl.playback.playing and where() == start
    for _ in range(12):
        qtbot.mouseClick(page.btn_back, Qt.MouseButton.LeftButton)
        assert where() == start


def test_transport_glyphs_exist_in_the_stock_font(qapp):
    """DejaVu Sans (fonts-dejavu-core) draws every transport glyph nnviz uses."""
    fm = QFontMetrics(QFont("DejaVu Sans"))
    if QFontMetrics(QFont("DejaVu Sans")).inFontUcs4(ord("A")) is False:
        pytest.skip("DejaVu Sans is not installed")
    for ch in PLAY + BACK + PAUSE:
        assert fm.inFontUcs4(ord(ch)), f"U+{ord(ch):04X} is not in DejaVu Sans"
    assert not fm.inFontUcs4(0x23F8)   # the reason: ⏸ would be a missing-glyph box


def test_no_button_of_a_lab_shows_a_missing_glyph(main_window, qtbot):
    """Every button text in every lab, idle and playing, is drawable by the app's font or
    DejaVu Sans."""
    win = main_window
    fonts = [QFontMetrics(QFont("DejaVu Sans"))]

    def check(lab):
        for b in lab.findChildren(QAbstractButton):
            fonts.append(QFontMetrics(b.font()))
            for ch in b.text():
                if ch.isspace() or ord(ch) < 0x2000:
                    continue
                assert any(fm.inFontUcs4(ord(ch)) for fm in fonts), (b.text(), hex(ord(ch)))

    for name in win.lab_names:
        win.show_lab(name)
        check(win.current_lab)
    assert win.open_lesson("perceptron-and")
    page = win.current_lab.perceptron_page
    page.ctl.playback.set_interval(10_000)
    qtbot.mouseClick(page.btn_play, Qt.MouseButton.LeftButton)
    check(win.current_lab)
    qtbot.mouseClick(page.btn_play, Qt.MouseButton.LeftButton)
    assert win.open_lesson("universality-bumps")
    lab = win.current_lab
    qtbot.mouseClick(lab.controls.train_button, Qt.MouseButton.LeftButton)
    check(lab)
    qtbot.mouseClick(lab.controls.train_button, Qt.MouseButton.LeftButton)
