"""Writing a table's or list's cells without Python-made items.

A QTableWidgetItem (or QListWidgetItem) made in Python is a shiboken wrapper whose C++
destructor calls back into the binding manager; when the table deletes such an item
(``setItem`` over an old one, fewer rows, ``clear``) the binding can touch a wrapper
that is already gone, and the whole app dies of a segmentation fault — rarely, at
random, which the monkey test caught on CI (shiboken 6.11, in ``setItem`` of the
Workbench's example table). So the tables and lists that are refilled as the user works
never replace items: a cell's item is made once by Qt itself (through the model) and
then only its data changes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QListWidget, QTableWidget

_ROLE = Qt.ItemDataRole
EDITABLE = (Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsEditable)


def set_cell(table: QTableWidget, row: int, col: int, text: str, *,
             editable: bool | None = None, align: Qt.AlignmentFlag | None = None,
             background: QColor | None = None) -> None:
    """Show ``text`` in cell (row, col), making the cell's item the first time.

    ``editable`` None leaves the cell's flags alone; False makes it inert (a filler
    cell); True selectable, enabled and editable. ``background`` None clears it."""
    model = table.model()
    index = model.index(row, col)
    model.setData(index, text, _ROLE.DisplayRole)
    if align is not None:
        model.setData(index, int(align.value), _ROLE.TextAlignmentRole)
    model.setData(index, QBrush(background) if background is not None else None,
                  _ROLE.BackgroundRole)
    if editable is not None:
        want = EDITABLE if editable else Qt.ItemFlag.NoItemFlags
        item = table.item(row, col)
        if item.flags() != want:
            item.setFlags(want)


def resize_list(widget: QListWidget, n: int) -> None:
    """Give ``widget`` exactly ``n`` rows, removing or adding (empty ones) at the end."""
    model, have = widget.model(), widget.count()
    if have > n:
        model.removeRows(n, have - n)
    elif have < n:
        model.insertRows(have, n - have)


def set_row(widget: QListWidget, row: int, text: str, data=None) -> None:
    """Show ``text`` in ``row`` (and ``data`` under UserRole unless None)."""
    model = widget.model()
    index = model.index(row, 0)
    model.setData(index, text, _ROLE.DisplayRole)
    if data is not None:
        model.setData(index, data, _ROLE.UserRole)
