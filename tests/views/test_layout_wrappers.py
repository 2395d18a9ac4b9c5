"""No Python wrapper of a layout item outlives its item.

PySide keeps the wrapper of an item that ``QLayout.itemAt`` returned alive with the
layout. When Qt deletes the item (its widget moved to another layout), the wrapper still
answers for the freed address, and a later object made there is handed to Python as that
stale wrapper: pyqtgraph's ScatterPlotItem passed "a QWidgetItem" to drawPixmapFragments
(its fragment array had the address), and test workers crashed (SIGSEGV) in
processEvents after F5, which rearranges the Training lab's top bar."""

from __future__ import annotations

import pathlib
import re

import shiboken6
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nnviz.views.style import current_style
from nnviz.views.training.readout import ReadoutBar
from tests.views.fit_checks import qt_item_wrappers


def _item_wrappers() -> int:
    return sum(1 for w in shiboken6.getAllValidWrappers()
               if isinstance(w, QLayoutItem) and not isinstance(w, QLayout))


def test_a_filled_sub_layout_nested_leaves_no_item_wrappers(qtbot):
    """PySide's addLayout gives the items already in the added layout wrappers that its
    outer layout keeps; nest() lets go of them. Then moving a widget to another layout
    (Qt deletes its old item) leaves nothing that answers for the freed address."""
    from nnviz.views.layouts import nest

    host = QWidget()
    qtbot.addWidget(host)
    outer = QVBoxLayout(host)
    labels = [QLabel(t) for t in "abc"]
    plain, nested, sub = QHBoxLayout(), QHBoxLayout(), QVBoxLayout()
    plain.addWidget(labels[0])
    outer.addLayout(plain)
    assert qt_item_wrappers() == ["QWidgetItem"]   # what nest is for
    shiboken6.invalidate(next(w for w in shiboken6.getAllValidWrappers()
                              if isinstance(w, QLayoutItem) and not isinstance(w, QLayout)))
    nested.addWidget(labels[1])
    nested.addStretch(1)
    sub.addWidget(labels[2])
    nested.addLayout(sub)
    assert nest(outer, nested, 1) is nested
    assert qt_item_wrappers() == []
    moved = QHBoxLayout()
    nest(outer, moved)
    moved.addWidget(labels[1])   # Qt deletes its item in ``nested``
    host.show()
    QApplication.processEvents()
    assert labels[1].parent() is host and nested.count() == 2 and qt_item_wrappers() == []


def test_nnviz_reads_no_layout_items_back():
    """Every sub-layout goes through nest(), and no layout's items are read back
    (itemAt / itemAtPosition hand them to Python): nnviz keeps its own lists."""
    root = pathlib.Path(__file__).resolve().parents[2] / "nnviz"
    calls = re.compile(r"\.(addLayout|insertLayout|itemAt|itemAtPosition)\(")
    found = [f"{p.relative_to(root)}:{n}: {line.strip()}"
             for p in root.rglob("*.py") if p.name != "layouts.py"
             for n, line in enumerate(p.read_text().splitlines(), 1) if calls.search(line)]
    assert not found, "\n".join(found)


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
