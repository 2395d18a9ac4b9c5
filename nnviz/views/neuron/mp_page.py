"""McCulloch–Pitts page: excitatory/inhibitory inputs, threshold theta, live truth table."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.neuron import NeuronController
from nnviz.engine.neuron import MP_PRESETS
from nnviz.views.neuron.widgets import rgba
from nnviz.views.style import Style, current_style

RULE = ("<p><b>McCulloch–Pitts unit</b> (1943, notes 003). The inputs x<sub>i</sub> are "
        "0 or 1; each is <i>excitatory</i> or <i>inhibitory</i>.</p>"
        "<p>g(x) = x<sub>1</sub> + … + x<sub>n</sub></p>"
        "<p>y = 0 if any inhibitory input is 1;<br>otherwise y = 1 if g(x) ≥ θ, "
        "else 0.</p><p>θ is the threshold: it is set by hand, not learned.</p>")


class MPPage(QWidget):
    """Controls on the left, the truth table on the right."""

    def __init__(self, ctl: NeuronController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.style_ = current_style()
        box = QGroupBox("MP neuron")
        form = QFormLayout(box)
        self.preset = QComboBox()
        self.preset.addItems([*MP_PRESETS, "custom"])
        self.preset.textActivated.connect(
            lambda t: self.ctl.set_mp_preset(t) if t in MP_PRESETS else None)
        self.n_inputs = QSpinBox()
        self.n_inputs.setRange(1, 4)
        self.n_inputs.valueChanged.connect(self.ctl.set_mp_inputs)
        self.theta = QSpinBox()
        self.theta.setRange(0, 4)
        self.theta.valueChanged.connect(self.ctl.set_mp_theta)
        form.addRow("Preset", self.preset)
        form.addRow("Inputs", self.n_inputs)
        form.addRow("Threshold θ", self.theta)
        self.inhibitory = []
        for i in range(4):
            cb = QCheckBox(f"x{i + 1} inhibitory")
            cb.toggled.connect(lambda on, i=i: self.ctl.set_mp_inhibitory(i, on))
            form.addRow(cb)
            self.inhibitory.append(cb)
        self.rule = QLabel(RULE)
        self.rule.setWordWrap(True)
        left = QVBoxLayout()
        left.addWidget(box)
        left.addWidget(self.rule)
        left.addStretch(1)
        self.table = QTableWidget()
        self.table.setObjectName("mp-table")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        right = QVBoxLayout()
        right.addWidget(self.table, 1)
        right.addWidget(self.summary)
        lay = QHBoxLayout(self)
        lay.addLayout(left, 2)
        lay.addLayout(right, 3)
        ctl.mp_changed.connect(self._on_mp_changed)
        self._on_mp_changed()

    def _on_mp_changed(self) -> None:
        unit = self.ctl.mp
        with QSignalBlocker(self.preset):
            self.preset.setCurrentText(self.ctl.mp_preset)
        with QSignalBlocker(self.n_inputs):
            self.n_inputs.setValue(unit.n)
        with QSignalBlocker(self.theta):
            self.theta.setValue(unit.theta)
        for i, cb in enumerate(self.inhibitory):
            cb.setVisible(i < unit.n)
            with QSignalBlocker(cb):
                cb.setChecked(i < unit.n and unit.inhibitory[i])
        t = self.ctl.mp_table()
        heads = [f"x{i + 1}" + (" (inh)" if unit.inhibitory[i] else "") for i in range(unit.n)]
        self.table.setColumnCount(unit.n + 3)
        self.table.setRowCount(len(t.y))
        self.table.setHorizontalHeaderLabels([*heads, "g(x) = Σ xᵢ", "inhibited?", "y"])
        on = pg.mkColor(rgba(self.style_.positive, 70))
        for r in range(len(t.y)):
            vals = [*(str(v) for v in t.inputs[r]), str(t.g[r]),
                    "yes" if t.inhibited[r] else "no", str(t.y[r])]
            for col, text in enumerate(vals):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if t.y[r] == 1:
                    item.setBackground(on)
                self.table.setItem(r, col, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        ones = [("".join(str(v) for v in row)) for row, y in zip(t.inputs, t.y) if y]
        self.summary.setText(f"θ = {unit.theta}: y = 1 for inputs "
                             f"{', '.join(ones) if ones else '(none)'}.")

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        self._on_mp_changed()
