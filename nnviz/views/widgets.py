"""Small widget factories the panels share."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QAbstractButton, QDoubleSpinBox, QLabel

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


class FittingLabel(QLabel):
    """One line of plain text: the longest of its variants that fits its width. It asks
    for the longest but makes do with the shortest, so in a crowded row it gives way to
    the widgets beside it instead of squeezing their texts."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._variants = [""]

    def set_variants(self, variants: list[str]) -> None:
        """The texts to choose from, longest (most complete) first."""
        variants = list(variants) or [""]
        if variants != self._variants:
            self._variants = variants
            self.updateGeometry()
        self._choose()

    def _width(self, text: str) -> int:
        m = self.contentsMargins()
        return self.fontMetrics().horizontalAdvance(text) + m.left() + m.right() + 1

    def _choose(self) -> None:
        text = next((v for v in self._variants if self._width(v) <= self.width()),
                    self._variants[-1])
        if text != self.text():
            self.setText(text)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(self._width(self._variants[0]), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(self._width(self._variants[-1]), super().minimumSizeHint().height())

    def resizeEvent(self, ev) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(ev)
        self._choose()

    def changeEvent(self, ev) -> None:  # noqa: N802 - Qt API
        super().changeEvent(ev)
        if ev.type() == QEvent.Type.FontChange:
            self.updateGeometry()
            self._choose()
