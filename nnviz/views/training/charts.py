"""Train/test loss and accuracy curves (hover to read) and the gradient-health bars."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QGraphicsItem, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from nnviz.views.axes import label_apart, room_for_top_tick, space_ticks
from nnviz.views.items.math_text import math_plain
from nnviz.views.layouts import nest
from nnviz.views.style import Style
from nnviz.views.thin import GrowingPeaks
from nnviz.views.training.chart_names import place_marker_labels, place_name

#: stacked tick labels stand at least this many lines apart (a short chart on a projector
#: still shows two values of its scale)
TICK_GAP = 1.25
#: a chart's least height in lines of its tick labels (the bottom axis with its title
#: takes about two and a half)
MIN_PLOT_LINES = 6.0


def nice_ceiling(v: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten that is >= v (1 for v <= 0)."""
    if not np.isfinite(v) or v <= 0:
        return 1.0
    e = 10.0 ** np.floor(np.log10(v))
    for m in (1.0, 2.0, 5.0, 10.0):
        if m * e >= v * (1 - 1e-12):
            return float(m * e)
    return float(10 * e)


def _num(v: float) -> str:
    return "–" if not np.isfinite(v) else f"{v:.4g}"


def _short(v: float) -> str:
    return "–" if not np.isfinite(v) else f"{v:.2g}"


def style_plot(plot, style: Style) -> None:
    """Background, axes and title in the style's colours and font size."""
    plot.setBackground(style.background)
    for name in ("left", "bottom"):
        ax = plot.getAxis(name)
        ax.setPen(pg.mkPen(style.foreground))
        ax.setTextPen(pg.mkPen(style.foreground))
        f = QFont(ax.font())
        f.setPointSizeF(8.5 * style.scale)
        ax.setTickFont(f)
        ax.enableAutoSIPrefix(False)  # "epoch", never "epoch (x0.001)"
        ax.label.setFont(f)
        space_ticks(ax)   # before a chart places its own ticks, too
        label_apart(ax)
    title = plot.getPlotItem().titleLabel
    title.setText(title.text, color=style.foreground, size=f"{10 * style.scale:.0f}pt")
    room_for_top_tick(plot, f)
    line = QFontMetricsF(f).height()
    # tall enough for its axis and three tick labels stacked above it, in any type size
    plot.setMinimumHeight(int(MIN_PLOT_LINES * line))
    if not getattr(plot, "_fits_ticks", False):  # from now on, whenever it resizes or pans
        plot._fits_ticks = True
        for sig in (plot.getViewBox().sigResized, plot.getViewBox().sigRangeChanged):
            sig.connect(lambda *_a, pl=plot: fit_ticks(pl))
    fit_ticks(plot)


def cache_axes(plot) -> None:
    """The plot's axes painted once into pixmaps that are copied while only the data
    change (a training frame), and painted again when their range, ticks or style do."""
    for name in ("left", "bottom"):
        plot.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def fit_ticks(plot) -> None:
    """One level of ticks, as many as the axes have room for at their tick font's size, so
    labels never run into each other (a projector's large type on a small chart)."""
    vb = plot.getViewBox()
    (x0, x1), (y0, y1) = vb.viewRange()
    for name, lo, hi, length in (("left", y0, y1, vb.height()), ("bottom", x0, x1, vb.width())):
        ax = plot.getAxis(name)
        if getattr(ax, "_fixed_ticks", False) or not hi > lo or length <= 0:
            continue
        fm = QFontMetricsF(ax.style.get("tickFont") or ax.font())
        count = max(1.0, length // (2.0 * fm.height()))
        if name == "left":   # a short chart still shows two values of its scale if they
            count = max(count, 2.0)   # stand TICK_GAP lines apart
            step = nice_ceiling(max((hi - lo) / count,
                                    (hi - lo) * TICK_GAP * fm.height() / length))
        else:
            step = nice_ceiling((hi - lo) / count)
        while name == "bottom":  # widen the step until the widest label has room
            dec = max(0, int(-np.floor(np.log10(step))))
            widest = max(fm.horizontalAdvance(f"{v:.{dec}f}") for v in (lo, hi, lo + step))
            if step / (hi - lo) * length >= widest + fm.height() or step >= hi - lo:
                break
            step = nice_ceiling(step * 1.5)
        ax.setTickSpacing(levels=[(step, 0.0)])


class Curves(QWidget):
    """Loss and accuracy against the epoch; the mouse over a plot reads the nearest epoch."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loss_plot = pg.PlotWidget()
        self.acc_plot = pg.PlotWidget()
        # each name inside a corner of its plot: no title row, no rotated label to cut
        # off; a bottom one first (a loss falls from the top left, an accuracy rises to
        # the top right), else the one the curves leave free (chart_names)
        for p, title, corner in ((self.loss_plot, "loss", 0), (self.acc_plot, "accuracy", 1)):
            p.setMenuEnabled(False)
            p.hideButtons()
            cache_axes(p)
            p.setLabel("bottom", "epoch")
            name = pg.TextItem(title, anchor=(corner, 1))
            name.setParentItem(p.getViewBox())
            p.name_item = name
            vb = p.getViewBox()
            p.name_corner = corner
            vb.sigResized.connect(lambda _vb, pl=p: self._place_texts(pl))
            # (a new range is applied to the curves' transform later, when the view box
            # updates its matrix: placed by the old one, "accuracy" lay over the curve)
            vb.sigTransformChanged.connect(lambda _vb, pl=p: self._place_texts(pl))
            p.setToolTip("Point at a curve to read the epoch's losses and accuracies")
            p.setMinimumWidth(100)
            p.scene().sigMouseMoved.connect(lambda pos, pl=p: self._on_mouse_moved(pl, pos))
        self.acc_plot.setYRange(0, 1.02)
        # bare curve items: a PlotDataItem (what plot() makes) draws through the same
        # curve item but its setData costs ~0.3 ms more (its data set, transforms and
        # bounds), four lines at every live frame: ~5 % of a frame's drawing
        self.lines = {key: pg.PlotCurveItem() for key in
                      ("train_loss", "test_loss", "train_acc", "test_acc")}
        for key, line in self.lines.items():
            (self.loss_plot if key.endswith("loss") else self.acc_plot).addItem(line)
        self._thin = {key: GrowingPeaks() for key in self.lines}   # each line's, kept
        self.cursors = [pg.InfiniteLine(angle=90, movable=False) for _ in range(2)]
        self.loss_plot.addItem(self.cursors[0])
        self.acc_plot.addItem(self.cursors[1])
        for c in self.cursors:
            c.hide()
        self.hint = "solid: training · dashed: test"
        self.readout = QLabel(self.hint)
        self.readout.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.loss_plot, 1)  # equal shares, also after the accuracy plot was
        row.addWidget(self.acc_plot, 1)   # hidden for a regression lesson and shown again
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        nest(lay, row, 1)
        lay.addWidget(self.readout)
        self._h: dict[str, np.ndarray] = {}
        for p in (self.loss_plot, self.acc_plot):  # the curves are cut to the plot's pixels
            p.getViewBox().sigResized.connect(lambda *_a: self._draw_lines())
        self._read_epoch: float | None = None  # the epoch the readout and cursors show
        self._ranges: tuple | None = None   # (x max, y min, y max) the plots were given
        self.apply_style(Style())

    def clear_readout(self) -> None:
        """No epoch read: the hint instead of a readout, no cursor lines."""
        self._read_epoch = None
        self.readout.setText(self.hint)
        for c in self.cursors:
            c.hide()

    def apply_style(self, style: Style) -> None:
        w = 2.5 * style.scale
        dash = pg.QtCore.Qt.PenStyle.DashLine
        self.lines["train_loss"].setPen(pg.mkPen(style.positive, width=w))
        self.lines["test_loss"].setPen(pg.mkPen(style.negative, width=w, style=dash))
        self.lines["train_acc"].setPen(pg.mkPen(style.positive, width=w))
        self.lines["test_acc"].setPen(pg.mkPen(style.negative, width=w, style=dash))
        for c in self.cursors:
            c.setPen(pg.mkPen(style.muted, width=1))
        for p in (self.loss_plot, self.acc_plot):
            style_plot(p, style)
            f = QFont(p.name_item.textItem.font())
            f.setPointSizeF(9 * style.scale)
            p.name_item.setFont(f)
            p.name_item.setColor(style.muted)
            # on the plot's own ground: the best epoch's dashed line ran through "loss"
            p.name_item.fill = pg.mkBrush(style.background)
            p.name_item.setZValue(20)
            for item in p.getPlotItem().items:   # the best epoch's "best" (its own font was 9 pt in F5)
                if isinstance(item, pg.InfiniteLine) and getattr(item, "label", None):
                    item.label.setFont(f)

    def set_history(self, h: dict[str, np.ndarray], classification: bool) -> None:
        self._h = h
        ep = h["epoch"]
        if self._read_epoch is not None and (not len(ep) or self._read_epoch > ep[-1]):
            self.clear_readout()  # that epoch is gone (a new lesson, a reset, a step back)
        self.acc_plot.setVisible(classification)
        # Ranges grow in 1-2-5 steps instead of following every new point: an axis whose
        # range changes is rebuilt and repainted, which was a third of a training frame.
        x_max = nice_ceiling(float(ep[-1])) if len(ep) >= 2 else 10.0
        losses = np.concatenate([h["train_loss"], h["test_loss"]]) if len(ep) else np.zeros(0)
        losses = losses[np.isfinite(losses)]
        y_max = nice_ceiling(float(losses.max())) if losses.size else 1.0
        y_min = min(0.0, float(losses.min())) if losses.size else 0.0
        ranges = (x_max, y_min, y_max)
        if ranges != self._ranges:
            self._ranges = ranges
            for p in (self.loss_plot, self.acc_plot):
                p.setXRange(0, x_max, padding=0.02)
            self.loss_plot.setYRange(y_min, y_max, padding=0.02)
        self._draw_lines()

    def _draw_lines(self) -> None:
        """The curves of the history, each cut to two points per pixel column of its plot
        (:func:`~nnviz.views.thin.column_peaks`: a long run's 2,000 epochs drawn with a
        few hundred points that look the same; the readout reads the whole history), each
        line's cut kept so a frame looks again only at its last column on."""
        h = self._h
        if not h:
            return
        ep = h["epoch"]
        for key, line in self.lines.items():
            plot = self.loss_plot if key.endswith("loss") else self.acc_plot
            v = h[key]
            ok = np.isfinite(v)
            vb = plot.getViewBox()
            (lo, hi), _ = vb.viewRange()
            columns = int(vb.width() * plot.devicePixelRatioF())
            x, y = self._thin[key](ep[ok], v[ok], lo, hi, columns)
            line.setData(x, y, skipFiniteCheck=True)
        for plot in (self.loss_plot, self.acc_plot):
            self._place_texts(plot)

    @staticmethod
    def _place_texts(plot) -> None:
        """The markers' labels, then the plot's name, where they cover no curve."""
        place_marker_labels(plot.getViewBox())
        place_name(plot.name_item, plot.name_corner)

    def read(self, epoch: float) -> str:
        """The readout text for the recorded epoch nearest ``epoch``."""
        h = self._h
        if not h or not len(h["epoch"]):
            return ""
        i = int(np.argmin(np.abs(h["epoch"] - epoch)))
        text = (f"epoch {int(h['epoch'][i])}: train loss {_num(h['train_loss'][i])}, "
                f"test loss {_num(h['test_loss'][i])}")
        if np.isfinite(h["train_acc"][i]):
            text += (f"; accuracy train {_num(100 * h['train_acc'][i])} %, "
                     f"test {_num(100 * h['test_acc'][i])} %")
        self._read_epoch = float(h["epoch"][i])
        for c in self.cursors:
            c.setValue(self._read_epoch)
            c.show()
        return text

    def _on_mouse_moved(self, plot, pos) -> None:
        vb = plot.getViewBox()
        if vb.sceneBoundingRect().contains(pos):
            self.readout.setText(self.read(vb.mapSceneToView(pos).x()))


#: the bars' legend on one line, or on two where one does not fit
LEGEND = ("purple: mean |δ| · green: mean |∂C/∂w|", "purple: mean |δ|\ngreen: mean |∂C/∂w|")


class HealthBars(QWidget):
    """Per layer, bars of log10 mean |δ| and log10 mean |∂C/∂w| (input side on the left),
    numbered as the document numbers layers (the notes: the input layer is layer 1)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMinimumWidth(100)
        self.plot.getViewBox().setMouseEnabled(False, False)
        self.input_layer = 1
        self.plot.setLabel("bottom", "layer (input layer = 1)")
        name = pg.TextItem("log scale", anchor=(0, 0))
        name.setParentItem(self.plot.getViewBox())
        name.setPos(4, 0)
        self.name_item = name
        for name in ("left", "bottom"):
            self.plot.getAxis(name)._fixed_ticks = True  # set_values places them
        self.delta_bars = pg.BarGraphItem(x=[], height=[], width=0.38)
        self.dw_bars = pg.BarGraphItem(x=[], height=[], width=0.38)
        self.plot.addItem(self.delta_bars)
        self.plot.addItem(self.dw_bars)
        self.label = QLabel()
        # never wrapped: a wrapping label's height depends on a width the tab's layout
        # does not ask about, and was sometimes 2 px short (cut) in presentation mode;
        # one line where it fits, else two fixed lines (_fit_label; at 1366x768 in F5
        # beside the docked side panel the line needed 429 px and had 407)
        self.label.setMinimumWidth(1)
        self.label.setText(LEGEND[0])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.plot, 1)
        lay.addWidget(self.label)
        self.delta = np.zeros(0)
        self.dw = np.zeros(0)
        self.apply_style(Style())

    def _fit_label(self) -> None:
        """The legend on one line where it fits the label's width, else on two."""
        one = LEGEND[0]
        fits = self.label.fontMetrics().horizontalAdvance(one) <= self.label.width() - 2
        text = one if fits else LEGEND[1]
        if text != self.label.text():
            self.label.setText(text)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_label()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:   # F5: the line measured in its type
            QTimer.singleShot(0, self, self._fit_label)

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        style_plot(self.plot, style)
        f = QFont(self.name_item.textItem.font())
        f.setPointSizeF(9 * style.scale)
        self.name_item.setFont(f)
        self.name_item.setColor(style.muted)

    def set_values(self, delta: np.ndarray, dw: np.ndarray, input_layer: int = 1) -> None:
        """Mean |δ| and |∂C/∂w| per weight layer, input side first; the input layer is
        layer ``input_layer`` (1 as the notes, or 0), so the first bar is input_layer + 1."""
        self.delta, self.dw = np.asarray(delta, float), np.asarray(dw, float)
        if input_layer != self.input_layer:
            self.input_layer = input_layer
            self.plot.setLabel("bottom", f"layer (input layer = {input_layer})")
        n = len(self.delta)
        logs_d = np.log10(np.maximum(np.nan_to_num(self.delta, nan=1e-12), 1e-12))
        logs_w = np.log10(np.maximum(np.nan_to_num(self.dw, nan=1e-12), 1e-12))
        floor = np.floor(min(logs_d.min(initial=0), logs_w.min(initial=0))) - 0.5
        x = np.arange(1, n + 1, dtype=float)
        s = self.style_
        self.delta_bars.setOpts(x=x - 0.2, y0=floor, height=logs_d - floor,
                                brush=pg.mkBrush(s.gradient), pen=pg.mkPen(s.foreground))
        self.dw_bars.setOpts(x=x + 0.2, y0=floor, height=logs_w - floor,
                             brush=pg.mkBrush(s.accent), pen=pg.mkPen(s.foreground))
        ax = self.plot.getAxis("bottom")
        ax.setTicks([[(float(i), f"{i + input_layer}") for i in range(1, n + 1)]])
        top = max(logs_d.max(initial=0), logs_w.max(initial=0))
        left = self.plot.getAxis("left")
        fm = QFontMetricsF(left.style.get("tickFont") or left.font())
        height = max(1.0, self.plot.getViewBox().height())
        # every decade, or every few: at most six labels, a line and a quarter apart
        step = max(1, int(np.ceil(max((top - floor) * TICK_GAP * fm.height() / height,
                                      (top - floor) / 6))))
        # powers of ten as the notes write them, 10⁻³ (not "1e-3")
        left.setTicks([[(float(k), math_plain(f"10^{k}"))
                        for k in range(int(floor), int(np.ceil(top)) + 1, step)]])
        self.plot.setXRange(0.4, n + 0.6, padding=0)
        self.plot.setYRange(floor, top + 0.3, padding=0)
        parts = [f"{i + 1 + input_layer}: {_short(d)} / {_short(w)}"
                 for i, (d, w) in enumerate(zip(self.delta, self.dw))]
        self._fit_label()
        self.label.setToolTip("mean |δ| / |∂C/∂w| per layer: " + " · ".join(parts))
