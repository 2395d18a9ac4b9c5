"""The presenter's pen: freehand strokes drawn over any lab, as in slide software.

The strokes live on a transparent overlay above the window's content; they never
reach the lab below (no click, no drag, no state) and are saved with a workspace only
when asked (View > Pen > Keep the drawing in the workspace). D toggles the
pen, C changes its colour (the colour-blind-safe palette), E erases every stroke,
Shift+D pins the strokes so they stay when the lab steps (unpinned strokes go at
the next step, lesson or lab).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QWidget

from nnviz.engine.teaching.drawing import PEN_COLOURS, Stroke
from nnviz.views.style import OKABE_ITO, current_style
from nnviz.views.window_menus import add_action

if TYPE_CHECKING:
    from nnviz.views.main_window import MainWindow



class PenOverlay(QWidget):
    """Transparent strokes over the window's content; takes the mouse only while the pen
    is on (otherwise hidden: it costs nothing and the labs get every click)."""

    strokes_changed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("pen-overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        #: (path, colour name, width in pixels, points in pixels) per stroke
        self.strokes: list[tuple[QPainterPath, str, float, list[QPointF]]] = []
        self.colour_index = 0
        self.pinned = False
        self.drawing = False
        self._current: QPainterPath | None = None
        self.hide()
        parent.installEventFilter(self)

    # ------------------------------------------------------------ state
    @property
    def colour_name(self) -> str:
        return PEN_COLOURS[self.colour_index]

    @property
    def colour(self) -> QColor:
        return QColor(OKABE_ITO[self.colour_name])

    def pen_width(self) -> float:
        return 4.0 * current_style().scale

    def saved_strokes(self) -> list[Stroke]:
        """The strokes as plain data: fractions of the window, width at normal type."""
        w, h = max(1, self.width()), max(1, self.height())
        scale = current_style().scale
        return [Stroke(name, width / scale, np.array([(p.x() / w, p.y() / h) for p in pts]))
                for _path, name, width, pts in self.strokes]

    def restore_strokes(self, strokes: list[Stroke]) -> None:
        """Show saved strokes (pinned, so the next step keeps them); [] clears."""
        self.strokes.clear()
        self._current = None
        r = self.parentWidget().rect()
        scale = current_style().scale
        for st in strokes:
            pts = [QPointF(x * r.width(), y * r.height()) for x, y in st.points]
            path = QPainterPath(pts[0])
            for p in pts[1:] or [pts[0] + QPointF(0.1, 0.1)]:
                path.lineTo(p)
            self.strokes.append((path, st.colour, st.width * scale, pts))
        self.pinned = self.pinned or bool(strokes)
        self.strokes_changed.emit()
        self._sync()

    def set_drawing(self, on: bool) -> None:
        """Pen on: the overlay shows and takes the mouse. Pen off: strokes stay visible."""
        self.drawing = bool(on)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, not self.drawing)
        self._sync()

    def next_colour(self) -> None:
        self.colour_index = (self.colour_index + 1) % len(PEN_COLOURS)

    def clear(self) -> None:
        if self.strokes or self._current is not None:
            self.strokes.clear()
            self._current = None
            self.strokes_changed.emit()
        self._sync()

    def on_step(self) -> None:
        """The lab stepped (or the lesson or lab changed): unpinned strokes go."""
        if not self.pinned:
            self.clear()

    def _sync(self) -> None:
        visible = self.drawing or bool(self.strokes)
        if visible:
            self.setGeometry(self.parentWidget().rect())
            self.show()
            self.raise_()
        else:
            self.hide()
        self.update()

    # ------------------------------------------------------------ events
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if obj is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not self.drawing or event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        start = QPointF(event.position())
        self._current = QPainterPath(start)
        self.strokes.append((self._current, self.colour_name, self.pen_width(), [start]))
        event.accept()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._current is not None:
            p = QPointF(event.position())
            self._current.lineTo(p)
            self.strokes[-1][3].append(p)
            self.update()
        event.accept()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._current is not None:
            if self._current.elementCount() == 1:  # a click: a dot
                p = self._current.currentPosition()
                self._current.lineTo(p + QPointF(0.1, 0.1))
            self._current = None
            self.strokes_changed.emit()
            self.update()
        event.accept()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not self.strokes:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for path, name, width, _pts in self.strokes:
            pen = QPen(QColor(OKABE_ITO[name]), width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                       Qt.PenJoinStyle.RoundJoin)
            p.setPen(pen)
            p.drawPath(path)
        p.end()


class PresenterPen(QObject):
    """The pen's actions on the main window (View > Pen), wired to the window's steps."""

    def __init__(self, win: MainWindow) -> None:
        super().__init__(win)
        self.win = win
        self.overlay = PenOverlay(win)
        self.act_pen = self._action("&Pen", self._toggle, "D", "Draw over the lab with the mouse "
                                    "(D again to stop)", checkable=True)
        self.act_colour = self._action("Pen &colour", self._colour, "C",
                                       "Next pen colour (colour-blind-safe palette)")
        self.act_erase = self._action("&Erase drawing", self.overlay.clear, "E",
                                      "Erase every stroke of the pen")
        self.act_pin = self._action("P&in drawing", self._pin, "Shift+D",
                                    "Keep the strokes when the lab steps", checkable=True)
        self.act_keep = add_action(self.win, "&Keep the drawing in the workspace", lambda: None,
                                         None, "Save the pen's strokes with the workspace "
                                         "(they are left out otherwise)", True)
        self.actions = [self.act_pen, self.act_colour, self.act_erase, self.act_pin,
                        self.act_keep]
        for a in (win.act_next, win.act_prev):
            a.triggered.connect(self.overlay.on_step)
        win.doc.lesson_changed.connect(self.overlay.on_step)
        win.lab_changed.connect(lambda _name: self.overlay.on_step())

    def _action(self, text: str, slot, key: str, tip: str, checkable: bool = False) -> QAction:
        return add_action(self.win, text, lambda _=False: slot(), key, f"{tip} ({key})", checkable)

    def saved(self) -> list[Stroke]:
        """What a workspace keeps of the drawing: nothing unless asked."""
        return self.overlay.saved_strokes() if self.act_keep.isChecked() else []

    def restore(self, strokes: list[Stroke]) -> None:
        """A workspace was opened: its drawing (pinned), or none."""
        self.overlay.restore_strokes(strokes)
        self.act_keep.setChecked(bool(strokes))
        self.act_pin.setChecked(self.overlay.pinned)

    def _say(self, text: str) -> None:
        self.win.statusBar().showMessage(text, 4000)

    def _toggle(self) -> None:
        on = self.act_pen.isChecked()
        self.overlay.set_drawing(on)
        self._say(f"Pen on ({self.overlay.colour_name.replace('_', ' ')}): drag to draw; "
                  "C colour, E erase, Shift+D pin, D to stop" if on else "Pen off")

    def _colour(self) -> None:
        self.overlay.next_colour()
        self._say(f"Pen colour: {self.overlay.colour_name.replace('_', ' ')}")

    def _pin(self) -> None:
        self.overlay.pinned = self.act_pin.isChecked()
        self._say("Drawing pinned: it stays when the lab steps" if self.overlay.pinned
                  else "Drawing unpinned: the next step clears it")
