"""The Workbench's "Train N steps" row (in the Timeline dock) and the notes' numbers
beside nnviz's: after N steps, and at the steps of the pass where the notes printed a
value worked from rounded intermediates."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from nnviz.controllers.workbench.repeat_trainer import RepeatTrainer
from nnviz.engine.teaching.notes_numbers import MAX_REPEAT
from nnviz.views.items.math_text import escape
from nnviz.views.layouts import nest
from nnviz.views.style import Style


class TrainNPanel(QWidget):
    """N, a button that trains (or stops), what the run reached and the notes' values."""

    def __init__(self, trainer: RepeatTrainer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.trainer = trainer
        self.steps = QSpinBox()
        self.steps.setObjectName("train-n-steps")
        self.steps.setRange(1, MAX_REPEAT)
        self.steps.setGroupSeparatorShown(True)
        self.steps.setValue(10_000)
        self.steps.setToolTip("How many of the Workbench's training steps (forward, backward "
                              "and the update with the chosen optimiser, L1/L2, clipping and "
                              "dropout, on the example; frozen biases stay) to take at once")
        self.button = QPushButton("Train N steps")
        self.button.setObjectName("train-n-button")
        self.button.clicked.connect(self._on_clicked)
        self.result = QLabel()
        self.result.setObjectName("train-n-result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes = QLabel()
        self.notes.setObjectName("notes-numbers")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        # one row: the controls, then what the run reached over the notes' values (so the
        # dock takes little height from the Equation panel above it)
        texts = QVBoxLayout()
        texts.setContentsMargins(0, 0, 0, 0)
        texts.setSpacing(0)
        texts.addWidget(self.result)
        texts.addWidget(self.notes)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        label = QLabel("Train")
        label.setFixedHeight(self.steps.sizeHint().height())   # level with the spin box
        row.addWidget(label, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.steps, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        nest(row, texts, 1)
        self._step_remarks: list[str] = []
        self._reserve()
        trainer.progress.connect(self._on_progress)
        trainer.finished.connect(self._on_finished)

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        for w in (self.steps, self.button, self.result, self.notes):
            f = w.font()
            f.setPointSizeF(style.pt(10))
            w.setFont(f)
        self._reserve()

    def _reserve(self) -> None:
        """Room for a line of the result and one of the notes' values, so stepping onto a
        value of the notes does not resize the docks (and the graph above them)."""
        h = self.notes.fontMetrics().height()
        self.result.setMinimumHeight(int(1.1 * h))
        self.notes.setMinimumHeight(int(1.1 * h))

    def set_default_steps(self, n: int) -> None:
        """The lesson's step count (the notes' 10,000), if it has one."""
        if n >= 1 and not self.trainer.playback.playing:
            self.steps.setValue(min(n, MAX_REPEAT))

    def set_step_remarks(self, remarks: list[str]) -> None:
        """The notes' numbers that belong to the step shown now."""
        self._step_remarks = list(remarks)
        self._show_notes()

    def _show_notes(self) -> None:
        lines = self._step_remarks + self.trainer.remarks
        self.notes.setText("<br>".join(f"<b>Notes:</b> {escape(r)}" for r in lines))

    def plain_text(self) -> str:
        """What the row shows (for tests): the result and the notes' values."""
        return "\n".join([self.result.text()] + self._step_remarks + self.trainer.remarks)

    def _on_clicked(self) -> None:
        if self.trainer.playback.playing:
            self.trainer.cancel()
        else:
            self.trainer.start(self.steps.value())

    def _on_progress(self, done: int, asked: int) -> None:
        self.button.setText("Stop")
        self.result.setText(f"Training… {done:,} of {asked:,} steps")

    def _on_finished(self) -> None:
        self.button.setText("Train N steps")
        self.result.setText(self.trainer.result)
        self._show_notes()
