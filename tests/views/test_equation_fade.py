"""The Equation panel on a projector (1024x768 in presentation mode): where the step's
"where" part runs on below the panel, its last visible line fades into the background
instead of being cut through the middle; the fade never reaches the step's result, and
it is gone once the text ends in view (scrolled down, or a step that fits)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from nnviz.views.style import current_style
from tests.views.projector_window import projector_window, set_presentation, settle
from tests.views.workbench_keys import press


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory):
    yield from projector_window((1024, 768), tmp_path_factory, "fade")


def test_the_where_part_fades_out_below_the_result(window, qtbot):
    win = window
    assert win.open_lesson("mazur-2-2-2")
    win.show_lab("workbench")
    set_presentation(win, qtbot, True)
    lab = win.current_lab
    lab.graph.setFocus()
    lab.stepper.set_position(0)
    settle()
    panel = lab.equations
    text, fade = panel.text, panel.fade
    press(qtbot, win, Qt.Key.Key_Right, 15)   # δ_o2: its "where" part runs on below
    settle()
    assert lab.stepper.k == 15
    bar, view = text.verticalScrollBar(), text.viewport()
    assert bar.maximum() > 0 and bar.value() == 0
    assert fade.isVisible()
    r = fade.geometry()
    assert r.bottom() == view.height() - 1 and r.width() == view.width()
    assert r.height() >= 0.5 * fade.line
    assert r.top() >= fade.keep > 0   # the result (keep: where it ends) is not faded
    # the bottom row of the panel is the background: no text cut through it shows
    img = view.grab().toImage()
    dpr = img.devicePixelRatio()
    y = int((view.height() - 1) * dpr)
    bg = QColor(current_style().background)
    row = {img.pixelColor(x, y).name() for x in range(0, int(view.width() * dpr), 3)}
    assert row == {bg.name()}, row
    # …while a line of text does cross the fade (it would have been cut there)
    rows = range(int((r.top() + 1) * dpr), int((r.top() + r.height() / 2) * dpr))
    assert any(img.pixelColor(x, y) != bg for y in rows
               for x in range(0, int(view.width() * dpr), 2))

    bar.setValue(bar.maximum())   # scrolled to the end: nothing more below
    settle()
    assert not fade.isVisible()
    bar.setValue(0)
    settle()
    assert fade.isVisible()

    for k in range(lab.stepper.k):   # back to the start: one that fits has no fade
        press(qtbot, win, Qt.Key.Key_Left)
        settle()
        assert fade.isVisible() == (bar.value() < bar.maximum()), k
    assert lab.stepper.k == 0
    assert bar.maximum() == 0 and not fade.isVisible()
    set_presentation(win, qtbot, False)
