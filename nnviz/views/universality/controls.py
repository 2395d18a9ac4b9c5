"""The one-input control panel: mode, activation, goal, score, auto-fit, training and
the selected neuron's sliders."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.universality.controller import MAX_BUMPS, MAX_NEURONS, UniversalityController
from nnviz.engine.labs.universality import GOAL_PRESETS
from nnviz.views.fit import fit_combo
from nnviz.views.layouts import nest
from nnviz.views.style import Style
from nnviz.views.universality.goal_edit import GoalEdit
from nnviz.views.widgets import PAUSE, PLAY, FittingLabel, spin_box

ACTIVATIONS = [("sigmoid", "Sigmoid"), ("step", "Step"), ("tanh", "tanh"), ("relu", "ReLU"),
               ("linear", "None (linear)")]
#: the sliders' least width at the 10-point type (wider in larger type)
SLIDER_MIN = 64
MODE_TITLES = [("free", "Free (w and b)"), ("step", "Step (w large, drag s)"),
               ("bumps", "Bumps (drag bars)")]


class SliderSpin(QWidget):
    """A slider and a spin box showing one number; ``edited(value, final)`` on user edits."""

    edited = Signal(float, bool)

    def __init__(self, lo: float, hi: float, decimals: int = 3) -> None:
        super().__init__()
        self._lo, self._hi = lo, hi
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 1000)
        self.spin = spin_box(-1e6, 1e6, decimals)
        self.slider.setMinimumWidth(SLIDER_MIN)
        self._fit_spin()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.slider, 1)
        lay.addWidget(self.spin)
        self.slider.valueChanged.connect(
            lambda k: self.edited.emit(self._lo + (self._hi - self._lo) * k / 1000, False))
        self.slider.sliderReleased.connect(lambda: self.edited.emit(self.spin.value(), True))
        self.spin.valueChanged.connect(lambda v: self.edited.emit(v, True))

    def _fit_spin(self) -> None:
        """The number box as wide as "-9999.0000" in its type, no wider (the four rows'
        boxes line up): sized for its range (±1e6) it took the row and left the slider
        50 pixels at 1024x768 in F5."""
        probe = spin_box(-9999, 9999, 4)
        probe.setFont(self.spin.font())
        self.spin.setFixedWidth(probe.sizeHint().width())
        probe.deleteLater()

    def changeEvent(self, ev) -> None:  # noqa: N802 - Qt API
        super().changeEvent(ev)
        if ev.type() == QEvent.Type.FontChange:
            self._fit_spin()
            self.slider.setMinimumWidth(round(SLIDER_MIN * self.font().pointSizeF() / 10))

    def set_range(self, lo: float, hi: float) -> None:
        self._lo, self._hi = lo, hi

    def set_value(self, v: float) -> None:
        with QSignalBlocker(self.slider), QSignalBlocker(self.spin):
            self.spin.setValue(v)
            if self._hi > self._lo:   # (clamped first: a value far outside would overflow)
                k = (min(max(v, self._lo), self._hi) - self._lo) / (self._hi - self._lo)
                self.slider.setValue(int(round(1000 * k)))
            else:
                self.slider.setValue(0)


class OneInputControls(QWidget):
    """Widgets bound to the controller; they write only through its setters."""

    neuron_selected = Signal(int)

    def __init__(self, ctl: UniversalityController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.selected = 0
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.setSpacing(3)
        # one line, the longest wording that fits (two wrapped lines made the panel scroll
        # at 1280x720 in presentation mode); the whole wording is its tooltip
        self.score_label = FittingLabel()
        self.score_label.setObjectName("score")
        lay.addWidget(self.score_label)
        form = self._build_network_rows(lay)
        self._build_goal_rows(form, lay)
        self._build_training_rows(lay)
        self._connect()
        ctl.changed.connect(self._on_model_changed)
        self._on_model_changed()

    def _build_network_rows(self, lay: QVBoxLayout) -> QFormLayout:
        """Mode, activation, the count of bumps (or steps) and the step weight, the output."""
        form = QFormLayout()
        form.setVerticalSpacing(3)
        nest(lay, form)
        self.mode = QComboBox()
        for key, title in MODE_TITLES:
            self.mode.addItem(title, key)
        form.addRow("Mode", self.mode)
        self.activation = QComboBox()
        for key, title in ACTIVATIONS:
            self.activation.addItem(title, key)
        form.addRow("Activation", self.activation)
        for combo in (self.mode, self.activation):   # every choice readable in full
            combo.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.count = QSpinBox()
        self.count.setKeyboardTracking(False)  # typing "25" must not build 2 bumps first
        self.count_label = QLabel("Bumps")
        self.w_big = spin_box(0.1, 1e6, 1)
        pair = QHBoxLayout()   # one row for the two: the panel fits a short screen
        pair.addWidget(self.count)
        pair.addWidget(QLabel("step w"))
        pair.addWidget(self.w_big)
        form.addRow(self.count_label, pair)
        self.sigmoid_out = QCheckBox("Sigmoid output (fit σ⁻¹ of goal)")

        return form

    def _build_goal_rows(self, form: QFormLayout, lay: QVBoxLayout) -> None:
        """The goal: a preset, or a function of x typed in (its error under it)."""
        # compact rows (no group boxes): the panel fits a projector's short screen
        self.preset = QComboBox()
        self.preset.addItem("(choose a preset)", None)
        for name, text in GOAL_PRESETS.items():
            self.preset.addItem(name, text)
        self.preset.addItem("no goal", "")
        form.addRow("Goal f(x)", self.preset)
        self.goal_edit = GoalEdit()   # wraps: a long goal is shown whole
        self.goal_edit.setPlaceholderText("a function of x, e.g. sin(2 pi x)")
        self.goal_edit.setToolTip("numbers, x, + - * / ^, ( ), sin cos tan exp log sqrt abs, pi, e")
        lay.addWidget(self.goal_edit)
        self.goal_error = QLabel()
        self.goal_error.setWordWrap(True)
        self.goal_error.setObjectName("goal-error")
        self.goal_error.setVisible(False)   # shown only with a message
        lay.addWidget(self.goal_error)
        lay.addWidget(self.sigmoid_out)

    def _build_training_rows(self, lay: QVBoxLayout) -> None:
        """Auto-fit and Train, the learning rate, and the selected hidden neuron's w, b,
        step position and output weight."""
        row = QHBoxLayout()
        self.fit_button = QPushButton("Auto-fit")
        self.fit_button.setToolTip("Least-squares bump heights (or output weights)")
        self.train_button = QPushButton(f"{PLAY} Train from here")
        self.train_button.setCheckable(True)
        row.addWidget(self.fit_button)
        row.addWidget(self.train_button)
        nest(lay, row)
        form2 = QFormLayout()
        form2.setVerticalSpacing(3)
        self.eta = spin_box(0.0001, 100, 4, 0.01)
        form2.addRow("Learning rate η", self.eta)
        nest(lay, form2)

        self.neuron = QSpinBox()
        self.neuron.setPrefix("N")  # the notes' names N0, N1, ...
        form2.addRow("Hidden neuron", self.neuron)
        self.w = SliderSpin(-100, 100)
        self.b = SliderSpin(-100, 100)
        self.s = SliderSpin(0, 1, 4)
        self.v = SliderSpin(-3, 3)
        form2.addRow("  its w", self.w)
        form2.addRow("  its b", self.b)
        form2.addRow("  step s = −b/w", self.s)
        form2.addRow("  output weight", self.v)
        lay.addStretch(1)

    def _connect(self) -> None:
        """Every control writes through the controller's setters."""
        self.mode.activated.connect(lambda _i: self.ctl.set_mode(self.mode.currentData()))
        self.activation.activated.connect(
            lambda _i: self.ctl.set_activation(self.activation.currentData()))
        self.count.valueChanged.connect(self.ctl.set_count)
        self.w_big.valueChanged.connect(self._on_w_big_edited)
        self.sigmoid_out.toggled.connect(
            lambda on: self.ctl.set_output("sigmoid" if on else "linear"))
        self.preset.activated.connect(self._on_preset_chosen)
        self.goal_edit.returnPressed.connect(self._on_goal_entered)
        self.fit_button.clicked.connect(self._on_fit_clicked)
        self.train_button.clicked.connect(self._on_train_clicked)
        self.eta.valueChanged.connect(self.ctl.set_eta)
        self.neuron.valueChanged.connect(self.neuron_selected.emit)
        self.w.edited.connect(lambda v, fin: self._edit(self.ctl.set_weight, v, fin))
        self.b.edited.connect(lambda v, fin: self._edit(self.ctl.set_bias, v, fin))
        self.s.edited.connect(lambda v, fin: self._edit(self.ctl.set_step_position, v, fin))
        self.v.edited.connect(lambda v, fin: self._edit(self.ctl.set_output_weight, v, fin))
        for combo in (self.mode, self.activation, self.preset):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)

    # ------------------------------------------------------------ user edits
    def _edit(self, setter, value: float, final: bool) -> None:
        if self.selected < self.ctl.net.n:
            setter(self.selected, value, merge=True)
        if final:
            self.ctl.end_drag()

    def _on_w_big_edited(self, v: float) -> None:
        self.ctl.set_w_big(v)
        self.ctl.end_drag()

    def _on_preset_chosen(self, _i: int) -> None:
        text = self.preset.currentData()
        if text is None:
            return
        self._set_goal(text or None)

    def _on_goal_entered(self) -> None:
        self._set_goal(self.goal_edit.text())

    def _show_error(self, text: str) -> None:
        self.goal_error.setText(text)
        self.goal_error.setVisible(bool(text))

    def _set_goal(self, text: str | None) -> None:
        err = self.ctl.set_goal_text(text)
        self._show_error("" if err is None else f"Not changed: {err}")

    def _on_fit_clicked(self) -> None:
        err = self.ctl.auto_fit()
        self._show_error(err or "")

    def _on_train_clicked(self) -> None:
        err = self.ctl.train_blocker()
        if err:
            self._show_error(f"Cannot train: {err}")
            self._on_model_changed()    # the button is not left checked
            return
        self.ctl.playback.toggle()

    def select(self, j: int) -> None:
        self.selected = j
        self._on_model_changed()

    # ------------------------------------------------------------ model -> widgets
    def _on_model_changed(self) -> None:
        ctl, m = self.ctl, self.ctl.m
        net = m.net
        bumps = m.mode == "bumps"
        with QSignalBlocker(self.mode):
            self.mode.setCurrentIndex(self.mode.findData(m.mode))
        with QSignalBlocker(self.activation):
            self.activation.setCurrentIndex(self.activation.findData(net.activation))
        with QSignalBlocker(self.count):
            self.count_label.setText("Bumps" if bumps else "Neurons")
            self.count.setRange(1, MAX_BUMPS if bumps else MAX_NEURONS)
            self.count.setValue(m.n_bumps if bumps else net.n)
        with QSignalBlocker(self.w_big):
            self.w_big.setValue(m.w_big)
        self.w_big.setEnabled(m.mode != "free")
        with QSignalBlocker(self.sigmoid_out):
            self.sigmoid_out.setChecked(net.output == "sigmoid")
        if not self.goal_edit.hasFocus():
            self.goal_edit.setText(m.goal_text or "")
            self.goal_edit.setCursorPosition(0)
        with QSignalBlocker(self.eta):
            self.eta.setValue(ctl.eta)
        self.train_button.setChecked(ctl.playback.playing)
        self.train_button.setText(f"{PAUSE} Pause" if ctl.playback.playing else f"{PLAY} Train from here")
        self._show_score()
        j = min(self.selected, net.n - 1)
        with QSignalBlocker(self.neuron):
            self.neuron.setRange(0, net.n - 1)
            self.neuron.setValue(j)
        lo, hi = m.x_range
        big = max(100.0, m.w_big * 1.2)
        self.w.set_range(-big if m.mode != "free" else -100, big if m.mode != "free" else 100)
        self.b.set_range(-big if m.mode != "free" else -100, big if m.mode != "free" else 100)
        self.s.set_range(lo, hi)
        s = ctl.readouts.step_positions()[j]
        self.w.set_value(net.w[j])
        self.b.set_value(net.b[j])
        self.s.set_value(float(s) if np.isfinite(s) else lo)
        self.v.set_value(net.v[j])
        self.s.setEnabled(bool(np.isfinite(s)))

    def _show_score(self) -> None:
        ctl = self.ctl
        score = ctl.readouts.score()
        value = "—" if score is None else f"{score:.4f}"
        long = short = ""
        if ctl.playback.playing or ctl.epochs:
            long, short = f"   ·   {ctl.epochs} training steps", f" · {ctl.epochs} steps"
        variants = [f"Score (mean |output − goal|): {value}{long}",
                    f"Score (mean |output − goal|): {value}{short}",
                    f"Mean |output − goal|: {value}{short}", f"Score: {value}{short}",
                    f"Score {value}{short}"]
        self.score_label.set_variants(variants)
        self.score_label.setToolTip(variants[0])

    def apply_style(self, style: Style) -> None:
        for combo in (self.mode, self.activation):   # every choice readable in full
            fit_combo(combo)
        f = self.score_label.font()
        f.setPointSizeF(style.pt(12))
        f.setBold(True)
        self.score_label.setFont(f)
        self.goal_error.setStyleSheet(f"color: {style.negative};")
