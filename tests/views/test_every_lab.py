"""Every lab follows presentation mode and the clicker keys."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

LESSON_OF = {"workbench": "mazur-2-2-2", "universality": "relu-approximation",
             "surface": "sigmoid-neuron", "training": "spiral", "neuron": "perceptron-nand",
             "conv": "conv-edge", "general": "bias-variance"}


def _largest_label_font(lab) -> float:
    sizes = [w.font().pointSizeF() for w in lab.findChildren(QLabel) if w.isVisible()]
    return max(sizes) if sizes else 0.0


@pytest.mark.parametrize("name", list(LESSON_OF))
def test_presentation_mode_enlarges_every_lab(main_window, qtbot, name):
    win = main_window
    assert win.open_lesson(LESSON_OF[name])
    win.show_lab(name)
    lab = win.current_lab
    before = _largest_label_font(lab)
    assert before > 0
    qtbot.keyClick(win, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: _largest_label_font(lab) > before * 1.3)
    qtbot.keyClick(win, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: abs(_largest_label_font(lab) - before) < 0.01)


@pytest.mark.parametrize("name", list(LESSON_OF))
def test_clicker_page_down_steps_every_lab(main_window, qtbot, name):
    win = main_window
    assert win.open_lesson(LESSON_OF[name])
    win.show_lab(name)
    lab = win.current_lab
    win.setFocus()

    def seen() -> str:  # what the user sees of the lab's position: status bar and state
        return win.status_label.text() + json.dumps(lab.state(), sort_keys=True, default=str)

    before = seen()
    qtbot.keyClick(win, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: seen() != before)
    lab.deactivate()
