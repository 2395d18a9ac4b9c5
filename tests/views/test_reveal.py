"""Predict, then reveal in the Workbench, by real key presses on the real window: the
result hidden everywhere it shows, a wrong guess, a right one, R, and the tally."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from nnviz.engine.core.naming import fmt

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
    assert _plain(bar.question.text()).startswith("Guess ") and "/∂w5" in _plain(bar.question.text())
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
    # the caption bar says what to predict (a lesson's caption may quote the result)
    assert lab.result_hidden()
    assert win.caption_bar.text_label.text().startswith("Predict out(1,4) before it is shown")
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
    assert _plain(wb.reveal.bar.question.text()) == "Guess δ^3 (first entry):"
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
    step = lab.ctl.run.last_step()
    page = lab.perceptron_page
    shown = page.step_label.text().replace("\xa0", " ")   # (formulas: no-break spaces)
    assert "w·x = ? → misclassified or correct?" in shown
    # w after the step is asked too (in whichever wording fits, if any shows w)
    assert "w = (b, w1, w2) = ?" in page.iter_label.toolTip()
    assert page.iter_label.text().endswith(" = ?") or "w =" not in page.iter_label.text()
    assert _plain(lab.reveal.bar.question.text()) == "Guess w·x:"
    _type(qtbot, lab.reveal.bar.edit, repr(step.wx + 10))
    assert lab.reveal.bar.verdict.text().startswith("Not quite")
    qtbot.keyClick(win, Qt.Key.Key_R)
    QApplication.processEvents()
    assert "?" not in page.step_label.text()
    assert f"w·x = {fmt(step.wx)} → " in page.step_label.text().replace("\xa0", " ")


def _perceptron_shown(page) -> dict:
    """What the perceptron page shows of its weights: the sliders, the z column of the
    truth table, and the decision line's points."""
    page.flush()
    z = [page.table.item(r, 2).text() for r in range(page.table.rowCount())]
    xs, ys = page.line.getData()
    return {"sliders": {k: page.sliders[k].value() for k in ("w1", "w2", "b")},
            "z": z, "line": (np.round(xs, 9).tolist(), np.round(ys, 9).tolist())}


def test_a_hidden_perceptron_step_shows_the_weights_before_it(main_window, qtbot):
    """Predict mode: while w·x is hidden the sliders, the z table and the line show the
    weights the step started from (the new ones told the class the point had been
    misclassified); R shows the step's weights everywhere."""
    win = main_window
    assert win.open_lesson("perceptron-and")
    lab = win.lab("neuron")
    page = lab.perceptron_page
    for _ in range(12):
        qtbot.keyClick(win, Qt.Key.Key_Right)
    before = _perceptron_shown(page)
    qtbot.keyClick(win, Qt.Key.Key_Q)
    qtbot.keyClick(win, Qt.Key.Key_Right)
    QApplication.processEvents()
    step = lab.ctl.run.last_step()
    assert step.update != 0          # this step changes w: misclassified
    assert lab.result_hidden()
    assert _perceptron_shown(page) == before
    b, w1, w2 = step.w_before
    assert _perceptron_shown(page)["sliders"] == {"w1": w1, "w2": w2, "b": b}
    qtbot.keyClick(win, Qt.Key.Key_R)
    QApplication.processEvents()
    after = _perceptron_shown(page)
    b, w1, w2 = step.w_after
    assert after["sliders"] == {"w1": w1, "w2": w2, "b": b} and after["z"] != before["z"]


def test_the_convolution_backward_pass_is_hidden_until_guessed(main_window, qtbot):
    """Backward, the routed δp and then each cell's δ are asked: until guessed or
    revealed, neither they nor what is made from them (the shares routed into ∂C/∂a,
    δ × patch, ∂C/∂w and ∂C/∂b) are shown."""
    win = main_window
    assert win.open_lesson("conv-edge")
    QApplication.processEvents()
    lab = win.lab("conv")
    c, page = lab.ctl, lab.conv_page
    qtbot.keyClick(win, Qt.Key.Key_Q)
    for _ in range(2):                                   # the whole map, the pooled map
        qtbot.keyClick(win, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(win, Qt.Key.Key_Right)                # backward: the first window
    QApplication.processEvents()
    pb = c.pool_back_cell()
    assert _plain(lab.reveal.bar.question.text()) == "Guess δp(1,1):"
    text = page.arith.result.text()
    assert text.startswith(f"δp(1,1) = ∂C/∂p with p = {fmt(pb.p)}, t = 1:  δp = ?")
    assert fmt(pb.delta) not in text and page.pooled.shown.sum() == 0
    assert not page.fmap.values.any() and page.fmap.marked is None     # nothing routed yet
    assert not page.arith.products[0].shown.any() and lab.result_hidden()   # blank
    assert not page.arith.kernels[0].shown.any()
    _type(qtbot, lab.reveal.bar.edit, repr(pb.delta + 1))
    assert lab.reveal.bar.verdict.text().startswith("Not quite") and lab.result_hidden()
    _type(qtbot, lab.reveal.bar.edit, repr(pb.delta))
    assert lab.reveal.bar.verdict.text().startswith("Right")
    assert page.arith.result.text().startswith(f"δp(1,1) = p − t = {fmt(pb.p)} − 1 = ")
    assert page.pooled.shown.sum() == 1 and page.arith.products[0].shown is None
    np.testing.assert_array_equal(page.fmap.values, pb.da_after)
    qtbot.keyClick(win, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    for _ in range(10):                                  # output cell (2,4): δ = 0.5625
        qtbot.keyClick(win, Qt.Key.Key_Right)
    QApplication.processEvents()
    cb = c.conv_back_cell()
    assert (cb.row, cb.col, cb.delta) == (1, 3, 0.5625)
    assert _plain(lab.reveal.bar.question.text()) == "Guess δ(2,4):"
    z = c.maps[0][1, 3]
    assert page.arith.result.text() == (f"δ(2,4) = ∂C/∂a · ReLU′(z) = {fmt(cb.da)} × "
                                        f"ReLU′({fmt(z)}) = ?\n∂C/∂b = {fmt(cb.db_before)}"
                                        " + δ(2,4) = ?")
    np.testing.assert_array_equal(page.dw.grids[0].values, cb.dw_before[0])  # not yet added
    assert not page.arith.products[0].shown.any() and page.fmap.shown.sum() == 9
    assert win.caption_bar.text_label.text().startswith("Predict δ(2,4) before") and \
        "press R" in win.caption_bar.text_label.text()
    qtbot.keyClick(win, Qt.Key.Key_R)
    QApplication.processEvents()
    assert not lab.result_hidden() and page.arith.products[0].shown is None
    np.testing.assert_allclose(page.dw.grids[0].values, cb.dw_after[0])
    assert "δ(2,4) = ∂C/∂a · ReLU′(z) = " in page.arith.result.text()
    assert page.arith.result.text().endswith(f"= {fmt(cb.db_after)}")
    assert page.fmap.shown.sum() == 10


def _grid_row(bar, w) -> int:
    """The row of the bar's grid that holds ``w``, itself or in a row's own layout (found
    without QLayout.itemAt: the wrappers it leaves outlive the items the bar deletes when
    it rearranges, see test_layout_wrappers.py)."""
    i = bar.grid.indexOf(w)
    if i < 0:
        i = next(bar.grid.indexOf(row) for row in bar._rows if row.indexOf(w) >= 0)
    return bar.grid.getItemPosition(i)[0]


def test_the_convolution_guess_bar_is_two_rows(main_window, qtbot):
    """In the Convolution lab the question, the guess and the buttons share a line (the
    pictures keep their height); the Workbench's bar keeps three rows."""
    win = main_window
    conv_bar, wb_bar = win.lab("conv").reveal.bar, win.lab("workbench").reveal.bar
    for bar, rows in ((conv_bar, 2), (wb_bar, 3)):
        row = {w: _grid_row(bar, w)
               for w in (bar.question, bar.edit, bar.check, bar.reveal, bar.verdict, bar.tally)}
        assert max(row.values()) == rows - 1
        assert (row[bar.edit] == row[bar.question]) == (rows == 2)
    assert conv_bar.edit.placeholderText() == "e.g. 0.59"


def _training_shown(win) -> dict:
    """What the Training lab shows of its numbers after it has drawn (its redraw is paced)."""
    lab = win.lab("training")
    lab.redraw()
    QApplication.processEvents()
    r = lab.readout
    return {"train": r.train_loss.value.text(), "test": r.test_loss.value.text(),
            "acc": r.accuracy.value.text(), "points": len(lab.curves._h["epoch"]),
            "caption": win.caption_bar.text_label.text(), "status": win.status_label.text()}


def test_the_training_lab_hides_a_steps_losses_until_predicted(main_window, qtbot):
    """Q in the Training lab: a step (→, or the 1 batch button) is trained, but its losses
    stay hidden (readout "?", no new curve point, no accuracy in the status bar, the
    caption bar says what to predict) until the class has said up or down for both
    losses (counted in the tally) or R reveals them; Q again shows everything."""
    from nnviz.views.training.predict import MODE_TEXT

    win = main_window
    assert win.open_lesson("spiral")
    lab = win.current_lab
    assert lab.name == "training"
    for _ in range(2):
        qtbot.keyClick(win, Qt.Key.Key_Right)   # mode off: each epoch shown at once
    seen = _training_shown(win)
    assert lab.ctl.epoch == 2 and seen["train"] != "?" and seen["points"] == 3
    qtbot.keyClick(win, Qt.Key.Key_Q)
    assert win.reveal_actions.act_mode.isChecked()
    assert win.statusBar().currentMessage() == MODE_TEXT
    bar = lab.reveal.bar
    assert bar.isVisible() and "take a step" in bar.question.text()
    before = lab.ctl.scores_now()
    qtbot.keyClick(win, Qt.Key.Key_Right)
    after = lab.ctl.scores_now()
    hidden = _training_shown(win)
    assert lab.ctl.epoch == 3 and lab.result_hidden()
    assert (hidden["train"], hidden["test"], hidden["acc"]) == ("?", "?", "?")
    assert hidden["points"] == 3                         # the new point is not drawn
    assert "accuracy" not in hidden["status"] and "Predict" in hidden["caption"]
    assert bar.question.text() == "Did each loss go up or down? (this step)"
    # the class answers: the training loss the right way, the test loss the wrong way
    train_way = "down" if after[0][0] < before[0][0] else "up"
    test_wrong = "up" if after[1][0] < before[1][0] else "down"
    qtbot.mouseClick(bar.buttons["train", train_way], Qt.MouseButton.LeftButton)
    assert lab.result_hidden()                           # one answer: still hidden
    qtbot.mouseClick(bar.buttons["test", test_wrong], Qt.MouseButton.LeftButton)
    shown = _training_shown(win)
    assert not lab.result_hidden() and shown["points"] == 4
    assert shown["train"] == f"{lab.ctl.history.train_loss[-1]:.4g}"
    result = bar.result.text()
    assert f"you said {train_way}: right" in result and f"you said {test_wrong}: not quite" in result
    assert fmt(round(after[0][0], 4)) in result and fmt(round(before[0][0], 4)) in result
    assert bar.tally.text() == "1 right · 0 close · 1 wrong"
    # the next step is hidden again; R reveals it without an answer
    qtbot.keyClick(win, Qt.Key.Key_Right)
    assert lab.result_hidden() and _training_shown(win)["train"] == "?"
    qtbot.keyClick(win, Qt.Key.Key_R)
    assert not lab.result_hidden() and _training_shown(win)["train"] != "?"
    assert "you said" not in bar.result.text() and "→" in bar.result.text()
    # the side panel's "1 batch" goes through the mode too
    lab.run_panel.step_batch.click()
    assert lab.result_hidden() and _training_shown(win)["train"] == "?"
    qtbot.keyClick(win, Qt.Key.Key_Q)                    # off: everything shown again
    assert not lab.result_hidden() and not bar.isVisible()
    assert _training_shown(win)["train"] != "?"
    assert win.statusBar().currentMessage() == "Results are shown again"


def test_q_in_a_lab_with_nothing_to_hide_says_so_and_stays_off(main_window, qtbot):
    """The Universality lab and the Error surface hide nothing: Q says so in the status bar
    and never switches the mode on (it used to say "Predict mode on" and do nothing)."""
    win = main_window
    for lesson in ("universality-bumps", "sigmoid-neuron"):
        assert win.open_lesson(lesson)
        qtbot.keyClick(win, Qt.Key.Key_Q)
        message = win.statusBar().currentMessage()
        assert message.startswith("Predict mode: this lab has nothing to hide — "), message
        assert not win.reveal_actions.act_mode.isChecked() and not win.reveal.enabled
        assert "mode on" not in message


def _plain(text: str) -> str:
    """A label's text without the marks that keep it from breaking (no-break spaces,
    word joiners)."""
    return text.replace("\u00a0", " ").replace("\u2060", "")


def test_the_convolution_guess_bar_is_one_row_in_presentation_mode(main_window, qtbot):
    """F5: the Convolution lab's bar is one row (question, guess, buttons and tally; its
    backward grids under two rows were colours only at 1024x768 and 1280x720); the verdict
    on a guess is then the caption bar's second line. Out of F5 the bar has two rows
    again, the verdict in it, and the clicker keys still step."""
    from tests.views.projector_window import set_presentation

    win = main_window
    assert win.open_lesson("conv-edge")
    lab = win.lab("conv")
    bar = lab.reveal.bar
    set_presentation(win, qtbot, True)
    qtbot.keyClick(win, Qt.Key.Key_Q)
    for _ in range(4):
        qtbot.keyClick(win, Qt.Key.Key_Right)
    QApplication.processEvents()
    row = {w: _grid_row(bar, w) for w in (bar.question, bar.edit, bar.check, bar.reveal,
                                          bar.tally)}
    assert set(row.values()) == {0} and not bar.verdict.isVisible()
    caption = win.caption_bar.text_label
    assert lab.result_hidden()
    qtbot.waitUntil(lambda: caption.text().startswith("Predict"), timeout=2000)
    assert caption.text() == "Predict out(1,4) before it is shown: Enter checks a guess, " \
                             "press R reveals it."
    _type(qtbot, bar.edit, "123")
    QApplication.processEvents()
    said = bar.verdict.text()
    assert said.startswith("Not quite")
    qtbot.waitUntil(lambda: caption.text().endswith("\n" + said), timeout=2000)
    _type(qtbot, bar.edit, "x")
    QApplication.processEvents()
    qtbot.waitUntil(lambda: caption.text().endswith("\ntype a number, like 0.5933 (not 'x')"),
                    timeout=2000)
    win.setFocus()
    set_presentation(win, qtbot, False)
    QApplication.processEvents()
    assert _grid_row(bar, bar.verdict) == 1 and bar.verdict.isVisible()
    qtbot.waitUntil(lambda: "\n" not in caption.text(), timeout=2000)   # the bar says it
    k = lab.ctl.k
    qtbot.keyClick(win, Qt.Key.Key_Right)
    QApplication.processEvents()
    assert lab.ctl.k == k + 1
