"""Chart axes and titles in the current style: one place for the pens, the fonts, how many
ticks an axis may carry (tick labels grow with presentation mode without jamming together)
and how large a title may be (it shrinks to fit its plot instead of widening it)."""

from __future__ import annotations

import types
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetricsF, QTextDocument

from nnviz.views.items.math_text import NARROW_MINUS
from nnviz.views.style import Style


def style_axis(axis, style: Style, size: float = 9.0, pen: str | None = None,
               apart: bool = True) -> None:
    """Pens, tick and label fonts of a pyqtgraph AxisItem at ``size`` points (scaled for
    presentation); larger type gets proportionally fewer ticks, and tick labels that
    would touch are left out rather than run into each other; with ``apart`` the axis
    label is kept off the tick labels (:func:`label_apart`)."""
    font = QFont()
    font.setPointSizeF(style.pt(size))
    axis.setPen(pen or style.foreground)
    axis.setTextPen(style.foreground)
    axis.setStyle(tickFont=font, hideOverlappingLabels=True)
    axis.label.setFont(font)
    axis.setTickDensity(1.0 / style.scale)
    space_ticks(axis)
    if apart:
        label_apart(axis)


#: multiples of a tick step tried, smallest first, until its labels have room
_WIDER = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)


def _spaced_ticks(axis, lo: float, hi: float, size: float) -> list:
    """pyqtgraph's tick levels, but with labels never closer than their own size: on a
    small chart in large type ("0 20 40" on an 80-pixel axis) the labelled step widens
    (x2, x5, x10, ...) and the finer levels are dropped."""
    levels = pg.AxisItem.tickSpacing(axis, lo, hi, size)
    if not levels or not hi > lo or size <= 0 or axis._tickSpacing is not None:
        return levels
    fm = QFontMetricsF(axis.style.get("tickFont") or axis.font())
    major = levels[0][0]
    across = axis.orientation in ("top", "bottom")

    def label_width(step: float) -> float:
        first = np.ceil(lo / step) * step
        texts = _tick_texts(axis, [first, first + step], axis.scale, step)
        return max(fm.horizontalAdvance(t) for t in texts)

    def labels_inside(step: float) -> int:
        """Ticks whose labels (centred on them) lie wholly on the axis: drawn."""
        half = label_width(step) / 2 / size * (hi - lo) if across else 0.0
        return int(np.floor((hi - half) / step) - np.ceil((lo + half) / step) + 1)

    def neighbours(step: float) -> float:
        """The mean width of the widest two neighbouring labels: how far apart their
        ticks must stand for the labels just to touch ("−10" beside "0")."""
        first = np.ceil(lo / step) * step
        n = int(min(50, max(2, np.floor((hi - first) / step) + 1)))
        texts = _tick_texts(axis, [first + i * step for i in range(n)], axis.scale, step)
        w = [fm.horizontalAdvance(t) for t in texts]
        return max((a + b) / 2 for a, b in zip(w, w[1:]))

    def roomy(step: float) -> bool:
        need = label_width(step) + fm.height() / 2 if across else fm.ascent()
        return step / (hi - lo) * size >= need

    chosen = next((f for f in _WIDER if roomy(major * f)), _WIDER[-1])
    step = major * chosen
    if across and labels_inside(step) < 2:
        # the roomy step left one label between the ends ("0" of -20, 0, 20 on ±18):
        # a closer one that keeps two, its labels a little nearer but apart (by their
        # neighbours' widths: "−10" is wider than "0" beside it)
        for f in reversed(_WIDER[:_WIDER.index(chosen)]):
            closer = major * f
            if closer / (hi - lo) * size >= neighbours(closer) + 4 and \
                    labels_inside(closer) >= 2:
                step = closer
                break
    return levels if step == major else [(step, 0.0)]


def style_axes(plot, style: Style, size: float = 9.0, names=("left", "bottom"),
               pen: str | None = None, apart: bool = True) -> None:
    """:func:`style_axis` for the named axes of a PlotItem or PlotWidget (and room above
    the plot for its top tick label)."""
    for name in names:
        style_axis(plot.getAxis(name), style, size, pen, apart)
    if "left" in names:
        room_for_top_tick(plot, plot.getAxis("left").style.get("tickFont") or QFont())


def room_for_top_tick(plot, font: QFont) -> None:
    """Half a tick label of room above the plot: a tick at the top of the range is drawn
    centred on it, and was cut in half by the widget's edge."""
    item = plot.getPlotItem() if hasattr(plot, "getPlotItem") else plot
    layout = getattr(item, "layout", None)
    if layout is not None:
        half = max(1, int(np.ceil(QFontMetricsF(font).height() / 2)))
        layout.setContentsMargins(1, half, 1, 1)


def _tick_texts(axis, values, scale, spacing) -> list[str]:
    """pyqtgraph's tick labels with the close-set minus sign where it prints a hyphen
    ("–4", :data:`~nnviz.views.items.math_text.NARROW_MINUS`)."""
    return [t.replace("-", NARROW_MINUS) for t in type(axis).tickStrings(axis, values, scale,
                                                                         spacing)]


def minus_ticks(axis) -> None:
    """Negative tick labels of ``axis`` with a minus sign ("−4", not "-4")."""
    axis.tickStrings = types.MethodType(_tick_texts, axis)


def space_ticks(axis) -> None:
    """Tick labels of ``axis`` never closer than their own size (see _spaced_ticks), and
    negative ones with a minus sign."""
    if not getattr(axis, "_nnviz_spaced", False):
        axis._nnviz_spaced = True
        axis.tickSpacing = types.MethodType(_spaced_ticks, axis)
        minus_ticks(axis)


def label_apart(axis) -> None:
    """Room for the axis label's whole height beside the tick labels: pyqtgraph reserves
    four fifths of it and sets the label five pixels outside the axis, so a label in
    presentation type ("a_j", "w"; "epoch", "cost C" in every lab) touched the tick
    labels."""
    if getattr(axis, "_nnviz_apart", False):
        return
    axis._nnviz_apart = True
    side = "_updateWidth" if axis.orientation in ("left", "right") else "_updateHeight"
    plain = getattr(axis, side)

    def update() -> None:
        plain()
        if axis.isVisible() and axis.label.isVisible() and \
                (axis.fixedWidth if side == "_updateWidth" else axis.fixedHeight) is None:
            extra = axis.label.boundingRect().height() * 0.2
            if side == "_updateWidth":
                axis.setMaximumWidth(axis.maximumWidth() + extra)
                axis.setMinimumWidth(axis.minimumWidth() + extra)
            else:
                axis.setMaximumHeight(axis.maximumHeight() + extra)
                axis.setMinimumHeight(axis.minimumHeight() + extra)

    setattr(axis, side, update)
    axis._adjustSize()


def title_width(html: str, pt: float, font: QFont) -> float:
    """The width in pixels a plot title (pyqtgraph's LabelItem) takes in ``pt`` points."""
    doc = QTextDocument()
    doc.setDefaultFont(font)
    doc.setHtml(f"<span style='font-size:{pt:.1f}pt'>{html}</span>")
    return doc.idealWidth() + 2 * doc.documentMargin()


def fitting_title_pt(plot, html: str, pt: float, floor: float) -> float:
    """The largest size from ``pt`` down to ``floor`` (half points) at which ``html`` fits
    the width of the plot's view box (``pt`` while the plot is not laid out yet)."""
    room = plot.getViewBox().width()
    font = plot.titleLabel.item.font()
    while room > 0 and pt > floor and title_width(html, pt, font) > room:
        pt -= 0.5
    return max(pt, floor)


def set_title(plot, html: str, color: str, pt: float) -> None:
    """The plot's title in ``pt`` points that never widens the plot: pyqtgraph makes a
    title's width the plot's minimum, which pushed plots out of their windows."""
    title = plot.titleLabel
    if not getattr(title, "_nnviz_narrow", False):   # whoever sets its text next, too
        title._nnviz_narrow = True
        title.updateMin = types.MethodType(_height_only_minimum, title)
    plot.setTitle(html, color=color, size=f"{pt:.1f}pt")
    for view in plot.scene().views() if plot.scene() is not None else ():
        if getattr(view, "centralWidget", None) is plot:
            # a plot alone in its view is laid out by the view's resizes only: give it
            # the view's width again now that the title no longer holds it wider
            pg.GraphicsView.setRange(view, view.range, padding=0, disableAutoPixel=False)


def _height_only_minimum(label) -> None:
    """LabelItem.updateMin without the width: the text's height, any width."""
    pg.LabelItem.updateMin(label)
    label.setMinimumWidth(0)


def fit_title(plot, html: str | Sequence[str], color: str, pt: float, floor: float) -> None:
    """:func:`set_title` at the largest size from ``pt`` down to ``floor`` that fits, fitted
    again whenever the plot is resized. ``html`` may be wordings, longest first: the first
    that fits at ``floor`` or larger is shown (the last one, at ``floor``, if none does)."""
    plot._nnviz_title = ((html,) if isinstance(html, str) else tuple(html), color, pt, floor)
    if not getattr(plot, "_nnviz_title_fits", False):
        plot._nnviz_title_fits = True
        plot.getViewBox().sigResized.connect(lambda *_a, p=plot: _refit_title(p))
    _refit_title(plot)


def fitting_title(plot, wordings: tuple[str, ...], pt: float, floor: float) -> tuple[str, float]:
    """The first of ``wordings`` that fits the plot's width at ``floor`` or larger, and the
    largest size it fits at (the last wording at ``floor`` if none fits)."""
    return fitting_wording(wordings, plot.getViewBox().width(), plot.titleLabel.item.font(),
                           pt, floor)


def fitting_wording(wordings: Sequence[str], room: float, font: QFont, pt: float,
                    floor: float) -> tuple[str, float]:
    """:func:`fitting_title` for ``room`` pixels in ``font`` (a plot not laid out yet: the
    first wording at ``pt`` while ``room`` is not positive)."""
    for html in wordings:
        size = pt
        while room > 0 and size > floor and title_width(html, size, font) > room:
            size -= 0.5
        size = max(size, floor)
        if room <= 0 or title_width(html, size, font) <= room:
            return html, size
    return wordings[-1], floor


def legend_below(plot, columns: int = 2) -> pg.LegendItem:
    """A legend under the x axis of ``plot`` (a PlotItem), in ``columns`` columns, under the
    left axis and the plot both: where a legend in a corner covered curves that rise into
    it (the U curve, the universality steps)."""
    legend = pg.LegendItem(colCount=columns)
    plot.layout.addItem(legend, plot.layout.rowCount(), 0, 1, 2)
    return legend


def _refit_title(plot) -> None:
    wordings, color, pt, floor = plot._nnviz_title
    html, size = fitting_title(plot, wordings, pt, floor)
    if getattr(plot, "_nnviz_title_set", None) != (html, color, size):
        plot._nnviz_title_set = (html, color, size)
        set_title(plot, html, color, size)
