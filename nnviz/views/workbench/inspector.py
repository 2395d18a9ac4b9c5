"""The inspector: the selected neuron's or weight's values, and editing of the weight
or bias by spin box and slider (every edit goes through the document, undoably)."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.workbench.stepper import StepController
from nnviz.engine.core.naming import fmt
from nnviz.views.items.math_text import math_html
from nnviz.views.layouts import nest
from nnviz.views.safe_text import plain_label
from nnviz.views.style import Style, current_style
from nnviz.views.widgets import spin_box

SLIDER_RANGE = 5.0     # the slider covers [-5, 5]; the spin box any finite value
SLIDER_STEPS = 1000


class Inspector(QWidget):
    """Values of the selection; weight/bias editor."""

    selection_changed = Signal()

    def __init__(self, stepper: StepController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stepper = stepper
        self.doc = stepper.doc
        self.selection: tuple | None = None   # ("neuron", layer, j) | ("edge", l, j, k)
        self.title = QLabel("Click a neuron or an edge in the graph.")
        self.title.setTextFormat(Qt.TextFormat.RichText)  # names inside are escaped
        self.title.setWordWrap(True)
        self.values = QLabel()
        self.values.setObjectName("inspector-values")
        self.values.setTextFormat(Qt.TextFormat.RichText)
        self.values.setWordWrap(True)
        self.edit_label = plain_label(QLabel(""))
        self.spin = spin_box(-1e6, 1e6, 9, 0.01)
        self.spin.setObjectName("inspector-spin")
        self.spin.setToolTip("Type a value and press Enter, or use the arrows (undoable)")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("inspector-slider")
        self.slider.setRange(-SLIDER_STEPS, SLIDER_STEPS)
        self.slider.setToolTip(f"Drag to change the value in [-{SLIDER_RANGE:g}, {SLIDER_RANGE:g}]")
        form = QFormLayout()
        form.addRow(self.edit_label, self.spin)
        form.addRow("", self.slider)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.values)
        nest(lay, form)
        lay.addStretch(1)
        self.spin.valueChanged.connect(self._on_spin)
        self.slider.valueChanged.connect(self._on_slider)
        self.style_ = current_style()
        self.refresh()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(360, 150)

    def select(self, selection: tuple | None) -> None:
        self.selection = selection
        self.refresh()
        self.selection_changed.emit()

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        for w in (self.title, self.values, self.edit_label, self.spin):
            f = w.font()
            f.setPointSizeF(style.pt(10.5))
            w.setFont(f)
        self.refresh()

    # ------------------------------------------------------------ reading
    def _target(self) -> tuple[str, int, int, int] | None:
        """What the editor changes: ("w", l, j, k) or ("b", l, j, 0)."""
        sel, net = self.selection, self.doc.network
        if sel is None or net is None:
            return None
        if sel[0] == "edge":
            return ("w", *sel[1:])
        layer, j = sel[1], sel[2]
        if layer >= 1 and net.use_bias[layer - 1]:
            return ("b", layer - 1, j, 0)
        return None

    def _valid(self) -> bool:
        sel, net = self.selection, self.doc.network
        if sel is None or net is None:
            return False
        sizes = net.sizes
        if sel[0] == "edge":
            l, j, k = sel[1:]
            return l < net.n_layers and j < sizes[l + 1] and k < sizes[l]
        return sel[1] < len(sizes) and sel[2] < sizes[sel[1]]

    def refresh(self) -> None:
        if not self._valid():
            self.selection = None
        st, tr = self.stepper.state(), self.stepper.trace
        nm = self.doc.naming
        sel = self.selection
        rows: list[tuple[str, str]] = []
        if sel is None or st is None or nm is None:
            self.title.setText("Click a neuron or an edge in the graph.")
        elif sel[0] == "neuron":
            layer, j = sel[1], sel[2]
            self.title.setText(f"<b>Neuron {math_html(nm.label(layer, j))}</b> (layer {layer})")
            if layer == 0:
                rows.append((nm.out(0, j), fmt(tr.x[j])))
            else:
                l = layer - 1
                rows.append((nm.net(layer, j), fmt(st.net[l][j]) if st.net_known[l][j] else "—"))
                rows.append((nm.out(layer, j), fmt(st.out[layer][j])
                             if st.out_known[layer][j] else "—"))
                rows.append((nm.delta(layer, j), fmt(st.delta[l][j])
                             if st.delta_known[l][j] else "—"))
                if self.doc.network.use_bias[l]:
                    rows.append((nm.bias(l, j), fmt(st.biases[l][j])))
                if layer == len(st.out) - 1:
                    rows.append((nm.target(j), fmt(tr.y[j])))
        else:
            l, j, k = sel[1:]
            self.title.setText(f"<b>Weight {math_html(nm.weight(l, j, k))}</b>: "
                               f"{math_html(nm.label(l, k))} → {math_html(nm.label(l + 1, j))}")
            rows.append((nm.weight(l, j, k), fmt(st.weights[l][j, k])))
            rows.append((f"∂{nm.total_error}/∂{nm.weight(l, j, k)}",
                         fmt(st.dw[l][j, k]) if st.dw_known[l][j, k] else "—"))
        self.values.setText("<table>" + "".join(
            f"<tr><td>{math_html(a)}</td><td>&nbsp;=&nbsp;</td><td><b>{math_html(b)}</b></td></tr>"
            for a, b in rows)
            + "</table>")
        tgt = self._target()
        for w in (self.spin, self.slider, self.edit_label):
            w.setEnabled(tgt is not None)
        if tgt is None:
            self.edit_label.setText("")
            return
        kind, l, j, k = tgt
        net = self.doc.network
        value = net.weights[l][j, k] if kind == "w" else net.biases[l][j]
        self.edit_label.setText(nm.weight(l, j, k) if kind == "w" else nm.bias(l, j))
        with QSignalBlocker(self.spin):
            self.spin.setValue(float(value))
        with QSignalBlocker(self.slider):
            self.slider.setValue(int(round(max(-1, min(1, value / SLIDER_RANGE)) * SLIDER_STEPS)))

    # ------------------------------------------------------------ editing
    def _set(self, value: float, merge: bool) -> None:
        tgt = self._target()
        if tgt is None:
            return
        kind, l, j, k = tgt
        try:
            if kind == "w":
                self.doc.set_weight(l, j, k, value, merge=merge)
            else:
                self.doc.set_bias(l, j, value, merge=merge)
        except ValueError as e:
            self.doc.message.emit(str(e))

    def _on_spin(self, value: float) -> None:
        self._set(value, merge=False)

    def _on_slider(self, pos: int) -> None:
        self._set(pos / SLIDER_STEPS * SLIDER_RANGE, merge=True)

    def nudge(self, l: int, j: int, k: int, delta: float) -> None:
        """Change weight (l, j, k) by ``delta`` (a drag or Shift+wheel on its edge)."""
        self.select(("edge", l, j, k))
        self._set(float(self.doc.network.weights[l][j, k]) + delta, merge=True)
