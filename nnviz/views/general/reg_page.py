"""Why regularisation helps (notes 002): ten points near y = 2x, a 9th-order polynomial
through them against the line, and L2 (the λ slider) pulling the polynomial back towards
the line as it grows, the fit redrawn live."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QSlider, QSpinBox, QWidget

from nnviz.engine.labs.polyfit import MAX_DEGREE, poly_eval
from nnviz.views.fit import NBSP
from nnviz.views.general.common import COLOURS, Page, fmt, make_plot, pen

#: the notes' L2 cost on one line (a line broke after "λ/" at 1024x768 in F5)
_L2_COST = "C = C₀ + λ / (2n) · Σ aⱼ²".replace(" ", NBSP)

#: the slider: 0 is λ = 0, then λ = 10^(LOG_LO + (LOG_HI − LOG_LO)·(v − 1)/(STEPS − 1))
STEPS = 91
LOG_LO, LOG_HI = -6.0, 3.0
X_VIEW = 1.5


def slider_to_lambda(v: int) -> float:
    if v <= 0:
        return 0.0
    return float(10.0 ** (LOG_LO + (LOG_HI - LOG_LO) * (v - 1) / (STEPS - 1)))


def lambda_to_slider(lam: float) -> int:
    if lam <= 0:
        return 0
    t = (math.log10(lam) - LOG_LO) / (LOG_HI - LOG_LO)
    return int(round(min(max(t, 0.0), 1.0) * (STEPS - 1))) + 1


class RegularisationPage(Page):
    page = "regularisation"

    def __init__(self, ctl, parent: QWidget | None = None) -> None:
        super().__init__(ctl, parent)
        self.degree = QSpinBox()
        self.degree.setRange(1, MAX_DEGREE)
        self.degree.setKeyboardTracking(False)
        self.degree.valueChanged.connect(lambda v: ctl.set(reg_degree=v))
        self.form.addRow("degree", self.degree)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("general-lambda")
        self.slider.setRange(0, STEPS)
        self.slider.setPageStep(10)
        self.slider.valueChanged.connect(lambda v: ctl.set(reg_lambda=slider_to_lambda(v)))
        self.lam_label = self.note(name="general-lambda-value")
        self.panel_lay.addWidget(self.slider)
        self.numbers = self.note(name="general-reg-numbers")
        self.explain("The L2 cost",
                     f"L2 cost: {_L2_COST} (the constant a₀ is "
                     "not penalised, as "
                     "biases are not). Drag λ up: the wiggles go, the polynomial comes back "
                     "to the line.")
        self.finish_panel()
        self.fit_plot = self.add_plot(make_plot("x", "y"), "ten points near y = 2x (data in "
                                      "[−1, 1], dotted lines)", 0, 0)
        self.coef_plot = self.add_plot(make_plot("power j"), "log₁₀ |aⱼ|: the size of each "
                                       "coefficient", 1, 0)
        self.grid.setRowStretch(0, 3)
        self.grid.setRowStretch(1, 1)
        self.fit_plot.setXRange(-X_VIEW, X_VIEW, padding=0)
        self.fit_plot.setYRange(-5, 5, padding=0)
        self.add_legend(self.fit_plot)

    def refresh(self) -> None:
        s = self.ctl.setup
        with QSignalBlocker(self.degree):
            self.degree.setValue(s.reg_degree)
        with QSignalBlocker(self.slider):
            self.slider.setValue(lambda_to_slider(s.reg_lambda))
        r = self.ctl.regfit
        x, y = self.ctl.line_points
        self.lam_label.setText(f"λ = {fmt(s.reg_lambda, 3)}")
        d = s.reg_degree
        train = "0 (through every point)" if r.train_mse < 1e-12 else fmt(r.train_mse, 3)
        self.numbers.setText(
            f"training error (mean square): {train}\n"
            f"Σ aⱼ² = {fmt(r.size, 4)}\n"
            f"at x = 1.5 (outside the data):\n  degree {d}: {fmt(r.far, 4)}\n"
            f"  line: {fmt(r.far_line, 4)}")
        st = self.style_
        p = self.fit_plot
        p.clear()
        grid = np.linspace(-X_VIEW, X_VIEW, 301)
        if s.reg_lambda > 0:   # the unregularised fit, to compare (at λ = 0 it is the fit)
            p.plot(grid, np.clip(poly_eval(r.coef0, grid), -50, 50),
                   pen=pen(COLOURS["fit"], 1.5, True), name=f"degree {d}, unregularised")
        p.plot(grid, poly_eval(r.line, grid), pen=pen(COLOURS["b"], 2.0), name="the line")
        p.plot(grid, np.clip(poly_eval(r.coef, grid), -50, 50), pen=pen(COLOURS["mean"], 3.0),
               name=f"degree {d}, λ = {fmt(s.reg_lambda, 3)}")
        p.plot(x, y, pen=None, symbol="o", symbolSize=7 * st.scale,
               symbolBrush=COLOURS["truth"], symbolPen=None)
        p.addItem(pg.InfiniteLine(1.0, pen=pen(COLOURS["fit"], 1.0, True)))
        p.addItem(pg.InfiniteLine(-1.0, pen=pen(COLOURS["fit"], 1.0, True)))
        c = self.coef_plot
        c.clear()
        j = np.arange(1, len(r.coef))
        c.addItem(pg.BarGraphItem(x=j, height=np.log10(np.maximum(np.abs(r.coef[1:]), 1e-6))
                                  + 6, y0=-6, width=0.6, brush=COLOURS["mean"]))
        c.setYRange(-6, 4, padding=0)
