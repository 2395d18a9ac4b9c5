"""Initialisation and what it does across depth: the Training lab's *Initialisation*
group (initialiser, weight scale, draw new weights) and a dock of per-layer histograms of
the weighted inputs z and the activations a of the current network on the training
inputs, so a class sees sigmoid saturation with large weights and the signal fading with
small ones. ``install(lab)`` adds both, and the batch-normalisation group, to a
TrainingLab."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QGroupBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nnviz.engine.core.activations import get_activation
from nnviz.engine.core.depth import layer_histograms
from nnviz.engine.core.init import GAIN_RANGE, INIT_LABELS, INITIALISERS
from nnviz.views.axes import fitting_wording, set_title, style_axis
from nnviz.views.style import Style, current_style
from nnviz.views.training.bn_box import BatchNormBox
from nnviz.views.widgets import spin_box

#: at most this many training inputs go through the network for the histograms
SAMPLES = 500
Z_COLOUR = "#0072B2"
A_COLOUR = "#E69F00"


class DepthPanel(QWidget):
    """Two rows of histograms, one column per layer: z above (one range for all layers),
    a below (the activation's range); titles give the spread and the saturated share."""

    def __init__(self, ctl, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layer-histograms")
        self.ctl = ctl
        self.plots = pg.GraphicsLayoutWidget()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.plots)
        self.style_ = current_style()
        self.hists: list = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)    # at most five redraws a second while training
        self._timer.timeout.connect(self.refresh)
        ctl.trained.connect(self.schedule)
        ctl.doc.network_changed.connect(self.schedule)
        ctl.data_changed.connect(self.schedule)

    def schedule(self) -> None:
        if self.isVisible() and not self._timer.isActive():
            self._timer.start()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """Recompute and redraw the histograms of the current network."""
        net, x = self.ctl.doc.network, self.ctl.net_data.x_train[:SAMPLES]
        self.plots.clear()
        if net is None or not len(x):
            self.hists = []
            return
        self.hists = layer_histograms(net, x)
        st = self.style_
        # each column's share of the width, less a plot's margins (titles are fitted here,
        # once: the plots are made anew at every refresh)
        room = max(40.0, self.plots.width() / max(1, len(self.hists)) - 12)
        for col, h in enumerate(self.hists):
            last = col == len(self.hists) - 1
            name = "out" if last else f"h{h.layer}"
            share = f"{100 * h.saturated:.0f}%"
            # shorter wordings where the column is narrow: side by side at 1024x768 in F5
            # the titles ran into one line ("a: 19% saturated a: 26% saturated …")
            a_titles = ((f"a: {share} saturated", f"{share} saturated", f"{share} sat.")
                        if get_activation(h.activation).saturates
                        else (f"a: std {h.a_std:.2g}", f"std {h.a_std:.2g}"))
            z_titles = (f"{name} z: std {h.z_std:.2g}", f"{name}: std {h.z_std:.2g}", name)
            for row, (edges, counts, colour, titles) in enumerate((
                    (h.z_edges, h.z_counts, Z_COLOUR, z_titles),
                    (h.a_edges, h.a_counts, A_COLOUR, a_titles))):
                p = self.plots.addPlot(row=row, col=col)
                p.setMinimumWidth(40)
                p.setMenuEnabled(False)
                p.setMouseEnabled(False, False)
                p.hideButtons()
                # (side by side at 1024x768 in F5 the six titles ran into one line)
                html, pt = fitting_wording(titles, room, p.titleLabel.item.font(),
                                           st.pt(8), st.pt(7))
                set_title(p, html, st.foreground, pt)
                widths = np.diff(edges)
                p.addItem(pg.BarGraphItem(x0=edges[:-1], width=widths, height=counts,
                                          brush=colour, pen=pg.mkPen(None)))
                p.getAxis("left").hide()
                # tick labels never closer than their own size ("-10-5" ran together)
                style_axis(p.getAxis("bottom"), st, size=8.0, apart=False)
                # the finer level's labels only where they leave room between them
                # (pyqtgraph set "−10" and "−5" 3 px apart on a narrow histogram)
                p.getAxis("bottom").setStyle(textFillLimits=[(0, 0.8), (2, 0.45), (4, 0.3),
                                                             (6, 0.2)])
                p.titleLabel.setMinimumWidth(0)   # its wording fits the column, not the
                p.titleLabel.setPreferredWidth(0)  # column its wording (equal columns)
            self.plots.ci.layout.setColumnStretchFactor(col, 1)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.schedule()   # the titles' wordings for the new width (the plots are made anew)

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        self.plots.setBackground(style.background)
        if self.isVisible():
            self.refresh()


class InitBox(QGroupBox):
    """Initialiser, weight scale, 'Draw new weights' and the histogram dock's switch."""

    def __init__(self, ctl, dock: QDockWidget, parent: QWidget | None = None) -> None:
        super().__init__("Initialisation", parent)
        self.setObjectName("init-box")
        self.ctl, self.dock = ctl, dock
        self.method = QComboBox()
        self.method.setObjectName("init-method")
        for name in INITIALISERS:
            self.method.addItem(INIT_LABELS[name], name)
        self.gain = spin_box(GAIN_RANGE[0], GAIN_RANGE[1], 2, 0.1)
        self.gain.setObjectName("init-gain")
        self.gain.setPrefix("× ")
        self.redraw = QPushButton("Draw new weights")
        self.redraw.setObjectName("init-redraw")
        self.redraw.setToolTip("Reset: new weights from this initialiser, epoch 0 (undoable)")
        self.show_hists = QCheckBox("layer histograms")
        self.show_hists.setObjectName("show-layer-histograms")
        form = QFormLayout(self)
        form.addRow(self.method)
        form.addRow("weight scale", self.gain)
        form.addRow(self.redraw)
        form.addRow(self.show_hists)
        self.method.activated.connect(lambda i: self._apply(ctl.edits.set_init,
                                                            self.method.itemData(i)))
        self.gain.valueChanged.connect(lambda v: self._apply(ctl.edits.set_init_gain, v))
        self.redraw.clicked.connect(ctl.edits.reset)
        self.show_hists.toggled.connect(dock.setVisible)
        dock.visibilityChanged.connect(self._on_dock_visible)
        ctl.doc.lesson_changed.connect(self._on_lesson)
        ctl.trained.connect(self.sync)
        self.sync()

    def _apply(self, setter, value) -> None:
        try:
            setter(value)
        except ValueError as e:
            self.ctl.doc.message.emit(str(e))
        self.sync()

    def _on_dock_visible(self, visible: bool) -> None:
        with QSignalBlocker(self.show_hists):
            self.show_hists.setChecked(visible)

    def _on_lesson(self) -> None:
        lesson = self.ctl.doc.lesson
        want = bool(lesson is not None and lesson.lab == "training"
                    and lesson.settings.get("layer_histograms") is True)
        self.dock.setVisible(want)

    def sync(self) -> None:
        with QSignalBlocker(self.method):
            self.method.setCurrentIndex(max(0, self.method.findData(self.ctl.init_method)))
        with QSignalBlocker(self.gain):
            self.gain.setValue(self.ctl.init_gain)


def install(lab) -> InitBox:
    """Add the Initialisation group to ``lab``'s side panel and the histogram dock (hidden
    unless the lesson asks for it)."""
    panel = DepthPanel(lab.ctl)
    dock = QDockWidget("Layers: z and a", lab)
    dock.setObjectName("layer-histograms-dock")
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                     | QDockWidget.DockWidgetFeature.DockWidgetMovable
                     | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
    dock.setWidget(panel)
    lab.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    dock.hide()
    lab.histogram_share = HistogramShare(lab, dock)
    for w in (lab.body, lab.map.caption):   # a shorter body, a new caption: the map anew
        _ShareOnResize(w, lab._share_body)
    box = InitBox(lab.ctl, dock)
    bn = BatchNormBox(lab.ctl)
    side = lab._side_scroll.widget().layout()
    side.insertWidget(max(0, side.count() - 1), box)   # above the stretch at the end
    side.insertWidget(max(0, side.count() - 1), bn)
    lab.depth_panel, lab.init_box, lab.depth_dock, lab.bn_box = panel, box, dock, bn
    box._on_lesson()
    lab.optimiser_box.attach_marker(lab.curves.loss_plot)   # the best test epoch
    return box


class HistogramShare(QObject):
    """The histograms' dock's share of the Training lab's height: when shown, two fifths
    of it. Where the network, the charts and the map would then be squeezed (1024x768
    and 1280x720 in presentation mode: the charts were cut in half, the map's caption ran
    over it) the charts fold away while the histograms show (they are what the lesson
    looks at), and come back when they are closed."""

    def __init__(self, lab, dock: QDockWidget) -> None:
        super().__init__(dock)
        self.lab, self.dock = lab, dock
        self.charts_before: list[int] | None = None   # the charts' split before they folded
        self.shared_at: int | None = None   # the lab's height when it was last shared
        dock.visibilityChanged.connect(self.share)
        _ShareOnResize(lab, self.reshare)   # a taller caption bar, F5: anew

    def share(self, on: bool) -> None:
        lab, dock, left = self.lab, self.dock, self.lab._left
        if not on:
            if self.charts_before:
                left.setSizes(self.charts_before)
                self.charts_before = None
            return
        if dock.isFloating():
            return
        self.shared_at = lab.height()
        h = int(lab.height() * 0.4)
        need = (lab.readout.sizeHint().height() + lab.graph.chrome_height() + 100
                + lab.charts.minimumSizeHint().height() + 12)
        if lab.height() - h < need and not self.charts_before:
            self.charts_before = left.sizes()
            left.setSizes([sum(left.sizes()), 0])
        lab.resizeDocks([dock], [h], Qt.Orientation.Vertical)

    def reshare(self) -> None:
        """The lab's height changed while the histograms show (the caption bar under it
        grew for a longer caption, presentation mode): share it again (a width change
        keeps the split the user may have dragged)."""
        if (shiboken6.isValid(self.lab) and shiboken6.isValid(self.dock)
                and self.dock.isVisible() and self.lab.height() != self.shared_at):
            self.share(True)


class _ShareOnResize(QObject):
    """Calls ``share`` after every resize of ``body`` (the histograms' dock showing or
    going changes the lab's body, not the lab; a new text resizes the map's caption)."""

    def __init__(self, body: QWidget, share) -> None:
        super().__init__(body)
        self.share = share
        body.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self, self.share)
        return False
