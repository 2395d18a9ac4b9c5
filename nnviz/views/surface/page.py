"""The error-surface page: parameter pickers, heatmap, 3-D surface, 1-D slice and
the gradient-descent controls."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.surface.controller import MODE_TITLES, MODES, SurfaceController
from nnviz.controllers.surface.slices import LiveSlice
from nnviz.engine.core.naming import fmt
from nnviz.views.axes import fit_title, style_axes
from nnviz.views.fit import SidePanelScroll, fit_combo
from nnviz.views.fold import Explanation, PanelFolder
from nnviz.views.items.math_text import math_plain
from nnviz.views.layouts import nest
from nnviz.views.style import Style, current_style
from nnviz.views.surface.picker import ParamPicker
from nnviz.views.surface.plots import HeatmapPlot, Surface3D, steady_levels
from nnviz.views.widgets import spin_box


class SurfacePage(QWidget):
    """Views and controls of one :class:`SurfaceController`."""

    def __init__(self, ctl: SurfaceController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        root = QHBoxLayout(self)
        root.setContentsMargins(4, 4, 4, 4)
        self._style = current_style()
        # a change that came while the page was hidden, drawn when it is shown again
        self._setup_stale = self._surface_stale = self._path_stale = False
        self._picker_key: tuple | None = None    # the parameter list the picker shows
        self._slice_framed: tuple | None = None  # the slice the plot was framed for
        self._drawn_path: tuple | None = None    # the path drawn last (_path_key)
        self._slice = LiveSlice()                # the slice drawn (slices.py)
        self.controls = self._build_controls()
        scroll = SidePanelScroll(self.controls)
        self.folder = PanelFolder(self.controls.layout(), scroll, self.about)
        root.addWidget(scroll)
        split = QSplitter(Qt.Orientation.Vertical)
        top = QSplitter(Qt.Orientation.Horizontal)
        self.heatmap = HeatmapPlot()
        self.view3d = Surface3D()
        top.addWidget(self.heatmap)
        top.addWidget(self.view3d)
        top.setSizes([600, 400])
        self.slice = pg.PlotWidget()
        self.slice.setObjectName("surface-slice")
        self.slice.getPlotItem().setMenuEnabled(False)
        self.slice_curve = self.slice.plot(pen=pg.mkPen("#0072B2", width=2))
        self.slice_dot = pg.ScatterPlotItem(size=10, brush=pg.mkBrush("#E69F00"))
        self.slice.addItem(self.slice_dot)
        self.slice.setLabel("left", "loss")
        self.slice.getAxis("left").enableAutoSIPrefix(False)
        self.picker = ParamPicker()
        self.picker.picked.connect(self._on_param_clicked)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.slice)
        bottom.addWidget(self.picker)
        bottom.setSizes([650, 300])
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([400, 230])
        root.addWidget(split, 1)
        self.heatmap.clicked.connect(self._on_heatmap_clicked)
        ctl.surface_changed.connect(self._on_surface_changed)
        ctl.path_changed.connect(self._schedule_path)
        ctl.setup_changed.connect(self._on_setup_changed)
        ctl.busy_changed.connect(self._on_busy_changed)
        ctl.progress.connect(self.progress.setValue)
        ctl.playback.playing_changed.connect(self._on_playing_changed)
        ctl.message.connect(self._on_message)
        ctl.doc.settings_changed.connect(self._on_setup_changed)
        self._path_timer = QTimer(self)
        self._path_timer.setSingleShot(True)
        self._path_timer.setInterval(16)
        self._path_timer.timeout.connect(self._on_path_changed)
        self._on_setup_changed()
        self._on_surface_changed()
        self._on_busy_changed(ctl.busy())

    # ------------------------------------------------------------ controls
    def _build_controls(self) -> QWidget:
        box = QWidget()
        box.setObjectName("surface-controls")
        box.setMaximumWidth(270)   # as narrow as its controls allow, up to this
        lay = QVBoxLayout(box)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.setSpacing(3)   # compact rows: the panel fits a projector's short screen
        self.form = self._build_form()
        nest(lay, self.form)
        self._build_buttons(lay)
        self._build_texts(lay)
        lay.addStretch(1)
        return box

    def _build_form(self) -> QFormLayout:
        """The surface, its two axes, span and resolution, η and steps per frame."""
        form = QFormLayout()
        form.setVerticalSpacing(3)
        self.mode = QComboBox()
        for m in MODES:
            self.mode.addItem(MODE_TITLES[m], m)
        self.mode.activated.connect(lambda i: self.ctl.set_mode(self.mode.itemData(i)))
        self.x_param = QComboBox()
        self.y_param = QComboBox()
        self.x_param.setObjectName("surface-x-param")
        self.y_param.setObjectName("surface-y-param")
        self.x_param.activated.connect(self._on_pair_picked)
        self.y_param.activated.connect(self._on_pair_picked)
        self.span = spin_box(0.001, 1e6, 3)
        self.span.valueChanged.connect(self.ctl.set_span)
        self.resolution = QSpinBox()
        self.resolution.setRange(21, 301)
        self.resolution.setSingleStep(20)
        self.resolution.setKeyboardTracking(False)
        self.resolution.valueChanged.connect(self.ctl.set_resolution)
        self.eta = spin_box(0.0, 1000.0, 4, 0.05)
        self.eta.setObjectName("surface-eta")
        self.eta.valueChanged.connect(self.ctl.set_eta)
        self.speed = QSpinBox()
        self.speed.setRange(1, 1000)
        self.speed.valueChanged.connect(self.ctl.set_steps_per_tick)
        form.addRow("Surface", self.mode)
        form.addRow("x axis", self.x_param)
        form.addRow("y axis", self.y_param)
        form.addRow("Span ±", self.span)
        form.addRow("Resolution", self.resolution)
        form.addRow("Learning rate η", self.eta)
        form.addRow("Steps / frame", self.speed)
        return form

    def _build_buttons(self, lay: QVBoxLayout) -> None:
        """Train only these two; Step, Play, Reset path; Recentre."""
        self.only_two = QCheckBox("Train only these two")
        self.only_two.toggled.connect(self.ctl.set_only_two)
        lay.addWidget(self.only_two)
        row = QHBoxLayout()
        self.step_btn = QPushButton("Step")
        self.play_btn = QPushButton("Play")
        self.reset_btn = QPushButton("Reset path")
        self.step_btn.clicked.connect(lambda: self.ctl.step(1))
        self.play_btn.clicked.connect(self._on_play_clicked)
        self.reset_btn.clicked.connect(self.ctl.reset_path)
        for b in (self.step_btn, self.play_btn, self.reset_btn):
            row.addWidget(b)
        nest(lay, row)
        self.recentre_btn = QPushButton("Recentre on the current point")
        self.recentre_btn.clicked.connect(self.ctl.recentre)
        lay.addWidget(self.recentre_btn)

    def _build_texts(self, lay: QVBoxLayout) -> None:
        """The grid's progress, what the surface is, a message and the readout."""
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setFormat("computing the surface… %p%")
        lay.addWidget(self.progress)
        # what the surface is: folded under its title where the panel has no room for it
        self.about = Explanation("About this surface", "")
        self.explain = self.about.text
        self.explain.setObjectName("surface-explanation")
        lay.addWidget(self.about)
        self.message = QLabel()
        self.message.setObjectName("surface-message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #D55E00;")
        lay.addWidget(self.message)
        self.message.setVisible(False)
        self.readout = QLabel()
        self.readout.setObjectName("surface-readout")
        self.readout.setWordWrap(True)
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.readout)

    def _on_pair_picked(self) -> None:
        refs = self.ctl.param_list.refs()
        try:
            self.ctl.set_pair(refs[self.x_param.currentIndex()],
                              refs[self.y_param.currentIndex()])
        except ValueError as e:
            self.ctl.report(str(e))
            self._on_setup_changed()  # back to the pair that is shown

    def _on_play_clicked(self) -> None:
        self.ctl.playback.toggle()

    def _on_playing_changed(self, playing: bool) -> None:
        self.play_btn.setText("Pause" if playing else "Play")
        if playing:
            self._on_message("")
        else:  # the slice's loss axis fits the curve again (see _fit_slice), afresh
            self.slice.getViewBox().enableAutoRange(axis="y")
            self._on_path_changed()

    def _on_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _on_param_clicked(self, ref, axis: str) -> None:
        """A parameter clicked on the graph becomes the x (or, with Shift, the y) axis."""
        ctl = self.ctl
        if ctl.px is None:
            return
        px, py = (ref, ctl.py) if axis == "x" else (ctl.px, ref)
        if px == py:  # clicked the other axis's parameter: swap the axes
            px, py = (ctl.py, ctl.px)
        try:
            ctl.set_pair(px, py)
        except ValueError as e:
            self._on_message(str(e))

    # ------------------------------------------------------------ model -> view
    def showEvent(self, ev) -> None:  # noqa: N802 - Qt API
        # a hidden page only notes what changed (it costs nothing while another lab or
        # tab is shown) and catches up here, before its first paint
        if self._setup_stale:
            self._on_setup_changed()
        if self._surface_stale:
            self._on_surface_changed()
        elif self._path_stale:
            self._on_path_changed()
        super().showEvent(ev)

    def _on_setup_changed(self) -> None:
        ctl = self.ctl
        if ctl.px is None:
            return
        # while the lab is hidden (another lab shown) the controls wait: listing and naming
        # every parameter of a big network for the combo boxes is the slow part of a
        # lesson change, and nobody sees them
        self._setup_stale = not self.isVisible()
        if self._setup_stale:
            return
        if self.picker.graph.isVisible() or ctl.param_list.key() != self._picker_key:
            self._picker_key = ctl.param_list.key()
            self.picker.set_network(ctl.net, ctl.doc.naming)
        refs = ctl.param_list.refs()
        key = ctl.param_list.key()
        for combo, ref in ((self.x_param, ctl.px), (self.y_param, ctl.py)):
            with QSignalBlocker(combo):
                if combo.property("params_key") != repr(key):
                    combo.clear()
                    # as the graph writes them: w²₁₁, not w^2_11
                    combo.addItems([math_plain(n) for n in ctl.param_list.names()])
                    combo.setProperty("params_key", repr(key))
                combo.setCurrentIndex(ctl.param_list.index(ref))
                combo.setEnabled(ctl.mode == "params")
            # on a plane the axes are its directions: no rows for two parameters (their
            # room is the readout's, which says how far off the plane the point is)
            self.form.setRowVisible(combo, ctl.mode == "params")
        with QSignalBlocker(self.mode):
            self.mode.setCurrentIndex(MODES.index(ctl.mode))
        with QSignalBlocker(self.span):
            self.span.setValue(ctl.span)
        with QSignalBlocker(self.resolution):
            self.resolution.setValue(ctl.resolution)
        with QSignalBlocker(self.eta):
            self.eta.setValue(ctl.doc.config.eta)
        with QSignalBlocker(self.speed):
            self.speed.setValue(ctl.steps_per_tick)
        with QSignalBlocker(self.only_two):
            self.only_two.setChecked(ctl.only_two)
            self.only_two.setEnabled(ctl.mode == "params" and len(refs) > 2)
        self.only_two.setVisible(ctl.mode == "params")
        self.recentre_btn.setText({"random": "New random directions",
                                   "pca": "Plane of the path so far"}.get(
                                       ctl.mode, "Recentre on the current point"))
        self._update_explanation()

    def _update_explanation(self) -> None:
        s = self.ctl.surface
        extra = f"\n{s.info}" if (s is not None and s.info and s.mode == self.ctl.mode) else ""
        self.explain.setText(self.ctl.explanation() + extra)

    def _on_busy_changed(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        if busy:
            self.progress.setValue(0)

    def _on_surface_changed(self) -> None:
        s = self.ctl.surface
        self._surface_stale = not self.isVisible()
        if s is None or self._surface_stale:
            return
        # a live picture (descent playing) has no contours: they cost more than the picture
        xl, yl = math_plain(s.x_label), math_plain(s.y_label)   # w²₁₁, as the graph has it
        self.heatmap.set_surface(s.xs, s.ys, s.z, xl, yl, contours=not s.live, steady=s.live)
        self.view3d.set_surface(s.xs, s.ys, s.z, xl, yl)
        # unchanged, the label and title are not set again: each would regenerate the
        # slice's axis (a live picture arrives many times a second)
        key = (s.x_label, s.mode, self._style)
        if key != self._slice_framed:
            self._slice_framed = key
            self.slice.setLabel("bottom", xl)
            # in smaller type, then shorter, where the slice is narrow (beside the picker
            # on a projector): "…, the rest held" was cut off at 1024x768 in F5
            x = xl
            titles = ((f"Slice: loss against {x}, the rest held", f"Loss against {x}, "
                       "the rest held", f"Loss against {x}") if s.mode == "params" else
                      ("Slice: loss along direction 1 at the point's β",
                       "Loss along direction 1 at the point's β", "Loss along direction 1"))
            fit_title(self.slice.getPlotItem(), titles, self._style.foreground,
                      self._style.pt(10), self._style.pt(8))
        self._update_explanation()
        self._on_path_changed()

    def _path_key(self) -> tuple:
        """What the drawn path, slice and readout show (the same key: nothing to redraw)."""
        c = self.ctl
        return (id(c.surface), c.mode, c.px, c.py, id(c.thetas), len(c.thetas), c.steps,
                c.costs[-1] if c.costs else None)

    def _schedule_path(self) -> None:
        # a new picture draws the path at once and is followed by a path_changed that has
        # nothing new to show (while descent plays: many times a second)
        if self._path_key() == self._drawn_path:
            return
        if not self._path_timer.isActive():
            self._path_timer.start()

    def _on_path_changed(self) -> None:
        ctl = self.ctl
        self._path_stale = not self.isVisible()
        if ctl.surface is None or ctl.px is None or self._path_stale:
            return
        self._drawn_path = self._path_key()
        coords = ctl.path_coords()
        self.heatmap.set_path(coords)
        self.view3d.set_path(coords, np.array(ctl.costs))
        sl = self._slice.get(ctl)   # while descent plays: at most 0.1 s old
        off = ctl.off_plane()   # on a plane: the point is the parameters' projection
        if sl is not None:
            self.slice_curve.setData(sl[0], sl[1])
            u0, c = coords[-1, 0], ctl.costs[-1]
            if off is not None:   # the plane's loss there, as the heatmap under it
                c = off[1] if off[1] is not None else float(np.interp(u0, sl[0], sl[1]))
            shown = bool(np.isfinite(u0) and np.isfinite(c))   # no dot for a blown-up loss
            self.slice_dot.setData([u0] if shown else [], [c] if shown else [])
            self._fit_slice(sl[1], c)
        u, v = coords[-1]
        s = ctl.surface
        text = (f"Step {ctl.steps}\nloss = {fmt(ctl.costs[-1])}\n"
                f"{s.x_label} = {fmt(u)}\n{s.y_label} = {fmt(v)}")
        if off is not None and off[0] > 1e-9 * max(1.0, float(np.linalg.norm(s.origin))):
            there = f"; the plane's loss there {fmt(off[1])}" if off[1] is not None else ""
            text += f"\n{fmt(off[0])} off the plane{there}"
        self.readout.setText(math_plain(text))   # "w²₁₁ = −0.3", not "w^2_11 = -0.3"

    def _fit_slice(self, values: np.ndarray, current: float) -> None:
        """While descent plays the slice's loss axis stays put while the curve fills most
        of it (:func:`steady_levels`, as the colour scale): a new range at every step
        re-laid-out and repainted both its axes, about a third of a frame's drawing. A
        pause fits it to the curve again."""
        if not self.ctl.playback.playing:
            return
        v = np.append(values, current)
        v = v[np.isfinite(v)]
        if v.size == 0:
            return
        vb = self.slice.getViewBox()
        now = None if vb.autoRangeEnabled()[1] else tuple(vb.viewRange()[1])
        lo, hi = float(v.min()), float(v.max())
        if hi <= lo:
            hi = lo + 1e-12
        want = steady_levels(lo, hi, now)
        if want != now:
            vb.setYRange(*want, padding=0)

    def _on_heatmap_clicked(self, x: float, y: float) -> None:
        self.ctl.move_to(x, y)

    def apply_style(self, style: Style) -> None:
        self._style = style
        self.controls.setMaximumWidth(int(min(270 * style.scale, 420)))
        fit_combo(self.mode)   # its longest choice whole in the new type
        self.heatmap.apply_style(style)
        self.view3d.apply_style(style)
        self.picker.apply_style(style)
        self.slice.setBackground(style.background)
        style_axes(self.slice, style)
        self.slice.getAxis("bottom").enableAutoSIPrefix(False)   # (as the heatmap's)
        self._on_surface_changed()
        self.slice_dot.setBrush(pg.mkBrush(style.highlight))
