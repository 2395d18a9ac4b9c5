"""The timeline panel: scrub training steps and micro-steps, play/pause and speed."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.workbench.stepper import StepController
from nnviz.engine.core.naming import fmt
from nnviz.views.label_host import LabelHost
from nnviz.views.layouts import nest, smallest_width
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
        self.buttons: list[QWidget] = []
        for a in actions:
            b = QToolButton()
            b.setDefaultAction(a)
            self.buttons.append(b)
        self.buttons.append(self.speed)
        # the transport buttons go in one row, or in two when one row would be wider
        # than the window (presentation type at 1024 pixels)
        self.rows = (QHBoxLayout(), QHBoxLayout())
        self._split = -1
        rows = QVBoxLayout()
        rows.setSpacing(2)
        for r in self.rows:
            nest(rows, r)
        grid = self.grid = QGridLayout(self)
        grid.setContentsMargins(4, 2, 4, 2)
        nest(grid, rows, 0, 0, 1, 4)
        self.micro_host = LabelHost(self.micro_label)
        self._micro_widest = ""   # the widest text the micro-step counter had room for
        self._slider_row = [LabelHost(self.train_label), self.train_slider,
                            self.micro_host, self.micro_slider]
        for c, w in enumerate(self._slider_row):
            grid.addWidget(w, 1, c)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 2)
        self.train_slider.valueChanged.connect(self._on_train_slider)
        self.micro_slider.valueChanged.connect(self.stepper.set_position)
        self.speed.valueChanged.connect(self.stepper.set_speed)
        self._arrange(len(self.buttons))

    def _row_width(self, widgets: list[QWidget]) -> int:
        gap = self.rows[0].spacing() if self.rows[0].spacing() >= 0 else 6
        return sum(w.sizeHint().width() + gap for w in widgets)

    def _arrange(self, split: int) -> None:
        """Buttons [0, split) in the first row, the rest in the second."""
        if split == self._split:
            return
        self._split = split
        for r in self.rows:
            while r.count():
                r.takeAt(0)
        for i, b in enumerate(self.buttons):
            self.rows[0 if i < split else 1].addWidget(b)
        for r in self.rows:
            r.addStretch(1)
        self.updateGeometry()

    def _fit_rows(self) -> None:
        m = self.layout().contentsMargins()
        room = self.width() - m.left() - m.right()
        one_row = self._row_width(self.buttons) <= room
        self._arrange(len(self.buttons) if one_row else (len(self.buttons) + 1) // 2)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """As narrow as the two-row arrangement, as tall as the arrangement shown."""
        hint = super().minimumSizeHint()
        half = (len(self.buttons) + 1) // 2
        m = self.layout().contentsMargins()
        two_rows = max(self._row_width(self.buttons[:half]), self._row_width(self.buttons[half:]))
        width = max(two_rows, self._slider_row_width()) + m.left() + m.right()
        return QSize(width, hint.height())

    def _slider_row_width(self) -> int:
        return sum(smallest_width(w) for w in self._slider_row) + \
            3 * max(0, self.grid.horizontalSpacing())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_rows()

    def add_row(self, widget: QWidget) -> None:
        """Another row under the sliders (the Workbench's Train N steps)."""
        self.grid.addWidget(widget, self.grid.rowCount(), 0, 1, 4)

    def apply_style(self, style: Style) -> None:
        for w in (self.train_label, self.micro_label, self.speed):
            f = w.font()
            f.setPointSizeF(style.pt(10))
            w.setFont(f)
        self._micro_widest = ""   # (measured again in the new type at the lab's refresh)
        self._fit_rows()

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
        # room for the pass's widest count at once ("Micro-step 10 of 32" grew the label
        # at step 10: the sliders moved, and the whole lab was painted twice more)
        widest = f"Micro-step {len(st)} of {len(st)}"
        if widest != self._micro_widest:
            self._micro_widest = widest
            self.micro_host.set_text(widest)
        self.micro_host.set_text(f"Micro-step {st.k} of {len(st)}")

    def _on_train_slider(self, t: int) -> None:
        self.stepper.scrub(t, self.stepper.k)
