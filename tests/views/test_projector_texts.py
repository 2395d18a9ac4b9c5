"""Texts of the Error-surface and Training labs in the real main window at the projector
sizes in presentation mode (F5): formulas break between terms only, never inside a
bracket; tick boxes as large as their text; chart texts clear of the curves and each
other."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.views.fit_checks import broken_texts, label_bracket_breaks, text_problems
from tests.views.projector_fit import SIZES
from tests.views.projector_window import projector_window, set_presentation, settle


@pytest.fixture(scope="module", params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def window(request, qapp, tmp_path_factory):
    yield from projector_window(request.param, tmp_path_factory, "texts")


def test_the_slowdown_formulas_never_break_inside_a_bracket(window, qtbot):
    """The learning-slowdown lesson (its tab opened with Ctrl+3), in F5 and not: each
    cost's formula above its map breaks between terms only, never inside its [ ] ("C =
    −1/n Σ_x [y ln a +" | "(1 − y) ln(1 − a)]" at 1024x768 in F5), and shows all its
    text."""
    win = window
    problems = []
    for presentation in (True, False):
        set_presentation(win, qtbot, presentation)
        assert win.open_lesson("learning-slowdown", switch_lab=False)
        qtbot.keyClick(win, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
        settle()
        lab = win.current_lab
        assert win.current_lab_name == "surface" and lab.page_name == "slowdown"
        titles = lab.slow_page.titles
        assert any("[" in t.text() for t in titles)
        found = label_bracket_breaks(titles, win) + broken_texts(lab.slow_page) + \
            text_problems(lab.slow_page)
        problems += [f"F5={presentation}: {p}" for p in found]
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)


def _indicator_rect(check):
    """Where the check box's style lays out its indicator."""
    from PySide6.QtWidgets import QStyle, QStyleOptionButton

    opt = QStyleOptionButton()
    check.initStyleOption(opt)
    return check.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, opt, check)


def _indicator_problems(check) -> list[str]:
    """The tick box's indicator as laid out smaller than 0.6 of its text's line height
    (a 13-pixel box beside 24-pixel text in F5)."""
    box = _indicator_rect(check)
    line = check.fontMetrics().height()
    if min(box.width(), box.height()) < 0.6 * line or box.height() > check.height():
        return [f"{check.objectName()}: a {box.width()}x{box.height()} px box for "
                f"{line} px text in a {check.height()} px row"]
    return []


def test_the_race_tick_boxes_grow_with_their_text(window, qtbot):
    """The optimiser race (xor-landscape, its tab clicked), in F5 and not: each racer's
    tick box is at least 0.6 of its text's height and fits its row (they stayed 13 px
    beside 24 px text in F5), and a click on one still ticks it off and on."""
    win = window
    problems = []
    for presentation in (True, False):
        set_presentation(win, qtbot, presentation)
        assert win.open_lesson("xor-landscape")
        lab = win.current_lab
        bar = lab.tabs.tabBar()
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                         pos=bar.tabRect(lab.tabs.indexOf(lab.race_page)).center())
        settle()
        checks = [c for c in lab.race_page.checks.values() if c.isVisible()]
        assert checks
        for c in checks:
            problems += [f"F5={presentation}: {p}" for p in _indicator_problems(c)]
        first = checks[0]
        was = first.isChecked()
        box = _indicator_rect(first)
        qtbot.mouseClick(first, Qt.MouseButton.LeftButton, pos=box.center())   # the box
        assert first.isChecked() != was
        qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
        assert first.isChecked() == was
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_the_training_charts_texts_lie_clear_of_the_curves(window, qtbot):
    """The Training lab (spiral) after 3, 40 and 300 epochs, in F5 and not: no text of a
    chart ("loss", "accuracy", "best") over its curves as drawn or over another text
    ("loss" lay over the falling curves in F5)."""
    from tests.views.fit_checks import chart_text_overlaps

    win = window
    problems = []
    for presentation in (True, False):
        set_presentation(win, qtbot, presentation)
        for lesson in ("spiral",):
            assert win.open_lesson(lesson)
            lab, done = win.current_lab, 0
            for epochs in (3, 40, 300):
                lab.advance(epochs - done)
                done = epochs
                lab.redraw()
                settle()
                problems += [f"F5={presentation} {lesson} {epochs}: {p}"
                             for p in chart_text_overlaps(lab)]
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)
