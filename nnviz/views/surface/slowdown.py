"""The learning-slowdown comparison: two surfaces, two paths, two loss curves."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt, QTimer
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.surface.slowdown import SlowdownController
from nnviz.engine.core.naming import fmt
from nnviz.views.axes import style_axes
from nnviz.views.fit import NBSP, formula_breaks
from nnviz.views.items.math_text import escape, math_plain
from nnviz.views.layouts import nest
from nnviz.views.style import OKABE_ITO, Style
from nnviz.views.surface.plots import HeatmapPlot
from nnviz.views.widgets import spin_box

COLOURS = (OKABE_ITO["vermillion"], OKABE_ITO["blue"])


#: the epoch axis shows at least 0..10, then 0..the epochs run
MIN_EPOCHS_SHOWN = 10


class SlowdownPage(QWidget):
    """Side by side: the same network under two costs, stepped together."""

    def __init__(self, ctl: SlowdownController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self._stale = False   # changed while hidden: drawn when shown
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        nest(lay, self._build_controls())
        grid = QGridLayout()
        self._build_surfaces(grid)
        self._build_curves(grid)
        for c in range(3):
            grid.setColumnStretch(c, 1)
        grid.setRowStretch(1, 1)
        nest(lay, grid, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(16)
        self._timer.timeout.connect(self._on_paths_changed)
        ctl.changed.connect(self._timer.start)
        ctl.surfaces_changed.connect(self._on_surfaces_changed)
        ctl.setup_changed.connect(self._on_setup_changed)
        ctl.playback.playing_changed.connect(lambda r: self.play_btn.setText("Pause" if r else "Play"))
        ctl.doc.settings_changed.connect(self._on_setup_changed)
        self._on_setup_changed()

    def _build_controls(self) -> QHBoxLayout:
        """Step, Play, Reset, η, epochs per frame and the epoch readout, in one row."""
        ctl = self.ctl
        row = QHBoxLayout()
        self.step_btn = QPushButton("Step")
        self.play_btn = QPushButton("Play")
        self.reset_btn = QPushButton("Reset")
        self.step_btn.clicked.connect(lambda: ctl.step(1))
        self.play_btn.clicked.connect(lambda: ctl.playback.toggle())
        self.reset_btn.clicked.connect(ctl.reset)
        self.eta = spin_box(0.0, 1000.0, 4, 0.05)
        self.eta.valueChanged.connect(lambda v: ctl.doc.set_config(eta=float(v)))
        self.speed = QSpinBox()
        self.speed.setRange(1, 100)
        self.speed.valueChanged.connect(lambda v: setattr(ctl, "steps_per_tick", int(v)))
        for w in (self.step_btn, self.play_btn, self.reset_btn, QLabel("η"), self.eta,
                  QLabel("epochs / frame"), self.speed):
            row.addWidget(w)
        self.epoch_label = QLabel()
        self.epoch_label.setObjectName("slowdown-epoch")
        self.epoch_label.setWordWrap(True)  # two lines rather than a window wider than the screen
        row.addWidget(self.epoch_label, 1)
        return row

    def _build_surfaces(self, grid: QGridLayout) -> None:
        """The two costs' columns: a title, the surface with its path, a readout."""
        self.titles: list[QLabel] = []
        self.maps: list[HeatmapPlot] = []
        self.readouts: list[QLabel] = []
        for i in range(2):
            t = QLabel()
            t.setObjectName(f"slowdown-formula-{i}")   # (its lines break as a formula's)
            t.setAlignment(Qt.AlignmentFlag.AlignCenter)
            t.setWordWrap(True)  # a third of 1024 pixels is narrow for 1.75× type
            t.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            hm = HeatmapPlot(colorbar=True)
            hm.path.setPen(pg.mkPen(COLOURS[i], width=2.5))
            hm.point.setBrush(pg.mkBrush(COLOURS[i]))
            r = QLabel()
            r.setObjectName(f"slowdown-readout-{i}")
            r.setAlignment(Qt.AlignmentFlag.AlignCenter)
            r.setWordWrap(True)
            r.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            grid.addWidget(t, 0, i)
            grid.addWidget(hm, 1, i)
            grid.addWidget(r, 2, i)
            self.titles.append(t)
            self.maps.append(hm)
            self.readouts.append(r)

    def _build_curves(self, grid: QGridLayout) -> None:
        """The third column: output a and cost C per epoch, both runs, target dashed."""
        self.curves_plot, self.curves = self._epoch_plot("slowdown-curves", "output a")
        self.loss_plot, self.loss_curves = self._epoch_plot("slowdown-losses", "cost C")
        right = QVBoxLayout()
        right.addWidget(self.curves_plot, 1)
        right.addWidget(self.loss_plot, 1)
        nest(grid, right, 1, 2)
        self.curves_note = QLabel("<b>Output a and cost C per epoch</b><br>target y dashed")
        self.curves_note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.curves_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.curves_note.setWordWrap(True)
        grid.addWidget(self.curves_note, 0, 2)
        self.target_line = pg.InfiniteLine(angle=0, pen=pg.mkPen("#8A8F98", style=Qt.PenStyle.DashLine))
        self.curves_plot.addItem(self.target_line)
        # a sigmoid's output: always 0 to 1, with room for the end labels (autoranged to
        # the curves' few hundredths on a short plot it labelled only "0.5")
        self.curves_plot.getPlotItem().enableAutoRange(y=False)
        self.curves_plot.setYRange(0, 1, padding=0.12)

    @staticmethod
    def _epoch_plot(name: str, left: str) -> tuple[pg.PlotWidget, list]:
        plot = pg.PlotWidget()
        plot.setObjectName(name)
        plot.getPlotItem().setMenuEnabled(False)
        plot.setLabel("bottom", "epoch")
        plot.setLabel("left", left)
        curves = [plot.plot(pen=pg.mkPen(COLOURS[i], width=2.5)) for i in range(2)]
        # epochs are whole numbers from 0: no "×0.001" prefix, no range around 0; outputs
        # and costs are plain numbers too ("output a (×0.001)" over a single point's tiny
        # range was cut off by the plot's edge)
        plot.getAxis("bottom").enableAutoSIPrefix(False)
        plot.getAxis("left").enableAutoSIPrefix(False)
        plot.getPlotItem().enableAutoRange(x=False)
        plot.setXRange(0, MIN_EPOCHS_SHOWN, padding=0.02)
        return plot, curves

    def _on_setup_changed(self) -> None:
        ctl = self.ctl
        with QSignalBlocker(self.eta):
            self.eta.setValue(ctl.eta)
        with QSignalBlocker(self.speed):
            self.speed.setValue(ctl.steps_per_tick)
        for i, r in enumerate(ctl.runs):
            title = escape(math_plain(r.loss.title), quote=False)
            formula = escape(formula_breaks(math_plain(r.loss.formula)), quote=False)
            self.titles[i].setText(f"<b style='color:{COLOURS[i]}'>{title}</b><br>{formula}")
        if len(ctl.doc.y):
            self.target_line.setValue(float(np.mean(ctl.doc.y[:, 0])))
        self._on_surfaces_changed()
        self._on_paths_changed()

    def showEvent(self, ev) -> None:  # noqa: N802 - Qt API
        if self._stale:   # hidden, it only noted the change
            self._on_surfaces_changed()
        super().showEvent(ev)

    def _on_surfaces_changed(self) -> None:
        ctl = self.ctl
        self._stale = not self.isVisible()
        if self._stale:
            return
        xl, yl = ctl.names() if ctl.px is not None else ("", "")
        for i, r in enumerate(ctl.runs):
            if r.z is not None:
                self.maps[i].set_surface(ctl.xs, ctl.ys, r.z, xl, yl)
        self._on_paths_changed()

    def _on_paths_changed(self) -> None:
        ctl = self.ctl
        if not self.isVisible():
            self._stale = True
            return
        if not ctl.runs:
            return
        xl, yl = ctl.names()
        for i, r in enumerate(ctl.runs):
            p = ctl.path(i)
            self.maps[i].set_path(p)
            self.curves[i].setData(np.arange(len(r.outputs)), np.array(r.outputs))
            self.loss_curves[i].setData(np.arange(len(r.costs)), np.array(r.costs))
            pairs = ((("a", r.outputs[-1], 6), ("C", r.costs[-1], 6)),
                     ((xl, p[-1, 0], 4), (yl, p[-1, 1], 4)))
            # each "name = value" stays whole; a narrow column wraps between them
            self.readouts[i].setText("\n".join(
                "   ".join(f"{n}{NBSP}={NBSP}{fmt(round(float(v), d))}" for n, v, d in row)
                for row in pairs))
        self.epoch_label.setText(f"Epoch {ctl.epochs}   (same start, same η = {fmt(ctl.eta)})")
        for plot in (self.curves_plot, self.loss_plot):
            plot.setXRange(0, max(MIN_EPOCHS_SHOWN, ctl.epochs), padding=0.02)

    def apply_style(self, style: Style) -> None:
        for hm in self.maps:
            hm.apply_style(style)
            hm.path.setPen(pg.mkPen(COLOURS[self.maps.index(hm)], width=2.5 * style.scale))
            hm.point.setBrush(pg.mkBrush(COLOURS[self.maps.index(hm)]))
        for plot in (self.curves_plot, self.loss_plot):
            plot.setBackground(style.background)
            style_axes(plot, style)
        for c in self.curves + self.loss_curves:
            c.setPen(pg.mkPen(c.opts["pen"].color(), width=2.5 * style.scale))
