"""The one-input plots: the output over the goal (with draggable step markers and
bump bars) and each hidden neuron's output over x."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from nnviz.controllers.universality.controller import UniversalityController
from nnviz.views.axes import legend_below, style_axes
from nnviz.views.items.bump_bars import BumpBars
from nnviz.views.items.math_text import number
from nnviz.views.style import Style, current_style


class OneInputPlots(QWidget):
    """Plots that re-read the controller (redraws coalesced by a 16 ms timer)."""

    neuron_selected = Signal(int)

    def __init__(self, ctl: UniversalityController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.selected = 0
        self.graphics = pg.GraphicsLayoutWidget()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.graphics)
        self.main = self.graphics.addPlot(row=0, col=0, colspan=2)
        self.main.setMenuEnabled(False)
        self.main.showGrid(x=True, y=True, alpha=0.2)
        self.main.setLabel("bottom", "x")
        self.main.setLabel("left", "output")
        # under the x axis, on one row: in the plot's corner the step lines and the curves
        # ran through its words, and on a ground of its own it hid the curves of a small
        # plot (relu-approximation at 1024x768 in F5)
        self.legend = legend_below(self.main)
        self.hidden = self.graphics.addPlot(row=1, col=0)
        self.hidden.setMenuEnabled(False)
        self.hidden.showGrid(x=True, y=True, alpha=0.2)
        self.hidden.setLabel("left", "hidden a<sub>j</sub>(x)")
        self.main.sigXRangeChanged.connect(
            lambda _vb, r: self.hidden.setXRange(r[0], r[1], padding=0))
        self.errors = self.graphics.addPlot(row=1, col=1)
        self.errors.setMenuEnabled(False)
        self.errors.setMouseEnabled(False, False)
        self.errors.setLabel("bottom", "N bumps")
        self.errors.setLabel("left", "best error")
        self.error_curve = self.errors.plot(symbol="o", symbolSize=5)
        self.error_marker = self.errors.plot(symbol="o", symbolSize=11, pen=None)
        self.main.layout.setContentsMargins(0, 0, 0, 0)
        self.graphics.ci.layout.setColumnStretchFactor(0, 3)
        self.graphics.ci.layout.setColumnStretchFactor(1, 1)
        self.graphics.ci.layout.setRowStretchFactor(0, 3)
        self.graphics.ci.layout.setRowStretchFactor(1, 1)
        self.bars = BumpBars()
        self.main.addItem(self.bars)
        self.bars.height_dragged.connect(self._on_bar_dragged)
        self.bars.drag_started.connect(self._hold_range)
        self.bars.drag_finished.connect(self._drag_done)
        self.goal_curve = self.main.plot()
        self.out_curve = self.main.plot()
        self.legend.addItem(self.goal_curve, "goal f(x)")
        self.legend.addItem(self.out_curve, "network output")
        self.goal_curve.setZValue(5)
        self.out_curve.setZValue(6)
        self.markers: list[pg.InfiniteLine] = []
        self.hidden_curves: list[pg.PlotDataItem] = []
        self._style = current_style()
        self._last_range: tuple | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(16)
        self._timer.timeout.connect(self.redraw)
        ctl.changed.connect(self._on_model_changed)
        self.apply_style(self._style)
        self.redraw()

    # ------------------------------------------------------------ updates
    def _on_model_changed(self) -> None:
        self._timer.start()

    def select(self, j: int) -> None:
        self.selected = j
        self._timer.start()

    def redraw(self) -> None:
        c = self.ctl.readouts.curves()
        st = self._style
        x = c["x"]
        has_goal = c["goal"] is not None
        if has_goal:
            self.goal_curve.setData(x, c["goal"])
        else:
            self.goal_curve.setData([], [])
        if has_goal != (self.legend.getLabel(self.goal_curve) is not None):
            if has_goal:
                self.legend.addItem(self.goal_curve, "goal f(x)")
            else:
                self.legend.removeItem(self.goal_curve)
        self.out_curve.setData(x, c["out"])
        mode = self.ctl.m.mode
        if mode == "bumps":
            left, right = self.ctl.readouts.bump_spans()
            self.bars.set_data(left, right, self.ctl.readouts.heights(), self.selected // 2)
            self.bars.show()
        else:
            self.bars.set_data(np.zeros(0), np.zeros(0), np.zeros(0))
            self.bars.hide()
        self._update_markers(mode == "step")
        hidden = c["hidden"]
        n = hidden.shape[1]
        while len(self.hidden_curves) < n:
            self.hidden_curves.append(self.hidden.plot())
        while len(self.hidden_curves) > n:
            self.hidden.removeItem(self.hidden_curves.pop())
        for j, curve in enumerate(self.hidden_curves):
            sel = j == self.selected
            curve.setData(x, hidden[:, j])
            curve.setPen(pg.mkPen(st.highlight if sel else st.muted, width=(3 if sel else 1.2)
                                  * st.scale))
            curve.setZValue(10 if sel else 0)
        ns, errs = self.ctl.readouts.error_curve()
        ok = np.isfinite(errs)
        self.error_curve.setData(ns[ok], errs[ok])
        self.errors.setVisible(bool(ok.any()))
        _from_zero(self.errors, errs[ok])
        score = self.ctl.readouts.score()
        if mode == "bumps" and score is not None and score > 0:
            self.error_marker.setData([self.ctl.m.n_bumps], [score])
        else:
            self.error_marker.setData([], [])
        rng = self.ctl.m.x_range
        if rng != self._last_range:
            self._last_range = rng
            self.main.setXRange(*rng, padding=0.02)
            self.main.enableAutoRange(axis="y")

    def _update_markers(self, show: bool) -> None:
        s = self.ctl.readouts.step_positions() if show else np.zeros(0)
        while len(self.markers) < len(s):
            j = len(self.markers)
            line = pg.InfiniteLine(angle=90, movable=True)
            line.setZValue(10)
            line.sigDragged.connect(lambda ln, j=j: self._on_marker_dragged(j, ln))
            line.sigPositionChangeFinished.connect(lambda _ln: self._drag_done())
            line.sigClicked.connect(lambda _ln, _ev, j=j: self.neuron_selected.emit(j))
            self.main.addItem(line)
            self.markers.append(line)
        while len(self.markers) > len(s):
            self.main.removeItem(self.markers.pop())
        st = self._style
        for j, line in enumerate(self.markers):
            sel = j == self.selected
            line.setPen(pg.mkPen(st.highlight if sel else st.accent, width=(3 if sel else 2)
                                 * st.scale, style=Qt.PenStyle.DashLine))
            line.setHoverPen(pg.mkPen(st.highlight, width=4 * st.scale))
            if np.isfinite(s[j]) and not line.moving:
                line.blockSignals(True)
                line.setValue(float(s[j]))
                line.blockSignals(False)

    # ------------------------------------------------------------ user edits
    def _hold_range(self) -> None:
        """While a bar or a step is dragged the axes stay put (a range following the
        curve would move the bar away under the mouse)."""
        self.main.getViewBox().disableAutoRange()

    def _drag_done(self) -> None:
        self.ctl.end_drag()
        self.main.enableAutoRange(axis="y")   # let go: the range may follow again

    def _on_marker_dragged(self, j: int, line: pg.InfiniteLine) -> None:
        self._hold_range()
        self.neuron_selected.emit(j)
        self.ctl.set_step_position(j, float(line.value()), merge=True)

    def _on_bar_dragged(self, i: int, h: float) -> None:
        self.neuron_selected.emit(2 * i)
        self.ctl.set_height(i, h, merge=True)

    # ------------------------------------------------------------ style and zoom
    def apply_style(self, style: Style) -> None:
        self._style = style
        self.graphics.setBackground(style.background)
        for plot in (self.main, self.hidden, self.errors):
            style_axes(plot, style)
            for ax in ("left", "bottom"):
                a = plot.getAxis(ax)
                a.setSIPrefixEnableRanges(((np.inf, np.inf),))  # never rescale to x0.001
                a.label.setFont(_font(style, 10))
        self.goal_curve.setPen(pg.mkPen(style.foreground, width=2.5 * style.scale,
                                        style=Qt.PenStyle.DashLine))
        self.out_curve.setPen(pg.mkPen(style.positive, width=3 * style.scale))
        self.bars.set_colors(style.highlight)
        self.error_curve.setPen(pg.mkPen(style.positive, width=2 * style.scale))
        self.error_curve.setSymbolBrush(style.positive)
        self.error_marker.setSymbolBrush(style.highlight)
        for _sample, label in self.legend.items:
            label.setText(label.text, color=style.foreground, size=f"{10 * style.scale:.0f}pt")
        self.legend.setLabelTextColor(style.foreground)
        self.legend.setLabelTextSize(f"{10 * style.scale:.0f}pt")
        self.redraw()

    def zoom(self, factor: float | None) -> None:
        if factor is None:
            self.main.setXRange(*self.ctl.m.x_range, padding=0.02)
            self.main.enableAutoRange(axis="y")
        else:
            self.main.getViewBox().scaleBy((1 / factor, 1 / factor))


def _from_zero(plot, values: np.ndarray) -> None:
    """The y axis of ``plot`` from 0 to the largest of ``values`` (errors, never negative),
    labelled at 0 and at that value in two digits: a flat curve reads flat (the best error
    of a linear network, the same for every N, had a range of 1e-14, then 3.804 ... 3.808
    that made it look ragged), and a falling one is seen against zero."""
    top = float(values.max()) if len(values) else 0.0
    top = top if top > 0 else 1.0
    mark = float(f"{top:.2g}")
    plot.setYRange(-0.45 * top, 1.45 * top, padding=0)   # both labels whole, a short plot too
    plot.getAxis("left").setTicks([[(0.0, "0"), (mark, number(mark))]])


def _font(style: Style, size: float):
    from PySide6.QtGui import QFont

    f = QFont()
    f.setPointSizeF(style.pt(size))
    return f
