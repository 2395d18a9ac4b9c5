"""The Convolution lab read from the back of a lecture hall: the real main window at the
projector sizes in presentation mode (F5), each convolution lesson stepped with the
clicker keys (forward, pooling, backward). Every number written in a cell is at least
PROJECTOR_TEXT_PX (18 px, about 14 pt) tall and fits its cell; the numbers of the current
computation (the patch, kernel and products, the map, the pooling window and the pooled
map, the kernel's ∂C/∂w) are written, not colours only; a grid that is rounded or colours
only says so in its title; nothing elided, nothing overlapping, the window never grown."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontInfo, QFontMetricsF

from nnviz.views.conv.cells import COLOURS_NOTE, PROJECTOR_TEXT_PX, ROUNDED_NOTE
from nnviz.views.conv.cnn_page import CONFUSION_TITLE
from tests.views.fit_checks import broken_texts, cell_problems, text_problems
from tests.views.projector_window import projector_window, set_presentation, settle

SIZES = [(1024, 768), (1280, 720), (1366, 768), (1920, 1080)]
LESSONS = ["conv-edge", "conv-rgb", "conv-feature-maps", "pooling"]
RIGHT, SHIFT, CTRL = Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier, \
    Qt.KeyboardModifier.ControlModifier
NONE = Qt.KeyboardModifier.NoModifier
#: the clicker keys pressed: two positions, the rest of the row, the whole map, two
#: pooling windows, the whole pooled map, into the backward pass and through it (∂C/∂w
#: summed over the whole map: its widest numbers)
KEYS = [(RIGHT, NONE), (RIGHT, NONE), (RIGHT, SHIFT), (RIGHT, CTRL), (RIGHT, NONE),
        (RIGHT, NONE), (RIGHT, CTRL), (RIGHT, NONE), (RIGHT, NONE), (RIGHT, CTRL),
        (RIGHT, NONE), (RIGHT, NONE), (RIGHT, CTRL)]


@pytest.fixture(scope="module", params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def window(request, qapp, tmp_path_factory):
    yield from projector_window(request.param, tmp_path_factory, "conv-projector")


def _grids(page):
    """(grid, its title label, must it be written?) of every grid with numbers shown now."""
    c, arith = page.ctl, page.arith
    forward = not c.backward
    pool = c.pool_cell() is not None
    out = [(page.fmap, page.fmap_title, forward and c.k > 0),
           (page.pooled, page.pool_title, pool)]
    # the computation of the position shown: written forward and backward, predict mode
    # on or off (an RGB patch under the guess bar was colours only at 1024x768 and
    # 1280x720 until its channels stood in columns)
    out += [(g, arith.title, True) for g in (*arith.patches, *arith.kernels,
                                             *arith.products)]
    out += [(g, page.kernel_title, c.stage == "conv_back") for g in page.dw.grids]
    return [(g, title, must) for g, title, must in out
            if g.isVisibleTo(page) and (g.shown is None or g.shown.any())]


def _number_problems(page) -> list[str]:
    """Every grid's numbers: at least PROJECTOR_TEXT_PX and inside their cells, or (where
    allowed) colours only with the title saying so; rounded numbers said so too."""
    out = []
    for g, title, must in _grids(page):
        name = g.objectName() or f"{title.text()[:30]!r}"
        px = g.text_px()
        if not px:
            if must:
                out.append(f"{name}: colours only ({g.cell_size():.0f} px cells)")
            elif COLOURS_NOTE not in title.text():
                out.append(f"{name}: colours only, its title {title.text()!r} says not")
            continue
        if px < PROJECTOR_TEXT_PX:
            out.append(f"{name}: numbers {px} px")
        font = QFont(g.font())
        font.setPixelSize(px)
        texts = g.written()[0]
        widest = max(QFontMetricsF(font).horizontalAdvance(t) for t in texts.ravel())
        if widest > g.cell_size() - 2:
            out.append(f"{name}: {widest:.0f} px wide numbers in {g.cell_size():.0f} px cells")
        if g.rounded() and ROUNDED_NOTE not in title.text():
            out.append(f"{name}: rounded, its title {title.text()!r} says not")
    return out


def _overlaps(page) -> list[str]:
    """Boxes of the page, and the arithmetic's pieces, that overlap one another."""
    out = []
    arith = page.arith
    groups = [list(page.layout_.boxes.values()),
              [arith.title, arith.result, *(w for row in arith._cells for w in row)]]
    for group in groups:
        shown = [w for w in group if w.isVisibleTo(page) and w.width() > 0]
        for i, a in enumerate(shown):
            ra = QRect(a.mapTo(page, a.rect().topLeft()), a.size())
            for b in shown[i + 1:]:
                rb = QRect(b.mapTo(page, b.rect().topLeft()), b.size())
                if ra.intersects(rb):
                    out.append(f"{type(a).__name__} {ra.getRect()} overlaps "
                               f"{type(b).__name__} {rb.getRect()}")
    return out


def _readable_type(page) -> list[str]:
    """The kernel's tables, the sum line and the stack's map numbers at 18 px or more."""
    out = [f"kernel table in {QFontInfo(t.font()).pixelSize()} px" for t in page.kernel.tables
           if t.isVisibleTo(page) and QFontInfo(t.font()).pixelSize() < PROJECTOR_TEXT_PX]
    if QFontInfo(page.arith.result.font()).pixelSize() < PROJECTOR_TEXT_PX:
        out.append("the sum line is small")
    if 0 < page.stack.label_px() < PROJECTOR_TEXT_PX:
        out.append(f"the stack's map numbers in {page.stack.label_px()} px")
    return out


def _laid_out(page, qtbot) -> None:
    """The coalesced redraw done and the layout settled: the boxes' places unchanged by
    another pass of events (a new arrangement takes a few)."""
    def places():
        return [w.geometry().getRect() for w in page.layout_.boxes.values()]
    for _ in range(20):
        before = places()
        qtbot.wait(10)
        settle()
        if places() == before:
            return


@pytest.mark.parametrize("asking", [False, True], ids=["", "predict"])
@pytest.mark.parametrize("lesson", LESSONS)
def test_every_number_reads_from_the_back_row(window, qtbot, lesson, asking):
    """``asking``: predict, then reveal (Q) on, its guess bar taking height from the
    pictures, each step's result hidden."""
    win = window
    set_presentation(win, qtbot, True)
    assert win.open_lesson(lesson)
    lab = win.current_lab
    lab.show_page("conv")
    win.activateWindow()
    lab.activate()
    settle()
    problems, stages = [], set()
    keys = [(Qt.Key.Key_Q, NONE), *KEYS, (Qt.Key.Key_Q, NONE)] if asking else KEYS
    for key, mod in [(None, NONE), *keys]:
        if key is not None:
            qtbot.keyClick(win.focusWidget() or win, key, mod)
        page = lab.conv_page
        _laid_out(page, qtbot)
        stages.add(lab.ctl.stage if lab.ctl.k else "start")
        where = f"{lesson} step {lab.ctl.k} ({lab.ctl.stage})"
        found = _number_problems(page) + _overlaps(page) + _readable_type(page) + \
            text_problems(win) + cell_problems(win) + broken_texts(page)
        if win.size().toTuple() != win.requested:
            found.append(f"window {win.size().toTuple()}")
        problems += [f"{where}: {p}" for p in found]
    assert stages >= {"conv", "pool", "pool_back", "conv_back"}, stages
    assert problems == [], "\n".join(problems)


def test_the_cnn_pages_counts_are_written_large(window, qtbot):
    """The CNN tab in F5: the confusion matrix's counts written at least 18 px tall, whole
    (not rounded: 30 stays 30), inside their cells (it was colours only below 1920x1080)."""
    win = window
    set_presentation(win, qtbot, True)
    assert win.open_lesson("cnn-digits")
    lab = win.current_lab
    lab.advance(5)            # five mini-batches: counts off the diagonal
    settle()
    page = lab.cnn_page
    title, grid = page.titles[5].text(), page.confusion
    px = grid.text_px()
    assert px >= PROJECTOR_TEXT_PX, (px, f"{grid.cell_size():.0f} px cells", title)
    texts = grid.written()[0]
    assert texts.tolist() == [[str(int(v)) for v in row] for row in grid.values]
    assert title == CONFUSION_TITLE   # no "rounded", no "colours only"
    font = QFont(grid.font())
    font.setPixelSize(px)
    widest = max(QFontMetricsF(font).horizontalAdvance(t) for t in texts.ravel())
    assert widest <= grid.cell_size() - 2
    assert 0 == page.maps.label_px() or page.maps.label_px() >= PROJECTOR_TEXT_PX
    assert text_problems(win) == [] and win.size().toTuple() == win.requested
