"""The convolution page: the image with the patch outlined, the kernel, the arithmetic
of the position shown, the feature map filling in, the stack of all kernels' maps and
the pooled map."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.conv.controller import ConvController
from nnviz.engine.labs.conv_backsteps import TARGET
from nnviz.views.conv.arithmetic import ArithmeticPanel
from nnviz.views.conv.cells import COLOURS_NOTE, CellGrid
from nnviz.views.conv.controls import ConvControls, KernelEditor
from nnviz.views.conv.page_layout import PageGrid
from nnviz.views.conv.stack import MapStack
from nnviz.views.conv.zoom import Canvas, ZoomArea
from nnviz.views.layouts import nest
from nnviz.views.style import Style, current_style

HINT = ("→ / Space: next position · Shift+→: finish the row · Ctrl+→: the whole map · "
        "←: back · K: next map · S: settings")


def titled(title: str, w: QWidget, stretch: int = 1) -> tuple[QWidget, QLabel]:
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(2, 2, 2, 2)
    lay.setSpacing(2)
    label = QLabel(title)
    label.setWordWrap(True)
    lay.addWidget(label)
    lay.addWidget(w, stretch)
    return box, label


class GradKernel(QWidget):
    """∂C/∂w of the kernel (C, k, k) as it sums up: one grid per channel, numbers shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conv-kernel-gradient")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.grids = [CellGrid("signed") for _ in range(3)]
        for g in self.grids:
            lay.addWidget(g)

    def set_kernel(self, dw: np.ndarray, style: Style) -> None:
        for ch, g in enumerate(self.grids):
            g.setVisible(ch < len(dw))
            if ch < len(dw):
                g.apply_style(style)
                g.set_data(dw[ch], vmax=float(np.abs(dw).max()))


class ConvPage(QWidget):
    """Everything of one convolutional layer, stepped by the clicker keys."""

    def __init__(self, ctl: ConvController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.style_ = current_style()
        self.controls = ConvControls(ctl)
        scroll = QScrollArea()
        scroll.setWidget(self.controls)
        scroll.setWidgetResizable(True)
        scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.scroll = scroll
        self._build_maps()
        self._swapped = False   # the δ map beside the arithmetic (page_layout.SWAPPED)
        self.grid = self._build_grid()
        right = QVBoxLayout()
        self.right = right
        self.reveal = None   # the lab's predict-then-reveal, once it has one
        right.addWidget(self.position)
        canvas = Canvas()
        canvas.setObjectName("conv-canvas")
        canvas.setLayout(self.grid)
        self.zoom_area = ZoomArea(canvas)
        right.addWidget(self.zoom_area, 1)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(scroll)
        nest(lay, right, 1)
        self.refresh()

    def _build_maps(self) -> None:
        """The image, kernel (and its gradient), feature map, pooled map, arithmetic, the
        stack of feature maps and the position's text."""
        ctl = self.ctl
        self.image = CellGrid("ink", numbers=False)
        self.image.setObjectName("conv-image")
        self.image.cell_pressed.connect(self._on_paint)
        self.image.stroke_ended.connect(self._end_stroke)
        self._stroke = 0
        self.kernel = KernelEditor(ctl)
        self.fmap = CellGrid("signed")
        self.fmap.setObjectName("conv-feature-map")
        self.fmap.places = 2
        self.pooled = CellGrid("signed")
        self.pooled.places = 2
        self.pooled.setObjectName("conv-pooled")
        self.arith = ArithmeticPanel()
        self.arith.arranged.connect(lambda _one_row: self._arrange(*self._arranged_for))
        self._arranged_for = (False, False)
        self.stack = MapStack()
        self.stack.setObjectName("conv-map-stack")
        self.stack.map_clicked.connect(ctl.set_active)
        self.position = QLabel()
        self.position.setObjectName("conv-position")
        self.position.setWordWrap(True)

    def _build_grid(self) -> QGridLayout:
        """The maps titled and placed (page_layout): image, kernel, feature map, pooled,
        the arithmetic and the stack."""
        img_box, self.image_title = titled("Image", self.image)
        self.dw = GradKernel()
        self.kernel_box = QStackedWidget()   # the kernel; its gradient in the backward pass
        self.kernel_box.addWidget(self.kernel)
        self.kernel_box.addWidget(self.dw)
        k_box, self.kernel_title = titled("Kernel", self.kernel_box)
        self.kernel.setToolTip("Double-click a cell (or type) to change it; Ctrl+Z undoes")
        f_box, self.fmap_title = titled("Feature map", self.fmap)
        p_box, self.pool_title = titled("Pooled", self.pooled)
        s_box, self.stack_title = titled("Feature maps", self.stack)
        self.fmap_box, self.stack_box = f_box, s_box
        self.layout_ = PageGrid({"image": img_box, "kernel": k_box, "pooled": p_box,
                                 "arith": self.arith, "fmap": f_box, "stack": s_box})
        self._titled = ((self.fmap_title, (self.fmap,)), (self.pool_title, (self.pooled,)),
                        (self.kernel_title, tuple(self.dw.grids)))
        self._bases: dict[QLabel, str] = {}
        for g in (self.fmap, self.pooled, *self.dw.grids):
            g.legibility_changed.connect(self._notes)
        self.layout_.arrange(False, False, False, False)   # no box shown before it has a parent
        return self.layout_.grid

    def _arrange(self, three: bool, wide: bool) -> None:
        """Room where the numbers are (page_layout.PageGrid.arrange)."""
        self._arranged_for = (three, wide)
        present = self.style_.presentation
        # F5: one map's stack only repeats its colours (and is not needed backward); an
        # RGB kernel's three tables one under another, in the narrow left column that
        # leaves the width to the grids of the computation (∂C/∂w's side by side, under
        # the δ map: page_layout.PROJECTOR_RGB_BACK)
        stack = len(self.ctl.setup.kernels) > 1 and not (present and self.ctl.backward)
        self.stack_box.setVisible(not present or stack)
        self.kernel.layout().setDirection(QBoxLayout.Direction.TopToBottom if present
                                          else QBoxLayout.Direction.LeftToRight)
        # the backward pass in F5: ∂C/∂w and δp ask for cells that hold "-0.0" at 18 px
        # (their shares were too small), the arithmetic and the δ map share the rest
        hold = "-0.0" if present and self.ctl.stage == "conv_back" else None
        for g in (*self.dw.grids, self.pooled):
            g.hold_room(hold)
        self.layout_.arrange(present, three, bool(self.arith.one_row), wide, self.ctl.stage,
                             stack)
        self._swapped = self.layout_.swapped

    def _title(self, label: QLabel, text: str) -> None:
        """A map's title; in presentation mode with what its numbers are (_notes)."""
        self._bases[label] = text
        self._note(label)

    def _note(self, label: QLabel) -> None:
        grids = dict(self._titled).get(label, ())
        notes = {g.note() for g in grids if g.isVisibleTo(self)} - {""}
        base = self._bases.get(label, label.text())
        label.setText(" · ".join([base, *sorted(notes)]))

    def _notes(self) -> None:
        for label, _grids in self._titled:
            self._note(label)

    def _show_kernel_page(self, i: int) -> None:
        """The kernel (0) or its gradient (1); the page not shown asks for no room (a
        stacked widget is as large as its largest page: the kernel's tables would take
        the height ∂C/∂w's arithmetic needs below)."""
        self.kernel_box.setCurrentIndex(i)
        for j in range(self.kernel_box.count()):
            pol = QSizePolicy.Policy.Preferred if j == i else QSizePolicy.Policy.Ignored
            self.kernel_box.widget(j).setSizePolicy(pol, pol)

    def set_reveal(self, reveal) -> None:
        """Predict, then reveal: its guess bar goes under the position line."""
        self.reveal = reveal
        reveal.bar.set_compact(True)      # two rows (one in F5): the pictures keep their numbers
        self.right.insertWidget(1, reveal.bar)
        self.refresh()

    def fit_reveal(self) -> None:
        """In presentation mode the guess bar takes the position line's place (the status
        bar says the position too; the bar names the cell asked): the pictures keep the
        height their numbers need."""
        asking = self.reveal is not None and self.reveal.bar.isVisibleTo(self)
        self.position.setVisible(not (asking and self.style_.presentation))
        if self.reveal is not None:   # F5: one row (the caption bar says the verdict)
            self.reveal.bar.set_rows(1 if self.style_.presentation else 2)

    # ------------------------------------------------------------ painting the image
    def _on_paint(self, r: int, c: int, button: int) -> None:
        s = self.ctl.setup
        if s.source != "paint":
            return
        p = r - s.padding if self.image.pad else r
        q = c - s.padding if self.image.pad else c
        if 0 <= p < s.paint.shape[0] and 0 <= q < s.paint.shape[1]:
            self.ctl.paint(p, q, 0.0 if button == 2 else 1.0, self._stroke)

    def _end_stroke(self) -> None:
        self._stroke += 1

    # ------------------------------------------------------------ redraw
    def refresh(self) -> None:
        c, s = self.ctl, self.ctl.setup
        hidden = self.reveal is not None and self.reveal.hidden()   # the new cell is not shown
        self.controls.refresh()
        self.kernel.refresh()
        img = c.image if s.padding == 0 else np.pad(
            c.image, ((0, 0), (s.padding, s.padding), (s.padding, s.padding)))
        self.image.mode = "rgb" if s.source == "rgb" else "ink"
        self._show_kernel_page(1 if c.stage == "conv_back" else 0)
        self._arrange(s.source == "rgb" and c.stage in ("conv", "conv_back"),
                      c.stage == "conv_back" and c.image.shape[0] == 3)
        if c.backward:
            self._refresh_back(img)
            return
        cell = c.cell()
        ks = s.kernels.shape[-1]
        outline = (cell.top, cell.left, ks, ks) if cell is not None and c.stage == "conv" \
            else None
        self.image.set_data(img if self.image.mode == "rgb" else img[0], outline=outline,
                            pad=s.padding)
        fmap = c.activated[s.active] if c.stage == "pool" else c.maps[s.active]
        oh, ow = fmap.shape
        shown = np.zeros(oh * ow, bool)
        shown[:c.shown_conv() - (hidden and c.stage == "conv")] = True
        pc = c.pool_cell()
        f_outline = (pc.top, pc.left, s.pool_size, s.pool_size) if pc is not None else (
            (cell.row, cell.col, 1, 1) if cell is not None else None)
        marked = (pc.top + pc.winner[0], pc.left + pc.winner[1]) if pc is not None and \
            pc.winner is not None and not hidden else None
        self.fmap.set_data(fmap, shown.reshape(oh, ow), f_outline, marked,
                           vmax=float(np.abs(c.maps[s.active]).max()))
        pooled = c.pooled[s.active]
        pshown = np.zeros(pooled.size, bool)
        pshown[:c.shown_pool() - (hidden and c.stage == "pool")] = True
        self.pooled.set_data(pooled, pshown.reshape(pooled.shape),
                             (pc.row, pc.col, 1, 1) if pc is not None else None,
                             vmax=float(np.abs(c.maps[s.active]).max()))
        self.stack.set_maps(c.activated if c.stage == "pool" else c.maps, s.active, self.style_,
                            shown.reshape(oh, ow), (cell.row, cell.col)
                            if cell is not None and c.stage == "conv" else None)
        self._titles(fmap.shape, pooled.shape)
        if pc is not None:
            self.arith.show_pool(pc, hidden)
        else:
            self.arith.show_conv(cell, "Press → to place the kernel on the first patch.", hidden)
        self.position.setText(self.position_text())

    def _refresh_back(self, img: np.ndarray) -> None:
        """The backward pass: δp on the pooled map, ∂C/∂a routed into the map (pooling),
        then δ cell by cell with the patch it reaches outlined on the image. While the
        step's result is hidden (predict, then reveal), its δp or δ and everything made
        from it (the shares, ∂C/∂w and ∂C/∂b) are shown as before the step."""
        c, s = self.ctl, self.ctl.setup
        hidden = self.reveal is not None and self.reveal.hidden()
        back, ks = c.back, s.kernels.shape[-1]
        pb, cb = c.pool_back_cell(), c.conv_back_cell()
        n_pool, n_cells = c.shown_back()
        self.image.set_data(img if self.image.mode == "rgb" else img[0], pad=s.padding,
                            outline=(cb.top, cb.left, ks, ks) if cb is not None else None)
        pshown = np.zeros(back.dp.size, bool)
        pshown[:n_pool - (hidden and pb is not None)] = True
        self.pooled.set_data(back.dp, pshown.reshape(back.dp.shape),
                             (pb.row, pb.col, 1, 1) if pb is not None else None)
        if pb is not None:
            win = (pb.top, pb.left, s.pool_size, s.pool_size)
            marked = (pb.top + pb.winner[0], pb.left + pb.winner[1]) if pb.winner and \
                not hidden else None
            self.fmap.set_data(pb.da_before if hidden else pb.da_after, None, win, marked,
                               vmax=float(np.abs(back.da).max()))
            self.arith.show_pool_back(pb, hidden)
        else:
            shown = np.zeros(back.delta.size, bool)
            shown[:n_cells - hidden] = True
            self.fmap.set_data(back.delta, shown.reshape(back.delta.shape),
                               (cb.row, cb.col, 1, 1), vmax=float(np.abs(back.delta).max()))
            self.arith.show_conv_back(cb, hidden, float(c.maps[s.active][cb.row, cb.col])
                                      if s.relu else None)
            self.dw.set_kernel(cb.dw_before if hidden else cb.dw_after, self.style_)
        self.stack.set_maps(c.activated, s.active, self.style_)
        self._titles(back.da.shape, back.dp.shape)
        self._title(self.fmap_title, ("∂C/∂a " if pb is not None else "δ = ∂C/∂z ")
                    + f"{back.da.shape[0]}×{back.da.shape[1]}")
        self._title(self.pool_title, f"δp = p − t (t\u00a0=\u00a0{TARGET:g})")
        if cb is not None:
            self._title(self.kernel_title,
                        f"∂C/∂w = Σ δ·patch ({n_cells - hidden}/{c.n_conv})")
            self.kernel_title.setToolTip("One kernel is shared by every position, so its "
                                         "gradient is the sum of δ × patch over all of them")
        self.position.setText(self.position_text())

    def _titles(self, fshape, pshape) -> None:
        c, s = self.ctl, self.ctl.setup
        img = c.image
        dims = f"{img.shape[1]}×{img.shape[2]}" + ("×3" if img.shape[0] == 3 else "")
        self.image_title.setText(f"Image {dims}")
        ks = s.kernels.shape
        self._title(self.kernel_title, f"Kernel {ks[2]}×{ks[3]}" + ("×3" if ks[1] == 3 else ""))
        relu = "ReLU(map)" if s.relu and c.stage == "pool" else "Map"
        self._title(self.fmap_title, f"{relu} {fshape[0]}×{fshape[1]}")
        name = "Max" if s.pool == "max" else "Avg"
        self._title(self.pool_title, f"{name} pool {pshape[0]}×{pshape[1]}")
        if self._swapped or self.style_.presentation:   # a narrow place: a short title
            short_ = f"{ks[0]} maps, {s.active + 1} in front" if ks[0] > 1 else "1 map"
            self.stack_title.setText(f"{short_} (K) · {COLOURS_NOTE}" if
                                     self.style_.presentation else short_)
            return
        self.stack_title.setText(
            f"{ks[0]} maps {ks[0]}×{fshape[0]}×{fshape[1]}, map {s.active + 1} in front (K)"
            if ks[0] > 1 else f"1 map 1×{fshape[0]}×{fshape[1]}")

    def position_text(self) -> str:
        c, s = self.ctl, self.ctl.setup
        ks = s.kernels.shape
        setting = (f"kernel {s.active + 1} of {ks[0]}, b = {s.biases[s.active]:g}, stride "
                   f"{s.stride}, padding {s.padding}; pool {s.pool_size}×{s.pool_size} "
                   f"stride {s.pool_stride}; maps to 2 decimals")
        if self.style_.presentation:   # one line at projector size; the status bar has all
            setting = f"stride {s.stride}, padding {s.padding}; hover a cell: its exact value"
        if c.k == 0:
            return f"Start · {setting} · {HINT}"
        if c.stage == "conv":
            return f"Position {c.k} of {c.n_conv} · {setting}"
        if c.stage == "pool":
            return f"Pooling window {c.k - c.n_conv} of {c.n_pool} · {setting}"
        n_pool, n_cells = c.shown_back()
        cost = f"C = ½ Σ (p − t)² = {c.back.cost:.4f}"
        if c.stage == "pool_back":
            return f"Backward, pooling window {n_pool} of {c.n_pool} · {cost}"
        return f"Backward, output cell {n_cells} of {c.n_conv} · {cost}"

    def status_text(self) -> str:
        """The position alone, short enough for the status bar at projector size (the
        position line above the pictures has the settings and the keys)."""
        c = self.ctl
        if c.k == 0:
            return "Start"
        if c.stage == "conv":
            return f"Position {c.k} of {c.n_conv}"
        if c.stage == "pool":
            return f"Pooling window {c.k - c.n_conv} of {c.n_pool}"
        n_pool, n_cells = c.shown_back()
        if c.stage == "pool_back":
            return f"Backward · pooling window {n_pool} of {c.n_pool}"
        return f"Backward · output cell {n_cells} of {c.n_conv} · C = {c.back.cost:.4f}"

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        for g in (self.image, self.fmap, self.pooled):
            g.apply_style(style)
        self.arith.apply_style(style)
        small = QFont(self.font())
        small.setPointSizeF(style.pt(8))
        for t in self.kernel.tables:
            t.setFont(small)
        self.refresh()
        self.fit_reveal()
        self.controls.fit_widths()
        self.controls.adjustSize()
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        self.scroll.setFixedWidth(self.controls.sizeHint().width() + bar + 4)
