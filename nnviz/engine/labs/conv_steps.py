"""The convolution lab's arithmetic, one output cell at a time.

A *cell* of a feature map is the dot product of the kernel with one patch of the
(zero-padded) image, plus the bias; a *pool cell* is the maximum or the average
of one window of the (ReLU'd) feature map. These records hold every number a
view or the worked example prints: the patch, the kernel, the products, their
sum. The whole maps come from :mod:`nnviz.engine.labs.conv` / :mod:`~nnviz.engine.labs.pooling`
(the training path); the tests check both agree.

Images are (C, H, W) arrays (C = 1 grey, 3 RGB), kernels (C, k, k).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nnviz.engine.labs.conv import conv2d, output_size
from nnviz.engine.labs.pooling import pool2d

Array = np.ndarray

#: 3×3 kernel presets (for RGB every channel gets the same 3×3 pattern)
PRESETS: dict[str, tuple[str, list[list[float]]]] = {
    "edge_vertical": ("Vertical edge", [[1, 0, -1], [1, 0, -1], [1, 0, -1]]),
    "edge_horizontal": ("Horizontal edge", [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]),
    "blur": ("Blur (box)", [[1 / 9] * 3] * 3),
    "sharpen": ("Sharpen", [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "identity": ("Identity", [[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
}


def preset_kernel(name: str, channels: int = 1, size: int = 3) -> Array:
    """The preset ``name`` as a (channels, size, size) kernel (centred in a larger one;
    cropped to the middle of a smaller one)."""
    if name not in PRESETS:
        raise ValueError(f"unknown kernel {name!r}; choose one of {', '.join(PRESETS)}")
    base = np.array(PRESETS[name][1], dtype=np.float64)
    k = np.zeros((size, size))
    if size >= 3:
        o = (size - 3) // 2
        k[o:o + 3, o:o + 3] = base
    else:
        o = (3 - size) // 2
        k[:] = base[o:o + size, o:o + size]
    return np.repeat(k[None], channels, axis=0)


def rgb_image(height: int = 7, width: int = 7) -> Array:
    """nnviz's small colour picture (3, H, W) in [0, 1]: a red square on a blue sky
    over green grass, with a yellow sun in the top right corner."""
    img = np.zeros((3, height, width))
    horizon = (2 * height) // 3
    img[2, :horizon] = 0.8                      # sky
    img[1, horizon:] = 0.7                      # grass
    img[0, horizon:] = 0.1
    top, left = max(0, horizon - 3), max(0, width // 2 - 2)
    img[:, top:horizon, left:left + 3] = [[[0.9]], [[0.1]], [[0.1]]]   # red house
    img[:, 0:2, width - 2:width] = [[[1.0]], [[0.9]], [[0.0]]]          # sun
    return img


@dataclass(frozen=True)
class ConvCell:
    """The arithmetic of one output cell (row, col) of a feature map.

    ``top``, ``left``: the patch's corner in the padded image; ``patch``, ``kernel``,
    ``products``: (C, k, k); ``total`` = the sum of the products; ``value`` = total + bias.
    """

    row: int
    col: int
    top: int
    left: int
    patch: Array
    kernel: Array
    products: Array
    total: float
    bias: float

    @property
    def value(self) -> float:
        return self.total + self.bias


@dataclass(frozen=True)
class PoolCell:
    """One pooling window: output (row, col), corner (top, left), the window's values,
    the result, and for max pooling the winning cell (u, v) inside the window."""

    row: int
    col: int
    top: int
    left: int
    window: Array
    mode: str
    value: float
    winner: tuple[int, int] | None


def map_shape(h: int, w: int, k: int, stride: int, padding: int) -> tuple[int, int]:
    """(OH, OW) of the output of a k×k window (ValueError if it does not fit)."""
    return output_size(h, k, stride, padding), output_size(w, k, stride, padding)


def padded(image: Array, padding: int) -> Array:
    """(C, H, W) with ``padding`` zero cells around every channel."""
    return np.pad(image, ((0, 0), (padding, padding), (padding, padding)))


def conv_cell(image: Array, kernel: Array, bias: float, stride: int, padding: int,
              index: int) -> ConvCell:
    """Output cell number ``index`` (reading order) of the image convolved with the kernel."""
    c, h, w = image.shape
    k = kernel.shape[-1]
    oh, ow = map_shape(h, w, k, stride, padding)
    if not 0 <= index < oh * ow:
        raise IndexError(f"cell {index} outside the {oh}×{ow} map")
    row, col = divmod(index, ow)
    top, left = row * stride, col * stride
    patch = padded(image, padding)[:, top:top + k, left:left + k].copy()
    products = patch * kernel
    # the products' sum correctly rounded: products that cancel give 0 exactly (NumPy's
    # pairwise sum wrote "Σ 27 products = -2.77555756e-17" for the RGB edge, whose map
    # cell shows 0)
    return ConvCell(row, col, top, left, patch, kernel.copy(), products,
                    math.fsum(products.ravel().tolist()), float(bias))


def feature_maps(image: Array, kernels: Array, biases: Array, stride: int,
                 padding: int) -> Array:
    """Every kernel's whole feature map: (K, OH, OW) for kernels (K, C, k, k)."""
    return conv2d(image[None], kernels, biases, stride, padding)[0]


def pool_cell(fmap: Array, size: int, stride: int, mode: str, index: int) -> PoolCell:
    """Window number ``index`` (reading order) of the pooling of one map (H, W)."""
    h, w = fmap.shape
    oh, ow = map_shape(h, w, size, stride, 0)
    if not 0 <= index < oh * ow:
        raise IndexError(f"window {index} outside the {oh}×{ow} pooled map")
    row, col = divmod(index, ow)
    top, left = row * stride, col * stride
    win = fmap[top:top + size, left:left + size].copy()
    if mode == "max":
        u, v = divmod(int(np.argmax(win)), size)
        return PoolCell(row, col, top, left, win, mode, float(win[u, v]), (u, v))
    return PoolCell(row, col, top, left, win, mode, float(win.sum() / (size * size)), None)


def pooled(fmaps: Array, size: int, stride: int, mode: str) -> Array:
    """Every map pooled: (K, PH, PW) for maps (K, H, W)."""
    return pool2d(fmaps[None], size, stride, mode)[0]
