"""Perceptron page: weights, truth table, the input plane with the decision line, and the
perceptron learning rule stepped on the plane."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.neuron import PLANE, SHADE, WEIGHT_RANGE, NeuronController
from nnviz.engine.naming import fmt
from nnviz.engine.neuron import RULE_TEXT
from nnviz.views.cells import set_cell
from nnviz.views.fit import SidePanelScroll
from nnviz.views.neuron.widgets import Throttle, ValueSlider, rgba, style_plot
from nnviz.views.style import Style, current_style
from nnviz.views.widgets import BACK, PAUSE, PLAY, fix_width

CONVENTION_TEXT = {"perceptron": "output 1 if w·x + b > 0  (notes 002)",
                   "step": "output 1 if w·x + b ≥ 0  (notes 003)"}
PLAY_TEXT, PAUSE_TEXT = f"{PLAY} Play", f"{PAUSE} Pause"
DATA_CHOICES = ("AND", "OR", "NAND", "NOR", "XOR", "custom")


def _vec(v) -> str:
    return "(" + ", ".join(fmt(float(x)) for x in v) + ")"


class PerceptronPage(QWidget):
    """The plane, the sliders and the learning rule, all reading one NeuronController."""

    open_lesson = Signal(str)

    def __init__(self, ctl: NeuronController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.style_ = current_style()
        self._redraw = Throttle(self._draw_plane, 16, self)
        self._build()
        ctl.perceptron_changed.connect(self._on_perceptron_changed)
        ctl.data_changed.connect(self._on_data_changed)
        ctl.learning_changed.connect(self._on_learning_changed)
        self._on_perceptron_changed()
        self._on_data_changed()
        self._on_learning_changed()

    # ------------------------------------------------------------ layout
    def _build(self) -> None:
        self.plot = pg.PlotWidget()
        self.plot.setObjectName("perceptron-plane")
        self.plot.setToolTip("Click to add a point of the chosen class; Shift+click adds the "
                             "other class.")
        pi = self.plot.getPlotItem()
        pi.setMenuEnabled(False)
        pi.hideButtons()
        pi.vb.setMouseEnabled(False, False)
        pi.setAspectLocked(True)
        pi.showGrid(x=True, y=True, alpha=0.15)
        pi.setLabel("bottom", "x1")
        pi.setLabel("left", "x2")
        self.region = pg.ImageItem()
        self.line = pg.PlotDataItem(pen=pg.mkPen("k", width=3))
        self.points1 = pg.ScatterPlotItem(size=16, symbol="o")
        self.points0 = pg.ScatterPlotItem(size=15, symbol="s")
        self.wrong = pg.ScatterPlotItem(size=28, symbol="o", brush=None)
        self.picked = pg.ScatterPlotItem(size=36, symbol="o", brush=None)
        for it in (self.region, self.line, self.wrong, self.points1, self.points0, self.picked):
            pi.addItem(it)
        self.region.setZValue(-10)
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        self.reset_zoom()

        # learning controls under the plane
        self.btn_back = QPushButton(f"{BACK} Back")
        self.btn_step = QPushButton(f"Step {PLAY}")
        self.btn_play = QPushButton(PLAY_TEXT)
        self.btn_reset = QPushButton("Reset")
        self.btn_back.clicked.connect(self.ctl.step_back)
        self.btn_step.clicked.connect(self.ctl.step_forward)
        self.btn_play.clicked.connect(self._toggle_play)
        self.btn_reset.clicked.connect(self.ctl.reset_learning)
        self.iter_label = QLabel()
        self.iter_label.setObjectName("iteration")
        self.iter_label.setWordWrap(True)
        controls = QHBoxLayout()
        for w in (self.btn_back, self.btn_step, self.btn_play, self.btn_reset):
            controls.addWidget(w)
        self.speed = QComboBox()
        for text, ms in (("slow", 1000), ("normal", 400), ("fast", 100), ("fastest", 20)):
            self.speed.addItem(text, ms)
        self.speed.setCurrentIndex(1)
        self.speed.setToolTip("Time between learning steps while playing")
        self.speed.currentIndexChanged.connect(
            lambda i: self.ctl.set_speed(self.speed.itemData(i)))
        controls.addWidget(self.speed)
        controls.addStretch(1)
        self.step_label = QLabel()
        self.step_label.setObjectName("step-detail")
        self.step_label.setWordWrap(True)
        self.step_label.setTextFormat(Qt.TextFormat.RichText)
        self.status_label = QLabel()
        self.status_label.setObjectName("learning-status")
        self.status_label.setWordWrap(True)
        self.btn_xor = QPushButton("Open xor-mlp:\na hidden layer\nsolves XOR")
        self.btn_xor.clicked.connect(lambda: self.open_lesson.emit("xor-mlp"))
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_label, 1)
        status_row.addWidget(self.btn_xor, 0, Qt.AlignmentFlag.AlignTop)
        left = QVBoxLayout()
        # the transport row is above the plot, so the texts under the plot (whose length
        # changes from step to step) never move the buttons a lecturer is clicking
        left.addLayout(controls)
        left.addWidget(self.plot, 3)
        # the texts under the plane scroll when they are long (a cycle's explanation in
        # presentation type) instead of squeezing the plane to a strip
        texts = QWidget()
        tl = QVBoxLayout(texts)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.iter_label)
        tl.addWidget(self.step_label)
        tl.addLayout(status_row)
        tl.addStretch(1)
        self.plot.setMinimumHeight(180)
        left.addWidget(SidePanelScroll(texts, floor=120), 2)

        # weights
        wbox = QGroupBox("Perceptron  y = f(w1·x1 + w2·x2 + b)")
        wl = QVBoxLayout(wbox)
        presets = QHBoxLayout()
        presets.addWidget(QLabel("Presets:"))
        self.preset_buttons = {}
        for name in ("NAND", "AND", "OR"):
            b = QPushButton(name)
            b.clicked.connect(lambda _=False, n=name: self.ctl.set_preset(n))
            presets.addWidget(b)
            self.preset_buttons[name] = b
        wl.addLayout(presets)
        self.sliders = {}
        for key in ("w1", "w2", "b"):
            s = ValueSlider(key, -WEIGHT_RANGE, WEIGHT_RANGE, 0.1, decimals=1)
            s.value_changed.connect(lambda v, same, k=key: self.ctl.set_weight(k, v, same))
            wl.addWidget(s)
            self.sliders[key] = s
        self.convention = QComboBox()
        for key, text in CONVENTION_TEXT.items():
            self.convention.addItem(text, key)
        self.convention.currentIndexChanged.connect(
            lambda i: self.ctl.set_convention(self.convention.itemData(i)))
        wl.addWidget(self.convention)

        self.table = QTableWidget(4, 4)
        self.table.setObjectName("truth-table")
        self.table.setHorizontalHeaderLabels(["x1", "x2", "z = w·x + b", "y"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        hh = self.table.horizontalHeader()
        for col in range(4):
            hh.setSectionResizeMode(col, hh.ResizeMode.Stretch if col == 2
                                    else hh.ResizeMode.ResizeToContents)
        self._fit_table()
        self.convention_note = QLabel()
        self.convention_note.setWordWrap(True)

        # learning options
        self.rule_box = lbox = QGroupBox("Perceptron learning rule")
        grid = QGridLayout(lbox)
        self.rule_text = QLabel()
        self.rule_text.setWordWrap(True)
        grid.addWidget(self.rule_text, 0, 0, 1, 2)
        self.data_combo = QComboBox()
        self.data_combo.addItems(DATA_CHOICES)
        self.data_combo.textActivated.connect(self._on_data_chosen)
        self.click_class = QComboBox()
        self.click_class.addItem("class 1 (P)", 1)
        self.click_class.addItem("class 0 (N)", 0)
        self.start_combo = QComboBox()
        self.start_combo.addItem("random w", "random")
        self.start_combo.addItem("current w", "current")
        self.start_combo.currentIndexChanged.connect(
            lambda i: self.ctl.set_start_mode(self.start_combo.itemData(i)))
        self.seed = QSpinBox()
        self.seed.setRange(0, 999_999)
        self.seed.valueChanged.connect(self.ctl.set_seed)
        for combo in (self.data_combo, self.click_class, self.start_combo, self.speed):
            combo.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.btn_clear = QPushButton("Clear points")
        self.btn_clear.clicked.connect(self.ctl.clear_points)
        # one control a row: two a row made the page wider than a 1024-pixel projector
        for row, (text, w) in enumerate((("Data", self.data_combo),
                                         ("Click adds", self.click_class),
                                         ("Start", self.start_combo), ("Seed", self.seed))):
            grid.addWidget(QLabel(text), row + 1, 0)
            grid.addWidget(w, row + 1, 1)
        grid.addWidget(self.btn_clear, 5, 1)

        panel = QWidget()
        right = QVBoxLayout(panel)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(wbox)
        right.addWidget(self.table)
        right.addWidget(self.convention_note)
        right.addWidget(lbox)
        right.addStretch(1)
        lay = QHBoxLayout(self)
        lay.addLayout(left, 3)
        lay.addWidget(SidePanelScroll(panel), 2)

    # ------------------------------------------------------------ handlers
    def _on_perceptron_changed(self) -> None:
        c = self.ctl
        for key, v in (("w1", c.w[0]), ("w2", c.w[1]), ("b", c.b)):
            self.sliders[key].set_value(float(v))
        with QSignalBlocker(self.convention):
            self.convention.setCurrentIndex(self.convention.findData(c.convention))
        title, lines = RULE_TEXT[c.convention]
        # the box's title stays short (a title never wraps, and would widen the page past
        # a 1024-pixel projector); the convention's name heads the wrapped rule text
        self.rule_text.setText(f"{title}:\n" + ";\n".join(lines) + ".")
        t = c.truth_table()
        for r in range(len(t.inputs)):
            vals = (fmt(t.inputs[r, 0]), fmt(t.inputs[r, 1]), fmt(t.z[r]), str(int(t.y[r])))
            for col, text in enumerate(vals):
                set_cell(self.table, r, col, text, align=Qt.AlignmentFlag.AlignCenter,
                         background=pg.mkColor(rgba(self.style_.highlight, 90))
                         if t.differs[r] else None)
        self._fit_table()
        if t.differs.any():
            where = ", ".join(_vec(p) for p in t.inputs[t.differs])
            self.convention_note.setText(f"z = 0 at {where}: the two conventions disagree "
                                         "there (> 0 gives 0, ≥ 0 gives 1).")
        else:
            self.convention_note.setText("No corner lies on the line: > 0 and ≥ 0 agree.")
        self._redraw.request()

    def _on_data_changed(self) -> None:
        with QSignalBlocker(self.data_combo):
            self.data_combo.setCurrentText(self.ctl.data_name if self.ctl.data_name in
                                           DATA_CHOICES else "custom")
        self._redraw.request()

    def set_reveal(self, reveal) -> None:
        """Predict, then reveal: the guess bar goes above the learning rule's step text."""
        self.reveal = reveal
        lay = self.step_label.parentWidget().layout()
        lay.insertWidget(lay.indexOf(self.step_label), reveal.bar)
        self._on_learning_changed()

    def _on_learning_changed(self) -> None:
        c = self.ctl
        reveal = getattr(self, "reveal", None)
        hidden = reveal is not None and reveal.hidden()
        with QSignalBlocker(self.start_combo):
            self.start_combo.setCurrentIndex(self.start_combo.findData(c.start_mode))
        with QSignalBlocker(self.seed):
            self.seed.setValue(min(c.seed, self.seed.maximum()))
        self.btn_play.setText(PAUSE_TEXT if c.playback.playing else PLAY_TEXT)
        st = c.status()
        self.iter_label.setText(f"Iteration {c.run.cursor} · updates {c.run.updates()} · "
                                f"w = (b, w1, w2) = {'?' if hidden else _vec(c.current_aug())}")
        s = c.run.last_step()
        if s is None:
            self.step_label.setText("Step the rule: pick a random point x = (1, x1, x2), "
                                    "compare w·x with 0, and if it is on the wrong side add "
                                    "(class 1) or subtract (class 0) x. Here w = (b, w1, w2).")
        else:
            cls = "class 1 (P)" if s.label == 1 else "class 0 (N)"
            if s.update:
                op = "+" if s.update > 0 else "−"
                action = (f"<b>misclassified</b> → w = w {op} x = {_vec(s.w_before)} {op} "
                          f"{_vec(s.x)} = <b>{_vec(s.w_after)}</b>")
            else:
                action = "correct → no change"
            if hidden:   # predict, then reveal: w·x (and so the update) is asked
                action, wx = "misclassified or correct?", "?"
            else:
                wx = fmt(s.wx)
            self.step_label.setText(f"Picked x = {_vec(s.x)}, {cls}; w = {_vec(s.w_before)}, "
                                    f"w·x = {wx} → {action}")
        n_wrong = len(c.misclassified()) if len(c.x) else 0
        texts = {
            "empty": "No points: click the plane to add some (Shift+click: the other class).",
            "idle": f"{n_wrong} of {len(c.x)} points misclassified. Step or Play to learn.",
            "learning": f"{n_wrong} of {len(c.x)} points still misclassified.",
            "converged": f"Converged after {c.run.updates()} updates: all {len(c.x)} points "
                         "are on the right side of the line.",
            "limit": "Stopped: too many steps without converging.",
        }
        if st == "cycle":
            k0, k1 = c.run.cycle()
            texts["cycle"] = (f"Never converges: after step {k1} the weights are "
                              f"{_vec(c.run.w_hist[k1])} again, as after step {k0}, while "
                              f"{n_wrong} points are still wrong. If some line (weights u) "
                              "separated the classes, every update would increase u·w, so w "
                              "could never come back: the classes are not linearly "
                              "separable.")
        self.status_label.setText(texts.get(st, ""))
        self.btn_xor.setVisible(st == "cycle" or c.data_name == "XOR")
        if reveal is not None:
            reveal.sync()
        self._redraw.request()

    def _on_data_chosen(self, text: str) -> None:
        if text == "custom":
            return
        self.ctl.set_data_gate(text)

    def _toggle_play(self) -> None:
        self.ctl.playback.toggle()

    def _on_click(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or ev.double():
            return
        vb = self.plot.getPlotItem().vb
        if not vb.sceneBoundingRect().contains(ev.scenePos()):
            return
        p = vb.mapSceneToView(ev.scenePos())
        (x0, x1), (y0, y1) = PLANE
        if not (x0 <= p.x() <= x1 and y0 <= p.y() <= y1):
            return
        label = int(self.click_class.currentData())
        if ev.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            label = 1 - label
        self.ctl.add_point(p.x(), p.y(), label)
        ev.accept()

    # ------------------------------------------------------------ drawing
    def _draw_plane(self) -> None:
        c, st = self.ctl, self.style_
        grid = c.region_grid()
        img = np.zeros(grid.shape + (4,), dtype=np.ubyte)
        img[grid == 1] = rgba(st.positive, 45)
        img[grid == 0] = rgba(st.negative, 45)
        self.region.setImage(img, levels=None, autoLevels=False)
        (x0, x1), (y0, y1) = SHADE
        self.region.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        xs, ys = c.decision_line()
        self.line.setData(xs, ys)
        self.line.setPen(pg.mkPen(st.foreground, width=3 * st.scale))
        pos1, pos0 = c.x[c.labels == 1], c.x[c.labels == 0]
        self.points1.setData(pos=pos1, brush=pg.mkBrush(st.positive),
                             pen=pg.mkPen(st.foreground, width=1), size=16 * st.scale)
        self.points0.setData(pos=pos0, brush=pg.mkBrush(st.background),
                             pen=pg.mkPen(st.negative, width=3), size=15 * st.scale)
        wrong = c.x[c.misclassified()] if len(c.x) else np.zeros((0, 2))
        self.wrong.setData(pos=wrong, pen=pg.mkPen(st.negative, width=2,
                                                   style=Qt.PenStyle.DashLine),
                           size=28 * st.scale, brush=None)
        s = c.run.last_step()
        picked = s.x[None, 1:] if s is not None else np.zeros((0, 2))
        self.picked.setData(pos=picked, pen=pg.mkPen(st.highlight, width=4),
                            size=36 * st.scale, brush=None)

    def _fit_table(self) -> None:
        row = self.table.fontMetrics().height() + 6
        self.table.verticalHeader().setDefaultSectionSize(row)
        self.table.horizontalHeader().setFont(self.table.font())
        self.table.setFixedHeight(4 * row + self.table.horizontalHeader().sizeHint().height() + 4)
        # every column whole, the y column too: the table is never narrower than its text
        hh = self.table.horizontalHeader()
        cols = sum(max(hh.sectionSizeHint(c), self.table.sizeHintForColumn(c))
                   for c in range(self.table.columnCount()))
        self.table.setMinimumWidth(cols + 2 * self.table.frameWidth() + 4)

    def reset_zoom(self) -> None:
        (x0, x1), (y0, y1) = PLANE
        self.plot.getPlotItem().vb.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)

    def zoom(self, factor: float) -> None:
        self.plot.getPlotItem().vb.scaleBy((1 / factor, 1 / factor))

    def flush(self) -> None:
        """Draw a pending update now (screenshots, tests)."""
        self._redraw.flush()

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        for b in (self.btn_back, self.btn_step, self.btn_reset):
            fix_width(b)
        fix_width(self.btn_play, PLAY_TEXT, PAUSE_TEXT)
        self.plot.setBackground(style.background)
        style_plot(self.plot.getPlotItem(), style)
        self._fit_table()
        self._on_perceptron_changed()
        self._on_learning_changed()
