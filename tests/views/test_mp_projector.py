"""The McCulloch–Pitts page on a projector (1024x768, presentation mode): the truth-table
row the diagram computes is marked whatever has the focus (only the y = 1 rows' tint
showed, so the diagram's x1 = 1 stood beside a tinted x1 = 0 row), and the unit's
"g = … θ = …" stays inside its circle (NOR and NOT spilled over the rim, under the
inhibitory inputs' rings)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette

from tests.views.projector_window import projector_window, set_presentation, settle


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory):
    yield from projector_window((1024, 768), tmp_path_factory, "mp")


@pytest.mark.parametrize("preset", ["NOT", "NOR", "AND", "OR"])
def test_the_computed_row_is_marked_and_the_unit_text_fits_its_circle(window, qtbot, preset):
    win = window
    assert win.open_lesson("mp-neuron")
    set_presentation(win, qtbot, True)
    lab = win.current_lab
    page = lab.mp_page
    combo = page.preset   # chosen by arrow keys, as a user would
    combo.setFocus()
    want = combo.findText(preset)
    key = Qt.Key.Key_Down if want > combo.currentIndex() else Qt.Key.Key_Up
    for _ in range(combo.count()):
        if combo.currentIndex() == want:
            break
        qtbot.keyClick(combo, key)
    settle()
    assert lab.ctl.mp_preset == preset
    table = page.table
    win.setFocus()   # the table has not got the focus
    settle()
    r = table.currentRow()
    assert [i.row() for i in table.selectionModel().selectedRows()] == [r]
    pal = table.palette()
    assert pal.color(QPalette.ColorGroup.Inactive, QPalette.ColorRole.Highlight) == \
        pal.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    t = lab.ctl.mp_table()
    labels = [item.textItem.toPlainText() for item in page.labels]
    n = lab.ctl.mp.n
    assert [s.split(" = ")[1].split(" ")[0] for s in labels[:n]] == [str(v) for v in
                                                                     t.inputs[r]]
    # the unit's text inside its circle
    text = page.labels[n]
    assert text.textItem.toPlainText().startswith(f"g = {t.g[r]}")
    box = text.mapRectToScene(text.boundingRect())
    circle = page.unit_item.mapRectToScene(page.unit_item.rect())
    inner = circle.adjusted(circle.width() * 0.1, circle.height() * 0.1,
                            -circle.width() * 0.1, -circle.height() * 0.1)
    assert inner.contains(box), (box.getRect(), circle.getRect())
    assert text.textItem.font().pointSizeF() >= 10   # still readable: the circle grew
    set_presentation(win, qtbot, False)
