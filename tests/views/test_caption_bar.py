"""The caption bar within a lesson: never cuts a caption off (a live caption taller than
the lesson's others makes it taller), keeps one height while the lesson is stepped (the
view above it does not jump), and reserves a question's line only in a lesson that asks
one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from nnviz.engine.teaching.lessons import Caption


def _needed(label) -> int:
    return label.fontMetrics().boundingRect(0, 0, label.width(), 10_000,
                                            Qt.TextFlag.TextWordWrap, label.text()).height()


def test_a_taller_live_caption_is_not_cut_off(main_window):
    win = main_window
    bar = win.caption_bar
    short = [Caption("Epoch 1: a short caption."), Caption("Another short one.")]
    bar.show_captions(short[:1], short, ("lesson", 1))
    QApplication.processEvents()
    before = bar.text_host.height()
    # the reservation is the tallest one caption, not all of them one under the other
    assert before < 2 * bar.text_label.fontMetrics().lineSpacing() + 6
    assert not bar.question_host.isVisible()         # no question in the lesson: no line
    long_text = ("Epoch 40: training loss 0.1234, test loss 0.2345, test accuracy 93.1 %. " * 6)
    bar.show_captions([Caption(long_text)], short, ("lesson", 1))   # same lesson
    QApplication.processEvents()
    taller = bar.text_host.height()
    assert taller > before
    assert bar.text_label.height() >= _needed(bar.text_label)
    # back to a short caption in the same lesson: the bar keeps its height (no jump)
    bar.show_captions(short[1:], short, ("lesson", 1))
    QApplication.processEvents()
    assert bar.text_host.height() == taller
    # another lesson of short captions: as tall as they are, no empty reserve
    bar.show_captions(short[:1], short, ("lesson", 2))
    QApplication.processEvents()
    assert _needed(bar.text_label) <= bar.text_host.height() < before + 4


def test_a_lesson_that_asks_keeps_the_questions_line(main_window):
    bar = main_window.caption_bar
    caps = [Caption("A caption."), Caption("Another.", question="Which way does it go?")]
    bar.show_captions(caps[:1], caps, ("asks", 1))
    QApplication.processEvents()
    first = bar.height()
    assert bar.question_host.isVisible() and bar.question_label.text() == ""
    bar.show_captions(caps[1:], caps, ("asks", 1))
    QApplication.processEvents()
    assert bar.height() == first and "Which way" in bar.question_label.text()
