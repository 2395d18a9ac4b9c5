"""Two inputs: towers on a grid as a heatmap (always) and a 3-D surface (with OpenGL)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.universality.controller import UniversalityController
from nnviz.engine.labs.universality import GOAL_PRESETS_2D
from nnviz.views.axes import fit_title, style_axes
from nnviz.views.items.math_text import minus_signs
from nnviz.views.layouts import nest
from nnviz.views.style import Style, current_style
from nnviz.views.widgets import spin_box

EXPLAIN = ("A tower: a step up and down in x (a bump) plus a bump in y, weighted by h, into a "
           "neuron with bias b = −3h/2. Only where both bumps are on does the input exceed the "
           "threshold, so the neuron fires on one rectangle. A grid of towers with heights "
           "f(cell) approximates f(x, y).")


class TwoInputPage(QWidget):
    """Heatmaps of the 2-D goal and of the towers' output, controls, optional 3-D view."""

    def __init__(self, ctl: UniversalityController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.dirty = True
        from nnviz.views.gl import gl_status

        ok, why = gl_status()
        lay = QHBoxLayout(self)
        left = QHBoxLayout() if ok else QVBoxLayout()
        nest(lay, left, 3)
        self.graphics = pg.GraphicsLayoutWidget()
        left.addWidget(self.graphics, 1 if ok else 2)
        self._build_heatmaps(ok)
        self._build_3d(ok, why, left)
        self._build_controls(lay)
        self.towers.valueChanged.connect(ctl.set_towers)
        self.gain.valueChanged.connect(self._on_gain_edited)
        self.preset.activated.connect(self._on_preset_chosen)
        self.goal_edit.returnPressed.connect(lambda: self._set_goal(self.goal_edit.text()))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(16)
        self._timer.timeout.connect(self.redraw)
        ctl.changed.connect(self._on_model_changed)
        self._on_model_changed()
        self.apply_style(current_style())

    def _build_heatmaps(self, ok: bool) -> None:
        """The goal and the towers as heatmaps over the unit square."""
        # with a 3-D view the heatmaps stack in a narrow column beside it
        self.goal_plot = self.graphics.addPlot(row=0, col=0, title="goal f(x, y)")
        self.out_plot = self.graphics.addPlot(row=1 if ok else 0, col=0 if ok else 1,
                                              title="towers")
        self.cmap = pg.colormap.get("viridis")
        self.goal_img = pg.ImageItem()
        self.out_img = pg.ImageItem()
        for plot, img in ((self.goal_plot, self.goal_img), (self.out_plot, self.out_img)):
            plot.addItem(img)
            plot.setAspectLocked(True)
            plot.setMenuEnabled(False)
            plot.setLabel("bottom", "x")
            plot.setLabel("left", "y")
            img.setColorMap(self.cmap)
            img.setRect(0, 0, 1, 1)
            plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0.02)
            plot.setPreferredWidth(1)   # the room shared equally, whatever the titles
            plot.setPreferredHeight(1)
        lay = self.graphics.ci.layout
        for i in range(2):
            (lay.setRowStretchFactor if ok else lay.setColumnStretchFactor)(i, 1)

    def _build_3d(self, ok: bool, why: str, left) -> None:
        """The towers in 3-D where OpenGL works, else the reason it does not."""
        from nnviz.views.gl import GLView

        self.view3d, self.gl_label, self.surface = None, QLabel(), None
        if ok:
            import pyqtgraph.opengl as gl
            from PySide6.QtGui import QVector3D

            self.view3d = GLView()
            self.view3d.setCameraPosition(pos=QVector3D(0, 0, 0.3), distance=2.0, elevation=30,
                                          azimuth=-60)
            grid = gl.GLGridItem()
            grid.setSize(1, 1)
            grid.setSpacing(0.1, 0.1)
            self.view3d.addItem(grid)
            self.surface = gl.GLSurfacePlotItem(shader="shaded", computeNormals=True,
                                                smooth=False)
            self.surface.translate(-0.5, -0.5, 0)
            t0 = np.linspace(0, 1, 2)
            self.surface.setData(x=t0, y=t0, z=np.zeros((2, 2)))  # never paint an empty mesh
            self.view3d.addItem(self.surface)
            left.addWidget(self.view3d, 2)
        else:
            self.gl_label.setText(f"3-D view not available: {why}.")
            self.gl_label.setWordWrap(True)
            self.gl_label.setObjectName("gl-status")
            left.addWidget(self.gl_label)

    def _build_controls(self, lay: QHBoxLayout) -> None:
        """Towers per side, their weight and threshold, the goal, the explanation."""
        right = QVBoxLayout()
        nest(lay, right, 1)
        self.score_label = QLabel()
        right.addWidget(self.score_label)
        form = QFormLayout()
        nest(right, form)
        self.towers = QSpinBox()
        self.towers.setRange(1, 20)
        form.addRow("Towers per side", self.towers)
        self.gain = spin_box(0.5, 10000, 1)
        form.addRow("Tower weight h", self.gain)
        self.bias_label = QLabel()
        form.addRow("Threshold b = −3h/2", self.bias_label)
        self.preset = QComboBox()
        self.preset.addItem("(choose a preset)", None)
        for name, text in GOAL_PRESETS_2D.items():
            self.preset.addItem(name, text)
        form.addRow("Goal", self.preset)
        self.goal_edit = QLineEdit()
        self.goal_edit.setPlaceholderText("a function of x and y")
        right.addWidget(self.goal_edit)
        self.goal_error = QLabel()
        self.goal_error.setWordWrap(True)
        right.addWidget(self.goal_error)
        text = QLabel(EXPLAIN)
        text.setWordWrap(True)
        right.addWidget(text)
        right.addStretch(1)

    def _on_gain_edited(self, v: float) -> None:
        self.ctl.set_gain(v)
        self.ctl.end_drag()

    def _on_preset_chosen(self, _i: int) -> None:
        if self.preset.currentData():
            self._set_goal(self.preset.currentData())

    def _set_goal(self, text: str) -> None:
        err = self.ctl.set_goal2d_text(text)
        self.goal_error.setText("" if err is None else f"Not changed: {err}")

    def _on_model_changed(self) -> None:
        m = self.ctl.m
        with QSignalBlocker(self.towers):
            self.towers.setValue(m.towers)
        with QSignalBlocker(self.gain):
            self.gain.setValue(m.gain)
        self.bias_label.setText(minus_signs(f"= {-1.5 * m.gain:.6g}"))   # as −3h/2
        if not self.goal_edit.hasFocus():
            self.goal_edit.setText(m.goal2d_text)
        self.dirty = True
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self.dirty:
            self.redraw()

    def redraw(self) -> None:
        g = self.ctl.readouts.towers_grid()
        lo = float(min(g["goal"].min(), g["out"].min()))
        hi = float(max(g["goal"].max(), g["out"].max()))
        hi = hi if hi > lo else lo + 1
        # ImageItem's first axis is x: transpose the (y, x) grids
        for img, z in ((self.goal_img, g["goal"]), (self.out_img, g["out"])):
            img.setImage(z.T, levels=(lo, hi))
            img.setRect(0, 0, 1, 1)
        self.score_label.setText(f"Score (mean |towers − goal|): {g['score']:.4f}")
        if self.surface is not None:
            z = np.ascontiguousarray(g["out"].T)
            colors = self.cmap.map(((z - lo) / (hi - lo)).ravel(), mode="float")
            self.surface.setData(x=g["x"], y=g["y"], z=z)
            # flat (n*n, 4): pyqtgraph 0.14 indexes vertex colours by vertex number
            self.surface.setData(colors=colors.reshape(-1, 4))
        self.dirty = False

    def apply_style(self, style: Style) -> None:
        self.graphics.setBackground(style.background)
        for plot, words in ((self.goal_plot, ("goal f(x, y)", "goal f")),
                            (self.out_plot, ("towers",))):
            # a title never widens its plot: "goal f(x, y)" had made the goal's square
            # larger than the towers', on another y range, side by side; it is set
            # smaller or shorter instead
            fit_title(plot, words, style.foreground, round(11 * style.scale), style.pt(8))
            # tick and axis-name type scale with presentation, a little smaller than a
            # chart's: the axis names kept off the tick labels widened the two heatmaps
            # side by side past the view at 1024x768 in F5
            style_axes(plot, style, size=8.0)
        f = self.score_label.font()
        f.setPointSizeF(style.pt(12))
        f.setBold(True)
        self.score_label.setFont(f)
        self.goal_error.setStyleSheet(f"color: {style.negative};")
        if self.view3d is not None:
            self.view3d.setBackgroundColor(style.background)

