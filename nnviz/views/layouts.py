"""Sub-layouts added without leaving stale Python wrappers behind.

PySide's ``addLayout`` hands the items already in the added layout to Python (its glue
code gives each a wrapper, kept alive by the outer layout) when the outer layout belongs
to a widget. Qt deletes such an item when its widget moves to another layout or is
deleted (a bar that rearranges its rows, a panel rebuilt for presentation mode), but
Python is not told: the wrapper still answers for the freed address, and a later object
made there comes to Python as that stale wrapper (a test run had ``QTextDocument.rootFrame``
return "a QWidgetItem"; an earlier one crashed in pyqtgraph's drawPixmapFragments). So
every sub-layout is added through :func:`nest`, which lets go of those wrappers at once;
nnviz never calls ``QLayout.itemAt`` either (see tests/views/test_layout_wrappers.py)."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QLayout, QSizePolicy, QWidget


def nest(outer: QLayout, inner: QLayout, *args) -> QLayout:
    """``outer.addLayout(inner, *args)`` (a grid's row, column and spans, or a box's
    stretch, go in ``args``); returns ``inner``."""
    outer.addLayout(inner, *args)
    _let_go(inner)
    return inner


def _let_go(layout: QLayout) -> None:
    """Invalidate the wrappers Qt's items in ``layout`` (and its sub-layouts) were given:
    the items stay Qt's; a later look-up makes a fresh wrapper."""
    for i in range(layout.count()):
        item = layout.itemAt(i)
        sub = item.layout()
        if sub is not None:
            _let_go(sub)
        elif not shiboken6.createdByPython(item):
            shiboken6.invalidate(item)


def smallest_width(w: QWidget) -> int:
    """The width a layout gives ``w`` at the least (Qt's qSmartMinSize, which a layout
    item's minimumSize() reports), worked out from the widget: reading it from the layout
    item would hand that item to Python."""
    policy = w.sizePolicy().horizontalPolicy()
    if w.minimumWidth() > 0:
        return w.minimumWidth()
    if policy == QSizePolicy.Policy.Ignored:
        return 0
    hint, least = w.sizeHint().width(), w.minimumSizeHint().width()
    shrinks = bool(policy.value & QSizePolicy.PolicyFlag.ShrinkFlag.value)
    return min(least if shrinks else max(hint, least), w.maximumWidth())
