"""Predict, then reveal in the Workbench, by real key presses on the real window: the
result hidden everywhere it shows, a wrong guess, a right one, R, and the tally."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from nnviz.engine.naming import fmt

RESULT_13 = "0.082167041"   # dE_total/dw5, step 13 of mazur-2-2-2


def _shown(win) -> str:
    QApplication.processEvents()   # the lab refreshes once per event (coalesced)
    wb = win.lab("workbench")
    return "\n".join([wb.equations.plain_text(), wb.equations.steps.currentItem().text(),
                      win.caption_bar.text_label.text(), *wb.graph.label_texts()])


def _type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)
    QApplication.processEvents()


def test_guess_then_reveal(main_window, qtbot):
    win = main_window
    wb = win.lab("workbench")
    bar = wb.reveal.bar
    for _ in range(13):
        qtbot.keyClick(win, Qt.Key.Key_Right)
    assert RESULT_13 in _shown(win)            # mode off: everything shown
    qtbot.keyClick(win, Qt.Key.Key_Q)
    assert win.reveal_actions.act_mode.isChecked()
    text = _shown(win)
    assert bar.isVisible()
    assert bar.question.text().startswith("Your guess for ") and "/∂w5" in bar.question.text()
    assert RESULT_13 not in text and "= ?" in text
    # a wrong guess is judged, counted, and gives nothing away
    _type(qtbot, bar.edit, "0.5")
    assert bar.verdict.text() == "Not quite: too high, by about 509%"
    assert RESULT_13 not in _shown(win)
    # the right value reveals the result everywhere
    _type(qtbot, bar.edit, "0.08217")
    assert bar.verdict.text() == f"Right: {RESULT_13}"
    assert RESULT_13 in wb.equations.plain_text() and RESULT_13 in _shown(win)
    assert bar.tally.text() == "0 right · 0 close · 1 wrong"   # the first guess counts
    # the next step is hidden again; R reveals it without a guess
    win.activateWindow()
    wb.graph.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_Right)
    assert wb.stepper.k == 14 and "= ?" in _shown(win)
    qtbot.keyClick(win, Qt.Key.Key_R)
    assert "= ?" not in _shown(win)
    assert "0.082667628" in wb.equations.plain_text()   # dE_total/dw6
    # back to step 13: it stays revealed; Q off shows everything again
    qtbot.keyClick(win, Qt.Key.Key_Left)
    assert RESULT_13 in _shown(win)
    qtbot.keyClick(win, Qt.Key.Key_Q)
    QApplication.processEvents()
    assert not bar.isVisible()


def test_the_graph_does_not_show_a_hidden_forward_value(main_window, qtbot):
    win = main_window
    wb = win.lab("workbench")
    qtbot.keyClick(win, Qt.Key.Key_Q)
    qtbot.keyClick(win, Qt.Key.Key_Right)            # net_h1 = 0.3775, hidden
    QApplication.processEvents()
    labels = " ".join(wb.graph.label_texts())
    assert "0.3775" not in labels and "0.3775" not in wb.equations.plain_text()
    assert wb.result_hidden()
    qtbot.keyClick(win, Qt.Key.Key_R)
    QApplication.processEvents()
    assert "0.3775" in " ".join(wb.graph.label_texts())
    assert not wb.result_hidden()


def test_r_where_nothing_is_hidden_says_so(main_window, qtbot):
    win = main_window
    qtbot.keyClick(win, Qt.Key.Key_R)
    assert "Nothing is hidden" in win.statusBar().currentMessage()


def test_convolution_cells_are_hidden_until_guessed(main_window, qtbot):
    win = main_window
    assert win.open_lesson("conv-edge")
    QApplication.processEvents()
    lab = win.lab("conv")
    assert win.current_lab is lab
    qtbot.keyClick(win, Qt.Key.Key_Q)
    for _ in range(4):
        qtbot.keyClick(win, Qt.Key.Key_Right)
    QApplication.processEvents()
    key, name, value = lab._question()
    assert name == "out(1,4)" and value == lab.ctl.cell().value
    page = lab.conv_page
    assert page.arith.result.text().endswith("out(1,4) = ?")
    assert not page.arith.products[0].isVisible()
    assert lab.result_hidden() and win.caption_bar.text_label.text() == ""
    _type(qtbot, lab.reveal.bar.edit, "123")
    assert lab.reveal.bar.verdict.text().startswith("Not quite")
    assert lab.result_hidden()
    _type(qtbot, lab.reveal.bar.edit, repr(value))
    assert lab.reveal.bar.verdict.text().startswith("Right")
    assert not lab.result_hidden() and page.arith.products[0].isVisible()
    assert "?" not in page.arith.result.text()


def test_the_matrix_view_hides_the_result_matrix(main_window, qtbot):
    win = main_window
    wb = win.lab("workbench")
    qtbot.keyClick(win, Qt.Key.Key_M)
    qtbot.keyClick(win, Qt.Key.Key_Q)
    for _ in range(6):                      # BP1: δ^3 = ∇C ⊙ σ'(z^3)
        qtbot.keyClick(win, Qt.Key.Key_Right)
    QApplication.processEvents()
    assert wb.matrix.active and wb.matrix.step.label == "BP1"
    text = wb.matrix_view.shown_text()
    assert "0.138498562" not in text and "?" in text
    assert wb.reveal.bar.question.text() == "Your guess for δ^3 (first entry):"
    _type(qtbot, wb.reveal.bar.edit, "0.1385")
    assert wb.reveal.bar.verdict.text() == "Right: 0.138498562"
    QApplication.processEvents()
    assert "0.138498562" in wb.matrix_view.shown_text()
    assert "−0.038098237" in wb.matrix_view.shown_text()


def test_the_perceptron_rule_asks_for_w_dot_x(main_window, qtbot):
    win = main_window
    assert win.open_lesson("perceptron-and")
    QApplication.processEvents()
    lab = win.lab("neuron")
    assert win.current_lab is lab and lab.page == "perceptron"
    qtbot.keyClick(win, Qt.Key.Key_Q)
    qtbot.keyClick(win, Qt.Key.Key_Right)
    QApplication.processEvents()
    step = lab.ctl.last_step()
    page = lab.perceptron_page
    assert "w·x = ? → misclassified or correct?" in page.step_label.text()
    assert "w = (b, w1, w2) = ?" in page.iter_label.text()
    assert lab.reveal.bar.question.text() == "Your guess for w·x:"
    _type(qtbot, lab.reveal.bar.edit, repr(step.wx + 10))
    assert lab.reveal.bar.verdict.text().startswith("Not quite")
    qtbot.keyClick(win, Qt.Key.Key_R)
    QApplication.processEvents()
    assert "?" not in page.step_label.text()
    assert f"w·x = {fmt(step.wx)} → " in page.step_label.text()
