"""Captions stay honest under edits, on the real window: templated numbers come from the
live network (the same in the Equation panel, its italic note and the caption bar), the
notes' values stand beside them labelled, and captions naming parts that no longer exist
hide. Engine-level: the template syntax is tiny and safe."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from nnviz.engine.core.naming import fmt
from nnviz.engine.files.validate import FormatError
from nnviz.engine.stepping.worked import lesson_trace
from nnviz.engine.teaching.captions import parse_template, render, trace_values
from nnviz.engine.teaching.lessons import load_lesson


def _bar(win) -> str:
    """The caption bar's text, its minus signs read as hyphens (the numbers below are the
    engine's; test_minus_signs checks the signs)."""
    text = win.caption_bar.text_label.text() + " " + win.caption_bar.question_label.text()
    return text.replace("\u2212", "-")


def _panel(lab) -> str:
    """The Equation panel's text, its minus signs read as hyphens (as :func:`_bar`)."""
    return lab.equations.plain_text().replace("\u2212", "-")


def _go_to(win, qtbot, lab, k: int) -> None:
    lab.graph.setFocus()
    while lab.stepper.k < k:
        qtbot.keyClick(lab.graph, Qt.Key.Key_Right)
    qtbot.wait(5)   # the caption follows once per event


def test_the_notes_numbers_without_edits(main_window, qtbot):
    win = main_window
    lab = win.current_lab
    _go_to(win, qtbot, lab, 28)
    assert "w5+ = 0.4 - 0.5 · 0.082167041 = 0.35891648" in _bar(win)
    assert "notes' values" not in _bar(win)
    assert "w5+ = 0.4 - 0.5 · 0.082167041 = 0.35891648" in _panel(lab)


def test_a_what_if_edit_shows_live_numbers_everywhere(main_window, qtbot):
    win = main_window
    lab = win.current_lab
    lab.inspector.select(("edge", 1, 0, 0))   # w5, as a click on its edge does
    spin = lab.inspector.spin
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "0.5")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert win.doc.network.weights[1][0, 0] == 0.5
    _go_to(win, qtbot, lab, 28)
    panel = _panel(lab)
    bar = _bar(win)
    assert "0.459562844" in panel.split("w5+ =")[0]   # the equation itself
    # the italic note under the equation and the caption bar say the same
    assert "w5+ = 0.5 - 0.5 · 0.080874312 = 0.459562844" in bar
    assert "w5+ = 0.5 - 0.5 · 0.080874312 = 0.459562844" in panel
    assert "0.35891648" not in bar.split("[")[0]
    # the notes' own numbers beside them, labelled as such
    assert "[the notes' values: w5 = 0.4" in bar and "w5+ = 0.35891648" in bar
    # steps 13 (the gradient) and 32 (the result) also follow the live network
    _go_to(win, qtbot, lab, 32)
    tr = lab.stepper.trace
    live = f"goes from {fmt(tr.total_error)} to {fmt(tr.total_after)}"
    assert live in _bar(win) and live in _panel(lab)
    assert fmt(tr.total_error) != "0.298371109"   # not the notes' number
    lab.stepper.set_position(13)
    qtbot.wait(5)
    assert "= 0.080874312: how the error changes" in _bar(win)


def test_captions_naming_parts_that_are_gone_hide(main_window, qtbot):
    win = main_window
    lab = win.current_lab
    assert "o1" in _bar(win)
    lab.dock_editor.show()
    lab.dock_editor.raise_()
    editor = lab.editor
    qtbot.mouseClick(editor.add_layer, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    assert len(win.doc.network.sizes) == 4
    qtbot.wait(5)
    assert "o1" not in _bar(win) and "0.01" not in _bar(win)
    _go_to(win, qtbot, lab, lab.stepper.trace.phase_start("backward") + 1)
    assert lab.caption_position()[1] == "backward"
    assert "w5..w8" not in _bar(win)          # the question about w5..w8 is gone
    assert "Backward pass" in _bar(win)       # the caption naming no part stays
    assert "w5" not in _panel(lab).split("Backward pass")[-1][:400]
    # undo brings the lesson's network, and its captions, back
    win.act_undo.trigger()
    lab.stepper.home()
    qtbot.wait(5)
    assert "will o1 be near 0.01?" in _bar(win)


# ------------------------------------------------------------ the template syntax
def test_templates_fill_from_a_trace_with_digits():
    lesson = load_lesson("mazur-2-2-2")
    vals = trace_values(lesson_trace(lesson))
    assert render("{w5+} {w5⁺} {dE_total/dw5} {∂E_total/∂w5} {i2:2} {eta:0}", vals) == \
        "0.35891648 0.35891648 0.082167041 0.082167041 0.10 0"
    assert render("{{w5}} = {w5}", vals) == "{w5} = 0.4"
    assert render("{w99}", vals) is None              # a part that does not exist
    assert render("plain text", vals) == "plain text"


@pytest.mark.parametrize("bad", ["{", "}", "{w5", "{w5:12}", "{w5:x}", "{w5!r}",
                                 "{w5.__class__}", "{0}", "{w5:>10}", "{ w5 }",
                                 "{" + "a" * 41 + "}", "{x}" * 25])
def test_anything_but_the_tiny_syntax_is_refused(bad):
    with pytest.raises(FormatError):
        parse_template(bad)


def test_a_lesson_with_a_bad_template_is_refused_naming_the_caption():
    import copy
    import json

    from nnviz.engine.files.resources import lessons_dir
    from nnviz.engine.teaching.lessons import LessonError, parse_lesson

    d = json.loads((lessons_dir() / "mazur-2-2-2.json").read_text(encoding="utf-8"))
    d = copy.deepcopy(d)
    d["captions"][0]["text"] = "w5 = {w5.__globals__}"
    with pytest.raises(LessonError, match=r"captions\[0\]\.text"):
        parse_lesson(d)


def test_output_is_bounded():
    vals = {"x": 1e300}
    out = render("{x}" * 24 + "y" * 1990, vals)
    assert out is not None and len(out) <= 4000


# ------------------------------------------------------------ captions by progress
def test_the_surface_lab_caption_follows_the_descent(main_window, qtbot):
    win = main_window
    assert win.open_lesson("sigmoid-neuron")
    lab = win.current_lab
    qtbot.waitUntil(lambda: "almost flat" in _bar(win))
    assert "w = -2.00, b = -2.00 with error 0.4158" in _bar(win)
    win.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_PageDown)      # one descent step
    qtbot.waitUntil(lambda: "Step 1," in _bar(win))
    assert "on the plateau" in _bar(win) and "almost flat" not in _bar(win)
    lab.advance(422)                              # to step 423, loss about 4e-6
    qtbot.waitUntil(lambda: lab.controller.steps == 423)
    qtbot.waitUntil(lambda: "Step 423" in _bar(win))
    assert lab.controller.costs[-1] < 1e-5
    assert "in the valley at w = 1.78, b = -2.26" in _bar(win)
    assert "almost flat" not in _bar(win) and "plateau" not in _bar(win)
    assert f"error {fmt(lab.controller.costs[-1])}" in _bar(win)
    # the lab's own state is not the worked example: no "notes' values" beside it
    assert "notes' values" not in _bar(win)


def test_the_training_lab_caption_follows_the_epochs(main_window, qtbot):
    win = main_window
    assert win.open_lesson("spiral")
    lab = win.current_lab
    qtbot.waitUntil(lambda: "Press Play" in _bar(win))
    win.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_PageDown)      # one epoch
    qtbot.waitUntil(lambda: "Epoch 1:" in _bar(win))
    assert "Press Play" not in _bar(win)
    h = lab.ctl.history
    assert f"training loss {h.train_loss[-1]:.4f}" in _bar(win)
    assert f"test accuracy {100 * h.test_acc[-1]:.1f} %" in _bar(win)
    lab.deactivate()


def test_when_conditions_are_validated():
    import copy
    import json

    from nnviz.engine.files.resources import lessons_dir
    from nnviz.engine.teaching.lessons import LessonError, parse_lesson

    base = json.loads((lessons_dir() / "sigmoid-neuron.json").read_text(encoding="utf-8"))
    for when in ({}, [], {"step_from": -1}, {"loss_below": -0.1}, {"loss_above": float("inf")},
                 {"step_until": 2**40}, {"epoch": 3}, {"step_from": "1"}, {"step_from": True}):
        d = copy.deepcopy(base)
        d["captions"][0]["when"] = when
        with pytest.raises(LessonError, match="when"):
            parse_lesson(d)
    d = copy.deepcopy(base)
    d["captions"][0]["at"] = "start"
    with pytest.raises(LessonError, match="either 'at' or 'when'"):
        parse_lesson(d)


def test_every_workbench_caption_template_renders_with_its_own_example():
    """No shipped workbench caption quotes a name its worked example lacks (it would never
    show), and rendered captions have no braces left."""
    from nnviz.engine.teaching.lessons import lesson_names
    from nnviz.views.caption_text import shown_captions

    for name in lesson_names():
        lesson = load_lesson(name)
        if lesson.lab != "workbench":
            continue
        shown = shown_captions(lesson, lesson.captions, None, None)
        assert len(shown) == len(lesson.captions), name
        for c in shown:
            assert "{" not in c.text + c.question and "}" not in c.text + c.question, name


def test_the_neuron_lab_caption_quotes_the_live_perceptron(main_window, qtbot):
    win = main_window
    assert win.open_lesson("perceptron-and")
    lab = win.current_lab
    qtbot.waitUntil(lambda: "w = (2, 2), b = -3." in _bar(win))
    slider = lab.perceptron_page.sliders["w1"].slider
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key.Key_Right)      # w1 + 0.1, as the user drags it
    qtbot.waitUntil(lambda: "w = (2.1, 2), b = -3." in _bar(win))
    assert "With the notes' w = (2, 2), b = -3" in _bar(win)


def test_the_neuron_lab_caption_follows_the_learning_rule(main_window, qtbot):
    win = main_window
    assert win.open_lesson("perceptron-xor")
    lab = win.current_lab
    qtbot.waitUntil(lambda: "Does the line ever settle?" in _bar(win))
    win.setFocus()
    for _ in range(3):
        qtbot.keyClick(win, Qt.Key.Key_PageDown)  # three steps of the learning rule
    qtbot.waitUntil(lambda: "Iteration 3," in _bar(win))
    c = lab.ctl
    assert f"{c.run.updates()} updates so far: w = ({c.w[0]:.2f}, {c.w[1]:.2f}), b = {c.b:.2f}" \
        in _bar(win)
    assert "Does the line ever settle?" not in _bar(win)


def test_after_a_training_step_note_and_caption_bar_agree(main_window, qtbot):
    win = main_window
    lab = win.current_lab
    lab.graph.setFocus()
    qtbot.keyClick(lab.graph, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert lab.stepper.t == 1
    _go_to(win, qtbot, lab, 28)
    tr = lab.stepper.trace
    w5, w5_new = tr.net_before.weights[1][0, 0], tr.net_after.weights[1][0, 0]
    line = f"w5+ = {fmt(w5)} - 0.5 · "
    bar, panel = _bar(win), _panel(lab)
    assert line in bar and line in panel
    assert f"= {fmt(w5_new)}: a smaller w5" in bar and f"= {fmt(w5_new)}: a smaller w5" in panel
    assert "[the notes' values: w5 = 0.4" in bar and "[the notes' values: w5 = 0.4" in panel
