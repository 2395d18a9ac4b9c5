"""Arrow keys edit a focused slider; clicker keys still step the lab."""

from __future__ import annotations

from PySide6.QtCore import Qt


def test_focused_slider_keeps_the_arrow_keys(main_window, qtbot):
    win = main_window
    assert win.open_lesson("perceptron-nand")
    lab = win.current_lab
    assert lab.name == "neuron"
    slider = lab.perceptron_page.sliders["w1"].slider
    before_value = slider.value()
    before_w = lab.ctl.w.copy()
    slider.setFocus()
    qtbot.waitUntil(slider.hasFocus)
    qtbot.keyClick(slider, Qt.Key.Key_Right)
    assert slider.value() == before_value + slider.singleStep()
    assert lab.ctl.w[0] > before_w[0]  # the key went to the slider, not to the lab


def test_page_down_steps_even_from_a_focused_slider(main_window, qtbot):
    win = main_window
    lab = win.current_lab
    assert lab.name == "workbench"
    slider = lab.findChildren(type(lab.inspector.slider))[0]
    k0 = lab.stepper.k
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key.Key_PageDown)
    assert lab.stepper.k == k0 + 1


def test_right_steps_when_no_input_has_focus(main_window, qtbot):
    win = main_window
    lab = win.current_lab
    k0 = lab.stepper.k
    win.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_Right)
    assert lab.stepper.k == k0 + 1
