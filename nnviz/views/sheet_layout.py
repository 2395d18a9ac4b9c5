"""How the shortcut sheet (F1) is laid out: its sections flowed into columns of about equal
height (a long section continues at the top of the next column), as one HTML table per
column, in the largest type at which the whole sheet fits its view without scrolling."""

from __future__ import annotations

import html

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QTextDocument

from nnviz.views.style import Style

Row = tuple[str, str]               # (keys, what they do)
Section = tuple[str, list[Row]]
#: glues the characters of one key together: a line breaks only between keys
JOINER = "\u2060"
#: pixels between a column's keys and their text, and between two columns
KEY_GAP, COLUMN_GAP = 8, 14


def unbroken(key: str) -> str:
    """A key that never breaks across lines ("Ctrl+Shift+S" stays whole; a line may end
    after the comma between two keys)."""
    return JOINER.join(key.replace(" ", "\u00a0"))


def plain(text: str) -> str:
    """The sheet's text without the glue that keeps keys whole."""
    return text.replace(JOINER, "").replace("\u00a0", " ")


def flow(sections: list[Section], heights: list[tuple[float, list[float]]],
         columns: int) -> tuple[list[list[Section]], list[float]]:
    """The sections' rows poured into at most ``columns`` columns so that the tallest is
    as short as it can be (``heights``: per section its title's and its rows' heights),
    and each column's height; a section broken between columns goes on under its title
    and "(cont.)". (Pouring up to the average height and breaking there left one column
    two lines taller than needed, and the whole sheet half a point smaller.)"""
    items = [(s, r, rh, th) for s, (th, rhs) in enumerate(heights)
             for r, rh in enumerate(rhs)]

    def pour(limit: float) -> list[int] | None:
        """Where each column starts (item indices), filling each up to ``limit``."""
        starts, used = [0], 0.0
        for i, (_, r, rh, th) in enumerate(items):
            first = i == starts[-1]
            need = rh + (th if r == 0 or first else 0.0)
            if not first and used + need > limit:
                starts.append(i)
                used = rh + th   # under its title or "(cont.)"
            else:
                used += need
        return starts if len(starts) <= columns else None

    lo = max((rh + th for *_, rh, th in items), default=0.0)
    hi = sum(th + sum(rhs) for th, rhs in heights) + lo
    for _ in range(40):   # the least limit that fits in ``columns``, to a tenth of a pixel
        if hi - lo < 0.1:
            break
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if pour(mid) is not None else (mid, hi)
    starts = pour(hi) or [0]
    cols: list[list[Section]] = []
    used: list[float] = []
    for c, s0 in enumerate(starts):
        s1 = starts[c + 1] if c + 1 < len(starts) else len(items)
        col: list[Section] = []
        h = 0.0
        for i in range(s0, s1):
            s, r, rh, th = items[i]
            if i == s0 or r == 0:
                title = sections[s][0] if r == 0 else f"{sections[s][0]} (cont.)"
                col.append((title, []))
                h += th
            col[-1][1].append(sections[s][1][r])
            h += rh
        cols.append(col)
        used.append(h)
    return cols, used


def sheet_html(cols: list[list[Section]], style: Style, pt: float | None = None,
               key_px: int | None = None) -> str:
    """The columns side by side, one table each so its keys line up; type of ``pt``
    points (or the widget's); ``key_px``: the keys' column that wide."""
    key_colour = style.highlight if style.theme == "dark" else "#0072B2"
    share = 100 // max(1, len(cols))
    width = f" width='{key_px + KEY_GAP}'" if key_px else ""
    cells = []
    for col in cols:
        parts = ["<table cellspacing='0' cellpadding='0'>"]
        for title, rows in col:
            parts.append(f"<tr><td colspan='2' style='padding-top:4px'><b>{html.escape(title)}"
                         f"</b></td></tr>")
            for keys, what in rows:
                k = ", ".join(unbroken(html.escape(p)) for p in keys.split(", "))
                parts.append(f"<tr><td{width} style='padding-right:{KEY_GAP}px; "
                             f"color:{key_colour}'><b>{k}</b></td>"
                             f"<td>{html.escape(what)}</td></tr>")
        parts.append("</table>")
        cells.append(f"<td valign='top' width='{share}%' style='padding-right:{COLUMN_GAP}px'>"
                     f"{''.join(parts)}</td>")
    size = f" font-size:{pt:.1f}pt;" if pt else ""
    return (f"<div style='color:{style.foreground};{size}'><table width='100%'><tr>"
            f"{''.join(cells)}</tr></table></div>")


class SheetFitter:
    """Finds the columns and type size at which ``sections`` fit a ``width`` x ``height``
    view whose text is set in ``font`` (its document margin ``margin``)."""

    def __init__(self, sections: list[Section], style: Style, font: QFont, margin: float,
                 width: int, height: int) -> None:
        self.sections, self.style, self.font = sections, style, font
        self.margin, self.width, self.height = margin, width, height

    def _fonts(self, pt: float) -> tuple[QFontMetrics, QFontMetrics]:
        f = QFont(self.font)
        f.setPointSizeF(pt)
        b = QFont(f)
        b.setBold(True)
        return QFontMetrics(f), QFontMetrics(b)

    def key_px(self, pt: float) -> int:
        """The widest single key in bold ``pt``-point type."""
        keys = [k for _, rows in self.sections for ks, _ in rows for k in ks.split(", ")]
        return max((self._fonts(pt)[1].horizontalAdvance(k) for k in keys), default=0) + 2

    def _heights(self, pt: float, key_px: int, columns: int) -> list:
        fm, bold = self._fonts(pt)
        col_w = (self.width - 2 * self.margin) / columns - COLUMN_GAP
        text_w = max(20, int(col_w - key_px - KEY_GAP))
        flags = int(Qt.TextFlag.TextWordWrap)

        def lines(metrics, w, text):
            return metrics.boundingRect(QRect(0, 0, w, 100_000), flags, text).height()

        return [(bold.height() + 4,
                 [max(lines(bold, key_px, ks.replace(" ", "\u00a0").replace(",\u00a0", ", ")),
                      lines(fm, text_w, what)) for ks, what in rows])
                for _, rows in self.sections]

    def estimate(self, columns: int, pt: float) -> tuple[list[list[Section]], float]:
        """The columns and the height of the tallest (from the type's metrics alone, the
        cheap part), or infinity where a column is too narrow for its keys and a text."""
        key_px = self.key_px(pt)
        col_w = (self.width - 2 * self.margin) / columns - COLUMN_GAP
        if col_w < key_px + KEY_GAP + 6 * self._fonts(pt)[0].horizontalAdvance("m"):
            return [], float("inf")
        cols, used = flow(self.sections, self._heights(pt, key_px, columns), columns)
        return cols, max(used) + 2 * self.margin

    def html(self, columns: int, pt: float) -> tuple[str, float]:
        """The sheet's HTML in ``columns`` columns of ``pt``-point type and its height as
        Qt lays it out."""
        cols = self.estimate(columns, pt)[0]
        text = sheet_html(cols, self.style, pt, self.key_px(pt))
        doc = QTextDocument()
        doc.setDefaultFont(self.font)
        doc.setDocumentMargin(self.margin)
        doc.setHtml(text)
        doc.setTextWidth(self.width)
        return text, doc.size().height()

    def largest(self, base: float, floor: float) -> tuple[str, float] | None:
        """(HTML, type size): the largest size, in half points from ``base`` down to
        ``floor``, in 2, 3 or 4 columns, at which the sheet fits (None: none). Sizes are
        chosen by the metrics and checked by laying the sheet out."""
        sizes = [base - 0.5 * i for i in range(int((base - floor) / 0.5) + 1)]
        for pt in sizes:
            for columns in (2, 3, 4):   # the fewest columns that fit: the widest texts
                if self.estimate(columns, pt)[1] > self.height:
                    continue
                text, h = self.html(columns, pt)
                if h <= self.height:
                    return text, pt
        return None
