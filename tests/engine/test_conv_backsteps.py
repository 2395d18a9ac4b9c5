"""The convolution lab's stepped backward pass: against central finite differences of a
cost written out here with plain loops, and against the training path's functions."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine.labs import conv_backsteps as cb


def _cost(image, kernel, bias, stride, padding, relu, pool, size, pstride, t):
    """C = ½ Σ (p − t)², every sum a loop (independent of the engine)."""
    c, h, w = image.shape
    k = kernel.shape[-1]
    img = np.pad(image, ((0, 0), (padding, padding), (padding, padding)))
    oh, ow = (h + 2 * padding - k) // stride + 1, (w + 2 * padding - k) // stride + 1
    z = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            z[i, j] = bias + sum(img[ch, i * stride + u, j * stride + v] * kernel[ch, u, v]
                                 for ch in range(c) for u in range(k) for v in range(k))
    a = np.maximum(z, 0) if relu else z
    ph, pw = (oh - size) // pstride + 1, (ow - size) // pstride + 1
    total = 0.0
    for i in range(ph):
        for j in range(pw):
            win = a[i * pstride:i * pstride + size, j * pstride:j * pstride + size]
            p = win.max() if pool == "max" else win.sum() / size ** 2
            total += 0.5 * (p - t) ** 2
    return total


CASES = [  # channels, h, w, k, stride, padding, relu, pool, size, pool stride
    (1, 8, 8, 3, 1, 0, True, "max", 2, 2),
    (1, 7, 9, 3, 2, 1, True, "average", 2, 1),
    (3, 6, 6, 3, 1, 1, False, "max", 3, 2),
    (1, 9, 7, 2, 1, 0, True, "average", 3, 3),
    (3, 5, 7, 1, 1, 2, True, "max", 2, 1),
]


@pytest.mark.parametrize("case", CASES)
def test_the_gradients_match_central_finite_differences(case):
    c, h, w, k, s, pad, relu, pool, size, ps = case
    rng = np.random.default_rng([c, h, w, k, s, pad, size, ps])
    image, kernel, bias = rng.random((c, h, w)), rng.normal(0, 1, (c, k, k)), 0.1
    args = (s, pad, relu, pool, size, ps, cb.TARGET)
    g = cb.layer_grads(image, kernel, bias, *args)
    assert g.cost == pytest.approx(_cost(image, kernel, bias, *args), rel=1e-12)
    eps = 1e-6
    num = np.zeros_like(kernel)
    for idx in np.ndindex(kernel.shape):
        kp, km = kernel.copy(), kernel.copy()
        kp[idx] += eps
        km[idx] -= eps
        num[idx] = (_cost(image, kp, bias, *args) - _cost(image, km, bias, *args)) / (2 * eps)
    np.testing.assert_allclose(g.dw, num, rtol=1e-6, atol=1e-8)
    db = (_cost(image, kernel, bias + eps, *args) - _cost(image, kernel, bias - eps, *args)) \
        / (2 * eps)
    assert g.db == pytest.approx(db, rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("case", CASES)
def test_stepping_cell_by_cell_adds_up_to_the_whole_backward_pass(case):
    """The running sums after the last step are conv2d_backward's and pool2d_backward's."""
    from nnviz.engine.labs.conv import conv2d
    from nnviz.engine.labs.pooling import pool2d

    c, h, w, k, s, pad, relu, pool, size, ps = case
    rng = np.random.default_rng(7)
    image, kernel, bias = rng.random((c, h, w)), rng.normal(0, 1, (c, k, k)), -0.2
    g = cb.layer_grads(image, kernel, bias, s, pad, relu, pool, size, ps)
    z = conv2d(image[None], kernel[None], np.array([bias]), s, pad)[0, 0]
    a = np.maximum(z, 0) if relu else z
    p = pool2d(a[None, None], size, ps, pool)[0, 0]
    last = cb.pool_back_cell(a, p, size, ps, pool, p.size - 1)
    np.testing.assert_allclose(last.da_after, g.da, rtol=1e-12, atol=1e-15)
    first = cb.pool_back_cell(a, p, size, ps, pool, 0)
    assert not first.da_before.any() and first.delta == p[0, 0] - cb.TARGET
    cells = [cb.conv_back_cell(image, z, g.da, k, s, pad, relu, i) for i in range(z.size)]
    np.testing.assert_allclose(cells[-1].dw_after, g.dw, rtol=1e-10, atol=1e-12)
    assert cells[-1].db_after == pytest.approx(g.db, rel=1e-10, abs=1e-12)
    np.testing.assert_allclose([x.delta for x in cells], g.delta.ravel(), atol=0)
    for before, after in zip(cells, cells[1:]):      # each step adds exactly δ × patch
        np.testing.assert_array_equal(after.dw_before, before.dw_after)
        assert after.db_before == before.db_after


def test_max_pooling_routes_to_the_winner_and_average_spreads_evenly():
    amap = np.array([[0.1, 0.9, 0.0, 0.2],
                     [0.3, 0.4, 0.5, 0.0],
                     [0.0, 0.0, 0.7, 0.7],
                     [0.6, 0.0, 0.1, 0.2]])
    pooled = np.array([[0.9, 0.5], [0.6, 0.7]])
    cell = cb.pool_back_cell(amap, pooled, 2, 2, "max", 3)
    assert (cell.row, cell.col, cell.winner) == (1, 1, (0, 0))       # the first of the tie
    assert cell.delta == pytest.approx(-0.3)
    np.testing.assert_allclose(cell.share, [[-0.3, 0], [0, 0]])
    assert cell.da_after[2, 2] == pytest.approx(-0.3) and cell.da_after[2, 3] == 0
    assert np.count_nonzero(cell.da_after) == 4                     # one cell per window
    avg = cb.pool_back_cell(amap, np.array([[0.425, 0.175], [0.15, 0.425]]), 2, 2,
                            "average", 0)
    np.testing.assert_allclose(avg.share, np.full((2, 2), -0.575 / 4))
    with pytest.raises(IndexError):
        cb.pool_back_cell(amap, pooled, 2, 2, "max", 4)


def test_relu_stops_the_gradient_where_z_was_not_positive():
    image = np.arange(16, dtype=float).reshape(1, 4, 4) / 16
    z = np.array([[-1.0, 2.0], [0.0, 3.0]])
    da = np.array([[0.5, 0.5], [0.5, 0.5]])
    cells = [cb.conv_back_cell(image, z, da, 3, 1, 0, True, i) for i in range(4)]
    assert [x.relu_grad for x in cells] == [0, 1, 0, 1] and cells[0].delta == 0
    np.testing.assert_allclose(cells[1].contribution, 0.5 * image[:, 0:3, 1:4])
    assert cells[3].db_after == pytest.approx(1.0)
    plain = cb.conv_back_cell(image, z, da, 3, 1, 0, False, 0)
    assert plain.relu_grad == 1 and plain.delta == 0.5
