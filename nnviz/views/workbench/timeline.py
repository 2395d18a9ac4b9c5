"""The timeline panel: scrub training steps and micro-steps, play/pause and speed."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSlider,
    QToolButton,
    QWidget,
)

from nnviz.controllers.stepper import StepController
from nnviz.engine.naming import fmt
from nnviz.views.label_host import LabelHost
from nnviz.views.style import Style


class TimelinePanel(QWidget):
    """Two sliders (training step, micro-step), transport buttons and the play speed."""

    def __init__(self, stepper: StepController, actions: list[QAction],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stepper = stepper
        self.train_slider = QSlider(Qt.Orientation.Horizontal)
        self.train_slider.setObjectName("timeline-train")
        self.train_slider.setToolTip("Training steps done: drag back to an earlier one; "
                                     "training from there drops the later history")
        self.micro_slider = QSlider(Qt.Orientation.Horizontal)
        self.micro_slider.setObjectName("timeline-micro")
        self.micro_slider.setToolTip("Micro-step within the pass")
        self.train_label = QLabel()
        self.micro_label = QLabel()
        self.speed = QDoubleSpinBox()
        self.speed.setObjectName("play-speed")
        self.speed.setRange(0.1, 50)
        self.speed.setDecimals(1)
        self.speed.setSuffix(" steps/s")
        self.speed.setValue(stepper.speed)
        self.speed.setToolTip("Play speed in micro-steps per second")
        buttons = QHBoxLayout()
        for a in actions:
            b = QToolButton()
            b.setDefaultAction(a)
            buttons.addWidget(b)
        buttons.addWidget(self.speed)
        buttons.addStretch(1)
        grid = self.grid = QGridLayout(self)
        grid.setContentsMargins(4, 2, 4, 2)
        grid.addLayout(buttons, 0, 0, 1, 4)
        grid.addWidget(LabelHost(self.train_label), 1, 0)
        grid.addWidget(self.train_slider, 1, 1)
        grid.addWidget(LabelHost(self.micro_label), 1, 2)
        grid.addWidget(self.micro_slider, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 2)
        self.train_slider.valueChanged.connect(self._on_train_slider)
        self.micro_slider.valueChanged.connect(self.stepper.set_position)
        self.speed.valueChanged.connect(self.stepper.set_speed)

    def add_row(self, widget: QWidget) -> None:
        """Another row under the sliders (the Workbench's Train N steps)."""
        self.grid.addWidget(widget, self.grid.rowCount(), 0, 1, 4)

    def apply_style(self, style: Style) -> None:
        for w in (self.train_label, self.micro_label, self.speed):
            f = w.font()
            f.setPointSizeF(style.pt(10))
            w.setFont(f)

    def refresh(self) -> None:
        st = self.stepper
        with QSignalBlocker(self.train_slider):
            self.train_slider.setRange(0, max(0, len(st.timeline) - 1))
            self.train_slider.setValue(st.t)
        with QSignalBlocker(self.micro_slider):
            self.micro_slider.setRange(0, len(st))
            self.micro_slider.setValue(st.k)
        tr = st.trace
        err = f" · E = {fmt(tr.total_error)}" if tr is not None else ""
        self.train_label.setText(f"Training step {st.t} / {max(0, len(st.timeline) - 1)}{err}")
        self.micro_label.setText(f"Micro-step {st.k} of {len(st)}")

    def _on_train_slider(self, t: int) -> None:
        self.stepper.scrub(t, self.stepper.k)
