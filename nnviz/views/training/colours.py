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


def diverging(v: np.ndarray, lo: float, hi: float, style: Style, steps: bool = False) -> np.ndarray:
    """Values (h, w) to RGBA uint8 (h, w, 4): negative colour at lo, white mid, positive at hi."""
    mid = 0.5 * (lo + hi)
    t = np.clip((np.nan_to_num(v, nan=mid) - mid) / (0.5 * (hi - lo) or 1.0), -1.0, 1.0)
    if steps:
        t = np.where(t >= 0, 0.75, -0.75)
    white = np.full(3, 255.0)
    pos, neg = rgb(style.positive), rgb(style.negative)
    a = np.abs(t)[..., None] * 0.85
    col = np.where(t[..., None] >= 0, white * (1 - a) + pos * a, white * (1 - a) + neg * a)
    out = np.empty(v.shape + (4,), dtype=np.uint8)
    out[..., :3] = col.astype(np.uint8)
    out[..., 3] = 255
    return out


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
