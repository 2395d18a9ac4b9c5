"""Data augmentation of the 8×8 digits (notes 003): shifted and slightly rotated copies.

A shift moves the image by whole pixels and fills the uncovered edge with blank paper
(0). A rotation turns it about its centre (3.5, 3.5) by a small angle, each new pixel
read from the old image by bilinear interpolation (0 outside it). Copies keep their
digit's label.
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray
SIDE = 8
SHIFTS: tuple[tuple[int, int], ...] = ((1, 0), (-1, 0), (0, 1), (0, -1))  # (dx, dy)
ANGLES: tuple[float, ...] = (-10.0, 10.0)


def _images(x: Array) -> Array:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] != SIDE * SIDE:
        raise ValueError(f"expected images as rows of {SIDE * SIDE} pixels")
    return x.reshape(-1, SIDE, SIDE)


def shift(x: Array, dx: int, dy: int) -> Array:
    """Every image (rows of 64 pixels) moved dx pixels right and dy down, 0 filled in."""
    img = _images(x)
    out = np.zeros_like(img)
    h = w = SIDE
    src_r = slice(max(0, -dy), h - max(0, dy))
    dst_r = slice(max(0, dy), h - max(0, -dy))
    src_c = slice(max(0, -dx), w - max(0, dx))
    dst_c = slice(max(0, dx), w - max(0, -dx))
    out[:, dst_r, dst_c] = img[:, src_r, src_c]
    return out.reshape(len(img), -1)


def rotate(x: Array, degrees: float) -> Array:
    """Every image turned ``degrees`` anticlockwise about its centre (bilinear, 0 outside)."""
    img = _images(x)
    c = (SIDE - 1) / 2.0
    t = np.deg2rad(degrees)
    r, q = np.mgrid[0:SIDE, 0:SIDE].astype(np.float64)
    # the source of output pixel (r, q): the inverse rotation of its offset from the centre
    u, v = q - c, r - c
    sq = np.cos(t) * u - np.sin(t) * v + c
    sr = np.sin(t) * u + np.cos(t) * v + c
    r0, q0 = np.floor(sr).astype(int), np.floor(sq).astype(int)
    fr, fq = sr - r0, sq - q0
    out = np.zeros_like(img)
    for dr, dq, wgt in ((0, 0, (1 - fr) * (1 - fq)), (0, 1, (1 - fr) * fq),
                        (1, 0, fr * (1 - fq)), (1, 1, fr * fq)):
        rr, qq = r0 + dr, q0 + dq
        ok = (rr >= 0) & (rr < SIDE) & (qq >= 0) & (qq < SIDE)
        out[:, ok] += wgt[ok] * img[:, rr[ok], qq[ok]]
    return out.reshape(len(img), -1)


def augment(x: Array, labels: Array, shifts: tuple[tuple[int, int], ...] = SHIFTS,
            angles: tuple[float, ...] = ANGLES) -> tuple[Array, Array]:
    """The originals followed by each shifted and each rotated copy, with their labels:
    n · (1 + len(shifts) + len(angles)) images."""
    labels = np.asarray(labels, dtype=int).reshape(-1)
    if len(labels) != len(_images(x)):
        raise ValueError("one label per image")
    parts = [np.asarray(x, dtype=np.float64)]
    parts += [shift(x, dx, dy) for dx, dy in shifts]
    parts += [rotate(x, a) for a in angles]
    return np.concatenate(parts), np.tile(labels, len(parts))
