"""The caption bar is as tall as the caption it shows: never cut off (a live caption
taller than the lesson's others makes it taller), never an empty reserve under a short
one, the same height for captions of the same number of lines."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from nnviz.engine.lessons import Caption


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
    long_text = ("Epoch 40: training loss 0.1234, test loss 0.2345, test accuracy 93.1 %. " * 6)
    bar.show_captions([Caption(long_text)], short, ("lesson", 1))   # same lesson: no refit
    QApplication.processEvents()
    assert bar.text_host.height() > before
    assert bar.text_label.height() >= _needed(bar.text_label)
    # back to a short caption: the bar is as tall as it (no empty reserve) and stays so
    # for another caption of as many lines
    bar.show_captions(short[1:], short, ("lesson", 1))
    QApplication.processEvents()
    assert _needed(bar.text_label) <= bar.text_host.height() < before + 4
    one_line = bar.text_host.height()
    bar.show_captions(short[:1], short, ("lesson", 1))
    QApplication.processEvents()
    assert bar.text_host.height() == one_line
