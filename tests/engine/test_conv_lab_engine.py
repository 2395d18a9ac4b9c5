"""The convolution lab's cell-by-cell arithmetic, its settings and its worked example."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz.engine.files.validate import FormatError
from nnviz.engine.labs.conv_setup import parse_setup
from nnviz.engine.labs.conv_steps import (
    conv_cell,
    feature_maps,
    pool_cell,
    pooled,
    preset_kernel,
    rgb_image,
)
from nnviz.engine.labs.conv_worked import conv_markdown, signed_sum
from nnviz.engine.teaching.lessons import load_lesson


@pytest.mark.parametrize("stride,padding", [(1, 0), (2, 1), (1, 2), (3, 0)])
def test_every_cell_adds_up_to_the_feature_map(stride, padding):
    rng = np.random.default_rng(stride * 10 + padding)
    img = rgb_image()
    kernels = rng.normal(size=(2, 3, 3, 3))
    biases = rng.normal(size=2)
    maps = feature_maps(img, kernels, biases, stride, padding)
    oh, ow = maps.shape[1:]
    for i in range(oh * ow):
        cell = conv_cell(img, kernels[1], biases[1], stride, padding, i)
        assert cell.products.shape == (3, 3, 3)
        np.testing.assert_array_equal(cell.products, cell.patch * cell.kernel)
        assert cell.value == pytest.approx(maps[1, cell.row, cell.col], abs=1e-12)
    with pytest.raises(IndexError):
        conv_cell(img, kernels[0], 0.0, stride, padding, oh * ow)


def test_a_cell_by_hand():
    img = np.arange(16.0).reshape(1, 4, 4)
    cell = conv_cell(img, preset_kernel("edge_vertical"), 0.5, 1, 0, 1)
    # patch rows 0-2, columns 1-3: left column 1, 5, 9; right column 3, 7, 11
    assert (cell.row, cell.col) == (0, 1)
    assert cell.total == (1 + 5 + 9) - (3 + 7 + 11)
    assert cell.value == -5.5


@pytest.mark.parametrize("mode", ["max", "average"])
def test_every_pool_cell_matches_the_pooled_map(mode):
    fmap = np.random.default_rng(1).normal(size=(6, 5))
    pm = pooled(fmap[None], 2, 2, mode)[0]
    for i in range(pm.size):
        c = pool_cell(fmap, 2, 2, mode, i)
        assert c.value == pytest.approx(pm[c.row, c.col], abs=1e-12)
        if mode == "max":
            assert c.window[c.winner] == c.window.max()
        else:
            assert c.winner is None


def test_settings_round_trip_and_defaults():
    s = parse_setup({"page": "rgb", "kernels": ["blur", "sharpen"], "biases": [0.5, -1],
                     "stride": 2, "padding": 1, "active": 1})
    assert s.source == "rgb" and s.kernels.shape == (2, 3, 3, 3)
    again = parse_setup(s.to_dict())
    np.testing.assert_array_equal(again.kernels, s.kernels)
    assert again.to_dict() == s.to_dict()
    assert parse_setup({}).kernels.shape == (1, 1, 3, 3)


@pytest.mark.parametrize("bad", [
    {"page": "nope"}, {"stride": 0}, {"stride": 99}, {"padding": -1}, {"digit": 5000},
    {"kernels": ["edge_vertical"], "biases": [1, 2]}, {"kernels": []},
    {"kernels": ["unknown"]}, {"kernels": [[[1, 2], [3]]]}, {"kernel_size": 9},
    {"pool": "median"}, {"pool_size": 8}, {"relu": "yes"}, {"paint": [[2, 0, 0]] * 3},
    {"paint": [[0] * 40] * 40}, {"kernels": [[[1e9] * 3] * 3]}, {"kernel_size": 5, "stride": 1,
                                                                 "source": "paint",
                                                                 "paint": [[0] * 3] * 3},
    {"active": 3}, {"cnn_kernels": 0}, {"cnn_lr": float("nan")}, [], "x",
])
def test_bad_settings_are_refused_with_a_message(bad):
    with pytest.raises(FormatError):
        parse_setup(bad)


hostile = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
                    st.lists(st.integers(-3, 3), max_size=4))


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["page", "source", "digit", "paint", "kernels",
                                        "biases", "active", "stride", "padding", "relu",
                                        "pool", "pool_size", "pool_stride", "kernel_size",
                                        "cnn_kernels", "cnn_lr", "cnn_seed"]), hostile))
def test_hostile_settings_either_parse_or_raise_format_error(d):
    try:
        s = parse_setup(d)
    except FormatError:
        return
    assert 1 <= s.stride <= 4 and 0 <= s.padding <= 3
    assert np.all(np.isfinite(s.kernels)) and len(s.biases) == len(s.kernels)


def test_worked_conv_edge_prints_every_cell_and_the_pooling():
    lesson = load_lesson("conv-edge")
    md = conv_markdown(parse_setup(lesson.settings))
    assert md.count("### Output cell") == 36
    assert "- **`out(1,2) = -2.375 + 0 = -2.375`**" in md
    assert "0·1 + 0·0 + 0.75·(-1)" in md
    assert "## Max pooling (2×2, stride 2)" in md and md.count("- window (") == 9 + 9


def test_worked_conv_edge_prints_the_backward_pass():
    """Every window's δp and where it goes, every cell's δ and share, the sums; the digit's
    numbers checked by hand: δ is 0.5625, 2, 2, 1.3125, 1.0625, 2 at six cells."""
    lesson = load_lesson("conv-edge")
    md = conv_markdown(parse_setup(lesson.settings))
    back = md[md.index("## Backward pass"):]
    assert back.startswith("## Backward pass: C = ½ Σ (p − t)², t = 1, C = 9.083984375")
    assert "- window (1, 2): `δp = 1.5625 − 1 = 0.5625` → all to cell (2, 4)" in back
    assert back.count("- cell (") == 36 and back.count("to ∂C/∂w") == 6
    assert ("- cell (2, 4): `δ = 0.5625·1 = 0.5625`; `∂C/∂b = 0 + 0.5625 = 0.5625`; adds "
            "`[0.38671875 0.5625 0.31640625; 0.52734375 0.5625 0.2109375; 0.5625 0.5625 "
            "0.0703125]` to ∂C/∂w") in back
    assert back.rstrip().endswith("## ∂C/∂b = Σ δ = 8.9375")


def test_signed_sum():
    assert signed_sum([1, -2, 0.5]) == "1 − 2 + 0.5"
    assert signed_sum([-1]) == "-1"


def test_conv_lessons_load():
    for name in ("conv-edge", "conv-feature-maps", "conv-rgb", "pooling", "cnn-digits"):
        lesson = load_lesson(name)
        assert lesson.lab == "conv" and lesson.captions
        assert any(c.question for c in lesson.captions)
        parse_setup(lesson.settings)


def test_cli_worked_conv_edge(capsys):
    from nnviz.cli import main

    assert main(["worked", "--lesson", "conv-edge"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Convolution: a vertical-edge kernel") and "## Pooled map" in out


def test_products_that_cancel_sum_to_zero_exactly():
    """A cell's sum is the products' sum correctly rounded: 0.9 + 0 + ... − 0.9 is 0,
    not NumPy's pairwise -2.8e-17 (the RGB lesson wrote 'Σ 27 products = -2.77555756e-17'
    at position 15, where its map shows 0)."""
    import math

    from nnviz.engine.labs.conv_steps import conv_cell

    rng = np.random.default_rng(3)
    kernel = np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -1.0, -1.0]])
    kernel = np.stack([kernel] * 3)
    patch = np.zeros((3, 3, 3))
    patch[:, :, 2] = [[0.9], [0.1], [0.1]]          # the same column top and bottom: cancels
    patch[2, :, 1] = 0.8
    cell = conv_cell(patch, kernel, 0.0, 1, 0, 0)
    assert cell.total == 0.0 and cell.value == 0.0
    assert float((patch * kernel).sum()) != 0.0     # the pairwise sum does not cancel
    for _ in range(20):                              # and any cell: the exact sum, rounded
        img, k = rng.normal(size=(3, 5, 5)), rng.normal(size=(3, 3, 3))
        c = conv_cell(img, k, 0.5, 1, 0, 4)
        assert c.total == math.fsum((c.patch * c.kernel).ravel())
