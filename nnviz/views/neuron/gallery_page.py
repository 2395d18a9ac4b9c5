"""Activation gallery: f and f' of every engine activation, a shared draggable z marker,
and the saturation regions (f' near 0) shaded."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from nnviz.controllers.neuron.functions import (
    ALPHA_RANGE,
    ALPHA_START,
    GALLERY,
    Z_RANGE,
    FunctionsController,
)
from nnviz.engine.core.activations import ACTIVATIONS, Activation
from nnviz.views.axes import fitting_title_pt, set_title
from nnviz.views.fit import unbreakable
from nnviz.views.items.math_text import math_html, narrow_minus, number
from nnviz.views.layouts import nest
from nnviz.views.neuron.widgets import Throttle, ValueSlider, rgba, style_plot
from nnviz.views.style import Style, current_style

UNBOUNDED = (-1.5, 3.0)
#: the margin above and below a bounded activation's range
MARGIN = 0.3


def y_range(act: Activation) -> tuple[float, float]:
    """The plot's y range: the activation's own range with a margin, or a fixed one."""
    if act.out_range is None:
        return UNBOUNDED
    lo, hi = act.out_range
    return lo - MARGIN, hi + MARGIN


def _num(v: float) -> str:
    return number(round(v, 4))


def unbroken(formula: str) -> str:
    """A formula as rich text that never wraps inside (every space non-breaking), with its
    sub- and superscripts set as the Equation panel sets them (e^(−z) as e⁻ᶻ)."""
    return math_html(unbreakable(formula))


#: pixels (at the 10-point type) left free before a plot's widest y tick label, and the
#: widest labels the gallery's y axes show (a bounded range's middle; the others' ticks)
TICK_ROOM = 6
Y_TICK_TEXTS = ("0.5", narrow_minus("−1"), narrow_minus("−2"))


def bounded_ticks(act: Activation, px_per_unit: float, room: float) -> list | None:
    """Tick labels of a bounded activation's y axis: its range's ends (tanh's −1 and 1
    beside 0), and the middle too where the labels are ``room`` pixels apart; None for
    an unbounded one (pyqtgraph's own ticks)."""
    if act.out_range is None:
        return None
    lo, hi = act.out_range
    values = [lo, (lo + hi) / 2, hi]
    if (hi - lo) / 2 * px_per_unit < room:
        values = [lo, hi]
    return [[(v, narrow_minus(number(v))) for v in values]]   # as every tick label


#: the titles' largest type, in points before the presentation scale
TITLE_PT = 10.0


def _title(name: str, f: str, fp: str) -> str:
    return f"<b>{ACTIVATIONS[name].short}</b>: f = {f}, f′ = {fp}"


class GalleryPage(QWidget):
    """A 3 x 3 grid of plots; the z marker is shared (dragging one moves all)."""

    def __init__(self, ctl: FunctionsController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.style_ = current_style()
        self.view = pg.GraphicsLayoutWidget()
        self.view.setObjectName("gallery")
        self.plots: dict[str, pg.PlotItem] = {}
        self.f_items: dict[str, pg.PlotDataItem] = {}
        self.fp_items: dict[str, pg.PlotDataItem] = {}
        self.markers: dict[str, pg.InfiniteLine] = {}
        self.dots: dict[str, pg.ScatterPlotItem] = {}
        self.regions: dict[str, list[pg.LinearRegionItem]] = {}
        self._alpha_drawn = dict(ctl.gallery_alpha)
        self._title_pt: dict[str, float] = {}
        for i, name in enumerate(GALLERY):
            p = self.view.addPlot(row=i // 3, col=i % 3)
            p.setMenuEnabled(False)
            p.hideButtons()
            p.vb.setMouseEnabled(False, False)
            p.setXRange(-5, 5, padding=0)
            p.setYRange(*y_range(ACTIVATIONS[name]), padding=0)
            p.showGrid(x=True, y=True, alpha=0.15)
            self.plots[name] = p
            p.getViewBox().sigResized.connect(lambda *_a, n=name: self._fit_ticks(n))
            self.regions[name] = []
            self.f_items[name] = p.plot()
            self.fp_items[name] = p.plot()
            self._set_curve(name)
            m = pg.InfiniteLine(pos=0.0, angle=90, movable=True, bounds=(-Z_RANGE, Z_RANGE))
            m.sigPositionChanged.connect(lambda line: self.ctl.set_gallery_z(line.value()))
            p.addItem(m)
            self.markers[name] = m
            self.dots[name] = pg.ScatterPlotItem(size=9)
            p.addItem(self.dots[name])
        sliders = self._sliders()
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setToolTip("Drag a marker or the z slider; Page Down / Page Up select "
                               "the next or previous function")
        # the plots get the height: both sliders in one row, no margins around the grid
        self.view.ci.layout.setContentsMargins(0, 0, 0, 0)
        lay = QVBoxLayout(self)
        lay.addWidget(self.view, 1)
        nest(lay, sliders)
        lay.addWidget(self.legend)
        self._redraw = Throttle(self._draw, 16, self)
        ctl.gallery_changed.connect(self._on_gallery_changed)
        self.apply_style(self.style_)

    def _sliders(self) -> QHBoxLayout:
        """z and α in one row (the plots get the height), a rule between them: z's value
        beside α's name read "0 α", as if α were 0."""
        self.z_slider = ValueSlider("z", -Z_RANGE, Z_RANGE, 0.05, decimals=2)
        self.z_slider.value_changed.connect(lambda v, _d: self.ctl.set_gallery_z(v))
        self.alpha_slider = ValueSlider("α", *ALPHA_RANGE, 0.01, decimals=2)
        self.alpha_slider.setObjectName("gallery-alpha")
        self.alpha_slider.setToolTip("α of the selected Leaky ReLU or ELU (notes 002: 0.1); "
                                     "the keys select a function")
        self.alpha_slider.value_changed.connect(self._on_alpha)
        row = QHBoxLayout()
        row.addWidget(self.z_slider, 3)
        self.slider_rule = QFrame()
        self.slider_rule.setFrameShape(QFrame.Shape.VLine)
        self.slider_rule.setFrameShadow(QFrame.Shadow.Plain)
        row.addSpacing(12)
        row.addWidget(self.slider_rule)
        row.addSpacing(12)
        row.addWidget(self.alpha_slider, 1)
        return row

    def _set_curve(self, name: str) -> None:
        """f, f' and the shaded saturation of one activation (again when its α changes)."""
        p = self.plots[name]
        z, f, fp, regions = self.ctl.gallery_curve(name, -Z_RANGE, Z_RANGE)
        for r in self.regions[name]:
            p.removeItem(r)
        self.regions[name] = []
        for lo, hi in regions:
            r = pg.LinearRegionItem((lo, hi), movable=False)
            r.setZValue(-10)
            r.setBrush(pg.mkBrush(rgba(self.style_.muted, 60)))
            for ln in r.lines:
                ln.setPen(pg.mkPen(None))
            p.addItem(r)
            self.regions[name].append(r)
        self.f_items[name].setData(z, f)
        self.fp_items[name].setData(z, fp)

    def _on_alpha(self, value: float, _drag: bool) -> None:
        if self.ctl.gallery_name in ALPHA_START:
            self.ctl.set_gallery_alpha(self.ctl.gallery_name, value)

    def _on_gallery_changed(self) -> None:
        self._redraw.request()

    def _draw(self) -> None:
        c, st = self.ctl, self.style_
        z = c.gallery_z
        self.z_slider.set_value(z)
        for name, alpha in c.gallery_alpha.items():
            if self._alpha_drawn.get(name) != alpha:
                self._alpha_drawn[name] = alpha
                self._set_curve(name)
        has_alpha = c.gallery_name in ALPHA_START
        self.alpha_slider.setEnabled(has_alpha)
        if has_alpha:
            with QSignalBlocker(self.alpha_slider):
                self.alpha_slider.set_value(c.gallery_alpha[c.gallery_name])
        for name in GALLERY:
            f, fp = c.gallery_at(name)
            with QSignalBlocker(self.markers[name]):
                self.markers[name].setValue(z)
            self.dots[name].setData([z, z], [f, fp], brush=[pg.mkBrush(st.positive),
                                                            pg.mkBrush(st.gradient)],
                                    pen=pg.mkPen(st.foreground), size=9 * st.scale)
            sel = name == c.gallery_name
            colour = st.highlight if sel else st.foreground
            set_title(self.plots[name], _title(name, self._short(f), self._short(fp)), colour,
                      self._title_pt.get(name, st.pt(TITLE_PT)))
        act = c.gallery_activation(c.gallery_name)
        alpha = f" (α = {_num(act.alpha)})" if has_alpha else ""
        f, fp = c.gallery_at(c.gallery_name)
        at = ", ".join(unbroken(t) for t in (f"z = {_num(z)}", f"f = {_num(f)}",
                                              f"f′ = {_num(fp)}"))
        self.legend.setText(
            f"<span style='color:{st.positive}'><b>━&nbsp;f(z)</b></span> &nbsp; "
            f"<span style='color:{st.gradient}'><b>┅&nbsp;f′(z)</b></span> &nbsp; "
            f"<span style='background:{st.muted};color:{st.background}'>&nbsp;shaded&nbsp;</span>"
            " = saturated, |f′(z)|&nbsp;&lt;&nbsp;0.01: gradients vanish there. &nbsp; "
            f"<b>{act.title}</b>{alpha}: {unbroken(act.formula)}; "
            f"{unbroken(act.prime_formula)}; at {at}.")

    def _short(self, v: float) -> str:
        """A title's number: four decimals, two in presentation mode (the titles were about
        8 px tall at 1024x768 in F5 to make room for "−0.9999"; the legend below has
        the selected function's values in four)."""
        return number(round(v, 2 if self.style_.presentation else 4))

    def _fit_titles(self) -> None:
        """The titles' type: the largest (down to a floor) at which each fits above its
        plot with the longest numbers it can show, so none changes size while z moves."""
        st = self.style_
        self._title_pt = {}
        widest = "0.99" if st.presentation else "0.9999"
        for name, p in self.plots.items():
            rng = ACTIVATIONS[name].out_range
            sign = "−" if rng is None or rng[0] < 0 else ""   # f′ of these is never < 0
            self._title_pt[name] = fitting_title_pt(
                p, _title(name, f"{sign}{widest}", widest), st.pt(TITLE_PT), st.pt(6.5))
        low = min(self._title_pt.values(), default=st.pt(TITLE_PT))   # an even grid
        self._title_pt = dict.fromkeys(self._title_pt, low)

    def _fit_ticks(self, name: str) -> None:
        """A bounded activation's y ticks at its range's ends (pyqtgraph left tanh's axis
        with "0" alone on a small plot in large type), with room above and below the range
        for half a label (else the end labels are left out), again whenever it resizes."""
        p, act = self.plots[name], ACTIVATIONS[name]
        ax, vb = p.getAxis("left"), p.getViewBox()
        fh = QFontMetricsF(ax.style.get("tickFont") or ax.font()).height()
        lo, hi = y_range(act)
        if act.out_range is not None and vb.height() > 2 * fh:
            a, b = act.out_range
            m = max(MARGIN, (fh / 2 + 2) * (b - a) / (vb.height() - fh - 4))
            lo, hi = a - m, b + m
            p.setYRange(lo, hi, padding=0)
        ax.setTicks(bounded_ticks(act, vb.height() / (hi - lo), fh))
        # one width for every plot's y axis: room for its widest tick label and a gap
        # before it, so no label ("0.5" of the step and sigmoid plots, flush with the axis'
        # edge at 1024x768 in F5) touches the plot on its left or the page's edge
        fm = QFontMetricsF(ax.style.get("tickFont") or ax.font())
        offset = ax.style.get("tickTextOffset", [5, 2])[0]
        widest = max(fm.horizontalAdvance(t) for t in Y_TICK_TEXTS)
        ax.setWidth(int(widest + offset + TICK_ROOM * self.style_.scale + 1))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_titles()
        self._redraw.request()

    def select(self, step: int) -> None:
        """Highlight the next/previous activation (clicker keys on this page)."""
        i = (GALLERY.index(self.ctl.gallery_name) + step) % len(GALLERY)
        self.ctl.set_gallery(GALLERY[i])

    def flush(self) -> None:
        """Draw a pending update now (screenshots, tests)."""
        self._redraw.flush()

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        self.view.setBackground(style.background)
        for name, p in self.plots.items():
            style_plot(p, style)
            p.layout.setContentsMargins(1, 0, 1, 1)   # (the title above leaves the top tick room)
            self.f_items[name].setPen(pg.mkPen(style.positive, width=2.5 * style.scale))
            self.fp_items[name].setPen(pg.mkPen(style.gradient, width=2 * style.scale,
                                                style=Qt.PenStyle.DashLine))
            self.markers[name].setPen(pg.mkPen(style.highlight, width=2 * style.scale))
            self.markers[name].setHoverPen(pg.mkPen(style.highlight, width=4 * style.scale))
            for r in self.regions[name]:
                r.setBrush(pg.mkBrush(rgba(style.muted, 60)))
                for ln in r.lines:
                    ln.setPen(pg.mkPen(None))
            self._fit_ticks(name)
        self._fit_titles()
        self._draw()
