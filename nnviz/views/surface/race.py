"""The optimiser-race page: racers on a loss map, each path in its own Okabe-Ito colour
and marker, and a scoreboard with every racer's steps, loss and current update."""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.surface.race import MAX_STEPS_PER_TICK, RaceController
from nnviz.engine.labs.race import COLOURS, SURFACES
from nnviz.engine.learning.optimisers import OPTIMISERS, SYMBOLS
from nnviz.views.fit import JOINER, NBSP, formula_breaks
from nnviz.views.items.math_text import math_plain
from nnviz.views.layouts import nest
from nnviz.views.style import Style, current_style
from nnviz.views.surface.plots import HeatmapPlot
from nnviz.views.widgets import PAUSE, PLAY, spin_box

#: a marker per optimiser (pyqtgraph symbol, and the same shape as text)
MARKERS = {"sgd": ("o", "●"), "momentum": ("s", "■"), "nesterov": ("d", "◆"),
           "adagrad": ("t1", "▲"), "rmsprop": ("h", "⬢"), "adam": ("star", "★")}
#: the map: light for low loss, grey for high, so the coloured paths stand out
MAP = pg.ColorMap([0.0, 1.0], [(255, 255, 255), (120, 120, 120)])


def _num(v: float) -> str:
    """3 significant digits, a short exponent (−6.29e−7), a real minus sign."""
    text = f"{v:.3g}"
    if "e" in text:
        mant, exp = text.split("e")
        text = f"{mant}e{int(exp)}"
    return text.replace("-", "−")


#: the numbers the board leaves out in presentation mode (Adam: m^ and v^ are the ones used)
HIDDEN = {"adam": ("m", "v")}


class RacePage(QWidget):
    """A bar of controls; the map with the racers' paths; the board of racers (tick,
    learning rate, steps, loss, update rule and the numbers of its current update).

    Where every racer's update does not fit the board's height (a projector in
    presentation mode), the board is *compact*: every racer's line (tick, rate, steps,
    loss) and the update of one racer, the last one picked by its "update ▸" link."""

    def __init__(self, ctl: RaceController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self._style = current_style()
        root = QVBoxLayout(self)
        root.setContentsMargins(4, 4, 4, 4)
        nest(root, self._build_bar())
        self.map = HeatmapPlot(colorbar=False)
        self.map.setObjectName("race-map")
        self.map.setToolTip("Click the map to start every racer there.")
        self.map.image.setLookupTable(MAP.getLookupTable(nPts=256))
        self.map.path.hide()
        self.map.point.hide()
        self.map.clicked.connect(self._on_map_clicked)
        self.items: dict[str, tuple] = {}
        self.compact = False
        self.focus: str | None = None
        self._status_texts: dict[str, tuple[str, str]] = {}
        self._most = 0
        for name in OPTIMISERS:
            halo = pg.PlotDataItem(pen=pg.mkPen("#FFFFFF", width=5))
            line = pg.PlotDataItem(pen=pg.mkPen(COLOURS[name], width=2.5))
            head = pg.ScatterPlotItem(size=14, symbol=MARKERS[name][0],
                                      brush=pg.mkBrush(COLOURS[name]),
                                      pen=pg.mkPen("#FFFFFF", width=1.5))
            for z, it in enumerate((halo, line, head)):
                it.setZValue(10 + z)
                self.map.addItem(it)
            self.items[name] = (halo, line, head)
        self.scroll = scroll = QScrollArea()
        scroll.setWidget(self._build_board())
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.map)
        self.split.addWidget(scroll)
        self._user_split = False
        self.split.splitterMoved.connect(lambda *_: setattr(self, "_user_split", True))
        root.addWidget(self.split, 1)
        ctl.grid_changed.connect(self._on_grid)
        ctl.race_changed.connect(self._on_race)
        ctl.setup_changed.connect(self._on_setup)
        ctl.playback.playing_changed.connect(
            lambda on: self.play.setText(f"{PAUSE} Pause" if on else f"{PLAY} Race"))
        self._on_setup()
        self._on_grid()
        self._on_race()

    # ------------------------------------------------------------ controls
    def _build_bar(self) -> QVBoxLayout:
        """The surface, its loss formula and the race buttons in one row; the formula in a
        row of its own under them where the row has no room for it in one line."""
        bar = QHBoxLayout()
        self.surface = QComboBox()
        self.surface.setObjectName("race-surface")
        for name, make in SURFACES.items():
            self.surface.addItem(make().title, name)
        self.surface.activated.connect(
            lambda i: self.ctl.set_surface(self.surface.itemData(i)))
        self.formula = QLabel()
        self.formula.setObjectName("race-formula")
        self.formula.setWordWrap(True)
        self.play = QPushButton(f"{PLAY} Race")
        self.play.setObjectName("race-play")
        self.play.clicked.connect(lambda: self.ctl.playback.toggle())
        self.step = QPushButton("1 step")
        self.step.setObjectName("race-step")
        self.step.clicked.connect(lambda: self.ctl.step(1))
        self.reset = QPushButton("Reset")
        self.reset.setObjectName("race-reset")
        self.reset.clicked.connect(self.ctl.reset)
        self.speed = QSpinBox()
        self.speed.setRange(1, MAX_STEPS_PER_TICK)
        self.speed.setSuffix(" /frame")
        self.speed.setToolTip("steps per frame while racing")
        self.speed.valueChanged.connect(self.ctl.set_steps_per_tick)
        self._gap = QWidget()   # keeps the buttons right while the formula is below
        self._gap.hide()
        bar.addWidget(self.surface)
        bar.addWidget(self.formula, 1)
        bar.addWidget(self._gap, 1)
        for w in (self.play, self.step, self.reset, self.speed):
            bar.addWidget(w)
        self._bar, self._below = bar, QHBoxLayout()
        rows = QVBoxLayout()
        rows.setSpacing(2)
        nest(rows, bar)
        nest(rows, self._below)
        return rows

    def _place_formula(self) -> None:
        """The formula beside the surface where it fits there in one line, else in its own
        row under the bar (where it breaks only after "=" or between terms): at 1024x768 in
        F5 it broke inside its parentheses, and kept whole it cut the surface's name."""
        label = self.formula
        label.ensurePolished()
        others = (self.surface, self.play, self.step, self.reset, self.speed)
        spacing = max(self._bar.spacing(), 0)
        margins = self.layout().contentsMargins()
        room = self.width() - margins.left() - margins.right() - len(others) * spacing - sum(
            w.sizeHint().width() for w in others)
        text = label.text().replace(NBSP, " ").replace(JOINER, "")
        beside = label.fontMetrics().horizontalAdvance(text) + 2 <= room
        if beside == (self._bar.indexOf(label) >= 0):
            return
        (self._below if beside else self._bar).removeWidget(label)
        if beside:
            self._bar.insertWidget(1, label, 1)
        else:
            self._below.addWidget(label, 1)
        self._gap.setVisible(not beside)

    def _build_board(self) -> QWidget:
        board = QWidget()
        board.setObjectName("race-board")
        grid = QGridLayout(board)
        grid.setContentsMargins(2, 0, 2, 0)
        grid.setVerticalSpacing(1)
        self.checks: dict[str, QCheckBox] = {}
        self.lrs: dict[str, object] = {}
        self.details: dict[str, QLabel] = {}
        self.status: dict[str, QLabel] = {}
        for i, (name, cls) in enumerate(OPTIMISERS.items()):
            check = QCheckBox(f"{MARKERS[name][1]} {cls.label}")
            check.setObjectName(f"race-{name}")
            check.toggled.connect(lambda on, n=name: self.ctl.set_enabled(n, on))
            lr = spin_box(0.0001, 1000.0, 4, 0.01)
            lr.setPrefix("η ")
            lr.setObjectName(f"race-lr-{name}")
            lr.valueChanged.connect(lambda v, n=name: self._set_rate(n, v))
            detail = QLabel()
            detail.setObjectName(f"race-detail-{name}")
            detail.setWordWrap(True)
            detail.setTextFormat(Qt.TextFormat.RichText)
            status = QLabel()
            status.setObjectName(f"race-status-{name}")
            status.setTextFormat(Qt.TextFormat.RichText)
            status.setWordWrap(True)
            status.setToolTip("In a compact board: click to write out this racer's update")
            status.linkActivated.connect(self._on_focus)
            grid.addWidget(check, 2 * i + 1, 0)
            grid.addWidget(lr, 2 * i + 1, 1, Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(status, 2 * i + 1, 2)
            grid.addWidget(detail, 2 * i + 2, 0, 1, 3)
            self.checks[name], self.lrs[name], self.details[name] = check, lr, detail
            self.status[name] = status
        self.heading = QLabel()
        self.heading.setObjectName("race-heading")
        self.heading.setWordWrap(True)
        grid.addWidget(self.heading, 0, 0, 1, 3)
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(2 * len(OPTIMISERS) + 1, 1)
        return board

    def _set_rate(self, name: str, v: float) -> None:
        try:
            self.ctl.set_rate(name, v)
        except ValueError as e:
            self.ctl.message.emit(str(e))

    def _on_map_clicked(self, x: float, y: float) -> None:
        self.ctl.set_start(x, y)

    def _on_focus(self, name: str) -> None:
        """Compact board: write out this racer's update (its "update ▸" link)."""
        if name in self.details:
            self.focus = name
            self._on_race()

    # ------------------------------------------------------------ updates
    def _on_setup(self) -> None:
        c = self.ctl
        with QSignalBlocker(self.surface):
            self.surface.setCurrentIndex(max(0, self.surface.findData(c.surface.name)))
        self.formula.setText(formula_breaks(math_plain(c.surface.formula)))
        self._place_formula()
        for name, check in self.checks.items():
            with QSignalBlocker(check):
                check.setChecked(name in c.enabled)
            with QSignalBlocker(self.lrs[name]):
                self.lrs[name].setValue(c.rates.get(name, 0.01))
        with QSignalBlocker(self.speed):
            self.speed.setValue(c.steps_per_tick)

    def _on_grid(self) -> None:
        g = self.ctl.grid
        s = self.ctl.surface
        if g is None:
            return
        xs, ys, z = g
        finite = z[np.isfinite(z)]
        lo = float(finite.min()) if finite.size else 0.0
        shade = np.log10(1e-3 + np.where(np.isfinite(z), z, np.inf) - lo)  # ravines: log
        self.map.set_surface(xs, ys, shade, s.labels[0], s.labels[1])
        for c in self.map.contours:  # the map is light: dark contour lines
            c.setPen(pg.mkPen((60, 60, 60, 110), width=1))

    def _on_race(self) -> None:
        race = self.ctl.race
        racing = {r.name: (i, r) for i, r in enumerate(race.racers)}
        most = max((r.steps for r in race.racers), default=0)
        for name, (halo, line, head) in self.items.items():
            for it in (halo, line, head):
                it.setVisible(name in racing)
            self.status[name].setVisible(name in racing)
            if name not in racing:
                self.details[name].hide()
                continue
            i, r = racing[name]
            p = np.asarray(r.path)
            halo.setData(p[:, 0], p[:, 1])
            line.setData(p[:, 0], p[:, 1])
            head.setData([p[-1, 0]], [p[-1, 1]])
            stopped = f" · {r.stopped}" if r.stopped else ""
            if r.steps != most:   # the racers step together; one that stopped says where
                stopped = f" · step {r.steps}{stopped}"
            hidden = HIDDEN.get(name, ()) if self._style.presentation else ()
            numbers = "   ".join(
                f"{SYMBOLS.get(k, k)} = ({_num(a)}, {_num(b)})" for k, (a, b) in race.describe(i)
                if (k not in ("g", "step") or r.steps) and k not in hidden)
            self._status_texts[name] = (_num(r.losses[-1]), html.escape(stopped))
            # lines break between the update's terms and numbers only, never inside one
            # ("m^" | "= m/(1−β₁ᵗ)" at 1024x768 in F5)
            self.details[name].setText(
                f"{html.escape(formula_breaks(math_plain(r.opt.formula), at_equals=False))}<br>"
                + html.escape(formula_breaks(numbers, at_equals=False)))
        self.map.start.setData([race.start[0]], [race.start[1]])
        self._most = most
        self._fit([r.name for r in race.racers])

    def _fit(self, racing: list[str]) -> None:
        """Every racer's update where the board has the height for it, else compact."""
        if self.focus not in racing:
            self.focus = racing[0] if racing else None
        width = self.scroll.viewport().width() - 4
        # every optimiser's line (one not racing keeps its tick and rate), and the racers'
        # updates: counting the racers' lines only, three racers scrolled at 1024x768 in F5
        rows = self.heading.heightForWidth(width) + sum(
            max(self.checks[n].sizeHint().height(), self.lrs[n].sizeHint().height()) + 4
            for n in self.checks) + sum(self.details[n].heightForWidth(width) for n in racing)
        self.compact = rows > self.scroll.viewport().height()
        fg = self._style.foreground
        self.heading.setText(f"step {self._most} · each racer's loss" + (
            " (click one to write out its update)" if self.compact else ""))
        for n in racing:
            shown = not self.compact or n == self.focus
            self.details[n].setVisible(shown)
            loss, rest = self._status_texts.get(n, ("", ""))
            loss = (f"<b>{loss}</b>" if shown else
                    f"<a href='{n}' style='color:{fg}; font-weight:bold'>{loss}</a>")
            self.status[n].setText(f"<span style='color:{fg}'>{loss}{rest}</span>")

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._place_formula()
        if not self._user_split:  # the board keeps 45% (a projector's larger type: 50%)
            w = self.split.width()      # until the user drags the divider
            share = 0.5 if self._style.presentation else 0.55
            self.split.setSizes([int(w * share), w - int(w * share)])
        self._fit([r.name for r in self.ctl.race.racers])

    # ------------------------------------------------------------ style
    def apply_style(self, style: Style) -> None:
        self._style = style
        self.map.apply_style(style)
        self.map.path.hide()
        self.map.point.hide()
        for name, check in self.checks.items():
            # SGD's black reads on a light page; on a dark one its text takes the foreground
            colour = style.foreground if COLOURS[name] == "#000000" else COLOURS[name]
            check.setStyleSheet(f"QCheckBox {{ color: {colour}; font-weight: bold; "
                                f"font-size: {style.pt(10):.1f}pt; }}")
            lr = self.lrs[name]   # wide enough for "η 10.0000" and its arrows, no wider
            lr.setMaximumWidth(lr.fontMetrics().horizontalAdvance("η 10.0000") + int(34 * style.scale))
            for label in (self.details[name], self.status[name]):
                label.setStyleSheet(f"color: {style.muted}; font-size: {style.pt(9):.1f}pt;")
        self.heading.setStyleSheet(f"color: {style.foreground}; font-weight: bold; "
                                   f"font-size: {style.pt(9):.1f}pt;")
        for name, (halo, line, head) in self.items.items():
            halo.setPen(pg.mkPen("#FFFFFF", width=5 * style.scale))
            line.setPen(pg.mkPen(COLOURS[name], width=2.5 * style.scale))
            head.setSize(14 * style.scale)
        self._place_formula()
        self._on_race()
