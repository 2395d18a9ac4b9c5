"""Perceptron vs sigmoid neuron (one slider drives both) and the softmax page."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.neuron.functions import FunctionsController
from nnviz.views.cells import set_cell
from nnviz.views.fit import unbreakable
from nnviz.views.items.math_text import escape, math_html, number
from nnviz.views.layouts import nest
from nnviz.views.neuron.widgets import ValueSlider, style_plot
from nnviz.views.style import Style, current_style


def _num(v: float) -> str:
    return number(round(v, 4))


def _signed(v: float) -> str:
    return ("+" if v > 0 else "") + _num(v)


class ComparePage(QWidget):
    """z = w·x + b with x = 1, b = −1: a perceptron and a sigmoid neuron, the same w."""

    def __init__(self, ctl: FunctionsController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.style_ = current_style()
        intro = QLabel("Notes 002: a small change in a weight can flip a perceptron's output "
                       "completely, while a sigmoid neuron's output changes only a little, "
                       f"{unbreakable('Δσ ≈ σ′(z)·x·Δw')}. Both neurons here have {unbreakable('x = 1')} "
                       f"and {unbreakable('b = −1')}, so {unbreakable('z = w − 1')}; one slider sets w "
                       "for both.")
        intro.setWordWrap(True)
        self.slider = ValueSlider("w", -3.0, 5.0, 0.05, decimals=2)
        self.slider.value_changed.connect(lambda v, _d: self.ctl.set_compare_w(v))
        minus, plus = QPushButton("w − 0.1"), QPushButton("w + 0.1")
        minus.clicked.connect(lambda: self.ctl.set_compare_w(round(self.ctl.compare_w - 0.1, 10)))
        plus.clicked.connect(lambda: self.ctl.set_compare_w(round(self.ctl.compare_w + 0.1, 10)))
        row = QHBoxLayout()
        row.addWidget(self.slider, 1)
        row.addWidget(minus)
        row.addWidget(plus)
        self.view = pg.GraphicsLayoutWidget()
        self.plots, self.curves, self.now, self.before, self.labels = {}, {}, {}, {}, {}
        per, sig = ctl.compare_curves()
        plots = QHBoxLayout()
        for i, (key, title, ys) in enumerate((("perceptron", "Perceptron: y = 1 if z > 0", per),
                                              ("sigmoid", "Sigmoid neuron: y = σ(z)", sig))):
            p = self.view.addPlot(row=0, col=i, title=title)
            p.setMenuEnabled(False)
            p.hideButtons()
            p.vb.setMouseEnabled(False, False)
            p.setYRange(-0.1, 1.1, padding=0)
            p.setLabel("bottom", "w")
            p.showGrid(x=True, y=True, alpha=0.15)
            self.curves[key] = p.plot(*ys)
            self.before[key] = pg.ScatterPlotItem(size=12, symbol="o")
            self.now[key] = pg.ScatterPlotItem(size=16, symbol="o")
            p.addItem(self.before[key])
            p.addItem(self.now[key])
            self.plots[key] = p
            lab = QLabel()
            lab.setObjectName(f"compare-{key}")
            lab.setWordWrap(True)
            lab.setAlignment(Qt.AlignmentFlag.AlignTop)
            self.labels[key] = lab
            plots.addWidget(lab, 1)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        nest(lay, row)
        lay.addWidget(self.view, 1)
        nest(lay, plots)
        ctl.compare_changed.connect(self._on_compare_changed)
        self.apply_style(self.style_)

    def _on_compare_changed(self) -> None:
        c, st = self.ctl.compare(), self.style_
        self.slider.set_value(c["w"])
        for key in ("perceptron", "sigmoid"):
            self.before[key].setData([c["prev_w"]], [c["prev_" + key]],
                                     brush=pg.mkBrush(st.muted), pen=pg.mkPen(st.muted))
            self.now[key].setData([c["w"]], [c[key]], brush=pg.mkBrush(st.highlight),
                                  pen=pg.mkPen(st.foreground), size=16 * st.scale)
        n = {k: _num(v) for k, v in c.items()}
        dp = c["d_perceptron"]
        flip = "→ the output FLIPPED" if dp != 0 else "(no change)"
        w = ", ".join(unbreakable(t) for t in (f"w: {n['prev_w']} → {n['w']} (Δw = {_signed(c['dw'])})",
                                        f"z = {n['z']}"))
        y = [f"y = {n['prev_perceptron']} → {n['perceptron']},", f"Δy = {_signed(dp)}", flip]
        sig = [f"σ = {n['prev_sigmoid']} → {n['sigmoid']},",
               f"Δσ = {_signed(c['d_sigmoid'])}\n≈ σ′(old z)·x·Δw = {_signed(c['d_sigmoid_approx'])}"]
        self.labels["perceptron"].setText(f"{w}\n" + " ".join(unbreakable(t) for t in y))
        self.labels["sigmoid"].setText(f"{w}\n" + " ".join(unbreakable(t) for t in sig))

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        self.view.setBackground(style.background)
        for key, p in self.plots.items():
            style_plot(p, style)
            p.setTitle(p.titleLabel.text, color=style.foreground, size=f"{style.pt(11):.0f}pt")
            self.curves[key].setPen(pg.mkPen(style.positive, width=2.5 * style.scale))
        self._on_compare_changed()


#: softmax as the notes write it, with the scale c (the Softmax page's introduction)
SOFTMAX_FORMULA = "a_j = e^(c·z_j) / Σ_k e^(c·z_k)"


class SoftmaxPage(QWidget):
    """Sliders for z1..z4 and a scale c; bars a = softmax(c·z) that always sum to 1."""

    def __init__(self, ctl: FunctionsController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.style_ = current_style()
        left = QVBoxLayout()
        intro = QLabel(f"Softmax (notes 002): {math_html(unbreakable(SOFTMAX_FORMULA))}. The "
                       "outputs are positive and always sum to 1. Scaling all z by "
                       f"{escape(unbreakable('c > 1'), quote=False)} sharpens them towards the "
                       f"largest; {unbreakable('c → 0')} makes them uniform.")
        intro.setTextFormat(Qt.TextFormat.RichText)
        intro.setWordWrap(True)
        left.addWidget(intro)
        self.z_sliders = []
        for j in range(4):
            s = ValueSlider(f"z{j + 1}", -5.0, 5.0, 0.1, decimals=1)
            s.value_changed.connect(lambda v, _d, j=j: self.ctl.set_softmax_z(j, v))
            left.addWidget(s)
            self.z_sliders.append(s)
        self.scale = ValueSlider("c", 0.0, 5.0, 0.1, decimals=1)
        self.scale.value_changed.connect(lambda v, _d: self.ctl.set_softmax_scale(v))
        left.addWidget(self.scale)
        self.table = QTableWidget(4, 4)
        self.table.setObjectName("softmax-table")
        self.table.setHorizontalHeaderLabels(["zⱼ", "c·zⱼ", "exp(c·zⱼ − max)", "aⱼ"])
        self.table.setVerticalHeaderLabels([f"j = {j + 1}" for j in range(4)])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for col in (2, 3):   # the long heading whole, a_j's four decimals whole
            self.table.horizontalHeader().setSectionResizeMode(
                col, QHeaderView.ResizeMode.ResizeToContents)
        left.addWidget(self.table)
        self.sum_label = QLabel()
        self.sum_label.setObjectName("softmax-sum")
        left.addWidget(self.sum_label)
        left.addStretch(1)
        self.plot = pg.PlotWidget()
        p = self.plot.getPlotItem()
        p.setMenuEnabled(False)
        p.hideButtons()
        p.vb.setMouseEnabled(False, False)
        p.setYRange(0, 1.05, padding=0)
        p.setXRange(0.4, 4.6, padding=0)
        p.setLabel("left", "a<sub>j</sub>")
        p.getAxis("bottom").setTicks([[(j + 1, f"a{j + 1}") for j in range(4)]])
        self.bars = pg.BarGraphItem(x=np.arange(1, 5), height=np.zeros(4), width=0.6)
        p.addItem(self.bars)
        self.texts = [pg.TextItem(anchor=(0.5, 1.0)) for _ in range(4)]
        for t in self.texts:
            p.addItem(t)
        lay = QHBoxLayout(self)
        # half the width for the text, sliders and table: on a 1024x768 projector at 2:3
        # they ran out of height and the introduction lost its last line
        nest(lay, left, 1)
        lay.addWidget(self.plot, 1)
        ctl.softmax_changed.connect(self._on_softmax_changed)
        self.apply_style(self.style_)

    def bar_heights(self) -> np.ndarray:
        """The heights currently drawn (what the user sees)."""
        return np.asarray(self.bars.opts["height"], dtype=float)

    def _on_softmax_changed(self) -> None:
        c, st = self.ctl, self.style_
        cz, e, a = c.softmax_terms()
        for j, s in enumerate(self.z_sliders):
            s.set_value(float(c.softmax_z[j]))
        self.scale.set_value(c.softmax_scale)
        self.bars.setOpts(height=a, brush=pg.mkBrush(st.positive), pen=pg.mkPen(st.foreground))
        for j in range(4):
            self.texts[j].setText(_num(a[j]), color=st.foreground)
            self.texts[j].setPos(j + 1, a[j] + 0.01)
            for col, v in enumerate((c.softmax_z[j], cz[j], e[j], a[j])):
                set_cell(self.table, j, col, _num(v), align=Qt.AlignmentFlag.AlignCenter)
        self.sum_label.setText(f"Σ aⱼ = {number(round(float(a.sum()), 9))}")

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        row = self.fontMetrics().height() + 6
        self.table.horizontalHeader().setFont(self.font())
        self.table.verticalHeader().setDefaultSectionSize(row)
        from PySide6.QtGui import QFont

        font = QFont()
        font.setPointSizeF(style.pt(10))
        for t in self.texts:
            t.setFont(font)
        self.table.setFixedHeight(4 * row + self.table.horizontalHeader().sizeHint().height() + 4)
        self.plot.setBackground(style.background)
        style_plot(self.plot.getPlotItem(), style)
        self._on_softmax_changed()
