"""What the Generalisation lab's pages share: a page with a scrolling side panel of
controls and a grid of plots, plot styling, and a Train/Pause button tied to a runner."""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPen
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.general.controller import GeneralController
from nnviz.views.axes import label_apart, legend_below, minus_ticks, room_for_top_tick
from nnviz.views.fit import SidePanelScroll
from nnviz.views.fold import Explanation, PanelFolder, WrapLabel
from nnviz.views.layouts import nest
from nnviz.views.style import OKABE_ITO, Style, current_style
from nnviz.views.widgets import PAUSE, PLAY, fix_width

COLOURS = {"truth": "#000000", "mean": OKABE_ITO["orange"], "fit": "#9AA0A8",
           "a": OKABE_ITO["vermillion"], "b": OKABE_ITO["blue"], "c": OKABE_ITO["green"],
           "d": OKABE_ITO["purple"], "points": OKABE_ITO["blue"]}


#: redraws a second while an experiment trains (the display rate, or below)
REDRAW_HZ = 30
#: the side panel's width (pixels) in normal and presentation mode
PANEL_NORMAL, PANEL_PRESENTATION = 220, 300


def make_plot(x_label: str = "", y_label: str = "") -> pg.PlotWidget:
    """A plot without a title of its own (a long pyqtgraph title widens the plot past its
    widget and is clipped; pages put a wrapping QLabel above instead)."""
    p = pg.PlotWidget()
    p.setMenuEnabled(False)
    p.hideButtons()
    p.setMouseEnabled(x=False, y=False)
    if x_label:
        p.setLabel("bottom", x_label)
    if y_label:
        p.setLabel("left", y_label)
    p.setMinimumSize(80, 60)
    return p


def style_plot(plot: pg.PlotWidget, style: Style) -> None:
    """Background, axes and title in the style's colours and sizes."""
    plot.setBackground(style.background)
    for name in ("left", "bottom"):
        ax = plot.getAxis(name)
        ax.setPen(pg.mkPen(style.foreground))
        ax.setTextPen(pg.mkPen(style.foreground))
        f = QFont()
        f.setPointSizeF(8.0 * style.scale)
        ax.setStyle(tickFont=f)
        if ax.label is not None:
            ax.label.setFont(f)
        label_apart(ax)
        minus_ticks(ax)   # negative tick labels with a minus sign (pyqtgraph's spacing)
    room_for_top_tick(plot, f)


def pen(colour: str, width: float = 2.0, dash: bool = False) -> QPen:
    p = pg.mkPen(colour, width=width * current_style().scale)
    if dash:
        p.setStyle(Qt.PenStyle.DashLine)
    return p


def fmt(v: float | None, digits: int = 4) -> str:
    if v is None or not np.isfinite(v):
        return "–"
    return f"{v:.{digits}g}"


class Page(QWidget):
    """A side panel (scrolls when short) on the left, plots in a grid on the right."""

    page = ""

    def __init__(self, ctl: GeneralController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.style_ = current_style()
        self.panel = QWidget()
        self.panel_lay = QVBoxLayout(self.panel)
        self.panel_lay.setContentsMargins(4, 4, 4, 4)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        nest(self.panel_lay, self.form)
        self.scroll = SidePanelScroll(self.panel)
        self.folder = PanelFolder(self.panel_lay, self.scroll)
        self.explanation: Explanation | None = None
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(4)
        right = QWidget()
        right.setLayout(self.grid)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.scroll, 0)
        lay.addWidget(right, 1)
        self.plots: list[pg.PlotWidget] = []
        self.titles: dict[int, QLabel] = {}
        self.legends: list[pg.LegendItem] = []
        self.run_button: QPushButton | None = None
        self._drawn = 0.0
        self.stale = False          # a redraw was asked for while hidden

    def add_plot(self, plot: pg.PlotWidget, title: str, row: int, col: int, rows: int = 1,
                 cols: int = 1) -> pg.PlotWidget:
        """``plot`` under a wrapping title label, in the grid."""
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        label = QLabel(title)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        lay.addWidget(label)
        lay.addWidget(plot, 1)
        self.plots.append(plot)
        self.titles[id(plot)] = label
        self.grid.addWidget(box, row, col, rows, cols)
        return plot

    def add_legend(self, plot: pg.PlotWidget, offset=(4, 4)) -> pg.LegendItem:
        legend = plot.addLegend(offset=offset)
        self.legends.append(legend)
        return legend

    def add_legend_below(self, plot: pg.PlotWidget, columns: int = 2) -> pg.LegendItem:
        """A legend under the plot's x axis, in ``columns`` columns: it never covers a
        curve (curves that rise to the top right ran under a legend in the corner)."""
        legend = legend_below(plot.getPlotItem(), columns)
        self.legends.append(legend)
        return legend

    def set_title(self, plot: pg.PlotWidget, text: str) -> None:
        self.titles[id(plot)].setText(text)

    def note(self, text: str = "", name: str = "") -> QLabel:
        """A wrapped plain-text label in the side panel."""
        label = WrapLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        if name:
            label.setObjectName(name)
        self.panel_lay.addWidget(label)
        return label

    def explain(self, title: str, text: str) -> Explanation:
        """The page's long explanation in the side panel, folded when there is no room."""
        self.explanation = Explanation(title, text)
        self.folder.explanation = self.explanation
        self.explanation.text.setObjectName(f"general-{self.page}-explanation")
        self.panel_lay.addWidget(self.explanation)
        return self.explanation

    def button(self, text: str, slot, name: str = "") -> QPushButton:
        b = QPushButton(text)
        if name:
            b.setObjectName(name)
        b.clicked.connect(slot)
        self.panel_lay.addWidget(b)
        return b

    def add_run_button(self) -> QPushButton:
        """Train/Pause for the page's experiment; Enter on the page does the same."""
        runner = self.ctl.runners[self.page]
        b = self.button(f"{PLAY} Train", lambda: self.ctl.train_or_pause(self.page),
                        name=f"general-{self.page}-run")
        b.setToolTip("Train the experiment, or pause it (P)")
        self.run_button = b
        runner.playing_changed.connect(self._on_playing_changed)
        runner.progressed.connect(self._on_progress)
        return b

    def _on_progress(self, value) -> None:
        """Redraw at most REDRAW_HZ times a second while training; always at the end."""
        now = time.perf_counter()
        runner = self.ctl.runners[self.page]
        if value is None or runner.done or now - self._drawn >= 1.0 / REDRAW_HZ:
            self._drawn = now
            self.request_refresh()

    def _on_playing_changed(self, playing: bool) -> None:
        if self.run_button is not None:
            self.run_button.setText(f"{PAUSE} Pause" if playing else f"{PLAY} Train")

    def fit_panel(self) -> None:
        """The panel as tall as its wrapped texts need; the explanation folded if the
        panel would not fit its view with it unfolded (see :class:`PanelFolder`)."""
        self.folder.fit()

    def finish_panel(self) -> None:
        self.panel_lay.addStretch(1)

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        for p in self.plots:
            style_plot(p, style)
        if self.run_button is not None:
            fix_width(self.run_button, f"{PLAY} Train", f"{PAUSE} Pause")
        self.panel.setFixedWidth(PANEL_PRESENTATION if style.presentation else PANEL_NORMAL)
        for legend in self.legends:
            legend.setLabelTextColor(style.foreground)
            legend.setLabelTextSize(f"{7.5 * style.scale:.0f}pt")
            for _sample, label in legend.items:
                label.setText(label.text, color=style.foreground,
                              size=f"{7.5 * style.scale:.0f}pt")
        self.request_refresh()

    def request_refresh(self) -> None:
        """Redraw now if the page is on screen; a hidden page (another tab, another lab)
        costs nothing: it is marked stale, and the lab redraws it when it is shown."""
        if self.isVisible():
            self.stale = False
            self.refresh()
        else:
            self.stale = True

    def refresh(self) -> None:
        """Redraw from the controller (subclasses)."""
