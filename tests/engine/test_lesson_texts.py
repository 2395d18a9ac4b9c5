"""Every lesson's words agree with the notes: partial derivatives written with ∂, worked
targets that the loss can take, and every number a notes-based caption prints equal to a
number of shared/REFERENCE.md rounded to the digits the caption prints."""

from __future__ import annotations

import re

import numpy as np
import pytest

from nnviz.engine.teaching.captions import parse_template
from nnviz.engine.teaching.lessons import lesson_names, load_lesson

# the reference sheet's numbers, as printed there (copied so the test runs anywhere; the
# values are the sheet's sections 1-7, checked independently by tests/engine/test_reference.py)
SHEET = """
0.15 0.20 0.25 0.30 0.40 0.45 0.50 0.55 0.35 0.60 0.05 0.10 0.01 0.99 0.5
0.3775 0.593269992 0.596884378 1.105905967 0.75136507 0.772928465
0.274811083 0.023560026 0.298371109 0.74136507 0.186815602 0.082167041 0.138498562
0.35891648 0.408666186 0.511301270 0.561370121 0.055399425 -0.019049119 0.036350306
0.241300709 0.000438568 0.149780716 0.19956143 0.24975114 0.29950229
0.291027924 0.291027774 0.0000351085 0.015912196 0.984065734 0.0000351019 0.01591362
0.98406427 0.280471447
0.11 0.21 0.12 0.08 0.14 0.15 0.85 0.48 0.191 -0.809 0.17 0.1743825 0.169416 0.121326
0.132135 0.226989 0.0982025 0.13 0.23 0.10
-2 -3 3 -1
0.2 0.9 0.4158199010 -1.9945076808 -1.9922888408 0.4157298551 1.0029902114
-1.0507858881 0.0177410096 1.7917198301 -2.2821180729 2.43e-11 1.7917595 -2.2821741
-7.7 -1.2 -1.3 1.2 -0.2 -1.1 -5
"""
NUMBER = re.compile(r"(?<![\w.^])-?\d+(?:,\d{3})*(?:\.\d+)?(?:e-?\d+)?(?![\w^])")
PARTIAL_AS_D = re.compile(r"(?<![\w{])d[A-Za-z_]+\d*/d[A-Za-z_]")
#: a derivative written with an apostrophe: "sigma'(z)", "f' is", "σ'(z)" (on screen: ′)
APOSTROPHE_PRIME = re.compile(r"(?<![\w'])(?:[A-Za-z]|σ|sigma|relu|ReLU|tanh)'(?=[(\s])")
NOTES_LABS = ("workbench", "neuron", "surface", "universality")


def _sheet() -> list[float]:
    return [float(t) for t in SHEET.split()]


def _literal_text(template: str) -> str:
    """The template's own words (placeholders left out: they print live values)."""
    return " ".join(p.text for p in parse_template(template) if p.name is None)


def _texts(lesson) -> list[str]:
    out = [lesson.title, lesson.description]
    for c in lesson.captions:
        out += [c.text, c.question]
    return [t for t in out if t]


@pytest.mark.parametrize("name", lesson_names())
def test_partial_derivatives_are_written_with_the_partial_sign(name):
    lesson = load_lesson(name)
    for text in _texts(lesson):
        assert not PARTIAL_AS_D.search(_literal_text(text)), text
        for p in parse_template(text):   # a placeholder is printed as its value, but say ∂
            assert p.name is None or not PARTIAL_AS_D.search(" " + p.name), text


@pytest.mark.parametrize("name", lesson_names())
def test_derivatives_are_written_with_the_prime_sign(name):
    """σ′(z), f′ with the prime U+2032 as the screen shows them, not an apostrophe
    ("sigma'(z)" read as a quote on a projector)."""
    for text in _texts(load_lesson(name)):
        found = APOSTROPHE_PRIME.findall(text)
        assert not found, (found, text)


GREEK_NAME = re.compile(r"\b(eta|alpha|beta|gamma|lambda|sigma|delta|epsilon|theta)\b",
                        re.IGNORECASE)


@pytest.mark.parametrize("name", lesson_names())
def test_greek_letters_are_written_as_letters(name):
    """η, λ, σ, Δ as the Equation panel writes them, not their names ("w+ = w - eta * ..."
    stood in the default lesson's caption under "η = 0.5" in the panel)."""
    for text in _texts(load_lesson(name)):
        found = GREEK_NAME.findall(_literal_text(text))
        assert not found, (found, text)


@pytest.mark.parametrize("name", lesson_names())
def test_the_worked_example_has_targets_its_output_and_loss_can_reach(name):
    lesson = load_lesson(name)
    _x, y = lesson.example()
    out = lesson.network.activations[-1]
    lo, hi = out.out_range if out.out_range is not None else (-np.inf, np.inf)
    assert np.all((y >= lo) & (y <= hi)), (name, y, out.name)
    if "cross_entropy" in lesson.loss:
        assert np.all((y >= 0) & (y <= 1)), (name, y, lesson.loss)


def test_the_overfitting_lessons_work_their_example_with_a_0_or_1_target():
    for name in ("overfitting", "overfitting-l2", "overfitting-dropout", "early-stopping"):
        lesson = load_lesson(name)
        _x, y = lesson.example()
        assert lesson.loss == "binary_cross_entropy"
        assert y.tolist() in ([0.0], [1.0])
        _x, ys = lesson.dataset()
        assert set(np.unique(ys)) == {0.0, 1.0}


def _numbers_of(obj) -> list[float]:
    """Every number of a lesson's own set-up (its JSON without the words)."""
    if isinstance(obj, dict):
        return [v for k, x in obj.items() if k not in ("captions", "description", "title")
                for v in _numbers_of(x)]
    if isinstance(obj, list):
        return [v for x in obj for v in _numbers_of(x)]
    if isinstance(obj, (int, float)) and not isinstance(obj, bool):
        return [float(obj)]
    return []


def _example_gradients(lesson) -> np.ndarray:
    """∂E/∂p of the lesson's worked example for each parameter, by central differences."""
    from nnviz.engine.core.network import cost
    from nnviz.engine.teaching.lessons import loss_of

    net = lesson.network.copy()
    x, y = lesson.example_x.reshape(1, -1), lesson.example_y.reshape(1, -1)
    p, h = net.get_params(), 1e-5
    grads = []
    for i in range(p.size):
        up, down = p.copy(), p.copy()
        up[i] += h
        down[i] -= h
        net.set_params(up)
        c_up = cost(net, x, y, loss_of(lesson))
        net.set_params(down)
        grads.append((c_up - cost(net, x, y, loss_of(lesson))) / (2 * h))
    return np.array(grads)


def _mantissas(values) -> list[float]:
    """|v| / 10^floor(log10 |v|) of each non-zero v ("2.1 × 10^-9" quotes 2.07e-9)."""
    return [abs(v) / 10 ** np.floor(np.log10(abs(v))) for v in values if v]


def _matches(token: str, values: list[float]) -> bool:
    v = float(token.replace(",", ""))
    if "." not in token and "e" not in token and v == int(v) and abs(v) <= 100:
        return True   # a small count or an integer of a formula (2 + 2 - 3 = 1)
    digits = len(token.split(".")[1].split("e")[0]) if "." in token else 0
    if "e" in token:
        return any(abs(r - v) <= 0.5 * 10 ** (np.floor(np.log10(abs(v))) - digits)
                   for r in values)
    return any(f"{r:.{digits}f}" == f"{v:.{digits}f}" for r in values)


@pytest.mark.parametrize("name", [n for n in lesson_names()
                                  if load_lesson(n).lab in NOTES_LABS])
def test_every_number_a_caption_prints_is_the_reference_sheets_or_the_lessons(name):
    """A caption's literal numbers are the notes' (the reference sheet, to the digits the
    caption prints) or the lesson's own set-up (its start, rates, sizes, counts)."""
    lesson = load_lesson(name)
    net = lesson.network
    counts = [float(sum(w.size for w in net.weights)), float(net.n_params())]
    values = _sheet() + _numbers_of(lesson.raw) + counts
    race = lesson.settings.get("race", {}).get("surface")
    if race is not None:   # a race's start and learning rates are its surface's
        from nnviz.engine.labs.race import SURFACES

        surf = SURFACES[race]()
        values += [float(v) for v in surf.start] + [float(v) for v in surf.rates.values()]
        # its loss and gradient there, as the engine computes them ("under 10^-6, about
        # −6.3 × 10^-7": the mantissas too)
        start = np.asarray(surf.start, dtype=float)
        g = [float(v) for v in surf.grad(start) if v]
        values += [float(surf.loss(start))] + g + _mantissas(g)
    if lesson.lab == "workbench" and lesson.example_x is not None and net.n_params() < 200:
        g = [float(v) for v in _example_gradients(lesson)]   # the example's gradients
        values += g + _mantissas(g)
    bad = []
    for c in lesson.captions:
        for text in (c.text, c.question):
            for tok in NUMBER.findall(_literal_text(text or "")):
                if not _matches(tok, values):
                    bad.append((tok, text))
    assert not bad, bad


def test_the_mazur_result_caption_quotes_the_notes_10000_step_error_as_printed():
    lesson = load_lesson("mazur-2-2-2")
    text = next(c.text for c in lesson.captions if c.phase == "result")
    assert "After 10,000 updates it is about 0.0000351." in text
    # 0.0000351 is both the notes' printed 0.0000351085 and nnviz's exact 0.0000351019
    # rounded to the digits the caption prints
    assert round(0.0000351085, 7) == round(0.0000351019, 7) == 0.0000351


def test_the_overfitting_lesson_counts_its_parameters_right():
    lesson = load_lesson("overfitting")
    n = lesson.network.n_params()
    assert n == 2 * 32 + 32 + 32 * 32 + 32 + 32 + 1 == 1185
    assert f"with {n:,} parameters" in lesson.description


def test_keras_lab_notes_counts_its_updates_right():
    """"how far can 400 updates move the network?": 50 epochs of ⌈899 / 128⌉ = 8 batches
    (half of the 1,797 digits for training)."""
    lesson = load_lesson("keras-lab-notes")
    n_train = round(1797 * lesson.settings["split"])
    updates = lesson.epochs * -(-n_train // lesson.train.batch_size)
    assert updates == 400
    assert f"{updates} updates" in lesson.captions[0].question


def test_xor_mlps_update_caption_is_right_about_its_gradients():
    """"With the lesson's weights the gradients are under 2.1 × 10^-9, so every weight
    keeps the digits shown": each ∂E/∂w of the lesson's example, by central differences,
    is under 2.1 × 10^-9 (the largest, ∂E/∂w6, is 2.07 × 10^-9: the caption's "at most
    2 × 10^-9" was wrong beside it), and η times it changes no weight's fourth significant
    digit."""

    lesson = load_lesson("xor-mlp")
    text = next(c.text for c in lesson.captions if c.phase == "update")
    assert "under 2.1 × 10^-9" in text and "keeps the digits shown" in text
    grads = _example_gradients(lesson)
    g = np.abs(grads)
    assert 2e-9 < g.max() < 2.1e-9
    p = lesson.network.get_params()
    new = p - lesson.train.eta * grads
    assert all(f"{a:.4g}" == f"{b:.4g}" for a, b in zip(p, new))
