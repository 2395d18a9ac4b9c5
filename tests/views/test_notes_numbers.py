"""Every number the notes print is reachable in the Workbench, and where the notes' value
differs from nnviz's (a rounded intermediate, the notes' own long run) both are shown,
labelled: Train N steps, the step keys, the matrix view, unshared biases."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from tests.views.workbench_keys import press


def train_n(lab, qtbot, n: int) -> str:
    """Type n into the Train box and click Train N steps; wait for the run to finish."""
    spin = lab.train_n.steps
    spin.selectAll()
    qtbot.keyClicks(spin, str(n))
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert spin.value() == n
    qtbot.mouseClick(lab.train_n.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not lab.repeat.playback.playing, timeout=60_000)
    return lab.train_n.plain_text()


def test_train_10000_steps_reaches_the_notes_numbers_with_frozen_biases(lab, main_window,
                                                                        qtbot):
    win = main_window
    assert lab.train_n.steps.value() == 10_000        # the lesson's own count
    text = train_n(lab, qtbot, 10_000)
    # nnviz's exact float64 values (REFERENCE: 0.0000351019, 0.01591362 / 0.98406427) ...
    assert "E_total = 0.0000351019" in text
    assert "out_o1 = 0.015913620" in text and "out_o2 = 0.984064274" in text
    # ... beside the notes' printed ones, labelled as the notes'
    assert "E_total after 10,000 updates: the notes print 0.0000351085" in text
    assert "out_o1 after 10,000 updates: the notes print 0.015912196" in text
    assert "out_o2 after 10,000 updates: the notes print 0.984065734" in text
    assert "nnviz computes 0.0000351019" in text
    net = win.doc.network
    assert net.biases[0].tolist() == [0.35, 0.35] and net.biases[1].tolist() == [0.6, 0.6]
    assert lab.stepper.t == 1                          # one entry of the timeline
    out = net.weights
    win.doc.undo_stack.undo()                          # undoable as one step
    assert not np.array_equal(win.doc.network.weights[0], out[0])


def test_first_pass_shows_the_notes_rounded_values_beside_the_exact(lab, main_window, qtbot):
    win = main_window
    press(qtbot, win, Qt.Key.Key_Right, 18)            # δ_h1: ∂E/∂out_h1 = ... + ∂E_o2/∂out_h1
    assert lab.stepper.step.kind == "delta" and lab.stepper.step.neuron == 0
    qtbot.waitUntil(lambda: "-0.019049119" in lab.train_n.plain_text(), timeout=2000)
    text = lab.train_n.plain_text()
    assert "∂E_o2/∂out_h1: the notes print -0.019049119" in text
    assert "nnviz computes -0.019049118" in text
    assert lab.train_n.notes.isVisible() and "-0.019049119" in lab.train_n.notes.text()
    press(qtbot, win, Qt.Key.Key_Right, 32 - 18)       # the result of the pass
    qtbot.waitUntil(lambda: "0.291027924" in lab.train_n.plain_text(), timeout=2000)
    assert "nnviz computes 0.291027774" in lab.train_n.plain_text()
    # in the status bar too (it stays in presentation mode, where the Timeline dock hides)
    qtbot.waitUntil(lambda: "the notes print 0.291027924 (nnviz 0.291027774)"
                    in win.status_label.text(), timeout=2000)
    # the matrix view shows them at its own steps
    press(qtbot, win, Qt.Key.Key_M)
    assert lab.matrix.step.kind == "result"
    qtbot.wait(30)
    lab.matrix_view.canvas.grab()
    assert any("0.291027924" in t for t in lab.matrix_view.canvas.texts())
    press(qtbot, win, Qt.Key.Key_Left, 14 - 9)         # BP2 of the hidden layer
    qtbot.wait(30)
    lab.matrix_view.canvas.grab()
    assert any("-0.019049119" in t for t in lab.matrix_view.canvas.texts())


def test_train_one_step_equals_the_step_keys(lab, main_window, qtbot):
    text = train_n(lab, qtbot, 1)
    assert "E_total = 0.2910277737" in text
    assert "E_total after one update: the notes print 0.291027924" in text
    w = main_window.doc.network.weights[1]
    assert np.round(w, 9).tolist() == [[0.35891648, 0.408666186], [0.51130127, 0.561370121]]


def test_unshare_biases_gives_the_reference_sheets_trained_bias_figure(lab, main_window, qtbot):
    """REFERENCE: 'If the biases were also trained, one update would give E_total =
    0.280471447' — per-neuron biases, not frozen."""
    win = main_window
    lab.dock_editor.show()
    lab.dock_editor.raise_()
    editor = lab.editor
    qtbot.mouseClick(editor.freeze, Qt.MouseButton.LeftButton)      # train the biases
    assert not win.doc.config.freeze_biases
    assert editor.unshare.isEnabled()
    qtbot.mouseClick(editor.unshare, Qt.MouseButton.LeftButton)
    assert win.doc.network.shared_bias == [False, False] and not editor.unshare.isEnabled()
    assert win.doc.naming.bias(0, 1) == "b1(h2)"
    text = train_n(lab, qtbot, 1)
    assert "E_total = 0.2804714468" in text
    press(qtbot, win, Qt.Key.Key_Home)
    win.doc.undo_stack.undo()                          # back to the unshared start
    n = len(lab.stepper)
    press(qtbot, win, Qt.Key.Key_Right, n)
    qtbot.waitUntil(lambda: "0.280471447" in lab.equations.plain_text(), timeout=2000)


def test_surface_lab_descent_keeps_the_lessons_frozen_biases(main_window, qtbot):
    """mazur-2-2-2 says 'the biases stay fixed, as in the notes': the error-surface lab's
    descent keeps them, and 10,000 steps reach the notes' E_total (to about 1e-5)."""
    win = main_window
    assert win.open_lesson("mazur-2-2-2")
    win.show_lab("surface")
    lab = win.current_lab
    ctl = lab.controller
    qtbot.waitUntil(lambda: not ctl.busy() and ctl.surface is not None, timeout=30_000)
    win.current_lab.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_Right)             # one descent step by the clicker key
    assert ctl.steps == 1
    assert win.doc.network.biases[1].tolist() == [0.6, 0.6]
    lab.advance(9_999)
    assert ctl.steps == 10_000
    net = win.doc.network
    assert net.biases[0].tolist() == [0.35, 0.35] and net.biases[1].tolist() == [0.6, 0.6]
    assert abs(ctl.current_cost() - 0.0000351085) < 1e-5       # the notes' value
    assert abs(ctl.current_cost() - 0.0000351019) < 1e-10      # float64 exact


def test_sigmoid_neuron_epochs_by_train_n_in_mini_batch_mode(lab, main_window, qtbot):
    """REFERENCE section 6 through the Workbench: the matrix view's mini-batch (both points,
    the summed error), then Train N steps: 100 and 1000 epochs."""
    win = main_window
    assert win.open_lesson("sigmoid-neuron", switch_lab=False)
    assert lab.train_n.steps.value() == 1000          # the lesson's epochs
    press(qtbot, win, Qt.Key.Key_M)
    qtbot.mouseClick(lab.matrix_view.batch, Qt.MouseButton.LeftButton)
    text = train_n(lab, qtbot, 1)
    assert "on 2 examples at once" in text
    assert "w = -1.9945076808" in text and "b = -1.9922888408" in text
    assert "error = 0.4157298551" in text
    text = train_n(lab, qtbot, 99)
    assert "w = 1.0029902114" in text and "b = -1.0507858881" in text
    assert "error = 0.0177410096" in text
    text = train_n(lab, qtbot, 900)
    assert "w = 1.7917198301" in text and "b = -2.2821180729" in text
    assert "error = 2.43e-11" in text


def test_relu_approximation_has_a_goal_and_a_score(main_window, qtbot):
    """'Not even close' can be judged: a goal curve and the score, about 16 for six lines
    and about 0.7 once ReLU bends them."""
    win = main_window
    assert win.open_lesson("relu-approximation")
    lab = win.current_lab
    qtbot.waitUntil(lambda: not lab.plots._timer.isActive())
    linear = lab.ctl.readouts.score()
    assert linear is not None and 15 < linear < 18
    assert f"{linear:.4f}" in lab.controls.score_label.text()
    x, g = lab.plots.goal_curve.getData()            # the goal is drawn
    np.testing.assert_allclose(g, 0.45 * x ** 3 + 0.4 * x ** 2 + 0.3 * x - 0.4)
    qtbot.keyClick(win, Qt.Key.Key_Right)              # ReLU
    qtbot.waitUntil(lambda: not lab.plots._timer.isActive())
    relu = lab.ctl.readouts.score()
    assert relu < 1 and f"{relu:.4f}" in lab.controls.score_label.text()


def test_workbench_steps_show_l2_momentum_and_dropout_terms(lab, main_window, qtbot):
    """The options set in the training lab (the shared document) appear in the Workbench's
    update steps: the decay term, the velocity carried from one training step to the next."""
    win = main_window
    win.doc.set_config(l2=0.2, momentum=0.9)
    n = len(lab.stepper)
    press(qtbot, win, Qt.Key.Key_Right, 28)                # w5⁺
    step = lab.stepper.step
    assert step.equation.lhs == "w5⁺"
    qtbot.waitUntil(lambda: "μ·vw5 − η·gw5" in lab.equations.plain_text(), timeout=2000)
    text = lab.equations.plain_text()                      # v_w5 drawn with a subscript
    assert "∂Etotal/∂w5 + λ2/n·w5" in text and "0.082167041 + 0.2/1·0.4" in text
    g5 = step.details[0].value
    assert step.details[-1].value == pytest.approx(-0.5 * g5)      # v = 0.9·0 − η g
    press(qtbot, win, Qt.Key.Key_Right, n - 28 + 1)         # past the end: the training step
    assert lab.stepper.t == 1 and lab.stepper.opt_states.get(1) is not None
    press(qtbot, win, Qt.Key.Key_Right, 28)
    step = lab.stepper.step
    v0 = lab.stepper.opt_states[1].slots[2]["v"][0, 0]    # [W1, b1, W2, ...]: W2
    assert step.details[-1].value == pytest.approx(0.9 * v0 - 0.5 * step.details[-2].value)
    # and nnviz worked prints the same terms for a lesson that sets them
    from nnviz.engine.stepping.worked import worked_markdown
    from nnviz.engine.teaching.lessons import load_lesson

    md = worked_markdown(load_lesson("overfitting-l2"))
    assert "L2 (weight decay): λ2 = 1, n = 400" in md and "λ2/n·w" in md


def test_train_n_trains_with_the_optimiser_chosen_in_the_training_lab(lab, main_window, qtbot):
    """Momentum chosen in the Training lab: Train 3 steps equals three Ctrl+→ training steps
    (the velocity carried); Adam is what Train N runs then, and the result says so; the
    next step key goes on from Adam's state."""
    from nnviz.engine.learning.training import OptimizerState, train_step

    win = main_window
    start = win.doc.network.copy()
    win.show_lab("training")
    tl = win.current_lab
    tl.readout.controls.setChecked(True)
    box = tl.optimiser_box.optimiser
    qtbot.waitUntil(box.isVisible)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Down)              # SGD -> Momentum (μ = 0.9)
    assert win.doc.config.optimiser_spec() == ("momentum", {"momentum": 0.9})
    win.show_lab("workbench")
    lab.graph.setFocus()
    press(qtbot, win, Qt.Key.Key_Right, 3, Qt.KeyboardModifier.ControlModifier)
    assert lab.stepper.t == 3
    by_keys = win.doc.network.copy()
    for _ in range(3):
        win.doc.undo_stack.undo()
    assert win.doc.network.equals(start) and lab.stepper.t == 0
    text = train_n(lab, qtbot, 3)
    for a, b in zip(win.doc.network.weights, by_keys.weights):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-16)
    assert "with Momentum (μ = 0.9), η = 0.5" in text
    assert "plain gradient descent" not in text
    # the next step key goes on with the velocity Train N reached
    press(qtbot, win, Qt.Key.Key_Right, 1, Qt.KeyboardModifier.ControlModifier)
    assert lab.stepper.t == 2
    win.doc.undo_stack.undo()
    win.doc.undo_stack.undo()
    assert win.doc.network.equals(start)
    # Adam, chosen in the Optimiser box
    win.show_lab("training")
    box.setFocus()
    while box.currentData() != "adam":
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert win.doc.config.optimiser_spec()[0] == "adam"
    win.show_lab("workbench")
    lab.graph.setFocus()
    text = train_n(lab, qtbot, 4)
    assert "with Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-08), η = 0.5" in text
    assert lab.stepper.opt_states[1].name == "adam" and lab.stepper.opt_states[1].t == 4
    ref, state = start.copy(), OptimizerState()
    cfg = win.doc.config
    x, y = win.doc.example_x.reshape(1, -1), win.doc.example_y.reshape(1, -1)
    for _ in range(4):
        train_step(ref, x, y, win.doc.loss, cfg, state, n_train=len(win.doc.x), epoch=0)
    for a, b in zip(win.doc.network.weights, ref.weights):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-16)
    assert win.doc.network.biases[1].tolist() == [0.6, 0.6]   # still frozen


def test_workbench_writes_out_adam_chosen_in_the_training_lab(lab, main_window, qtbot):
    """Any optimiser the app offers is written out in the worked step: Adam, picked in the
    Training lab's optimiser box, with its moments and bias correction in the Workbench."""
    win = main_window
    win.show_lab("training")
    box = win.current_lab.optimiser_box
    box.optimiser.setCurrentIndex(box.optimiser.findData("adam"))
    box.optimiser.activated.emit(box.optimiser.currentIndex())
    win.show_lab("workbench")
    lab.graph.setFocus()
    eta = win.doc.config.eta
    n = len(lab.stepper)
    press(qtbot, win, Qt.Key.Key_Right, 28)                # w5⁺
    step = lab.stepper.step
    assert step.equation.lhs == "w5⁺"
    g = step.details[0].value
    m, v, m_hat, v_hat, den = (d.value for d in step.details[1:])
    assert den == pytest.approx(np.sqrt(v_hat) + 1e-8, rel=1e-15)
    assert (m, v) == (pytest.approx(0.1 * g, rel=1e-15), pytest.approx(0.001 * g * g))
    assert (m_hat, v_hat) == (pytest.approx(g, rel=1e-14), pytest.approx(g * g, rel=1e-14))
    assert step.equation.value == pytest.approx(0.4 - eta * g / (abs(g) + 1e-8), rel=1e-14)
    shown = lambda: lab.equations.plain_text().replace("\n", " ")   # noqa: E731
    qtbot.waitUntil(lambda: "mˆw5 = mw5/(1 − β₁t)" in shown(), timeout=2000)
    tight = shown().replace(" ", "").replace("−", "-")     # as one line or broken in lines
    assert "w5-η·mˆw5/(√(vˆw5)+ε)" in tight and "0.008216704/(1-0.91)" in tight
    # the lesson's caption here writes out w5 − η·∂E/∂w5: not shown for an Adam step
    qtbot.wait(10)
    assert "w5+ = 0.4 - 0.5 *" not in win.caption_bar.text_label.text()
    press(qtbot, win, Qt.Key.Key_Right, n - 28 + 1)         # the training step
    assert lab.stepper.t == 1 and lab.stepper.opt_states[1].t == 1
    press(qtbot, win, Qt.Key.Key_Right, 28)
    step = lab.stepper.step
    m0 = lab.stepper.opt_states[1].slots[2]["m"][0, 0]      # [W1, b1, W2, ...]: w5 in W2
    g2 = step.details[0].value
    assert step.details[1].value == pytest.approx(0.9 * m0 + 0.1 * g2, rel=1e-14)
    assert step.details[3].stages[1].endswith("/(1 - 0.9^2)")
