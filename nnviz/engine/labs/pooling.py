"""Max and average pooling forward and backward, shapes (N, C, H, W).

Each channel is pooled on its own: the window (size × size) moves by ``stride``
over the (padded) map, and the output cell is the maximum of the window (max
pooling) or the mean of its size² cells (average pooling). Padding adds cells
that never win a maximum (−∞) and count as 0 in an average (the window's
divisor stays size², as PyTorch's default ``count_include_pad``).

Backward: max pooling routes each output gradient to the one cell that was the
maximum (the first in reading order on a tie); average pooling spreads it
evenly, 1/size² to every cell of the window. Overlapping windows add up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.engine.labs.conv import output_size, pad, windows

Array = np.ndarray
MODES = ("max", "average")


@dataclass
class PoolCache:
    """What the backward pass needs: the input shape, the settings, the winners."""

    x_shape: tuple[int, ...]
    mode: str
    size: int
    stride: int
    padding: int
    argmax: Array | None     # (N, C, OH, OW): index u·size + v of the maximum in its window


def pool2d_forward(x: Array, size: int = 2, stride: int = 2, mode: str = "max",
                   padding: int = 0) -> tuple[Array, PoolCache]:
    """Pool ``x`` (N, C, H, W); returns (out (N, C, OH, OW), cache)."""
    if mode not in MODES:
        raise ValueError(f"unknown pooling {mode!r}; choose one of {', '.join(MODES)}")
    if padding * 2 > size:
        raise ValueError("pooling padding must be at most half the window")
    x = np.asarray(x, dtype=np.float64)
    n, c, h, w = x.shape
    output_size(h, size, stride, padding)
    output_size(w, size, stride, padding)
    fill = -np.inf if mode == "max" else 0.0
    win = windows(pad(x, padding, fill), size, size, stride)   # (N, C, OH, OW, s, s)
    flat = win.reshape(*win.shape[:4], size * size)
    if mode == "max":
        arg = np.argmax(flat, axis=-1)
        out = np.take_along_axis(flat, arg[..., None], axis=-1)[..., 0]
        return out, PoolCache(x.shape, mode, size, stride, padding, arg)
    out = flat.sum(axis=-1) / (size * size)
    return out, PoolCache(x.shape, mode, size, stride, padding, None)


def pool2d_backward(dout: Array, cache: PoolCache) -> Array:
    """dC/dx (N, C, H, W) given dout = dC/d(out), shape (N, C, OH, OW)."""
    n, c, h, w = cache.x_shape
    s, st, p = cache.size, cache.stride, cache.padding
    oh, ow = dout.shape[2:]
    dxp = np.zeros((n, c, h + 2 * p, w + 2 * p))
    for u in range(s):             # one strided addition per window offset
        for v in range(s):
            if cache.mode == "max":
                part = np.where(cache.argmax == u * s + v, dout, 0.0)
            else:
                part = dout / (s * s)
            dxp[:, :, u:u + st * oh:st, v:v + st * ow:st] += part
    if p:
        return dxp[:, :, p:-p, p:-p]
    return dxp


def pool2d(x: Array, size: int = 2, stride: int = 2, mode: str = "max",
           padding: int = 0) -> Array:
    """The forward pass only: shape (N, C, OH, OW)."""
    return pool2d_forward(x, size, stride, mode, padding)[0]
