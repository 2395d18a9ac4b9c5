"""conv2d and pooling: against direct loops written here, and against central finite
differences, for random shapes, strides and paddings."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine.labs.conv import col2im, conv2d, conv2d_backward, conv2d_forward, im2col
from nnviz.engine.labs.pooling import pool2d, pool2d_backward, pool2d_forward


def loop_conv(x, w, b, stride, padding):
    """out[n,k,i,j] = sum_c sum_u sum_v w[k,c,u,v] x_padded[n,c,i*s+u,j*s+v] + b[k]."""
    n, c, h, wd = x.shape
    k, _, kh, kw = w.shape
    xp = np.zeros((n, c, h + 2 * padding, wd + 2 * padding))
    xp[:, :, padding:padding + h, padding:padding + wd] = x
    oh = (h + 2 * padding - kh) // stride + 1
    ow = (wd + 2 * padding - kw) // stride + 1
    out = np.zeros((n, k, oh, ow))
    for a in range(n):
        for f in range(k):
            for i in range(oh):
                for j in range(ow):
                    total = 0.0
                    for ch in range(c):
                        for u in range(kh):
                            for v in range(kw):
                                total += w[f, ch, u, v] * xp[a, ch, i * stride + u, j * stride + v]
                    out[a, f, i, j] = total + b[f]
    return out


def loop_pool(x, size, stride, mode, padding=0):
    n, c, h, w = x.shape
    fill = -np.inf if mode == "max" else 0.0
    xp = np.full((n, c, h + 2 * padding, w + 2 * padding), fill)
    xp[:, :, padding:padding + h, padding:padding + w] = x
    oh = (h + 2 * padding - size) // stride + 1
    ow = (w + 2 * padding - size) // stride + 1
    out = np.zeros((n, c, oh, ow))
    for a in range(n):
        for ch in range(c):
            for i in range(oh):
                for j in range(ow):
                    cells = [xp[a, ch, i * stride + u, j * stride + v]
                             for u in range(size) for v in range(size)]
                    out[a, ch, i, j] = max(cells) if mode == "max" else sum(cells) / len(cells)
    return out


def random_case(rng):
    n, c, k = rng.integers(1, 3), rng.integers(1, 4), rng.integers(1, 4)
    kh, kw = rng.integers(1, 4), rng.integers(1, 4)
    stride, padding = int(rng.integers(1, 4)), int(rng.integers(0, 3))
    h = int(rng.integers(max(1, kh - 2 * padding), 8))
    wd = int(rng.integers(max(1, kw - 2 * padding), 8))
    x = rng.normal(size=(n, c, h, wd))
    w = rng.normal(size=(k, c, kh, kw))
    b = rng.normal(size=k)
    return x, w, b, stride, padding


@pytest.mark.parametrize("seed", range(25))
def test_conv_matches_the_loop(seed):
    rng = np.random.default_rng(seed)
    x, w, b, s, p = random_case(rng)
    np.testing.assert_allclose(conv2d(x, w, b, s, p), loop_conv(x, w, b, s, p), rtol=1e-12,
                               atol=1e-12)


def fd(f, a, eps=1e-6):
    """Central finite differences of the scalar f() with respect to every entry of a."""
    g = np.zeros_like(a)
    it = np.nditer(a, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = a[i]
        a[i] = old + eps
        up = f()
        a[i] = old - eps
        down = f()
        a[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@pytest.mark.parametrize("seed", range(12))
def test_conv_gradients_match_finite_differences(seed):
    rng = np.random.default_rng(100 + seed)
    x, w, b, s, p = random_case(rng)
    out, cache = conv2d_forward(x, w, b, s, p)
    r = rng.normal(size=out.shape)             # C = sum(r * out): dC/dout = r

    def c():
        return float(np.sum(r * conv2d(x, w, b, s, p)))

    dx, dw, db = conv2d_backward(r, w, cache)
    np.testing.assert_allclose(dx, fd(c, x), atol=1e-7)
    np.testing.assert_allclose(dw, fd(c, w), atol=1e-7)
    np.testing.assert_allclose(db, fd(c, b), atol=1e-7)


def test_kernel_gradient_is_the_correlation_of_input_and_delta():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(1, 1, 6, 6))
    w = rng.normal(size=(1, 1, 3, 3))
    out, cache = conv2d_forward(x, w, np.zeros(1))
    delta = rng.normal(size=out.shape)
    _, dw, _ = conv2d_backward(delta, w, cache)
    # correlating the input with the 4x4 delta map as if delta were the kernel
    np.testing.assert_allclose(dw, loop_conv(x, delta, np.zeros(1), 1, 0), atol=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_col2im_is_the_adjoint_of_im2col(seed):
    rng = np.random.default_rng(seed)
    x, w, _, s, p = random_case(rng)
    kh, kw = w.shape[2:]
    cols = im2col(x, kh, kw, s, p)
    y = rng.normal(size=cols.shape)
    lhs = float(np.sum(cols * y))
    rhs = float(np.sum(x * col2im(y, x.shape, kh, kw, s, p)))
    assert lhs == pytest.approx(rhs, rel=1e-12, abs=1e-12)


def pool_case(rng):
    n, c = int(rng.integers(1, 3)), int(rng.integers(1, 4))
    size = int(rng.integers(1, 4))
    stride = int(rng.integers(1, 4))
    padding = int(rng.integers(0, size // 2 + 1))
    h, w = int(rng.integers(size, 9)), int(rng.integers(size, 9))
    return rng.normal(size=(n, c, h, w)), size, stride, padding


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("seed", range(15))
def test_pooling_matches_the_loop(seed, mode):
    x, size, stride, padding = pool_case(np.random.default_rng(seed))
    np.testing.assert_allclose(pool2d(x, size, stride, mode, padding),
                               loop_pool(x, size, stride, mode, padding), rtol=1e-12)


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("seed", range(10))
def test_pooling_gradients_match_finite_differences(seed, mode):
    rng = np.random.default_rng(200 + seed)
    x, size, stride, padding = pool_case(rng)   # normal draws: no ties, max is smooth
    out, cache = pool2d_forward(x, size, stride, mode, padding)
    r = rng.normal(size=out.shape)

    def c():
        return float(np.sum(r * pool2d(x, size, stride, mode, padding)))

    np.testing.assert_allclose(pool2d_backward(r, cache), fd(c, x), atol=1e-7)


def test_max_pooling_routes_to_the_max_and_average_spreads_evenly():
    x = np.array([[[[1.0, 5.0], [2.0, 3.0]]]])
    out, cache = pool2d_forward(x, 2, 2, "max")
    assert out[0, 0, 0, 0] == 5.0
    np.testing.assert_array_equal(pool2d_backward(np.array([[[[2.0]]]]), cache)[0, 0],
                                  [[0, 2.0], [0, 0]])
    out, cache = pool2d_forward(x, 2, 2, "average")
    assert out[0, 0, 0, 0] == 2.75
    np.testing.assert_array_equal(pool2d_backward(np.array([[[[2.0]]]]), cache)[0, 0],
                                  [[0.5, 0.5], [0.5, 0.5]])


def test_windows_that_do_not_fit_are_refused():
    with pytest.raises(ValueError):
        conv2d(np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 3, 3)), np.zeros(1))
    with pytest.raises(ValueError):
        conv2d(np.zeros((1, 2, 4, 4)), np.zeros((1, 1, 3, 3)), np.zeros(1))
    with pytest.raises(ValueError):
        pool2d(np.zeros((1, 1, 1, 1)), 2, 2)
