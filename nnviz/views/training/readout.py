"""The Training lab's top bar: the controls toggle, Play, and the live numbers in large type."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nnviz.views.label_host import LabelHost
from nnviz.views.layouts import nest
from nnviz.views.style import Style

#: the live numbers are this much larger than the lab's text (less if the bar is narrow)
BIG = (1.7, 1.45, 1.2, 1.0)


def _fmt(v: float) -> str:
    """A loss: "∞" where it overflowed (a blown-up network), "–" where there is none."""
    if np.isinf(v):
        return "∞"
    return "–" if not np.isfinite(v) else f"{v:.4g}" if v < 1e4 else f"{v:.3g}"


class _Figure(QWidget):
    """A small caption over a large number.

    The number sits in a :class:`LabelHost`: it changes every frame while training runs,
    and a bare QLabel would ask the window to lay itself out again each time (the bar,
    the lab and the side panel moved and repainted: a large part of a frame's drawing);
    the host asks only when the number needs more room than it has had."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel(caption)
        self.value = QLabel("–")
        self.value.setObjectName("readout-value")
        self.host = LabelHost(self.value)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 0, 6, 0)
        lay.setSpacing(0)
        lay.addWidget(self.caption)
        lay.addWidget(self.host)

    def set_value_font(self, font) -> None:
        """The number's type; its room is measured afresh at once (the bar fits by it)."""
        self.value.setFont(font)
        self.host.refit()


class ReadoutBar(QWidget):
    """☰ Controls · ▶ Play · epoch · training loss · test loss · test accuracy."""

    def __init__(self, play: QPushButton, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("training-readout")
        self.controls = QToolButton()
        self.controls.setText("☰ Controls")
        self.controls.setCheckable(True)
        self.controls.setToolTip("Show or hide the training and data controls")
        self.play = play
        self.epoch = _Figure("Epoch")
        self.train_loss = _Figure("Training loss")
        self.test_loss = _Figure("Test loss")
        self.accuracy = _Figure("Test accuracy")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        lay.setSpacing(0)
        self.rows = (QHBoxLayout(), QHBoxLayout())
        for row in self.rows:
            nest(lay, row)
        self.rows[0].addWidget(self.controls, 0, Qt.AlignmentFlag.AlignVCenter)
        self.rows[0].addWidget(self.play, 0, Qt.AlignmentFlag.AlignVCenter)
        self.rows[0].addWidget(self.epoch)
        self._place(one_row=True)
        # never wider than the window gives: the numbers' type shrinks, or the losses go to
        # a second row (_fit)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._base_pt = 9.0

    def _figures(self) -> tuple[_Figure, ...]:
        return (self.epoch, self.train_loss, self.test_loss, self.accuracy)

    def _place(self, one_row: bool) -> None:
        """The losses and accuracy after the epoch, or in a second row.

        The rows are never read back with ``itemAt``: PySide keeps the wrapper of an item
        it returned alive with its layout, and when Qt deletes the item (its widget moved
        to the other row) that wrapper still answers for the freed address, which a later
        object reuses (pyqtgraph's drawPixmapFragments was handed a QWidgetItem; workers
        of the projector tests crashed in processEvents after F5)."""
        if hasattr(self, "one_row"):   # the stretches out first: each row ends in one
            for r in self.rows:
                r.takeAt(r.count() - 1)
        figures = list(self._figures()[1:])
        row = self.rows[0 if one_row else 1]
        for f in figures:
            row.addWidget(f)  # moves it (a widget is in one layout only)
        for r in self.rows:
            r.addStretch(1)
        self.row_widgets = ([self.controls, self.play, self.epoch] + figures * one_row,
                            figures * (not one_row))
        self.one_row = one_row

    def _fit(self) -> None:
        """The largest type for the numbers, in one row if it fits, else in two."""
        for one_row in (True, False):
            if one_row != getattr(self, "one_row", None):
                self._place(one_row)
            for k in BIG:
                for f in self._figures():
                    font = f.value.font()
                    font.setPointSizeF(self._base_pt * k)
                    font.setBold(True)
                    f.set_value_font(font)
                if self.needed_width() <= self.width():
                    return

    def needed_width(self) -> int:
        """The bar's width with nothing squeezed (its wider row)."""
        m = self.layout().contentsMargins()
        widths = []
        for row, widgets in zip(self.rows, self.row_widgets):
            shown = [w for w in widgets if not w.isHidden()]
            widths.append(sum(w.sizeHint().width() for w in shown)
                          + row.spacing() * max(0, len(shown) - 1))
        return max(widths) + m.left() + m.right()

    def resizeEvent(self, ev) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(ev)
        self._fit()

    def apply_style(self, style: Style, base_pt: float) -> None:
        self._base_pt = base_pt
        self._fit()
        colours = ((self.train_loss, style.positive), (self.test_loss, style.negative))
        for f, c in colours:
            f.value.setStyleSheet(f"color: {c}")

    def set_values(self, epoch: int, h: dict[str, np.ndarray], classification: bool) -> None:
        """The epoch and the last recorded losses and test accuracy."""
        self.epoch.host.set_text(f"{epoch:,}".replace(",", "\u2009"))
        last = {k: float(h[k][-1]) if len(h[k]) else float("nan")
                for k in ("train_loss", "test_loss", "test_acc")}
        self.train_loss.host.set_text(_fmt(last["train_loss"]))
        self.test_loss.host.set_text(_fmt(last["test_loss"]))
        acc = last["test_acc"]
        if self.accuracy.isHidden() == classification:
            self.accuracy.setVisible(classification)
            self._fit()
        self.accuracy.host.set_text("–" if not np.isfinite(acc) else f"{100 * acc:.1f} %")

    def hide_values(self) -> None:
        """Predict mode: the losses and accuracy of the step taken are not shown yet."""
        for f in (self.train_loss, self.test_loss, self.accuracy):
            f.host.set_text("?")
