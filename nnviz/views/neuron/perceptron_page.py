"""Perceptron page: weights, truth table, the input plane with the decision line, and the
perceptron learning rule stepped on the plane."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.neuron.controller import PLANE, SHADE, NeuronController
from nnviz.engine.labs.neuron import RULE_TEXT
from nnviz.views.cells import set_cell
from nnviz.views.fit import NBSP, SidePanelScroll, fit_combo
from nnviz.views.fold import RichWrapLabel, WrapLabel
from nnviz.views.items.math_text import number
from nnviz.views.layouts import nest
from nnviz.views.neuron.perceptron_panel import DATA_CHOICES, PerceptronPanel, rule_text
from nnviz.views.neuron.widgets import Throttle, rgba, style_plot
from nnviz.views.style import Style, current_style
from nnviz.views.widgets import BACK, PAUSE, PLAY, FittingLabel, fix_width

PLAY_TEXT, PAUSE_TEXT = f"{PLAY} Play", f"{PAUSE} Pause"
#: the most the texts under the plane ask for (a cycle's explanation with its step, in
#: presentation type): above it they scroll instead of growing the window
TEXTS_FLOOR = 320
CYCLE_WHY = ("A line (weights u) separating the classes would make every update increase u·w, "
             "so w could not come back: a w seen before means the classes are not linearly "
             "separable.")


def _vec(v) -> str:
    """A vector that never wraps inside its brackets."""
    return "(" + f",{NBSP}".join(number(float(x)) for x in v) + ")"


def _eq(name: str, value: str) -> str:
    """``name = value`` that never wraps around its "="."""
    return f"{name}{NBSP}={NBSP}{value}"


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
        self._build_plot()
        # the transport row is above the plot, so the texts under the plot (whose length
        # changes from step to step) never move the buttons a lecturer is clicking
        self.btn_back = QPushButton(f"{BACK} Back")
        self.btn_step = QPushButton(f"Step {PLAY}")
        self.btn_play = QPushButton(PLAY_TEXT)
        self.btn_reset = QPushButton("Reset")
        self.btn_back.clicked.connect(self.ctl.step_back)
        self.btn_step.clicked.connect(self.ctl.step_forward)
        self.btn_play.clicked.connect(self._toggle_play)
        self.btn_reset.clicked.connect(self.ctl.reset_learning)
        controls = QHBoxLayout()
        for w in (self.btn_back, self.btn_step, self.btn_play, self.btn_reset):
            controls.addWidget(w)
        self.speed = QComboBox()
        for text, ms in (("slow", 1000), ("normal", 400), ("fast", 100), ("fastest", 20)):
            self.speed.addItem(text, ms)
        self.speed.setCurrentIndex(1)
        self.speed.setToolTip("Time between learning steps while playing")
        self.speed.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.speed.currentIndexChanged.connect(
            lambda i: self.ctl.set_speed(self.speed.itemData(i)))
        controls.addWidget(self.speed)
        controls.addStretch(1)
        left = QVBoxLayout()
        nest(left, controls)
        left.addWidget(self.plot, 1)
        left.addWidget(self._build_texts())
        self.panel = PerceptronPanel(self.ctl)
        for name in ("preset_buttons", "sliders", "convention", "table", "convention_note",
                     "rule_text", "data_combo", "click_class", "start_combo", "seed",
                     "btn_clear"):
            setattr(self, name, getattr(self.panel, name))
        self.data_combo.textActivated.connect(self._on_data_chosen)
        self.start_combo.currentIndexChanged.connect(
            lambda i: self.ctl.set_start_mode(self.start_combo.itemData(i)))
        self.seed.valueChanged.connect(self.ctl.set_seed)
        self.btn_clear.clicked.connect(self.ctl.clear_points)
        lay = QHBoxLayout(self)
        nest(lay, left, 3)
        lay.addWidget(self.panel, 2)

    def _build_texts(self) -> SidePanelScroll:
        """The texts under the plane: the iteration, the step just taken and the outcome,
        as tall as they wrap to (the plane gives way); they scroll only when even the
        plane's floor would not leave them room (a window smaller than a projector's)."""
        # one line, the longest wording that fits beside the xor-mlp button (the iteration
        # is also in the status bar and in the lesson's caption)
        self.iter_label = FittingLabel()
        self.iter_label.setObjectName("iteration")
        self.step_label = RichWrapLabel()
        self.step_label.setObjectName("step-detail")
        self.status_label = WrapLabel()
        self.status_label.setObjectName("learning-status")
        self.status_label.setWordWrap(True)
        self.btn_xor = QPushButton("Open xor-mlp")
        self.btn_xor.setToolTip("The lesson xor-mlp: a hidden layer of two neurons solves XOR")
        self.btn_xor.clicked.connect(lambda: self.open_lesson.emit("xor-mlp"))
        texts = QWidget()
        tl = QVBoxLayout(texts)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.setSpacing(4)
        top = QHBoxLayout()
        top.addWidget(self.iter_label, 1)
        top.addWidget(self.btn_xor)
        nest(tl, top)
        tl.addWidget(self.step_label)
        tl.addWidget(self.status_label)
        tl.addStretch(1)
        scroll = SidePanelScroll(texts, floor=TEXTS_FLOOR)
        scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        return scroll

    def _build_plot(self) -> None:
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
        self.plot.setMinimumHeight(180)

    def _shown_aug(self) -> np.ndarray | None:
        """The weights (b, w1, w2) the page shows: while predict mode hides a step's w·x,
        those before the step (the new ones would tell whether the point was
        misclassified: the sliders, the z table and the line gave the answer away); None:
        the current ones."""
        reveal = getattr(self, "reveal", None)
        s = self.ctl.run.last_step()
        if reveal is None or s is None or not reveal.hidden():
            return None
        return np.asarray(s.w_before, dtype=float)

    def _on_perceptron_changed(self) -> None:
        c = self.ctl
        aug = self._shown_aug()
        b, w1, w2 = (c.b, c.w[0], c.w[1]) if aug is None else aug
        for key, v in (("w1", w1), ("w2", w2), ("b", b)):
            self.sliders[key].set_value(float(v))
        with QSignalBlocker(self.convention):
            self.convention.setCurrentIndex(self.convention.findData(c.convention))
        self.rule_text.setText(rule_text(*RULE_TEXT[c.convention]))
        t = c.truth_table(aug)
        for r in range(len(t.inputs)):
            vals = (number(t.inputs[r, 0]), number(t.inputs[r, 1]), number(t.z[r]),
                    str(int(t.y[r])))
            for col, text in enumerate(vals):
                set_cell(self.table, r, col, text, align=Qt.AlignmentFlag.AlignCenter,
                         background=pg.mkColor(rgba(self.style_.highlight, 90))
                         if t.differs[r] else None)
        self.panel.fit_table()
        if t.differs.any():
            where = ", ".join(_vec(p) for p in t.inputs[t.differs])
            self.convention_note.setText(f"{_eq('z', '0')} at {where}: the two conventions "
                                         f"disagree there (>{NBSP}0 gives 0, ≥{NBSP}0 gives 1).")
        else:
            self.convention_note.setText(f"No corner lies on the line: >{NBSP}0 and ≥{NBSP}0 "
                                         "agree.")
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
        w = "?" if hidden else _vec(c.current_aug())
        shown = self._shown_aug()
        head = f"Iteration {c.run.cursor} · updates {c.run.updates()}"
        self.iter_label.set_variants([f"{head} · w = (b, w1, w2) = {w}", f"{head} · w = {w}",
                                      head])
        self.iter_label.setToolTip(f"{head} · w = (b, w1, w2) = {w}")
        s = c.run.last_step()
        if s is None:
            self.step_label.setText(self._idle_text())
        else:
            cls = "class 1 (P)" if s.label == 1 else "class 0 (N)"
            if s.update:
                op = "+" if s.update > 0 else "−"
                action = (f"<b>misclassified</b> → {_eq('w', f'w{NBSP}{op}{NBSP}x')} = "
                          f"{_vec(s.w_before)}{NBSP}{op} {_vec(s.x)} = "
                          f"<b>{_vec(s.w_after)}</b>")
            else:
                action = "correct → no change"
            if hidden:   # predict, then reveal: w·x (and so the update) is asked
                action, wx = "misclassified or correct?", "?"
            else:
                wx = number(s.wx)
            self.step_label.setText(f"Picked {_eq('x', _vec(s.x))}, {cls}; "
                                    f"{_eq('w', _vec(s.w_before))}, {_eq('w·x', wx)} → {action}")
        n_wrong = len(c.misclassified(shown)) if len(c.x) else 0
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
            # short: the plane keeps the room (why it cannot come back: the tooltip)
            texts["cycle"] = (f"Never converges: {_eq('w', _vec(c.run.w_hist[k1]))} after "
                              f"step {k1} as after step {k0}, {n_wrong} points still wrong: "
                              "not linearly separable.")
        self.status_label.setText(texts.get(st, ""))
        self.status_label.setToolTip(CYCLE_WHY if st == "cycle" else "")
        self.btn_xor.setVisible(st == "cycle" or c.data_name == "XOR")
        if reveal is not None:
            reveal.sync()
        self._redraw.request()


    def _idle_text(self) -> str:
        """The rule, before its first step, and where its run starts: random weights
        replaced the ones shown at the first step without a word (perceptron-nand:
        (3, −2, −2), then (1, 0, −1))."""
        start = ("From random weights (Start: random w), step"
                 if self.ctl.start_mode == "random" else "From the weights shown, step")
        return (f"{start} the rule: pick a random point "
                f"{_eq('x', f'(1,{NBSP}x1,{NBSP}x2)')}, compare w·x with 0, "
                "and if it is on the wrong side add (class 1) or subtract "
                f"(class 0) x. Here {_eq('w', f'(b,{NBSP}w1,{NBSP}w2)')}.")
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
        aug = self._shown_aug()
        grid = c.region_grid(aug=aug)
        img = np.zeros(grid.shape + (4,), dtype=np.ubyte)
        img[grid == 1] = rgba(st.positive, 45)
        img[grid == 0] = rgba(st.negative, 45)
        self.region.setImage(img, levels=None, autoLevels=False)
        (x0, x1), (y0, y1) = SHADE
        self.region.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        xs, ys = c.decision_line(aug)
        self.line.setData(xs, ys)
        self.line.setPen(pg.mkPen(st.foreground, width=3 * st.scale))
        pos1, pos0 = c.x[c.labels == 1], c.x[c.labels == 0]
        self.points1.setData(pos=pos1, brush=pg.mkBrush(st.positive),
                             pen=pg.mkPen(st.foreground, width=1), size=16 * st.scale)
        self.points0.setData(pos=pos0, brush=pg.mkBrush(st.background),
                             pen=pg.mkPen(st.negative, width=3), size=15 * st.scale)
        wrong = c.x[c.misclassified(aug)] if len(c.x) else np.zeros((0, 2))
        self.wrong.setData(pos=wrong, pen=pg.mkPen(st.negative, width=2,
                                                   style=Qt.PenStyle.DashLine),
                           size=28 * st.scale, brush=None)
        s = c.run.last_step()
        picked = s.x[None, 1:] if s is not None else np.zeros((0, 2))
        self.picked.setData(pos=picked, pen=pg.mkPen(st.highlight, width=4),
                            size=36 * st.scale, brush=None)

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
        fit_combo(self.speed)
        self.plot.setBackground(style.background)
        style_plot(self.plot.getPlotItem(), style)
        self.panel.fit_table()
        self._on_perceptron_changed()
        self._on_learning_changed()
