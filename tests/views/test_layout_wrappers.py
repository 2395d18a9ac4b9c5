"""No Python wrapper of a layout item outlives its item.

PySide keeps the wrapper of an item that ``QLayout.itemAt`` returned alive with the
layout. When Qt deletes the item (its widget moved to another layout), the wrapper still
answers for the freed address, and a later object made there is handed to Python as that
stale wrapper: pyqtgraph's ScatterPlotItem passed "a QWidgetItem" to drawPixmapFragments
(its fragment array had the address), and test workers crashed (SIGSEGV) in
processEvents after F5, which rearranges the Training lab's top bar."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QApplication, QLayout, QLayoutItem, QPushButton, QWidget

from nnviz.views.style import current_style
from nnviz.views.training.readout import ReadoutBar


def _item_wrappers() -> int:
    return sum(1 for w in shiboken6.getAllValidWrappers()
               if isinstance(w, QLayoutItem) and not isinstance(w, QLayout))


def test_the_training_readout_rearranged_leaves_no_item_wrappers(qtbot):
    """The top bar's losses moved to a second row and back, again and again, as a
    narrow window or presentation mode does: no wrapper of a layout item is left behind
    (each rearrangement left one a figure, pointing at the item Qt had deleted)."""
    host = QWidget()   # (a window of its own is kept as wide as its layout's minimum)
    qtbot.addWidget(host)
    bar = ReadoutBar(QPushButton("▶ Play"), host)
    bar.apply_style(current_style(), 9.0)
    host.resize(1200, 80)
    bar.resize(1200, 80)
    host.show()
    qtbot.waitExposed(host)
    before = _item_wrappers()
    rows = set()
    for width in (1200, 240) * 6:
        bar.resize(width, 80)
        QApplication.processEvents()
        rows.add(bar.one_row)
        assert bar.needed_width() > 0
    assert rows == {True, False}   # the losses did move between the rows
    assert _item_wrappers() <= before
