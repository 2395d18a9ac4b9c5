"""Chart axes in the current style: one place for the pens, the fonts and how many ticks
an axis may carry, so tick labels grow with presentation mode without jamming together."""

from __future__ import annotations

from PySide6.QtGui import QFont

from nnviz.views.style import Style


def style_axis(axis, style: Style, size: float = 9.0, pen: str | None = None) -> None:
    """Pens, tick and label fonts of a pyqtgraph AxisItem at ``size`` points (scaled for
    presentation); larger type gets proportionally fewer ticks, and tick labels that
    would touch are left out rather than run into each other."""
    font = QFont()
    font.setPointSizeF(style.pt(size))
    axis.setPen(pen or style.foreground)
    axis.setTextPen(style.foreground)
    axis.setStyle(tickFont=font, hideOverlappingLabels=True)
    axis.label.setFont(font)
    axis.setTickDensity(1.0 / style.scale)


def style_axes(plot, style: Style, size: float = 9.0, names=("left", "bottom"),
               pen: str | None = None) -> None:
    """:func:`style_axis` for the named axes of a PlotItem or PlotWidget."""
    for name in names:
        style_axis(plot.getAxis(name), style, size, pen)
