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
        return "#FFFFFF" if self.theme == "light" else "#15181C"

    @property
    def foreground(self) -> str:
        return "#111111" if self.theme == "light" else "#EDEDED"

    @property
    def muted(self) -> str:
        return "#8A8F98" if self.theme == "light" else "#7B818A"

    def pt(self, size: float) -> float:
        """A font size in points, scaled for presentation."""
        return size * self.scale


_current = Style()


def current_style() -> Style:
    return _current


def set_current_style(style: Style) -> None:
    global _current
    _current = style
