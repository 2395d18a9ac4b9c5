"""A fade over the bottom of a scrolling text: where more text follows below the view, its
last line fades into the background instead of being cut through the middle (the
Equation panel's "where" part, half a line of it at the panel's edge on a projector; the
Training lab's Keras code).

The fade never reaches above ``keep`` (the step's result, which must stay fully shown) and
is hidden when nothing follows below the view."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QLinearGradient, QPainter
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from nnviz.views.coalesce import settle_posted

#: the fade's height, in lines of the text's type
LINES = 1.1


class BottomFade(QWidget):
    """Over the bottom of ``text``'s viewport; :meth:`place` after every change."""

    def __init__(self, text: QAbstractScrollArea) -> None:
        super().__init__(text.viewport())
        self.text = text
        self.keep = 0.0          # the document's y down to which nothing may be faded
        self.line = 20.0         # the fade's height in pixels (a line of the text)
        self.colour = QColor("white")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bar = text.verticalScrollBar()
        bar.valueChanged.connect(self.place)
        bar.rangeChanged.connect(self.place)
        text.viewport().installEventFilter(self)
        self.hide()

    def set_colour(self, colour: str) -> None:
        self.colour = QColor(colour)
        self.update()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize:
            self.place()
        return False

    def place(self, *_args) -> None:
        """At the viewport's bottom, a line high but below ``keep``; hidden when the text
        ends in view."""
        view = self.text.viewport()
        bar = self.text.verticalScrollBar()
        line = self.line * LINES
        top = max(view.height() - line, self.keep - bar.value())
        height = int(view.height() - top)
        if bar.value() >= bar.maximum() or height < 4:
            self.hide()
            return
        self.setGeometry(0, view.height() - height, view.width(), height)
        if self.isHidden():
            self.show()
            # Qt posts a newly shown widget's first repaint as an event, delivered after
            # the repaint in progress: the fade was painted twice, in a second pass
            settle_posted(self)
        self.raise_()
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        g = QLinearGradient(0, 0, 0, self.height())
        clear = QColor(self.colour)
        clear.setAlpha(0)
        g.setColorAt(0.0, clear)
        g.setColorAt(0.8, self.colour)   # the last rows wholly the background
        p.fillRect(self.rect(), g)
        p.end()
