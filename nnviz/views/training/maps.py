"""The output decision map (or the 1-D curve) with the data points, and the neuron thumbnails."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import (
    QBoxLayout,
    QGraphicsItem,
    QLabel,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from nnviz.views.style import Style
from nnviz.views.training.charts import cache_axes
from nnviz.views.training.colours import class_colour, classes_image, diverging, rgb32


class MapView(QWidget):
    """A plot of the input plane: the output as a heatmap, train points filled, test points ringed.

    Emits ``clicked(x, y, right_button, shift)`` in data coordinates.
    """

    clicked = Signal(float, float, bool, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.setAspectLocked(True)
        self.plot.hideButtons()
        self.plot.getViewBox().setMouseEnabled(False, False)
        cache_axes(self.plot)
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        self.line = pg.PlotDataItem(pen=pg.mkPen("#333333", width=3))
        self.plot.addItem(self.line)
        self._point_items: list[pg.ScatterPlotItem] = []
        self._points_key: tuple | None = None
        self._points_ds = None
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        # the caption and what goes with it: under the map, or beside it (set_beside)
        self.notes = QWidget()
        notes = QVBoxLayout(self.notes)
        notes.setContentsMargins(0, 0, 0, 0)
        notes.addWidget(self.caption)
        notes.addStretch(0)
        lay = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.plot, 1)
        lay.addWidget(self.notes)
        self.plot.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self.mode = "map"
        self.zoomed = False  # True after Ctrl+=/-: the frames keep the user's view

    def add_note(self, widget: QWidget) -> None:
        """A widget under the caption (it moves with it)."""
        lay = self.notes.layout()
        lay.insertWidget(lay.count() - 1, widget)

    def set_beside(self, width: int | None) -> None:
        """The caption in a column ``width`` pixels wide beside the map (a short, wide map
        column: under the layer histograms), or under it (None)."""
        lay = self.layout()
        if width is None:
            lay.setDirection(QBoxLayout.Direction.TopToBottom)
            self.notes.setMinimumWidth(0)
            self.notes.setMaximumWidth(16777215)
            self.notes.layout().setStretch(self.notes.layout().count() - 1, 0)
        else:
            lay.setDirection(QBoxLayout.Direction.LeftToRight)
            self.notes.setFixedWidth(width)
            self.notes.layout().setStretch(self.notes.layout().count() - 1, 1)

    def _on_scene_clicked(self, ev) -> None:
        vb = self.plot.getViewBox()
        if not vb.sceneBoundingRect().contains(ev.scenePos()):
            return
        p = vb.mapSceneToView(ev.scenePos())
        ev.accept()
        shift = bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        self.clicked.emit(float(p.x()), float(p.y()), ev.button() == Qt.MouseButton.RightButton,
                          shift)

    def show_map(self, grid, ds, style: Style, discrete: bool, threshold: float) -> None:
        """The output over the plane (grid from the controller) and the data set's points."""
        self.mode = "map"
        self.plot.show()
        self.plot.setAspectLocked(True)
        if self.line.xData is not None and len(self.line.xData):
            self.line.setData([], [])   # (a frame of a map never has a curve to clear)
        out = grid.output
        if out.shape[-1] > 1:
            rgba = classes_image(out, style, discrete)
        else:
            lo, hi = (-1.0, 1.0) if threshold == 0.0 else (0.0, 1.0)
            rgba = diverging(out[..., 0], lo, hi, style, discrete)
        self.image.setImage(np.ascontiguousarray(np.transpose(rgba, (1, 0, 2))), autoLevels=False)
        x0, x1, y0, y1 = grid.xs[0], grid.xs[-1], grid.ys[0], grid.ys[-1]
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        if not self.zoomed:
            self.plot.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        self._set_points(ds, style)

    def _set_points(self, ds, style: Style) -> None:
        """Scatter the data: one item per (class, train/test) with one pen and brush each, and
        only when the data or the style changed (not on every training frame)."""
        key = (len(ds.x), self.mode, style)
        if ds is self._points_ds and key == self._points_key:
            return
        self._points_key, self._points_ds = key, ds
        for item in self._point_items:
            self.plot.removeItem(item)
        self._point_items = []
        fg = QColor(style.foreground)
        regression = ds.labels is None
        groups = [None] if regression else range(ds.n_classes)
        for test in (False, True):
            for c in groups:
                sel = ds.test == test
                if regression:
                    pos = np.column_stack([ds.x[sel, 0], ds.y[sel, 0]])
                    col = style.negative
                else:
                    sel &= ds.labels == c
                    pos = ds.x[sel]
                    col = class_colour(int(c), ds.n_classes, style)
                if not len(pos):
                    continue
                if test:  # hollow rings in the class colour
                    item = pg.ScatterPlotItem(pos=pos, brush=pg.mkBrush(255, 255, 255, 200),
                                              pen=pg.mkPen(col, width=2.5), size=9 * style.scale)
                else:
                    item = pg.ScatterPlotItem(pos=pos, brush=pg.mkBrush(col),
                                              pen=pg.mkPen(fg, width=1), size=8 * style.scale)
                item.data_test = test
                # painted once into a pixmap that each training frame copies over the
                # new map (made again when the points, their view or the style change)
                item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
                self.plot.addItem(item)
                self._point_items.append(item)

    def show_curve(self, xs, ys, ds, style: Style) -> None:
        """A 1-D regression: the network's curve over the data points."""
        self.mode = "curve"
        self.plot.show()
        self.plot.setAspectLocked(False)
        self.image.clear()
        self.line.setData(xs, ys, pen=pg.mkPen(style.positive, width=3 * style.scale))
        self._set_points(ds, style)
        # the range follows the data, not a curve that has blown up
        yy = ds.y[:, 0] if len(ds.y) else np.array([-1.0, 1.0])
        span = max(float(np.ptp(yy)), 1e-3)
        if not self.zoomed:
            self.plot.setRange(xRange=(xs[0], xs[-1]), yRange=(yy.min() - 0.1 * span,
                                                           yy.max() + 0.1 * span), padding=0)

    def apply_style(self, style: Style) -> None:
        from nnviz.views.training.charts import style_plot

        style_plot(self.plot, style)

    def show_nothing(self, text: str) -> None:
        self.mode = "none"
        self.plot.hide()
        self.image.clear()
        self.line.setData([], [])
        for item in self._point_items:
            self.plot.removeItem(item)
        self._point_items = []
        self._points_key = None
        self.caption.setText(text)

    def point_counts(self) -> tuple[int, int]:
        """(training points, test points) drawn."""
        n = [0, 0]
        for item in self._point_items:
            n[int(bool(item.data_test))] += len(item.data)
        return n[0], n[1]

    def data_to_widget(self, x: float, y: float):
        """Viewport position of data point (x, y) (for tests and tooltips)."""
        from PySide6.QtCore import QPointF

        scene = self.plot.getViewBox().mapViewToScene(QPointF(x, y))
        return self.plot.mapFromScene(scene)


class _Cells(QWidget):
    """Paints every thumbnail from one image per row of same-sized images."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.rects: list[QRect] = []
        self.sources: list[tuple[QImage, QRect]] = []
        self.tips: list[str] = []

    def tip_at(self, pos) -> str:
        return next((t for r, t in zip(self.rects, self.tips) if r.contains(pos)), "")

    def event(self, ev) -> bool:  # noqa: N802 - Qt API
        if ev.type() == QEvent.Type.ToolTip:
            tip = self.tip_at(ev.pos())
            if tip:
                QToolTip.showText(ev.globalPos(), tip, self)
            else:
                QToolTip.hideText()
                ev.ignore()
            return True
        return super().event(ev)

    def paintEvent(self, _ev) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        for rect, (img, src) in zip(self.rects, self.sources):
            p.drawImage(rect, img, src)
        p.end()


class Thumbnails(QWidget):
    """Small images, one per neuron, in rows per layer (Playground-style), under a title.

    One widget paints all of them from one image per layer: a training frame recolours
    every hidden neuron's map, and a label with its own pixmap per neuron cost more than
    computing the maps.
    """

    GAP = 3

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.canvas = _Cells(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.setSpacing(self.GAP)
        lay.addWidget(self.title)
        lay.addWidget(self.canvas, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addStretch(1)
        self._arrays: list[np.ndarray] = []  # the pixels behind the canvas's images

    @property
    def cells(self) -> list[QRect]:
        """Where each image is drawn (in the canvas), in order."""
        return self.canvas.rects

    def tip_at(self, index: int) -> str:
        """The tooltip over cell ``index``."""
        return self.canvas.tip_at(self.canvas.rects[index].center())

    def set_images(self, title: str, rows: list[list[np.ndarray]], px: int, tips: list[list[str]],
                   per_row: int = 16, flip: bool = True) -> None:
        """``rows`` of RGBA arrays (rows, cols, 4), or of one array (n, rows, cols) of
        ``QImage.Format_RGB32`` pixels (drawn as they are); each is drawn as a px x px cell
        (row 0 at the bottom if ``flip``) with its tooltip; a row wraps after ``per_row``
        cells."""
        if title != self.title.text():
            self.title.setText(title)
        step = px + self.GAP
        rects, sources, flat_tips, arrays = [], [], [], []
        line = 0
        for r, imgs in enumerate(rows):
            pixels = isinstance(imgs, np.ndarray) and imgs.dtype == np.uint32
            groups = ([imgs] if pixels or (imgs and all(a.shape == imgs[0].shape for a in imgs))
                      else [[a] for a in imgs])
            for group in groups:  # one image per group of same-sized arrays, stacked
                if pixels:
                    arr = np.ascontiguousarray(group)
                else:
                    arr = np.stack(group)
                    arr = rgb32(arr[:, ::-1] if flip else arr)
                n, h, w = arr.shape[:3]
                img = QImage(arr.data, w, n * h, 4 * w, QImage.Format.Format_RGB32)
                arrays.append(arr)
                sources += [(img, QRect(0, k * h, w, h)) for k in range(n)]
            for i in range(len(imgs)):
                rects.append(QRect((i % per_row) * step, (line + i // per_row) * step, px, px))
                flat_tips.append(tips[r][i])
            line += (len(imgs) + per_row - 1) // per_row
        self._arrays = arrays
        c = self.canvas
        c.rects, c.sources, c.tips = rects, sources, flat_tips
        width = min(per_row, max((len(r) for r in rows), default=0)) * step
        c.setFixedSize(max(1, width), max(1, line * step))
        c.update()


def map_column_width(caption, below: int, most: float, h: int) -> int:
    """The map column's width (at least 120, at most ``most``) that gives the map the
    largest side in a column ``h`` high, its ``caption`` label (wrapping: taller when
    narrow) and ``below`` pixels more under it: as narrow as that allows (a short
    column, under the layer histograms in presentation mode, made the caption five
    lines high and ran it over the map)."""
    return _under(caption, below, most, h)[0]


def _under(caption, below: int, most: float, h: int) -> tuple[int, float]:
    best_w, best_side = 120, -1e9
    for w in range(120, max(121, int(most) + 1), 16):
        side = min(w - 40, h - caption.heightForWidth(max(1, w - 8)) - below)
        if side > best_side + 1:
            best_w, best_side = w, side
    return best_w, best_side


#: how much larger the map must be with its caption beside it to leave the usual layout
BESIDE_GAIN = 1.25
#: the widest a caption beside the map gets
NOTES_MOST = 260


def map_layout(caption, below: int, most: float, h: int) -> tuple[int, int | None]:
    """The map column's width and, where the column is short and wide (under the layer
    histograms on a projector the map was about 100 pixels high in a column 450 wide),
    the width of a caption column beside the map (else None: the caption under it)."""
    w_under, side_under = _under(caption, below, most, h)
    best = None
    for tw in range(140, max(141, int(0.6 * most)), 16):
        if caption.heightForWidth(tw) + below > h:
            continue
        side = min(h, most - 46 - tw)
        if best is None or side > best[1] + 1:
            best = (tw, side)
    if best is None or best[1] < BESIDE_GAIN * side_under:
        return w_under, None
    # the caption as wide as the column the map had under it leaves room for (fewer lines;
    # the network keeps its width: narrower, its feature names were left out)
    tw, side = best
    tw = int(max(tw, min(w_under - 46 - side, NOTES_MOST)))
    return int(min(most, side + 46 + tw)), tw
