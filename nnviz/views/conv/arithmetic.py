"""The arithmetic of the position shown: the patch and the kernel side by side with
their products and the sum (plus bias); or the pooling window and its max or mean."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from nnviz.engine.core.naming import fmt
from nnviz.engine.labs.conv_backsteps import ConvBackCell, PoolBackCell
from nnviz.engine.labs.conv_steps import ConvCell, PoolCell
from nnviz.engine.labs.conv_worked import signed_sum
from nnviz.views.conv.cells import CellGrid, short
from nnviz.views.items.math_text import minus_signs
from nnviz.views.layouts import nest
from nnviz.views.style import Style

CHANNELS = ("R", "G", "B")
#: how the channels' rows stand (ArithmeticPanel._place)
STACKED, ROW, COLUMNS = "stacked", "row", "columns"


def sum_text(cell: ConvCell, hidden: bool = False) -> str:
    """'Σ of the 9 products = t;  + bias b  =  v' in plain text ('= ?' while hidden)."""
    n = cell.products.size
    if hidden:
        return f"Σ {n} products + bias {fmt(cell.bias)}:   out({cell.row + 1},{cell.col + 1}) = ?"
    return (f"Σ {n} products = {fmt(cell.total)};   out({cell.row + 1},{cell.col + 1}) = "
            f"{signed_sum([cell.total, cell.bias])} = {fmt(cell.value)}")


def pool_text(cell: PoolCell, hidden: bool = False) -> str:
    """The forward arithmetic, and where the gradient goes backward ('= ?' while hidden)."""
    vals = ", ".join(short(v) for v in cell.window.ravel())
    n = cell.window.size
    if hidden:
        return f"{cell.mode if cell.mode == 'max' else 'mean'}({vals}) = ?"
    if cell.mode == "max":
        return (f"max({vals}) = {fmt(cell.value)}\n"
                "Backward: all of δ goes to the marked cell")
    return (f"({signed_sum(cell.window.ravel())}) / {n} = {fmt(cell.value)}\n"
            f"Backward: every cell gets δ/{n}")


def pool_back_text(cell: PoolBackCell, hidden: bool = False) -> str:
    """'δp(1,2) = p − t = …; where it goes' in plain text ('?' while hidden)."""
    n = cell.window.size
    at = f"({cell.row + 1},{cell.col + 1})"
    if hidden:
        return (f"δp{at} = ∂C/∂p with p = {fmt(cell.p)}, t = {fmt(cell.target)}:  δp = ?\n"
                f"and where does it go in the {n} cells of the window?")
    head = f"δp{at} = p − t = {signed_sum([cell.p, -cell.target])} = {fmt(cell.delta)}"
    if cell.winner is not None:
        u, v = cell.winner
        return (f"{head}\n∂C/∂a({cell.top + u + 1},{cell.left + v + 1}) += {fmt(cell.delta)}; "
                f"the other {n - 1} cells of the window get 0")
    return f"{head}\nevery one of the {n} cells: ∂C/∂a += {fmt(cell.delta)} / {n} = " \
        f"{fmt(cell.delta / n)}"


def conv_back_text(cell: ConvBackCell, hidden: bool = False, z: float | None = None) -> str:
    """δ of the cell and the bias's running sum in plain text; while hidden, ∂C/∂a and
    z are given (``z``: the map before ReLU) and δ, ∂C/∂b are '?'."""
    at = f"({cell.row + 1},{cell.col + 1})"
    if hidden:
        grad = f"ReLU′({fmt(z)})" if z is not None else fmt(cell.relu_grad)
        return (f"δ{at} = ∂C/∂a · ReLU′(z) = {fmt(cell.da)} × {grad} = ?\n"
                f"∂C/∂b = {fmt(cell.db_before)} + δ{at} = ?")
    return (f"δ{at} = ∂C/∂a · ReLU′(z) = {fmt(cell.da)} × {fmt(cell.relu_grad)} = "
            f"{fmt(cell.delta)}\n"
            f"∂C/∂b = {signed_sum([cell.db_before, cell.delta])} = {fmt(cell.db_after)}")


def _blank(shape: tuple[int, ...], hidden: bool) -> np.ndarray | None:
    """Cells shown: none while the result is hidden (the grid keeps its place, so the
    picture does not jump when it is revealed), else all."""
    return np.zeros(shape, bool) if hidden else None


class ArithmeticPanel(QWidget):
    """Up to three rows (one per channel): patch × kernel = products; then the sum."""

    arranged = Signal(bool)   # the channels now stand side by side (True) or stacked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conv-arithmetic")
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(4)
        self.grid.setVerticalSpacing(1)   # three channel rows: the height goes to the grids
        self.patches, self.kernels, self.products, self.tags, self.signs = [], [], [], [], []
        self._cells: list[tuple[QWidget, ...]] = []   # per channel: tag, p, ×, k, =, m
        for ch in range(3):
            tag = QLabel(CHANNELS[ch])
            p, k, m = CellGrid("signed"), CellGrid("signed"), CellGrid("signed")
            times, eq = QLabel("×"), QLabel("=")
            for lab in (times, eq, tag):
                lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._cells.append((tag, p, times, k, eq, m))
            self.patches.append(p)
            self.kernels.append(k)
            self.products.append(m)
            self.tags.append(tag)
            self.signs.append((times, eq))
        self._title = ""
        self._presentation = False
        for g in (*self.patches, *self.kernels, *self.products):
            g.legibility_changed.connect(self._note)
        self.mode: str | None = None   # STACKED, ROW or COLUMNS (_place)
        self.one_row: bool | None = None   # the channels side by side in one row
        self._n = 0              # channels shown
        self._scalar = False     # the middle grid is one number (δ): COLUMNS possible
        self._place(STACKED)
        self.result = QLabel()
        self.result.setObjectName("conv-sum")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.title)
        nest(lay, self.grid, 1)
        lay.addWidget(self.result)

    def _place(self, mode: str) -> None:
        """The channels' rows one under another (STACKED), side by side in one row (ROW: a
        wide, short panel: a projector's 1280x720 with the guess bar up gave each of three
        stacked grids too few pixels to write its numbers), or in COLUMNS: each channel's
        tag and patch over "× δ =" over its result. COLUMNS is for the backward pass,
        whose δ is one number: its row is one cell high, so the height goes to two grids,
        not three (stacked, an RGB patch under the guess bar at 1024x768 and 1280x720 in
        F5 had 31-37 px cells: colours only)."""
        if mode == self.mode:
            return
        self.mode = mode
        self.one_row = mode == ROW
        for ch, (tag, p, times, k, eq, m) in enumerate(self._cells):
            if mode == COLUMNS:     # tag | patch over "× δ =" over result, centred
                b = 6 * ch
                places = ((tag, 0, b, 1, 1), (p, 0, b + 1, 1, 5), (times, 1, b + 2, 1, 1),
                          (k, 1, b + 3, 1, 1), (eq, 1, b + 4, 1, 1), (m, 2, b + 1, 1, 5))
            else:
                row = 0 if mode == ROW else ch
                places = tuple((w, row, 6 * ch + i if mode == ROW else i, 1, 1)
                               for i, w in enumerate((tag, p, times, k, eq, m)))
            for w, r, c, rs, cs in places:
                self.grid.addWidget(w, r, c, rs, cs)
        for col in range(18):
            if mode == COLUMNS:
                on = col % 6 in (1, 5)
            else:
                on = col % 6 in (1, 3, 5) and (mode == ROW or col < 6)
            self.grid.setColumnStretch(col, 1 if on else 0)
        self._hold_sign_row()
        for r in range(4):
            if mode == COLUMNS:
                on = r in (0, 2) or r == 1 and not self._scalar
            else:
                on = r < 3 and (r == 0 or mode == STACKED and r < self._n)
            self.grid.setRowStretch(r, 1 if on else 0)
        self.arranged.emit(self.one_row)

    def _hold_sign_row(self) -> None:
        """In COLUMNS in presentation mode, δ's one cell large enough for its number at
        PROJECTOR_TEXT_PX (the sign row's 40 px left it colours only)."""
        hold = "-0.0" if self.mode == COLUMNS and self._presentation else None
        for k in self.kernels:
            k.hold_room(hold)

    def _grid_side(self, mode: str) -> float:
        """The side of each square patch grid in that arrangement, in the room the panel
        has."""
        room = self.grid.geometry()
        if room.width() <= 0 or self._n < 2:
            return 0.0
        labels = [w for w in self._cells[0] if isinstance(w, QLabel)]
        label = max(w.sizeHint().width() for w in labels)
        gap_w, gap_h = self.grid.horizontalSpacing(), self.grid.verticalSpacing()
        if mode == COLUMNS:   # (only where the middle grid is one cell: its row's height)
            sign = max(self.kernels[0].minimumHeight(),
                       max(w.sizeHint().height() for w in labels))
            tag = self.tags[0].sizeHint().width() + gap_w
            width = (room.width() - self._n * (tag + gap_w)) / self._n
            height = (room.height() - sign - 2 * gap_h) / 2
            return min(width, height)
        per_row = self._n if mode == ROW else 1
        width = (room.width() - 3 * per_row * (label + gap_w)) / (3 * per_row)
        height = room.height() / (1 if mode == ROW else self._n)
        return min(width, height)

    def _arrange(self) -> None:
        """The arrangement whose grids are largest, where that gives them a tenth more
        room than the one shown (COLUMNS only backward, where δ is one number)."""
        if self._n < 2:
            self._place(STACKED)
            return
        modes = (STACKED, ROW, COLUMNS) if self._scalar else (STACKED, ROW)
        sides = {m: self._grid_side(m) for m in modes}
        best = max(modes, key=sides.get)
        if self.mode not in sides or sides[best] > 1.1 * sides[self.mode]:
            self._place(best)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._arrange()

    def _rows(self, n: int, tags: bool, scalar: bool = False) -> None:
        """``n`` channels' rows shown (their tags with ``tags``); ``scalar``: the middle
        grid is one number (the backward pass's δ)."""
        self._n, self._scalar = n, scalar
        for ch in range(3):
            on = ch < n
            for w in (self.patches[ch], self.kernels[ch], self.products[ch], *self.signs[ch]):
                w.setVisible(on)
            self.tags[ch].setVisible(on and tags)
        mode = self.mode if n > 1 else STACKED
        self.mode = None
        self._place(mode if mode != COLUMNS or self._scalar else STACKED)
        self._arrange()

    def set_title(self, text: str) -> None:
        """The panel's title; in presentation mode with what its numbers are."""
        self._title = text
        self._note()

    def _note(self) -> None:
        notes = {g.note() for g in (*self.patches, *self.kernels, *self.products)
                 if g.isVisibleTo(self)} - {""}
        self.title.setText(self._whole(" · ".join([self._title, *sorted(notes)])))

    def _whole(self, text: str) -> str:
        """With minus signs ("= −1.8125"); in presentation mode, with word joiners:
        "∂C/∂w" and "ReLU′(z)" are not broken across lines in the narrow middle column."""
        text = minus_signs(text)
        if not self._presentation:
            return text
        return text.replace("/∂", "/\u2060∂").replace("′(", "′\u2060(")

    def _signs(self, first: str, second: str) -> None:
        for times, eq in self.signs:
            times.setText(first)
            eq.setText(second)

    def show_conv(self, cell: ConvCell | None, hint: str, hidden: bool = False) -> None:
        self._signs("×", "=")
        if cell is None:
            self._rows(0, False)
            self.set_title(hint)
            self.result.setText("")
            return
        c = cell.patch.shape[0]
        self._rows(c, c == 3)
        self.patches[0].mode = "signed"
        vmax = float(max(np.abs(cell.patch).max(), np.abs(cell.products).max(), 1e-12))
        kmax = float(max(np.abs(cell.kernel).max(), 1e-12))
        for ch in range(c):
            self.patches[ch].set_data(cell.patch[ch], vmax=vmax)
            self.kernels[ch].set_data(cell.kernel[ch], vmax=kmax)
            self.products[ch].set_data(cell.products[ch], vmax=vmax * kmax)
            self.products[ch].setVisible(not hidden)   # predict: the products are the work
            self.signs[ch][1].setVisible(not hidden)
        self.set_title("Patch × kernel = products" + (" (R, G, B)" if c == 3 else ""))
        self.result.setText(self._whole(sum_text(cell, hidden)))

    def show_pool(self, cell: PoolCell, hidden: bool = False) -> None:
        self._signs("×", "=")
        self._rows(1, False)
        for w in (self.kernels[0], self.products[0], *self.signs[0]):
            w.setVisible(False)
        self.patches[0].set_data(cell.window, marked=None if hidden else cell.winner)
        name = "Max pooling: the largest cell wins" if cell.mode == "max" else \
            "Average pooling: the mean of the window"
        self.set_title(name)
        self.result.setText(self._whole(pool_text(cell, hidden)))

    # ------------------------------------------------------------ backward
    def show_pool_back(self, cell: PoolBackCell, hidden: bool = False) -> None:
        """The window of a, δp, and what each window cell receives (δp and its shares
        not shown while ``hidden``)."""
        self._rows(1, False)
        self._signs("δp", "→")
        self.patches[0].set_data(cell.window, marked=None if hidden else cell.winner)
        self.kernels[0].set_data(np.array([[cell.delta]]), _blank((1, 1), hidden))
        self.products[0].set_data(cell.share, _blank(cell.share.shape, hidden),
                                  vmax=max(abs(cell.delta), 1e-12))
        self.set_title("Max pooling backward: δp goes to the cell that won"
                           if cell.mode == "max" else
                           "Average pooling backward: every cell gets δp / n")
        self.result.setText(self._whole(pool_back_text(cell, hidden)))

    def show_conv_back(self, cell: ConvBackCell, hidden: bool = False,
                       z: float | None = None) -> None:
        """patch × δ = δ·patch (per channel for RGB): what this cell adds to ∂C/∂w;
        δ and ∂C/∂b written out below (δ and its share not shown while ``hidden``)."""
        c = cell.patch.shape[0]
        self._rows(c, c == 3, scalar=True)
        self._signs("×", "=")
        vmax = float(max(np.abs(cell.patch).max(), np.abs(cell.contribution).max(), 1e-12))
        for ch in range(c):
            self.patches[ch].set_data(cell.patch[ch], vmax=vmax)
            self.kernels[ch].set_data(np.array([[cell.delta]]), _blank((1, 1), hidden))
            self.products[ch].set_data(cell.contribution[ch],
                                       _blank(cell.patch.shape[1:], hidden), vmax=vmax)
        self.set_title("Patch × δ = what this position adds to ∂C/∂w")
        self.result.setText(self._whole(conv_back_text(cell, hidden, z)))

    def apply_style(self, style: Style) -> None:
        self._presentation = style.presentation
        self._hold_sign_row()
        big = QFont(self.font())
        big.setPointSizeF(style.pt(11))
        big.setBold(True)
        self.result.setFont(big)
        for lab in (*self.tags, *(s for pair in self.signs for s in pair)):
            lab.setFont(big)
        for g in (*self.patches, *self.kernels, *self.products):
            g.apply_style(style)
