"""Dropout as an ensemble (notes 002): a network trained with dropout, several thinned
networks drawn from it (each drops its own half of the hidden neurons) and their average
next to the full network — on the whole test set and on one test digit."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QSpinBox, QWidget

from nnviz.views.general.common import COLOURS, Page, make_plot, pen
from nnviz.views.general.data_pages import image_plot, int_box
from nnviz.views.widgets import spin_box


class DropoutPage(Page):
    page = "dropout"

    def __init__(self, ctl, parent: QWidget | None = None) -> None:
        super().__init__(ctl, parent)
        self.p = spin_box(0.0, 0.9, 2, 0.05)
        self.members = int_box(1, 30)
        self.epochs = int_box(1, 200)
        self.digit = QSpinBox()
        self.digit.setRange(0, 499)
        self.digit.setObjectName("general-dropout-digit")
        self.form.addRow("dropout p", self.p)
        self.form.addRow("thinned nets", self.members)
        self.form.addRow("epochs", self.epochs)
        self.form.addRow("test digit #", self.digit)
        self.p.valueChanged.connect(lambda v: ctl.set(p=v))
        self.members.valueChanged.connect(lambda v: ctl.set(members=v))
        self.epochs.valueChanged.connect(lambda v: ctl.set(d_epochs=v))
        self.digit.valueChanged.connect(lambda _v: self.refresh())
        self.add_run_button()
        self.disputed = self.button("Next disputed digit", self._next_disputed,
                                    "general-dropout-disputed")
        self.disputed.setToolTip("The next test digit on which the thinned networks do not "
                                 "all vote for the same class")
        self.numbers = self.note(name="general-dropout-numbers")
        self.explain("Inverted dropout",
                     "Inverted dropout: in training the kept neurons are scaled up by "
                     "1 / (1 − p), so the full network is used unchanged afterwards. The "
                     "notes halve the outgoing weights instead (p = ½): the same expected "
                     "input.")
        self.finish_panel()
        self.acc = self.add_plot(make_plot("network"), "test accuracy", 0, 0, 1, 2)
        self.acc_bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        self.acc.addItem(self.acc_bars)
        self.votes = self.add_plot(make_plot("class"), "", 1, 0)
        self.pic, self.pic_item = image_plot()
        self.add_plot(self.pic, "the digit", 1, 1)
        self.grid.setColumnStretch(0, 4)
        self.grid.setColumnStretch(1, 1)

    def refresh(self) -> None:
        s = self.ctl.setup
        for w, v in ((self.p, s.p), (self.members, s.members), (self.epochs, s.d_epochs)):
            with QSignalBlocker(w):
                w.setValue(v)
        ens = self.ctl.result(self.page)
        if ens is None or ens.thinned is None:
            self.acc_bars.setOpts(x=[], height=[])
            self.votes.clear()
            self.pic_item.clear()
            self._axes(s.members)   # the bars' and classes' places, not "0.1 … 0.9"
            self.acc.setYRange(0, 1.0, padding=0)
            self.numbers.setText(f"press ▶ Train: 64-60-10 with dropout p = {s.p:g}, then "
                                 f"{s.members} thinned networks"
                                 if ens is None else f"epoch {ens.epochs + 1} …")
            return
        accs = ens.thinned_accuracies()
        full, avg = ens.accuracy_of(ens.full), ens.accuracy_of(ens.average)
        m = len(accs)
        heights = accs + [avg, full]
        brushes = [COLOURS["fit"]] * m + [COLOURS["mean"], COLOURS["b"]]
        self.acc_bars.setOpts(x=np.arange(m + 2), height=heights, brushes=brushes, pen=None)
        self._axes(m)
        self.acc.setYRange(min(heights) - 0.05, 1.0, padding=0)
        self.set_title(self.acc, f"test accuracy after {ens.epochs} epochs: {m} thinned "
                                 f"networks (grey), their average (orange), the full network "
                                 f"(blue)")
        self.numbers.setText(f"thinned: {min(accs):.3f} to {max(accs):.3f}\n"
                             f"average of {m}: {avg:.3f}\nfull network: {full:.3f}")
        self._draw_digit(ens, self.digit.value())

    def _axes(self, m: int) -> None:
        """The accuracy bars' x axis: m thinned networks, their average, the full one; the
        votes' axes: the ten classes, probabilities 0 to 1 (before training too, where the empty plots read
        "network 0.1 … 0.9" and "class 0.2 … 0.8")."""
        ax = self.acc.getAxis("bottom")
        ax.setTicks([[(i, str(i + 1)) for i in range(m)] + [(m, "avg"), (m + 1, "full")]])
        self.acc.setXRange(-0.6, m + 1.6, padding=0)
        self.votes.getAxis("bottom").setTicks([[(c, str(c)) for c in range(10)]])
        self.votes.setXRange(-0.5, 9.5, padding=0)
        self.votes.setYRange(0, 1, padding=0.02)

    def _next_disputed(self) -> None:
        ens = self.ctl.result(self.page)
        if ens is None or ens.thinned is None:
            return
        votes = np.argmax(ens.thinned, axis=2)                      # (m, N)
        split = np.flatnonzero((votes != votes[0]).any(axis=0))
        if len(split):
            later = split[split > self.digit.value()]
            self.digit.setValue(int(later[0] if len(later) else split[0]))

    def _draw_digit(self, ens, i: int) -> None:
        v = self.votes
        v.clear()
        sc = self.style_.scale
        label = int(ens.test_labels[i])
        for t in ens.thinned:
            v.plot(np.arange(10), t[i], pen=None, symbol="o", symbolSize=6 * sc,
                   symbolBrush=COLOURS["fit"], symbolPen=None)
        v.plot(np.arange(10), ens.average[i], pen=pen(COLOURS["mean"], 2.5))
        v.plot(np.arange(10), ens.full[i], pen=pen(COLOURS["b"], 2.0, dash=True))
        votes = np.bincount(np.argmax(ens.thinned[:, i], axis=1), minlength=10)
        self.set_title(v, f"digit #{i} (a {label}): each thinned net's outputs (grey dots), "
                          f"average (orange), full (blue dashed); votes for {label}: "
                          f"{votes[label]} of {len(ens.thinned)}")
        self.pic_item.setImage(ens.test_x[i].reshape(8, 8), levels=(0, 1))
