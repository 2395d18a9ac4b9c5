"""Pick the surface's two parameters by clicking them on the network graph."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from nnviz.engine.labs.surface import ParamRef
from nnviz.views.items.network_graph import NetworkGraphWidget

#: larger networks are picked from the lists (their graph would cost more than it helps here)
MAX_PICK_PARAMS = 2000
#: short: in presentation mode the pane is narrow and every line takes room from the graph
#: (no line break inside "x axis" or "y axis": "x" ended a line, "axis." began the next)
HINT = "Click a weight or a neuron (its bias): x\u00a0axis. Shift+click: y\u00a0axis."


class ParamPicker(QWidget):
    """A small network graph: click a weight (edge) or a neuron (its bias) for the x axis,
    Shift+click for the y axis. Emits ``picked(ref, axis)`` with axis "x" or "y"."""

    picked = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.hint = QLabel(HINT)
        self.hint.setWordWrap(True)
        self.graph = NetworkGraphWidget()
        self.graph.setObjectName("surface-picker")
        self.graph.editable = False
        self.graph.compact = True
        self.graph.show_weight_labels(False)
        self.graph.setMinimumHeight(150)
        self.graph.legend.hide()  # the lab's own plots carry the colours; space is short here
        lay.addWidget(self.hint)
        lay.addWidget(self.graph, 1)
        self._net = None
        self.graph.edge_clicked.connect(lambda l, j, k: self._emit(ParamRef("w", l, j, k)))
        self.graph.neuron_clicked.connect(self._on_neuron)
        self.graph.bias_clicked.connect(lambda l, _j: self._on_neuron(l + 1, 0))

    def set_network(self, net, naming) -> None:
        """Show ``net``; too large a network is left to the lists (and the hint says so)."""
        self._net = net
        small = net is not None and net.n_params() <= MAX_PICK_PARAMS
        self.graph.setVisible(small)
        if small:
            self.graph.set_network(net, naming)
            self.hint.setText(HINT)
        elif net is not None:
            self.hint.setText(f"{net.n_params():,} parameters: pick them from the lists.")

    def apply_style(self, style) -> None:
        """The small graph in the theme's colours (it was left light on the dark theme)."""
        self.graph.apply_style(style)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        # the splitter this pane sits in knows nothing of wrapped text: reserve the
        # hint's height at the pane's width, so no line of it is cut off
        need = self.hint.heightForWidth(max(1, self.width()))
        if need > 0 and need != self.hint.minimumHeight():
            self.hint.setMinimumHeight(need)

    def _on_neuron(self, layer: int, j: int) -> None:
        net = self._net
        if net is None or layer < 1 or not net.use_bias[layer - 1]:
            return
        self._emit(ParamRef("b", layer - 1, 0 if net.shared_bias[layer - 1] else j))

    def _emit(self, ref: ParamRef) -> None:
        shift = QApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier
        self.picked.emit(ref, "y" if shift else "x")
