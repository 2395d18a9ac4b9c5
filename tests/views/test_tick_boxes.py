"""Every check box, radio button and slider of every lab, in the real main window at
projector sizes in presentation mode (F5): its indicator or handle grows with the text
(nnviz/views/presentation.py, ScaledIndicators), and a click on the grown box still
ticks it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QRadioButton,
    QSlider,
    QStyle,
    QStyleOptionButton,
    QStyleOptionSlider,
)

from nnviz.views.labs import LAB_CLASSES
from tests.views.projector_window import projector_window, set_presentation, settle

SIZES = [(1024, 768)]   # the indicator follows the type, not the window size


@pytest.fixture(scope="module", params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def window(request, qapp, tmp_path_factory):
    yield from projector_window(request.param, tmp_path_factory, "ticks")


def _indicator(button) -> QRect:
    """Where the button's style lays its indicator out."""
    opt = QStyleOptionButton()
    button.initStyleOption(opt)
    element = (QStyle.SubElement.SE_RadioButtonIndicator if isinstance(button, QRadioButton)
               else QStyle.SubElement.SE_CheckBoxIndicator)
    return button.style().subElementRect(element, opt, button)


def _small_indicators(win) -> tuple[int, list[str]]:
    """How many check boxes, radio buttons and sliders are shown, and each one whose
    indicator or handle is smaller than 0.6 of its text's line (a 14-pixel box beside
    26-pixel text in F5, a 15-pixel slider handle)."""
    shown = [b for kind in (QCheckBox, QRadioButton) for b in win.findChildren(kind)
             if b.isVisibleTo(win) and b.isVisible()]
    out = []
    for b in shown:
        r = _indicator(b)
        w, h = r.width(), r.height()
        line = b.fontMetrics().height()
        if min(w, h) < 0.6 * line:
            out.append(f"{b.objectName() or b.text()!r}: a {w}x{h} px box for {line} px text")
    sliders = [s for s in win.findChildren(QSlider) if s.isVisibleTo(win) and s.isVisible()]
    for s in sliders:   # a slider's handle: as large beside the type as the boxes
        opt = QStyleOptionSlider()
        s.initStyleOption(opt)
        r = s.style().subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                     QStyle.SubControl.SC_SliderHandle, s)
        line = s.fontMetrics().height()
        if min(r.width(), r.height()) < 0.6 * line:
            out.append(f"slider {s.objectName() or s.toolTip()[:30]!r}: a {r.width()}x"
                       f"{r.height()} px handle beside {line} px text")
    return len(shown) + len(sliders), out


#: lessons whose labs show check boxes: the decision map's "discrete", the universality
#: lab's "Sigmoid output", the surface's "Train only these two"
LESSONS = ("spiral", "universality-bumps", "sigmoid-neuron")


def test_every_tick_box_grows_with_its_text(window, qtbot):
    win = window
    problems, counted = [], 0
    for presentation in (True, False):
        set_presentation(win, qtbot, presentation)
        for lesson in LESSONS:
            assert win.open_lesson(lesson)
            settle()
            n, found = _small_indicators(win)
            counted += n
            problems += [f"{lesson} F5={presentation}: {p}" for p in found]
        for i in range(len(LAB_CLASSES)):   # Ctrl+1 ... every lab on its own page
            qtbot.keyClick(win, getattr(Qt.Key, f"Key_{i + 1}"), Qt.KeyboardModifier.ControlModifier)
            settle()
            n, found = _small_indicators(win)
            counted += n
            problems += [f"{win.current_lab_name} F5={presentation}: {p}" for p in found]
    set_presentation(win, qtbot, False)
    assert counted >= 3 * 2
    assert not problems, "\n".join(problems)


def test_a_click_on_the_grown_box_ticks_it(window, qtbot):
    """In F5 the Training lab's "discrete" box is about twice the platform's, and a click
    in the middle of the drawn box (which lies beyond the old 14 pixels) ticks it."""
    win = window
    set_presentation(win, qtbot, True)
    assert win.open_lesson("spiral")
    settle()
    boxes = [b for b in win.current_lab.findChildren(QCheckBox)
             if b.isVisible() and "discrete" in b.text()]
    assert len(boxes) == 1
    box = boxes[0]
    r = _indicator(box)
    assert min(r.width(), r.height()) >= 20
    inside = QPoint(r.right() - 2, r.center().y())   # beyond the platform's 14 pixels
    assert inside.x() - r.left() > 14
    was = box.isChecked()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=inside)
    assert box.isChecked() != was
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=inside)
    assert box.isChecked() == was
    set_presentation(win, qtbot, False)
