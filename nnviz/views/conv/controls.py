"""The convolution page's controls: image, kernels, stride, padding, pooling; and the
kernel editor (one small table per channel, every cell editable and undoable)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from nnviz.controllers.conv.controller import ConvController
from nnviz.engine.labs.conv_setup import MAX_KERNELS, MAX_PAINT
from nnviz.engine.labs.conv_steps import PRESETS
from nnviz.views.cells import set_cell
from nnviz.views.conv.cells import short
from nnviz.views.widgets import spin_box

SOURCES = {"digit": "A digit", "paint": "Paint", "rgb": "RGB picture"}


def _spin(lo: int, hi: int, name: str) -> QSpinBox:
    s = QSpinBox()
    s.setRange(lo, hi)
    s.setObjectName(name)
    return s


class ConvControls(QWidget):
    """A form over the controller; every change goes through its undoable setters."""

    def __init__(self, ctl: ConvController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        form = QFormLayout(self)
        form.setContentsMargins(4, 4, 4, 4)
        self._build_image_and_kernel()
        self._build_map_options()
        self.clear = QPushButton("Clear painting")
        self.clear.clicked.connect(lambda: self._do(ctl.clear_paint))
        self.relu.setText("ReLU")
        self.fit_widths()
        form.addRow("Image", self.source)
        form.addRow("Digit no.", self.digit)
        form.addRow("Grid", self.paint_size)
        self.paint_size_label = form.labelForField(self.paint_size)
        for label, w in (("", self.clear),
                         ("Kernel", self.preset), ("Size k×k", self.ksize),
                         ("Kernels", self.n_kernels),
                         ("Front map", self.active), ("Bias b", self.bias),
                         ("Stride", self.stride), ("Padding", self.padding),
                         ("", self.relu), ("Pooling", self.pool),
                         ("Window", self.pool_size), ("Pool stride", self.pool_stride)):
            form.addRow(label, w)
        self.refresh()

    def _build_image_and_kernel(self) -> None:
        """The image's source and digit, the kernel's preset, size, count, front map, bias."""
        ctl = self.ctl
        self.source = QComboBox()
        self.source.setObjectName("conv-source")
        for key, text in SOURCES.items():
            self.source.addItem(text, key)
        self.source.activated.connect(lambda i: self._do(ctl.set_source,
                                                         self.source.itemData(i)))
        self.digit = _spin(0, 1796, "conv-digit")
        self.digit.valueChanged.connect(lambda v: self._do(ctl.set_option, "digit", v))
        self.preset = QComboBox()
        self.preset.setObjectName("conv-preset")
        self.preset.addItem("Preset…", "")
        for key, (title, _) in PRESETS.items():
            self.preset.addItem(title, key)
        self.preset.activated.connect(self._on_preset)
        self.ksize = _spin(1, 5, "conv-kernel-size")
        self.ksize.valueChanged.connect(lambda v: self._do(ctl.set_kernel_size, v))
        self.n_kernels = _spin(1, MAX_KERNELS, "conv-kernels")
        self.n_kernels.valueChanged.connect(lambda v: self._do(ctl.set_kernel_count, v))
        self.active = _spin(1, MAX_KERNELS, "conv-active")
        self.active.valueChanged.connect(lambda v: ctl.set_active(v - 1))
        self.bias = spin_box(-1000, 1000, 3, 0.5)   # applied when typing is done
        self.bias.setObjectName("conv-bias")
        self.bias.valueChanged.connect(lambda v: self._do(ctl.set_bias, v))
        self.stride = _spin(1, 4, "conv-stride")
        self.stride.valueChanged.connect(lambda v: self._do(ctl.set_option, "stride", v))
        self.padding = _spin(0, 3, "conv-padding")
        self.padding.valueChanged.connect(lambda v: self._do(ctl.set_option, "padding", v))

    def _build_map_options(self) -> None:
        """Stride, padding, ReLU, pooling and the painted grid's size."""
        ctl = self.ctl
        self.relu = QCheckBox("ReLU on the map")
        self.relu.toggled.connect(lambda on: self._do(ctl.set_option, "relu", on))
        self.pool = QComboBox()
        self.pool.setObjectName("conv-pool")
        self.pool.addItem("max", "max")
        self.pool.addItem("average", "average")
        self.pool.activated.connect(lambda i: self._do(ctl.set_option, "pool",
                                                       self.pool.itemData(i)))
        self.pool_size = _spin(1, 4, "conv-pool-size")
        self.pool_size.valueChanged.connect(lambda v: self._do(ctl.set_option, "pool_size", v))
        self.pool_stride = _spin(1, 4, "conv-pool-stride")
        self.pool_stride.valueChanged.connect(
            lambda v: self._do(ctl.set_option, "pool_stride", v))
        self.paint_rows = _spin(3, MAX_PAINT, "conv-paint-rows")
        self.paint_cols = _spin(3, MAX_PAINT, "conv-paint-cols")
        for w in (self.paint_rows, self.paint_cols):
            w.setToolTip(f"The painted grid's size (3 to {MAX_PAINT}); Ctrl+Z undoes")
            w.valueChanged.connect(lambda _v: self._do(
                ctl.set_paint_size, self.paint_rows.value(), self.paint_cols.value()))
        self.paint_size = QWidget()
        row = QHBoxLayout(self.paint_size)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.paint_rows)
        row.addWidget(QLabel("×"))
        row.addWidget(self.paint_cols)

    def fit_widths(self) -> None:
        """Fields as wide as their longest text in the current font (presentation mode)."""
        for w in (self.digit, self.ksize, self.n_kernels, self.active, self.bias, self.stride,
                  self.padding, self.pool_size, self.pool_stride):
            w.setMaximumWidth(w.fontMetrics().horizontalAdvance("-1000.000") + 40)
        for w in (self.paint_rows, self.paint_cols):
            w.setMaximumWidth(w.fontMetrics().horizontalAdvance("000") + 40)
        for w in (self.source, self.preset, self.pool):
            w.setMaximumWidth(w.fontMetrics().horizontalAdvance("Horizontal edge") + 50)

    def _do(self, fn, *args) -> None:
        try:
            fn(*args)
        except ValueError as e:
            self.ctl.doc.message.emit(f"Not changed: {e}")   # status bar; nothing changed
            self.refresh()

    def _on_preset(self, i: int) -> None:
        key = self.preset.itemData(i)
        if key:
            self._do(self.ctl.apply_preset, key)
        with QSignalBlocker(self.preset):
            self.preset.setCurrentIndex(0)

    def refresh(self) -> None:
        s = self.ctl.setup
        with QSignalBlocker(self.active):   # the range first: a value above the old one stays
            self.active.setMaximum(len(s.kernels))
        pairs = ((self.digit, s.digit), (self.ksize, s.kernels.shape[-1]),
                 (self.n_kernels, len(s.kernels)),
                 (self.active, s.active + 1), (self.stride, s.stride),
                 (self.padding, s.padding), (self.pool_size, s.pool_size),
                 (self.pool_stride, s.pool_stride), (self.paint_rows, s.paint.shape[0]),
                 (self.paint_cols, s.paint.shape[1]))
        for w, v in pairs:
            with QSignalBlocker(w):
                w.setValue(v)
        with QSignalBlocker(self.bias):
            self.bias.setValue(float(s.biases[s.active]))
        with QSignalBlocker(self.relu):
            self.relu.setChecked(s.relu)
        for combo, key in ((self.source, s.source), (self.pool, s.pool)):
            with QSignalBlocker(combo):
                combo.setCurrentIndex(combo.findData(key))
        self.digit.setEnabled(s.source == "digit")
        self.clear.setVisible(s.source == "paint")
        self.paint_size.setVisible(s.source == "paint")
        self.paint_size_label.setVisible(s.source == "paint")


class KernelEditor(QWidget):
    """The active kernel as one k×k table per channel; typing a number is one undo step."""

    def __init__(self, ctl: ConvController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.tables: list[QTableWidget] = []
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for ch in range(3):
            t = QTableWidget()
            t.setObjectName(f"conv-kernel-{ch}")
            t.horizontalHeader().setVisible(False)
            t.verticalHeader().setVisible(False)
            t.setTextElideMode(Qt.TextElideMode.ElideNone)
            t.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
            t.setMinimumSize(36, 60)
            t.setWordWrap(False)
            for h in (t.horizontalHeader(), t.verticalHeader()):
                h.setMinimumSectionSize(8)
            t.setToolTip("RGB"[ch] + " slice of the kernel" if ch else "The kernel")
            t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            t.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            t.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                              | QAbstractItemView.EditTrigger.EditKeyPressed
                              | QAbstractItemView.EditTrigger.AnyKeyPressed)
            t.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            t.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            t.itemChanged.connect(lambda item, ch=ch: self._on_edit(ch, item))
            lay.addWidget(t)
            self.tables.append(t)
        self.refresh()

    def _on_edit(self, ch: int, item: QTableWidgetItem) -> None:
        try:
            value = float(item.text().replace("−", "-"))
            self.ctl.set_kernel_cell(ch, item.row(), item.column(), value)
        except ValueError as e:
            msg = str(e) if "between" in str(e) else f"{item.text()!r} is not a number"
            self.ctl.doc.message.emit(f"Kernel not changed: {msg}")
            self.refresh()

    def refresh(self) -> None:
        s = self.ctl.setup
        kernel = s.kernels[s.active]
        for ch, t in enumerate(self.tables):
            t.setVisible(ch < kernel.shape[0])
            if ch >= kernel.shape[0]:
                continue
            with QSignalBlocker(t):
                k = kernel.shape[-1]
                t.setRowCount(k)
                t.setColumnCount(k)
                for u in range(k):
                    for v in range(k):
                        set_cell(t, u, v, short(kernel[ch, u, v]),
                                 align=Qt.AlignmentFlag.AlignCenter)
        self._fit_widths()

    def _fit_widths(self) -> None:
        """Each table at least as wide as its columns' numbers in the present type (three
        RGB slices side by side at 1024x768 in F5 had 21-pixel columns for "-1")."""
        for t in self.tables:
            fm = t.fontMetrics()
            widest = max((fm.horizontalAdvance(t.item(u, v).text())
                          for u in range(t.rowCount()) for v in range(t.columnCount())
                          if t.item(u, v) is not None), default=0)
            t.setMinimumWidth(max(36, t.columnCount() * (widest + 8) + 2 * t.frameWidth()))

    def changeEvent(self, ev) -> None:  # noqa: N802 - Qt API
        super().changeEvent(ev)
        if ev.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_widths()   # presentation mode's larger type
