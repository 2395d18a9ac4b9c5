"""Colour images of neuron values for the decision maps and weight images (drawing only)."""

from __future__ import annotations

import sys

import numpy as np
from PySide6.QtGui import QColor

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


def _levels(v: np.ndarray, lo: float, hi: float, steps: bool) -> np.ndarray:
    """Values to indices 0..255 of the colour table, C order whatever v's layout: lo to 0,
    hi to 255 (clipped), NaN to the middle. Four passes over the values when they are all
    finite (one sum tells): every hidden neuron's map goes through here each frame."""
    mid = 0.5 * (lo + hi)
    a = 127.5 / (0.5 * (hi - lo) or 1.0)
    t = np.multiply(v, a, dtype=np.float64)
    t += 127.5 - mid * a
    if not np.isfinite(t.sum()):              # NaN shows as the middle (+-inf: clipped)
        np.copyto(t, 127.5, where=np.isnan(t))
    if steps:
        return np.where(t >= 127.5, np.uint8(223), np.uint8(31))
    np.clip(t, 0.0, 255.0, out=t)
    return t.astype(np.uint8, order="C")


def diverging(v: np.ndarray, lo: float, hi: float, style: Style, steps: bool = False) -> np.ndarray:
    """Values (any shape) to RGBA uint8 (shape + (4,)): negative colour at lo, white at the
    middle, positive colour at hi (a 256-colour table; NaN shows as the middle).

    One temporary array and one 32-bit table look-up per value: it colours every
    hidden neuron's map on every training frame.
    """
    idx = _levels(v, lo, hi, steps)
    lut = _lut(style).view(np.uint32).reshape(256)
    return np.take(lut, idx).view(np.uint8).reshape(idx.shape + (4,))


def diverging_rgb32(v: np.ndarray, lo: float, hi: float, style: Style) -> np.ndarray:
    """The colours of :func:`diverging` as ``QImage.Format_RGB32`` pixels (uint32
    0xffRRGGBB, v's shape, C-contiguous): a stack of maps becomes one image without a
    copy per map or a reordering of bytes."""
    key = (style.positive, style.negative)
    if key not in _LUTS32:
        c = _lut(style).astype(np.uint32)
        _LUTS32[key] = (0xFF << 24) | (c[:, 0] << 16) | (c[:, 1] << 8) | c[:, 2]
    return np.take(_LUTS32[key], _levels(v, lo, hi, False))


_LUTS32: dict[tuple[str, str], np.ndarray] = {}


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


#: where R, G, B, A of an RGBA pixel go in a QImage.Format_RGB32 pixel (0xffRRGGBB in the
#: machine's byte order: B, G, R, A in memory on a little-endian machine)
_RGB32_ORDER = [2, 1, 0, 3] if sys.byteorder == "little" else [3, 0, 1, 2]


def rgb32(rgba: np.ndarray) -> np.ndarray:
    """Opaque RGBA uint8 images (..., 4) as a new C-contiguous array in the byte layout of
    ``QImage.Format_RGB32``. Qt draws that format (its own) scaled into a widget about 10x
    faster than RGBA8888, which it converts first (7 µs against 45 µs for a 50x50 map with
    antialiasing on, measured); the maps are opaque, so nothing is lost."""
    return np.ascontiguousarray(rgba[..., _RGB32_ORDER], dtype=np.uint8)
