"""REFERENCE sections 3 and 5 through the Workbench as a student uses it: open the lesson,
type the example into the Network dock, step with the keys (neuron view and matrix view)
and read the numbers on screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.views.workbench_keys import press


def type_example(lab, qtbot, inputs):
    """Edit the example's inputs in the Network dock's table, cell by cell."""
    lab.dock_editor.show()
    lab.dock_editor.raise_()
    table = lab.editor.example
    for r, v in enumerate(inputs):
        table.item(r, 0).setText(str(v))           # as the cell editor commits a typed value
    lab.graph.setFocus()


def test_step_network_forward_pass_section_3(lab, main_window, qtbot):
    win = main_window
    assert win.open_lesson("step-network")
    shown = {}
    for _ in range(len(lab.stepper)):
        press(qtbot, win, Qt.Key.Key_Right)
        s = lab.stepper.step
        if s.phase == "forward":
            shown[s.equation.lhs] = s.equation.text()
    qtbot.waitUntil(lambda: "step" in lab.equations.plain_text(), timeout=2000)
    # f(v) = 1 if v >= 0: v3 = 2, v4 = 1, y3 = y4 = 1, v5 = 1, y5 = 1
    assert shown["v3"].endswith("= 2") and shown["v4"].endswith("= 1")
    assert shown["v5"].endswith("= 1") and shown["y5"].endswith("= 1")
    assert shown["y3"].endswith("= 1") and shown["y4"].endswith("= 1")
    assert "v3 = w13*x1 + w23*x2 = 2*1 - 3*0 = 2" == shown["v3"]


@pytest.mark.parametrize("inputs,expect", [((0, 0), 0), ((0, 1), 1), ((1, 0), 1), ((1, 1), 0)])
def test_xor_sigmoid_network_section_5(lab, main_window, qtbot, inputs, expect):
    """h1 = σ(20x1 + 20x2 − 10) (OR), h2 = σ(−20x1 − 20x2 + 30) (NAND), out = σ(20h1 + 20h2
    − 30) (AND): the matrix view's forward steps give outputs that round to XOR."""
    win = main_window
    assert win.open_lesson("xor-mlp")
    type_example(lab, qtbot, inputs)
    assert win.doc.example_x.tolist() == list(inputs)
    press(qtbot, win, Qt.Key.Key_M)
    press(qtbot, win, Qt.Key.Key_Right, 4)           # z², a², z³, a³
    step = lab.matrix.step
    assert step.kind == "a" and step.layer == 2
    assert round(float(step.value[0, 0])) == expect
    lab.matrix_view.canvas.grab()
    assert any(t.startswith("a^3 = σ(z^3)") for t in lab.matrix_view.canvas.texts())
