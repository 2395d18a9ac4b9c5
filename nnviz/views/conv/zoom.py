"""A page's pictures in a scroll area that Ctrl+= / Ctrl+- / Ctrl+0 zoom: the cell grids
paint to their widget's size, so a larger canvas means larger cells and numbers."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

ZOOM_RANGE = (0.5, 4.0)
_BIG = 16_777_215   # QWIDGETSIZE_MAX


class Canvas(QWidget):
    """The zoomed widget. It has no height-for-width (its wrapped titles would ask the
    scroll area for their preferred height and add a scroll bar at the fitted size)."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return False

    def heightForWidth(self, _w: int) -> int:  # noqa: N802 - Qt API
        return -1    # QScrollArea asks its layout, not hasHeightForWidth


class ZoomArea(QScrollArea):
    """Holds ``canvas``; at zoom 1 it fills the area (no scroll bars), at z > 1 it is
    z times the area and scrolls, at z < 1 it is z times the area, centred."""

    def __init__(self, canvas: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.factor = 1.0
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWidget(canvas)
        canvas.setAutoFillBackground(False)    # the page's own background shows through
        self.viewport().setAutoFillBackground(False)

    def zoom(self, factor: float | None) -> None:
        """Multiply the zoom by ``factor`` (bounded by ZOOM_RANGE); None: fit the area."""
        lo, hi = ZOOM_RANGE
        self.factor = 1.0 if factor is None else min(hi, max(lo, self.factor * factor))
        self._fit()

    def _fit(self) -> None:
        room = self.maximumViewportSize()     # the area without scroll bars
        w, h = int(room.width() * self.factor), int(room.height() * self.factor)
        if self.factor > 1.0:
            self.canvas.setMaximumSize(_BIG, _BIG)
            self.canvas.setMinimumSize(w, h)
        elif self.factor < 1.0:
            self.canvas.setMinimumSize(0, 0)
            self.canvas.setMaximumSize(w, h)
        else:
            self.canvas.setMinimumSize(0, 0)
            self.canvas.setMaximumSize(_BIG, _BIG)

    def resizeEvent(self, e) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(e)
        if self.factor != 1.0:
            self._fit()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        # the page's pictures may be squeezed: the area scrolls rather than grow the window
        return QSize(80, 80)
