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

from nnviz.controllers.race import MAX_STEPS_PER_TICK, RaceController
from nnviz.engine.optimisers import OPTIMISERS, SYMBOLS
from nnviz.engine.race import COLOURS, SURFACES
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
    learning rate, steps, loss, update rule and the numbers of its current update)."""

    def __init__(self, ctl: RaceController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self._style = current_style()
        root = QVBoxLayout(self)
        root.setContentsMargins(4, 4, 4, 4)
        root.addLayout(self._build_bar())
        self.map = HeatmapPlot(colorbar=False)
        self.map.setObjectName("race-map")
        self.map.setToolTip("Click the map to start every racer there.")
        self.map.image.setLookupTable(MAP.getLookupTable(nPts=256))
        self.map.path.hide()
        self.map.point.hide()
        self.map.clicked.connect(self._on_map_clicked)
        self.items: dict[str, tuple] = {}
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
        scroll = QScrollArea()
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
        ctl.running_changed.connect(
            lambda on: self.play.setText(f"{PAUSE} Pause" if on else f"{PLAY} Race"))
        self._on_setup()
        self._on_grid()
        self._on_race()

    # ------------------------------------------------------------ controls
    def _build_bar(self) -> QHBoxLayout:
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
        self.play.clicked.connect(lambda: self.ctl.toggle_play())
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
        bar.addWidget(self.surface)
        bar.addWidget(self.formula, 1)
        for w in (self.play, self.step, self.reset, self.speed):
            bar.addWidget(w)
        return bar

    def _build_board(self) -> QWidget:
        board = QWidget()
        board.setObjectName("race-board")
        grid = QGridLayout(board)
        grid.setContentsMargins(2, 0, 2, 0)
        grid.setVerticalSpacing(1)
        self.checks: dict[str, QCheckBox] = {}
        self.lrs: dict[str, object] = {}
        self.details: dict[str, QLabel] = {}
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
            grid.addWidget(check, 2 * i, 0)
            grid.addWidget(lr, 2 * i, 1, Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(detail, 2 * i + 1, 0, 1, 3)
            self.checks[name], self.lrs[name], self.details[name] = check, lr, detail
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(2 * len(OPTIMISERS), 1)
        return board

    def _set_rate(self, name: str, v: float) -> None:
        try:
            self.ctl.set_rate(name, v)
        except ValueError as e:
            self.ctl.message.emit(str(e))

    def _on_map_clicked(self, x: float, y: float) -> None:
        self.ctl.set_start(x, y)

    # ------------------------------------------------------------ updates
    def _on_setup(self) -> None:
        c = self.ctl
        with QSignalBlocker(self.surface):
            self.surface.setCurrentIndex(max(0, self.surface.findData(c.surface.name)))
        self.formula.setText(c.surface.formula)
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
        for name, (halo, line, head) in self.items.items():
            for it in (halo, line, head):
                it.setVisible(name in racing)
            self.details[name].setVisible(name in racing)
            if name not in racing:
                continue
            i, r = racing[name]
            p = np.asarray(r.path)
            halo.setData(p[:, 0], p[:, 1])
            line.setData(p[:, 0], p[:, 1])
            head.setData([p[-1, 0]], [p[-1, 1]])
            stopped = f" · {r.stopped}" if r.stopped else ""
            hidden = HIDDEN.get(name, ()) if self._style.presentation else ()
            numbers = "   ".join(
                f"{SYMBOLS.get(k, k)} = ({_num(a)}, {_num(b)})" for k, (a, b) in race.describe(i)
                if (k not in ("g", "step") or r.steps) and k not in hidden)
            self.details[name].setText(
                f"<span style='color:{self._style.foreground}; font-weight:bold'>step {r.steps}"
                f" · loss {_num(r.losses[-1])}{html.escape(stopped)}</span> · "
                f"{html.escape(r.opt.formula)}<br>"
                + html.escape(numbers).replace("   ", "&nbsp;&nbsp; "))
        self.map.start.setData([race.start[0]], [race.start[1]])

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if not self._user_split:  # the board keeps 45% until the user drags the divider
            w = self.split.width()
            self.split.setSizes([int(w * 0.55), w - int(w * 0.55)])

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
            self.lrs[name].setMaximumWidth(int(105 * style.scale))
            self.details[name].setStyleSheet(f"color: {style.muted}; "
                                             f"font-size: {style.pt(9):.1f}pt;")
        for name, (halo, line, head) in self.items.items():
            halo.setPen(pg.mkPen("#FFFFFF", width=5 * style.scale))
            line.setPen(pg.mkPen(COLOURS[name], width=2.5 * style.scale))
            head.setSize(14 * style.scale)
        self._on_race()
