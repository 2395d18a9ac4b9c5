"""The Convolution lab in the real main window, driven by key presses and clicks."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QMessageBox

from nnviz.engine.labs.cnn_train import CNNTrainer
from nnviz.engine.labs.conv_setup import parse_setup
from nnviz.engine.labs.conv_worked import conv_markdown
from nnviz.engine.teaching.lessons import load_lesson
from nnviz.views.conv.cells import COLOURS_NOTE, PROJECTOR_TEXT_PX, short
from nnviz.views.items.math_text import minus_signs, number
from nnviz.views.style import current_style

SHIFT, CTRL = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier


def press(qtbot, win, key, n=1, mod=Qt.KeyboardModifier.NoModifier):
    for _ in range(n):
        qtbot.keyClick(win.focusWidget() or win, key, mod)


@pytest.fixture
def lab(main_window, qtbot):
    win = main_window
    assert win.open_lesson("conv-edge")
    assert win.current_lab_name == "conv"
    qtbot.wait(30)
    return win.current_lab


def _page(lab, qtbot):
    qtbot.wait(20)          # the coalesced redraw
    return lab.conv_page


def test_ctrl_6_shows_the_sixth_lab(main_window, qtbot):
    win = main_window
    assert win.lab_names.index("conv") == 5
    qtbot.keyClick(win, Qt.Key.Key_6, CTRL)
    assert win.current_lab_name == "conv"
    assert win.current_lab.title == "Convolution"


def test_keys_step_the_kernel_and_fill_the_map(lab, main_window, qtbot):
    win = main_window
    page = _page(lab, qtbot)
    assert page.arith.result.text() == "" and "Start" in page.position.text()
    press(qtbot, win, Qt.Key.Key_Right, 2)
    page = _page(lab, qtbot)
    assert page.position.text().startswith("Position 2 of 36")
    assert page.image.outline == (0, 1, 3, 3)            # the patch outlined on the image
    assert page.arith.result.text() == "Σ 9 products = −2.375;   out(1,2) = −2.375 + 0 = −2.375"
    assert page.fmap.shown.sum() == 2 and page.fmap.outline == (0, 1, 1, 1)
    np.testing.assert_array_equal(page.arith.products[0].values,
                                  page.arith.patches[0].values * page.arith.kernels[0].values)
    press(qtbot, win, Qt.Key.Key_Space)
    press(qtbot, win, Qt.Key.Key_PageDown)
    assert lab.ctl.k == 4
    press(qtbot, win, Qt.Key.Key_Right, 1, SHIFT)          # finish the row
    assert lab.ctl.k == 6
    press(qtbot, win, Qt.Key.Key_Left)
    press(qtbot, win, Qt.Key.Key_Backspace)
    assert lab.ctl.k == 4
    press(qtbot, win, Qt.Key.Key_Right, 1, CTRL)           # the whole map
    page = _page(lab, qtbot)
    assert lab.ctl.k == 36 and page.fmap.shown.all()
    assert "Position 36 of 36" in win.status_label.text()


def test_pooling_is_stepped_with_the_max_cell_marked(lab, main_window, qtbot):
    win = main_window
    press(qtbot, win, Qt.Key.Key_Right, 1, CTRL)
    press(qtbot, win, Qt.Key.Key_Right)
    page = _page(lab, qtbot)
    pc = lab.ctl.pool_cell()
    assert page.fmap.outline == (0, 0, 2, 2)
    assert page.fmap.marked == (pc.winner[0], pc.winner[1])
    assert page.arith.result.text().startswith("max(") and page.arith.title.text().startswith(
        "Max pooling")
    assert "all of δ goes to the marked cell" in page.arith.result.text()
    lab.conv_page.controls.pool.setCurrentIndex(1)
    lab.conv_page.controls.pool.activated.emit(1)          # choose "average"
    page = _page(lab, qtbot)
    assert lab.ctl.setup.pool == "average" and page.fmap.marked is None
    assert " / 4 = " in page.arith.result.text() and "every cell gets δ/4" in \
        page.arith.result.text()


def test_the_pooling_lessons_backward_pass_has_its_caption(main_window, qtbot):
    """pooling: the forward captions do not run on into the backward pass, which has its
    own (the caption bar stood empty there, screenshots/conv-max-pooling-backward-...)."""
    win = main_window
    assert win.open_lesson("pooling")
    lab = win.current_lab
    backward = [c for c in load_lesson("pooling").captions if c.phase == "backward"]
    assert len(backward) == 1
    while lab.caption_position()[1] != "backward":
        k = lab.ctl.k
        press(qtbot, win, Qt.Key.Key_Right)
        assert lab.ctl.k == k + 1
    qtbot.waitUntil(lambda: win.caption_bar.text_label.text() == backward[0].text)
    assert win.caption_bar.question_label.text().endswith(backward[0].question)
    press(qtbot, win, Qt.Key.Key_Left)                     # back in the forward pass
    qtbot.waitUntil(lambda: win.caption_bar.text_label.text() != backward[0].text)


def test_editing_a_kernel_cell_by_typing_and_undo(lab, main_window, qtbot):
    win = main_window
    table = lab.conv_page.kernel.tables[0]
    rect = table.visualRect(table.model().index(1, 1))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = table.findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    QTest.keyClicks(editor, "4")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: lab.ctl.setup.kernels[0, 0, 1, 1] == 4.0)   # a queued commit
    assert lab.ctl.setup.kernels[0, 0, 1, 1] == 4.0
    assert "*" in win.windowTitle()
    qtbot.keyClick(win, Qt.Key.Key_Z, CTRL)
    assert lab.ctl.setup.kernels[0, 0, 1, 1] == 0.0
    qtbot.wait(20)
    assert table.item(1, 1).text() == "0"


def test_painting_the_grid_with_the_mouse(lab, qtbot):
    c = lab.conv_page.controls
    c.source.setCurrentIndex(c.source.findData("paint"))
    c.source.activated.emit(c.source.currentIndex())
    qtbot.wait(20)
    grid = lab.conv_page.image
    centre = grid.cell_rect(2, 3).center()
    QTest.mouseClick(grid, Qt.MouseButton.LeftButton, pos=QPoint(int(centre.x()),
                                                                 int(centre.y())))
    assert lab.ctl.setup.paint[2, 3] == 1.0
    lab.doc.undo_stack.undo()
    assert lab.ctl.setup.paint[2, 3] == 0.0


def test_rgb_lesson_shows_three_channel_patches(main_window, qtbot):
    win = main_window
    assert win.open_lesson("conv-rgb")
    lab = win.current_lab
    press(qtbot, win, Qt.Key.Key_Right)
    page = _page(lab, qtbot)
    assert page.image.mode == "rgb" and page.image.values.shape == (3, 9, 9)  # padding 1
    assert all(g.isVisible() for g in page.arith.patches)
    assert [t.text() for t in page.arith.tags] == ["R", "G", "B"]
    assert page.arith.result.text().startswith("Σ 27 products")
    assert len(lab.conv_page.kernel.tables) == 3 and lab.conv_page.kernel.tables[2].isVisible()


def test_k_kernels_are_shown_as_a_stack(lab, main_window, qtbot):
    """k maps stacked with the stepped one in front (filled in as far as the kernel
    went); a click on a map behind or K / Shift+K brings another to the front."""
    win = main_window
    lab.ctl.set_kernel_count(3)
    lab.ctl.set_active(1)                    # one redraw for both: the field still reads 2
    assert _page(lab, qtbot).controls.active.value() == 2
    lab.ctl.set_active(0)
    press(qtbot, win, Qt.Key.Key_Right, 4)
    page = _page(lab, qtbot)
    stack = page.stack
    np.testing.assert_array_equal(stack.maps, lab.ctl.maps)       # all three maps
    assert stack.front == 0 and stack.shown.sum() == 4 and stack.cell == (0, 3)
    assert "3 maps 3×6×6, map 1 in front" in page.stack_title.text()
    front, behind = stack.card_rect(0), stack.card_rect(2)
    assert behind.top() < front.top() and behind.left() > front.left()   # up and right
    assert front.width() >= 60                                  # readable, not a thumbnail
    spot = behind.topRight() + QPoint(-3, 3).toPointF()        # its visible corner
    assert stack.map_at(spot.x(), spot.y()) == 2
    QTest.mouseClick(stack, Qt.MouseButton.LeftButton, pos=spot.toPoint())
    page = _page(lab, qtbot)
    assert lab.ctl.setup.active == 2 and stack.front == 2
    assert "map 3 in front" in page.stack_title.text() and page.controls.active.value() == 3
    press(qtbot, win, Qt.Key.Key_K)
    assert lab.ctl.setup.active == 0
    press(qtbot, win, Qt.Key.Key_K, mod=SHIFT)
    page = _page(lab, qtbot)
    assert lab.ctl.setup.active == 2 and stack.front == 2
    assert page.kernel.tables[0].item(0, 0).text() == "0.1111"   # kernel 3: the blur preset


def test_a_cells_number_loses_trailing_zeros_of_decimals_only():
    """The confusion matrix's counts (no decimals) were written 30 → "3", 100 → "1"."""
    assert [short(v, 0) for v in (30, 100, 7, -0.4, 0)] == ["30", "100", "7", "0", "0"]
    assert [short(v, 2) for v in (2.5, 30, -0.001, 1.234)] == ["2.5", "30", "0", "1.23"]


def test_cnn_page_trains_live_and_pauses_when_hidden(main_window, qtbot):
    win = main_window
    assert win.open_lesson("cnn-digits")
    lab = win.current_lab
    assert lab.page == "cnn"
    press(qtbot, win, Qt.Key.Key_Right)                    # one mini-batch
    assert lab.cnn.trainer.steps == 1
    qtbot.wait(30)
    # before the first epoch ends, the chart has the untrained network's accuracy at
    # epoch 0 (it was empty), and the scores say it is the untrained one
    fresh = CNNTrainer.digits(lab.cnn.trainer.net.shape, seed=lab.cnn.seed)
    m = fresh.confusion()
    untrained = np.trace(m) / m.sum()
    xs, ys = lab.cnn_page.curve_line.getData()
    assert list(xs) == [0] and ys[0] == pytest.approx(untrained, rel=1e-12)
    assert f"test accuracy {100 * untrained:.1f} %\nbefore training" in lab.cnn_page.scores.text()
    # the confusion matrix is the untrained network's too (not the network after the batch)
    assert np.array_equal(lab.cnn_page.confusion.values, m)
    qtbot.keyClick(win.focusWidget() or win, Qt.Key.Key_P)
    assert lab.cnn.playback.playing
    qtbot.waitUntil(lambda: lab.cnn.trainer.epochs >= 1, timeout=20_000)
    qtbot.keyClick(win, Qt.Key.Key_1, CTRL)                # another lab: training pauses
    assert not lab.cnn.playback.playing
    page = lab.cnn_page
    assert "test accuracy" in page.scores.text() and "%" in page.scores.text()
    assert page.confusion.values.sum() == len(lab.cnn.trainer.x_test)
    texts, px = page.confusion.written()   # counts whole: a count of 30 was written "3"
    assert px > 0 and texts.tolist() == [[str(int(v)) for v in row]
                                         for row in page.confusion.values]
    hist = lab.history()
    assert hist is not None and len(hist["epoch"]) == lab.cnn.trainer.epochs
    # the accuracy chart: whole epochs from 0, a dot per epoch (one epoch's one point had
    # the range 0.6 ... 1.4 around it, and no dot)
    (x0, x1), _ = page.curve.getViewBox().viewRange()
    e = lab.cnn.trainer.epochs
    assert -0.1 * e <= x0 <= 0 and abs(x1 - e) < 0.1 * e
    assert page.curve_line.opts["symbol"] == "o"
    xs, ys = page.curve_line.getData()
    assert list(xs) == list(range(e + 1)) and ys[0] == pytest.approx(untrained, rel=1e-12)
    assert list(ys[1:]) == [r.test_accuracy for r in lab.cnn.trainer.history]


def test_the_feature_maps_lesson_shows_a_stack_of_three(main_window, qtbot):
    """conv-feature-maps: three kernels on a 0, three maps stacked; the words of its
    description hold (vertical edges on the sides, horizontal on the top and bottom)."""
    win = main_window
    assert win.open_lesson("conv-feature-maps")
    lab = win.current_lab
    page = _page(lab, qtbot)
    lesson = load_lesson("conv-feature-maps")
    assert win.caption_bar.text_label.text() == lesson.captions[0].text
    assert page.stack_title.text() == "3 maps 3×6×6, map 1 in front (K)"
    assert len(page.stack.maps) == 3 and page.stack.front == 0
    vertical, horizontal, blur = lab.ctl.maps
    assert set(np.argmax(vertical, axis=1)) <= {2, 5}      # the strokes' right sides
    assert set(np.argmin(vertical, axis=1)) == {0}         # the 0's left side
    assert np.argmax(horizontal) // 6 == 1 and np.argmin(horizontal) // 6 == 4  # top, bottom
    np.testing.assert_allclose(blur, [[np.mean(lab.ctl.image[0, i:i + 3, j:j + 3])
                                       for j in range(6)] for i in range(6)])
    press(qtbot, win, Qt.Key.Key_Right, 1, CTRL)
    qtbot.waitUntil(lambda: win.caption_bar.text_label.text() == lesson.captions[2].text)
    press(qtbot, win, Qt.Key.Key_K)
    page = _page(lab, qtbot)
    assert page.stack.front == 1 and page.stack.shown.all()      # already computed
    np.testing.assert_array_equal(page.fmap.values, horizontal)
    assert page.kernel.tables[0].item(0, 0).text() == "1" and "map 2 in front" in \
        page.stack_title.text()


def test_the_cnn_feature_maps_are_a_stack(main_window, qtbot):
    """As on the first page: the test digit's 8 maps stacked, map 1 in front; K, Shift+K
    and a click on a map behind bring another to the front, and its kernel, gradient and
    routed δ are outlined in their grids."""
    win = main_window
    assert win.open_lesson("cnn-digits")
    lab = win.current_lab
    page = lab.cnn_page
    qtbot.wait(20)
    fwd, _, _ = lab.cnn.example_records()
    stack = page.maps
    np.testing.assert_array_equal(stack.maps, fwd.a[0])           # all 8 maps, after ReLU
    assert stack.front == 0 and page.titles[2].text() == "8 feature maps 8×8, map 1 in front (K)"
    assert page.learned.grids[0].outline == (0, 0, 3, 3) and page.learned.grids[1].outline is None
    press(qtbot, win, Qt.Key.Key_K)
    assert lab.cnn.front == 1 and stack.front == 1 and "map 2 in front" in page.titles[2].text()
    assert page.learned.grids[1].outline is not None and page.learned.grids[0].outline is None
    assert page.dkernels.grids[1].outline is not None and page.routed.grids[1].outline
    press(qtbot, win, Qt.Key.Key_K, 2, SHIFT)                     # round the stack
    assert stack.front == 7
    behind = stack.card_rect(3)
    spot = behind.topRight() + QPoint(-3, 3).toPointF()           # its visible corner
    QTest.mouseClick(stack, Qt.MouseButton.LeftButton, pos=spot.toPoint())
    assert lab.cnn.front == 3 and stack.front == 3 and "map 4 in front" in page.titles[2].text()
    press(qtbot, win, Qt.Key.Key_Right)                            # training keeps the front
    np.testing.assert_array_equal(stack.maps, lab.cnn.example_records()[0].a[0])
    assert stack.front == 3
    saved = lab.state()
    assert saved["cnn"]["front"] == 3
    lab.cnn.configure(2, "max", 0.01, 0)                            # fewer kernels: clamped
    assert lab.cnn.front == 1 and page.titles[2].text().endswith("map 2 in front (K)")
    lab.restore_state(saved)
    assert lab.cnn.front == 3 and stack.front == 3
    with pytest.raises(ValueError):
        lab.restore_state({**saved, "cnn": {**saved["cnn"], "front": 8}})
    assert lab.cnn.front == 3


def test_workspace_round_trip(lab, main_window, qtbot, tmp_path):
    win = main_window
    lab.ctl.set_kernel_cell(0, 0, 0, 3.0)
    press(qtbot, win, Qt.Key.Key_Right, 5)
    lab.cnn.step(2)
    path = tmp_path / "conv.nnviz"
    assert win.files.save_to(str(path))
    saved = lab.state()
    lab.ctl.set_kernel_cell(0, 0, 0, -1.0)
    lab.ctl.restart()
    lab.cnn.reset()
    win.files.open_path(str(path))
    qtbot.waitUntil(lambda: win.files.prompt is not None and win.files.prompt.isVisible())
    qtbot.mouseClick(win.files.prompt.button(QMessageBox.StandardButton.Discard),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.files.prompt is None)
    qtbot.wait(20)
    lab = win.labs["conv"]
    assert lab.state() == saved and lab.ctl.k == 5 and lab.cnn.trainer.steps == 2
    assert saved["cnn"]["optimiser"]["t"] == lab.cnn.trainer.state.opt.t == 2   # Adam too


def test_a_bad_lab_state_changes_nothing(lab):
    before = lab.state()
    for bad in ({"page": "x"}, {"conv": {"stride": 77}}, {"cnn": {"params": [[1]]}}):
        with pytest.raises(ValueError):
            lab.restore_state(bad)
        assert lab.state() == before


def test_exported_markdown_is_the_worked_example(lab, main_window):
    from nnviz.views.exports import worked_for

    md = worked_for(main_window)
    lesson = load_lesson("conv-edge")
    assert md == conv_markdown(parse_setup(lesson.settings), lesson.title, "")


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720), (1366, 768), (1920, 1080)])
def test_presentation_fits_without_growing_the_window(main_window, qtbot, size):
    win = main_window
    win.resize(*size)
    assert win.open_lesson("conv-rgb")
    qtbot.keyClick(win, Qt.Key.Key_F5)
    press(qtbot, win, Qt.Key.Key_Right, 3)
    qtbot.wait(50)
    assert (win.width(), win.height()) == size
    page = win.current_lab.conv_page
    assert page.arith.result.isVisible() and page.fmap.cell_size() >= 12
    assert not page.scroll.isVisible()                       # settings hidden for room
    qtbot.keyClick(win.focusWidget() or win, Qt.Key.Key_S)
    assert page.scroll.isVisible()
    qtbot.keyClick(win.focusWidget() or win, Qt.Key.Key_S)
    assert not page.scroll.isVisible()
    lab = win.current_lab
    lab.ctl.set_kernel_count(4)               # the stack, colours only in F5 (said so, and
    page = _page(lab, qtbot)                  # the map in front named, large above it):
    stack = page.stack                        # the front map 70 px, the others behind it
    qtbot.waitUntil(lambda: stack.card_rect(stack.front).width() >= 70, timeout=2000)
    front, behind = stack.card_rect(stack.front), stack.card_rect((stack.front + 1) % 4)
    assert behind.left() > front.left()
    assert page.stack_title.text() == f"4 maps, 1 in front (K) · {COLOURS_NOTE}"
    assert stack.label_px() in range(PROJECTOR_TEXT_PX, 100) or stack.label_px() == 0
    for presentation in (True, False):        # the backward pass: every number written
        if not presentation:
            qtbot.keyClick(win, Qt.Key.Key_F5)
        _every_backward_number_written(win, qtbot, size)
        qtbot.keyClick(win, Qt.Key.Key_Q)     # predict, then reveal: the guess bar's room
        _every_backward_number_written(win, qtbot, size, asking=True)
        qtbot.keyClick(win, Qt.Key.Key_Q)
        lab.show_page("cnn")                  # the CNN's 8 maps: a stack as readable
        qtbot.wait(50)
        stack = lab.cnn_page.maps
        front, behind = stack.card_rect(stack.front), stack.card_rect((stack.front + 1) % 8)
        assert len(stack.maps) == 8 and front.width() >= 100
        assert behind.left() - front.left() >= 9             # room for each map's number
        assert (win.width(), win.height()) == size
        lab.show_page("conv")


def _every_backward_number_written(win, qtbot, size, asking=False) -> None:
    """Grey and RGB, stepping the kernel and the pooling, routing δp and summing ∂C/∂w:
    every grid with numbers (the maps at the top, the arithmetic, ∂C/∂w) is large
    enough to write them; ``asking``: with the guess bar up and the step's result hidden
    (every number shown is written; an RGB kernel's three channels then stand side by
    side where the panel is wide and short)."""
    lab = win.current_lab
    for source in ("rgb", "digit"):
        lab.ctl.set_source(source)
        c = lab.ctl
        for k, stage in ((5, "conv"), (c.n_conv + 2, "pool"), (c.n_forward + 3, "pool_back"),
                         (c.n_steps - 20, "conv_back")):
            lab.ctl.go_to(k)
            page = _page(lab, qtbot)
            assert lab.ctl.stage == stage and lab.result_hidden() == asking
            assert lab.reveal.bar.isVisible() == asking
            grids = [g for g in (page.fmap, page.pooled, *page.arith.patches,
                                 *page.arith.kernels, *page.arith.products, *page.dw.grids)
                     if g.isVisibleTo(page) and (g.shown is None or g.shown.any())]
            assert asking or len(grids) == {
                ("rgb", "conv_back"): 14, ("digit", "conv_back"): 6, ("rgb", "conv"): 10,
                ("digit", "conv"): 4, ("rgb", "pool"): 3, ("digit", "pool"): 3}.get(
                    (source, stage), 5)
            if current_style().presentation:   # 14 pt or colours only, and then said so
                qtbot.waitUntil(lambda gs=grids, p=page: all(_written_or_said(p, g) for g in gs),
                                timeout=2000)
            else:
                qtbot.waitUntil(lambda gs=grids: all(g.numbers_drawn() for g in gs),
                                timeout=2000)
            assert (win.width(), win.height()) == size


def _written_or_said(page, grid) -> bool:
    """In presentation mode: the grid's numbers written at least PROJECTOR_TEXT_PX tall,
    or colours only with its title saying so (∂C/∂w of an RGB kernel at 1024x768)."""
    if grid.numbers_drawn():
        return grid.text_px() >= PROJECTOR_TEXT_PX
    title = page.fmap_title if grid is page.fmap else page.pool_title \
        if grid is page.pooled else page.kernel_title if any(
            grid is g for g in page.dw.grids) else page.arith.title
    return COLOURS_NOTE in title.text()


def test_captions_follow_the_kernel(lab, main_window, qtbot):
    win = main_window
    lesson = load_lesson("conv-edge")
    by_step = {c.step: c.text for c in lesson.captions if c.step is not None}
    qtbot.waitUntil(lambda: win.caption_bar.text_label.text() == by_step[0])
    press(qtbot, win, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: win.caption_bar.text_label.text() == by_step[1])
    press(qtbot, win, Qt.Key.Key_Right, 2)           # no caption of its own: step 1's holds
    assert lab.ctl.k == 3 and 3 not in by_step
    qtbot.waitUntil(lambda: win.caption_bar.text_label.text() == by_step[1])
    press(qtbot, win, Qt.Key.Key_Right, 3)           # the row done (6)
    assert lab.ctl.k == 6
    qtbot.waitUntil(lambda: win.caption_bar.text_label.text() == by_step[6])
    press(qtbot, win, Qt.Key.Key_Right, 3)           # past the next captioned step (7):
    assert lab.ctl.k == 9 and 9 not in by_step       # "A row done." does not stay up
    qtbot.waitUntil(lambda: win.caption_bar.text_label.text() == by_step[7])
    press(qtbot, win, Qt.Key.Key_Right, 1, CTRL)
    qtbot.waitUntil(lambda: win.caption_bar.text_label.text() == by_step[36])
    press(qtbot, win, Qt.Key.Key_Right, 1, CTRL)          # the pooling, then backward
    press(qtbot, win, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: win.caption_bar.text_label.text() == by_step[46])
    press(qtbot, win, Qt.Key.Key_Right, 1, CTRL)
    press(qtbot, win, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: win.caption_bar.text_label.text() == by_step[55])
    for name in ("conv-rgb", "conv-feature-maps"):   # a forward caption holds until the
        assert win.open_lesson(name)                  # backward pass's own, never into it
        ctl = win.current_lab.ctl
        steps = {c.step: c.text for c in load_lesson(name).captions if c.step is not None}
        back = min(s for s in steps if s > ctl.n_forward)
        ctl.go_to(ctl.n_forward)
        qtbot.waitUntil(lambda s=steps, n=ctl.n_forward: win.caption_bar.text_label.text()
                        == s[max(k for k in s if k <= n)])
        ctl.go_to(back + 2)
        qtbot.waitUntil(lambda t=steps[back]: win.caption_bar.text_label.text() == t)


def test_a_conv_lesson_left_and_found_again_keeps_its_place(lab, main_window, qtbot):
    win = main_window
    lab.ctl.set_kernel_cell(0, 2, 2, 7.0)
    press(qtbot, win, Qt.Key.Key_Right, 7)
    lab.cnn.step(3)
    saved = lab.state()
    assert win.nav.go("mazur-2-2-2") and win.current_lab_name == "workbench"
    assert win.nav.go("conv-edge") and win.current_lab_name == "conv"
    qtbot.wait(30)
    assert win.current_lab.state() == saved


def test_the_shortcut_sheet_lists_the_lab_keys(lab, main_window):
    from nnviz.views.shortcut_sheet import sheet_sections

    rows = dict(sheet_sections(main_window))["Convolution lab"]
    keys = " ".join(k for k, _ in rows)
    for key in ("Shift+Right", "Ctrl+Right", "Home", "P", "S"):
        assert key in keys, (key, rows)


def test_a_bad_kernel_entry_is_refused_with_a_message(lab, main_window, qtbot):
    win = main_window
    table = lab.conv_page.kernel.tables[0]
    rect = table.visualRect(table.model().index(0, 0))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = table.findChild(QLineEdit)
    editor.selectAll()
    QTest.keyClicks(editor, "abc")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "not a number" in win.statusBar().currentMessage())
    assert lab.ctl.setup.kernels[0, 0, 0, 0] == 1.0 and table.item(0, 0).text() == "1"
    assert lab.doc.undo_stack.count() == 0


def test_kernel_size_from_the_settings(lab, qtbot):
    lab.conv_page.controls.ksize.setValue(5)
    page = _page(lab, qtbot)
    assert page.kernel.tables[0].rowCount() == 5 and lab.ctl.n_conv == 16
    assert page.fmap_title.text() == "Map 4×4"


def test_ctrl_right_on_the_cnn_page_trains_one_epoch_in_slices(main_window, qtbot):
    win = main_window
    assert win.open_lesson("cnn-digits")
    lab = win.current_lab
    press(qtbot, win, Qt.Key.Key_Right, 1, CTRL)
    assert lab.cnn.playback.playing and lab.cnn.trainer.epochs == 0      # not done in one block
    qtbot.waitUntil(lambda: not lab.cnn.playback.playing, timeout=20_000)
    t = lab.cnn.trainer
    assert t.epochs == 1 and len(t.history) == 1
    assert t.steps == -(-len(t.x_train) // t.batch_size)       # stopped at the epoch's end


def test_zoom_keys_zoom_the_pictures_of_both_pages(lab, main_window, qtbot):
    """Ctrl+= makes the cells (and their numbers) larger and the pictures scroll, Ctrl+-
    smaller, Ctrl+0 fits them again; on the CNN page too."""
    win = main_window
    page = _page(lab, qtbot)
    press(qtbot, win, Qt.Key.Key_Right, 3)
    qtbot.wait(20)
    fitted = page.fmap.cell_size()
    bars = page.zoom_area.horizontalScrollBar()
    assert bars.maximum() == 0
    qtbot.keyClick(win, Qt.Key.Key_Equal, CTRL)
    qtbot.keyClick(win, Qt.Key.Key_Equal, CTRL)
    qtbot.waitUntil(lambda: page.fmap.cell_size() > 1.4 * fitted)
    assert bars.maximum() > 0                             # larger than the window: scrolls
    qtbot.keyClick(win, Qt.Key.Key_0, CTRL)
    qtbot.waitUntil(lambda: abs(page.fmap.cell_size() - fitted) < 1)
    assert bars.maximum() == 0
    qtbot.keyClick(win, Qt.Key.Key_Minus, CTRL)
    qtbot.waitUntil(lambda: page.fmap.cell_size() < 0.9 * fitted)
    qtbot.keyClick(win, Qt.Key.Key_0, CTRL)
    lab.show_page("cnn")
    grid = lab.cnn_page.confusion
    qtbot.wait(20)
    before = grid.cell_size()
    qtbot.keyClick(win, Qt.Key.Key_Equal, CTRL)
    qtbot.waitUntil(lambda: grid.cell_size() > 1.15 * before)
    qtbot.keyClick(win, Qt.Key.Key_0, CTRL)
    qtbot.waitUntil(lambda: abs(grid.cell_size() - before) < 1)


def _type_into(spin, text):
    spin.setFocus()
    spin.lineEdit().selectAll()
    QTest.keyClicks(spin.lineEdit(), text)
    QTest.keyClick(spin.lineEdit(), Qt.Key.Key_Return)


def test_the_painted_grid_size_is_the_users_choice(lab, main_window, qtbot):
    """Rows × columns of the painted input (3-16), undoable; a size the kernel and the
    pooling do not fit is refused with a message and nothing changes."""
    win, c = main_window, lab.conv_page.controls
    assert not c.paint_size.isVisible()                    # only for a painted input
    c.source.setCurrentIndex(c.source.findData("paint"))
    c.source.activated.emit(c.source.currentIndex())
    page = _page(lab, qtbot)
    assert c.paint_size.isVisible() and page.image.rows == 8
    _type_into(c.paint_rows, "12")
    _type_into(c.paint_cols, "5")
    page = _page(lab, qtbot)
    assert lab.ctl.setup.paint.shape == (12, 5) and (page.image.rows, page.image.cols) == (12, 5)
    assert lab.ctl.maps.shape[1:] == (10, 3) and page.image_title.text() == "Image 12×5"
    centre = page.image.cell_rect(11, 4).center()
    QTest.mouseClick(page.image, Qt.MouseButton.LeftButton,
                     pos=QPoint(int(centre.x()), int(centre.y())))
    assert lab.ctl.setup.paint[11, 4] == 1.0                # the new cells can be painted
    _type_into(c.paint_cols, "3")      # 3 columns: a 1-wide map, no 2×2 pooling window fits
    qtbot.waitUntil(lambda: "Not changed" in win.statusBar().currentMessage())
    assert lab.ctl.setup.paint.shape == (12, 5) and c.paint_cols.value() == 5
    for _ in range(3):
        lab.doc.undo_stack.undo()
    assert lab.ctl.setup.paint.shape == (8, 8)


def test_the_painted_grid_size_in_the_controller(lab):
    ctl = lab.ctl
    ctl.set_source("paint")
    ctl.paint(7, 7, 1.0)
    ctl.set_paint_size(16, 10)
    assert ctl.setup.paint.shape == (16, 10) and ctl.setup.paint[7, 7] == 1.0
    assert ctl.maps.shape[1:] == (14, 8) and ctl.pooled.shape[1:] == (7, 4)
    with pytest.raises(ValueError, match="3 to 16"):
        ctl.set_paint_size(17, 8)
    with pytest.raises(ValueError, match="3 to 16"):
        ctl.set_paint_size(8, 2)
    saved = lab.state()
    lab.restore_state(saved)
    assert lab.ctl.setup.paint.shape == (16, 10)


def test_the_backward_pass_is_stepped_with_every_number_shown(lab, main_window, qtbot):
    """After the pooling, → goes on backward: δp routed to the max cell, then δ cell by
    cell with its patch outlined, δ × patch and ∂C/∂w, ∂C/∂b summed; ← steps back."""
    win = main_window
    press(qtbot, win, Qt.Key.Key_Right, 1, CTRL)
    press(qtbot, win, Qt.Key.Key_Right, 1, CTRL)            # the whole pooled map
    press(qtbot, win, Qt.Key.Key_Right)
    page = _page(lab, qtbot)
    c, back = lab.ctl, lab.ctl.back
    pb = c.pool_back_cell()
    assert c.stage == "pool_back" and "Backward, pooling window 1 of 9" in page.position.text()
    assert page.arith.result.text().startswith(
        minus_signs(f"δp(1,1) = p − t = {c.pooled[0, 0, 0]:g} − 1"))
    u, v = pb.winner
    assert page.fmap.marked == (u, v) and page.fmap.values[u, v] == pb.delta
    assert np.count_nonzero(page.fmap.values) <= 1             # only the winner so far
    assert page.pooled.shown.sum() == 1 and page.fmap_title.text().startswith("∂C/∂a")
    press(qtbot, win, Qt.Key.Key_Right, 1, CTRL)            # every window routed
    press(qtbot, win, Qt.Key.Key_Right, 7)
    page = _page(lab, qtbot)
    cb = c.conv_back_cell()
    assert (cb.row, cb.col) == (1, 0) and c.stage == "conv_back"
    assert page.image.outline == (1, 0, 3, 3)                 # the patch δ(2,1) reaches
    assert page.kernel_box.currentWidget() is page.dw and page.dw.grids[0].isVisible()
    np.testing.assert_allclose(page.dw.grids[0].values, cb.dw_after[0])
    np.testing.assert_allclose(page.arith.products[0].values, cb.delta * cb.patch[0])
    assert page.arith.kernels[0].values[0, 0] == cb.delta
    text = page.arith.result.text()
    assert "δ(2,1) = ∂C/∂a · ReLU′(z) = " in text and "∂C/∂b = " in text
    press(qtbot, win, Qt.Key.Key_Right, 2, CTRL)            # to the end: the whole gradient
    page = _page(lab, qtbot)
    assert c.k == c.n_steps and "output cell 36 of 36" in page.position.text()
    np.testing.assert_allclose(page.dw.grids[0].values, back.dw[0], rtol=1e-12, atol=1e-15)
    assert page.arith.result.text().endswith(f"= {number(c.conv_back_cell().db_after)}")
    press(qtbot, win, Qt.Key.Key_Left)
    assert c.k == c.n_steps - 1
    press(qtbot, win, Qt.Key.Key_Home)
    page = _page(lab, qtbot)
    assert c.k == 0 and page.kernel_box.currentWidget() is page.kernel
    assert lab.caption_position() == (0, "start")


def test_rgb_and_average_pooling_backward(main_window, qtbot):
    win = main_window
    assert win.open_lesson("conv-rgb")
    lab = win.current_lab
    lab.ctl.set_option("pool", "average")
    c = lab.ctl
    c.go_to(c.n_forward + 1)
    page = _page(lab, qtbot)
    pb = c.pool_back_cell()
    n = pb.window.size
    np.testing.assert_allclose(page.arith.products[0].values, np.full((2, 2), pb.delta / n))
    assert f"every one of the {n} cells" in page.arith.result.text()
    c.go_to(c.n_steps)
    page = _page(lab, qtbot)
    assert all(g.isVisible() for g in page.dw.grids) and all(
        g.isVisible() for g in page.arith.patches)               # R, G and B
    np.testing.assert_allclose(np.stack([g.values for g in page.dw.grids]), c.back.dw,
                               rtol=1e-12, atol=1e-15)
    assert lab.caption_position() == (c.n_steps, "backward")
