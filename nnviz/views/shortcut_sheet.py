"""Help > Keyboard shortcuts (F1): every key of the window and of every lab on one sheet.

The sheet is generated each time it opens from the actions themselves (their
shortcuts and texts) and from the overlays' key tables, so it cannot go stale: a key
added to a lab appears on it without anyone editing this module.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QTextBrowser, QWidget

from nnviz.views.overlay import Overlay
from nnviz.views.sheet_layout import Row, SheetFitter, plain

TITLE = "Keyboard shortcuts · F1 or Esc closes"
#: the smallest type of the sheet, in points before the presentation scale
FLOOR_PT = 6.0
#: the largest type of the sheet in presentation mode, as a multiple of the window's: a
#: sheet that has room is set larger than the window's text (at 1024x768 in F5 it stood
#: in the window's 10.75 pt with a tenth of the panel empty)
GROW = 1.5


def key_text(seqs) -> str:
    """Key sequences as the sheet prints them, e.g. ``Right, Space, PgDown``."""
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in seqs
                     if not s.isEmpty())


def action_row(a: QAction, brief: bool = False) -> Row | None:
    """(keys, what they do) of an action with keys; ``brief``: its text alone where the
    tooltip would only add a second sentence or where the text is words of a menu
    (the window's menus, on a sheet that must fit one screen: "The next lesson of the
    syllabus" and "Show the Workbench lab" took two lines each at 1024x768 in F5, and
    set the whole sheet in smaller type)."""
    keys = key_text(a.shortcuts())
    if not keys:
        return None
    what = a.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".…")
    tip = a.toolTip().replace("&", "")
    m = re.search(r"\s*\(([^()]*)\)$", tip)
    if m and any(k in m.group(1) for k in keys.split(", ")):
        tip = tip[:m.start()]   # "(Shift+Right)": the keys column says it already
    tip = tip.rstrip(".…")
    if tip and tip != what and len(tip) <= 48:
        same_start = what.split()[:1] == tip.split()[:1]
        if brief and (len(what.split()) > 1 or what.lower() in tip.lower()):
            pass   # the menu's own words ("Next lesson", "Workbench" under "Lab"): one line
        elif what.lower() in tip.lower() or len(what) < 14 or same_start:
            what = tip
        elif not brief:
            what = f"{what}: {tip}"
    return keys, what


def _menu_actions(menu: QMenu) -> list[QAction]:
    out = []
    for a in menu.actions():
        if a.menu() is not None:
            out += _menu_actions(a.menu())
        else:
            out.append(a)
    return out


def window_sections(win) -> list[tuple[str, list[Row]]]:
    """The main window's keys, one section per menu, then the keys in no menu."""
    sections, seen = [], set()
    for top in win.menuBar().actions():
        menu = top.menu()
        if menu is None:
            continue
        rows = []
        for a in _menu_actions(menu):
            row = action_row(a, brief=True)
            if row is not None and id(a) not in seen:
                seen.add(id(a))
                rows.append(row)
        if rows:
            sections.append((menu.title().replace("&", ""), rows))
    rest = [r for a in win.actions() if id(a) not in seen and (r := action_row(a, True))]
    if rest:
        sections.append(("Window", rest))
    return sections


def lab_rows(lab: QWidget) -> list[Row]:
    """Every key a lab page defines (actions and shortcuts anywhere inside it)."""
    rows, seen = [], set()
    for a in lab.findChildren(QAction):
        row = action_row(a)
        if row is not None and row not in seen:
            seen.add(row)
            rows.append(row)
    for s in lab.findChildren(QShortcut):
        keys = key_text([s.key()])
        row = (keys, s.whatsThis() or s.objectName() or "")
        if keys and row not in seen:
            seen.add(row)
            rows.append(row)
    return rows


def sheet_sections(win) -> list[tuple[str, list[Row]]]:
    """Everything on the sheet: the window's menus, each lab, the overlays."""
    from nnviz.views.lab_keys import LAB_KEYS
    from nnviz.views.labs import LAB_TITLES

    sections = window_sections(win)
    for name in win.lab_names:
        if name in win.labs or name not in LAB_KEYS:   # made: its actions say it
            rows = lab_rows(win.lab(name))
        else:                                          # not made yet (that costs seconds)
            rows = list(LAB_KEYS[name])
        if rows:
            sections.append((f"{LAB_TITLES.get(name, name)} lab", rows))
    from nnviz.views.lesson_picker import PICKER_KEYS

    sections.append(("Lesson picker (G)", list(PICKER_KEYS)))   # the overlays' own keys
    sections.append(("Blank screen (B)", [("any key, a click", "bring the picture back")]))
    return sections


class ShortcutSheet(Overlay):
    """The sheet over the window; F1 or Esc closes it."""

    close_keys = ("F1",)

    def __init__(self, win) -> None:
        super().__init__(win, TITLE)
        self.fits = True
        self.type_size = 0.0
        self._laid_out: tuple = ()   # (view size, style, sections) the sheet was fitted to
        self.win = win
        self.text = QTextBrowser()
        self.text.setObjectName("shortcut-sheet")
        self.text.setOpenLinks(False)
        self.text.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.text.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.body.addWidget(self.text, 1)
        self.sections: list[tuple[str, list[Row]]] = []

    def open(self) -> None:
        self.sections = sheet_sections(self.win)
        super().open()
        self.refresh()

    def plain_text(self) -> str:
        return plain(self.text.toPlainText())

    def refresh(self) -> None:
        """The sheet in the largest type (down to a floor) and the columns in which it
        fits the panel without scrolling; it scrolls only where even that is too tall."""
        view = self.text.viewport()
        key = (view.size().toTuple(), self.style_, tuple(self.sections))
        if key == self._laid_out:
            return
        self._laid_out = key
        self.text.setStyleSheet(f"background: {self.style_.background};")
        fitter = SheetFitter(self.sections, self.style_, self.text.font(),
                             self.text.document().documentMargin(), view.width(),
                             view.height())
        floor = FLOOR_PT * self.style_.scale
        grow = GROW if self.style_.presentation else 1.0   # (its title stays the window's)
        best = fitter.largest(self.text.font().pointSizeF() * grow, floor)
        self.fits = best is not None
        text, self.type_size = best or (fitter.html(3, floor)[0], floor)
        self.text.setHtml(text)
        self.title.setText(TITLE if self.fits else TITLE + " · ↓ PgDown scroll")

    def _fit(self) -> None:
        super()._fit()
        if self.sections and self.isVisible():
            self.refresh()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        bar = self.text.verticalScrollBar()
        steps = {Qt.Key.Key_Down: bar.singleStep(), Qt.Key.Key_Up: -bar.singleStep(),
                 Qt.Key.Key_PageDown: bar.pageStep(), Qt.Key.Key_PageUp: -bar.pageStep(),
                 Qt.Key.Key_Space: bar.pageStep()}
        if event.key() in steps:
            bar.setValue(bar.value() + steps[event.key()])
            return
        super().keyPressEvent(event)
