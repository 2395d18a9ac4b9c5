"""Painted cell grids: an image, a kernel, a feature map, with numbers and outlines.

One QWidget paints a whole matrix (no item per cell). Colours: ``ink`` (0 white →
1 black, the digits), ``rgb`` (a (3, H, W) picture), ``signed`` (negative vermillion,
positive blue, scaled by ``vmax``).
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from nnviz.engine.core.naming import fmt
from nnviz.views.style import Style, current_style

MIN_TEXT_PX = 8   # numbers smaller than this are left out (colours only)
#: in presentation mode (F5) numbers are written at least this tall (about 14 pt, read
#: from the back of a lecture hall), with fewer decimals if need be, or not at all
PROJECTOR_TEXT_PX = 18
FILL_W, FILL_H = 0.9, 0.46   # a number takes at most this much of its cell's side
#: counts (whole numbers: digits only, no descenders) may take more of the height
COUNT_FILL_H = 0.7
#: what a title says of a grid in F5 whose numbers are rounded, or not written (a
#: hovered cell's tooltip has its exact value; the position line says so)
ROUNDED_NOTE = "rounded"
COLOURS_NOTE = "colours only"


def short(v: float, places: int = 4) -> str:
    """A number in a cell: up to ``places`` decimals, trailing zeros dropped (only
    decimals: with none, 30 stays 30)."""
    s = f"{float(v):.{places}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _rgb(colour: str) -> np.ndarray:
    c = QColor(colour)
    return np.array([c.red(), c.green(), c.blue()], dtype=float)


def cell_colours(values: np.ndarray, mode: str, vmax: float, st: Style,
                 shown: np.ndarray | None = None) -> np.ndarray:
    """(H, W, 3) uint8 colours of a matrix: ``ink``, ``rgb`` ((3, H, W) values) or
    ``signed`` (scaled by ``vmax``); cells not ``shown`` in the panel colour."""
    if mode == "rgb":
        out = np.clip(values, 0, 1).transpose(1, 2, 0) * 255
    elif mode == "ink":
        out = np.repeat(((1 - np.clip(values, 0, 1)) * 255)[..., None], 3, axis=2)
    else:
        bg = _rgb(st.background)
        t = 0.85 * np.clip(np.abs(values) / vmax, 0, 1)[..., None]
        tip = np.where(values[..., None] >= 0, _rgb(st.positive), _rgb(st.negative))
        out = bg + (tip - bg) * t
    out = np.rint(out).astype(np.uint8)
    if shown is not None:
        out[~shown] = _rgb(st.panel)
    return np.ascontiguousarray(out)


def rgb_image(cols: np.ndarray) -> QImage:
    """A QImage over (H, W, 3) uint8 colours (the array must outlive the painting)."""
    h, w = cols.shape[:2]
    return QImage(cols.data, w, h, 3 * w, QImage.Format.Format_RGB888)


class CellGrid(QWidget):
    """A matrix of square cells; ``cell_pressed(row, col, button)`` on clicks and drags."""

    cell_pressed = Signal(int, int, int)   # row, column, 1 = left button, 2 = right
    stroke_ended = Signal()
    legibility_changed = Signal()   # its numbers now written, rounded or not (note())

    def __init__(self, mode: str = "signed", numbers: bool = True, min_cell: int = 8,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode, self.numbers, self.min_cell = mode, numbers, min_cell
        self.values = np.zeros((1, 1))
        self.shown: np.ndarray | None = None      # bool (H, W): cells filled in so far
        self.outline: tuple[int, int, int, int] | None = None  # top, left, rows, cols
        self.marked: tuple[int, int] | None = None
        self.pad = 0                  # this many outer rings are padding (drawn dashed)
        self.vmax = 1.0
        self.places = 4
        self.fill_h = FILL_H          # how much of a cell's height a number may take
        self._room_for: str | None = None   # hold_room's text
        self._least = QSize(40, 40)
        self._legibility: tuple[bool, bool, bool] | None = None
        self.style_ = current_style()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(self._least)

    # ------------------------------------------------------------ data
    def set_data(self, values: np.ndarray, shown: np.ndarray | None = None,
                 outline: tuple[int, int, int, int] | None = None,
                 marked: tuple[int, int] | None = None, pad: int = 0,
                 vmax: float | None = None) -> None:
        shape, self.values = self.values.shape, np.asarray(values, dtype=float)
        if self.values.shape != shape and self._room_for is not None:
            self._fit_minimum()
        self.shown, self.outline, self.marked, self.pad = shown, outline, marked, pad
        if vmax is None:   # the whole map's scale: colours do not change while stepping
            vmax = float(np.max(np.abs(self.values))) if self.values.size else 1.0
        self.vmax = vmax if vmax > 0 else 1.0
        self.update()
        self._check_legibility()

    @property
    def rows(self) -> int:
        return self.values.shape[-2]

    @property
    def cols(self) -> int:
        return self.values.shape[-1]

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        self.update()
        self._check_legibility()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._check_legibility()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """Small (a grid without numbers smaller still): the layout stretches decide."""
        per = 12 if self.numbers and self.mode != "rgb" else 8
        return QSize(self.cols * per, self.rows * per)

    # ------------------------------------------------------------ geometry
    def cell_size(self) -> float:
        # one pixel spare so the last border line is not clipped
        return max(1.0, min((self.width() - 1) / self.cols, (self.height() - 1) / self.rows))

    def origin(self) -> tuple[float, float]:
        s = self.cell_size()
        return (self.width() - s * self.cols) / 2, (self.height() - s * self.rows) / 2

    def cell_rect(self, r: int, c: int) -> QRectF:
        s = self.cell_size()
        x0, y0 = self.origin()
        return QRectF(x0 + c * s, y0 + r * s, s, s)

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        s = self.cell_size()
        x0, y0 = self.origin()
        c, r = int((x - x0) // s), int((y - y0) // s)
        return (r, c) if 0 <= r < self.rows and 0 <= c < self.cols else None

    # ------------------------------------------------------------ painting
    def colours(self) -> np.ndarray:
        """Every cell's colour at once: (H, W, 3) uint8 (hidden cells in the panel colour)."""
        return cell_colours(self.values, self.mode, self.vmax, self.style_, self.shown)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        s = self.cell_size()
        x0, y0 = self.origin()
        cols = self.colours()
        h, w = cols.shape[:2]
        p.drawImage(QRectF(x0, y0, w * s, h * s), rgb_image(cols))  # one image, not a rect a cell
        self._paint_grid(p, s, x0, y0)
        texts, px = self.written()
        if px:    # smaller is unreadable: colours only
            font = QFont(self.font())
            font.setPixelSize(px)
            p.setFont(font)
            light = cols.astype(int).sum(axis=2) > 3 * 150
            for r in range(self.rows):
                for c in range(self.cols):
                    if self.shown is None or self.shown[r, c]:
                        p.setPen(QColor("#000000") if light[r, c] else QColor("#FFFFFF"))
                        p.drawText(self.cell_rect(r, c), Qt.AlignmentFlag.AlignCenter,
                                   texts[r, c])
        self._paint_marks(p, s)
        p.end()

    def _paint_grid(self, p: QPainter, s: float, x0: float, y0: float) -> None:
        """Cell borders as lines; the padding ring dashed."""
        p.setPen(QPen(QColor(self.style_.muted), 1))
        for r in range(self.rows + 1):
            p.drawLine(QPointF(x0, y0 + r * s), QPointF(x0 + self.cols * s, y0 + r * s))
        for c in range(self.cols + 1):
            p.drawLine(QPointF(x0 + c * s, y0), QPointF(x0 + c * s, y0 + self.rows * s))
        if self.pad:
            a = self.cell_rect(self.pad, self.pad)
            b = self.cell_rect(self.rows - self.pad - 1, self.cols - self.pad - 1)
            p.setPen(QPen(QColor(self.style_.foreground), 2, Qt.PenStyle.DashLine))
            p.drawRect(a.united(b))

    def _text_px(self, texts: np.ndarray) -> int:
        """The pixel size of the numbers: the widest (measured in the grid's font) must
        fit its cell, and none may be taller than ``fill_h`` of it."""
        s = self.cell_size()
        font = QFont(self.font())
        font.setPixelSize(100)
        fm = QFontMetricsF(font)
        widest = max((fm.horizontalAdvance(t) for t in set(texts.ravel())), default=1.0)
        return int(min(self.fill_h * s, FILL_W * s * 100 / max(widest, 1.0)))

    def side_for(self, text: str) -> int:
        """The smallest cell side (px) in which ``text`` is written PROJECTOR_TEXT_PX tall."""
        font = QFont(self.font())
        font.setPixelSize(PROJECTOR_TEXT_PX)
        wide = QFontMetricsF(font).horizontalAdvance(text)
        return math.ceil(max(PROJECTOR_TEXT_PX / self.fill_h, wide / FILL_W))

    def hold_room(self, text: str | None) -> None:
        """Ask the layout for cells in which ``text`` is written PROJECTOR_TEXT_PX tall
        (a presentation-mode place whose share was too small; None: the usual minimum)."""
        if self._room_for is None:
            self._least = self.minimumSize()   # the minimum it had, given back with None
        self._room_for = text
        self._fit_minimum()

    def _fit_minimum(self) -> None:
        if self._room_for is None:
            self.setMinimumSize(self._least)
            return
        side = self.side_for(self._room_for)
        self.setMinimumSize(self.cols * side + 1, self.rows * side + 1)

    def floor_px(self) -> int:
        """The smallest numbers written: PROJECTOR_TEXT_PX in presentation mode."""
        return PROJECTOR_TEXT_PX if self.style_.presentation else MIN_TEXT_PX

    def written(self) -> tuple[np.ndarray | None, int]:
        """(the texts, their pixel size; 0: colours only). In presentation mode with the
        most decimals (up to ``places``, at least 1) that fit at PROJECTOR_TEXT_PX."""
        if not self.numbers or self.mode == "rgb":
            return None, 0
        least = min(self.places, 1) if self.style_.presentation else self.places
        for places in range(self.places, least - 1, -1):
            texts = self._texts(places)
            px = self._text_px(texts)
            if px >= self.floor_px():
                return texts, px
        return texts, 0

    def text_px(self) -> int:
        """The pixel size the numbers are written in (0: colours only, or none)."""
        return self.written()[1]

    def numbers_drawn(self) -> bool:
        """Are the cells' numbers written (large enough to read), not colours only?"""
        return self.text_px() > 0

    def rounded(self) -> bool:
        """Is a number written rounded (its exact value only in the tooltip)?"""
        texts, px = self.written()
        if not px:
            return False
        exact = np.array([[fmt(v) for v in row] for row in self.values])
        return bool(np.any((texts != exact) & (self.shown if self.shown is not None
                                                else True)))

    def note(self) -> str:
        """What a title says of this grid in presentation mode ('' where nothing)."""
        if not self.style_.presentation or not self.numbers or self.mode == "rgb" or \
                self.shown is not None and not self.shown.any():
            return ""
        return ROUNDED_NOTE if self.rounded() else "" if self.numbers_drawn() else COLOURS_NOTE

    def _check_legibility(self) -> None:
        state = (self.style_.presentation, self.numbers_drawn(), self.rounded())
        if state != self._legibility:
            self._legibility = state
            self.legibility_changed.emit()

    def _texts(self, places: int | None = None) -> np.ndarray | None:
        """The numbers written in the cells (None: colours only)."""
        if not self.numbers or self.mode == "rgb":
            return None
        p = self.places if places is None else places
        return np.array([[short(v, p) for v in row] for row in self.values])

    def event(self, e) -> bool:
        """A hovered cell's exact value as a tooltip (cells not yet shown: none)."""
        if e.type() == QEvent.Type.ToolTip:
            cell = self.cell_at(e.pos().x(), e.pos().y())
            text = self.cell_tip(*cell) if cell is not None else ""
            if text:
                QToolTip.showText(e.globalPos(), text, self)
                return True
            QToolTip.hideText()
            if not self.toolTip():
                return True
        return super().event(e)

    def cell_tip(self, r: int, c: int) -> str:
        """The tooltip of cell (r, c): its exact value ('' if not shown yet)."""
        if self.shown is not None and not self.shown[r, c]:
            return ""
        if self.mode == "rgb":
            v = ", ".join(fmt(x) for x in self.values[:, r, c])
            return f"({r + 1},{c + 1}): RGB {v}"
        return f"({r + 1},{c + 1}) = {fmt(self.values[r, c])}"

    def _paint_marks(self, p: QPainter, s: float) -> None:
        st = self.style_
        if self.marked is not None:
            p.setPen(QPen(QColor(st.accent), max(2.0, 3 * st.scale)))
            p.drawRect(self.cell_rect(*self.marked).adjusted(2, 2, -2, -2))
        if self.outline is not None:
            top, left, h, w = self.outline
            a, b = self.cell_rect(top, left), self.cell_rect(top + h - 1, left + w - 1)
            p.setPen(QPen(QColor(st.highlight), max(3.0, 4 * st.scale)))
            p.drawRect(a.united(b))

    # ------------------------------------------------------------ mouse (painting)
    def mousePressEvent(self, e) -> None:  # noqa: N802 - Qt API
        self._press(e)

    def mouseMoveEvent(self, e) -> None:  # noqa: N802 - Qt API
        if e.buttons() & (Qt.MouseButton.LeftButton | Qt.MouseButton.RightButton):
            self._press(e)

    def mouseReleaseEvent(self, _e) -> None:  # noqa: N802 - Qt API
        self.stroke_ended.emit()

    def _press(self, e) -> None:
        cell = self.cell_at(e.position().x(), e.position().y())
        if cell is not None:
            right = e.buttons() & Qt.MouseButton.RightButton
            self.cell_pressed.emit(cell[0], cell[1], 2 if right else 1)
