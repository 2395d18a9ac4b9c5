"""The Workbench's matrix view driven like a student: M toggles it, the step keys step layer
by layer, and every number of the notes' worked examples appears on screen."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
from PySide6.QtCore import Qt

from tests.views.workbench_keys import press

NO = Qt.KeyboardModifier.NoModifier

# (matrix step, numbers the notes print that this step shows) — REFERENCE section 1
MAZUR = [
    (1, ["0.3775"]),                                        # z^2 = W^2 a^1 + b^2
    (2, ["0.593269992", "0.596884378"]),                    # a^2 = σ(z^2)
    (3, ["1.105905967"]),
    (4, ["0.75136507", "0.772928465"]),
    (5, ["0.298371109", "0.74136507"]),                     # C and ∇ₐC
    (6, ["0.186815602", "0.138498562", "−0.038098237"]),    # BP1: σ′(z^3), δ^3
    (8, ["0.082167041"]),                                   # BP4: ∂C/∂w5 = δ_o1 out_h1
    (9, ["0.036350306", "0.241300709"]),                    # BP2: (W^3)ᵀ δ^3, σ′(z^2)
    (11, ["0.000438568"]),                                  # BP4 of the hidden layer
    (12, ["0.149780716", "0.19956143", "0.24975114", "0.29950229"]),
    (13, ["0.35891648", "0.408666186", "0.51130127", "0.561370121"]),
    (14, ["0.291027774"]),
]




def shows_number(text: str, printed: str) -> bool:
    """The screen shows a number that rounds to ``printed`` at the digits printed."""
    want = float(printed.replace("−", "-"))
    digits = len(printed.split(".")[1]) if "." in printed else 0
    for tok in re.findall(r"[−-]?\d+\.\d+", text):
        v = float(tok.replace("−", "-"))
        if round(v, digits) == want:
            return True
    return False


def shown(lab) -> str:
    """What the matrix view shows now (painted into an image, as on screen)."""
    lab.matrix_view.canvas.grab()
    return lab.matrix_view.shown_text()


def test_m_toggles_the_matrix_view_and_the_keys_step_layer_by_layer(lab, main_window, qtbot):
    win = main_window
    press(qtbot, win, Qt.Key.Key_M)
    assert lab.centre.currentWidget() is lab.matrix_view and lab.matrix_view.isVisible()
    assert lab.act_matrix.isChecked() and lab.act_matrix in win.step_menu.actions()
    k = 0
    for step, numbers in MAZUR:
        press(qtbot, win, Qt.Key.Key_Right, step - k)
        k = step
        assert lab.matrix.m == step
        text = shown(lab)
        for number in numbers:           # to the digits the notes print
            assert shows_number(text, number), (step, number, text)
    qtbot.waitUntil(lambda: "matrix step 14 of 14" in win.status_label.text(), timeout=2000)
    # BP labels as notes 002 and 004 name them, the transpose drawn
    press(qtbot, win, Qt.Key.Key_Left, 14 - 9)
    text = shown(lab)
    assert "BP2" in text and "(W^3)ᵀ" in text and "w7" in text
    # the neuron stepper followed: the graph and the equation panel show the same moment
    assert lab.stepper.k == 21
    qtbot.waitUntil(lambda: "0.009954255" in lab.equations.plain_text(), timeout=2000)
    press(qtbot, win, Qt.Key.Key_M)
    assert lab.centre.currentWidget() is lab.graph and lab.stepper.k == 21
    press(qtbot, win, Qt.Key.Key_M)                    # back: resumes at the same step
    assert lab.matrix.m == 9


def test_the_graph_behind_the_matrix_view_waits_until_it_is_shown(lab, main_window, qtbot,
                                                                   monkeypatch):
    """While the matrix view covers the graph, steps do not redraw the graph (a third of a
    step's time); M brings it back drawn at the stepper's micro-step."""
    from nnviz.views.workbench.present import graph_state

    win = main_window
    drawn = []
    real = lab.graph.set_state
    monkeypatch.setattr(lab.graph, "set_state", lambda s: (drawn.append(s), real(s)))
    press(qtbot, win, Qt.Key.Key_M)
    press(qtbot, win, Qt.Key.Key_Right, 6)
    qtbot.waitUntil(lambda: "matrix step 6 of 14" in win.status_label.text(), timeout=2000)
    assert drawn == [] and lab.stepper.k > 0
    press(qtbot, win, Qt.Key.Key_M)
    qtbot.waitUntil(lambda: len(drawn) > 0, timeout=2000)
    st = lab.stepper
    want = graph_state(st.trace, st.trace.state_at(st.k), st.doc.naming,
                       lab.style_.presentation)
    shown_now = lab.graph.state
    for f in dataclasses.fields(want):   # field by field (arrays among them)
        a, b = getattr(shown_now, f.name), getattr(want, f.name)
        assert repr(a) == repr(b), f.name


def test_bp1_is_two_column_vectors_and_their_hadamard_product(lab, main_window, qtbot):
    press(qtbot, main_window, Qt.Key.Key_M)
    press(qtbot, main_window, Qt.Key.Key_Right, 6)
    step = lab.matrix.step
    assert step.label == "BP1" and "⊙" in step.lines[0]
    mats = [t for t in step.lines[0] if not isinstance(t, str)]
    assert [m.values.shape for m in mats] == [(2, 1)] * 3
    text = shown(lab)
    assert "BP1" in text and "δ^3 = ∇ₐC ⊙ σ′(z^3)" in text
    # the equation panel (neuron view) shows δ_o2, the same number
    qtbot.waitUntil(lambda: "−0.038098237" in lab.equations.plain_text(), timeout=2000)


def test_shift_right_ctrl_right_and_play_step_the_matrix_trace(lab, main_window, qtbot):
    win = main_window
    press(qtbot, win, Qt.Key.Key_M)
    press(qtbot, win, Qt.Key.Key_Right, 1, Qt.KeyboardModifier.ShiftModifier)
    assert lab.matrix.m == 2                          # z^2 and a^2: the whole layer
    press(qtbot, win, Qt.Key.Key_Home)
    assert lab.matrix.m == 0
    press(qtbot, win, Qt.Key.Key_Right, 1, Qt.KeyboardModifier.ControlModifier)
    assert lab.stepper.t == 1 and lab.matrix.m == 0
    w = win.doc.network.weights[1]
    assert np.round(w, 9).tolist() == [[0.35891648, 0.408666186], [0.51130127, 0.561370121]]
    lab.stepper.set_speed(50)
    press(qtbot, win, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: lab.matrix.m >= 3, timeout=3000)
    press(qtbot, win, Qt.Key.Key_P)
    assert not lab.stepper.playback.playing


def test_input_layer_numbering_one_by_default_zero_as_an_option(lab, main_window, qtbot):
    press(qtbot, main_window, Qt.Key.Key_M)
    press(qtbot, main_window, Qt.Key.Key_Right)
    assert "z^2 = W^2 a^1 + b^2" in shown(lab)
    qtbot.waitUntil(lambda: "Forward · layer 2" in main_window.status_label.text(),
                    timeout=2000)
    combo = lab.matrix_view.numbering
    combo.setCurrentIndex(combo.findData(0))
    qtbot.wait(30)
    assert "z^1 = W^1 a^0 + b^1" in shown(lab)
    press(qtbot, main_window, Qt.Key.Key_M)           # the neuron view follows the choice
    assert lab.stepper.step.title.startswith("Forward · layer 1 · neuron")


def test_linear_2_2_1_shows_notes_003_forms_with_their_rounding(lab, main_window, qtbot):
    main_window.open_lesson("linear-2-2-1")
    press(qtbot, main_window, Qt.Key.Key_M)
    press(qtbot, main_window, Qt.Key.Key_Right, 6)
    assert "−0.809" in shown(lab)                      # Δ = prediction − actual
    press(qtbot, main_window, Qt.Key.Key_Right, 4)     # update of the hidden layer
    text = shown(lab)
    for s in ("w1", "w3", "w2", "w4", "−0.011", "−0.012", "−0.017", "−0.018", "0.12", "0.13",
              "0.23", "0.10", "0.121326", "0.0982025"):
        assert s in text, s
    press(qtbot, main_window, Qt.Key.Key_Right)        # the output layer: [w5; w6] − aΔ[h1; h2]
    text = shown(lab)
    for s in ("w5", "w6", "h1", "h2", "−0.034", "−0.019", "0.17", "0.1743825", "0.169416"):
        assert s in text, s


def test_mini_batch_mode_sums_the_sigmoid_neurons_two_points(lab, main_window, qtbot):
    win = main_window
    win.open_lesson("sigmoid-neuron", switch_lab=False)
    press(qtbot, win, Qt.Key.Key_M)
    qtbot.mouseClick(lab.matrix_view.batch, Qt.MouseButton.LeftButton)
    assert lab.matrix.batch and lab.matrix.trace.m == 2
    n = len(lab.matrix)
    examples = set()
    for _ in range(n):
        press(qtbot, win, Qt.Key.Key_Right)
        if lab.matrix.step.example is not None:
            examples.add(lab.matrix.step.example)
    assert examples == {0, 1}
    press(qtbot, win, Qt.Key.Key_Left, 4)
    assert lab.matrix.step.kind == "sum_w"
    text = shown(lab)
    assert "∂C/∂W^2 = Σₓ δ^(x,2) (a^(x,1))ᵀ" in text and "mini-batch of 2" in text
    press(qtbot, win, Qt.Key.Key_Right, 5)              # past the end: the batch update
    net = win.doc.network
    assert round(float(net.weights[0][0, 0]), 10) == -1.9945076808
    assert round(float(net.biases[0][0]), 10) == -1.9922888408


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720), (1366, 768), (1920, 1080)])
def test_readable_in_presentation_mode(lab, main_window, qtbot, size):
    win = main_window
    win.resize(*size)
    qtbot.keyClick(win, Qt.Key.Key_F5)
    press(qtbot, win, Qt.Key.Key_M)
    for _ in range(len(lab.matrix)):
        press(qtbot, win, Qt.Key.Key_Right)
        qtbot.wait(5)
        shown(lab)
        # nothing runs off the side: wide lines wrap instead of scrolling sideways; and the
        # type shrinks a little (not below 80 %) so the whole step is in view, no scrolling
        assert not lab.matrix_view.scroll.horizontalScrollBar().isVisible(), lab.matrix.step
        assert not lab.matrix_view.scroll.verticalScrollBar().isVisible(), lab.matrix.step
        assert lab.matrix_view.canvas.fit >= 0.8
    assert lab.matrix_view.canvas.font().pointSizeF() > 0
    qtbot.keyClick(win, Qt.Key.Key_F5)


def test_a_784_100_10_network_steps_in_the_matrix_view(lab, main_window, qtbot):
    """Big matrices are drawn abbreviated (first rows, ⋯, the last) and every step works."""
    win = main_window
    assert win.open_lesson("wide-784-100-10")
    press(qtbot, win, Qt.Key.Key_M)
    n = len(lab.matrix)
    assert n > 0
    for _ in range(n):
        press(qtbot, win, Qt.Key.Key_Right)
        shown(lab)
    lab.matrix.home()
    press(qtbot, win, Qt.Key.Key_Right)
    text = shown(lab)
    texts = lab.matrix_view.canvas.texts()
    assert "W^2" in text and "⋮" in texts and "⋯" in texts     # 100 x 784: abbreviated
    assert lab.matrix.step.value.shape == (100, 1)
    qtbot.mouseClick(lab.matrix_view.batch, Qt.MouseButton.LeftButton)
    assert lab.matrix.trace is not None and lab.matrix.trace.m >= 1


def test_matrix_view_state_survives_saving_and_hostile_state_is_refused(lab, main_window,
                                                                        qtbot):
    press(qtbot, main_window, Qt.Key.Key_M)
    lab.matrix_view.numbering.setCurrentIndex(lab.matrix_view.numbering.findData(0))
    st = lab.state()
    assert st["matrix"] == {"on": True, "batch": False, "input_layer": 0}
    press(qtbot, main_window, Qt.Key.Key_M)
    lab.matrix_view.numbering.setCurrentIndex(lab.matrix_view.numbering.findData(1))
    lab.restore_state(st)
    assert lab.matrix.active and main_window.doc.layer_base == 0
    for bad in ({"on": "yes"}, {"input_layer": 2}, {"input_layer": True}, {"x": 1}, [1]):
        with pytest.raises(ValueError):
            lab.restore_state({**st, "matrix": bad})
    assert lab.matrix.active and main_window.doc.layer_base == 0   # nothing changed
