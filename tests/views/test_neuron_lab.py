"""The Neuron lab driven like a user: sliders, clicks on the plane, buttons, keys."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QStyle, QStyleOptionSlider

from nnviz.engine.core.activations import ACTIVATIONS, get_activation
from nnviz.views.items.math_text import math_html
from nnviz.views.neuron.perceptron_page import PAUSE_TEXT, PLAY_TEXT


@pytest.fixture
def lab(main_window):
    assert main_window.open_lesson("perceptron-nand")
    page = main_window.current_lab
    assert page.name == "neuron" and page.page == "perceptron"
    return page


def _on_line(lab):
    xs, ys = lab.perceptron_page.line.getData()
    c = lab.ctl
    return (xs is not None and len(xs) == 2
            and np.allclose(c.w[0] * xs + c.w[1] * ys + c.b, 0, atol=1e-9))


def _line_ok(lab, qtbot):
    """The plotted line satisfies w1 x1 + w2 x2 + b = 0 for the controller's weights
    (after the coalesced redraw)."""
    qtbot.waitUntil(lambda: _on_line(lab))
    return lab.perceptron_page.line.getData()


def _handle_pos(slider):
    opt = QStyleOptionSlider()
    slider.initStyleOption(opt)
    return slider.style().subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                         QStyle.SubControl.SC_SliderHandle, slider).center()


def _table(table, col):
    return [table.item(r, col).text() for r in range(table.rowCount())]


def test_opens_the_lesson_perceptron(lab, qtbot):
    p = lab.perceptron_page
    assert [p.sliders[k].value_label.text() for k in ("w1", "w2", "b")] == ["−2", "−2", "3"]   # minus signs
    assert _table(p.table, 3) == ["1", "1", "1", "0"]        # NAND
    xs, ys = _line_ok(lab, qtbot)
    assert xs.tolist() == [-2.5, 4.0] and ys.tolist() == [4.0, -2.5]   # x1 + x2 = 1.5


def test_dragging_a_slider_moves_the_line(lab, qtbot):
    p = lab.perceptron_page
    before = p.line.getData()[1].copy()
    s = p.sliders["b"].slider
    start = _handle_pos(s)
    end = start + type(start)(120, 0)
    QTest.mousePress(s, Qt.MouseButton.LeftButton, pos=start)
    for k in range(1, 7):
        QTest.mouseMove(s, start + type(start)(20 * k, 0))
    QTest.mouseRelease(s, Qt.MouseButton.LeftButton, pos=end)
    assert lab.ctl.b > 3
    assert lab.ctl.b == pytest.approx(s.value() * 0.1 - 6.0)
    qtbot.waitUntil(lambda: not np.allclose(p.line.getData()[1], before))
    _line_ok(lab, qtbot)
    assert p.sliders["b"].value_label.text() == f"{lab.ctl.b:g}"
    # the drag is one undoable edit
    lab.doc.undo_stack.undo()
    assert lab.ctl.b == 3


def test_preset_buttons_and_convention(lab, qtbot):
    p = lab.perceptron_page
    qtbot.mouseClick(p.preset_buttons["OR"], Qt.MouseButton.LeftButton)
    assert _table(p.table, 3) == ["0", "1", "1", "1"]
    lab.ctl.set_weights(1, 0, 0)                      # line x1 = 0 through two corners
    assert _table(p.table, 3) == ["0", "0", "1", "1"]
    p.convention.setCurrentIndex(p.convention.findData("step"))
    assert lab.ctl.convention == "step"
    assert _table(p.table, 3) == ["1", "1", "1", "1"]
    assert "disagree" in p.convention_note.text()


def test_clicking_the_plane_adds_points(lab, main_window, qtbot):
    p = lab.perceptron_page
    qtbot.waitUntil(lambda: p.plot.getPlotItem().vb.sceneBoundingRect().width() > 50)
    n = len(lab.ctl.x)
    vb = p.plot.getPlotItem().vb
    pos = p.plot.mapFromScene(vb.mapViewToScene(QPointF(0.75, 0.25)))
    QTest.mouseClick(p.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert len(lab.ctl.x) == n + 1
    assert lab.ctl.x[-1] == pytest.approx([0.75, 0.25], abs=0.05)
    assert lab.ctl.labels[-1] == 1
    assert p.data_combo.currentText() == "custom"
    # shift-click adds the other class
    pos = p.plot.mapFromScene(vb.mapViewToScene(QPointF(0.25, 0.75)))
    QTest.mouseClick(p.plot.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.ShiftModifier, pos)
    assert lab.ctl.labels[-1] == 0
    qtbot.waitUntil(lambda: len(p.points1.data) == int((lab.ctl.labels == 1).sum()))
    assert len(p.points0.data) == int((lab.ctl.labels == 0).sum())
    # Ctrl+Z removes the last point again
    main_window.setFocus()
    QTest.keyClick(main_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(lab.ctl.x) == n + 1 and lab.ctl.labels[-1] == 1
    qtbot.mouseClick(p.btn_clear, Qt.MouseButton.LeftButton)
    assert len(lab.ctl.x) == 0 and "No points" in p.status_label.text()


def test_learning_rule_steps_with_buttons_and_keys(lab, main_window, qtbot):
    p = lab.perceptron_page
    qtbot.mouseClick(p.btn_step, Qt.MouseButton.LeftButton)
    assert p.iter_label.text().startswith("Iteration 1 ")
    assert "Picked x = (1, " in p.step_label.text().replace("\xa0", " ")  # (no-break spaces)
    w1 = lab.ctl.current_aug().copy()
    main_window.setFocus()
    for _ in range(5):
        QTest.keyClick(main_window, Qt.Key.Key_Right)
    assert lab.ctl.run.cursor == 6
    for _ in range(5):
        QTest.keyClick(main_window, Qt.Key.Key_Left)
    assert lab.ctl.run.cursor == 1
    assert np.array_equal(lab.ctl.current_aug(), w1)
    _line_ok(lab, qtbot)
    lab.advance(500)
    assert lab.ctl.status() == "converged"
    assert "Converged" in p.status_label.text()
    assert _table(p.table, 3) == ["1", "1", "1", "0"]


def test_play_runs_until_converged(lab, qtbot):
    p = lab.perceptron_page
    lab.ctl.playback.set_interval(1)
    p.seed.setValue(1)                  # this seed converges after 21 steps
    assert lab.ctl.seed == 1
    qtbot.mouseClick(p.btn_play, Qt.MouseButton.LeftButton)
    assert p.btn_play.text() == PAUSE_TEXT
    qtbot.waitUntil(lambda: lab.ctl.status() == "converged", timeout=10000)
    assert not lab.ctl.playback.playing and p.btn_play.text() == PLAY_TEXT


def test_xor_never_converges_and_opens_xor_mlp(main_window, qtbot):
    assert main_window.open_lesson("perceptron-xor")
    lab = main_window.current_lab
    p = lab.perceptron_page
    for _ in range(200):
        qtbot.mouseClick(p.btn_step, Qt.MouseButton.LeftButton)
        if lab.ctl.status() == "cycle":
            break
    assert "Never converges" in p.status_label.text()
    assert "not linearly" in p.status_label.text()
    assert p.btn_xor.isVisible()
    cursor = lab.ctl.run.cursor
    qtbot.mouseClick(p.btn_xor, Qt.MouseButton.LeftButton)
    assert main_window.doc.lesson.name == "xor-mlp"
    # a lesson switch: coming back finds the learning rule where it was left
    qtbot.keyClick(main_window, Qt.Key.Key_G)
    picker = main_window.syllabus.picker
    row = next(i for i in range(picker.list.count())
               if picker.list.item(i).data(Qt.ItemDataRole.UserRole) == "perceptron-xor")
    picker.list.setCurrentRow(row)
    qtbot.keyClick(picker.list, Qt.Key.Key_Return)
    assert main_window.doc.lesson.name == "perceptron-xor"
    assert lab.ctl.run.cursor == cursor and cursor > 0


def test_mp_page_inhibitory_checkbox(lab, qtbot):
    lab.show_page("mp")
    m = lab.mp_page
    assert m.preset.currentText() == "AND"
    QTest.keyClick(m.preset, Qt.Key.Key_Down)                  # AND -> OR
    assert lab.ctl.mp_preset == "OR"
    assert _table(m.table, 4) == ["0", "1", "1", "1"]
    cb = m.inhibitory[1]
    qtbot.mouseClick(cb, Qt.MouseButton.LeftButton, pos=QPoint(8, cb.height() // 2))
    assert lab.ctl.mp.inhibitory == (False, True)
    assert _table(m.table, 4) == ["0", "0", "1", "0"]        # x1 AND NOT x2
    # clicking a row shows the unit computing it
    for row, expect in ((2, "y = 1"), (3, "y = 0")):
        rect = m.table.visualItemRect(m.table.item(row, 0))
        qtbot.mouseClick(m.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        texts = [t.toPlainText() for t in m.labels]
        assert expect in texts
    assert "an inhibitory input is on, so y = 0" in texts


def test_gallery_plots_the_engine_functions(lab, qtbot):
    lab.show_page("gallery")
    g = lab.gallery_page
    for name in ("sigmoid", "relu", "elu", "tanh"):
        z, f = g.f_items[name].getData()
        _, fp = g.fp_items[name].getData()
        act = get_activation(name, 0.1 if name == "elu" else None)   # the notes' α
        assert np.array_equal(f, act.fn(z)) and np.array_equal(fp, act.prime(z))
    # drag the tanh marker with the mouse from z = 0 to about z = 2
    p = g.plots["tanh"]
    qtbot.waitUntil(lambda: p.vb.sceneBoundingRect().width() > 50)

    def at(z, y=0.5):
        return g.view.mapFromScene(p.vb.mapViewToScene(QPointF(z, y)))

    vp = g.view.viewport()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, pos=at(0.0))
    for k in range(1, 11):
        QTest.mouseMove(vp, at(0.2 * k))
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=at(2.0))
    z = lab.ctl.functions.gallery_z
    assert z == pytest.approx(2.0, abs=0.1)
    qtbot.waitUntil(lambda: g.markers["relu"].value() == z)     # all markers follow
    fp = float(get_activation("tanh").prime(np.array([z]))[0])
    assert f"f′ = {round(fp, 4):g}" in p.titleLabel.text
    assert len(g.regions["relu"]) == 1 and g.regions["linear"] == []


def test_the_gallery_writes_each_derivative_with_the_prime_sign(lab, qtbot, main_window):
    """Each function's derivative under the gallery, selected by Page Down, is written
    σ′(z), tanh′(z), f′(z) with the prime U+2032, never an apostrophe (read as a quote from
    the back of a room), and the legend's font draws the prime (fonts-dejavu has it)."""
    lab.show_page("gallery")
    g, f = lab.gallery_page, lab.ctl.functions
    seen = set()
    for _ in range(len(ACTIVATIONS)):
        g.flush()
        act = ACTIVATIONS[f.gallery_name]
        text = g.legend.text()
        shown = _as_shown(text)
        assert _as_shown(math_html(act.prime_formula)) in shown, (f.gallery_name, text)
        assert _as_shown(math_html(act.formula)) in shown, (f.gallery_name, text)
        # set as the Equation panel sets them: e^(−z) as e⁻ᶻ, never a caret or underscore
        assert "^" not in shown and "_" not in shown, (f.gallery_name, shown)
        assert "'(" not in act.prime_formula and "′" in act.prime_formula, act.prime_formula
        seen.add(f.gallery_name)
        qtbot.keyClick(main_window, Qt.Key.Key_PageDown)
    assert {"sigmoid", "tanh", "relu"} <= seen
    assert QFontMetrics(g.legend.font()).inFontUcs4(0x2032)


def test_compare_page_one_slider_two_neurons(lab, qtbot):
    lab.show_page("compare")
    c = lab.compare_page
    lab.ctl.functions.set_compare_w(0.95)
    plus = next(b for b in c.findChildren(type(lab.perceptron_page.btn_step))
                if b.text() == "w + 0.1")
    qtbot.mouseClick(plus, Qt.MouseButton.LeftButton)
    assert "FLIPPED" in c.labels["perceptron"].text()
    assert "Δσ = +0.02" in c.labels["sigmoid"].text().replace("\xa0", " ")  # (unbreakable)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(0, 100), min_size=4, max_size=4), st.integers(0, 50))
def test_softmax_bars_sum_to_one(lab, zs, c):
    lab.show_page("softmax")
    s = lab.softmax_page
    for j, v in enumerate(zs):
        s.z_sliders[j].slider.setValue(v)
    s.scale.slider.setValue(c)
    h = s.bar_heights()
    assert h.sum() == pytest.approx(1.0, abs=1e-12) and (h >= 0).all()
    assert s.sum_label.text() == "Σ aⱼ = 1"


def test_softmax_is_written_with_sub_and_superscripts(lab):
    """The Softmax page's formula, table headings and axis as the Equation panel writes
    formulas: aⱼ = e^(c·zⱼ) with a raised exponent, no caret or underscore on screen."""
    lab.show_page("softmax")
    s = lab.softmax_page
    intro = next(w for w in s.findChildren(QLabel) if "Softmax (notes 002)" in w.text())
    texts = [_as_shown(intro.text()), s.sum_label.text(),
             _as_shown(s.plot.getPlotItem().getAxis("left").labelText)]
    texts += [s.table.horizontalHeaderItem(i).text() for i in range(s.table.columnCount())]
    assert _as_shown(math_html("e^(c·z_j)")) in texts[0]
    assert not [t for t in texts if "^" in t or "_" in t], texts


def _as_shown(rich: str) -> str:
    """Rich text as its reader sees it: the plain text of the laid-out document (a raised
    exponent's characters in line), spaces for non-breaking ones, no word joiners."""
    doc = QTextDocument()
    doc.setHtml(rich)
    return doc.toPlainText().replace("\xa0", " ").replace("\u2060", "")


def test_clicker_keys_on_each_page(lab, main_window):
    main_window.setFocus()
    f = lab.ctl.functions
    lab.show_page("compare")
    w = f.compare_w
    QTest.keyClick(main_window, Qt.Key.Key_Right)
    assert f.compare_w == pytest.approx(w + 0.1)
    lab.show_page("softmax")
    c = f.softmax_scale
    QTest.keyClick(main_window, Qt.Key.Key_PageDown)   # c is a setting: left alone
    assert f.softmax_scale == c
    assert "No next step" in main_window.statusBar().currentMessage()
    lab.show_page("gallery")
    name = f.gallery_name
    QTest.keyClick(main_window, Qt.Key.Key_Right)
    QTest.keyClick(main_window, Qt.Key.Key_Left)
    QTest.keyClick(main_window, Qt.Key.Key_Left)
    assert f.gallery_name != name
    lab.show_page("mp")
    QTest.keyClick(main_window, Qt.Key.Key_Right)
    assert lab.ctl.mp_preset == "OR"
    assert lab.ctl.run.cursor == 0                       # no learning step on these pages


def test_state_and_zoom(lab):
    lab.ctl.add_point(0.3, 0.3, 0)
    st_ = lab.state()
    with pytest.raises(ValueError):
        lab.restore_state({**st_, "page": "nowhere"})
    lab.restore_state({**st_, "page": "softmax"})
    assert lab.page == "softmax" and lab.ctl.x.tolist() == st_["points"]
    vb = lab.perceptron_page.plot.getPlotItem().vb
    w0 = vb.viewRange()[0][1] - vb.viewRange()[0][0]
    lab.zoom(2.0)
    assert vb.viewRange()[0][1] - vb.viewRange()[0][0] < w0
    lab.zoom(None)


def test_presentation_style(lab, main_window):
    from nnviz.views.style import Style

    main_window.window_style.apply(Style(presentation=True, scale=1.6, theme="dark"))
    assert lab.tabs.font().pointSizeF() == pytest.approx(16.0)
    main_window.window_style.apply(Style())


def test_every_neuron_lesson_opens_its_page(main_window):
    from nnviz.engine.teaching.lessons import lesson_names, load_lesson

    expected = {"perceptron-nand": "perceptron", "perceptron-and": "perceptron",
                "perceptron-or": "perceptron", "perceptron-xor": "perceptron",
                "mp-neuron": "mp", "activation-gallery": "gallery",
                "perceptron-vs-sigmoid": "compare", "softmax-outputs": "softmax"}
    neuron = [n for n in lesson_names() if load_lesson(n).lab == "neuron"]
    assert sorted(neuron) == sorted(expected)
    for name in neuron:
        assert main_window.open_lesson(name)
        lab = main_window.current_lab
        assert lab.name == "neuron" and lab.page == expected[name]
    main_window.open_lesson("perceptron-and")
    assert lab.ctl.truth_table().y.tolist() == [0, 0, 0, 1]
    assert lab.ctl.data_name == "AND"


def test_gallery_alpha_of_leaky_relu_and_elu_starts_at_the_notes_0_1(lab, main_window, qtbot):
    lab.show_page("gallery")
    g, f = lab.gallery_page, lab.ctl.functions
    main_window.setFocus()
    while f.gallery_name != "leaky_relu":              # the clicker keys select a function
        QTest.keyClick(main_window, Qt.Key.Key_Right)
    g.flush()
    assert g.alpha_slider.isEnabled() and g.alpha_slider.value_label.text() == "0.1"
    z, y = g.f_items["leaky_relu"].getData()
    i = int(np.argmin(np.abs(z + 2.0)))
    assert y[i] == pytest.approx(0.1 * z[i])          # f(z) = αz for z < 0, α = 0.1
    g.alpha_slider.slider.setValue(30)                 # drag α to 0.3
    g.flush()
    assert f.gallery_alpha["leaky_relu"] == pytest.approx(0.3)
    z, y = g.f_items["leaky_relu"].getData()
    _, yp = g.fp_items["leaky_relu"].getData()
    assert y[i] == pytest.approx(0.3 * z[i]) and yp[i] == pytest.approx(0.3)
    assert "α = 0.3" in g.legend.text()
    QTest.keyClick(main_window, Qt.Key.Key_Right)      # ELU: its own α, also 0.1
    g.flush()
    assert f.gallery_name == "elu" and g.alpha_slider.value_label.text() == "0.1"
    z, y = g.f_items["elu"].getData()
    assert y[i] == pytest.approx(0.1 * np.expm1(z[i]))
    QTest.keyClick(main_window, Qt.Key.Key_Right)      # piecewise: no α
    g.flush()
    assert not g.alpha_slider.isEnabled()
    st = f.state()
    assert st["alpha"] == {"leaky_relu": pytest.approx(0.3), "elu": 0.1}
    with pytest.raises(ValueError):
        f.parse_state({**st, "alpha": {"leaky_relu": 1e9}})
    with pytest.raises(ValueError):
        f.parse_state({**st, "alpha": {"sigmoid": 1}})


def test_the_perceptron_panel_is_one_page_when_tall_and_two_tabs_when_short(lab, main_window,
                                                                             qtbot):
    """In a tall window the learning rule's set-up shows under the weights (no tabs); in
    presentation mode at 1024x768 it is the panel's second tab (the panel never scrolls),
    and a tall window makes it one page again."""
    page = lab.perceptron_page
    panel = page.panel
    main_window.resize(1920, 1080)
    qtbot.waitUntil(lambda: panel.stacked)
    assert panel.count() == 1 and not panel.tabBar().isVisible()
    assert page.data_combo.isVisible() and page.sliders["w1"].isVisible()
    assert page.panel.learning_title.isVisible()
    main_window.resize(1024, 768)
    qtbot.keyClick(main_window, Qt.Key.Key_F5)
    try:
        qtbot.waitUntil(lambda: not panel.stacked)
        assert [panel.tabText(i) for i in range(panel.count())] == ["Weights", "Learning rule"]
        assert panel.tabBar().isVisible() and not page.panel.learning_title.isVisible()
        assert page.sliders["w1"].isVisible() and not page.data_combo.isVisible()
        qtbot.mouseClick(panel.tabBar(), Qt.MouseButton.LeftButton,
                         pos=panel.tabBar().tabRect(1).center())
        assert page.data_combo.isVisible() and not page.sliders["w1"].isVisible()
        page.data_combo.textActivated.emit("OR")      # its set-up still drives the lab
        assert lab.ctl.data_name == "OR"
    finally:
        qtbot.keyClick(main_window, Qt.Key.Key_F5)
    main_window.resize(1920, 1080)
    qtbot.waitUntil(lambda: panel.stacked)
    assert page.data_combo.isVisible() and page.sliders["w1"].isVisible()


def test_gallery_tick_labels_have_room_on_a_projector(main_window, qtbot):
    """At 1024x768 and 1280x720 in presentation mode (F5) and not, every gallery plot's y
    tick labels keep a gap before them (the step and sigmoid plots' "0.5" sat flush with
    the axis' edge, against the plot on its left or the page's edge at 1024x768 in F5),
    and every plot's axes still show at least two tick labels apart from their labels."""
    from nnviz.views.style import current_style
    from tests.views.fit_checks import axis_problems, drawn_tick_labels

    win = main_window
    assert win.open_lesson("activation-gallery")
    g = win.current_lab.gallery_page
    problems = []
    for size in ((1024, 768), (1280, 720)):
        win.resize(*size)
        for presentation in (True, False):
            if current_style().presentation != presentation:
                qtbot.keyClick(win, Qt.Key.Key_F5)
            g.flush()
            QApplication.processEvents()
            where = f"{size} F5={presentation}"
            room = 4 * current_style().scale
            for name, plot in g.plots.items():
                for rect, text in drawn_tick_labels(plot.getAxis("left")):
                    if rect.left() < room:
                        problems.append(f"{where} {name}: y tick {text!r} "
                                        f"{rect.left():.1f} px from the axis' edge")
            problems += [f"{where}: {p}" for p in axis_problems(g)]
    if current_style().presentation:
        qtbot.keyClick(win, Qt.Key.Key_F5)
    assert not problems, "\n".join(problems)


def test_the_rule_says_where_its_run_starts(lab, qtbot):
    """Before the first step the text says whether the run starts from random weights or
    the ones shown (perceptron-nand's random start replaced its NAND weights (3, −2, −2)
    at the first Step without a word); with "current w" the first step starts from
    exactly the weights shown."""
    p = lab.perceptron_page
    c = lab.ctl
    assert c.start_mode == "random"
    assert p.step_label.text().startswith("From random weights (Start: random w), step")
    p.start_combo.setCurrentIndex(p.start_combo.findData("current"))
    assert c.start_mode == "current"
    assert p.step_label.text().startswith("From the weights shown, step the rule")
    shown = c.current_aug().copy()
    qtbot.mouseClick(p.btn_step, Qt.MouseButton.LeftButton)
    assert c.run.started   # (NAND's weights already classify every corner: no step taken)
    np.testing.assert_array_equal(c.run.w_hist[0], shown)
    np.testing.assert_array_equal(c.current_aug(), shown)
