"""Small widgets shared by the Neuron lab's pages."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QObject, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget

from nnviz.views.axes import style_axes
from nnviz.views.items.math_text import number
from nnviz.views.style import Style


class ValueSlider(QWidget):
    """A horizontal slider over [lo, hi] in steps of ``step``, with a name and a value label.

    ``value_changed(float, bool)`` carries the value and whether it continues the same drag
    (so the controller can merge a whole drag into one undo step).
    """

    value_changed = Signal(float, bool)

    def __init__(self, name: str, lo: float, hi: float, step: float, decimals: int = 2,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lo, self.step, self.decimals = lo, step, decimals
        self.name_label = QLabel(name)
        self.name_label.setMinimumWidth(28)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, round((hi - lo) / step))
        self.slider.setObjectName(f"slider-{name}")
        self.value_label = QLabel()
        self.value_label.setMinimumWidth(52)
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.name_label)
        lay.addWidget(self.slider, 1)
        lay.addWidget(self.value_label)
        self.slider.valueChanged.connect(self._on_slider)
        self.slider.sliderPressed.connect(self._on_pressed)
        self._value = lo
        self._fresh = True

    def value(self) -> float:
        return round(self.lo + self.slider.value() * self.step, 10)

    def set_value(self, v: float) -> None:
        """Show a model value (the label shows it exactly even outside the slider's range)."""
        self._value = v
        with QSignalBlocker(self.slider):
            self.slider.setValue(round((v - self.lo) / self.step))
        self.value_label.setText(number(round(v, self.decimals + 4)))

    def _on_pressed(self) -> None:
        self._fresh = True

    def _on_slider(self, _i: int) -> None:
        same_drag = self.slider.isSliderDown() and not self._fresh
        self._fresh = False
        self.value_changed.emit(self.value(), same_drag)


def style_plot(plot: pg.PlotItem, style: Style) -> None:
    """Axis pens and fonts from the style (axis labels kept apart from the tick labels)."""
    style_axes(plot, style, pen=style.muted)


def rgba(hex_colour: str, alpha: int) -> tuple[int, int, int, int]:
    c = hex_colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16), alpha


class Throttle(QObject):
    """Redraw at most once per ``ms``: the first request draws at once, requests during the
    cool-down are coalesced into one draw at its end; :meth:`flush` draws a pending one now."""

    def __init__(self, fn, ms: int = 16, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn, self._pending = fn, False
        self._timer = QTimer(self, singleShot=True, interval=ms)
        self._timer.timeout.connect(self._on_timeout)

    def request(self) -> None:
        if self._timer.isActive():
            self._pending = True
        else:
            self._fn()
            self._timer.start()

    def flush(self) -> None:
        if self._pending:
            self._pending = False
            self._fn()

    def _on_timeout(self) -> None:
        if self._pending:
            self._pending = False
            self._fn()
            self._timer.start()
