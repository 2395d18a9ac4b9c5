"""The Training lab's batch-normalisation group: a switch per hidden layer and, for one
chosen neuron, its weighted inputs on a mini-batch before normalisation (z) and after
(y = gamma x_hat + beta) as histograms, with mu_B, sigma_B, gamma and beta written out."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nnviz.engine.core.naming import fmt
from nnviz.engine.core.network import forward
from nnviz.views.axes import style_axes
from nnviz.views.layouts import nest

#: the sample shown: this many training samples drawn at random from the whole training
#: set (a fixed draw, the same every epoch, so the histogram of z moves only as the layers
#: below learn; the first samples of a set sorted by class would show one class only)
BATCH = 200


def sample_rows(n: int, size: int = BATCH) -> np.ndarray:
    """Indices of ``min(size, n)`` of ``n`` rows drawn at random, in order (a fixed draw)."""
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(0).choice(n, size, replace=False))


class BatchNormBox(QGroupBox):
    """Switches and the one-neuron before/after histograms."""

    def __init__(self, ctl, parent: QWidget | None = None) -> None:
        super().__init__("Batch normalisation", parent)
        self.setObjectName("batch-norm-box")
        self.ctl, self.doc = ctl, ctl.doc
        self.switches: list[QCheckBox] = []
        self.grid = QGridLayout()
        self.layer = QComboBox()
        self.layer.setObjectName("bn-layer")
        self.neuron = QSpinBox()
        self.neuron.setObjectName("bn-neuron")
        self.neuron.setPrefix("neuron ")
        self.plot = pg.PlotWidget()
        self.plot.setObjectName("bn-histograms")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.setFixedHeight(120)
        self.plot.setMinimumWidth(120)
        self.before = pg.BarGraphItem(x0=[], width=[], height=[], brush="#0072B2")
        self.after = pg.BarGraphItem(x0=[], width=[], height=[], brush=(230, 159, 0, 170))
        self.plot.addItem(self.before)
        self.plot.addItem(self.after)
        self.plot.getAxis("left").hide()
        self.numbers = QLabel()
        self.numbers.setObjectName("bn-numbers")
        self.numbers.setWordWrap(True)
        pick = QGridLayout()
        pick.addWidget(self.layer, 0, 0)
        pick.addWidget(self.neuron, 0, 1)
        lay = QVBoxLayout(self)
        nest(lay, self.grid)
        nest(lay, pick)
        lay.addWidget(self.plot)
        lay.addWidget(self.numbers)
        self._empty = False   # the histograms show nothing (no layer normalised)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.refresh)
        self.layer.activated.connect(lambda _i: self.refresh())
        self.neuron.valueChanged.connect(lambda _v: self.refresh())
        self.doc.structure_changed.connect(self.sync)     # the switches: the shape
        self.doc.network_changed.connect(self.schedule)   # the histograms: every change
        ctl.trained.connect(self.schedule)
        ctl.data_changed.connect(self.schedule)
        self.sync()

    # ------------------------------------------------------------ switches
    def sync(self) -> None:
        """One switch per hidden layer, ticked where the network normalises."""
        net = self.doc.network
        hidden = net.n_layers - 1 if net is not None else 0
        while len(self.switches) > hidden:
            self.switches.pop().deleteLater()
        while len(self.switches) < hidden:
            i = len(self.switches)
            box = QCheckBox(f"hidden {i + 1}")
            box.setObjectName(f"bn-switch-{i + 1}")
            box.toggled.connect(lambda on, l=i: self._switch(l, on))
            self.grid.addWidget(box, i // 2, i % 2)
            self.switches.append(box)
        current = self.layer.currentData()
        with QSignalBlocker(self.layer):
            self.layer.clear()
            for i, box in enumerate(self.switches):
                on = net.norms[i] is not None
                with QSignalBlocker(box):
                    box.setChecked(on)
                if on:
                    self.layer.addItem(f"hidden {i + 1}", i)
            self.layer.setCurrentIndex(max(0, self.layer.findData(current)))
        self.schedule()

    def _switch(self, layer: int, on: bool) -> None:
        try:
            self.ctl.edits.set_batch_norm(layer, on)
        except ValueError as e:
            self.doc.message.emit(str(e))
            self.sync()

    # ------------------------------------------------------------ histograms
    def schedule(self) -> None:
        if self.isVisible() and not self._timer.isActive():
            self._timer.start()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.refresh()

    def neuron_values(self) -> tuple[np.ndarray, np.ndarray, dict[str, float]] | None:
        """(z before, y after, numbers) of the chosen neuron on the shown mini-batch."""
        net, x = self.doc.network, self.ctl.net_data.x_train
        l = self.layer.currentData()
        if net is None or l is None or len(x) < 2 or net.norms[l] is None:
            return None   # (before drawing the rows: five times a second while training)
        x = x[sample_rows(len(x))]
        self.neuron.setMaximum(net.sizes[l + 1] - 1)
        j = min(self.neuron.value(), net.sizes[l + 1] - 1)
        with np.errstate(all="ignore"):
            fwd = forward(net.copy(), x, training=True)  # batch statistics; copy: no update
        z, y = fwd.pre_norm[l][:, j], fwd.zs[l][:, j]
        c, bn = fwd.norm_caches[l], net.norms[l]
        return z, y, {"mu": float(c.mu[j]), "sigma": float(np.sqrt(c.var[j])),
                      "gamma": float(bn.gamma[j]), "beta": float(bn.beta[j])}

    def refresh(self) -> None:
        got = self.neuron_values()
        if got is None:
            if self._empty:   # nothing to draw again (the plot repainted at every refresh)
                return
            self._empty = True
            for item in (self.before, self.after):
                item.setOpts(x0=[], width=[], height=[])
            self.plot.hide()   # no empty axes (on a projector they had not one number)
            self.numbers.setText("Tick a hidden layer to normalise its weighted inputs.")
            return
        self._empty = False
        self.plot.show()
        z, y, n = got
        both = np.concatenate([z, y])
        both = both[np.isfinite(both)]
        lo, hi = (float(both.min()), float(both.max())) if both.size else (-1.0, 1.0)
        if hi - lo < 1e-9:
            lo, hi = lo - 1, hi + 1
        edges = np.linspace(lo, hi, 31)
        for item, v in ((self.before, z), (self.after, y)):
            counts = np.histogram(v[np.isfinite(v)], bins=edges)[0]
            item.setOpts(x0=edges[:-1], width=np.diff(edges), height=counts)
        total = len(self.ctl.net_data.x_train)
        shown = min(BATCH, total)
        which = (f"all {total} training samples" if shown == total else
                 f"{shown} of the {total} training samples, drawn at random from the whole "
                 "set (the same ones every epoch)")
        self.numbers.setText(
            f"blue: z on {which}; orange: γ·x^ + β.  μ_B = {fmt(round(n['mu'], 4))}, "
            f"σ_B = {fmt(round(n['sigma'], 4))}, γ = {fmt(round(n['gamma'], 4))}, "
            f"β = {fmt(round(n['beta'], 4))}")

    def apply_style(self, style) -> None:
        self.plot.setBackground(style.background)
        self.plot.setFixedHeight(int(120 * style.scale))
        # ticks in the charts' type (in the application's, on a projector the axis had
        # no room for them when it was first drawn: an axis without a number)
        style_axes(self.plot, style, names=("bottom",))
