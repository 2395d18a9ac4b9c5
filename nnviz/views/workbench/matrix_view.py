"""The Workbench's matrix view: its options (one example or a mini-batch, the layers'
numbering) on top of the current layer-level step, painted by :class:`MatrixCanvas` as
the notes write it (scrolls when long); a hidden result shows "?" until revealed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.workbench.matrix_stepper import MatrixController
from nnviz.engine.stepping.matrix_trace import Mat, MatrixStep
from nnviz.views.fit import fit_combo
from nnviz.views.layouts import nest
from nnviz.views.style import Style, current_style
from nnviz.views.widgets import FittingLabel
from nnviz.views.workbench.matrix_canvas import MatrixCanvas


def result_mat(step: MatrixStep) -> Mat:
    """The step's result: the last matrix of its last line."""
    return step.lines[-1][-1]


def hidden_result(step: MatrixStep | None) -> MatrixStep | None:
    """``step`` with its result's entries shown as "?" (predict, then reveal)."""
    if step is None or not step.lines or not isinstance(step.lines[-1][-1], Mat):
        return step
    m = result_mat(step)
    masked = replace(m, values=np.full(m.values.shape, np.nan))
    return replace(step, lines=(*step.lines[:-1], (*step.lines[-1][:-1], masked)))


class MatrixView(QWidget):
    """The matrix view: options on top, the current step below (scrolls when long)."""

    def __init__(self, ctl: MatrixController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workbench-matrix-view")
        self.ctl = ctl
        self.style_ = current_style()
        self.batch = QCheckBox("Mini-batch")
        self.batch.setObjectName("matrix-batch")
        self.batch.setToolTip("Several examples at once (notes 004, algorithm 5.3): each "
                              "example's δ and a, then the update (η/m) Σ_x δ^x (a^x)ᵀ")
        self.batch.toggled.connect(ctl.set_batch)
        self.numbering = QComboBox()
        self.numbering.setObjectName("matrix-numbering")
        self.numbering.addItem("Input layer = layer 1 (notes)", 1)
        self.numbering.addItem("Input layer = layer 0", 0)
        self.numbering.currentIndexChanged.connect(
            lambda i: ctl.set_base(self.numbering.itemData(i)))
        # a long position ("… · mini-batch of 8 of 40 examples") shortens itself instead
        # of squeezing the numbering's choice out of its box
        self.where = FittingLabel()
        self.where.setObjectName("matrix-where")
        self.where.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top = QHBoxLayout()
        top.setContentsMargins(6, 2, 6, 2)
        top.addWidget(self.batch)
        top.addWidget(self.numbering)
        top.addWidget(self.where, 1)
        self.canvas = MatrixCanvas()
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.canvas)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self._seen_width = 0
        self.scroll.viewport().installEventFilter(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        nest(lay, top)
        lay.addWidget(self.scroll, 1)
        self.is_hidden: Callable[[], bool] = lambda: False   # predict, then reveal
        ctl.changed.connect(self.refresh)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        """The viewport's size decides the type scale (refit on resize)."""
        if obj is self.scroll.viewport() and event.type() == event.Type.Resize:
            size = self.scroll.viewport().size()
            if (size.height(), size.width()) != (self.canvas.avail_height, self._seen_width):
                self.canvas.avail_height, self._seen_width = size.height(), size.width()
                self.canvas.refit()
        return False

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        for w in (self.batch, self.numbering, self.where):
            f = w.font()
            f.setPointSizeF(style.pt(9.5))
            w.setFont(f)
        fit_combo(self.numbering)   # its whole choice in the new type
        self.canvas.apply_style(style)

    def refresh(self) -> None:
        """Re-read the controller."""
        c = self.ctl
        with QSignalBlocker(self.batch):
            self.batch.setChecked(c.batch)
        with QSignalBlocker(self.numbering):
            self.numbering.setCurrentIndex(self.numbering.findData(c.base))
        tr = c.trace
        if tr is None:
            self.canvas.set_step(None, c.why_none())
            self.where.set_variants([""])
            return
        where = f"Step {c.m} of {len(tr)}"
        variants = [where]
        if c.batch:
            _x, _y, n = c.batch_rows()
            batch = f"{where} · mini-batch of {tr.m}"
            variants = [batch + (f" of {n} examples" if n > tr.m else ""), batch,
                        f"{where} · m = {tr.m}", where]
        self.where.set_variants(variants)
        start = ("Start of the pass. Right steps layer by layer: z = W a + b, a = σ(z), then "
                 "BP1-BP4 and the update, as notes 002 and 004 write them.")
        self.canvas.set_step(hidden_result(c.step) if self.is_hidden() else c.step, start)

    def shown_text(self) -> str:
        """What the view shows, as plain text (the last paint)."""
        return "\n".join([self.where.text()] + self.canvas.texts())

    def value_array(self) -> np.ndarray | None:
        s = self.ctl.step
        return None if s is None else s.value
