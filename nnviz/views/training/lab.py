"""The Training lab page: panels on the left; map, neurons, graph, curves and bars in the middle."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDockWidget,
    QFileDialog,
    QFrame,
    QLabel,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.document import Document
from nnviz.controllers.training import TrainingController
from nnviz.engine.csvio import MAX_CSV_BYTES, CsvError
from nnviz.engine.monitor import threshold_for
from nnviz.engine.naming import Naming
from nnviz.engine.validate import FormatError, read_text
from nnviz.views.coalesce import flush_scenes
from nnviz.views.items.network_graph import NetworkGraphWidget
from nnviz.views.lab_base import Lab
from nnviz.views.safe_text import warn
from nnviz.views.style import Style, current_style
from nnviz.views.training.captions import TrainingCaptionsMixin
from nnviz.views.training.charts import Curves, HealthBars
from nnviz.views.training.colours import classes_image, diverging
from nnviz.views.training.depth_view import install as install_depth
from nnviz.views.training.maps import MapView, Thumbnails
from nnviz.views.training.optimiser_box import OptimiserBox
from nnviz.views.training.panels import DataPanel, RunPanel

REDRAW_MS = 16
SLOW_S = 0.1
GRAPH_S = 0.25
REMOVE_RADIUS = 0.3


class TrainingLab(TrainingCaptionsMixin, Lab):
    """Train the document's network live on a data set and watch what it learns."""

    name = "training"
    title = "Training"

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent)
        self.style_ = current_style()
        self.ctl = TrainingController(doc, self)
        self.run_panel = RunPanel(self.ctl)
        self.data_panel = DataPanel(self.ctl)
        self.discrete = QCheckBox("discretised map")
        side = QWidget()
        sl = QVBoxLayout(side)
        sl.addWidget(self.run_panel)
        self.optimiser_box = OptimiserBox(self.ctl)
        sl.addWidget(self.optimiser_box)
        sl.addWidget(self.data_panel)
        sl.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        dock = QDockWidget("Training controls", self)
        dock.setObjectName("training-controls")
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        dock.setWidget(scroll)
        scroll.setMinimumWidth(300)
        self._side_scroll = scroll
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)

        self.map = MapView()
        self.map.layout().addWidget(self.discrete)
        self.thumbs = Thumbnails()
        self.graph_slot = QFrame()
        self.graph_slot.setFrameShape(QFrame.Shape.StyledPanel)
        gl = QVBoxLayout(self.graph_slot)
        gl.setContentsMargins(0, 0, 0, 0)
        self.graph = NetworkGraphWidget()
        legend = getattr(self.graph, "legend", None)
        if legend is not None:  # let the graph's one-line legend wrap in this narrow column
            legend.setWordWrap(True)
        gl.addWidget(self.graph)
        self.curves = Curves()
        self.bars = HealthBars()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("training-message")
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.map)
        thumbs_scroll = QScrollArea()
        thumbs_scroll.setWidget(self.thumbs)
        thumbs_scroll.setWidgetResizable(True)
        thumbs_scroll.setFrameShape(QFrame.Shape.NoFrame)
        left.addWidget(thumbs_scroll)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 1)
        left.setSizes([440, 180])
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.graph_slot)
        right.addWidget(self.curves)
        right.addWidget(self.bars)
        right.setSizes([170, 220, 200])
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(left)
        main.addWidget(right)
        main.setSizes([470, 480])
        self.map.apply_style(self.style_)
        centre = QWidget()
        cl = QVBoxLayout(centre)
        cl.setContentsMargins(2, 2, 2, 2)
        cl.addWidget(self.message)
        cl.addWidget(main, 1)
        self.setCentralWidget(centre)
        self.message.hide()

        self._slow_at = self._graph_at = 0.0
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(REDRAW_MS)
        self._redraw_timer.timeout.connect(self.redraw)
        self.ctl.trained.connect(self._on_trained)
        self.ctl.data_changed.connect(self._schedule)
        self.ctl.blowup.connect(self._on_blowup_changed)
        doc.network_changed.connect(self._schedule)
        doc.settings_changed.connect(self._schedule)
        doc.lesson_changed.connect(self._on_lesson_changed)
        self.discrete.toggled.connect(self._schedule)
        self.map.clicked.connect(self._on_map_clicked)
        self.data_panel.import_csv.clicked.connect(self.import_csv)
        self.data_panel.export_csv.clicked.connect(self.export_csv)
        install_depth(self)   # Initialisation group + layer histograms (depth_view.py)
        self._on_lesson_changed()

    # ------------------------------------------------------------ updates
    def _schedule(self) -> None:
        """Coalesce: at most one redraw per frame however many changes arrive."""
        if not self._redraw_timer.isActive():
            self._redraw_timer.start()

    def _on_trained(self) -> None:
        """While training runs, every slice is drawn at once, so a frame is one slice, one
        redraw and one repaint (the controller sizes its slices to leave time for these)."""
        if self.ctl.running and self.isVisible():
            self.redraw()
        else:
            self._schedule()

    def _on_lesson_changed(self) -> None:
        self.message.hide()  # the lesson's caption is in the window's caption bar
        self.message.setText("")
        self.curves.clear_readout()  # nothing read on the last lesson's curves stays on
        self._schedule()

    def _on_blowup_changed(self, text: str) -> None:
        self.message.setText("⚠ " + text)
        self.message.show()
        self.status.emit(text)
        self._schedule()

    def redraw(self) -> None:
        """Re-read the controller and draw everything once."""
        self._redraw_timer.stop()
        t0 = time.perf_counter()
        try:
            self._redraw()
            flush_scenes(self)  # the map, curves, bars and graph in one repaint
        finally:
            # redraws asked for by other changes (not training frames, which draw at once)
            # take at most about half of the GUI thread's time, the rest is left for input
            spent_ms = 1000 * (time.perf_counter() - t0)
            self._redraw_timer.setInterval(int(max(REDRAW_MS, min(250, 2 * spent_ms))))

    def _redraw(self) -> None:
        s, ctl, ds = self.style_, self.ctl, self.ctl.data
        self.run_panel.refresh()
        self.curves.set_history(ctl.history.arrays(), not ds.regression)
        net = self.doc.network
        now = time.monotonic()
        if not ctl.running or now - self._slow_at >= SLOW_S:
            # the bars refresh at most ten times a second while training runs
            self._slow_at = now
            h = ctl.health()
            if h is not None:
                self.bars.set_values(h.delta, h.dw)
        if net.is_finite() and (not ctl.running or now - self._graph_at >= GRAPH_S):
            # the graph redraws at most four times a second while training runs (it is the
            # costliest view); after a blow-up it keeps showing the last finite weights
            self._graph_at = now
            self._update_graph(net)
        grid = ctl.grid()
        if not len(ds.x):
            self.map.show_nothing("")
            self.thumbs.set_images("No data set fits this network's inputs and outputs: choose "
                                   "a data set or import a CSV file.", [], 40, [])
        elif grid is not None and not ds.regression and ds.labels is not None and len(ds.x):
            thr = threshold_for(ds.y)
            self.map.show_map(grid, ds, s, self.discrete.isChecked(), thr)
            self.map.caption.setText("Output over the input plane · filled dots: training "
                                     "data · rings: test data · click to add, click a point "
                                     "to remove; Shift+click adds a test point")
            rows, tips = [], []
            for l, layer in enumerate(grid.hidden):
                lo, hi = self._range(net.activations[l].name)
                img = diverging(layer[::2, ::2], lo, hi, s)  # (50, 50, n, 4): all at once
                rows.append([img[:, :, j] for j in range(layer.shape[-1])])
                tips.append([f"hidden layer {l + 1}, neuron {j + 1}" for j in range(layer.shape[-1])])
            out = grid.output
            small = out[::2, ::2]
            rows.append([classes_image(small, s)] if out.shape[-1] > 1 else
                        [diverging(small[..., 0], *((-1, 1) if thr == 0 else (0, 1)), s)])
            tips.append(["output"])
            per_row = max(len(r) for r in rows)
            avail = max(200, self.thumbs.width() - 12)
            px = int(min(44, max(18, avail / min(per_row, 16) - 3)))
            self.thumbs.set_images("What every neuron computes (hidden layers, then the output)",
                                   rows, px, tips, per_row=min(per_row, 16))
        elif ds.regression and ctl.curve() is not None:
            xs, ys = ctl.curve()
            self.map.show_curve(xs, ys, ds, s)
            self.map.caption.setText("The network's curve over the data · filled: training, "
                                     "rings: test · click to add a point (Shift: a test point), "
                                     "click one to remove")
            self.thumbs.set_images("", [], 40, [])
        elif net.sizes[0] == 64:
            self.map.show_nothing("")
            w = net.weights[0]
            lim = 0.7 * float(np.nanmax(np.abs(w))) or 1.0
            imgs = [diverging(w[j].reshape(8, 8), -lim, lim, s) for j in range(w.shape[0])]
            px = int(min(72, max(24, (self.thumbs.width() - 12) / 8 - 3)))
            acc = ctl.history.test_acc[-1] if len(ctl.history) else float("nan")
            head = (f"<b>Epoch {ctl.epoch} · test accuracy {100 * acc:.1f} %</b><br>"
                    if np.isfinite(acc) else "")
            self.thumbs.set_images(head + "The digits have 64 inputs, so there is no map of the "
                                   "input plane. Each image: one first-layer neuron's 64 incoming "
                                   "weights as 8×8 pixels (blue +, red −).", [imgs], px,
                                   [[f"neuron {j + 1}" for j in range(len(imgs))]],
                                   per_row=8, flip=False)
        else:
            self.map.show_nothing("")
            self.thumbs.set_images(f"No map: the network has {net.sizes[0]} inputs.", [], 40, [])
        self.map.setVisible(self.map.mode != "none")
        if ctl.last_finite is None and self.message.text().startswith("⚠"):
            self.message.hide()
        acc = ctl.history.test_acc[-1] if len(ctl.history) else float("nan")
        text = f"Training · epoch {ctl.epoch}"
        if np.isfinite(acc):
            text += f" · test accuracy {100 * acc:.1f} %"
        self.status.emit(text)

    def _update_graph(self, net) -> None:
        g, ctl = self.graph, self.ctl
        dropped = (ctl.dropped() if self.doc.config.dropout > 0 and ctl.last_record is not None
                   else None)  # the neurons dropped in the last training step: grey
        if g.net is None or g.net.sizes != net.sizes:
            g.set_dropped(None)
            g.set_network(net, self._graph_naming(net))
            g.set_dropped(dropped)
        else:
            g.dropped = dropped  # one redraw (set_network) instead of two
            g.set_network(net, self._graph_naming(net))

    def _graph_naming(self, net) -> Naming:
        """The lesson's names for small networks; no per-neuron labels in layers of more
        than four neurons (they would overlap in this small graph)."""
        if self.doc.naming is not None and max(net.sizes) <= 4:
            return self.doc.naming
        base = Naming.layered(net.sizes)
        neurons = [["" if n > 4 else base.label(l, j) for j in range(n)]
                   for l, n in enumerate(net.sizes)]
        return replace(base, neurons=neurons, layer_notation=False)

    @staticmethod
    def _range(act: str) -> tuple[float, float]:
        return (0.0, 1.0) if act in ("sigmoid", "step") else (-1.0, 1.0)

    # ------------------------------------------------------------ user actions
    def _on_map_clicked(self, x: float, y: float, right: bool, shift: bool = False) -> None:
        """Click: add a training point (right button: the other class); Shift+click: a test
        point; a click on a point removes it."""
        ds = self.ctl.data
        if self.map.mode == "none":
            return
        if self.ctl.remove_point_near((x, y), REMOVE_RADIUS):
            return
        try:
            if ds.regression:
                self.ctl.add_point((x,), target=y, test=shift)
            else:
                k = self.data_panel.click_class.currentData() or 0
                if right:
                    k = (k + 1) % ds.n_classes if ds.n_classes > 2 else 1 - k
                self.ctl.add_point((x, y), label=int(k), test=shift)
        except ValueError as e:
            self.doc.message.emit(str(e))

    def import_csv(self, path: str | None = None) -> bool:
        """Read a CSV file (a dialog if no path); a bad file is reported and changes nothing."""
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "Import data", "", "CSV (*.csv)")
            if not path:
                return False
        try:
            self.ctl.import_csv(read_text(path, MAX_CSV_BYTES))
        except (OSError, UnicodeDecodeError, CsvError, ValueError) as e:
            warn(self, "Data not imported", f"{path}:\n{e}")
            return False
        return True

    def export_csv(self, path: str | None = None) -> bool:
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, "Export data", "data.csv", "CSV (*.csv)")
            if not path:
                return False
        try:
            with open(path, "w", encoding="utf-8") as f:
                f.write(self.ctl.export_csv())
        except OSError as e:
            warn(self, "Data not exported", f"{path}:\n{e}")
            return False
        return True

    # ------------------------------------------------------------ hooks
    def deactivate(self) -> None:
        self.ctl.pause()

    def step_forward(self) -> None:
        self.ctl.step_epoch()

    def step_back(self) -> None:
        if not self.ctl.step_back():
            self.status.emit("Nothing to step back to: step back undoes the steps, epochs "
                             "and runs of Play since the data or the network last changed.")

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
        self.graph.zoom(factor)

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        f = self.font()
        f.setPointSizeF(9.5 * style.scale)
        self.setFont(f)
        # wide enough for the controls at this type size (nothing clipped on a projector)
        scroll = self._side_scroll
        scroll.widget().adjustSize()
        need = (scroll.widget().minimumSizeHint().width()
                + scroll.verticalScrollBar().sizeHint().width() + 2 * scroll.frameWidth())
        scroll.setMinimumWidth(int(max(300 * min(style.scale, 1.2), need)))
        self.curves.apply_style(style)
        self.map.apply_style(style)
        self.graph.apply_style(style)
        self.bars.apply_style(style)
        self.depth_panel.apply_style(style)
        self.bn_box.apply_style(style)
        self._schedule()

    def state(self) -> dict[str, Any]:
        return {"controller": self.ctl.state(), "discrete": self.discrete.isChecked()}

    def restore_state(self, state: dict[str, Any]) -> None:
        if not isinstance(state, dict):
            raise ValueError("training lab state: expected an object")
        discrete = state.get("discrete", False)
        if not isinstance(discrete, bool):
            raise ValueError("training lab state: 'discrete' must be true or false")
        self.ctl.restore_state(state.get("controller", {}))
        self.discrete.setChecked(discrete)

    def history(self) -> dict[str, list[float]] | None:
        """The recorded train/test loss and accuracy per epoch (File > Export > History)."""
        h = self.ctl.history
        if not len(h):
            return None
        return {"epoch": [float(e) for e in h.epoch], "train_loss": list(h.train_loss),
                "test_loss": list(h.test_loss), "train_accuracy": list(h.train_acc),
                "test_accuracy": list(h.test_acc)}

    def open_csv(self, path: str) -> bool:
        """A dropped or opened CSV becomes the data set; a bad file raises ValueError."""
        try:
            self.ctl.import_csv(read_text(path, MAX_CSV_BYTES))
        except (OSError, UnicodeDecodeError, CsvError, FormatError) as e:
            raise ValueError(str(e)) from None
        return True

    def main_view(self) -> QWidget:
        return self.centralWidget()

    def shutdown(self) -> None:
        self.ctl.shutdown()
        self._redraw_timer.stop()
