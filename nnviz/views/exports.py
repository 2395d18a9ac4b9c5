"""File > Export: the current view as PNG (1x, 2x) and SVG, the training history as CSV,
the worked example of the current step as Markdown, and the network's weights as JSON
(plus importing weights back)."""

from __future__ import annotations

import csv
import io
import math
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QIODevice, QPoint, QRect, QSize
from PySide6.QtGui import QImage, QPainter, QRegion
from PySide6.QtWidgets import QFileDialog, QGraphicsItem, QGraphicsView, QWidget

from nnviz.engine.files.atomic import write_atomic
from nnviz.engine.files.validate import FormatError
from nnviz.engine.files.weights_file import check_like, read_weights, save_weights
from nnviz.views.gl import GLView
from nnviz.views.lab_base import Lab
from nnviz.views.safe_text import inform, warn

if TYPE_CHECKING:
    from nnviz.views.main_window import MainWindow


def render_into(widget: QWidget, painter: QPainter) -> None:
    """Paint ``widget`` and its children with ``painter`` at the painter's origin.

    Calls QWidget.render explicitly: subclasses such as QGraphicsView (pyqtgraph's
    widgets) overload ``render(painter)`` with a scene-rendering meaning, and PySide6's
    QWidget painter overload needs ``targetOffset`` spelled out. While it paints, the
    graphics views draw for export (see :func:`_export_mode`)."""
    flags = QWidget.RenderFlag.DrawWindowBackground | QWidget.RenderFlag.DrawChildren
    with _export_mode(widget):
        QWidget.render(widget, painter, QPoint(0, 0), QRegion(), flags)
    views = widget.findChildren(GLView) + ([widget] if isinstance(widget, GLView) else [])
    for v in views:   # 3-D views are windows of their own: their picture, in their place
        if v.isVisible():
            painter.drawImage(QRect(v.mapTo(widget, QPoint(0, 0)), v.size()),
                              v.grabFramebuffer())


@contextmanager
def _export_mode(widget: QWidget):
    """Graphics views without their cached background bitmap, and pyqtgraph items in
    their export mode (scatter symbols as shapes rather than fragments of a pixmap atlas,
    which an SVG cannot crop and a 2x image would blur)."""
    views = widget.findChildren(QGraphicsView)
    if isinstance(widget, QGraphicsView):
        views.append(widget)
    caches = [(v, v.cacheMode()) for v in views]
    scene_items = [it for v in views if v.scene() is not None for it in v.scene().items()]
    items = [it for it in scene_items if hasattr(it, "setExportMode")]
    # items painted from a bitmap of themselves (the graph's labels, the charts' axes)
    # draw themselves: an SVG gets their text and lines, a 2x image their sharp edges
    cached = [(it, it.cacheMode()) for it in scene_items
              if it.cacheMode() != QGraphicsItem.CacheMode.NoCache]
    for v in views:
        v.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        v.resetCachedContent()
    for it in items:
        it.setExportMode(True, {"antialias": True})
    for it, _mode in cached:
        it.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        yield
    finally:
        for it, mode in cached:
            it.setCacheMode(mode)
        for it in items:
            it.setExportMode(False)
        for v, mode in caches:
            v.setCacheMode(mode)
            v.resetCachedContent()


def view_image(widget: QWidget, scale: float = 1.0) -> QImage:
    """The widget rendered into an image ``scale`` times its size (sharp, not upscaled)."""
    size = widget.size()
    img = QImage(QSize(max(1, round(size.width() * scale)), max(1, round(size.height() * scale))),
                 QImage.Format.Format_ARGB32_Premultiplied)
    img.setDevicePixelRatio(scale)
    img.fill(widget.palette().window().color())
    p = QPainter(img)
    try:
        render_into(widget, p)
    finally:
        p.end()
    return img


def save_png(widget: QWidget, path: str, scale: float = 1.0) -> None:
    """The widget as a PNG ``scale`` times its size, written atomically."""
    img = view_image(widget, scale)
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not img.save(buf, "PNG"):
        raise OSError("could not encode the image as PNG")
    write_atomic(path, bytes(buf.data()))


def save_svg(widget: QWidget, path: str, title: str = "nnviz") -> None:
    """The widget as an SVG 1.1 drawing (vector where the widget paints vectors; clip
    paths kept), written atomically."""
    from PySide6.QtSvg import QSvgGenerator

    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    gen = QSvgGenerator(QSvgGenerator.SvgVersion.Svg11)
    gen.setOutputDevice(buf)
    gen.setSize(widget.size())
    gen.setViewBox(QRect(0, 0, widget.width(), widget.height()))
    gen.setResolution(widget.logicalDpiX())  # text and sizes as on screen
    gen.setTitle(title)
    gen.setDescription("Exported from nnviz")
    p = QPainter()
    if not p.begin(gen):
        raise OSError("could not start the SVG drawing")
    try:
        render_into(widget, p)
    finally:
        p.end()
    write_atomic(path, bytes(buf.data()))


def history_csv(history: dict[str, list[float]]) -> str:
    """Equal-length named columns as CSV text (exact float repr)."""
    cols = list(history)
    if not cols:
        raise ValueError("the history is empty")
    n = len(history[cols[0]])
    if any(len(history[c]) != n for c in cols):
        raise ValueError("history columns have different lengths")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for i in range(n):
        w.writerow([_num(history[c][i]) for c in cols])
    return buf.getvalue()


def _num(v) -> str:
    f = float(v)
    if math.isfinite(f) and f.is_integer() and abs(f) < 2**53 and isinstance(v, int):
        return str(int(v))
    return repr(f)


def worked_for(win: MainWindow) -> str:
    """The worked example up to the current step of the lab shown (all of it if the lab
    does not step through the trace)."""
    from nnviz.engine.stepping.trace import build_trace
    from nnviz.engine.stepping.worked import worked_markdown

    custom = getattr(win.current_lab, "worked_markdown", None)
    if callable(custom):   # a lab with arithmetic of its own (the convolution lab)
        return custom()
    doc = win.doc
    trace = build_trace(doc.network, doc.example_x, doc.example_y, doc.loss, doc.config.eta,
                        doc.naming, doc.config.freeze_biases)
    lab = win.current_lab
    upto = None
    if lab is not None and type(lab).caption_position is not Lab.caption_position:
        upto = max(0, min(int(lab.caption_position()[0]), len(trace.steps)))
    return worked_markdown(doc.lesson, trace, upto=upto)


class Exporter:
    """The Export menu's actions for one main window."""

    def __init__(self, win: MainWindow) -> None:
        self.win = win

    def _ask(self, title: str, suffix: str, filt: str) -> str:
        doc = self.win.doc
        stem = f"{doc.lesson.name}-{self.win.current_lab_name}" if doc.lesson else "nnviz"
        path, _ = QFileDialog.getSaveFileName(self.win, title, str(Path.home() / (stem + suffix)),
                                              filt)
        if path and not path.lower().endswith(suffix):
            path += suffix
        return path

    def _run(self, what: str, fn, path: str) -> bool:
        if not path:
            return False
        try:
            fn(path)
        except (OSError, ValueError) as e:
            warn(self.win, f"Could not export {what}", f"{path}:\n{e}")
            return False
        self.win.doc.message.emit(f"Exported {what} to {path}")
        return True

    def _view(self) -> QWidget:
        lab = self.win.current_lab
        return lab.main_view() if lab is not None else self.win.centralWidget()

    def png(self, scale: float = 1.0, path: str | None = None) -> bool:
        path = path if path is not None else self._ask("Export view as PNG", ".png",
                                                       "PNG images (*.png)")
        return self._run("the view", lambda p: save_png(self._view(), p, scale), path)

    def svg(self, path: str | None = None) -> bool:
        path = path if path is not None else self._ask("Export view as SVG", ".svg",
                                                       "SVG drawings (*.svg)")
        return self._run("the view", lambda p: save_svg(self._view(), p), path)

    def history(self, path: str | None = None) -> bool:
        lab = self.win.current_lab
        hist = lab.history() if lab is not None else None
        if not hist:
            inform(self.win, "No training history",
                                    "The lab shown has no training history to export. Train "
                                    "in the Training lab first.")
            return False
        path = path if path is not None else self._ask("Export history as CSV", ".csv",
                                                       "CSV files (*.csv)")
        return self._run("the history", lambda p: write_atomic(p, history_csv(hist)), path)

    def markdown(self, path: str | None = None) -> bool:
        path = path if path is not None else self._ask("Export worked example", ".md",
                                                       "Markdown (*.md)")
        return self._run("the worked example", lambda p: write_atomic(p, worked_for(self.win)),
                         path)

    def weights(self, path: str | None = None) -> bool:
        path = path if path is not None else self._ask("Export weights as JSON", ".json",
                                                       "JSON (*.json)")
        return self._run("the weights", lambda p: save_weights(p, self.win.doc.network), path)

    def import_weights(self, path: str | None = None) -> bool:
        """Read weights JSON (validated against the current network) and apply, undoably."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.win, "Import weights", "", "JSON (*.json)")
        if not path:
            return False
        if self.win.files.is_big(path):  # read and check it off the GUI thread
            from nnviz.views.big_reads import read_big  # (imported when first needed)

            read_big(self.win.files, path, "weights",
                     lambda _kind, net: self.apply_weights(path, net))
            return True
        try:
            net = read_weights(path)
        except FormatError as e:
            warn(self.win, "Cannot import weights", str(e))
            return False
        return self.apply_weights(path, net)

    def apply_weights(self, path: str, net) -> bool:
        """Put a validated weights file's network in place of the current one's values
        (same structure only), undoably; a mismatch is shown and changes nothing."""
        doc = self.win.doc
        try:
            check_like(net, doc.network)
            doc.set_network(net, "Import weights")
        except FormatError as e:
            warn(self.win, "Cannot import weights", f"{Path(path).name}: {e}")
            return False
        except ValueError as e:
            warn(self.win, "Cannot import weights", str(e))
            return False
        doc.message.emit(f"Imported weights from {path}")
        return True
