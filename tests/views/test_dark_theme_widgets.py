"""The dark theme reaches every widget: the error-surface lab's small network graph and
disabled controls are drawn dark, not in Qt's light defaults. Real window, View menu."""

from __future__ import annotations

from PySide6.QtGui import QPalette


def _lightness(widget, x_frac=0.5, y_frac=0.5) -> int:
    img = widget.grab().toImage()
    return img.pixelColor(int(img.width() * x_frac), int(img.height() * y_frac)).lightness()


def _median_lightness(widget) -> int:
    """The middle row's median lightness: the box's fill, whatever text lies on it (one
    pixel at 10 % across fell on the parameter's name once it was written w²₁₁)."""
    img = widget.grab().toImage()
    y = img.height() // 2
    row = sorted(img.pixelColor(x, y).lightness() for x in range(img.width()))
    return row[len(row) // 2]


def test_dark_theme_reaches_the_picker_graph_and_disabled_widgets(main_window, qtbot):
    win = main_window
    assert win.open_lesson("xor-landscape")
    lab = win.current_lab
    page = lab.page
    qtbot.waitUntil(lambda: page.picker.graph.isVisible())
    win.act_dark.trigger()
    qtbot.wait(50)
    try:
        graph = page.picker.graph
        assert _lightness(graph, 0.02, 0.05) < 60        # background, not white
        disabled = [c for c in (page.x_param, page.y_param) if not c.isEnabled()]
        assert disabled, "the PCA plane disables the parameter lists"
        for c in disabled:
            pal = c.palette()
            for role in (QPalette.ColorRole.Button, QPalette.ColorRole.Base,
                         QPalette.ColorRole.Window, QPalette.ColorRole.Light,
                         QPalette.ColorRole.Midlight):
                assert pal.color(QPalette.ColorGroup.Disabled, role).lightness() < 90, role
            assert _median_lightness(c) < 90               # drawn dark
            text = pal.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
            assert 90 < text.lightness() < 200            # muted, still readable
    finally:
        win.act_dark.trigger()


def test_a_lab_first_shown_in_presentation_mode_has_normal_boxes_after_it(main_window, qtbot):
    """Combo boxes of labs first shown in F5 come back to their normal height when F5 is
    left (Qt kept their minimum size hint from the large type: 33-35 px boxes for 24 px
    in the Universality and Error-surface labs), as those of labs built before F5 do."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox

    win = main_window

    def heights() -> dict[str, tuple[int, int]]:
        lab = win.current_lab
        return {f"{lab.name}/{c.objectName() or c.currentText()}": (c.height(),
                                                                   c.sizeHint().height())
                for c in lab.findChildren(QComboBox) if c.isVisible()}

    qtbot.keyClick(win, Qt.Key.Key_F5)
    for key in (Qt.Key.Key_2, Qt.Key.Key_3):   # built now, in the large type
        qtbot.keyClick(win, key, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait(10)
        big = heights()
        assert big and all(h >= 30 for h, _hint in big.values()), big
    qtbot.keyClick(win, Qt.Key.Key_F5)
    for key in (Qt.Key.Key_2, Qt.Key.Key_3):
        qtbot.keyClick(win, key, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait(10)
        shown = heights()
        assert shown and all(h == hint < 30 for h, hint in shown.values()), shown
