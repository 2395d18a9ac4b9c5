"""Presentation mode, themes, clicker keys, the blank screen, zoom keys and captions,
driven by real key presses on the real window with the real Workbench lab."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from nnviz.engine.teaching.lessons import load_lesson
from nnviz.views.style import PRESENTATION_SCALE, current_style


@pytest.fixture
def window(main_window, qtbot):
    """The real window on the Workbench with mazur-2-2-2, active, as a lecturer finds it."""
    win = main_window
    assert win.open_lesson("mazur-2-2-2")
    assert win.current_lab_name == "workbench"
    win.activateWindow()
    win.setFocus()
    qtbot.wait(20)
    return win


def _luma(color) -> float:
    return 0.299 * color.red() + 0.587 * color.green() + 0.114 * color.blue()


def test_f5_enlarges_type_hides_chrome_and_reaches_the_lab(window, qtbot):
    win = window
    lab = win.current_lab
    before_app = QApplication.font().pointSizeF()
    before_label = win.status_label.font().pointSizeF()
    assert win.menuBar().isVisible() and win.toolbar.isVisible()
    qtbot.keyClick(win, Qt.Key.Key_F5)
    assert current_style().presentation
    assert QApplication.font().pointSizeF() == before_app * PRESENTATION_SCALE
    assert win.status_label.font().pointSizeF() > before_label * 1.5
    assert win.caption_bar.text_label.font().pointSizeF() > before_label * 1.5
    assert not win.menuBar().isVisible() and not win.toolbar.isVisible()
    assert lab.style_.presentation and lab.style_.scale == PRESENTATION_SCALE
    assert win.act_presentation.isChecked()
    # high contrast: pure white background, black text
    pal = QApplication.palette()
    assert pal.color(QPalette.ColorRole.Base).name() == "#ffffff"
    assert pal.color(QPalette.ColorRole.Text).name() == "#000000"
    # Esc is the way back
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    assert not current_style().presentation
    assert QApplication.font().pointSizeF() == before_app
    assert win.menuBar().isVisible() and win.toolbar.isVisible()
    assert lab.style_.scale == 1.0


def test_dark_theme_in_both_modes(window, qtbot):
    win = window
    lab = win.current_lab
    light_window = QApplication.palette().color(QPalette.ColorRole.Window)
    win.act_dark.trigger()
    assert current_style().theme == "dark" and lab.style_.theme == "dark"
    dark = QApplication.palette()
    assert _luma(dark.color(QPalette.ColorRole.Window)) < 60 < _luma(light_window)
    assert _luma(dark.color(QPalette.ColorRole.WindowText)) > 200
    assert _luma(win.status_label.palette().color(QPalette.ColorRole.WindowText)) > 200
    qtbot.keyClick(win, Qt.Key.Key_F5)
    s = current_style()
    assert s.theme == "dark" and s.presentation and lab.style_ == s
    assert QApplication.palette().color(QPalette.ColorRole.Base).name() == "#000000"
    assert QApplication.palette().color(QPalette.ColorRole.Text).name() == "#ffffff"
    import pyqtgraph as pg

    assert pg.getConfigOption("background") == s.background
    win.act_dark.trigger()
    assert current_style().theme == "light" and current_style().presentation


def test_clicker_keys_step_the_lab_in_both_modes(window, qtbot):
    win = window
    lab = win.current_lab
    for key in (Qt.Key.Key_PageDown, Qt.Key.Key_Space, Qt.Key.Key_Right):
        qtbot.keyClick(win, key)
    assert lab.stepper.k == 3
    qtbot.keyClick(win, Qt.Key.Key_PageUp)
    qtbot.keyClick(win, Qt.Key.Key_Left)
    assert lab.stepper.k == 1
    qtbot.keyClick(win, Qt.Key.Key_F5)
    qtbot.keyClick(win, Qt.Key.Key_PageDown)
    qtbot.keyClick(win, Qt.Key.Key_PageDown)
    qtbot.keyClick(win, Qt.Key.Key_PageUp)
    assert lab.stepper.k == 2
    qtbot.waitUntil(lambda: "step 2 of" in win.status_label.text())
    qtbot.keyClick(win, Qt.Key.Key_Escape)


def test_b_blanks_and_any_key_restores(window, qtbot):
    win = window
    lab = win.current_lab
    qtbot.keyClick(win, Qt.Key.Key_B)
    overlay = win.blank_overlay
    assert overlay.isVisible()
    assert overlay.geometry() == win.rect()
    img = win.grab().toImage()
    assert img.pixelColor(win.width() // 2, win.height() // 2).name() == "#000000"
    qtbot.keyClick(overlay, Qt.Key.Key_Space)  # restores, but does not step
    assert not overlay.isVisible()
    assert lab.stepper.k == 0
    qtbot.keyClick(win, Qt.Key.Key_B)
    assert overlay.isVisible()
    qtbot.mouseClick(overlay, Qt.MouseButton.LeftButton)
    assert not overlay.isVisible()


def test_zoom_keys_reach_the_lab(window, qtbot):
    win = window
    vb = win.current_lab.graph.view
    qtbot.wait(50)

    def width() -> float:
        return vb.viewRange()[0][1] - vb.viewRange()[0][0]

    fitted = width()
    qtbot.keyClick(win, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert width() == pytest.approx(fitted / 1.25)      # zoomed in: less of the scene
    qtbot.keyClick(win, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert width() == pytest.approx(fitted / 1.25 / 0.8)
    qtbot.keyClick(win, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: width() == pytest.approx(fitted))


def test_caption_bar_follows_the_lab(window, qtbot):
    win = window
    from nnviz.views.caption_text import shown_captions

    lesson = load_lesson("mazur-2-2-2")
    # as shown: templates filled with the lesson's own numbers
    by_at = {c.phase or c.step: c for c in shown_captions(lesson, lesson.captions, None, None)}
    bar = win.caption_bar
    assert bar.isVisible()
    assert bar.text_label.text() == by_at[0].text
    assert by_at[0].question in bar.question_label.text()
    qtbot.keyClick(win, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: bar.text_label.text() == by_at["forward"].text)
    lab = win.current_lab
    n_forward = sum(1 for s in lesson_trace_steps(lesson) if s.phase == "forward")
    for _ in range(n_forward):
        qtbot.keyClick(win, Qt.Key.Key_Right)
    assert lab.caption_position()[1] == "error"
    qtbot.waitUntil(lambda: bar.text_label.text() == by_at["error"].text)
    win.act_captions.trigger()  # View > Captions off
    assert not bar.isVisible()
    win.act_captions.trigger()
    assert bar.isVisible()


def lesson_trace_steps(lesson):
    from nnviz.engine.stepping.worked import lesson_trace

    return lesson_trace(lesson).steps


def conv_positions(lesson) -> int:
    """Positions the convolution lab steps through (pooling windows on a pooling page;
    on a convolution page the forward pass, then the backward pass through the same
    positions, as ConvController.n_steps; the CNN page counts mini-batches, without
    end)."""
    from nnviz.engine.labs.conv_setup import parse_setup
    from nnviz.engine.labs.conv_steps import feature_maps, map_shape

    s = parse_setup(lesson.settings)
    if s.page == "cnn":
        return 10**9
    img = s.image()
    maps = feature_maps(img, s.kernels, s.biases, s.stride, s.padding)
    ph, pw = map_shape(*maps.shape[1:], s.pool_size, s.pool_stride, 0)
    return ph * pw if s.page == "pool" else 2 * (maps[0].size + ph * pw)


def test_every_shipped_caption_is_reachable():
    """Captions at step numbers must point inside the lesson's trace."""
    from nnviz.engine.teaching.lessons import lesson_names

    for name in lesson_names():
        lesson = load_lesson(name)
        assert lesson.captions, f"{name} has no captions"
        for c in lesson.captions:
            assert c.text.strip()
        steps = [c.step for c in lesson.captions if c.step]   # step 0 is always reachable
        if not steps:
            continue   # (a lesson of a lab without micro-steps need not have a trace)
        n = conv_positions(lesson) if lesson.lab == "conv" else len(lesson_trace_steps(lesson))
        for step in steps:
            assert 0 < step <= n, (name, step)


def test_numbers_in_step_captions_match_the_worked_example():
    """Every long number a caption quotes is one the worked example prints."""
    import re

    from nnviz.engine.stepping.worked import worked_markdown

    for name in ("mazur-2-2-2", "linear-2-2-1", "step-network"):
        from nnviz.views.caption_text import shown_captions

        lesson = load_lesson(name)
        md = worked_markdown(lesson)
        for c in shown_captions(lesson, lesson.captions, None, None):
            for number in re.findall(r"\d+\.\d{4,}", c.text + c.question):
                if number == "0.0000351":  # after 10,000 steps, from the notes
                    continue
                assert number in md, (name, number)


def test_f11_toggles_full_screen(window, qtbot):
    win = window
    qtbot.keyClick(win, Qt.Key.Key_F11)
    assert win.isFullScreen() and win.act_fullscreen.isChecked()
    qtbot.keyClick(win, Qt.Key.Key_F11)
    assert not win.isFullScreen() and not win.act_fullscreen.isChecked()


def test_the_dark_theme_is_remembered(qtbot, settings):
    from nnviz.views import main_window as mw

    win = mw.MainWindow(settings=settings)
    qtbot.addWidget(win)
    win.start()
    win.act_dark.trigger()
    win.close()
    assert current_style().theme == "light"  # closing restores the defaults
    win2 = mw.MainWindow(settings=settings)
    qtbot.addWidget(win2)
    win2.start()
    assert current_style().theme == "dark" and win2.act_dark.isChecked()
    assert win2.current_lab.style_.theme == "dark"
    win2.close()
