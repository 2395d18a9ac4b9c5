"""Small widget factories the panels share."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QDoubleSpinBox

#: transport glyphs every stock font has (DejaVu Sans: ▶ U+25B6, ◀ U+25C0, ▮ U+25AE;
#: it has no ⏸ U+23F8, which showed as a missing-glyph box)
PLAY = "▶"
BACK = "◀"
PAUSE = "▮▮"


def spin_box(lo: float, hi: float, decimals: int, step: float | None = None,
             special: str = "") -> QDoubleSpinBox:
    """A number box over [lo, hi] that reports a value when editing is done, not at
    every typed digit (typing "0.25" must not apply 0, then 0.2)."""
    s = QDoubleSpinBox()
    s.setRange(lo, hi)
    s.setDecimals(decimals)
    if step is not None:
        s.setSingleStep(step)
    if special:
        s.setSpecialValueText(special)
    s.setKeyboardTracking(False)
    return s


def fix_width(button: QAbstractButton, *texts: str) -> None:
    """Give ``button`` one width that fits each of ``texts`` (e.g. Play and Pause), so
    it and the buttons beside it never move when its text changes."""
    now = button.text()
    width = 0
    for t in texts or (now,):
        button.setText(t)
        width = max(width, button.sizeHint().width())
    button.setText(now)
    button.setFixedWidth(width)
