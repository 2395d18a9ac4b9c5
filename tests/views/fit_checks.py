"""Checks that what a window shows fits: no elided or clipped label, button or combo box
text, nothing pushed outside the window, no window grown past its screen."""

from __future__ import annotations

import numpy as np
import shiboken6
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QLabel,
    QLayout,
    QLayoutItem,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QToolButton,
    QWidget,
)


def _shown(w: QWidget, root: QWidget) -> bool:
    return w.isVisible() and w.width() > 0 and w.height() > 0 and w.window() is root.window()


def _in_scroll_area(w: QWidget, root: QWidget) -> bool:
    """Inside a scroll area's viewport (there it may lie outside the view: it scrolls)."""
    p = w.parentWidget()
    while p is not None and p is not root:
        if isinstance(p.parentWidget(), QAbstractScrollArea) and \
                p is p.parentWidget().viewport():
            return True
        p = p.parentWidget()
    return False


def _cut_sideways(w: QWidget, root: QWidget) -> str | None:
    """In a scroll area that never scrolls sideways (its horizontal bar always off), the
    part of ``w`` beyond the viewport's left or right edge can never be seen: the
    Training controls docked at 1920x1080 in F5 cut "1 batch", "◀ Back" and "Revert"
    there, unelided."""
    p = w.parentWidget()
    while p is not None and p is not root:
        area = p.parentWidget()
        if isinstance(area, QAbstractScrollArea) and p is area.viewport():
            if area.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
                return None
            view = p.rect()
            left = w.mapTo(p, w.rect().topLeft()).x()
            right = left + w.width()
            if left < view.left() - 1 or right > view.right() + 2:
                return f"cut by its scroll area: x {left}..{right} in a {view.width()} px view"
            return None
        p = p.parentWidget()
    return None


def _text_size(fm: QFontMetrics, text: str) -> tuple[int, int]:
    lines = text.replace("&&", "\0").replace("&", "").replace("\0", "&").split("\n")
    return max(fm.horizontalAdvance(t) for t in lines), fm.height() * len(lines)


def _label_problem(lab: QLabel) -> str | None:
    text = lab.text()
    if not text.strip():
        return None
    rect = lab.contentsRect()
    if lab.textFormat() == Qt.TextFormat.RichText or (
            lab.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)):
        doc = QTextDocument()
        doc.setDefaultFont(lab.font())
        doc.setDocumentMargin(0)
        doc.setHtml(text)
        if lab.wordWrap():
            doc.setTextWidth(rect.width())
            need_w, need_h = doc.idealWidth(), doc.size().height()
        else:
            need_w, need_h = doc.idealWidth(), doc.size().height()
    elif lab.wordWrap():
        br = lab.fontMetrics().boundingRect(QRect(0, 0, rect.width(), 100_000),
                                            Qt.TextFlag.TextWordWrap, text)
        need_w, need_h = br.width(), br.height()
    else:
        need_w, need_h = _text_size(lab.fontMetrics(), text)
    if need_w > rect.width() + 1 or need_h > rect.height() + 1:
        return f"needs {need_w:.0f}x{need_h:.0f}, has {rect.width()}x{rect.height()}"
    return None


def _button_problem(b: QAbstractButton) -> str | None:
    text = b.text()
    if not text.strip():
        return None
    need_w, need_h = _text_size(b.fontMetrics(), text)
    if isinstance(b, (QCheckBox, QRadioButton)):
        pm = (QStyle.PixelMetric.PM_IndicatorWidth if isinstance(b, QCheckBox)
              else QStyle.PixelMetric.PM_ExclusiveIndicatorWidth)
        room_w = b.width() - b.style().pixelMetric(pm, None, b) - \
            b.style().pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing, None, b)
        room_h = b.height()
    elif isinstance(b, QPushButton):
        opt = QStyleOptionButton()
        b.initStyleOption(opt) if hasattr(b, "initStyleOption") else opt.initFrom(b)
        r = b.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, b)
        room_w, room_h = r.width(), r.height()
        if not b.icon().isNull():
            room_w -= b.iconSize().width() + 4
    elif isinstance(b, QToolButton):
        room_w, room_h = b.width() - 4, b.height() - 2
    else:
        room_w, room_h = b.width(), b.height()
    if need_w > room_w or need_h > room_h + 2:
        return f"needs {need_w}x{need_h}, has {room_w}x{room_h}"
    return None


def _combo_problem(c: QComboBox) -> str | None:
    text = c.currentText()
    if not text.strip():
        return None
    opt = QStyleOptionComboBox()
    c.initStyleOption(opt)
    r = c.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                 QStyle.SubControl.SC_ComboBoxEditField, c)
    need = c.fontMetrics().horizontalAdvance(text)
    if not c.itemIcon(c.currentIndex()).isNull():
        need += c.iconSize().width() + 4
    if need > r.width() + 1:
        return f"needs {need}, has {r.width()}"
    return None


def text_problems(root: QWidget) -> list[str]:
    """Every shown label, button and combo box under ``root`` whose text does not fit, or
    that lies (partly) outside the window without being in a scroll area."""
    win = root.window()
    win_rect = win.rect()
    out = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, (QLabel, QAbstractButton, QComboBox)) or not _shown(w, root):
            continue
        if isinstance(w, QLabel):
            problem = _label_problem(w)
        elif isinstance(w, QComboBox):
            problem = _combo_problem(w)
        else:
            problem = _button_problem(w)
        text = w.currentText() if isinstance(w, QComboBox) else w.text()
        where = QRect(w.mapTo(win, w.rect().topLeft()), w.size())
        if problem is None and text.strip() and not win_rect.contains(where) \
                and not _in_scroll_area(w, root):
            problem = f"outside the window at {where.getRect()}"
        if problem is None and text.strip():
            problem = _cut_sideways(w, root)
        if problem is not None:
            out.append(f"{type(w).__name__} {w.objectName() or ''} {text[:40]!r}: {problem}")
    return out


def squeezed(win: QWidget) -> str | None:
    """The central widget is given less than it needs (its content would be squeezed)."""
    c = win.centralWidget()
    need, has = c.minimumSizeHint(), c.size()
    if need.width() > has.width() or need.height() > has.height():
        return f"central widget needs {need.toTuple()}, has {has.toTuple()}"
    return None


def _cut_tick_labels(plot, values: list[float], fm, seen) -> list[str]:
    """Left-axis tick labels (drawn centred on their ticks) that reach past the top or
    bottom of the view showing the plot: cut in half by the widget's edge."""
    from PySide6.QtCore import QPointF

    vb = plot.getViewBox()
    x = vb.viewRange()[0][0]
    half = fm.height() / 2 - 1
    cut = []
    for v in values:
        y = vb.mapViewToScene(QPointF(x, v)).y()
        if y - half < seen.top() or y + half > seen.bottom():
            cut.append(f"left tick label {v:g} cut by the view's edge")
    return cut


def _tick_problems(plot, seen=None) -> list[str]:
    """Tick labels of the plot's left and bottom axes closer than their own size (and,
    given the scene rectangle ``seen`` of its view, left ones cut by the view's edge)."""
    from PySide6.QtGui import QFontMetricsF

    bad = []
    vb = plot.getViewBox()
    (x0, x1), (y0, y1) = vb.viewRange()
    for name, lo, hi, length in (("left", y0, y1, vb.height()), ("bottom", x0, x1, vb.width())):
        ax = plot.getAxis(name)
        if not ax.isVisible() or not ax.style.get("showValues", True) or hi <= lo \
                or length < 2:
            continue
        fm = QFontMetricsF(ax.style.get("tickFont") or ax.font())
        if ax._tickLevels is not None:   # ticks set by hand: those are drawn
            shown = sorted((v, t) for v, t in (ax._tickLevels or [[]])[0] if lo <= v <= hi)
            levels = [(min(np.diff([v for v, _ in shown]), default=hi - lo),
                       [v for v, _ in shown])] if shown else []
            strings = {v: t for v, t in shown}
        else:
            levels = [lv for lv in ax.tickValues(lo, hi, length) if len(lv[1])]
            strings = None
        for spacing, values in levels[:1]:
            texts = [strings[v] for v in values] if strings is not None else \
                ax.tickStrings(values, ax.scale, spacing)
            px = spacing / (hi - lo) * length
            # stacked labels may touch (digits fill the ascent); side by side two
            # neighbours need a gap of 4 px between them ("−10" is wider than "0")
            widths = [fm.horizontalAdvance(t) for t in texts]
            need = fm.ascent() if name == "left" else max(
                [(a + b) / 2 for a, b in zip(widths, widths[1:])] or widths) + 4
            if len(values) > 1 and px < need:
                bad.append(f"{name} ticks {texts}: {px:.0f} px apart, need {need:.0f}")
            if name == "left" and seen is not None:
                bad += _cut_tick_labels(plot, list(values), fm, seen)
    return bad


def shown_plots(root: QWidget, kind=None):
    """Every shown pyqtgraph plot item (or item of ``kind``) under ``root``: (its view,
    the item, the scene rectangle the view shows, the plot's name for messages)."""
    import pyqtgraph as pg

    kind = kind or pg.PlotItem
    for view in root.findChildren(pg.GraphicsView):
        if not _shown(view, root) or view.scene() is None:
            continue
        seen = view.mapToScene(view.viewport().rect()).boundingRect()
        for item in view.scene().items():
            if isinstance(item, kind) and item.isVisible():
                title = getattr(item, "titleLabel", None)
                name = (title.text if title is not None else "") or view.objectName() or \
                    type(view.parentWidget()).__name__
                yield view, item, seen, name


def plot_problems(root: QWidget, cut_ticks: bool = False) -> list[str]:
    """Every shown pyqtgraph plot under ``root`` that is cut off by its view, whose title
    does not fit above it, or whose tick labels run into each other (with ``cut_ticks``:
    or whose left tick labels are cut by the view's edge)."""
    out = []
    for _view, item, seen, name in shown_plots(root):
        title = item.titleLabel
        r = item.sceneBoundingRect()
        if r.width() < 2 or r.height() < 2:
            continue
        if not seen.adjusted(-1, -1, 1, 1).contains(r):
            out.append(f"plot {name[:40]!r} cut off by its view: {r.getRect()} not in "
                       f"{seen.getRect()}")
        if title.isVisible() and title.text:
            need, has = title.item.boundingRect().width(), title.boundingRect().width()
            if need > has + 1:
                out.append(f"plot title {name[:40]!r} needs {need:.0f} px, has {has:.0f}")
        out += [f"plot {name[:40]!r}: {p}"
                for p in _tick_problems(item, seen if cut_ticks else None)]
    return out


def header_problems(root: QWidget) -> list[str]:
    """Every shown table header section whose text is wider than the section."""
    from PySide6.QtWidgets import QHeaderView

    out = []
    for h in root.findChildren(QHeaderView):
        if not _shown(h, root) or h.orientation() != Qt.Orientation.Horizontal:
            continue
        model = h.model()
        fm = h.fontMetrics()
        pad = h.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, h) * 2
        for i in range(h.count()):
            if h.isSectionHidden(i):
                continue
            text = str(model.headerData(i, Qt.Orientation.Horizontal) or "")
            need = max((fm.horizontalAdvance(t) for t in text.split("\n")), default=0) + pad
            if text.strip() and need > h.sectionSize(i):
                out.append(f"header {text!r}: needs {need}, has {h.sectionSize(i)}")
    return out


def scrolling_panels(root: QWidget) -> list[str]:
    """Every shown side panel under ``root`` whose content is taller than its view (it
    needs its scroll bar)."""
    from nnviz.views.fit import SidePanelScroll

    return [f"side panel scrolls: {s.widget().height()} px in {s.viewport().height()}"
            for s in root.findChildren(SidePanelScroll)
            if _shown(s, root) and s.verticalScrollBar().maximum() > 0]


def tab_bar_problems(root: QWidget) -> list[str]:
    """Every shown tab bar under ``root`` whose tabs do not all fit its width (Qt then
    adds scroll arrows or cuts the titles)."""
    from PySide6.QtWidgets import QTabBar

    out = []
    for bar in root.findChildren(QTabBar):
        if not _shown(bar, root) or bar.shape() not in (QTabBar.Shape.RoundedNorth,
                                                        QTabBar.Shape.TriangularNorth):
            continue
        need = sum(bar.tabSizeHint(i).width() for i in range(bar.count()))
        arrows = any(b.isVisible() for b in bar.findChildren(QToolButton))
        if need > bar.width() or arrows:
            titles = [bar.tabText(i) for i in range(bar.count())]
            out.append(f"tabs {titles} need {need} px, have {bar.width()}")
    return out


def drawn_tick_labels(axis) -> list[tuple]:
    """The tick labels pyqtgraph draws on ``axis`` (after leaving out those that would
    overlap, run past its ends or not fit its width): (rectangle in the axis'
    coordinates, text)."""
    from PySide6.QtGui import QImage, QPainter

    img = QImage(4, 4, QImage.Format.Format_ARGB32)
    painter = QPainter(img)
    try:
        if axis.style.get("tickFont"):
            painter.setFont(axis.style["tickFont"])
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [] if specs is None else [(rect, text) for rect, _flags, text in specs[2]]


def axis_problems(root: QWidget, least: int = 2, gap: float = 3.0) -> list[str]:
    """Every shown plot's left and bottom axes under ``root`` (those showing values) that
    draw fewer than ``least`` tick labels (tanh's "0" alone), and axis labels closer than
    ``gap`` pixels to a tick label (the Softmax page's "a_j" touched its ticks)."""
    out = []
    for _view, item, _seen, name in shown_plots(root):
        for side in ("left", "bottom"):
            ax = item.getAxis(side)
            if not ax.isVisible() or not ax.style.get("showValues", True) \
                    or ax.height() < 2 or ax.width() < 2:
                continue
            ticks = drawn_tick_labels(ax)
            if len(ticks) < least:
                out.append(f"plot {name[:40]!r} {side} axis: tick labels "
                           f"{[t for _r, t in ticks]} (fewer than {least})")
            if not ax.label.isVisible() or not ax.labelText:
                continue
            lab = ax.label.mapRectToParent(ax.label.boundingRect())
            for rect, text in ticks:
                if lab.adjusted(-gap, -gap, gap, gap).intersects(rect):
                    out.append(f"plot {name[:40]!r}: axis label {ax.labelText!r} "
                               f"touches tick label {text!r}")
                    break
    return out


def _laid_out(label: QLabel) -> QTextDocument:
    """The label's text laid out as a word-wrapped QLabel lays it out (its width)."""
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    if label.textFormat() == Qt.TextFormat.RichText or (
            label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(label.text())):
        doc.setHtml(label.text())
    else:
        doc.setPlainText(label.text())
    doc.setTextWidth(label.contentsRect().width())
    doc.size()   # (laid out only when asked)
    return doc


def line_breaks(label: QLabel) -> list[tuple[str, int]]:
    """Where the word-wrapped ``label`` breaks its lines: (paragraph text, offset)."""
    doc, out = _laid_out(label), []
    block = doc.begin()
    while block.isValid():
        layout = block.layout()
        for i in range(layout.lineCount() - 1):
            line = layout.lineAt(i)
            out.append((block.text(), line.textStart() + line.textLength()))
        block = block.next()
    return out


def broken_texts(root: QWidget, keep: tuple[str, ...] = ()) -> list[str]:
    """Every shown word-wrapped label under ``root`` that breaks a line inside a word or
    number (not at a space, nor after a hyphen of the prose: "σ′ | (z)·x·Δw",
    "λ/ | (2n)") or inside one of the phrases ``keep``
    (formulas such as "σ(z)(1 − σ(z))", whose spaces must not break either)."""
    out = []
    for lab in root.findChildren(QLabel):
        if not _shown(lab, root) or not lab.wordWrap() or not lab.text().strip():
            continue
        for text, end in line_breaks(lab):
            flat = text.replace("\xa0", " ")
            where = f"{text[max(0, end - 16):end]}|{text[end:end + 16]}"
            hyphen = text[end - 2:end - 1].isalpha() and text[end - 1] == "-" and \
                text[end:end + 1].isalpha()   # prose may break after a hyphen: "held-|out"
            if 0 < end < len(text) and not (text[end - 1].isspace() or text[end].isspace()
                                            or hyphen):
                out.append(f"label broken inside a word: {where!r}")
                continue
            for phrase in keep:
                start = flat.find(phrase)
                while start >= 0:
                    if start < end < start + len(phrase):
                        out.append(f"formula {phrase!r} broken: {where!r}")
                    start = flat.find(phrase, start + 1)
    return out


def _depths(text: str) -> list[int]:
    """How many parentheses (or brackets) are open before each offset of ``text``."""
    depth, out = 0, []
    for ch in text:
        out.append(depth)
        depth += ch in "(["
        depth -= ch in ")]"
    return out + [depth]


def bracket_breaks(root: QWidget, names: tuple[str, ...] = ("formula", "race-detail")) -> list[str]:
    """Every shown word-wrapped formula label under ``root`` (its object name contains one
    of ``names``) that breaks a line inside parentheses or brackets: a formula breaks only
    between terms or after "=" ("L = Σ ½(σ(v₁h₁ +" | "v₂h₂ − 7.5) − y)²" at 1024x768 in F5)."""
    return label_bracket_breaks([lab for lab in root.findChildren(QLabel)
                                 if any(n in lab.objectName() for n in names)], root)


def label_bracket_breaks(labels, root: QWidget) -> list[str]:
    """Every shown word-wrapped label of ``labels`` that breaks a line inside parentheses
    or brackets ("[y ln a +" | "(1 − y) ln(1 − a)]": the bracket is one unit too)."""
    out = []
    for lab in labels:
        if not _shown(lab, root) or not lab.wordWrap():
            continue
        for text, end in line_breaks(lab):
            if 0 < end < len(text) and _depths(text)[end] > 0:
                out.append(f"{lab.objectName()}: formula broken inside parentheses: "
                           f"{text[max(0, end - 16):end]}|{text[end:end + 16]!r}")
    return out


def wrapped_headers(root: QWidget) -> list[str]:
    """Every shown horizontal table heading under ``root`` set in more than one line (a
    formula such as "e^(cz − max)" broken in two)."""
    from PySide6.QtWidgets import QHeaderView

    out = []
    for h in root.findChildren(QHeaderView):
        if not _shown(h, root) or h.orientation() != Qt.Orientation.Horizontal:
            continue
        for i in range(h.count()):
            text = str(h.model().headerData(i, Qt.Orientation.Horizontal) or "")
            if "\n" in text.strip():
                out.append(f"heading {text!r} in {text.count(chr(10)) + 1} lines")
    return out


def cell_problems(root: QWidget) -> list[str]:
    """Every shown table cell under ``root`` whose text is wider than its column (Qt
    elides it: "0.63…")."""
    from PySide6.QtWidgets import QTableWidget

    out = []
    for t in root.findChildren(QTableWidget):
        if not _shown(t, root):
            continue
        fm = t.fontMetrics()
        for r in range(t.rowCount()):
            for c in range(t.columnCount()):
                item = t.item(r, c)
                if item is None or t.isColumnHidden(c) or not item.text():
                    continue
                need = fm.horizontalAdvance(item.text()) + 6
                if need > t.columnWidth(c):
                    out.append(f"cell {item.text()!r}: needs {need}, has {t.columnWidth(c)}")
    return out


def colour_bar_problems(root: QWidget) -> list[str]:
    """Every shown colour bar under ``root`` with fewer than two tick labels drawn (a
    bar fixed 45 pixels wide drew none of "0.515 … 0.56" in presentation type)."""
    import pyqtgraph as pg

    out = []
    for view, item, _seen, _name in shown_plots(root, pg.ColorBarItem):
        labels = [t for _r, t in drawn_tick_labels(item.axis)]
        if len(labels) < 2:
            out.append(f"colour bar of {view.objectName() or 'a plot'}: tick labels "
                       f"{labels} ({item.axis.width():.0f} px wide)")
    return out


def title_problems(root: QWidget) -> list[str]:
    """Every shown plot title under ``root`` whose text reaches past the view it is
    drawn in (cut off at the widget's edge: "…, the rest helc")."""
    out = []
    for _view, item, seen, _name in shown_plots(root):
        title = item.titleLabel
        if not (title.isVisible() and title.text):
            continue
        r = title.item.sceneBoundingRect()
        if r.left() < seen.left() - 1 or r.right() > seen.right() + 1:
            out.append(f"plot title {title.item.toPlainText()[:50]!r} spans "
                       f"{r.left():.0f}..{r.right():.0f}, the view "
                       f"{seen.left():.0f}..{seen.right():.0f}")
    return out


def long_tick_labels(root: QWidget, most: int = 9) -> list[str]:
    """Every shown plot's left or bottom tick label longer than ``most`` characters (a
    nearly flat curve got a range of 1e-14 and labels "3.80633205223881")."""
    out = []
    for _view, item, _seen, _name in shown_plots(root):
        vb = item.getViewBox()
        for name, (lo, hi), length in (("left", vb.viewRange()[1], vb.height()),
                                       ("bottom", vb.viewRange()[0], vb.width())):
            ax = item.getAxis(name)
            if not ax.isVisible() or hi <= lo or length < 2:
                continue
            for spacing, values in ax.tickValues(lo, hi, length)[:1]:
                texts = ax.tickStrings(values, ax.autoSIPrefixScale * ax.scale, spacing)
                long = [t for t in texts if len(t) > most]
                if long:
                    out.append(f"{name} tick labels {long[:2]} of "
                               f"{ax.labelText or 'a plot'!r}")
    return out


def small_plot_texts(root: QWidget, floor: float) -> list[str]:
    """Every shown text item of a shown plot under ``root`` (a marker's label, a name in a
    corner) set below ``floor`` points (the loss chart's "best" stayed at 9 pt in F5)."""
    import pyqtgraph as pg

    out = []
    for _view, item, _seen, name in shown_plots(root):
        for child in item.getViewBox().addedItems + item.getViewBox().allChildren():
            text = child if isinstance(child, pg.TextItem) else None
            if text is None or not text.isVisible() or not text.toPlainText().strip():
                continue
            pt = text.textItem.font().pointSizeF()
            if 0 < pt < floor:
                out.append(f"plot {name[:30]!r}: text {text.toPlainText()[:20]!r} in {pt:.1f} pt")
    return sorted(set(out))


def small_widget_texts(root: QWidget, floor: float) -> list[str]:
    """Every shown label, button, combo box or spin box under ``root`` with text whose font
    is set below ``floor`` points (the CNN tab's explanation stayed at 8 pt x the
    presentation scale, 14 pt, under every other text's 15.75)."""
    from PySide6.QtWidgets import QAbstractSpinBox

    out = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, (QLabel, QAbstractButton, QComboBox, QAbstractSpinBox)) or \
                not _shown(w, root):
            continue
        text = w.currentText() if isinstance(w, QComboBox) else \
            w.text() if isinstance(w, (QLabel, QAbstractButton)) else w.text()
        pt = w.font().pointSizeF()
        if str(text).strip() and 0 < pt < floor:
            out.append(f"{type(w).__name__} {w.objectName()} {str(text)[:30]!r} in {pt:.1f} pt")
    return out


def _curve_points_in_scene(item) -> np.ndarray:
    """The points of a shown curve item (its data, as drawn), in scene coordinates."""
    x, y = item.getData() if hasattr(item, "getData") else (None, None)
    if x is None or not len(x) or not item.isVisible():
        return np.zeros((0, 2))
    tr = item.sceneTransform()
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = np.asarray(x, float)[ok], np.asarray(y, float)[ok]
    return np.column_stack([tr.m11() * x + tr.m21() * y + tr.m31(),
                            tr.m12() * x + tr.m22() * y + tr.m32()])


def _descendants(item) -> list:
    out = []
    for child in item.childItems():
        out += [child] + _descendants(child)
    return out


def chart_text_overlaps(root: QWidget) -> list[str]:
    """Every shown text of a shown plot under ``root`` (a plot's name in its corner, a
    marker's label) that lies over a point of one of the plot's curves or over another
    such text, as drawn (its box and the curve's stroke: the Training lab's "loss" lay
    over its falling curves in F5)."""
    import pyqtgraph as pg

    out = []
    for _view, item, _seen, name in shown_plots(root):
        vb = item.getViewBox()
        texts = [t for t in _descendants(vb) if isinstance(t, pg.TextItem) and t.isVisible()
                 and t.toPlainText().strip()]   # (a name is the view box's own child)
        curves = [c for c in vb.addedItems if isinstance(c, (pg.PlotCurveItem, pg.PlotDataItem))]
        points = np.vstack([_curve_points_in_scene(c.curve if isinstance(c, pg.PlotDataItem)
                                                   else c) for c in curves] or [np.zeros((0, 2))])
        half = max((c.opts["pen"].widthF() / 2 for c in curves
                    if isinstance(c, pg.PlotCurveItem) and c.opts.get("pen") is not None),
                   default=1.0)   # (a curve's stroke reaches half its pen past its points)
        rects = [(t.toPlainText(), t.sceneBoundingRect()) for t in texts]
        for i, (text, r) in enumerate(rects):
            grown = r.adjusted(-half, -half, half, half)
            inside = (points[:, 0] > grown.left()) & (points[:, 0] < grown.right()) & \
                (points[:, 1] > grown.top()) & (points[:, 1] < grown.bottom())
            if inside.any():
                out.append(f"plot {name[:30]!r}: {text!r} over {int(inside.sum())} curve points")
            out += [f"plot {name[:30]!r}: {text!r} over {other!r}"
                    for other, r2 in rects[i + 1:] if r.intersects(r2)]
    return out


def qt_item_wrappers() -> list[str]:
    """The Python wrappers of layout items that Qt made (a widget's or a stretch's item):
    each would be stale once Qt deletes its item. (Items made in Python, as pyqtgraph's
    spacers, tell Python when they go.) Only the type is read: a stale wrapper's item is
    freed memory (reading its widget crashed a run without nnviz.views.layouts.nest)."""
    return sorted(type(w).__name__ for w in shiboken6.getAllValidWrappers()
                  if isinstance(w, QLayoutItem) and not isinstance(w, QLayout)
                  and not shiboken6.createdByPython(w))
