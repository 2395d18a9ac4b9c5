"""Typeset a :class:`~nnviz.engine.teaching.sheet.Sheet` as a PDF with Qt's own PDF writer.

Formulas are laid out as in the Equation panel: sub- and superscripts, and one "=" a
line under the one before when a formula is long. Every text is escaped: a sheet's
text is plain text, never markup.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from nnviz.engine.files.atomic import write_atomic
from nnviz.engine.teaching.sheet import Sheet, render_blocks
from nnviz.views.items.math_text import escape, math_html

_CSS = """
body { font-family: 'DejaVu Serif', serif; font-size: 11pt; }
h1 { font-size: 17pt; } h2 { font-size: 14pt; margin-top: 14px; }
h3 { font-size: 12pt; margin-top: 10px; }
table.f { margin-left: 18px; margin-top: 4px; margin-bottom: 4px; }
table.f td { padding: 1px 4px; font-family: 'DejaVu Serif', serif; }
table.g { margin-left: 18px; border-collapse: collapse; }
table.g td { border: 1px solid #444; padding: 2px 8px; text-align: right; }
p.cap { font-style: italic; }
"""


def formula_html(text: str, long: int = 60) -> str:
    """One formula as a two-column table: the left side, then "= part" a row each."""
    parts = [p.strip() for p in text.split(" = ")]
    if len(parts) == 1:
        return f"<table class='f'><tr><td>{math_html(parts[0])}</td></tr></table>"
    if len(text) <= long:
        rows = [(parts[0], "= " + " = ".join(parts[1:]))]
    else:
        rows = [(parts[0], "= " + parts[1])] + [("", "= " + p) for p in parts[2:]]
    cells = "".join(f"<tr><td align='right'>{math_html(a)}</td><td>{math_html(b)}</td></tr>"
                    for a, b in rows)
    return f"<table class='f'>{cells}</table>"


def sheet_html(sheet: Sheet, images: dict[str, str] | None = None) -> str:
    """The sheet as the HTML subset QTextDocument typesets (``images``: key -> resource name)."""
    images = images or {}
    out = [f"<html><head><style>{_CSS}</style></head><body>", f"<h1>{escape(sheet.title)}</h1>"]
    out += render_blocks(sheet.blocks, lambda b: _html_block(b, images), "<ol>", "</ol>")
    out.append("</body></html>")
    return "".join(out)


def _html_grid(b) -> list[str]:
    cells = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                    for row in b.rows)
    return [f"<p>{escape(b.text)}:</p><table class='g'>{cells}</table>"]


def _html_figure(b, images: dict[str, str]) -> list[str]:
    img = ([f"<p align='center'><img src='{images[b.key]}' width='520'></p>"]
           if b.key in images else [])
    return img + [f"<p class='cap' align='center'>{escape(b.text)}</p>"]


#: block kind -> its HTML
_HTML = {
    "heading": lambda b: [f"<h2>{escape(b.text)}</h2>"],
    "subheading": lambda b: [f"<h3>{escape(b.text)}</h3>"],
    "text": lambda b: [f"<p>{escape(b.text)}</p>"],
    "formula": lambda b: [formula_html(b.text)],
    "values": lambda b: ["<p>" + ", ".join(math_html(v) for v in b.text.split(", ")) + "</p>"],
    "question": lambda b: [f"<li>{escape(b.text)}</li>"],
    "grid": _html_grid,
    "pagebreak": lambda b: ["<p style='page-break-after: always'>&nbsp;</p>"],
}


def _html_block(b, images: dict[str, str]) -> list[str]:
    if b.kind == "figure":
        return _html_figure(b, images)
    render = _HTML.get(b.kind)
    return render(b) if render is not None else []


def sheet_pdf_bytes(sheet: Sheet, figures: dict[str, QImage] | None = None) -> bytes:
    """The sheet typeset on A4 as PDF bytes (``figures``: key -> picture of a figure block)."""
    figures = figures or {}
    doc = QTextDocument()
    names = {}
    for i, (key, image) in enumerate(figures.items()):
        name = f"nnviz-figure-{i}.png"
        doc.addResource(QTextDocument.ResourceType.ImageResource, name, image)
        names[key] = name
    doc.setHtml(sheet_html(sheet, names))
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buf)
    writer.setTitle(sheet.title)
    writer.setCreator("nnviz")
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, QMarginsF(18, 18, 18, 18),
                                     QPageLayout.Unit.Millimeter))
    doc.print_(writer)
    del writer  # finishes the PDF
    buf.close()
    return bytes(data.data())


def write_sheet(sheet: Sheet, path: str | Path, figures: dict[str, QImage] | None = None) -> Path:
    """Write the sheet as PDF (``.pdf``) or LaTeX (``.tex``, figures as PNGs beside it)."""
    from nnviz.engine.teaching.sheet import sheet_latex

    path = Path(path)
    if path.suffix.lower() == ".tex":
        files = {}
        for i, (key, image) in enumerate((figures or {}).items()):
            png = path.with_name(f"{path.stem}-figure-{i + 1}.png")
            write_atomic(png, _png_bytes(image))
            files[key] = png.name
        write_atomic(path, sheet_latex(sheet, files).encode("utf-8"))
    else:
        write_atomic(path, sheet_pdf_bytes(sheet, figures))
    return path


def _png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    buf.close()
    return bytes(data.data())
