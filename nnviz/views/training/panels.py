"""The side panels: running and hyper-parameters, and the data set."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.training.controller import SPEEDS, TrainingController
from nnviz.engine.core.activations import ACTIVATIONS
from nnviz.engine.core.init import INITIALISERS
from nnviz.engine.core.losses import LOSSES
from nnviz.engine.learning.training import DROPOUT_CONVENTIONS, dropout_note
from nnviz.engine.sets.data import GATES, GENERATORS, GOALS, custom_goals_available
from nnviz.views.layouts import nest
from nnviz.views.widgets import PAUSE, PLAY, spin_box


class RunPanel(QGroupBox):
    """Play/pause, steps, reset, revert, speed, and the hyper-parameters other than the
    optimiser's (its momentum and the rest are in the OptimiserBox, the one place)."""

    def __init__(self, ctl: TrainingController, parent: QWidget | None = None) -> None:
        super().__init__("Training", parent)
        self.ctl, self.doc = ctl, ctl.doc
        grid = self._build_buttons()
        form = self._build_settings()
        self.acts_form = QFormLayout()
        self.acts: list[QComboBox] = []
        lay = QVBoxLayout(self)
        nest(lay, grid)
        nest(lay, form)
        nest(lay, self.acts_form)
        # a step is taken through take_step (the lab's predict mode hides its losses)
        self.take_step = lambda take: take()
        self._connect()
        ctl.playback.playing_changed.connect(self._on_playing_changed)
        self.doc.settings_changed.connect(self._on_settings_changed)
        self._on_settings_changed()

    def _build_buttons(self) -> QGridLayout:
        """Steps, Back, Reset, Revert and the speed (Play and the epoch are in the lab's
        top bar, always in view)."""
        self.play = QPushButton("▶ Play")
        self.play.setObjectName("play")
        self.step_sample = QPushButton("1 sample")
        self.step_batch = QPushButton("1 batch")
        self.step_epoch = QPushButton("1 epoch")
        self.back = QPushButton("◀ Back")
        self.back.setObjectName("step-back")
        self.back.setToolTip("Undo the last step, epoch or run of Play (PgUp)")
        self.reset = QPushButton("Reset")
        self.revert = QPushButton("Revert")
        self.revert.setToolTip("Go back to the last finite network after a NaN/inf")
        self.epoch = QLabel("Epoch 0")
        self.speed = QComboBox()
        for s in SPEEDS:
            self.speed.addItem("max speed" if not s else f"{s} step{'s' if s > 1 else ''}/s", s)
        grid = QGridLayout()
        for i, w in enumerate((self.step_sample, self.step_batch, self.step_epoch, self.back,
                               self.reset, self.revert, self.speed)):
            grid.addWidget(w, i // 2, i % 2)
        return grid

    def _build_settings(self) -> QFormLayout:
        """η, batch size, L1, L2, dropout and its convention, clipping, loss, initialiser,
        frozen biases."""
        self.eta = spin_box(0, 1000, 5, 0.01)  # bounded: larger rates only ever blow up
        self.batch = QSpinBox()
        self.batch.setRange(0, 100000)
        self.batch.setSpecialValueText("full batch")
        self.batch.setKeyboardTracking(False)
        self.l1 = spin_box(0, 1000, 4, 0.1)
        self.l2 = spin_box(0, 1000, 4, 0.1)
        self.dropout = spin_box(0, 0.9, 2, 0.1)
        self.dropout_mode = QComboBox()
        self.dropout_mode.setObjectName("dropout-mode")
        for mode, text in DROPOUT_CONVENTIONS.items():
            self.dropout_mode.addItem(text, mode)
        self.dropout_note = QLabel()
        self.dropout_note.setObjectName("dropout-note")
        self.dropout_note.setWordWrap(True)
        self.clip = spin_box(0, 1e6, 3, 0.5, "off")
        self.loss = QComboBox()
        for name, loss in LOSSES.items():
            self.loss.addItem(loss.title, name)
        self.init = QComboBox()
        self.init.addItems(INITIALISERS)
        self.freeze = QCheckBox("frozen biases")
        form = QFormLayout()
        form.addRow("learning rate η", self.eta)
        form.addRow("batch size", self.batch)
        form.addRow("L1 λ", self.l1)
        form.addRow("L2 λ", self.l2)
        form.addRow("dropout p", self.dropout)
        form.addRow("dropout is", self.dropout_mode)
        form.addRow(self.dropout_note)
        form.addRow("clip ‖g‖ at", self.clip)
        form.addRow("loss", self.loss)
        form.addRow("initialiser", self.init)
        form.addRow("", self.freeze)
        return form

    def _connect(self) -> None:
        """Every control writes through the controller or the document."""
        ctl = self.ctl
        self.play.clicked.connect(ctl.playback.toggle)
        self.step_sample.clicked.connect(lambda: self.take_step(ctl.step_sample))
        self.step_batch.clicked.connect(lambda: self.take_step(ctl.step_batch))
        self.step_epoch.clicked.connect(lambda: self.take_step(ctl.step_epoch))
        self.back.clicked.connect(ctl.step_back)
        # Back undoes the history's newest entry when it is training: an edit, an undo or
        # a redo anywhere changes whether it is
        self.doc.undo_stack.indexChanged.connect(self._sync_back)
        self.reset.clicked.connect(ctl.edits.reset)
        self.revert.clicked.connect(ctl.edits.revert)
        self.speed.currentIndexChanged.connect(lambda _i: ctl.set_speed(self.speed.currentData()))
        self.eta.valueChanged.connect(lambda v: self._config(eta=v))
        self.batch.valueChanged.connect(lambda v: self._config(batch_size=v or None))
        self.l1.valueChanged.connect(lambda v: self._config(l1=v))
        self.l2.valueChanged.connect(lambda v: self._config(l2=v))
        self.dropout.valueChanged.connect(lambda v: self._config(dropout=v))
        self.dropout_mode.activated.connect(
            lambda i: self._config(dropout_mode=self.dropout_mode.itemData(i)))
        self.clip.valueChanged.connect(lambda v: self._config(clip_norm=v or None))
        self.freeze.toggled.connect(lambda v: self._config(freeze_biases=v))
        self.loss.currentIndexChanged.connect(lambda _i: self.doc.set_loss(self.loss.currentData()))
        self.init.currentTextChanged.connect(ctl.edits.set_init)

    def _config(self, **changes) -> None:
        try:
            self.doc.set_config(**changes)
        except ValueError as e:
            self.doc.message.emit(str(e))
            self._on_settings_changed()

    def _on_playing_changed(self, playing: bool) -> None:
        self.play.setText(f"{PAUSE} Pause" if playing else f"{PLAY} Play")

    def _on_settings_changed(self) -> None:
        c = self.doc.config
        pairs = ((self.eta, c.eta), (self.batch, c.batch_size or 0), (self.l1, c.l1),
                 (self.l2, c.l2), (self.dropout, c.dropout), (self.clip, c.clip_norm or 0))
        for w, v in pairs:
            with QSignalBlocker(w):
                w.setValue(v)
        with QSignalBlocker(self.freeze):
            self.freeze.setChecked(c.freeze_biases)
        with QSignalBlocker(self.dropout_mode):
            self.dropout_mode.setCurrentIndex(max(0, self.dropout_mode.findData(c.dropout_mode)))
        self.dropout_note.setText(dropout_note(c.dropout, c.dropout_mode))
        self.dropout_note.setVisible(c.dropout > 0)
        with QSignalBlocker(self.loss):
            self.loss.setCurrentIndex(max(0, self.loss.findData(self.doc.loss_name)))

    def _sync_back(self, _index: int = 0) -> None:
        self.back.setEnabled(self.ctl.can_step_back())

    def refresh(self) -> None:
        """Re-read the epoch, the revert state, the speed, the initialiser and the activations."""
        self.epoch.setText(f"Epoch {self.ctl.epoch}")
        self.revert.setEnabled(self.ctl.last_finite is not None)
        self._sync_back()
        with QSignalBlocker(self.speed):
            self.speed.setCurrentIndex(max(0, self.speed.findData(self.ctl.speed)))
        with QSignalBlocker(self.init):
            self.init.setCurrentText(self.ctl.init_method)
        net = self.doc.network
        if len(self.acts) != net.n_layers:
            while self.acts_form.rowCount():
                self.acts_form.removeRow(0)
            self.acts = []
            for l in range(net.n_layers):
                box = QComboBox()
                names = [n for n, a in ACTIVATIONS.items() if not a.vector or l == net.n_layers - 1]
                box.addItems(names)
                box.currentTextChanged.connect(lambda name, l=l: self._activation(l, name))
                title = "output" if l == net.n_layers - 1 else f"hidden {l + 1}"
                self.acts_form.addRow(f"{title} ({net.sizes[l + 1]})", box)
                self.acts.append(box)
        for l, box in enumerate(self.acts):
            with QSignalBlocker(box):
                box.setCurrentText(net.activations[l].name)

    def _activation(self, layer: int, name: str) -> None:
        acts = self.doc.network.activations
        if layer >= len(acts):   # a combo of a layer just removed, before the next refresh
            return
        if name != acts[layer].name:
            self.ctl.edits.set_activation(layer, name)


class DataPanel(QGroupBox):
    """Data set, noise, split, seed, the class for clicks, CSV import/export."""

    def __init__(self, ctl: TrainingController, parent: QWidget | None = None) -> None:
        super().__init__("Data", parent)
        self.ctl = ctl
        self._build_controls()
        self._lay_out()
        spec = ctl.data_edits.set_data_spec
        self.source.activated.connect(lambda i: spec(source=self.source.itemData(i)))
        self.gate.activated.connect(lambda i: spec(gate=self.gate.itemText(i)))
        self.goal.activated.connect(lambda i: spec(goal=self.goal.itemText(i)))
        self.classes.valueChanged.connect(lambda v: spec(classes=v))
        self.n.valueChanged.connect(lambda v: spec(n=v))
        self.noise.valueChanged.connect(lambda v: spec(noise=v / 100))
        self.split.valueChanged.connect(lambda v: spec(split=v / 100))
        self.regenerate.clicked.connect(ctl.data_edits.regenerate)
        ctl.data_changed.connect(self._on_data_changed)
        self._on_data_changed()

    def _build_controls(self) -> None:
        """The set, gate, goal, classes, points, noise, split, the class for clicks and the
        CSV buttons."""
        self.source = QComboBox()
        self.gate = QComboBox()
        self.gate.addItems(GATES)
        self.goal = QComboBox()
        self.goal.addItems(GOALS)
        if custom_goals_available():  # type any f(x) when the expression parser is present
            self.goal.setEditable(True)
            self.goal.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            self.goal.lineEdit().editingFinished.connect(self._on_goal_edited)
        self.classes = QSpinBox()
        self.classes.setRange(2, 6)
        self.classes.setKeyboardTracking(False)
        self.n = QSpinBox()
        self.n.setRange(10, 5000)
        self.n.setSingleStep(50)
        self.n.setKeyboardTracking(False)
        self.noise = QSlider()
        self.noise.setOrientation(self.noise.orientation().Horizontal)
        self.noise.setRange(0, 50)
        self.split = QSlider()
        self.split.setOrientation(self.split.orientation().Horizontal)
        self.split.setRange(10, 90)
        self.noise_label = QLabel()
        self.split_label = QLabel()
        self.regenerate = QPushButton("Regenerate")
        self.click_class = QComboBox()
        self.click_class.setToolTip("Class added by a left click (a right click adds the other "
                                    "class); click a point to remove it")
        self.import_csv = QPushButton("Import CSV…")
        self.export_csv = QPushButton("Export CSV…")
        self.counts = QLabel()

    def _lay_out(self) -> None:
        """The form, then Regenerate and the CSV buttons in one row, then the counts."""
        form = QFormLayout()
        form.addRow("data set", self.source)
        form.addRow("gate", self.gate)
        form.addRow("goal f(x)", self.goal)
        form.addRow("classes", self.classes)
        form.addRow("points", self.n)
        form.addRow(self.noise_label, self.noise)
        form.addRow(self.split_label, self.split)
        form.addRow("left click adds", self.click_class)
        row = QHBoxLayout()
        row.addWidget(self.regenerate)
        row.addWidget(self.import_csv)
        row.addWidget(self.export_csv)
        lay = QVBoxLayout(self)
        nest(lay, form)
        nest(lay, row)
        lay.addWidget(self.counts)

    def _on_goal_edited(self) -> None:
        text = self.goal.currentText().strip()
        if (text and text != self.ctl.data.spec.goal
                and not self.ctl.data_edits.set_data_spec(goal=text)):
            self._on_data_changed()  # refused (message shown): show the goal in use again

    def _on_data_changed(self) -> None:
        ds, net = self.ctl.data, self.ctl.doc.network
        spec = ds.spec
        n_in = net.sizes[0] if net is not None else 2
        choices = {2: list(GENERATORS) + ["gate"], 64: ["digits"], 1: ["regression"]}.get(n_in, [])
        choices.append("table")
        with QSignalBlocker(self.source):
            self.source.clear()
            for c in choices:
                self.source.addItem("own table / CSV" if c == "table" else c, c)
            self.source.setCurrentIndex(max(0, self.source.findData(spec.source)))
        for w, v in ((self.classes, spec.classes), (self.n, spec.n),
                     (self.noise, round(spec.noise * 100)), (self.split, round(spec.split * 100))):
            with QSignalBlocker(w):
                w.setValue(v)
        with QSignalBlocker(self.gate):
            self.gate.setCurrentText(spec.gate)
        with QSignalBlocker(self.goal):
            self.goal.setCurrentText(spec.goal)
        self.noise_label.setText(f"noise {round(spec.noise * 100)} %")
        self.split_label.setText(f"train {round(spec.split * 100)} %")
        gen = spec.source in GENERATORS or spec.source == "regression"
        self.gate.setEnabled(spec.source == "gate")
        self.goal.setEnabled(spec.source == "regression")
        self.classes.setEnabled(spec.source in ("spiral", "gaussians")
                                and (net is None or net.sizes[-1] > 1))
        self.n.setEnabled(gen)
        self.noise.setEnabled(gen)
        self.regenerate.setEnabled(gen)
        with QSignalBlocker(self.click_class):
            keep = self.click_class.currentIndex()
            self.click_class.clear()
            if ds.regression:
                self.click_class.addItem("a point (x, y)", -1)
            else:
                for k in range(ds.n_classes):
                    self.click_class.addItem(f"class {k}", k)
                self.click_class.setCurrentIndex(keep if 0 <= keep < ds.n_classes else
                                                 min(1, ds.n_classes - 1))
        n_test = int(ds.test.sum())
        self.counts.setText(f"{len(ds.x) - n_test} training and {n_test} test samples")
