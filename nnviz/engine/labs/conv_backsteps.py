"""The convolution lab's backward pass, one cell at a time.

The page's cost is C = ½ Σ (p − t)² over the pooled map p of the kernel shown, with the
target t = ``TARGET`` for every cell (a stand-in for the layers above: any cost gives
the same routing; this one is small enough to check by hand). Backward, in the order
the clicker keys step it:

1. **Pooling**, one window at a time: δp = ∂C/∂p = p − t. Max pooling sends all of δp
   to the cell that won the maximum (the first in reading order on a tie, as
   :mod:`~nnviz.engine.labs.pooling`), average pooling gives each of the size² cells
   δp / size²; overlapping windows add up. Together: ∂C/∂a, a = ReLU(z).
2. **ReLU and the convolution**, one output cell (i, j) at a time:
   δ(i, j) = ∂C/∂z(i, j) = ∂C/∂a(i, j) · ReLU′(z(i, j)) (ReLU′ = 1 if z > 0, else 0;
   1 everywhere without ReLU). z(i, j) was made from one patch of the padded input, so
   δ(i, j) reaches exactly those cells: the shared kernel's gradient gains
   δ(i, j) × patch(i, j) and the bias's gains δ(i, j). After every cell,
   ∂C/∂w = Σ δ(i, j) · patch(i, j) (the correlation of the input with δ) and
   ∂C/∂b = Σ δ(i, j), equal to :func:`~nnviz.engine.labs.conv.conv2d_backward`.

Images are (C, H, W), the kernel (C, k, k); maps (OH, OW); pooled maps (PH, PW).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.engine.labs.conv import conv2d_backward, conv2d_forward
from nnviz.engine.labs.conv_steps import map_shape, padded
from nnviz.engine.labs.pooling import pool2d_backward, pool2d_forward

Array = np.ndarray
TARGET = 1.0


@dataclass(frozen=True)
class LayerGrads:
    """The whole backward pass of one kernel: cost, δp (PH, PW), ∂C/∂a (OH, OW),
    δ = ∂C/∂z (OH, OW), ∂C/∂w (C, k, k), ∂C/∂b — from the training path's functions."""

    cost: float
    dp: Array
    da: Array
    delta: Array
    dw: Array
    db: float


def layer_grads(image: Array, kernel: Array, bias: float, stride: int, padding: int,
                relu: bool, pool: str, size: int, pool_stride: int,
                target: float = TARGET) -> LayerGrads:
    """C = ½ Σ (p − t)² and its gradients through pool2d_backward and conv2d_backward."""
    z, cc = conv2d_forward(image[None], kernel[None], np.array([bias]), stride, padding)
    a = np.maximum(z, 0.0) if relu else z
    p, pc = pool2d_forward(a, size, pool_stride, pool)
    dp = p - target
    da = pool2d_backward(dp, pc)
    delta = da * (z > 0) if relu else da
    _, dw, db = conv2d_backward(delta, kernel[None], cc, need_dx=False)
    return LayerGrads(float(0.5 * np.sum(dp * dp)), dp[0, 0], da[0, 0], delta[0, 0], dw[0],
                      float(db[0]))


@dataclass(frozen=True)
class PoolBackCell:
    """Window (row, col) of the pooling, backward: its corner (top, left) in the map,
    p, t and δp = p − t; the window's values of a, the winner (u, v) for max pooling;
    ``share`` (size, size): what each window cell receives; ``da_before``/``da_after``:
    ∂C/∂a of the whole map before and after this window."""

    row: int
    col: int
    top: int
    left: int
    p: float
    target: float
    window: Array
    mode: str
    winner: tuple[int, int] | None
    share: Array
    da_before: Array
    da_after: Array

    @property
    def delta(self) -> float:
        return self.p - self.target


def _share(window: Array, mode: str, delta: float) -> tuple[Array, tuple[int, int] | None]:
    size = window.shape[0]
    if mode == "max":
        u, v = divmod(int(np.argmax(window)), size)
        out = np.zeros_like(window)
        out[u, v] = delta
        return out, (u, v)
    return np.full_like(window, delta / (size * size)), None


def pool_back_cell(amap: Array, pooled: Array, size: int, stride: int, mode: str,
                   index: int, target: float = TARGET) -> PoolBackCell:
    """Window number ``index`` (reading order) of the pooling's backward pass."""
    ph, pw = pooled.shape
    if not 0 <= index < ph * pw:
        raise IndexError(f"window {index} outside the {ph}×{pw} pooled map")
    da = np.zeros_like(amap)
    for m in range(index + 1):                      # at most a few hundred small windows
        row, col = divmod(m, pw)
        top, left = row * stride, col * stride
        win = amap[top:top + size, left:left + size]
        share, winner = _share(win, mode, float(pooled[row, col]) - target)
        before = da.copy() if m == index else None
        da[top:top + size, left:left + size] += share
    return PoolBackCell(row, col, top, left, float(pooled[row, col]), target, win.copy(),
                        mode, winner, share, before, da)


@dataclass(frozen=True)
class ConvBackCell:
    """Output cell (row, col), backward: ∂C/∂a there, ReLU′(z) (0 or 1), δ = their
    product; the patch (C, k, k) it was made from, corner (top, left) in the padded
    image; δ × patch; ∂C/∂w and ∂C/∂b before and after adding this cell's share."""

    row: int
    col: int
    top: int
    left: int
    da: float
    relu_grad: float
    patch: Array
    dw_before: Array
    db_before: float

    @property
    def delta(self) -> float:
        return self.da * self.relu_grad

    @property
    def contribution(self) -> Array:
        return self.delta * self.patch

    @property
    def dw_after(self) -> Array:
        return self.dw_before + self.contribution

    @property
    def db_after(self) -> float:
        return self.db_before + self.delta


def conv_back_cell(image: Array, z: Array, da: Array, kernel_size: int, stride: int,
                   padding: int, relu: bool, index: int) -> ConvBackCell:
    """Output cell number ``index`` (reading order) of the convolution's backward pass;
    ``z`` the map before ReLU and ``da`` = ∂C/∂a (OH, OW) from the pooling."""
    c, h, w = image.shape
    k = kernel_size
    oh, ow = map_shape(h, w, k, stride, padding)
    if not 0 <= index < oh * ow:
        raise IndexError(f"cell {index} outside the {oh}×{ow} map")
    img = padded(image, padding)
    grad = (z > 0).astype(np.float64) if relu else np.ones_like(z)
    dw, db = np.zeros((c, k, k)), 0.0
    for m in range(index + 1):                      # running sums, as the page adds them
        row, col = divmod(m, ow)
        top, left = row * stride, col * stride
        patch = img[:, top:top + k, left:left + k]
        if m == index:
            return ConvBackCell(row, col, top, left, float(da[row, col]),
                                float(grad[row, col]), patch.copy(), dw, db)
        d = float(da[row, col] * grad[row, col])
        dw = dw + d * patch
        db = db + d
    raise AssertionError("unreachable")
