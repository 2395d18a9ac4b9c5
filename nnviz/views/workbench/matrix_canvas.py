"""The Workbench's matrix canvas: one layer-level step painted as the notes write it,
matrices and vectors in brackets with their numbers (the first rows and columns, ⋯, the
last of a big one), the operators between them, the BP1-BP4 label, the symbolic equation
and a note, laid out in rows that fit the width at the largest type that fits."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QTextDocument
from PySide6.QtWidgets import QSizePolicy, QWidget

from nnviz.engine.stepping.matrix_trace import Mat, MatrixStep
from nnviz.views.items.math_text import escape, math_html, number
from nnviz.views.style import Style, current_style

MAX_SHOWN = 6          # rows or columns drawn of a bigger matrix (first ones, ⋯, last)
FITS = (1.0, 0.92, 0.85, 0.8)   # type scales tried so a step fits the view without scrolling
#: and with taller matrices cut to 4 rows, down to this (numbers 12.5 pt on a projector)
FITS_4_ROWS = (*FITS, 0.75, 0.7, 0.65)
GAP = 10.0             # between tokens
FOOT_GAP = 15.0        # between the last line and the note under it
BRACKET = 7.0          # width of a bracket's serif
KEPT_MOST = 2000       # laid-out texts kept from step to step (then measured afresh)


def shown_indices(n: int, most: int = MAX_SHOWN) -> list[int | None]:
    """Which rows (or columns) of n to draw: all, or the first ones, None for ⋯, the last
    (``most`` entries in all, at least 3)."""
    if n <= most:
        return list(range(n))
    return list(range(most - 2)) + [None, n - 1]


def number_text(m: Mat, v: float) -> str:
    """A value as the step prints it: the notes' rounding where they round, else fmt
    ("?" for a hidden result: NaN)."""
    if v != v:
        return "?"
    if m.digits is not None:
        return f"{v:.{m.digits}f}".replace("-", "−")
    return number(v)


class MatrixCanvas(QWidget):
    """Paints one MatrixStep; lays its tokens out in rows that fit the width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step: MatrixStep | None = None
        self.placeholder = ""
        self.remarks: list[str] = []     # the notes' printed numbers at this step
        self.style_ = current_style()
        self._texts: list[str] = []
        self.fit = 1.0               # the type scale that lets the step fit (FITS)
        self._room = 1e9             # the width a matrix may take (set by each layout)
        self._rows_most = MAX_SHOWN  # rows drawn of a taller matrix (fewer to fit)
        self.avail_height = 0        # the visible height (the scroll area's viewport)
        #: measured matrix sizes of this step and style, by (matrix, scale, rows, room): a
        #: layout measures every number of every matrix, and a step is laid out several
        #: times (the fit's tries, the size hints, the paint)
        self._sizes: dict = {}
        #: laid-out texts by (html, font, width), and the sizes of the steps' text tokens
        #: by (text, scale, rows, room, font), kept from step to step (until KEPT_MOST or a
        #: new style): the heading, the formula and the notes were set as HTML afresh at
        #: every fit try, size hint and paint, and the next step shows many of the same
        #: texts (stepping the batch-norm mini-batch: its refits took 44 % less time)
        self._docs: dict = {}
        self._texts_measured: dict = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    # ------------------------------------------------------------ state
    def set_step(self, step: MatrixStep | None, placeholder: str = "") -> None:
        if step is not self.step or placeholder != self.placeholder:
            # the same step again (the lab's refresh after the controller's) keeps what
            # was measured of it; the texts' sizes and layouts (by their text, font and
            # width: the same in every step that shows them) are kept for the next steps
            self.step, self.placeholder = step, placeholder
            self._sizes = {}
            if len(self._docs) + len(self._texts_measured) > KEPT_MOST:
                self._docs, self._texts_measured = {}, {}
        self.refit()

    def refit(self) -> None:
        """The largest type scale of FITS at which the step fits the visible height (a
        projector at 1024 x 768 shows the whole equation), with taller matrices cut to 4
        rows if it takes that; the smallest otherwise, and the view scrolls."""
        self.fit, self._rows_most = 1.0, MAX_SHOWN
        if self.avail_height > 0:   # the type first, then fewer rows (first, ⋮, last)
            tries = [(MAX_SHOWN, f) for f in FITS] + [(4, f) for f in FITS_4_ROWS]
            for self._rows_most, self.fit in tries:
                if self._content_height(self.width()) <= self.avail_height:
                    break
        # what does not fit scrolls (the scroll area would squeeze the canvas otherwise)
        self.setMinimumHeight(self._content_height(self.width()))
        self.updateGeometry()
        self.update()

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        self._sizes, self._docs, self._texts_measured = {}, {}, {}
        self.refit()

    def texts(self) -> list[str]:
        """Every text the last paint drew (for tests and screen readers)."""
        return list(self._texts)

    # ------------------------------------------------------------ fonts
    def _font(self, size: float, bold: bool = False) -> QFont:
        f = QFont(self.font())
        f.setPointSizeF(self.style_.pt(size) * self.fit)
        f.setBold(bold)
        return f

    def _rich(self, html: str, font: QFont, width: float = -1) -> QTextDocument:
        """``html`` laid out in ``font`` (at ``width``), made once per step and style."""
        html = f'<span style="color:{self.style_.foreground}">{html}</span>'
        key = (html, font.key(), width)
        doc = self._docs.get(key)
        if doc is None:
            doc = self._docs[key] = QTextDocument()
            doc.setDefaultFont(font)
            doc.setDocumentMargin(0)
            if width > 0:
                doc.setTextWidth(width)
            doc.setHtml(html)
        return doc

    # ------------------------------------------------------------ tokens
    def _measured(self, kind: str, tok, measure):
        """``measure(tok)``, kept for this style, scale, row count and room: a matrix by
        identity for this step (the step holds it), a text by the text for any step."""
        kept = self._sizes if isinstance(tok, Mat) else self._texts_measured
        key = (kind, id(tok) if isinstance(tok, Mat) else tok, self.fit, self._rows_most,
               self._room, self.font().key())
        got = kept.get(key)
        if got is None:
            got = kept[key] = measure(tok)
        return got

    def _mat_size(self, m: Mat) -> tuple[float, float, list[float], float, list]:
        """Width, body height, column widths, row height and the columns drawn of a matrix:
        up to MAX_SHOWN columns, fewer (down to first, ⋯, last) where the line is narrower."""
        return self._measured("mat", m, self._measure_mat)

    def _measure_mat(self, m: Mat) -> tuple[float, float, list[float], float, list]:
        fm = QFontMetricsF(self._font(11))
        small = QFontMetricsF(self._font(8))
        rows = shown_indices(m.shape[0], self._rows_most)

        measured: dict[int | None, float] = {}   # each column once for all the tries

        def col_width(c: int | None) -> float:
            if c in measured:
                return measured[c]
            w = fm.horizontalAdvance("⋯")
            for r in rows:
                if r is not None and c is not None:
                    w = max(w, fm.horizontalAdvance(number_text(m, m.values[r, c])))
                    if m.names is not None:
                        w = max(w, small.horizontalAdvance(m.names[r][c]))
            measured[c] = w + 12
            return w + 12

        for most in range(MAX_SHOWN, 2, -1):
            cols = shown_indices(m.shape[1], most)
            widths = [col_width(c) for c in cols]
            if sum(widths) + 2 * BRACKET + 4 <= self._room or len(cols) <= 3:
                break
        row_h = fm.height() * 1.25 + (small.height() if m.names is not None else 0)
        return sum(widths) + 2 * BRACKET + 4, row_h * len(rows), widths, row_h, cols

    def _label_doc(self, m: Mat) -> QTextDocument:
        return self._rich(math_html(m.name), self._font(9))

    def _token_size(self, tok) -> tuple[float, float]:
        return self._measured("token", tok, self._measure_token)

    def _measure_token(self, tok) -> tuple[float, float]:
        if isinstance(tok, Mat):
            w, h, _cw, _rh, _cols = self._mat_size(tok)
            lab = self._label_doc(tok)
            return max(w, lab.idealWidth()), h + lab.size().height() + 4
        doc = self._rich(math_html(tok), self._font(12))
        return doc.idealWidth(), doc.size().height()

    def _layout(self, width: float) -> list[tuple[object, QRectF]]:
        """Each line's tokens placed left to right, wrapped at the width."""
        if self.step is None:
            return []
        self._room = width - 24.0        # a wrapped line starts 24 px in
        placed = []
        y = 0.0
        for line in self.step.lines:
            x, row_h, row = 0.0, 0.0, []
            for tok in line:
                w, h = self._token_size(tok)
                if row and x + w > width:
                    placed += [(t, QRectF(r.x(), y + (row_h - r.height()) / 2, r.width(),
                                          r.height())) for t, r in row]
                    y += row_h + GAP
                    x, row_h, row = 24.0, 0.0, []
                row.append((tok, QRectF(x, 0, w, h)))
                x += w + GAP
                row_h = max(row_h, h)
            placed += [(t, QRectF(r.x(), y + (row_h - r.height()) / 2, r.width(), r.height()))
                       for t, r in row]
            y += row_h + 2 * GAP
        return placed

    def _head(self, width: float) -> list[QTextDocument]:
        s = self.step
        if s is None:
            return [self._rich(escape(self.placeholder), self._font(12), width)]
        label = (f'<span style="color:{self.style_.gradient}"><b>{escape(s.label)}</b></span>'
                 " · " if s.label else "")
        title = s.title.split(": ", 1)[-1]
        return [self._rich(f"{label}<b>{escape(title)}</b>", self._font(12), width),
                self._rich(math_html(s.formula), self._font(14), width)]

    def _foot_source(self) -> str:
        note = self.step.note if self.step is not None else ""
        return "\n".join([note] * bool(note) + [f"Notes: {r}" for r in self.remarks])

    def _foot(self, width: float) -> QTextDocument | None:
        if self.step is None or not (self.step.note or self.remarks):
            return None
        parts = [f"<i>{math_html(self.step.note)}</i>"] if self.step.note else []
        parts += [f'<b style="color:{self.style_.highlight}">Notes:</b> {escape(r)}'
                  for r in self.remarks]
        return self._rich("<br>".join(parts), self._font(10), width)

    def content_width(self) -> float:
        """How far right the step's tokens reach (more than the width: cut off)."""
        placed = self._layout(max(200.0, self.width() - 24.0))
        return 12 + max((r.right() for _t, r in placed), default=0.0)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(600, int(self.heightForWidth(max(300, self.width()))))

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return self._content_height(width)

    def _content_height(self, width: int) -> int:
        w = max(200.0, width - 24.0)
        h = sum(d.size().height() + GAP for d in self._head(w))
        placed = self._layout(w)
        if placed:
            h += max(r.bottom() for _t, r in placed) + FOOT_GAP
        foot = self._foot(w)
        if foot is not None:
            h += foot.size().height()
        return int(h + 16)        # 12 above the heading (as painted), 4 below the last line

    # ------------------------------------------------------------ painting
    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor(self.style_.background))
        self._texts = []
        w = max(200.0, self.width() - 24.0)
        y = 12.0
        s = self.step
        sources = [self.placeholder] if s is None else [
            f"{s.label} · {s.title.split(': ', 1)[-1]}" if s.label else s.title, s.formula]
        for doc, src in zip(self._head(w), sources):
            self._draw_doc(p, doc, QPointF(12, y), src)
            y += doc.size().height() + GAP
        placed = self._layout(w)
        for tok, r in placed:
            r = r.translated(12, y)
            if isinstance(tok, Mat):
                self._draw_mat(p, tok, r)
            else:
                doc = self._rich(math_html(tok), self._font(12))
                self._draw_doc(p, doc, r.topLeft(), tok)
        if placed:
            y += max(r.bottom() for _t, r in placed) + FOOT_GAP
        foot = self._foot(w)
        if foot is not None:
            self._draw_doc(p, foot, QPointF(12, y), self._foot_source())
        p.end()

    def _draw_doc(self, p: QPainter, doc: QTextDocument, at: QPointF,
                  source: str | None = None) -> None:
        """Draw rich text; remember its source (w^2_11, not the rendered w211)."""
        p.save()
        p.translate(at)
        doc.drawContents(p)
        p.restore()
        self._texts.append(source if source is not None else doc.toPlainText())

    def _draw_mat(self, p: QPainter, m: Mat, r: QRectF) -> None:
        """Brackets, the numbers (names above them where the notes name them), the label."""
        width, body_h, widths, row_h, cols = self._mat_size(m)
        x0 = r.x() + (r.width() - width) / 2
        top = r.y()
        grad = m.name.startswith(("δ", "∂", "∇", "σ′", "η", "(δ", "x ="))
        colour = QColor(self.style_.gradient if grad else self.style_.foreground)
        pen = QPen(colour, max(1.5, 1.5 * self.style_.scale))
        p.setPen(pen)
        left, right = x0 + 2, x0 + width - 2
        for xb, sgn in ((left, 1), (right, -1)):
            p.drawLine(QPointF(xb, top), QPointF(xb, top + body_h))
            p.drawLine(QPointF(xb, top), QPointF(xb + sgn * BRACKET, top))
            p.drawLine(QPointF(xb, top + body_h), QPointF(xb + sgn * BRACKET, top + body_h))
        num_font, small = self._font(11), self._font(8)
        rows = shown_indices(m.shape[0], self._rows_most)
        fg, muted = QColor(self.style_.foreground), QColor(self.style_.muted)
        for i, rr in enumerate(rows):
            cx = x0 + BRACKET + 2
            cy = top + i * row_h
            for j, cc in enumerate(cols):
                cell = QRectF(cx, cy, widths[j], row_h)
                if rr is None or cc is None:
                    text = "⋮" if rr is None else "⋯"
                    p.setFont(num_font)
                    p.setPen(muted)
                    p.drawText(cell, Qt.AlignmentFlag.AlignCenter, text)
                    self._texts.append(text)
                else:
                    if m.names is not None:
                        p.setFont(small)
                        p.setPen(muted)
                        p.drawText(cell, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                                   m.names[rr][cc])
                        self._texts.append(m.names[rr][cc])
                    text = number_text(m, float(m.values[rr, cc]))
                    p.setFont(num_font)
                    p.setPen(fg)
                    flags = Qt.AlignmentFlag.AlignHCenter | (
                        Qt.AlignmentFlag.AlignBottom if m.names is not None
                        else Qt.AlignmentFlag.AlignVCenter)
                    p.drawText(cell, flags, text)
                    self._texts.append(text)
                cx += widths[j]
        lab = self._label_doc(m)
        self._draw_doc(p, lab, QPointF(r.x() + (r.width() - lab.idealWidth()) / 2,
                                       top + body_h + 4), m.name)
