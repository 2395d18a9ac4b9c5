"""`nnviz screenshot` really applies --presentation and --theme."""

from __future__ import annotations

from PySide6.QtGui import QImage

from nnviz.app import render_screenshot
from nnviz.views.style import Style, current_style


def _mean_luma(img: QImage) -> float:
    total = n = 0
    for y in range(0, img.height(), 9):
        for x in range(0, img.width(), 9):
            c = img.pixelColor(x, y)
            total += 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue()
            n += 1
    return total / n


def _dark_rows(img: QImage, x: int) -> int:
    return sum(1 for y in range(img.height()) if img.pixelColor(x, y).lightness() < 100)


def test_presentation_and_theme_change_the_picture(qapp, tmp_path):
    shots = {}
    for name, pres, theme in [("plain", False, "light"), ("pres", True, "light"),
                              ("dark", False, "dark")]:
        out = tmp_path / f"{name}.png"
        render_screenshot("mazur-2-2-2", None, 0, (1280, 720), pres, theme, str(out))
        img = QImage(str(out))
        assert not img.isNull() and (img.width(), img.height()) == (1280, 720)
        shots[name] = img
    assert current_style() == Style()  # nothing leaks into the next run
    assert _mean_luma(shots["dark"]) < _mean_luma(shots["plain"]) - 80
    # larger type: more dark (ink) pixels across the text column
    ink = sum(_dark_rows(shots["pres"], x) for x in range(10, 300, 3))
    ink_plain = sum(_dark_rows(shots["plain"], x) for x in range(10, 300, 3))
    assert ink > ink_plain * 1.3


def test_screenshots_of_the_picker_and_the_shortcut_sheet(qapp, tmp_path):
    """--overlay opens the lesson picker or the shortcut sheet over the lab: its orange
    frame is in the picture, and not in the plain one."""
    def orange_rows(img: QImage) -> int:
        x = img.width() // 30 + 1      # the overlay panel's left border
        return sum(1 for y in range(img.height())
                   if (lambda c: c.red() > 200 and 130 < c.green() < 180 and c.blue() < 60)(
                       img.pixelColor(x, y)))

    seen = {}
    for overlay in (None, "lessons", "shortcuts"):
        out = tmp_path / f"{overlay}.png"
        render_screenshot("mazur-2-2-2", None, 0, (1280, 720), False, "light", str(out),
                          overlay=overlay)
        seen[overlay] = orange_rows(QImage(str(out)))
    assert seen[None] < 50
    assert seen["lessons"] > 500 and seen["shortcuts"] > 500


def _highlight_rows(img: QImage, top: int) -> int:
    """Rows of the top ``top`` pixels mostly in the highlight orange (a frame's border)."""
    def orange(c) -> bool:
        return c.red() > 200 and 130 < c.green() < 180 and c.blue() < 60
    return sum(1 for y in range(top)
               if sum(orange(img.pixelColor(x, y)) for x in range(0, img.width(), 8))
               > img.width() // 16)


def test_keys_are_pressed_before_the_shot(qapp, tmp_path):
    """--keys presses keys after the steps: "Q Right" turns the Training lab's predict mode
    on and takes a step, whose losses are hidden: the orange-framed question bar is in the
    picture (not in the plain one)."""
    import subprocess
    import sys
    from pathlib import Path

    seen = {}
    for keys in (None, "Q Right"):
        out = tmp_path / f"{keys}.png"
        render_screenshot("spiral", "training", 3, (1024, 768), True, "light", str(out),
                          keys=keys)
        seen[keys] = _highlight_rows(QImage(str(out)), 250)
    assert seen[None] == 0 and seen["Q Right"] >= 2
    # a key Qt does not know: a clear message, no picture, no traceback
    root = Path(__file__).resolve().parent.parent.parent
    out = tmp_path / "bad.png"
    r = subprocess.run([sys.executable, "-m", "nnviz", "screenshot", "--lesson", "spiral",
                        "--keys", "Q Sideways", "--out", str(out)], capture_output=True,
                       text=True, timeout=120, cwd=root,
                       env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 2 and "unknown key 'Sideways'" in r.stderr
    assert "Traceback" not in r.stderr and not out.exists()
