"""Exercise sheets: deterministic per seed, hand-friendly numbers, every answer right."""

from __future__ import annotations

import re
import shutil
import subprocess

import numpy as np
import pytest

from nnviz.engine.core.naming import fmt
from nnviz.engine.teaching.exercise import (
    conv_exercise,
    dense_exercise,
    make_exercise,
    parse_shape,
    perceptron_exercise,
)
from nnviz.engine.teaching.sheet import balanced_environments, latex_math, sheet_latex


def _solution_text(ex) -> str:
    blocks = ex.sheet.blocks
    start = next(i for i, b in enumerate(blocks) if b.kind == "pagebreak")
    return "\n".join(b.text for b in blocks[start:])


def _values(ex) -> dict[str, float]:
    """name -> value from the "values" blocks of the set-up (what the student is given)."""
    out = {}
    for b in ex.sheet.blocks:
        if b.kind == "values":
            for pair in b.text.split(", "):
                name, value = pair.split(" = ")
                out[name] = float(value)
    return out


@pytest.mark.parametrize("kind", ["dense", "perceptron", "conv"])
def test_the_same_seed_gives_the_same_sheet(kind):
    a = sheet_latex(make_exercise(kind, "2-3-2", seed=7).sheet)
    b = sheet_latex(make_exercise(kind, "2-3-2", seed=7).sheet)
    c = sheet_latex(make_exercise(kind, "2-3-2", seed=8).sheet)
    assert a == b and a != c


def test_a_dense_sheet_uses_round_numbers_and_every_answer_is_right():
    ex = dense_exercise("2-3-2", "sigmoid", "half_sse", seed=7)
    given = _values(ex)
    # hand-friendly: every given number is a multiple of 0.05 (targets 0.01 / 0.99)
    for name, v in given.items():
        if not name.startswith("target"):
            assert abs(v * 20 - round(v * 20)) < 1e-9, (name, v)
    # the same step computed here from the given numbers, written out independently
    i = np.array([given["i1"], given["i2"]])
    t = np.array([given["target_o1"], given["target_o2"]])
    w1 = np.array([[given[f"w{r * 2 + c + 1}"] for c in range(2)] for r in range(3)])
    w2 = np.array([[given[f"w{7 + r * 3 + c}"] for c in range(3)] for r in range(2)])
    b1, b2 = given["b1"], given["b2"]
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    net_h = w1 @ i + b1
    out_h = sig(net_h)
    net_o = w2 @ out_h + b2
    out_o = sig(net_o)
    e = 0.5 * (t - out_o) ** 2
    d_o = (out_o - t) * out_o * (1 - out_o)
    d_h = (w2.T @ d_o) * out_h * (1 - out_h)
    expected = {f"net_h{j + 1}": net_h[j] for j in range(3)}
    expected |= {f"out_h{j + 1}": out_h[j] for j in range(3)}
    expected |= {f"net_o{j + 1}": net_o[j] for j in range(2)}
    expected |= {f"out_o{j + 1}": out_o[j] for j in range(2)}
    expected |= {"E_o1": e[0], "E_o2": e[1], "E_total": e.sum()}
    expected |= {f"δ_o{j + 1}": d_o[j] for j in range(2)}
    expected |= {f"δ_h{j + 1}": d_h[j] for j in range(3)}
    grad = {f"w{r * 2 + c + 1}": d_h[r] * i[c] for r in range(3) for c in range(2)}
    grad |= {f"w{7 + r * 3 + c}": d_o[r] * out_h[c] for r in range(2) for c in range(3)}
    for name, g in grad.items():
        expected[f"dE_total/d{name}"] = g
        expected[f"∂E_total/∂{name}"] = g
        expected[f"{name}⁺"] = given[name] - 0.5 * g
    asked = dict(ex.answers)
    assert {"net_h1", "out_o2", "E_total", "δ_o1", "δ_o2"} <= set(asked)
    assert sum(name.startswith(("dE", "∂E")) for name in asked) == 2
    assert sum(name.endswith("⁺") and name.startswith("w") for name in asked) == 2
    text = _solution_text(ex)
    for name, value in asked.items():
        if name in expected:
            assert value == pytest.approx(expected[name], abs=1e-12), name
        # printed on the solution page to the digits the notes print
        assert f"= {fmt(expected.get(name, value))}" in text, name
    missing = [n for n in asked if n not in expected]
    assert missing == ["E_total⁺"], missing  # checked against the trace's own value only


@pytest.mark.parametrize("shape,act,loss", [("3-2-2-3", "relu", "cross_entropy"),
                                            ("2-2-1", "tanh", "half_sse"),
                                            ("1-1", "linear", "half_sse")])
def test_dense_sheets_of_every_kind_are_complete(shape, act, loss):
    ex = dense_exercise(shape, act, loss, seed=3)
    qs = [b for b in ex.sheet.blocks if b.kind == "question"]
    assert len(qs) == 6 and ex.sheet.parts == 2
    assert all(np.isfinite(v) for _, v in ex.answers)
    assert balanced_environments(sheet_latex(ex.sheet))


@pytest.mark.parametrize("bad", ["9-9", "2", "2-x", "1-2-3-4-5", "0-1"])
def test_shapes_that_are_not_hand_sized_are_refused(bad):
    with pytest.raises(ValueError, match="shape"):
        parse_shape(bad)


def test_conv_answers_equal_a_direct_loop():
    ex = conv_exercise(seed=5)
    grids = {b.text: np.array([[float(c) for c in row] for row in b.rows])
             for b in ex.sheet.blocks if b.kind == "grid"}
    image, kernel = grids["Image"], grids["Kernel"]
    m = image.shape[0] - 2
    fmap = np.zeros((m, m))
    for r in range(m):
        for c in range(m):
            s = 0.0
            for a in range(3):
                for b in range(3):
                    s += image[r + a, c + b] * kernel[a, b]
            fmap[r, c] = s
    np.testing.assert_array_equal(grids["Feature map"], fmap)
    relu = np.where(fmap > 0, fmap, 0)
    np.testing.assert_array_equal(grids["After ReLU"], relu)
    for name, value in ex.answers:
        found = re.match(r"y_(\d)(\d)$", name)
        if found:
            assert value == fmap[int(found[1]) - 1, int(found[2]) - 1]
        else:
            how, r, c = re.match(r"(max|average) pool \((\d), (\d)\)$", name).groups()
            block = relu[2 * int(r) - 2:2 * int(r), 2 * int(c) - 2:2 * int(c)]
            assert value == (block.max() if how == "max" else block.sum() / 4)


def test_perceptron_answers_follow_the_rule_written_out():
    ex = perceptron_exercise(seed=3, steps=6)
    text = "\n".join(b.text for b in ex.sheet.blocks)
    w = np.array([float(v) for v in re.search(r"w = \(w0, w1, w2\) = \(([^)]*)\)", text)[1]
                  .split(", ")])
    picks = re.findall(r"\((\d), (\d)\) → (\d)", text)
    assert len(picks) == 6 and [v for _, v in ex.answers] != []
    for n, (x1, x2, label) in enumerate(picks):
        x = np.array([1.0, float(x1), float(x2)])
        wx = float(w @ x)
        assert ex.answers[n][1] == wx
        out = 1 if wx >= 0 else 0
        if out == 0 and label == "1":
            w = w + x
        elif out == 1 and label == "0":
            w = w - x
    assert f"({', '.join(fmt(v) for v in w)})" in text


def test_latex_math_braces_scripts_and_escapes():
    assert latex_math("net_h1 = w1*i1") == r"\mathrm{net}_{h1} = w1\cdot i1"
    assert latex_math("1/(1+e^(-0.3775))") == "1/(1+e^{-0.3775})"
    assert latex_math("δ_o1") == r"\delta _{o1}"
    assert latex_math("a & b % c") == r"a \& b \% c"
    assert latex_math("x^") == "x{}^{}"
    assert balanced_environments(r"\begin{a}{x}\end{a}")
    assert not balanced_environments(r"\begin{a}\end{b}")
    assert not balanced_environments(r"\begin{a}{\end{a}")


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no TeX installation")
@pytest.mark.parametrize("kind", ["dense", "perceptron", "conv"])
def test_the_latex_compiles(kind, tmp_path):
    tex = tmp_path / "sheet.tex"
    tex.write_text(sheet_latex(make_exercise(kind, "2-3-2", seed=1).sheet), encoding="utf-8")
    proc = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex.name],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert (tmp_path / "sheet.pdf").stat().st_size > 1000
