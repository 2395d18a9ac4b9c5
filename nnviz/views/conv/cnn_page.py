"""The CNN page: the small network learning the digits live — its learned kernels, the
feature maps of one test digit, the backward pass through the pooling, the confusion
matrix and the test accuracy per epoch."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.conv.cnn import CNNController
from nnviz.views.axes import style_axes
from nnviz.views.conv.cells import COUNT_FILL_H, CellGrid
from nnviz.views.conv.conv_page import titled
from nnviz.views.conv.stack import MapStack
from nnviz.views.conv.zoom import Canvas, ZoomArea
from nnviz.views.layouts import nest
from nnviz.views.style import Style, current_style
from nnviz.views.widgets import PAUSE, PLAY

#: the confusion matrix's title: which way round it is (its tooltip says so too)
CONFUSION_TITLE = "Confusion (test): true digit ↓, answer →"

class MapGrid(QWidget):
    """Up to 16 small maps in rows of ``columns``, no numbers (colours only); the one of
    the kernel whose feature map is in front of the stack outlined."""

    def __init__(self, columns: int = 4, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.lay = QGridLayout(self)
        self.lay.setContentsMargins(0, 0, 0, 0)
        self.lay.setSpacing(3)
        self.grids: list[CellGrid] = []

    def set_maps(self, maps: np.ndarray, style: Style, vmax: float | None = None,
                 front: int | None = None) -> None:
        while len(self.grids) < len(maps):
            g = CellGrid("signed", numbers=False)
            g.setMinimumSize(16, 16)
            i = len(self.grids)
            self.lay.addWidget(g, i // self.columns, i % self.columns)
            self.grids.append(g)
        for i, g in enumerate(self.grids):
            g.setVisible(i < len(maps))
            if i < len(maps):
                g.style_ = style
                h, w = maps[i].shape
                g.set_data(maps[i], outline=(0, 0, h, w) if i == front else None,
                           vmax=vmax if vmax else None)


class CNNPage(QWidget):
    """Controls and scores on the left; forward, backward and confusion on the right."""

    def __init__(self, ctl: CNNController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.style_ = current_style()
        self._build_controls()
        form = QFormLayout()
        buttons = QHBoxLayout()
        buttons.addWidget(self.play)
        buttons.addWidget(self.step)
        form.addRow(buttons)
        form.addRow(self.reset)
        form.addRow("Kernels", self.kernels)
        form.addRow("Pooling", self.pool)
        form.addRow("Adam rate", self.lr)
        form.addRow("Test image", self.example)   # its number: "Test digit 0" beside "Digit 7"
        self._build_right()
        left = QVBoxLayout()
        nest(left, form)
        left.addWidget(self.scores)
        curve_box, curve_title = titled("Accuracy (test)", self.curve)
        self.titles.append(curve_title)
        left.addWidget(curve_box, 1)       # under the scores: the pictures get the room
        self.left = QWidget()
        self.left.setLayout(left)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.left)
        canvas = Canvas()
        canvas.setObjectName("cnn-canvas")
        canvas.setLayout(self.right)
        self.zoom_area = ZoomArea(canvas)
        right = QVBoxLayout()
        right.addWidget(self.zoom_area, 1)
        right.addWidget(self.explain)     # text: not zoomed
        nest(lay, right, 1)
        ctl.trained.connect(self.refresh)
        ctl.settings_changed.connect(self._sync_settings)
        ctl.front_changed.connect(self.refresh)
        ctl.playback.playing_changed.connect(self._on_playing_changed)
        self._sync_settings()

    def _build_controls(self) -> None:
        """Train, one batch, a new network; kernels, pooling, rate; the test digit; scores."""
        ctl = self.ctl
        self.play = QPushButton(f"{PLAY} Train")
        self.play.setObjectName("cnn-play")
        self.play.clicked.connect(ctl.playback.toggle)
        self.step = QPushButton("One batch")
        self.step.clicked.connect(lambda: ctl.step(1))
        self.reset = QPushButton("New network")
        self.reset.clicked.connect(ctl.reset)
        self.kernels = QSpinBox()
        self.kernels.setRange(1, 16)
        self.pool = QComboBox()
        self.pool.addItems(["max", "average"])
        self.lr = QDoubleSpinBox()
        self.lr.setDecimals(4)
        self.lr.setRange(0.0001, 1.0)
        self.lr.setSingleStep(0.005)
        for w in (self.kernels, self.lr):
            w.editingFinished.connect(self._configure)
        self.pool.activated.connect(lambda _i: self._configure())
        self.example = QSpinBox()
        self.example.setObjectName("cnn-example")
        self.example.setRange(0, len(ctl.trainer.x_test) - 1)
        self.example.valueChanged.connect(ctl.set_example)
        self.example.setToolTip("Which test image the pictures show: its number in the test "
                                "set (the digit it shows is in the scores below)")
        self.scores = QLabel()
        self.scores.setObjectName("cnn-scores")
        self.scores.setWordWrap(True)

    def _build_right(self) -> None:
        self.input = CellGrid("ink", numbers=False)
        self.learned = MapGrid(4)
        self.maps = MapStack()        # as on the first page: k maps, one in front
        self.maps.setObjectName("cnn-map-stack")
        self.maps.map_clicked.connect(self.ctl.set_front)
        self.routed = MapGrid(4)
        self.dkernels = MapGrid(4)
        self.confusion = CellGrid("signed", numbers=True)
        self.confusion.setObjectName("cnn-confusion")
        self.confusion.places = 0
        self.confusion.fill_h = COUNT_FILL_H    # counts: short, whole, written large
        self.curve = pg.PlotWidget()
        self.curve.setObjectName("cnn-accuracy")
        self.curve.setMouseEnabled(False, False)
        self.curve.setMenuEnabled(False)
        self.curve.hideButtons()
        self.curve.setYRange(0, 1)
        # a dot per epoch (one epoch is one point: a bare line showed nothing)
        self.curve_line = self.curve.plot([], [], symbol="o", symbolSize=6)
        self.curve.setXRange(0, 1, padding=0.05)
        grid = QGridLayout()
        grid.setSpacing(6)
        boxes = [titled("Test digit", self.input), titled("Learned kernels", self.learned),
                 titled("Its feature maps", self.maps),
                 titled("Kernel gradients", self.dkernels),
                 titled("δ through pooling", self.routed),
                 titled(CONFUSION_TITLE, self.confusion)]
        self.titles = [lab for _, lab in boxes]
        self.confusion.legibility_changed.connect(self._confusion_title)
        # forward above, backward below; the stack of feature maps and the confusion matrix
        # take both rows, large enough to read at projector size
        places = [(0, 0, 1), (0, 1, 1), (0, 2, 2), (1, 0, 1), (1, 1, 1), (0, 3, 2)]
        for (box, _), (r, c, span) in zip(boxes, places):
            grid.addWidget(box, r, c, span, 1)
        self.explain = QLabel(
            "Backward pass of this digit: max pooling sends each δ to the cell that won the "
            "maximum, average pooling spreads it evenly; a kernel's gradient is the "
            "correlation of the input with its δ map (input ⋆ δ).")
        self.explain.setObjectName("cnn-backward-text")
        self.explain.setWordWrap(True)
        self.confusion.setToolTip("Rows: the true digit; columns: the network's answer. "
                                  "Counted on the test digits before training and after "
                                  "each epoch (not after each batch)")
        self.right = grid
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)

    def _fit_confusion(self, presentation: bool) -> None:
        """In presentation mode ten cells wide enough for two digits 18 px tall (its
        column's share gave it 17 px cells at 1024x768, 24 at 1280x720: colours only),
        the room taken from the thumbnails (colours only) and the grid's margins, not
        from the stack of maps; the pictures scroll rather than grow the window."""
        grid = self.right
        self.confusion.hold_room("99" if presentation else None)
        m = 2 if presentation else -1     # -1: the style's margins
        grid.setContentsMargins(m, m, m, m)
        grid.setSpacing(4 if presentation else 6)
        for c, s in enumerate((3, 3, 6, 4) if presentation else (3, 3, 5, 4)):
            grid.setColumnStretch(c, s)

    # ------------------------------------------------------------ actions
    def _configure(self) -> None:
        c = self.ctl
        want = (self.kernels.value(), self.pool.currentText(), round(self.lr.value(), 6))
        if want == (c.kernels, c.pool, round(c.lr, 6)):
            return
        try:
            c.configure(*want, c.seed)
        except ValueError as e:
            self.ctl.message.emit(f"Not changed: {e}")
            self._sync_settings()

    def _sync_settings(self) -> None:
        c = self.ctl
        for w, v in ((self.kernels, c.kernels), (self.lr, c.lr), (self.example, c.example)):
            with QSignalBlocker(w):
                w.setValue(v)
        with QSignalBlocker(self.pool):
            self.pool.setCurrentText(c.pool)
        self.refresh()

    def _on_playing_changed(self, playing: bool) -> None:
        self.play.setText(f"{PAUSE} Pause" if playing else f"{PLAY} Train")

    # ------------------------------------------------------------ redraw
    def refresh(self) -> None:
        c, t, st = self.ctl, self.ctl.trainer, self.style_
        fwd, g, label = c.example_records()
        self.input.style_ = st
        self.input.set_data(fwd.x[0, 0])
        front = c.front
        self.learned.set_maps(t.net.conv_w[:, 0], st, front=front)
        self.maps.set_maps(fwd.a[0], front, st)
        self.routed.set_maps(g.d_a[0], st, front=front)
        self.dkernels.set_maps(g.grads[0][:, 0], st, front=front)
        k, h, w = fwd.a[0].shape
        self.titles[2].setText(f"{k} feature maps {h}×{w}, map {front + 1} in front (K)"
                               if k > 1 else f"Its feature map {h}×{w}")
        self.confusion.style_ = st
        self.confusion.set_data(c.confusion())
        hist = t.history
        self.curve_line.setData(*c.accuracy_curve())   # from epoch 0, the untrained network
        # whole epochs from 0 (one point had pyqtgraph's range 0.6 ... 1.4 around it)
        last_epoch = max([1] + [r.epoch for r in hist])
        self.curve.setXRange(0, last_epoch, padding=0.05)
        self.curve.getAxis("bottom").setTickSpacing(max(1, math.ceil(last_epoch / 5)), 1)
        pred = int(np.argmax(fwd.out[0]))
        last = hist[-1] if hist else None
        lines = [f"Epoch {t.epochs} · batch {t.steps}"]
        if last:
            lines += [f"cost {last.cost:.4f}", f"test accuracy {100 * last.test_accuracy:.1f} %",
                      ""]
        else:   # the chart's point at epoch 0 (in the lines the blank one took)
            lines += [f"test accuracy {100 * c.start_accuracy():.1f} %", "before training"]
        lines.append(f"Digit {label}: the network says {pred} ({100 * fwd.out[0, pred]:.0f} %)")
        self.scores.setText("\n".join(lines))

    def _confusion_title(self) -> None:
        """In presentation mode the counts are written 18 px tall or not at all: the title
        says which (a hovered cell's tooltip has its count)."""
        note = self.confusion.note()
        self.titles[5].setText(CONFUSION_TITLE + (f" · {note}" if note else ""))

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        self.curve.setBackground(style.background)
        style_axes(self.curve, style, size=8.0)   # ticks in the style's size, room above
        self.curve_line.setPen(pg.mkPen(style.accent, width=2 * style.scale))
        # a dot per epoch large enough to see from the back (6 px was a speck in F5)
        self.curve_line.setSymbolSize(6 * style.scale)
        self.curve_line.setSymbolBrush(style.accent)
        self.curve_line.setSymbolPen(pg.mkPen(style.accent))
        self.left.setMaximumWidth(int(200 * min(style.scale, 1.5)))
        self._fit_confusion(style.presentation)
        small = QFont(self.font())
        small.setPointSizeF(style.pt(9))   # the panel type (8: 14 pt in F5, the one label under 15)
        self.explain.setFont(small)
        self.refresh()
