"""Colours, fonts and the presentation scale shared by all views.

Colours are colour-blind safe (Okabe-Ito). Views read the current style from
``current_style()`` and redraw when the main window announces a change.
"""

from __future__ import annotations

from dataclasses import dataclass

OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}


@dataclass(frozen=True)
class Style:
    """What every view needs to draw consistently."""

    theme: str = "light"          # "light" or "dark"
    presentation: bool = False
    scale: float = 1.0            # font and stroke scale (presentation enlarges)
    positive: str = OKABE_ITO["blue"]        # positive weights
    negative: str = OKABE_ITO["vermillion"]  # negative weights
    gradient: str = OKABE_ITO["purple"]      # backward-pass quantities
    highlight: str = OKABE_ITO["orange"]     # the active neuron
    accent: str = OKABE_ITO["green"]

    @property
    def background(self) -> str:
        if self.presentation:  # maximum contrast on a projector
            return "#FFFFFF" if self.theme == "light" else "#000000"
        return "#FFFFFF" if self.theme == "light" else "#15181C"

    @property
    def foreground(self) -> str:
        if self.presentation:
            return "#000000" if self.theme == "light" else "#FFFFFF"
        return "#111111" if self.theme == "light" else "#EDEDED"

    @property
    def muted(self) -> str:
        if self.presentation:
            return "#505560" if self.theme == "light" else "#B0B5BD"
        return "#8A8F98" if self.theme == "light" else "#7B818A"

    @property
    def panel(self) -> str:
        """Background of panels and text fields."""
        if self.theme == "light":
            return "#F2F2F2" if not self.presentation else "#FFFFFF"
        return "#22262C" if not self.presentation else "#0A0A0A"

    def pt(self, size: float) -> float:
        """A font size in points, scaled for presentation."""
        return size * self.scale


#: presentation scale: at 1280x720 a 9-point UI font becomes about 16 points, readable from
#: the back of a classroom; strokes widen by the same factor
PRESENTATION_SCALE = 1.75


def make_style(theme: str = "light", presentation: bool = False) -> Style:
    """The style of a theme, in presentation mode or not."""
    if theme not in ("light", "dark"):
        raise ValueError(f"theme must be light or dark, not {theme!r}")
    extra = {"positive": OKABE_ITO["sky_blue"]} if theme == "dark" else {}  # blue is too dark
    return Style(theme=theme, presentation=presentation,
                 scale=PRESENTATION_SCALE if presentation else 1.0, **extra)


_current = Style()


def current_style() -> Style:
    return _current


def set_current_style(style: Style) -> None:
    global _current
    _current = style
