"""The Training lab page: panels on the left; map, neurons, graph, curves and bars in the middle."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, QSignalBlocker, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDockWidget,
    QFrame,
    QLabel,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.document import Document
from nnviz.controllers.lab_parts import TrainingParts
from nnviz.views.coalesce import flush_scenes, scenes_under
from nnviz.views.lab_base import Lab
from nnviz.views.style import Style, current_style
from nnviz.views.training import csv_files
from nnviz.views.training.captions import TrainingCaptions
from nnviz.views.training.charts import Curves, HealthBars
from nnviz.views.training.depth_view import install as install_depth
from nnviz.views.training.frame import MAP_TIP, REMOVE_RADIUS, draw
from nnviz.views.training.keras_view import KerasCode
from nnviz.views.training.maps import MapView, Thumbnails, map_layout
from nnviz.views.training.net_view import NetView
from nnviz.views.training.optimiser_box import OptimiserBox
from nnviz.views.training.pacing import RedrawPacer
from nnviz.views.training.panels import DataPanel, RunPanel
from nnviz.views.training.predict import PredictHooks
from nnviz.views.training.predict import install as install_predict
from nnviz.views.training.readout import ReadoutBar
from nnviz.views.training.side_width import SideWidth

#: the chart tabs in order: the lesson setting "chart" that opens each, and its title
#: (short: all three fit beside the map on a projector, also with the Keras code wide)
CHART_TABS = (("curves", "Curves"), ("gradient_health", "Gradients"), ("keras_code", "Keras"))
#: the side panel folds away when less than this is left for the network and the map
MIN_CENTRE = 640
__all__ = ["REMOVE_RADIUS", "TrainingLab"]


class TrainingLab(PredictHooks, Lab):
    """Train the document's network live on a data set and watch what it learns: the
    network in the middle (every neuron a small map), the decision map beside it, the
    live loss above, the controls in a side panel that folds away."""

    name = "training"
    title = "Training"

    def __init__(self, doc: Document, parent: QWidget | None = None,
                 parts: TrainingParts | None = None) -> None:
        super().__init__(doc, parent, parts)
        self.style_ = current_style()
        self.ctl = self.parts.ctl
        self.captions = TrainingCaptions(self.ctl)   # what the caption bar reads
        self.run_panel = RunPanel(self.ctl)
        self.data_panel = DataPanel(self.ctl)
        self._build_side()
        self.readout = ReadoutBar(self.run_panel.play)
        self.map = MapView()
        self.map.plot.setToolTip(MAP_TIP)
        self.discrete = QCheckBox("discrete")
        self.discrete.setToolTip("Colour the map by the class the network predicts, without "
                                 "shades of confidence")
        self.map.add_note(self.discrete)
        self.thumbs = Thumbnails()
        self.graph = NetView()
        self.curves = Curves()
        self.bars = HealthBars()
        self.charts = QTabWidget()
        self.charts.setDocumentMode(True)
        self.keras = KerasCode(self)      # the set-up as Keras code, linked to the controls
        for page, (_key, title) in zip((self.curves, self.bars, self.keras), CHART_TABS):
            self.charts.addTab(page, title)
        self.charts.setTabToolTip(0, "Training and test loss and accuracy against the epoch")
        self.charts.setTabToolTip(1, "Gradient health: mean |δ| and |∂C/∂w| per layer")
        self.charts.setTabToolTip(2, "The network and its training as Keras code")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("training-message")
        self._build_centre()
        self.message.hide()
        self._focus: tuple[int, int] | None = None    # the neuron clicked (shown large)
        self._hover: tuple[int, int] | None = None    # the neuron under the mouse
        self._panel_choice: bool | None = None         # the user's own show/hide, if any
        self._body_dragged = False                     # the user moved the map's divider
        self._input_images: tuple | None = None       # (style, images) of the features
        self._slow_at = self._graph_at = self._text_at = 0.0
        self._scenes: list | None = None   # the graphics scenes flushed at each redraw
        self.pacer = RedrawPacer(self, lambda: self.redraw())   # one redraw a frame at most
        self._connect()
        install_depth(self)   # Initialisation group + layer histograms (depth_view.py)
        self.reveal = install_predict(self, getattr(parent, "reveal", None))   # Q, R
        self.map.apply_style(self.style_)
        self._on_lesson_changed()
        self.parts.attach(self)

    def _build_side(self) -> None:
        """The side panel: run and data controls (and room for more group boxes)."""
        side = QWidget()
        self.side_layout = QVBoxLayout(side)
        self.optimiser_box = OptimiserBox(self.ctl)
        self.side_boxes = [self.run_panel, self.optimiser_box, self.data_panel]
        for box in self.side_boxes:
            self.side_layout.addWidget(box)
        self.side_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.dock = QDockWidget("Training controls", self)
        self.dock.setObjectName("training-controls")
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.dock.setWidget(scroll)
        self._side_scroll = scroll
        self.side_width = SideWidth(self)   # as wide as its controls (side_width.py)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)

    def add_side_box(self, box: QWidget) -> None:
        """One more group box in the side panel (after the others)."""
        self.side_layout.insertWidget(self.side_layout.count() - 1, box)
        self.side_boxes.append(box)
        self.apply_style(self.style_)

    def _build_centre(self) -> None:
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.graph)
        left.addWidget(self.charts)
        left.setStretchFactor(0, 2)
        left.setStretchFactor(1, 1)
        self.thumbs_scroll = QScrollArea()
        self.thumbs_scroll.setWidget(self.thumbs)
        self.thumbs_scroll.setWidgetResizable(True)
        self.thumbs_scroll.setFrameShape(QFrame.Shape.NoFrame)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.map, 1)
        rl.addWidget(self.thumbs_scroll, 1)
        self.body = QSplitter(Qt.Orientation.Horizontal)
        self.body.addWidget(left)
        self.body.addWidget(right)
        self.body.setStretchFactor(0, 1)
        self.body.setStretchFactor(1, 1)
        for w in (left, right, self.map):
            w.setMinimumSize(120, 100)
        self.charts.setMinimumWidth(120)   # its height: what its charts need (charts.py)
        self._left = left
        centre = QWidget()
        cl = QVBoxLayout(centre)
        cl.setContentsMargins(2, 2, 2, 2)
        cl.addWidget(self.readout)
        cl.addWidget(self.message)
        cl.addWidget(self.body, 1)
        self.setCentralWidget(centre)

    def _connect(self) -> None:
        ctl, doc = self.ctl, self.doc
        ctl.trained.connect(self._on_trained)
        ctl.data_changed.connect(self._schedule)
        ctl.blowup.connect(self._on_blowup_changed)
        ctl.big_grid.ready.connect(self._schedule)
        doc.network_changed.connect(self._schedule)
        doc.settings_changed.connect(self._schedule)
        doc.lesson_changed.connect(self._on_lesson_changed)
        self.discrete.toggled.connect(self._schedule)
        self.map.clicked.connect(self._on_map_clicked)
        self.data_panel.import_csv.clicked.connect(self.import_csv)
        self.data_panel.export_csv.clicked.connect(self.export_csv)
        self.readout.controls.toggled.connect(self._on_controls_toggled)
        self.dock.visibilityChanged.connect(self._on_dock_visibility)
        self.charts.currentChanged.connect(self._schedule)
        self.body.splitterMoved.connect(lambda *_a: setattr(self, "_body_dragged", True))
        g = self.graph
        g.chosen.connect(self._on_neuron_chosen)
        g.hovered.connect(self._on_neuron_hovered)
        g.feature_clicked.connect(ctl.edits.toggle_feature)
        g.resize.connect(ctl.edits.resize_layer)
        g.layers.connect(ctl.edits.change_layers)

    # ------------------------------------------------------------ updates
    def _schedule(self) -> None:
        self.pacer.request()

    def showEvent(self, ev) -> None:  # noqa: N802 - Qt API
        super().showEvent(ev)
        self.ctl.readouts.maps_shown = True   # live frames draw the grid computed ahead
        self.pacer.shown()

    def hideEvent(self, ev) -> None:  # noqa: N802 - Qt API
        super().hideEvent(ev)
        self.ctl.readouts.maps_shown = False

    def _on_trained(self) -> None:
        """While training runs, every slice is drawn at once, so a frame is one slice, one
        redraw and one repaint (the controller sizes its slices to leave time for these)."""
        if self.ctl.playback.playing and self.isVisible():
            self.redraw()
        else:
            self._schedule()

    def _on_lesson_changed(self) -> None:
        self.message.hide()  # the lesson's caption is in the window's caption bar
        self.message.setText("")
        self.curves.clear_readout()  # nothing read on the last lesson's curves stays on
        self._focus = self._hover = None
        self.graph.selected = None
        lesson = self.doc.lesson
        chart = lesson.settings.get("chart") if lesson is not None else None
        keys = [key for key, _title in CHART_TABS]
        self.charts.setCurrentIndex(keys.index(chart) if chart in keys else 0)
        self._schedule()

    def _on_blowup_changed(self, text: str) -> None:
        self.message.setText("⚠ " + text)
        self.message.show()
        self.status.emit(text)
        self._schedule()

    def _on_neuron_chosen(self, layer: int, j: int) -> None:
        """A click on a neuron shows its map large; a second click, the output again."""
        self._focus = None if self._focus == (layer, j) else (layer, j)
        self.graph.selected = self._focus
        self._schedule()

    def _on_neuron_hovered(self, layer: int, j: int) -> None:
        self._hover = (layer, j) if layer >= 0 else None
        self._schedule()

    def _on_controls_toggled(self, on: bool) -> None:
        """Show or hide the side panel; where the window has no room for it beside the
        network and the map, it opens as a drawer over the network instead of squeezing
        them (and never makes the window larger)."""
        self._panel_choice = on
        if on and not self._room_for_panel():
            top = self.readout.mapTo(self, self.readout.rect().bottomLeft())
            h = max(200, self.height() - top.y())
            w = self.drawer_width()
            if self.keras.isVisible():   # over the map, beside the code (keras_view.py)
                top.setX(self.width() - w)
            self.dock.setFloating(True)
            self.dock.setGeometry(QRect(self.mapToGlobal(top), QSize(w, h)))
        elif on:
            self.dock.setFloating(False)
        self.dock.setVisible(on)
        if self.keras.isVisible():
            self._share_body()    # the code gives way to the drawer, or takes its room back

    def drawer_width(self) -> int:
        """The width of the side panel when it opens as a drawer."""
        return min(self._side_scroll.minimumWidth() + 24, self.width() - 40)

    def _room_for_panel(self) -> bool:
        return (self.width() - self._side_scroll.minimumWidth()
                >= MIN_CENTRE * min(self.style_.scale, 1.4))

    def _on_dock_visibility(self, _visible: bool) -> None:
        with QSignalBlocker(self.readout.controls):
            self.readout.controls.setChecked(not self.dock.isHidden())

    def resizeEvent(self, ev) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(ev)
        self._fit_panel()
        QTimer.singleShot(0, self, self._share_body)   # (not after the lab is gone)

    def _share_body(self) -> None:
        """The map column about as wide as it can be square, the network the rest (until
        the user drags the divider)."""
        if self._body_dragged:
            return
        w, h = self.body.width(), self.body.height()
        map_w, beside = map_layout(self.map.caption, self.discrete.sizeHint().height(),
                                   0.5 * w, h)
        if self.keras.isVisible():   # the code gets the width and the column's height
            map_w, beside = self.keras.map_width(w), None
            total = sum(self._left.sizes())
            code = self.keras.code_height(total)
            if abs(self._left.sizes()[1] - code) > 1:
                self._left.setSizes([total - code, code])
        self.map.set_beside(beside)
        self.body.setSizes([w - map_w, map_w])

    def _fit_panel(self) -> None:
        """The side panel gives way in a narrow window (the user's own choice wins)."""
        if self._panel_choice is not None:
            return
        want = self._room_for_panel()
        if self.dock.isFloating():
            self.dock.setFloating(False)
        if want == self.dock.isHidden():
            self.dock.setVisible(want)
        with QSignalBlocker(self.readout.controls):
            self.readout.controls.setChecked(want)

    def redraw(self) -> None:
        """Re-read the controller and draw everything once."""
        with self.pacer.drawing():
            draw(self)
            # the map, curves, bars and graph in one repaint; the scenes are searched for
            # again on every redraw but the training frames (the lab's widgets are the same)
            if not self.ctl.playback.playing or self._scenes is None:
                self._scenes = scenes_under(self)
            flush_scenes(self, self._scenes)

    # ------------------------------------------------------------ user actions
    def _on_map_clicked(self, x: float, y: float, right: bool, shift: bool = False) -> None:
        """Click: add a training point (right button: the other class); Shift+click: a test
        point; a click on a point removes it."""
        if self.map.mode == "none":
            return
        try:
            self.ctl.data_edits.click((x, y), REMOVE_RADIUS,
                                      self.data_panel.click_class.currentData() or 0,
                                      other=right, test=shift)
        except ValueError as e:
            self.doc.message.emit(str(e))

    def import_csv(self, path: str | None = None) -> bool:
        return csv_files.import_csv(self, self.ctl, path)

    def export_csv(self, path: str | None = None) -> bool:
        return csv_files.export_csv(self, self.ctl, path)

    # ------------------------------------------------------------ hooks
    def deactivate(self) -> None:
        self.ctl.playback.pause()

    def advance(self, steps: int) -> None:
        """``steps`` epochs at once (``nnviz screenshot --steps``)."""
        self.ctl.run_epochs(steps)
        self.redraw()

    def zoom(self, factor: float | None) -> None:
        vb = self.map.plot.getViewBox()
        self.map.zoomed = factor is not None
        if factor is None:
            self.redraw()
        else:
            vb.scaleBy((1 / factor, 1 / factor))

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        f = self.font()
        f.setPointSizeF(9.5 * style.scale)
        self.setFont(f)
        self.readout.apply_style(style, f.pointSizeF())
        self.curves.apply_style(style)
        self.map.apply_style(style)
        self.graph.apply_style(style)
        self.bars.apply_style(style)
        self.keras.apply_style(style)
        self.depth_panel.apply_style(style)
        self.bn_box.apply_style(style)
        self.reveal.bar.apply_style(style)
        self.side_width.fit()   # once every box has its new type
        self._fit_panel()
        self._schedule()

    def view_state(self) -> dict[str, Any]:
        return {"discrete": self.discrete.isChecked()}

    def apply_view_state(self, view: dict[str, Any]) -> None:
        self.discrete.setChecked(view["discrete"])

    def caption_progress(self) -> tuple[int, float | None] | None:
        return self.captions.progress()

    def caption_values(self) -> dict[str, float] | None:
        return self.captions.values()

    def history(self) -> dict[str, list[float]] | None:
        """The recorded train/test loss and accuracy per epoch (File > Export > History)."""
        return self.ctl.history.columns() if len(self.ctl.history) else None

    def open_csv(self, path: str) -> bool:
        return csv_files.open_csv(self.ctl, path)

    def main_view(self) -> QWidget:
        return self.centralWidget()

    def stop_work(self) -> None:
        self.ctl.shutdown()
        self.pacer.stop()
