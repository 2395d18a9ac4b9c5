"""Plot widgets of the error-surface lab: the heatmap with contours, colour bar,
path and current point; the 3-D surface (OpenGL, when available)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QTransform
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from nnviz.views.axes import style_axes
from nnviz.views.gl import GLView, gl_status
from nnviz.views.style import Style
from nnviz.views.widgets import FittingLabel

CMAP = "viridis"
N_CONTOURS = 9


def contour_levels(z: np.ndarray, n: int = N_CONTOURS) -> np.ndarray:
    """Contour levels: geometric between the finite min and max when the range is wide."""
    f = z[np.isfinite(z)]
    if f.size == 0:
        return np.zeros(0)
    lo, hi = float(f.min()), float(f.max())
    if hi <= lo:
        return np.zeros(0)
    if lo > 0 and hi / lo > 50:
        return np.geomspace(lo, hi, n + 2)[1:-1]
    return np.linspace(lo, hi, n + 2)[1:-1]


def steady_levels(lo: float, hi: float, now: tuple[float, float] | None) -> tuple[float, float]:
    """The colour scale for a live picture with values in [lo, hi]: the scale ``now`` if
    it holds them and they span at least 3/4 of it, else [lo, hi] widened by a tenth of
    its span each way (not below 0 when lo is not). A new scale at every picture would
    redraw the colour bar's axis each time (a sixth of a live frame's drawing) and make
    the colours flicker while descent plays."""
    if now is not None and now[0] <= lo and hi <= now[1] and hi - lo >= 0.75 * (now[1] - now[0]):
        return now
    pad = 0.1 * (hi - lo)
    return (max(0.0, lo - pad) if lo >= 0 else lo - pad), hi + pad


class HeatmapPlot(pg.PlotWidget):
    """Loss heatmap in parameter coordinates; emits ``clicked(x, y)`` on a left click."""

    clicked = Signal(float, float)

    def __init__(self, parent: QWidget | None = None, colorbar: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("surface-heatmap")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.addItem(self.image)
        self.cmap = pg.colormap.get(CMAP)
        self.image.setLookupTable(self.cmap.getLookupTable(nPts=256))
        self.bar = None
        if colorbar:
            self.bar = pg.ColorBarItem(values=(0, 1), colorMap=self.cmap, interactive=False,
                                       width=14)
            self.bar.setImageItem(self.image, insert_in=self.getPlotItem())
        self.contours: list[pg.IsocurveItem] = []
        self.path = pg.PlotDataItem(pen=pg.mkPen("#E69F00", width=2.5))
        self.start = pg.ScatterPlotItem(size=9, brush=pg.mkBrush("#FFFFFF"),
                                        pen=pg.mkPen("#000000", width=1.5))
        self.point = pg.ScatterPlotItem(size=14, brush=pg.mkBrush("#E69F00"),
                                        pen=pg.mkPen("#000000", width=1.5))
        for item in (self.path, self.start, self.point):
            item.setZValue(10)
            self.addItem(item)
        self.getPlotItem().setMenuEnabled(False)
        self.getViewBox().setDefaultPadding(0)
        self.scene().sigMouseClicked.connect(self._on_click)
        self._rect = QRectF()
        self._levels: tuple[float, float] | None = None   # the colour scale shown
        self._framed: tuple | None = None   # what the view was last framed for
        self.getPlotItem().geometryChanged.connect(self._overflowing)

    def _overflowing(self) -> None:
        """The plot larger than the view (set while its minimum was larger: at 1024x768 the
        colour bar's axis, widened by F5's type before its ticks were read anew, held the
        plot at 315 px in a 291 px view, the bar cut off): fitted again once that settled."""
        g, room = self.getPlotItem().geometry(), self.range
        if g.width() > room.width() + 0.5 or g.height() > room.height() + 0.5:
            QTimer.singleShot(0, self, self._fit_view)   # (none once the view is gone)

    def _fit_view(self) -> None:
        pg.GraphicsView.setRange(self, self.range, padding=0, disableAutoPixel=False)

    def set_surface(self, xs: np.ndarray, ys: np.ndarray, z: np.ndarray, x_label: str,
                    y_label: str, contours: bool = True, steady: bool = False) -> None:
        """Show ``z[i, j]`` (loss at xs[j], ys[i]) with the colour bar and (unless told
        not to) contours. ``steady`` (live pictures while descent plays) keeps the colour
        scale while the values stay inside it and fill most of it (see :func:`steady_levels`)."""
        dx = (xs[-1] - xs[0]) / max(1, len(xs) - 1)
        dy = (ys[-1] - ys[0]) / max(1, len(ys) - 1)
        finite = z[np.isfinite(z)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        if hi <= lo:
            hi = lo + 1e-12
        if steady:
            lo, hi = steady_levels(lo, hi, self._levels)
        self._levels = (lo, hi)
        shown = np.where(np.isfinite(z), z, hi)
        self.image.setImage(shown, levels=(lo, hi), autoLevels=False)
        self._rect = QRectF(xs[0] - dx / 2, ys[0] - dy / 2, dx * len(xs), dy * len(ys))
        self.image.setRect(self._rect)
        if self.bar is not None and self.bar.levels() != (lo, hi):
            self.bar.setLevels((lo, hi))
        for c in self.contours:
            self.removeItem(c)
        self.contours = []
        step = max(1, int(np.ceil(len(xs) / 101)))  # contours on at most ~101 x 101 points
        zc = shown[::step, ::step]
        tr = QTransform(dx * step, 0, 0, dy * step, xs[0], ys[0])
        for level in (contour_levels(z) if contours else ()):
            iso = pg.IsocurveItem(zc, float(level), pen=pg.mkPen((255, 255, 255, 150), width=1),
                                  axisOrder="row-major")
            iso.setTransform(tr)
            iso.setZValue(5)
            self.addItem(iso)
            self.contours.append(iso)
        # unchanged labels and range are not set again: each would regenerate the axes
        # (a live picture arrives many times a second over the same grid)
        key = (x_label, y_label, self._rect.getRect())
        if key != self._framed:
            self._framed = key
            self.setLabel("bottom", x_label)
            self.setLabel("left", y_label)
            self.getViewBox().setRange(self._rect, padding=0)

    def set_path(self, coords: np.ndarray) -> None:
        """The path (T, 2) with its start and the current (last) point."""
        if len(coords) == 0:
            self.path.setData([], [])
            return
        self.path.setData(coords[:, 0], coords[:, 1])
        self.start.setData([coords[0, 0]], [coords[0, 1]])
        self.point.setData([coords[-1, 0]], [coords[-1, 1]])

    def reset_view(self) -> None:
        if not self._rect.isEmpty():
            self.getViewBox().setRange(self._rect, padding=0)

    def zoom(self, factor: float) -> None:
        self.getViewBox().scaleBy((1 / factor, 1 / factor))

    def _on_click(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or ev.double():
            return
        vb = self.getViewBox()
        if not vb.sceneBoundingRect().contains(ev.scenePos()):
            return
        p: QPointF = vb.mapSceneToView(ev.scenePos())
        if self._rect.contains(p):
            ev.accept()
            self.clicked.emit(p.x(), p.y())

    def view_to_widget(self, x: float, y: float):
        """Widget (viewport) pixel of a point in parameter coordinates (for tests)."""
        scene = self.getViewBox().mapViewToScene(QPointF(x, y))
        return self.mapFromScene(scene)

    def apply_style(self, style: Style) -> None:
        self.setBackground(style.background)
        style_axes(self, style)
        for name in ("left", "bottom"):   # the parameters' own values: never "(x0.001)",
            self.getAxis(name).enableAutoSIPrefix(False)   # a label cut where it is long
        font = QFont()
        font.setPointSizeF(style.pt(9))
        self.path.setPen(pg.mkPen(style.highlight, width=2.5 * style.scale))
        self.point.setBrush(pg.mkBrush(style.highlight))
        self.point.setSize(14 * style.scale)
        if self.bar is not None:
            # as wide as its tick labels (pyqtgraph fixes it at 45 px and leaves out every
            # label that does not fit: "0.515" in presentation type left the bar blank)
            self.bar.axis.setStyle(tickFont=font)
            self.bar.axis.setWidth(None)
            self.bar.axis.setTickDensity(1.0 / style.scale)
            self.bar.axis.setPen(style.foreground)
            self.bar.axis.setTextPen(style.foreground)


class Surface3D(QWidget):
    """The loss as a rotatable 3-D surface with the path, or a label saying why not."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        ok, why = gl_status()
        self.available = ok
        self.view = None
        if not ok:
            self.label = QLabel(f"3-D view unavailable: {why}.\nEverything else works without "
                                "OpenGL.")
            self.label.setObjectName("surface-3d-unavailable")
            self.label.setWordWrap(True)
            self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            lay.addWidget(self.label)
            return
        import pyqtgraph.opengl as gl

        self.view = GLView()
        self.view.setObjectName("surface-3d")
        self.view.setCameraPosition(distance=34, elevation=32, azimuth=-60)
        self.view.setBackgroundColor("w")
        lay.addWidget(self.view)
        self.surface = gl.GLSurfacePlotItem(shader=None, smooth=False, computeNormals=False)
        self.view.addItem(self.surface)
        self.line = gl.GLLinePlotItem(color=(0.9, 0.62, 0, 1), width=3, antialias=True)
        self.line.setGLOptions("translucent")
        self.view.addItem(self.line)
        self.dot = gl.GLScatterPlotItem(color=(0.84, 0.37, 0, 1), size=12)
        self.view.addItem(self.dot)
        self.cmap = pg.colormap.get(CMAP)
        self._map = None
        # one line, the longest wording that fits (wrapped, it was cut off at the top and
        # bottom where the view is narrow: 1024x768 in presentation mode)
        self.caption = FittingLabel()
        self.caption.setObjectName("surface-3d-caption")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        lay.insertWidget(0, self.caption)
        lay.setStretch(1, 1)

    def set_surface(self, xs: np.ndarray, ys: np.ndarray, z: np.ndarray, x_label: str = "x",
                    y_label: str = "y") -> None:
        if self.view is None:
            return
        self.caption.set_variants([f"Loss over ({x_label}, {y_label}) · drag to rotate",
                                   f"Loss over ({x_label}, {y_label})", "Loss · drag to rotate",
                                   "Loss"])
        step = max(1, int(np.ceil(len(xs) / 101)))
        xs, ys, z = xs[::step], ys[::step], z[::step, ::step]
        finite = z[np.isfinite(z)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        hi = hi if hi > lo else lo + 1e-12
        zz = np.where(np.isfinite(z), z, hi)
        sx = 20.0 / (xs[-1] - xs[0])
        sy = 20.0 / (ys[-1] - ys[0])
        sz = 10.0 / (hi - lo)
        self._map = (xs[0], ys[0], lo, sx, sy, sz)
        colours = self.cmap.map((zz.T - lo) / (hi - lo), mode="float")
        self.surface.setData(x=(xs - xs[0]) * sx - 10, y=(ys - ys[0]) * sy - 10,
                             z=(zz.T - lo) * sz, colors=colours.reshape(-1, 4))

    def set_path(self, coords: np.ndarray, costs: np.ndarray) -> None:
        if self.view is None or self._map is None or len(coords) == 0:
            return
        x0, y0, lo, sx, sy, sz = self._map
        pts = np.column_stack([(coords[:, 0] - x0) * sx - 10, (coords[:, 1] - y0) * sy - 10,
                               (np.asarray(costs) - lo) * sz + 0.05])
        pts = pts[np.all(np.isfinite(pts), axis=1)]
        if len(pts) == 0:
            return
        self.line.setData(pos=pts)
        self.dot.setData(pos=pts[-1:])

    def apply_style(self, style: Style) -> None:
        if self.view is not None:
            self.view.setBackgroundColor(style.background)
            self.line.setData(width=3 * style.scale)
            self.dot.setData(size=12 * style.scale)
