"""2-D convolution (the deep-learning convention: cross-correlation) forward and backward.

Shapes follow the (batch, channels, height, width) layout:

- input ``x``: (N, C, H, W)
- kernels ``w``: (K, C, kh, kw) — K kernels, each spanning all C input channels
  (the notes' "M×N×3 image with a 3×3×3 kernel" is C = 3)
- biases ``b``: (K,)
- output: (N, K, OH, OW) with OH = (H + 2p − kh) // s + 1 (likewise OW)

The output cell (i, j) of kernel k is the dot product of the kernel with the
patch of the (zero-padded) input whose top-left corner is (i·s, j·s), plus b_k:
``out[n, k, i, j] = Σ_c Σ_u Σ_v w[k, c, u, v] · xp[n, c, i·s + u, j·s + v] + b[k]``.

The forward pass gathers every patch with NumPy stride tricks (im2col) and
does one matrix product; the backward pass scatters the patch gradients back
with one strided addition per kernel offset (kh·kw of them), never a Python
loop over pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

Array = np.ndarray


def output_size(size: int, k: int, stride: int, padding: int) -> int:
    """Length of the output along one axis; ValueError if the window does not fit."""
    if k < 1 or stride < 1 or padding < 0:
        raise ValueError("kernel size and stride must be >= 1 and padding >= 0")
    span = size + 2 * padding - k
    if span < 0:
        raise ValueError(f"a {k}-wide window does not fit in {size} cells with padding "
                         f"{padding}")
    return span // stride + 1


def pad(x: Array, padding: int, value: float = 0.0) -> Array:
    """``x`` (N, C, H, W) with ``padding`` cells of ``value`` on every side of H and W."""
    if padding == 0:
        return x
    return np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)),
                  constant_values=value)


def windows(xp: Array, kh: int, kw: int, stride: int) -> Array:
    """A read-only view of every window: shape (N, C, OH, OW, kh, kw), no copy."""
    v = sliding_window_view(xp, (kh, kw), axis=(2, 3))
    return v[:, :, ::stride, ::stride]


def im2col(x: Array, kh: int, kw: int, stride: int = 1, padding: int = 0) -> Array:
    """Every patch of ``x`` (N, C, H, W) as a row: shape (N·OH·OW, C·kh·kw).

    Rows run over n, then output row i, then output column j; a row's entries run
    over channel c, then kernel row u, then kernel column v (the layout of
    ``w.reshape(K, -1)``).
    """
    n, c = x.shape[:2]
    win = windows(pad(x, padding), kh, kw, stride)          # (N, C, OH, OW, kh, kw)
    oh, ow = win.shape[2:4]
    return win.transpose(0, 2, 3, 1, 4, 5).reshape(n * oh * ow, c * kh * kw)


def col2im(cols: Array, x_shape: tuple[int, ...], kh: int, kw: int, stride: int,
           padding: int) -> Array:
    """Adjoint of :func:`im2col`: add each row's entries back onto the input cells they
    came from (cells covered by several patches receive the sum)."""
    n, c, h, w = x_shape
    oh = output_size(h, kh, stride, padding)
    ow = output_size(w, kw, stride, padding)
    g = cols.reshape(n, oh, ow, c, kh, kw)
    xp = np.zeros((n, c, h + 2 * padding, w + 2 * padding))
    for u in range(kh):            # one strided addition per kernel offset
        for v in range(kw):
            xp[:, :, u:u + stride * oh:stride, v:v + stride * ow:stride] += \
                g[:, :, :, :, u, v].transpose(0, 3, 1, 2)
    if padding:
        return xp[:, :, padding:-padding, padding:-padding]
    return xp


@dataclass
class ConvCache:
    """What the backward pass needs from the forward pass."""

    x_shape: tuple[int, ...]
    cols: Array          # (N·OH·OW, C·kh·kw)
    stride: int
    padding: int


def conv2d_forward(x: Array, w: Array, b: Array, stride: int = 1,
                   padding: int = 0) -> tuple[Array, ConvCache]:
    """Convolve ``x`` (N, C, H, W) with kernels ``w`` (K, C, kh, kw) and add ``b`` (K,).

    Returns
    -------
    out : ndarray, shape (N, K, OH, OW)
    cache : ConvCache for :func:`conv2d_backward`
    """
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64).reshape(-1)
    if x.ndim != 4 or w.ndim != 4 or x.shape[1] != w.shape[1] or b.shape != (w.shape[0],):
        raise ValueError(f"shapes do not match: input {x.shape}, kernels {w.shape}, "
                         f"biases {b.shape}")
    n, _, h, wd = x.shape
    k, _, kh, kw = w.shape
    oh, ow = output_size(h, kh, stride, padding), output_size(wd, kw, stride, padding)
    cols = im2col(x, kh, kw, stride, padding)
    out = cols @ w.reshape(k, -1).T + b                      # (N·OH·OW, K)
    out = out.reshape(n, oh, ow, k).transpose(0, 3, 1, 2)
    return np.ascontiguousarray(out), ConvCache(x.shape, cols, stride, padding)


def conv2d_backward(dout: Array, w: Array, cache: ConvCache,
                    need_dx: bool = True) -> tuple[Array | None, Array, Array]:
    """Gradients of a scalar C given ``dout`` = dC/d(out), shape (N, K, OH, OW).

    Returns (dC/dx (N, C, H, W) or None if not ``need_dx``, dC/dw (K, C, kh, kw),
    dC/db (K,)). dC/dw[k] is the correlation of the input with δ_k = dout[:, k]:
    ``dw[k, c, u, v] = Σ_n Σ_i Σ_j δ[n, k, i, j] · xp[n, c, i·s + u, j·s + v]``.
    """
    k, c, kh, kw = w.shape
    d = dout.transpose(0, 2, 3, 1).reshape(-1, k)            # (N·OH·OW, K)
    dw = (d.T @ cache.cols).reshape(w.shape)
    db = dout.sum(axis=(0, 2, 3))
    dx = None
    if need_dx:
        dcols = d @ w.reshape(k, -1)
        dx = col2im(dcols, cache.x_shape, kh, kw, cache.stride, cache.padding)
    return dx, dw, db


def conv2d(x: Array, w: Array, b: Array, stride: int = 1, padding: int = 0) -> Array:
    """The forward pass only: shape (N, K, OH, OW)."""
    return conv2d_forward(x, w, b, stride, padding)[0]
