"""The Training lab's optimiser group: the optimiser and its settings with its update
rule, the learning-rate schedule with the rate in use now, and early stopping (the best
test epoch and a button to go back to it). Self-contained: it reads and writes
``doc.config`` and asks the training controller for the current rate and best epoch."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nnviz.engine.core.naming import fmt
from nnviz.engine.learning.optimisers import OPTIMISERS
from nnviz.engine.learning.schedules import EVERY_RANGE, GAMMA_RANGE, K_RANGE, PATIENCE_RANGE, SCHEDULES
from nnviz.views.fit import formula_breaks
from nnviz.views.items.math_text import math_plain
from nnviz.views.label_host import LabelHost
from nnviz.views.layouts import nest
from nnviz.views.widgets import spin_box

#: the settings with a number box (epsilon has a list of powers of ten instead)
SPIN_HYPERS = ("momentum", "rho", "beta1", "beta2")
EPSILONS = (1e-10, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2)


class OptimiserBox(QGroupBox):
    """Optimiser, schedule and early stopping of the Training lab."""

    def __init__(self, ctl, parent: QWidget | None = None) -> None:
        super().__init__("Optimiser", parent)
        self.setObjectName("optimiser-box")
        self.ctl, self.doc = ctl, ctl.doc
        self.optimiser = QComboBox()
        self.optimiser.setObjectName("optimiser")
        for name, cls in OPTIMISERS.items():
            self.optimiser.addItem(cls.label, name)
        self.formula = QLabel()
        self.formula.setObjectName("optimiser-formula")
        self.formula.setWordWrap(True)
        form = self.form = QFormLayout()
        self._build_optimiser_rows(form)
        self._build_schedule_rows(form)
        lay = QVBoxLayout(self)
        nest(lay, form)
        self.optimiser.activated.connect(lambda i: self._choose(self.optimiser.itemData(i)))
        self.schedule.activated.connect(
            lambda i: self._config(schedule=self.schedule.itemData(i)))
        self.gamma.valueChanged.connect(lambda v: self._config(lr_gamma=v))
        self.every.valueChanged.connect(lambda v: self._config(lr_every=v))
        self.k.valueChanged.connect(lambda v: self._config(lr_k=v))
        self.patience.valueChanged.connect(lambda v: self._config(patience=v))
        self.restore.clicked.connect(ctl.early.restore_best)
        self.doc.settings_changed.connect(self.sync)
        ctl.trained.connect(self.refresh)
        self.marker = None
        self.sync()

    def _build_optimiser_rows(self, form: QFormLayout) -> None:
        """The optimiser, its update rule, a spin box per hyper-parameter and ε."""
        form.addRow(self.optimiser)
        form.addRow(self.formula)
        self.spins: dict[str, object] = {}
        hypers = {h.key: h for c in OPTIMISERS.values() for h in c.hypers}
        for key in SPIN_HYPERS:
            h = hypers[key]
            spin = spin_box(h.lo, 0.9999 if h.hi_open else h.hi, 4, 0.01)
            spin.setObjectName(f"hyper-{key}")
            spin.setToolTip(h.text)
            spin.valueChanged.connect(lambda v, k=key: self._hyper(k, v))
            form.addRow(h.symbol, spin)
            self.spins[key] = spin
        self.eps = QComboBox()
        self.eps.setObjectName("hyper-eps")
        for e in EPSILONS:
            self.eps.addItem(f"{e:g}", e)
        self.eps.activated.connect(lambda i: self._hyper("eps", self.eps.itemData(i)))
        form.addRow("ε", self.eps)

    def _build_schedule_rows(self, form: QFormLayout) -> None:
        """The learning-rate schedule (γ, every s, k, the rate now) and early stopping."""
        self.schedule = QComboBox()
        self.schedule.setObjectName("schedule")
        for name, s in SCHEDULES.items():
            self.schedule.addItem(s.label, name)
        self.gamma = spin_box(GAMMA_RANGE[0], GAMMA_RANGE[1], 4, 0.05)
        self.every = QSpinBox()
        self.every.setRange(*EVERY_RANGE)
        self.every.setKeyboardTracking(False)
        self.k = spin_box(K_RANGE[0], K_RANGE[1], 4, 0.01)
        self.rate = QLabel()
        self.rate.setObjectName("rate-now")
        self.rate.setWordWrap(True)
        self.patience = QSpinBox()
        self.patience.setObjectName("patience")
        self.patience.setRange(*PATIENCE_RANGE)
        self.patience.setSpecialValueText("off")
        self.patience.setSuffix(" epochs")
        self.patience.setKeyboardTracking(False)
        self.patience.setToolTip("pause when the test loss has not improved for this many epochs")
        self.best = QLabel()
        self.best.setObjectName("best-epoch")
        self.best.setWordWrap(True)
        self.restore = QPushButton("Restore best")
        self.restore.setObjectName("restore-best")
        self.restore.setToolTip("Put back the weights of the epoch with the lowest test loss")
        form.addRow("schedule", self.schedule)
        form.addRow("γ", self.gamma)
        form.addRow("every s", self.every)
        form.addRow("k", self.k)
        # the rate and the best epoch change at every frame while training runs: in hosts,
        # so that does not lay out the side panel again each time (label_host.py)
        self.rate_host, self.best_host = LabelHost(self.rate), LabelHost(self.best)
        form.addRow(self.rate_host)
        form.addRow("early stop", self.patience)
        form.addRow(self.best_host)
        form.addRow(self.restore)

    def attach_marker(self, plot) -> None:
        """Mark the best test epoch on ``plot`` (the lab's loss chart) with a dashed line."""
        self.marker = pg.InfiniteLine(angle=90, movable=False,
                                      pen=pg.mkPen("#009E73", width=2, style=Qt.PenStyle.DashLine),
                                      label="best", labelOpts={"position": 0.9,
                                                               "color": "#009E73"})
        self.marker.hide()
        if hasattr(plot, "name_item"):   # the chart's lettering (restyled with it)
            self.marker.label.setFont(plot.name_item.textItem.font())
        plot.addItem(self.marker)
        self.refresh()

    # ------------------------------------------------------------ edits
    def _config(self, **changes) -> None:
        try:
            self.doc.set_config(**changes)
        except ValueError as e:
            self.doc.message.emit(str(e))
            self.sync()

    def _choose(self, name: str) -> None:
        """Momentum and Nesterov need a momentum (0.9 if it was 0); SGD means none."""
        c = self.doc.config
        mu = c.momentum
        if name in ("momentum", "nesterov") and mu == 0:
            mu = 0.9
        elif name == "sgd":
            mu = 0.0
        self._config(optimiser=name, momentum=mu)

    def _hyper(self, key: str, value: float) -> None:
        if key == "momentum":
            self._config(momentum=value)
            return
        hyper = dict(self.doc.config.hyper)
        hyper[key] = float(value)
        self._config(hyper=tuple(sorted(hyper.items())))

    # ------------------------------------------------------------ display
    def sync(self) -> None:
        """Show ``doc.config``: the optimiser in effect, its settings, the schedule."""
        c = self.doc.config
        name, hyper = c.optimiser_spec()
        cls = OPTIMISERS[name]
        with QSignalBlocker(self.optimiser):
            self.optimiser.setCurrentIndex(self.optimiser.findData(name))
        self.formula.setText(formula_breaks(math_plain(cls.formula), at_equals=False))
        own = {h.key: h for h in cls.hypers}
        for key, spin in self.spins.items():
            self._show_row(spin, key in own)
            if key in own:
                with QSignalBlocker(spin):
                    spin.setValue(hyper[key] if key in hyper else own[key].default)
        self._show_row(self.eps, "eps" in own)
        if "eps" in own:
            eps = hyper.get("eps", own["eps"].default)
            if self.eps.findData(eps) < 0:
                self.eps.addItem(f"{eps:g}", eps)
            with QSignalBlocker(self.eps):
                self.eps.setCurrentIndex(self.eps.findData(eps))
        with QSignalBlocker(self.schedule):
            self.schedule.setCurrentIndex(self.schedule.findData(c.schedule))
        uses = SCHEDULES[c.schedule].uses
        for w, key, value in ((self.gamma, "gamma", c.lr_gamma), (self.every, "every", c.lr_every),
                              (self.k, "k", c.lr_k), (self.patience, "", c.patience)):
            if key:
                self._show_row(w, key in uses)
            with QSignalBlocker(w):
                w.setValue(value)
        self.refresh()

    def _show_row(self, field: QWidget, shown: bool) -> None:
        self.form.setRowVisible(field, shown)

    def refresh(self) -> None:
        """The rate in use now and the best test epoch (after every training slice)."""
        ctl = self.ctl
        formula = math_plain(SCHEDULES[self.doc.config.schedule].formula)
        self.rate_host.set_text(f"{formula}: η now = {fmt(ctl.current_rate())} (epoch {ctl.epoch})")
        best = ctl.early.best_epoch()
        if best is None:
            self.best_host.set_text("best test epoch: none yet")
        else:
            self.best_host.set_text(
                f"best test epoch: {best} (test loss {fmt(ctl.early.record.best_loss)})")
        self.restore.setEnabled(best is not None and best != ctl.epoch)
        if self.marker is not None:
            self.marker.setVisible(best is not None)
            if best is not None:
                self.marker.setValue(best)
