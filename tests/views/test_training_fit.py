"""The Training lab at the sizes an audience sees, in presentation mode (F5) and not: the
window keeps its size, no button or label is clipped, no texts overlap, chart ticks fit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QWidget

SIZES = [(1024, 768), (1280, 720), (1366, 768), (1920, 1080)]


def _shown(w: QWidget, lab) -> bool:
    return w.isVisible() and w.isVisibleTo(lab) and w.width() > 0


def _clipped(lab) -> list[str]:
    """Every visible text in the lab that does not fit its widget."""
    bad = []
    for b in lab.findChildren(QAbstractButton):
        if _shown(b, lab) and b.text():
            need = b.fontMetrics().horizontalAdvance(b.text().replace("&", "")) + 6
            if b.width() < need:
                bad.append(f"button {b.text()!r}: {b.width()} < {need}")
    for c in lab.findChildren(QComboBox):
        if _shown(c, lab) and c.currentText() and not c.isEditable():
            need = c.fontMetrics().horizontalAdvance(c.currentText()) + 20
            if c.width() < need:
                bad.append(f"combo {c.currentText()!r}: {c.width()} < {need}")
    for lbl in lab.findChildren(QLabel):
        text = lbl.text()
        if not _shown(lbl, lab) or not text or "<" in text:
            continue
        if lbl.wordWrap():
            if lbl.heightForWidth(lbl.width()) > lbl.height() + 1:
                bad.append(f"label {text[:30]!r}: wraps to {lbl.heightForWidth(lbl.width())} "
                           f"> {lbl.height()}")
        elif lbl.fontMetrics().horizontalAdvance(text) > lbl.width():
            bad.append(f"label {text!r}: {lbl.fontMetrics().horizontalAdvance(text)} > "
                       f"{lbl.width()}")
    return bad


def _overlaps(rects: list[tuple[str, QRect]]) -> list[str]:
    return [f"{a} overlaps {b}" for i, (a, ra) in enumerate(rects)
            for b, rb in rects[i + 1:] if ra.intersects(rb)]


def _graph_texts(g) -> list[tuple[str, QRect]]:
    """The graph's buttons, column captions (as drawn) and feature labels as rectangles."""
    from tests.views.training_checks import graph_texts

    return graph_texts(g)


def _ticks_fit(plot) -> list[str]:
    from PySide6.QtGui import QFontMetricsF

    bad = []
    vb = plot.getViewBox()
    (x0, x1), (y0, y1) = vb.viewRange()
    for name, lo, hi, length in (("left", y0, y1, vb.height()), ("bottom", x0, x1, vb.width())):
        ax = plot.getAxis(name)
        fm = QFontMetricsF(ax.style.get("tickFont") or ax.font())
        levels = ax.tickValues(lo, hi, length)
        labelled = [(sp, vals) for sp, vals in levels if len(vals)]
        for spacing, values in labelled[:1]:
            px = spacing / (hi - lo) * length
            texts = ax.tickStrings(values, ax.scale, spacing)
            need = (fm.height() if name == "left" else
                    max(fm.horizontalAdvance(t) for t in texts) + 4)
            if len(values) > 1 and px < need:
                bad.append(f"{name} ticks {texts}: {px:.0f} px apart, need {need:.0f}")
    return bad


@pytest.mark.parametrize("presentation", [False, True], ids=["normal", "presentation"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_training_lab_fits(main_window, qtbot, size, presentation):
    win = main_window
    win.resize(*size)
    assert win.open_lesson("spiral")
    lab = win.current_lab
    if presentation:
        win.setFocus()
        qtbot.keyClick(win, Qt.Key.Key_F5)
        assert lab.style_.presentation
    lab.advance(30)
    qtbot.wait(30)
    lab.redraw()
    qtbot.wait(10)
    assert win.size() == QSize(*size)
    clipped = _clipped(lab)
    assert clipped == [], "\n".join(clipped)
    assert _overlaps(_graph_texts(lab.graph)) == []
    g = lab.graph
    assert all(g.rect().contains(b.geometry()) for b in g.plus + g.minus)
    for p in (lab.curves.loss_plot, lab.curves.acc_plot):
        assert _ticks_fit(p) == []
    # the (square) decision map gets a large share of the window, the network about as much
    side = min(lab.map.plot.width(), lab.map.plot.height())
    assert side * side / (size[0] * size[1]) > 0.12
    assert lab.graph.width() * lab.graph.height() > 0.6 * side * side
    _check_keras_code(win, lab, qtbot, size)
    if presentation:
        qtbot.keyClick(win, Qt.Key.Key_F5)
        assert not lab.style_.presentation and win.size() == QSize(*size)


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720)], ids=["1024x768", "1280x720"])
def test_the_side_panel_opens_and_folds_without_growing_the_window(main_window, qtbot, size):
    win = main_window
    win.resize(*size)
    assert win.open_lesson("spiral")
    lab = win.current_lab
    win.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_F5)
    qtbot.wait(20)
    toggle = lab.readout.controls
    assert not lab.dock.isVisible() and not toggle.isChecked()  # folded on a projector
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lab.dock.isVisible)
    qtbot.wait(20)
    assert win.size() == QSize(*size)
    clipped = _clipped(lab)
    assert clipped == [], "\n".join(clipped)
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not lab.dock.isVisible())
    assert win.size() == QSize(*size)


@pytest.mark.parametrize("lesson", ["vanishing-gradients", "keras-lab", "exploding-gradients"])
@pytest.mark.parametrize("size", [(1024, 768), (1280, 720)], ids=["1024x768", "1280x720"])
def test_other_lessons_fit_on_a_projector(main_window, qtbot, size, lesson):
    win = main_window
    win.resize(*size)
    assert win.open_lesson(lesson)
    lab = win.current_lab
    win.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_F5)
    lab.advance(2)
    qtbot.wait(30)
    lab.redraw()
    assert win.size() == QSize(*size)
    clipped = _clipped(lab)
    assert clipped == [], "\n".join(clipped)
    assert _overlaps([t for t in _graph_texts(lab.graph) if not t[0].startswith("caption")]) == []


def _global(w: QWidget, r: QRect | None = None) -> QRect:
    r = w.rect() if r is None else r
    return QRect(w.mapToGlobal(r.topLeft()), r.size())


def _check_keras_code(win, lab, qtbot, size) -> None:
    """The Keras tab at this size: no sideways scrolling, the type no smaller than a floor
    and, above the floor, every line of code (not its trailing comment) whole on one row
    (at the floor a longer line wraps), every line within the width, ten lines or more
    in view; selecting the learning rate's line (↓) shows its control beside it, not over
    it."""
    from nnviz.views.training.keras_view import TYPE_FLOOR

    bar = lab.charts.tabBar()
    lab.charts.setFocus()
    for _ in range(2):       # Ctrl+Tab: the next tab
        qtbot.keyClick(lab.charts, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert lab.charts.currentIndex() == 2
    code = lab.keras
    qtbot.waitUntil(code.isVisible)
    qtbot.wait(20)
    lst = code.list
    lst.doItemsLayout()   # the rows' pending layout (delayed by a timer; late on a busy machine)
    assert lst.horizontalScrollBar().maximum() == 0
    floor = lab.style_.pt(TYPE_FLOOR)
    assert lst.font().pointSizeF() >= floor - 0.01
    at_floor = lst.font().pointSizeF() <= floor + 0.01
    fm = lst.fontMetrics()
    room = lst.viewport().width()
    texts = [lst.item(i).text() for i in range(lst.count())]
    for i, t in enumerate(texts):
        rect = lst.visualItemRect(lst.item(i))
        assert rect.right() <= room, (t, rect, room)     # wrapped, never past the edge
        if not t.lstrip().startswith("#") and not at_floor:   # one row for the code,
            assert fm.horizontalAdvance(t.split("  #")[0]) <= room, (t, room)  # or wraps
    whole = [i for i in range(lst.count())
             if lst.viewport().rect().contains(lst.visualItemRect(lst.item(i)))]
    assert len(whole) >= 10, (size, len(whole))
    # select the learning rate's line by keys: the drawer or panel shows η, beside the line
    row = next(i for i, t in enumerate(texts) if "learning_rate=" in t)
    lst.setFocus()
    lst.setCurrentRow(0)
    for _ in range(row):
        qtbot.keyClick(lst, Qt.Key.Key_Down)
    assert lst.currentRow() == row
    eta = lab.run_panel.eta
    qtbot.waitUntil(lambda: lab.dock.isVisible() and eta.isVisible())
    qtbot.wait(30)
    line = _global(lst.viewport(), lst.visualItemRect(lst.currentItem()))
    view = _global(lst.viewport())
    assert view.contains(line), (line, view)                  # the line in view ...
    assert not _global(eta).intersects(view), (_global(eta), view)   # ... not under η
    if lab.dock.isFloating():
        assert not lab.dock.frameGeometry().intersects(line)
    assert not eta.visibleRegion().isEmpty()
    assert _global(win).contains(_global(eta))
    assert win.size() == QSize(*size)
    lab.readout.controls.setChecked(False)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(0).center())
    assert not code.isVisible()
