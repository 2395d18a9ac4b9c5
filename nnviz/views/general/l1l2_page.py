"""L1 against L2 (notes 002): the same network trained with each on the digits, live
histograms of their weights, the two update rules written out with this run's numbers,
the notes' misprint of the L1 rule said on screen, and the weights driven to zero."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QSpinBox, QWidget

from nnviz.engine.labs.digit_tasks import classifier
from nnviz.engine.labs.reg_nets import ZERO, all_weights
from nnviz.views.general.common import COLOURS, Page, fmt, make_plot
from nnviz.views.widgets import spin_box

BINS = np.linspace(-1.5, 1.5, 61)
#: the weight whose update is written out: first layer, hidden neuron 1, pixel (3, 3)
SHOWN = (0, 0, 27)

NOTES_MISPRINT = ("Notes 002 print the L1 rule as w → w(1 − ηλ/n) − η ∂C₀/∂w: that is L2's "
                  "rule. From their own ∂C/∂w = ∂C₀/∂w + (λ/n) sgn(w), the L1 step is "
                  "w → w − (ηλ/n) sgn(w) − η ∂C₀/∂w, as trained here.")


class L1L2Page(Page):
    page = "l1-l2"

    def __init__(self, ctl, parent: QWidget | None = None) -> None:
        super().__init__(ctl, parent)
        self.lam = spin_box(0.0, 20.0, 3, 0.1)
        self.eta = spin_box(0.001, 5.0, 3, 0.05)
        self.n = QSpinBox()
        self.n.setRange(20, 1000)
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 500)
        for w in (self.n, self.epochs):
            w.setKeyboardTracking(False)
        self.form.addRow("λ", self.lam)
        self.form.addRow("η", self.eta)
        self.form.addRow("digits n", self.n)
        self.form.addRow("epochs", self.epochs)
        self.lam.valueChanged.connect(lambda v: ctl.set(l_lambda=v))
        self.eta.valueChanged.connect(lambda v: ctl.set(l_eta=v))
        self.n.valueChanged.connect(lambda v: ctl.set(l_n=v))
        self.epochs.valueChanged.connect(lambda v: ctl.set(l_epochs=v))
        self.add_run_button()
        self.numbers = self.note(name="general-l1l2-numbers")
        self.finish_panel()
        self.hists = {k: self.add_plot(make_plot("weight w"), f"{k}: weights", 0, i)
                      for i, k in enumerate(("L1", "L2"))}
        self.bars = {}
        for k, colour in (("L1", COLOURS["a"]), ("L2", COLOURS["b"])):
            self.bars[k] = pg.BarGraphItem(x0=BINS[:-1], x1=BINS[1:], height=np.zeros(60),
                                           brush=colour, pen=None)
            self.hists[k].addItem(self.bars[k])
            self.hists[k].setXRange(BINS[0], BINS[-1], padding=0)
        self.rules_label = self._rules_label()
        self.grid.setRowStretch(0, 3)
        self.grid.setRowStretch(1, 2)

    def _rules_label(self):
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QLabel

        label = QLabel()
        label.setObjectName("general-l1l2-rules")
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.grid.addWidget(label, 1, 0, 1, 2)
        return label

    def refresh(self) -> None:
        s = self.ctl.setup
        for w, v in ((self.lam, s.l_lambda), (self.eta, s.l_eta), (self.n, s.l_n),
                     (self.epochs, s.l_epochs)):
            with QSignalBlocker(w):
                w.setValue(v)
        pair = self.ctl.result(self.page)
        if pair is None:
            start = classifier(10, s.seed)
            ws = {"L1": all_weights(start), "L2": all_weights(start)}
            shown = {k: float(start.weights[0][SHOWN[1], SHOWN[2]]) for k in ws}
            epochs, acc = 0, {}
        else:
            ws = {k: pair.weights(k) for k in ("L1", "L2")}
            shown = {k: float(pair.nets[k].weights[0][SHOWN[1], SHOWN[2]]) for k in ws}
            epochs, acc = pair.epochs, pair.test
        top = 1
        for k, w in ws.items():
            h, _ = np.histogram(np.clip(w, BINS[0], BINS[-1]), BINS)
            self.bars[k].setOpts(height=h)
            top = max(top, int(h.max()))
            zeros = int(np.sum(np.abs(w) < ZERO))
            self.set_title(self.hists[k], f"{k} · epoch {epochs}: {zeros} of {len(w)} weights "
                                          f"|w| < {ZERO:g}")
        for k in ws:
            self.hists[k].setYRange(0, top * 1.05, padding=0)
        zeros = {k: int(np.sum(np.abs(w) < ZERO)) for k, w in ws.items()}
        head = "press ▶ Train: " if pair is None else ""
        self.numbers.setText(
            f"{head}64-30-10 on {s.l_n} digits, same start\n"
            f"test accuracy: L1 {fmt(acc.get('L1'), 3)}, L2 {fmt(acc.get('L2'), 3)}\n"
            f"near zero (|w| < {ZERO:g}): L1 {zeros['L1']}, L2 {zeros['L2']}")
        self.rules_label.setText(self._rules_text(s, shown))

    @staticmethod
    def _rules_text(s, shown: dict[str, float]) -> str:
        k = s.l_eta * s.l_lambda / s.l_n
        w1, w2 = shown["L1"], shown["L2"]
        sg = int(np.sign(w1))
        return (f"ηλ/n = {fmt(s.l_eta)} × {fmt(s.l_lambda)} / {s.l_n} = {k:.6g}; one weight "
                f"w (pixel 27 → hidden 1), the step before the data term − η ∂C₀/∂w:\n"
                f"L1: w → w − (ηλ/n)·sgn(w) = {w1:.5f} − {k:.6g} × ({sg:+d}) = "
                f"{w1 - k * sg:.5f}   (a constant step towards 0)\n"
                f"L2: w → (1 − ηλ/n)·w = {1 - k:.6g} × {w2:.5f} = {(1 - k) * w2:.5f}   "
                f"(a step in proportion to w)\n{NOTES_MISPRINT}")
