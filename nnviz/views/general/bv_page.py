"""Bias and variance (notes 003): K polynomial fits to K resampled training sets, their
mean against the true curve, bias², variance and noise as numbers, the U curve of train
and test error against the degree, the four cases as presets and the under/good/over-fit
panels side by side."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QMenu, QPushButton, QSpinBox, QWidget

from nnviz.engine.labs.general_setup import MODELS
from nnviz.engine.labs.generalisation import CASES, FIT_PANELS
from nnviz.engine.labs.polyfit import MAX_DEGREE
from nnviz.views.general.common import COLOURS, Page, fmt, make_plot, pen
from nnviz.views.widgets import spin_box

Y_RANGE = (-2.5, 2.5)
U_TOP = 1.5   # errors above are drawn at the top edge


class BiasVariancePage(Page):
    page = "bias-variance"

    def __init__(self, ctl, parent: QWidget | None = None) -> None:
        super().__init__(ctl, parent)
        self.degree = QSpinBox()
        self.degree.setRange(0, MAX_DEGREE)
        self.degree.setObjectName("general-degree")
        self.n = QSpinBox()
        self.n.setRange(2, 200)
        self.noise = spin_box(0.0, 2.0, 2, 0.05)
        self.k = QSpinBox()
        self.k.setRange(2, 50)
        self.lam = spin_box(0.0, 100.0, 4, 0.001)
        self.model = QComboBox()
        self.model.setObjectName("general-model")
        self.model.addItems(["polynomial", "network"])
        self.model.setToolTip("polynomial of degree d, or a 1-h-1 tanh network with h hidden "
                              "units trained by gradient descent (Adam)")
        self.model.activated.connect(lambda i: ctl.set(model=MODELS[i]))
        self.hidden = QSpinBox()
        self.hidden.setRange(1, 50)
        self.hidden.setObjectName("general-hidden")
        self.hidden.valueChanged.connect(lambda v: ctl.set(hidden=v))
        for w in (self.degree, self.n, self.k, self.hidden):
            w.setKeyboardTracking(False)
        self.form.addRow("model", self.model)
        self.form.addRow("degree d", self.degree)
        self.form.addRow("hidden h", self.hidden)
        self.form.addRow("points n", self.n)
        self.form.addRow("noise σ", self.noise)
        self.form.addRow("sets K", self.k)
        self.form.addRow("λ (L2)", self.lam)
        self.degree.valueChanged.connect(lambda v: ctl.set(degree=v))
        self.n.valueChanged.connect(lambda v: ctl.set(n=v))
        self.noise.valueChanged.connect(lambda v: ctl.set(noise=v))
        self.k.valueChanged.connect(lambda v: ctl.set(k=v))
        self.lam.valueChanged.connect(lambda v: ctl.set(bv_lambda=v))
        self.numbers = self.note(name="general-bv-numbers")   # first, in view on a projector
        self.resample = self.button("Resample: K new sets", ctl.new_samples,
                                    "general-resample")
        self.resample.setToolTip("Draw K new training sets (N)")
        self._build_presets()
        self.add_run_button().setText("▶ U curve")
        self.finish_panel()
        self._build_plots()

    def _build_presets(self) -> None:
        """The four cases in one menu: four buttons made the panel scroll on a projector."""
        ctl = self.ctl
        self.presets = QPushButton("Preset cases")
        self.presets.setObjectName("general-presets")
        self.panel_lay.addWidget(self.presets)
        self.presets.setToolTip("The four cases of bias and variance: degree, points and "
                                "noise set for each")
        menu = QMenu(self.presets)
        menu.setObjectName("general-presets-menu")
        menu.setToolTipsVisible(True)
        self.case_actions: dict[str, QAction] = {}
        for c in CASES:
            a = menu.addAction(c.title)
            a.setObjectName(f"general-case-{c.key}")
            a.setToolTip(c.why)
            a.triggered.connect(lambda _=False, key=c.key: ctl.apply_case(key))
            self.case_actions[c.key] = a
        self.presets.setMenu(menu)

    def _build_plots(self) -> None:
        """The fits over the data, the U curve of error against degree, the four panels."""
        self.main = self.add_plot(make_plot("x", "y"), "", 0, 0, 1, 2)
        self.u_plot = self.add_plot(make_plot("degree d"), "error against degree", 0, 2)
        self.u_curves = {}
        legend = self.add_legend_below(self.u_plot)
        for key, colour in (("train", COLOURS["b"]), ("test", COLOURS["a"]),
                            ("bias²", COLOURS["mean"]), ("variance", COLOURS["d"])):
            self.u_curves[key] = self.u_plot.plot([], [], symbol="o", symbolBrush=colour)
            legend.addItem(self.u_curves[key], key)
        self.u_line = pg.InfiniteLine(0)
        self.u_plot.addItem(self.u_line)
        self.panel_plots = [self.add_plot(make_plot(), title, 1, i)
                            for i, (title, _d) in enumerate(FIT_PANELS)]
        self.grid.setRowStretch(0, 3)
        self.grid.setRowStretch(1, 2)
        for p in [self.main, *self.panel_plots]:
            p.setYRange(*Y_RANGE, padding=0)
            p.setXRange(-1, 1, padding=0.02)

    def _run_text(self) -> str:
        return "▶ U curve" if self.ctl.setup.model == "polynomial" else "▶ Train K nets"

    def _on_playing_changed(self, playing: bool) -> None:
        if self.run_button is not None:
            self.run_button.setText("▮▮ Pause" if playing else self._run_text())

    def apply_style(self, style) -> None:
        super().apply_style(style)
        from nnviz.views.widgets import fix_width

        fix_width(self.run_button, "▶ U curve", "▶ Train K nets", "▮▮ Pause")

    def refresh(self) -> None:
        s = self.ctl.setup
        for w, v in ((self.degree, s.degree), (self.n, s.n), (self.noise, s.noise),
                     (self.k, s.k), (self.lam, s.bv_lambda), (self.hidden, s.hidden)):
            with QSignalBlocker(w):
                w.setValue(v)
        with QSignalBlocker(self.model):
            self.model.setCurrentIndex(MODELS.index(s.model))
        poly = s.model == "polynomial"
        # only the rows of the model chosen (a projector's panel has no room for the others)
        for w, shown in ((self.degree, poly), (self.lam, poly), (self.hidden, not poly)):
            w.setEnabled(shown)
            self.form.setRowVisible(w, shown)
        if self.run_button is not None and not self.ctl.runners[self.page].playing:
            self.run_button.setText(self._run_text())
        r = self.ctl.shown_resampled()
        self._draw_panels()
        if r is None:
            self.main.clear()
            self.u_plot.setVisible(True)
            self._draw_u()
            running = self.ctl.runners[self.page].playing
            self.set_title(self.main, f"training {s.k} networks of {s.hidden} hidden units …"
                           if running else f"press ▶ Train K nets: {s.k} networks of "
                           f"{s.hidden} hidden units, one a training set")
            self.numbers.setText("bias² = –\nvariance = –")
            return
        self._draw_main(r)
        total = r.bias2 + r.variance + r.noise
        self.numbers.setText(
            f"bias² = {fmt(r.bias2)}\nvariance = {fmt(r.variance)}\nnoise σ² = {fmt(r.noise)}\n"
            f"sum = {fmt(total)}\ntest error = {fmt(r.test_mse)}\n"
            f"train error = {fmt(r.train_mse)}")
        self._draw_u()
        self._draw_panels()

    def _draw_main(self, r) -> None:
        p = self.main
        p.clear()
        grey = pen(COLOURS["fit"], 1.0)
        for f in r.fits:
            p.plot(r.grid, np.clip(f, -10, 10), pen=grey)
        p.plot(r.grid, r.truth, pen=pen(COLOURS["truth"], 2.0, dash=True))
        p.plot(r.grid, np.clip(r.mean, -10, 10), pen=pen(COLOURS["mean"], 3.0))
        p.plot(r.xs[0], r.ys[0], pen=None, symbol="o", symbolSize=6 * self.style_.scale,
               symbolBrush=COLOURS["points"], symbolPen=None)
        what = "fits" if self.ctl.setup.model == "polynomial" else "networks"
        self.set_title(p, f"K = {len(r.fits)} {what} (grey), their mean (orange), the truth "
                          f"(dashed)")

    def _show_u(self, shown: bool) -> None:
        """The U curve's plot shown (the polynomial model), or not (the network model,
        which has no degree: the plot stood empty beside its legend) and the fits' plot
        as wide as the row."""
        box = self.titles[id(self.u_plot)].parentWidget()
        if box.isHidden() == shown:
            box.setVisible(shown)
            self.grid.addWidget(self.titles[id(self.main)].parentWidget(), 0, 0, 1,
                                2 if shown else 3)

    def _draw_u(self) -> None:
        sw = self.ctl.result(self.page)
        self._show_u(self.ctl.setup.model == "polynomial")
        if self.ctl.setup.model != "polynomial":
            sw = None
        colours = {"train": COLOURS["b"], "test": COLOURS["a"], "bias²": COLOURS["mean"],
                   "variance": COLOURS["d"]}
        sc = self.style_.scale
        for key, curve in self.u_curves.items():
            curve.setPen(pen(colours[key], 2.0))
            curve.setSymbolSize(5 * sc)
            curve.setSymbolPen(None)
            curve.setSymbolBrush(colours[key])
            if sw is None:
                curve.setData([], [])
            else:
                ys = {"train": sw.train, "test": sw.test, "bias²": sw.bias2,
                      "variance": sw.variance}[key]
                curve.setData(sw.degrees, np.minimum(ys, U_TOP))
        self.u_line.setPen(pen(COLOURS["truth"], 1.0, True))
        self.u_line.setValue(self.ctl.setup.degree)
        self.u_line.setVisible(self.ctl.setup.model == "polynomial")
        self.u_plot.setXRange(0, MAX_DEGREE, padding=0.02)
        self.u_plot.setYRange(0, U_TOP, padding=0)
        self.set_title(self.u_plot, "error against degree" if sw is not None
                       else "error against degree: press ▶\u00a0U\u00a0curve")   # (one piece)

    def _draw_panels(self) -> None:
        x, y = self.ctl.panel_points
        grid = self.ctl.resampled.grid
        for plot, (_title, curve) in zip(self.panel_plots, self.ctl.panels):
            plot.clear()
            plot.plot(grid, self.ctl.resampled.truth, pen=pen(COLOURS["truth"], 1.5, True))
            plot.plot(grid, np.clip(curve, -10, 10), pen=pen(COLOURS["a"], 2.0))
            plot.plot(x, y, pen=None, symbol="o", symbolSize=5 * self.style_.scale,
                      symbolBrush=COLOURS["points"], symbolPen=None)
