"""A light text item for the network graph: rich text of a fixed size in pixels, placed by
an anchor at a point of the view, on an optional background."""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QBrush, QColor, QPen, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsLineItem, QGraphicsTextItem


class GraphLabel(QGraphicsTextItem):
    """Rich text at ``pos()`` whose size does not follow the zoom.

    ``anchor`` (ax, ay) is the point of the text placed at ``pos()``, as fractions of its
    width and height ((0, 0.5): left edge, middle). ``fill`` is a brush painted behind
    the text (None: transparent). A pyqtgraph TextItem does the same with a transform
    recomputed in Python whenever the view changes; the graph shows dozens of these.
    """

    def __init__(self, anchor: tuple[float, float] = (0.0, 0.0)) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        # painted from a bitmap of itself, drawn again only when its text, font or fill
        # changes: a step changes a few of the graph's labels and repaints the view under
        # all of them (drawing every label's rich text again was ~0.6 ms of a Workbench
        # step's repaint; the step's latency 0.4 ms, 7 of 8 paired rounds). Exports draw
        # without it (views/exports.py: vector text in an SVG).
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.anchor = anchor
        self.home = anchor   # the anchor it was made with (TextLayer.place starts from it)
        self._fill: QBrush | None = None
        self.html = ""   # the text last set
        #: what the graph's placing chooses among: the lines (text, role) of a target or
        #: weight label, a bias's or caption's forms (one line, two lines), the form
        #: shown, and a caption's one-line width
        self.lines: list[tuple[str, str]] = []
        self.forms: tuple[str, ...] = ()
        self.form = 0
        self.one_width = 0.0
        # a thin margin: the placing measures each label, and a default 4-pixel margin
        # made every one of them 8 pixels wider than its text
        self.document().setDocumentMargin(1)
        self._leader: QGraphicsLineItem | None = None   # made at first use
        self.leader_args: tuple | None = None   # what set_leader was last given (None: none)

    @property
    def fill(self) -> QBrush | None:
        """The brush painted behind the text (None: transparent)."""
        return self._fill

    @fill.setter
    def fill(self, brush: QBrush | None) -> None:
        old, self._fill = self._fill, brush
        if (old is None) != (brush is None) or (brush is not None and brush != old):
            self.update()   # (its cached bitmap is drawn again)

    def set_leader(self, line: tuple[float, float, float, float] | None, colour: str = "",
                   width: float = 1.0) -> None:
        """A thin line from the text to what it labels: (x0, y0, x1, y1) in pixels from
        the text's top-left corner (it follows the label, not the zoom), or None."""
        self.leader_args = None if line is None else (tuple(line), colour, width)
        if line is None:
            if self._leader is not None:
                self._leader.setVisible(False)
            return
        if self._leader is None:
            self._leader = QGraphicsLineItem(self)
        pen = QPen(QColor(colour))
        pen.setWidthF(width)
        self._leader.setPen(pen)
        self._leader.setLine(QLineF(*line))
        self._leader.setVisible(True)

    def leader(self) -> QLineF | None:
        """The leader shown, in pixels from the text's top-left corner (None: none)."""
        if self._leader is None or not self._leader.isVisible():
            return None
        return self._leader.line()

    @property
    def textItem(self) -> GraphLabel:  # noqa: N802 - the name pyqtgraph's TextItem uses
        return self

    def setHtml(self, html: str) -> None:  # noqa: N802 - Qt API
        self.setTextWidth(-1)
        super().setHtml(html)
        self.html = html
        if 'align="center"' in html:   # lines centred on the widest (a width to centre in)
            doc = self.document()
            self.setTextWidth(math.ceil(doc.idealWidth() + 2 * doc.documentMargin()) + 1)
        self._anchor_transform()

    def set_html_once(self, html: str) -> None:
        """setHtml only when the text changed: laying out rich text is the slow part of a
        redraw, and most labels keep their text from one frame to the next."""
        if html != self.html:
            self.setHtml(html)

    def set_anchor(self, anchor: tuple[float, float]) -> None:
        """Place the text by another of its points."""
        if anchor != self.anchor:
            self.anchor = anchor
            self._anchor_transform()

    def _anchor_transform(self) -> None:
        r = super().boundingRect()
        ax, ay = self.anchor
        self.setTransform(QTransform.fromTranslate(-ax * r.width(), -ay * r.height()))

    def paint(self, painter, option, widget=None) -> None:
        if self._fill is not None:
            r: QRectF = super().boundingRect()
            painter.fillRect(r, self._fill)
        super().paint(painter, option, widget)
