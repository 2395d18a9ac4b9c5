"""The Training lab's "Keras code" tab: the Keras code of the set-up on screen (notes 000
teach the lab network as Keras code), one line per row, each linked to the control that
sets it. Pointing at a line outlines its control; selecting it (click, ↑/↓) also opens the
side panel and scrolls the control into view; changing a control rewrites the code at
once and marks the lines that changed. The code is made by the engine
(:mod:`nnviz.engine.labs.keras_code`) from the controller's state, so it always says what will
train."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFontDatabase, QFontMetricsF, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListView,
    QListWidget,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from nnviz.views.bottom_fade import BottomFade
from nnviz.views.style import Style, current_style

HINT = "Keras code of this set-up: point at or select a line to find its control"
#: the code's type in points (times the presentation scale): as large as fits the longest
#: line of code, at most TYPE_MAX, never under TYPE_FLOOR (longer lines wrap instead)
TYPE_MAX, TYPE_FLOOR = 10.0, 8.0
#: the share of the column under the network that the code takes while it shows ...
CODE_SHARE = 0.8
#: ... leaving the network at least this many pixels (times the presentation scale) to
#: draw in, or half the column (at 1024x768 in presentation mode it was left a strip)
NET_ROOM = 200
#: the lines of code in view while the code shows, where the network keeps NET_FLOOR
#: pixels to draw in (not scaled: the floor of a projector's small screen)
CODE_LINES, NET_FLOOR = 10, 104


class KerasCode(QWidget):
    """The code, one row a line; ``controls_of(keys)`` gives the widgets of a line."""

    def __init__(self, lab, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keras-code")
        self.lab, self.ctl = lab, lab.ctl
        self.hint = QLabel()            # only when no code can be written (says why)
        self.hint.setWordWrap(True)
        self.hint.hide()
        self.setToolTip(HINT)
        self.list = QListWidget()
        self.list.setObjectName("keras-lines")
        self.list.setMouseTracking(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # never sideways: the type fits the longest line of code (down to a floor), and a
        # longer line (a comment) wraps
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.hint)
        lay.addWidget(self.list, 1)
        # the last line in view fades out where more code follows (half a line was cut)
        self.fade = BottomFade(self.list)
        self.lines: list = []
        self.changed: set[int] = set()     # rows that differ from the code before the change
        self.lit: list[QWidget] = []       # the controls outlined now
        self._stale = True
        self.list.viewport().setMouseTracking(True)
        self._hover = -1
        self.list.currentRowChanged.connect(lambda row: self._light(row, True))
        self.list.viewport().installEventFilter(self)
        self._sizes: list[int] | None = None   # the splitter's sizes before the code showed
        doc = lab.doc
        for sig in (doc.settings_changed, doc.structure_changed, self.ctl.data_changed,
                    self.ctl.init_changed):
            sig.connect(self._on_setup_changed)
        doc.lesson_changed.connect(self._on_lesson_changed)
        self.apply_style(current_style())

    # ------------------------------------------------------------ the code
    def _on_setup_changed(self) -> None:
        """Rewrite now if on screen, else when shown (a hidden tab costs nothing)."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    def _on_lesson_changed(self) -> None:
        """Another lesson: its code, with nothing marked as changed and no line selected."""
        self.lines = []
        self.list.clear()
        self._unlight()
        self._on_setup_changed()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._stale:
            self.refresh()
        self._make_room(True)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().hideEvent(event)
        self._unlight()                  # no outline left on a control when the tab goes
        self._make_room(False)

    def _make_room(self, on: bool) -> None:
        """While the code shows it takes most of the column under the network (the lab
        sets the share: :meth:`code_height`), and that column most of the width (the map
        keeps what a drawer of controls would cover, so the drawer opens over the map,
        beside the code); then the sizes they had."""
        split = self.lab.charts.parentWidget()
        if isinstance(split, QSplitter):
            if on:
                self._sizes = self._sizes or split.sizes()
            elif self._sizes:
                split.setSizes(self._sizes)
                self._sizes = None
        QTimer.singleShot(0, self.lab, self.lab._share_body)

    def code_height(self, total: int) -> int:
        """The code's share of the column of height ``total`` under the network: most of
        it, but the network keeps NET_ROOM pixels to draw in (or half the column) where
        the code still shows CODE_LINES lines, and never less than NET_FLOOR (at 1024x768
        in presentation mode, under a long caption, the code then shows fewer lines and
        scrolls: the network had been left a 40-pixel strip)."""
        sc, chrome = self.style_.scale, self.lab.graph.chrome_height()
        net = min(total // 2, chrome + int(NET_ROOM * sc))
        self.list.doItemsLayout()   # the rows' heights at the list's width now (a wrap)
        rows = [self.list.visualItemRect(self.list.item(i)).height()
                for i in range(min(CODE_LINES, self.list.count()))]
        lines = (sum(rows) + 2 * self.list.frameWidth()
                 + self.lab.charts.tabBar().sizeHint().height() + 4)
        return min(int(CODE_SHARE * total), max(lines, total - net),
                   total - chrome - NET_FLOOR)

    def map_width(self, body: int) -> int:
        """The map's share of the body's width ``body`` while the code shows: what the
        drawer of controls covers while it is open (it opens over the map), else a little."""
        dock = self.lab.dock
        if dock.isFloating() and dock.isVisible():
            return int(max(120, min(self.lab.drawer_width() + 4, body - 240)))
        return int(max(120, 0.25 * body))

    def _fit_type(self) -> None:
        """The largest type, from TYPE_FLOOR to TYPE_MAX points, at which the longest line
        of code (a trailing comment may wrap) fits the list's width."""
        s = self.style_
        f = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        f.setPointSizeF(s.pt(TYPE_MAX))
        code = [line.text.split("  #")[0] for line in self.lines
                if not line.text.lstrip().startswith("#")]
        room = self.list.viewport().width() - 2 * self.list.spacing() - 8
        need = max((QFontMetricsF(f).horizontalAdvance(t) for t in code), default=0.0)
        pt = s.pt(TYPE_MAX) * min(1.0, room / need) if need > 0 and room > 0 else s.pt(TYPE_MAX)
        pt = max(s.pt(TYPE_FLOOR), pt)
        while pt > s.pt(TYPE_FLOOR):      # the width is not quite linear in the size
            f.setPointSizeF(pt)
            if max((QFontMetricsF(f).horizontalAdvance(t) for t in code), default=0) <= room:
                break
            pt = max(s.pt(TYPE_FLOOR), pt - 0.25)
        f.setPointSizeF(round(pt, 2))
        self.fade.line = QFontMetricsF(f).height()
        if abs(self.list.font().pointSizeF() - f.pointSizeF()) > 0.01:
            self.list.setFont(f)
            if self.isVisible():   # taller rows: the code's share of the column again
                QTimer.singleShot(0, self.lab, self.lab._share_body)

    def refresh(self) -> None:
        """Write the code of the set-up now; mark the lines that changed."""
        self._stale = False
        try:
            lines = self.ctl.readouts.keras_lines()
        except (ValueError, KeyError) as e:     # a set-up Keras code cannot be made of
            lines = []
            self.hint.setText(f"No Keras code for this set-up: {e}")
        self.hint.setVisible(not lines)
        old = [line.text for line in self.lines]
        if [line.text for line in lines] == old:
            return
        old_set = set(old)
        self.changed = ({i for i, line in enumerate(lines) if line.text not in old_set}
                        if old else set())
        row = self._same_line(self.list.currentRow(), lines)
        self.lines = lines
        self.list.blockSignals(True)
        self.list.clear()
        # the items are made by Qt (plain text, never markup), not in Python: an item made
        # in Python and owned by the list is deleted by clear() through its Python wrapper
        # (the crash class of coalesce.py's posted events)
        self.list.addItems([line.text for line in lines])
        for i, line in enumerate(lines):
            item = self.list.item(i)
            item.setToolTip(self._tip(line.controls))
            if i in self.changed:
                item.setBackground(QBrush(QColor(self.style_.highlight)))
        if 0 <= row < len(lines):
            self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        self._fit_type()
        self._light(self.list.currentRow(), False)   # the line's controls may have moved

    def _same_line(self, row: int, lines: list) -> int:
        """The row of the selected line in the new code: the nearest line set by the same
        controls (its text changes with their values), else the same row."""
        if not 0 <= row < len(self.lines) or not self.lines[row].controls:
            return row
        keys = self.lines[row].controls
        same = [i for i, line in enumerate(lines) if line.controls == keys]
        return min(same, key=lambda i: abs(i - row)) if same else row

    @staticmethod
    def _tip(keys: tuple[str, ...]) -> str:
        return ("set by: " + ", ".join(keys)) if keys else "not set by a control"

    # ------------------------------------------------------------ linking
    def controls_of(self, keys: tuple[str, ...]) -> list[QWidget]:
        """The widgets of the Training lab that set a line (see keras_code's keys)."""
        lab = self.lab
        rp, ob = lab.run_panel, lab.optimiser_box
        fixed = {"eta": rp.eta, "batch": rp.batch, "l1": rp.l1, "l2": rp.l2,
                 "dropout": rp.dropout, "dropout_mode": rp.dropout_mode, "clip": rp.clip,
                 "loss": rp.loss, "init": rp.init, "freeze": rp.freeze,
                 "optimiser": ob.optimiser, "schedule": ob.schedule,
                 "patience": ob.patience, "hyper:eps": ob.eps, "data": lab.data_panel.source,
                 "epochs": lab.readout.epoch, "features": lab.graph}
        out: list[QWidget] = []
        for key in keys:
            w = fixed.get(key)
            kind, _, arg = key.partition(":")
            if w is None and kind == "hyper":
                w = ob.spins.get(arg)
            elif w is None and kind == "act" and int(arg) < len(rp.acts):
                w = rp.acts[int(arg)]
            elif w is None and kind == "bn" and int(arg) < len(lab.bn_box.switches):
                w = lab.bn_box.switches[int(arg)]
            also = ([lab.init_box.method, lab.init_box.gain] if key == "init" else [])
            for x in [w] + also:   # the initialiser is also set in the Initialisation group
                if x is not None and x not in out:
                    out.append(x)
        return out

    def _light(self, row: int, reveal: bool) -> None:
        """Outline the controls of line ``row`` (none for -1); ``reveal``: open the side
        panel and scroll the first one into view."""
        self._unlight()
        if not 0 <= row < len(self.lines):
            return
        widgets = self.controls_of(self.lines[row].controls)
        if reveal and widgets and widgets[0] is not self.lab.graph:
            self._reveal(widgets[0])
        colour = self.style_.highlight
        for w in widgets:
            w.setProperty("keras_before", w.styleSheet())
            w.setStyleSheet(f"{w.metaObject().className()} {{ border: 3px solid {colour}; }}")
            self.lit.append(w)

    def _reveal(self, w: QWidget) -> None:
        """Open the side panel (a drawer where the window is narrow) and scroll ``w`` into
        view, when ``w`` lives there."""
        lab = self.lab
        scroll = lab._side_scroll
        if not scroll.widget().isAncestorOf(w):
            return
        if not lab.readout.controls.isChecked():
            lab.readout.controls.setChecked(True)
        scroll.ensureWidgetVisible(w, 20, 20)
        QTimer.singleShot(0, self, self._keep_selection_in_view)   # the code may have moved

    def _keep_selection_in_view(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.scrollToItem(item)

    def _unlight(self) -> None:
        for w in self.lit:
            w.setStyleSheet(w.property("keras_before") or "")
        self.lit = []

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        t = event.type()
        if not self.isVisible():                # hidden: nothing stays outlined
            return False
        if t == QEvent.Type.Resize:             # another width: another type size
            self._fit_type()
            self._keep_selection_in_view()
        if t == event.Type.MouseMove:           # the line under the pointer
            row = self.list.indexAt(event.position().toPoint()).row()
            if row != self._hover:
                self._hover = row
                self._light(row if row >= 0 else self.list.currentRow(), False)
        elif t == event.Type.Leave:             # the pointer left: back to the selection
            self._hover = -1
            self._light(self.list.currentRow(), False)
        return False

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        self._fit_type()
        self.fade.set_colour(self.list.palette().color(QPalette.ColorRole.Base).name())
        self.fade.place()
        h = self.hint.font()
        h.setPointSizeF(style.pt(8))
        self.hint.setFont(h)
