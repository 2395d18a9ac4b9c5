"""McCulloch–Pitts page: excitatory/inhibitory inputs, threshold theta, live truth table."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSignalBlocker, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGraphicsEllipseItem,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.neuron.controller import NeuronController
from nnviz.engine.labs.neuron import MP_PRESETS
from nnviz.views.cells import set_cell
from nnviz.views.layouts import nest
from nnviz.views.neuron.widgets import rgba
from nnviz.views.style import Style, current_style

UNIT_R = 0.7          # radius of the unit in the diagram (data units): room for "g = … θ = …"
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
        left = self._build_form()
        right = self._build_table_and_diagram()
        lay = QHBoxLayout(self)
        nest(lay, left, 2)
        nest(lay, right, 3)
        ctl.mp_changed.connect(self._on_mp_changed)
        self._on_mp_changed()

    def _build_form(self) -> QVBoxLayout:
        """The unit's preset, inputs, threshold and inhibitory inputs, and the rule."""
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
        return left

    def _build_table_and_diagram(self) -> QVBoxLayout:
        """The truth table, and the unit drawn computing the selected row."""
        self.table = QTableWidget()
        self.table.setObjectName("mp-table")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.currentCellChanged.connect(lambda r, *_: self._draw_unit())
        # the row the diagram computes stands out, with the focus or without it (only the
        # y = 1 rows' tint showed: at step 3 the diagram computed x1 = 1, the tinted row
        # was x1 = 0)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setHighlightSections(False)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self._build_diagram()
        self.labels: list[pg.TextItem] = []
        right = QVBoxLayout()
        right.addWidget(self.table)
        right.addWidget(QLabel("Select a row to see the unit compute it:"))
        right.addWidget(self.diagram, 1)
        right.addWidget(self.summary)
        return right

    def _build_diagram(self) -> None:
        self.diagram = pg.PlotWidget()
        self.diagram.setObjectName("mp-diagram")
        d = self.diagram.getPlotItem()
        d.hideAxis("left")
        d.hideAxis("bottom")
        d.setMenuEnabled(False)
        d.hideButtons()
        d.vb.setMouseEnabled(False, False)
        self.wires = pg.PlotDataItem(connect="pairs")
        self.inh_wires = pg.PlotDataItem(connect="pairs")
        self.nodes = pg.ScatterPlotItem()
        self.bubbles = pg.ScatterPlotItem(symbol="o")
        d.setAspectLocked(True)
        r = UNIT_R
        self.unit_item = QGraphicsEllipseItem(QRectF(2.0 - r, -r, 2 * r, 2 * r))
        for it in (self.wires, self.inh_wires, self.unit_item, self.nodes, self.bubbles):
            d.addItem(it)

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
                set_cell(self.table, r, col, text, align=Qt.AlignmentFlag.AlignCenter,
                         background=on if t.y[r] == 1 else None)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setFont(self.table.font())  # readable from the back too
        for col in (unit.n, unit.n + 1):   # the widest headings whole
            self.table.horizontalHeader().setSectionResizeMode(
                col, QHeaderView.ResizeMode.ResizeToContents)
        rowh = self.table.fontMetrics().height() + 8
        self.table.verticalHeader().setDefaultSectionSize(rowh)
        self.table.setFixedHeight(min(8, len(t.y)) * rowh
                                  + self.table.horizontalHeader().sizeHint().height() + 4)
        if self.table.currentRow() < 0 or self.table.currentRow() >= len(t.y):
            with QSignalBlocker(self.table):
                self.table.setCurrentCell(len(t.y) - 1, 0)
        self.table.selectRow(self.table.currentRow())
        self._draw_unit()
        ones = [("".join(str(v) for v in row)) for row, y in zip(t.inputs, t.y) if y]
        self.summary.setText(f"θ = {unit.theta}: y = 1 for inputs "
                             f"{', '.join(ones) if ones else '(none)'}.")

    def _draw_unit(self) -> None:
        """The unit as a diagram for the selected row: inputs, wires, sum and threshold."""
        unit, st = self.ctl.mp, self.style_
        t = self.ctl.mp_table()
        r = min(max(self.table.currentRow(), 0), len(t.y) - 1)
        x, n = t.inputs[r], unit.n
        ys = [(n - 1) / 2 - i for i in range(n)]
        wires, inh, ends = [], [], []
        for i, yi in enumerate(ys):
            d = np.array([2.0, -yi]) / np.hypot(2.0, yi)    # from the input towards the unit
            end = np.array([2.0, 0.0]) - UNIT_R * d          # stop at the unit's rim
            ends.append(end)
            (inh if unit.inhibitory[i] else wires).extend([(0.0, yi), tuple(end)])
        wires.extend([(2.0 + UNIT_R, 0.0), (3.6, 0.0)])
        for item, pts, colour in ((self.wires, wires, st.foreground),
                                  (self.inh_wires, inh, st.negative)):
            arr = np.array(pts, dtype=float).reshape(-1, 2)
            item.setData(arr[:, 0], arr[:, 1], connect="pairs",
                         pen=pg.mkPen(colour, width=2.5 * st.scale))
        on, off = pg.mkBrush(st.positive), pg.mkBrush(st.background)
        self.nodes.setData(
            [0.0] * n + [3.6], ys + [0.0], size=[34 * st.scale] * (n + 1),
            brush=[on if v else off for v in x] + [on if t.y[r] else off],
            pen=pg.mkPen(st.foreground, width=2))
        self.unit_item.setBrush(pg.mkBrush(rgba(st.highlight, 80)))
        self.unit_item.setPen(pg.mkPen(st.foreground, width=2))
        # inhibitory inputs end in a small circle at the unit (the classic notation)
        sel = [i for i in range(n) if unit.inhibitory[i]]
        self.bubbles.setData([ends[i][0] for i in sel], [ends[i][1] for i in sel],
                             size=14 * st.scale, brush=pg.mkBrush(st.background),
                             pen=pg.mkPen(st.negative, width=2.5))
        for lab in self.labels:
            self.diagram.removeItem(lab)
        texts = [(f"x{i + 1} = {x[i]}" + (" (inh)" if unit.inhibitory[i] else ""), 0.0, yi,
                  (1, 0.5)) for i, yi in enumerate(ys)]
        texts += [(f"g = {t.g[r]}\nθ = {unit.theta}", 2.0, 0.0, (0.5, 0.5)),
                  (f"y = {t.y[r]}", 3.6, 0.0, (0, 0.5))]
        why = ("an inhibitory input is on, so y = 0" if t.inhibited[r] else
               f"g = {t.g[r]} {'≥' if t.g[r] >= unit.theta else '<'} θ = {unit.theta}")
        texts.append((why, 2.0, -max(1.0, n / 2), (0.5, 0)))
        self.labels = []
        for text, px, py, anchor in texts:
            item = pg.TextItem(text, color=st.foreground, anchor=anchor)
            font = self.font()
            font.setPointSizeF(st.pt(11))
            item.setFont(font)
            item.setPos(px, py)
            self.diagram.addItem(item)
            self.labels.append(item)
        y_range = (-max(1.6, n / 2 + 0.6), n / 2 + 0.2)
        x0, x1, away, units = self._x_range(texts, y_range, 17 * st.scale + 6)
        for item, (_t, px, py, anchor) in zip(self.labels, texts):
            if anchor[0] != 0.5:   # beside a node: its radius and a gap away from it
                item.setPos(px - away if anchor[0] == 1 else px + away, py)
        self._fit_in_unit(self.labels[n], 2 * UNIT_R / units)
        self.diagram.getPlotItem().vb.setRange(xRange=(x0, x1), yRange=y_range, padding=0)

    def _x_range(self, texts, y_range, gap_px: float) -> tuple[float, float, float]:
        """The diagram's x range with room for the input and output texts in their type
        (large in presentation mode; they were cut off at the right edge), and how far in
        x a text beside a node sits from its centre (``gap_px`` pixels: in presentation
        type "x1 = 1" touched its node)."""
        vb = self.diagram.getPlotItem().vb
        vb_w, vb_h = max(100.0, float(vb.width())), max(60.0, float(vb.height()))
        x0, x1, units = -1.6, 4.6, 1.0
        for _ in range(4):   # each widening makes a pixel worth more units: settle it
            units = max((x1 - x0) / vb_w, (y_range[1] - y_range[0]) / vb_h)  # aspect locked
            away = gap_px * units
            left = min((px - away - item.textItem.boundingRect().width() * units - 0.1
                        for item, (_t, px, _py, a) in zip(self.labels, texts) if a[0] == 1),
                       default=x0)
            right = max((px + away + item.textItem.boundingRect().width() * units + 0.1
                         for item, (_t, px, _py, a) in zip(self.labels, texts) if a[0] == 0),
                        default=x1)
            x0, x1 = min(-1.6, left), max(4.6, right)
        return x0, x1, away, units

    def _fit_in_unit(self, item: pg.TextItem, diameter_px: float) -> None:
        """The unit's "g = … / θ = …" inside its circle (at 1024x768 in F5 it spilled
        over the rim, under the inhibitory inputs' rings): smaller type where needed."""
        font = item.textItem.font()
        while font.pointSizeF() > 6:
            r = item.textItem.boundingRect()
            if max(r.width(), r.height()) <= 0.8 * diameter_px:
                break
            font.setPointSizeF(font.pointSizeF() * 0.92)
            item.setFont(font)

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        self.diagram.setBackground(style.background)
        pal = self.table.palette()
        for role in (QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText):
            pal.setColor(QPalette.ColorGroup.Inactive, role,
                         pal.color(QPalette.ColorGroup.Active, role))
        self.table.setPalette(pal)
        self._on_mp_changed()
