"""The network editor: hidden layers and neurons, activations, loss, learning rate,
frozen biases, and the example's inputs and targets. Every change goes through the
document (network changes are undoable); bad entries are refused with a message."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.document import Document
from nnviz.engine.core import edit
from nnviz.engine.core.activations import ACTIVATIONS
from nnviz.engine.core.losses import LOSSES
from nnviz.engine.core.naming import fmt
from nnviz.views.cells import set_cell
from nnviz.views.layouts import nest
from nnviz.views.style import Style

MAX_EXAMPLE_ROWS = 64
MAX_ETA = 1000.0  # larger learning rates only ever blow up; refused with a message


def parse_number(text: str) -> float:
    """A finite number typed by the user, or ValueError with a message."""
    try:
        v = float(text.strip().replace(",", "."))
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if not np.isfinite(v):
        raise ValueError("the value must be a finite number")
    return v


class NetworkEditor(QWidget):
    """Structure, settings and example of the document's network."""

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self._rng: np.random.Generator | None = None
        self.layers = QTableWidget(0, 2)
        self.layers.setObjectName("editor-layers")
        self.layers.setHorizontalHeaderLabels(["Neurons", "Activation"])
        self.layers.horizontalHeader().setStretchLastSection(True)
        self.add_layer = QPushButton("Add hidden layer")
        self.add_layer.setToolTip("Insert a hidden layer of 2 sigmoid neurons below the output")
        self.remove_layer = QPushButton("Remove hidden layer")
        self.remove_layer.setToolTip("Remove the last hidden layer")
        self.loss = QComboBox()
        self.loss.setObjectName("editor-loss")
        for name, loss in LOSSES.items():
            self.loss.addItem(loss.title, name)
        self.eta = QLineEdit()
        self.eta.setObjectName("editor-eta")
        self.eta.setToolTip("Learning rate η (a number ≥ 0); press Enter")
        self.freeze = QCheckBox("Freeze biases (do not update them)")
        self.unshare = QPushButton("Unshare biases")
        self.unshare.setObjectName("editor-unshare-biases")
        self.unshare.setToolTip("Give every neuron its own bias, starting from the shared "
                                "value (undoable); with the biases trained, one step of the "
                                "2-2-2 example gives E_total = 0.280471447")
        self.example = QTableWidget(0, 2)
        self.example.setObjectName("editor-example")
        self.example.setHorizontalHeaderLabels(["Input", "Target"])
        self.message = QLabel()
        self.message.setObjectName("editor-message")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_layer)
        buttons.addWidget(self.remove_layer)
        form = QFormLayout()
        form.addRow("Loss", self.loss)
        form.addRow("Learning rate η", self.eta)
        form.addRow("", self.freeze)
        form.addRow("", self.unshare)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Layers (from the first hidden to the output)"))
        lay.addWidget(self.layers, 2)
        nest(lay, buttons)
        nest(lay, form)
        lay.addWidget(QLabel("Example: inputs and targets"))
        lay.addWidget(self.example, 2)
        lay.addWidget(self.message)
        self.add_layer.clicked.connect(self._on_add_layer)
        self.remove_layer.clicked.connect(self._on_remove_layer)
        self.loss.activated.connect(self._on_loss)
        self.eta.editingFinished.connect(self._on_eta)
        self.freeze.toggled.connect(self._on_freeze)
        self.unshare.clicked.connect(lambda: self._set_network(
            lambda: edit.unshare_biases(self.doc.network), "Unshare biases"))
        self.example.itemChanged.connect(self._on_example_item)
        # what it shows of the network is its shape: training and weight edits (every
        # frame while the Training lab plays) change nothing here
        for sig in (doc.structure_changed, doc.settings_changed, doc.data_changed):
            sig.connect(self._on_document_changed)
        self.refresh()

    def _on_document_changed(self) -> None:
        self.refresh()

    def apply_style(self, style: Style) -> None:
        f = self.font()
        f.setPointSizeF(style.pt(9.5))
        self.setFont(f)

    # ------------------------------------------------------------ reading
    @property
    def rng(self) -> np.random.Generator:
        """New weights for resized or inserted layers (made on first use)."""
        if self._rng is None:
            self._rng = np.random.default_rng(2024)
        return self._rng

    def refresh(self) -> None:
        net = self.doc.network
        if net is None:
            return
        with QSignalBlocker(self.layers):
            self.layers.setRowCount(net.n_layers)
            for l in range(net.n_layers):
                layer = l + 1
                hidden = layer < net.n_layers
                spin = self.layers.cellWidget(l, 0)
                if not isinstance(spin, QSpinBox):
                    spin = QSpinBox()
                    spin.setRange(1, edit.MAX_NEURONS)
                    spin.setKeyboardTracking(False)
                    spin.valueChanged.connect(lambda v, s=spin: self._on_size(s, v))
                    self.layers.setCellWidget(l, 0, spin)
                spin.setProperty("layer", layer)
                with QSignalBlocker(spin):
                    spin.setValue(net.sizes[layer])
                spin.setEnabled(hidden)
                spin.setToolTip("Neurons in this hidden layer" if hidden else
                                "The output size is set by the targets")
                combo = self.layers.cellWidget(l, 1)
                if not isinstance(combo, QComboBox):
                    combo = QComboBox()
                    for name, act in ACTIVATIONS.items():
                        combo.addItem(act.title, name)
                    combo.activated.connect(lambda _i, c=combo: self._on_activation(c))
                    self.layers.setCellWidget(l, 1, combo)
                combo.setProperty("layer", layer)
                with QSignalBlocker(combo):
                    combo.setCurrentIndex(combo.findData(net.activations[l].name))
            self.layers.setVerticalHeaderLabels(
                [f"{l + 1}" + (" (output)" if l + 1 == net.n_layers else "")
                 for l in range(net.n_layers)])
        self.remove_layer.setEnabled(net.n_layers > 1)
        with QSignalBlocker(self.loss):
            self.loss.setCurrentIndex(self.loss.findData(self.doc.loss_name))
        if not self.eta.hasFocus():
            self.eta.setText(fmt(self.doc.config.eta))
        with QSignalBlocker(self.freeze):
            self.freeze.setChecked(self.doc.config.freeze_biases)
        self.unshare.setEnabled(any(s and u for s, u in zip(net.shared_bias, net.use_bias)))
        self._fill_example()

    def _fill_example(self) -> None:
        x, y = self.doc.example_x, self.doc.example_y
        rows = max(len(x), len(y))
        with QSignalBlocker(self.example):
            if rows > MAX_EXAMPLE_ROWS:
                self.example.setRowCount(0)
                self.example.setToolTip(f"{len(x)} inputs: too many to edit here")
                return
            self.example.setRowCount(rows)
            nm = self.doc.naming
            labels = []
            for r in range(rows):
                for c, arr in enumerate((x, y)):
                    set_cell(self.example, r, c, fmt(arr[r]) if r < len(arr) else "",
                             editable=r < len(arr))
                labels.append(nm.out(0, r) if nm and r < len(x) else str(r + 1))
            self.example.setVerticalHeaderLabels(labels)

    # ------------------------------------------------------------ writing
    def _tell(self, text: str, error: bool = True) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color:#D55E00;" if error else "")
        if text:
            self.doc.message.emit(text)

    def _set_network(self, make, text: str) -> None:
        try:
            self.doc.set_network(make(), text)
        except ValueError as e:
            self._tell(str(e))
            self.refresh()
            return
        self._tell("", error=False)

    def _on_size(self, spin: QSpinBox, value: int) -> None:
        layer = int(spin.property("layer"))
        if value == self.doc.network.sizes[layer]:
            return
        self._set_network(lambda: edit.resize_layer(self.doc.network, layer, value, self.rng),
                          f"Layer {layer}: {value} neurons")

    def _on_activation(self, combo: QComboBox) -> None:
        layer = int(combo.property("layer"))
        name = combo.currentData()
        self._set_network(lambda: edit.set_activation(self.doc.network, layer, name),
                          f"Layer {layer}: {name}")

    def _on_add_layer(self) -> None:
        L = self.doc.network.n_layers
        self._set_network(lambda: edit.insert_layer(self.doc.network, L, 2, "sigmoid", self.rng),
                          "Add hidden layer")

    def _on_remove_layer(self) -> None:
        L = self.doc.network.n_layers
        self._set_network(lambda: edit.remove_layer(self.doc.network, L - 1, self.rng),
                          "Remove hidden layer")

    def _on_loss(self) -> None:
        try:
            self.doc.set_loss(self.loss.currentData())
            self._tell("", error=False)
        except ValueError as e:
            self._tell(str(e))

    def _on_eta(self) -> None:
        try:
            eta = parse_number(self.eta.text())
            if not 0 <= eta <= MAX_ETA:
                raise ValueError(f"the learning rate must be between 0 and {MAX_ETA:g}")
            if eta != self.doc.config.eta:
                self.doc.set_config(eta=eta)
            self._tell("", error=False)
        except ValueError as e:
            self._tell(f"Learning rate refused: {e}")
            self.eta.setText(fmt(self.doc.config.eta))

    def _on_freeze(self, on: bool) -> None:
        self.doc.set_config(freeze_biases=bool(on))

    def _on_example_item(self, item: QTableWidgetItem) -> None:
        x, y = self.doc.example_x.copy(), self.doc.example_y.copy()
        arr = x if item.column() == 0 else y
        try:
            arr[item.row()] = parse_number(item.text())
            self.doc.set_example(x, y)
            self._tell("", error=False)
        except (ValueError, IndexError) as e:
            self._tell(f"Value refused: {e}")
            self._fill_example()
