"""The lesson picker (G): chapters and lessons over the window, by keyboard or mouse.

Up/Down (or the clicker's Page keys) move, Enter or a click opens, a digit jumps to
that chapter, a letter to the next lesson whose title starts with it, Esc or G closes.
Lessons left earlier are marked: they open as they were left.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem

from nnviz.engine.teaching.syllabus import chapters
from nnviz.views.cells import resize_list, set_row
from nnviz.views.overlay import Overlay

#: the picker's keys, for the shortcut sheet
PICKER_KEYS = (("Up, Down, PgUp, PgDown", "move through the list"),
               ("Left, Right", "previous or next column"),
               ("Enter, a click", "open the lesson"),
               ("1 … 9", "jump to that chapter"),
               ("a letter", "next title with that letter"),
               ("Esc, G", "close the picker"))
KEPT_MARK = "  ◀ as you left it"
NAME_ROLE = Qt.ItemDataRole.UserRole


class LessonPicker(Overlay):
    """Every lesson of the syllabus by chapter; opening one goes through the navigator."""

    close_keys = ("G",)

    def __init__(self, win) -> None:
        super().__init__(win, "Lessons · ↑↓ move · Enter opens · Esc or G closes")
        self.win = win
        self.list = QListWidget()
        self.list.setObjectName("lesson-picker")
        self.list.setFlow(QListView.Flow.TopToBottom)   # columns, left to right
        self.list.setWrapping(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setSpacing(2)
        self.list.itemActivated.connect(self._open_item)
        self.list.itemClicked.connect(self._open_item)
        self.list.installEventFilter(self)
        self.body.addWidget(self.list, 1)

    def open(self) -> None:
        self._fill()
        super().open()
        self._choose_columns()
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.list.currentItem() is not None:
            self.list.scrollToItem(self.list.currentItem())

    def _fill(self) -> None:
        nav = self.win.nav
        kept = set(nav.kept_names())
        rows: list[tuple[str, str | None]] = []   # (text, lesson name; None: a heading)
        for i, (title, entries) in enumerate(chapters(nav.entries), 1):
            rows.append((f"{i}  {title}", None))
            rows += [(f"    {e.title}{KEPT_MARK if e.name in kept else ''}", e.name)
                     for e in entries]
        bold = QFont(self.list.font())
        bold.setBold(True)
        resize_list(self.list, 0)   # rows made by Qt, never by Python: see views/cells.py
        resize_list(self.list, len(rows))
        model = self.list.model()
        for r, (text, name) in enumerate(rows):
            set_row(self.list, r, text, name)
            index = model.index(r, 0)
            model.setData(index, name, Qt.ItemDataRole.ToolTipRole)
            if name is None:
                model.setData(index, bold, Qt.ItemDataRole.FontRole)
                self.list.item(r).setFlags(Qt.ItemFlag.NoItemFlags)
            elif name == nav.current:
                self.list.setCurrentRow(r)
        if self.list.currentItem() is None and self.list.count() > 1:
            self.list.setCurrentRow(1)

    def _fit(self) -> None:
        super()._fit()
        self._choose_columns()

    def _choose_columns(self) -> None:
        """Columns side by side when every title fits in them whole, else one column that
        scrolls (a title is never cut)."""
        fm = self.list.fontMetrics()
        widest = max((fm.horizontalAdvance(self.list.item(i).text())
                      for i in range(self.list.count())), default=0)
        pad = round(20 * self.style_.scale) + 8
        room = self.list.viewport().width() if self.isVisible() else self.panel.width() - 40
        self.list.setWrapping(2 * (widest + pad) <= room)

    def lesson_names(self) -> list[str]:
        return [self.list.item(i).data(NAME_ROLE) for i in range(self.list.count())
                if self.list.item(i).data(NAME_ROLE)]

    def _open_item(self, item: QListWidgetItem) -> None:
        name = item.data(NAME_ROLE)
        if not name:
            return
        self.close_overlay()
        self.win.nav.go(str(name))

    def apply_style(self, style) -> None:
        super().apply_style(style)
        self.list.setStyleSheet(
            f"QListWidget {{ background: {style.background}; color: {style.foreground}; "
            f"border: none; }} QListWidget::item {{ padding: {round(2 * style.scale)}px "
            f"{round(8 * style.scale)}px; }}")

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if obj is self.list and event.type() == QEvent.Type.KeyPress:
            if self.is_close_key(event):
                self.close_overlay()
                return True
            if event.key() in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self._move(1 if event.key() == Qt.Key.Key_PageDown else -1)
                return True
            text = event.text()
            if len(text) == 1 and text.isalnum() and not event.modifiers() & ~(
                    Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier):
                self._jump(text)
                return True
        return super().eventFilter(obj, event)

    def _jump(self, key: str) -> None:
        """A digit: the first lesson of that chapter; a letter: the next lesson (after the
        current one, wrapping) whose title starts with it."""
        rows = [i for i in range(self.list.count()) if self.list.item(i).data(NAME_ROLE)]
        if key.isdigit():
            heads = [i for i in range(self.list.count())
                     if not self.list.item(i).data(NAME_ROLE)]
            n = int(key) - 1
            if 0 <= n < len(heads):
                after = [r for r in rows if r > heads[n]]
                if after:
                    self.list.setCurrentRow(after[0])
            return
        cur = self.list.currentRow()
        order = [r for r in rows if r > cur] + [r for r in rows if r <= cur]
        for r in order:
            if self.list.item(r).text().strip().lower().startswith(key.lower()):
                self.list.setCurrentRow(r)
                return

    def _move(self, by: int) -> None:
        """One lesson on (clickers send Page Down / Page Up), skipping chapter titles."""
        row = self.list.currentRow()
        n = self.list.count()
        r = row + by
        while 0 <= r < n and not self.list.item(r).data(NAME_ROLE):
            r += by
        if 0 <= r < n:
            self.list.setCurrentRow(r)
