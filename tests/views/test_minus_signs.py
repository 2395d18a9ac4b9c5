"""Minus signs, not hyphens: "δ −0.0381", "= −0.217", tick "−4" — and the
hyphens of words and ranges ("cross-entropy", "2-2-2", "0-4") left as they are."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from nnviz.views.items.math_text import math_html, math_plain, minus_signs
from tests.views.workbench_keys import press

#: a hyphen used as a minus: before a digit, and not inside a word or a range ("2-2")
_HYPHEN_MINUS = re.compile(r"(?<![\w])-\d|\de-\d")   # (and e-notation's exponent)


@pytest.mark.parametrize("text, shown", [
    ("δ -0.0381", "δ −0.0381"),
    ("net=-0.217071535", "net=−0.217071535"),
    ("e^(-(-0.52))", "e^(−(−0.52))"),
    ("out_o1 - target_o1", "out_o1 − target_o1"),
    ("w5 - 0.5 * 0.0822", "w5 − 0.5 * 0.0822"),
    ("x² + y⁴/4 - y²/2", "x² + y⁴/4 − y²/2"),
    ("s = -b/w and h and -h", "s = −b/w and h and −h"),
    ("[1 0 -1; 1 0 -1]", "[1 0 −1; 1 0 −1]"),
    ("-1.878e-12", "−1.878e−12"),   # e-notation as the number format writes it
    # hyphens and dashes between words, and ranges, stay
    ("cross-entropy and x-axis", "cross-entropy and x-axis"),
    ("the 2-2-2 network learns 5-9", "the 2-2-2 network learns 5-9"),
    ("Lecture notes 002 (CNN - Convolutional", "Lecture notes 002 (CNN - Convolutional"),
    ("network - dense 32 (ReLU), dense 10 (softmax) - with",
     "network - dense 32 (ReLU), dense 10 (softmax) - with"),
    ("v <- μ v - η g", "v <- μ v − η g"),
    ("0.5 - 0.5*(\u2060-0.02260254)", "0.5 − 0.5*(\u2060−0.02260254)"),
    ("0.5*(-\u20600.02260254)", "0.5*(−\u20600.02260254)"),
])
def test_minus_signs(text, shown):
    assert minus_signs(text) == shown


def test_the_formula_typography_has_minus_signs():
    assert math_plain("-1.878e-12") == "−1.878e−12"
    assert math_html("e^(-x)") == "e<sup>−x</sup>"
    assert math_plain("10^-4") == "10⁻⁴"


def test_the_workbench_prints_minus_signs(main_window, qtbot):
    """Through the backward pass of the notes' example by →: the graph's δ and weight
    labels and the Equation panel write negative numbers with "−", never "-0.…"."""
    win = main_window
    assert win.open_lesson("mazur-2-2-2")
    lab = win.current_lab
    seen = set()
    for _ in range(40):
        press(qtbot, win, Qt.Key.Key_Right)
        qtbot.waitUntil(lambda: lab.stepper.k == lab.equations.stepper.k, timeout=2000)
        qtbot.wait(30)   # the coalesced redraw
        texts = lab.graph.label_texts() + [lab.equations.plain_text()]
        for t in texts:
            assert not _HYPHEN_MINUS.search(t), t
        seen |= {n for n in ("−0.217071535", "δ –") for t in texts if n in t}
    # the notes' out_o2 − target_o2, and a negative δ on the graph
    assert seen == {"−0.217071535", "δ –"}, seen


def test_chart_ticks_print_minus_signs(main_window, qtbot):
    """The error surface's axes of sigmoid-neuron run through negative w and b: their tick
    labels read "–2" (the en dash, as on the graph: tick labels stand close), not "-2"."""
    win = main_window
    assert win.open_lesson("sigmoid-neuron")
    win.show_lab("surface")
    page = win.current_lab.page
    qtbot.waitUntil(lambda: win.current_lab.controller.surface is not None, timeout=30_000)
    axis = page.heatmap.getAxis("bottom")
    lo, hi = axis.range
    assert lo < 0 < hi
    ticks = [t for _, level in axis.tickValues(lo, hi, axis.width()) for t in level
             if t < 0]
    strings = axis.tickStrings(ticks, axis.scale, 1.0)
    assert strings and all(s.startswith("–") and "-" not in s for s in strings), strings


def test_the_surface_names_parameters_as_the_graph_does(main_window, qtbot):
    """xor-landscape's parameter lists, slice label and readout write w²₁₁, not w^2_11."""
    win = main_window
    assert win.open_lesson("xor-landscape")
    win.show_lab("surface")
    lab = win.current_lab
    qtbot.waitUntil(lambda: lab.controller.surface is not None, timeout=30_000)
    page = lab.page
    page.mode.setFocus()
    while page.mode.currentIndex() > 0:     # up to "Two parameters", as a user picks it
        qtbot.keyClick(page.mode, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: lab.controller.mode == "params" and lab.controller.surface is not None
                    and lab.controller.surface.mode == "params", timeout=30_000)
    names = [page.x_param.itemText(i) for i in range(page.x_param.count())]
    assert "w²₁₁" in names and not any("^" in n or "_" in n for n in names), names
    assert "^" not in page.readout.text() and "_" not in page.readout.text()
    assert "^" not in page.slice.getAxis("bottom").labelText


@given(st.text(alphabet=st.sampled_from(list("ab Zx01.-=()^_ \n,·")), max_size=300))
@settings(max_examples=300, deadline=None)
def test_only_hyphens_become_minus_signs(text):
    """Whatever a lesson's caption holds: only hyphens change, each to a minus sign, and
    nothing is added or lost (a hostile caption of 4,000 characters is one linear pass)."""
    shown = minus_signs(text)
    assert len(shown) == len(text)
    assert shown.replace("\u2212", "-") == text


def test_a_long_hostile_caption_is_one_pass():
    text = "x - " * 1000 + "-" * 4000
    shown = minus_signs(text)
    assert shown.count("\u2212") == 1000 and shown.endswith("-" * 3999)
