"""Colour images of neuron values for the decision maps and weight images (drawing only)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage, QPixmap

from nnviz.views.style import OKABE_ITO, Style

#: class colours (colour-blind safe); for two classes class 1 uses the style's positive colour
CLASS_COLOURS = [OKABE_ITO[k] for k in ("vermillion", "blue", "green", "purple", "orange",
                                        "sky_blue", "yellow", "black")] + ["#777777", "#AA4499"]


def rgb(hex_colour: str) -> np.ndarray:
    c = QColor(hex_colour)
    return np.array([c.red(), c.green(), c.blue()], dtype=np.float64)


def class_colour(k: int, n_classes: int, style: Style) -> str:
    if n_classes <= 2:
        return style.positive if k == 1 else style.negative
    return CLASS_COLOURS[k % len(CLASS_COLOURS)]


def _lut(style: Style) -> np.ndarray:
    """256 RGBA colours from the negative colour through white to the positive colour."""
    key = (style.positive, style.negative)
    if key not in _LUTS:
        t = np.linspace(-1.0, 1.0, 256)[:, None]
        a = np.abs(t) * 0.85
        white = np.full(3, 255.0)
        col = np.where(t >= 0, white * (1 - a) + rgb(style.positive) * a,
                       white * (1 - a) + rgb(style.negative) * a)
        lut = np.full((256, 4), 255, dtype=np.uint8)
        lut[:, :3] = np.round(col).astype(np.uint8)
        _LUTS[key] = lut
    return _LUTS[key]


_LUTS: dict[tuple[str, str], np.ndarray] = {}


def diverging(v: np.ndarray, lo: float, hi: float, style: Style, steps: bool = False) -> np.ndarray:
    """Values (any shape) to RGBA uint8 (shape + (4,)): negative colour at lo, white at the
    middle, positive colour at hi (a 256-colour table; NaN shows as the middle)."""
    mid = 0.5 * (lo + hi)
    half = 0.5 * (hi - lo) or 1.0
    t = np.clip((np.nan_to_num(v, nan=mid, posinf=hi, neginf=lo) - mid) / half, -1.0, 1.0)
    if steps:
        t = np.where(t >= 0, 0.75, -0.75)
    idx = ((t + 1.0) * 127.5).astype(np.uint8)
    return _lut(style)[idx]


def classes_image(p: np.ndarray, style: Style, steps: bool = False) -> np.ndarray:
    """Class probabilities (h, w, k) to RGBA: the likeliest class's colour, paler when unsure."""
    k = p.shape[-1]
    best = np.argmax(p, axis=-1)
    conf = np.nan_to_num(np.max(p, axis=-1))
    strength = np.ones_like(conf) * 0.7 if steps else np.clip((conf - 1 / k) / (1 - 1 / k), 0, 1) * 0.7
    cols = np.array([rgb(class_colour(i, k, style)) for i in range(k)])
    col = 255.0 * (1 - strength[..., None]) + cols[best] * strength[..., None]
    out = np.empty(p.shape[:2] + (4,), dtype=np.uint8)
    out[..., :3] = col.astype(np.uint8)
    out[..., 3] = 255
    return out


def pixmap(rgba: np.ndarray, w: int, h: int, flip: bool = True) -> QPixmap:
    """An RGBA array (rows, cols, 4) as a pixmap of w x h pixels (row 0 at the bottom if flip)."""
    arr = np.ascontiguousarray(rgba[::-1] if flip else rgba)
    img = QImage(arr.data, arr.shape[1], arr.shape[0], arr.strides[0], QImage.Format.Format_RGBA8888)
    return QPixmap.fromImage(img.copy()).scaled(w, h)
