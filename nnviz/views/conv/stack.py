"""A convolutional layer's output as the notes and CNN Explainer draw it: k feature maps
stacked one behind the other, each offset up and to the right, the selected map in
front (filled in as far as the kernel has slid). A click on a map behind, or K /
Shift+K, brings another to the front."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from nnviz.engine.core.naming import fmt
from nnviz.views.conv.cells import PROJECTOR_TEXT_PX, cell_colours, rgb_image
from nnviz.views.style import Style, current_style

#: each card behind is offset by this fraction of a cell, up and to the right
OFFSET = 0.55


class MapStack(QWidget):
    """Maps (K, H, W) drawn as a stack; ``map_clicked(i)`` when map i is clicked."""

    map_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.maps = np.zeros((1, 1, 1))
        self.front = 0
        self.shown: np.ndarray | None = None     # bool (H, W) of the front map
        self.cell: tuple[int, int] | None = None  # the front map's current cell
        self.vmax = 1.0
        self.style_ = current_style()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(40, 40)
        self.setToolTip("Click a map to bring it to the front (K: next, Shift+K: previous)")

    def set_maps(self, maps: np.ndarray, front: int, style: Style,
                 shown: np.ndarray | None = None, cell: tuple[int, int] | None = None) -> None:
        """All maps on one colour scale (their largest magnitude), ``front`` in front."""
        shape = self.maps.shape
        self.maps = np.asarray(maps, dtype=float)
        if self.maps.shape != shape:
            self.updateGeometry()      # its size hint follows the maps' shape
        self.front, self.style_, self.shown, self.cell = int(front), style, shown, cell
        m = float(np.max(np.abs(self.maps))) if self.maps.size else 0.0
        self.vmax = m if m > 0 else 1.0
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """Small (8 px a cell): the layout's stretch factors decide its size."""
        k, h, w = self.maps.shape
        depth = (k - 1) * OFFSET
        return QSize(max(40, round(8 * (w + depth))), max(40, round(8 * (h + depth))))

    # ------------------------------------------------------------ geometry
    def _layout(self) -> tuple[float, float, float, float]:
        """(cell size, offset per card, x0, y0): the stack centred in the widget."""
        k, h, w = self.maps.shape
        depth = (k - 1) * OFFSET
        s = max(1.0, min((self.width() - 2) / (w + depth), (self.height() - 2) / (h + depth)))
        off = OFFSET * s
        x0 = (self.width() - s * (w + depth)) / 2
        y0 = (self.height() - s * (h + depth)) / 2
        return s, off, x0, y0

    def card_rect(self, i: int) -> QRectF:
        """Where map ``i`` is drawn (the front map lowest and leftmost)."""
        k, h, w = self.maps.shape
        s, off, x0, y0 = self._layout()
        d = (i - self.front) % k
        return QRectF(x0 + d * off, y0 + (k - 1 - d) * off, w * s, h * s)

    def map_at(self, x: float, y: float) -> int | None:
        """The map whose visible part is at (x, y): the frontmost card there."""
        k = len(self.maps)
        for d in range(k):
            i = (self.front + d) % k
            if self.card_rect(i).contains(QPointF(x, y)):
                return i
        return None

    def label_px(self) -> int:
        """The pixel size of the maps' numbers on the strips behind (0: not written; in
        presentation mode they are written only PROJECTOR_TEXT_PX tall or more, and the
        title names the map in front)."""
        off = self._layout()[1]
        px = max(8, int(min(off * 0.85, 15 * self.style_.scale)))
        small = px < PROJECTOR_TEXT_PX and self.style_.presentation
        return 0 if off < 9 or small or len(self.maps) < 2 else px

    def event(self, e) -> bool:
        """Hovering the map in front: the cell's value as a tooltip (colours only)."""
        if e.type() == QEvent.Type.ToolTip:
            s = self._layout()[0]
            r = self.card_rect(self.front)
            row, col = int((e.pos().y() - r.top()) // s), int((e.pos().x() - r.left()) // s)
            h, w = self.maps.shape[1:]
            shown = self.shown is None or (0 <= row < h and 0 <= col < w and
                                           self.shown[row, col])
            if r.contains(QPointF(e.pos())) and 0 <= row < h and 0 <= col < w and shown:
                QToolTip.showText(e.globalPos(), f"map {self.front + 1} ({row + 1},{col + 1})"
                                  f" = {fmt(self.maps[self.front, row, col])}", self)
                return True
        return super().event(e)

    # ------------------------------------------------------------ painting
    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        st = self.style_
        k = len(self.maps)
        s, off, _, _ = self._layout()
        font = QFont(self.font())
        px = self.label_px()
        font.setPixelSize(max(8, px))
        p.setFont(font)
        for d in range(k - 1, -1, -1):              # back to front
            i = (self.front + d) % k
            r = self.card_rect(i)
            cols = cell_colours(self.maps[i], "signed", self.vmax, st,
                                self.shown if d == 0 else None)
            p.drawImage(r, rgb_image(cols))
            if d == 0:
                self._paint_front(p, r, s)
            else:
                p.setPen(QPen(QColor(st.foreground), 1))
                p.drawRect(r)
            if d > 0 and px:                        # the number on the visible strip
                p.setPen(QColor(st.foreground))
                strip = QRectF(r.right() - off - 2, r.top(), off + 2, off)
                p.drawText(strip, Qt.AlignmentFlag.AlignCenter, str(i + 1))
        p.end()

    def _paint_front(self, p: QPainter, r: QRectF, s: float) -> None:
        st = self.style_
        h, w = self.maps.shape[1:]
        p.setPen(QPen(QColor(st.muted), 1))
        for row in range(1, h):
            y = r.top() + row * s
            p.drawLine(QPointF(r.left(), y), QPointF(r.right(), y))
        for col in range(1, w):
            x = r.left() + col * s
            p.drawLine(QPointF(x, r.top()), QPointF(x, r.bottom()))
        if self.cell is not None:
            a = QRectF(r.left() + self.cell[1] * s, r.top() + self.cell[0] * s, s, s)
            p.setPen(QPen(QColor(st.highlight), max(2.0, 2 * st.scale)))
            p.drawRect(a)
        p.setPen(QPen(QColor(st.highlight), max(2.0, 3 * st.scale)))
        p.drawRect(r)

    # ------------------------------------------------------------ mouse
    def mousePressEvent(self, e) -> None:  # noqa: N802 - Qt API
        i = self.map_at(e.position().x(), e.position().y())
        if i is not None and i != self.front:
            self.map_clicked.emit(i)
