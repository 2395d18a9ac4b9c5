"""Small widget factories the panels share."""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox


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
