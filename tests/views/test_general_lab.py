"""The Generalisation lab in the real main window, driven by key presses and clicks."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from nnviz.engine.labs.general_setup import PAGES
from tests.views.fit_checks import squeezed, text_problems

CTRL = Qt.KeyboardModifier.ControlModifier
LEFT = Qt.MouseButton.LeftButton


def press(qtbot, win, key, n=1, mod=Qt.KeyboardModifier.NoModifier):
    for _ in range(n):
        qtbot.keyClick(win.focusWidget() or win, key, mod)


def click(qtbot, lab, name):
    b = lab.findChild(QPushButton, name)
    assert b is not None and b.isVisible(), name
    qtbot.mouseClick(b, LEFT)


def choose_preset(qtbot, lab, key):
    """The bias/variance tab's "Preset cases" button clicked, and in the menu it opens
    the case ``key`` clicked."""
    page = lab.pages["bias-variance"]
    menu, action = page.presets.menu(), page.case_actions[key]
    picked = []

    def pick():   # runs inside the menu's own event loop
        qtbot.waitUntil(menu.isVisible)
        qtbot.mouseClick(menu, LEFT, pos=menu.actionGeometry(action).center())
        picked.append(key)

    QTimer.singleShot(0, pick)
    qtbot.mouseClick(page.presets, LEFT)
    qtbot.waitUntil(lambda: picked == [key] and not menu.isVisible())
    # the offscreen platform leaves the closed menu the active window (a desktop gives
    # the activation back): give it back, so the window's keys reach it again
    page.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page.window())


@pytest.fixture
def lab(main_window, qtbot):
    win = main_window
    assert win.open_lesson("bias-variance")
    assert win.current_lab_name == "general"
    qtbot.wait(20)
    return win.current_lab


def test_ctrl_7_shows_the_generalisation_lab(main_window, qtbot):
    win = main_window
    assert win.lab_names.index("general") == 6
    qtbot.keyClick(win, Qt.Key.Key_7, CTRL)
    assert win.current_lab_name == "general"
    assert win.current_lab.title == "Generalisation"


def test_resample_and_presets_change_what_is_shown(lab, main_window, qtbot):
    page = lab.pages["bias-variance"]
    before = page.numbers.text()
    assert before.startswith("bias² = ") and "variance = " in before
    click(qtbot, lab, "general-resample")
    qtbot.wait(20)
    assert lab.ctl.setup.seed == 1 and page.numbers.text() != before
    r = lab.ctl.resampled
    assert page.numbers.text().startswith(f"bias² = {r.bias2:.4g}\nvariance = {r.variance:.4g}")
    press(qtbot, main_window, Qt.Key.Key_N)
    assert lab.ctl.setup.seed == 2
    choose_preset(qtbot, lab, "low-high")
    qtbot.wait(20)
    assert (lab.ctl.setup.degree, lab.ctl.setup.n) == (12, 15)
    assert page.degree.value() == 12 and len(page.main.listDataItems()) == 20 + 3
    press(qtbot, main_window, Qt.Key.Key_Left)            # the clicker lowers the degree
    assert lab.ctl.setup.degree == 11


def test_u_curve_trains_in_slices_and_pauses_when_hidden(lab, main_window, qtbot):
    runner = lab.ctl.runners["bias-variance"]
    click(qtbot, lab, "general-bias-variance-run")
    assert runner.playing
    qtbot.waitUntil(lambda: runner.value is not None, timeout=5000)
    qtbot.keyClick(main_window, Qt.Key.Key_1, CTRL)          # another lab: nothing runs
    assert not runner.playing
    qtbot.keyClick(main_window, Qt.Key.Key_7, CTRL)
    press(qtbot, main_window, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: runner.done, timeout=60000)   # (a loaded machine: 22 s)
    page = lab.pages["bias-variance"]
    xs, _ys = page.u_curves["test"].getData()
    assert len(xs) == 16


def _legend(page) -> list[str]:
    """The names in the fit plot's legend, top to bottom."""
    return [label.text for _sample, label in page.fit_plot.getPlotItem().legend.items]


def test_lambda_slider_pulls_the_polynomial_back(main_window, qtbot):
    win = main_window
    assert win.open_lesson("regularisation-polynomial")
    lab = win.current_lab
    assert lab.page == "regularisation"
    page = lab.pages["regularisation"]
    size0 = lab.ctl.regfit.size
    assert "0 (through every point)" in page.numbers.text()
    # the legend names each curve once: at λ = 0 the fit is the unregularised one
    assert _legend(page) == ["the line", "degree 9, λ = 0"]
    press(qtbot, win, Qt.Key.Key_Right, 4)                   # the clicker: λ up a decade
    qtbot.wait(20)
    assert _legend(page) == ["degree 9, unregularised", "the line",
                             f"degree 9, λ = {lab.ctl.setup.reg_lambda:.3g}"]
    assert page.slider.value() == 40
    assert lab.ctl.setup.reg_lambda == pytest.approx(10 ** (-6 + 9 * 39 / 90))
    size1 = lab.ctl.regfit.size
    assert size1 < size0
    page.slider.setFocus()
    press(qtbot, win, Qt.Key.Key_Up, 5)                      # the slider's own keys
    qtbot.wait(20)
    assert page.slider.value() == 45 and lab.ctl.regfit.size < size1
    assert page.lam_label.text() == f"λ = {lab.ctl.setup.reg_lambda:.3g}"


def test_workspace_round_trip(lab, main_window, qtbot, tmp_path):
    win = main_window
    choose_preset(qtbot, lab, "high-high")
    lab.ctl.set(bv_lambda=0.01, reg_lambda=0.5)
    path = tmp_path / "general.nnviz"
    assert win.files.save_to(str(path))
    saved = lab.state()
    lab.ctl.set(degree=7, reg_lambda=0.0)
    win.files.open_path(str(path))
    qtbot.waitUntil(lambda: win.files.prompt is not None and win.files.prompt.isVisible())
    qtbot.mouseClick(win.files.prompt.button(QMessageBox.StandardButton.Discard), LEFT)
    qtbot.waitUntil(lambda: win.files.prompt is None)
    qtbot.wait(20)
    assert win.labs["general"].state() == saved


def test_a_bad_lab_state_changes_nothing(lab):
    before = lab.state()
    for bad in ({"page": "x"}, {"degree": 99}, {"noise": -1}, {"k": "5"}, {"extra": 1}, []):
        with pytest.raises(ValueError):
            lab.restore_state(bad)
        assert lab.state() == before


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720), (1366, 768), (1920, 1080)])
def test_presentation_fits_every_tab(main_window, qtbot, size):
    win = main_window
    win.resize(*size)
    assert win.open_lesson("bias-variance")
    qtbot.keyClick(win, Qt.Key.Key_F5)
    lab = win.current_lab
    problems = []
    for name in PAGES:
        if name not in lab.pages:
            continue
        lab.show_page(name)
        qtbot.wait(30)
        assert (win.width(), win.height()) == size
        problems += [f"{name}: {p}" for p in text_problems(lab)]
        s = squeezed(win)
        if s:
            problems.append(f"{name}: {s}")
    qtbot.keyClick(win, Qt.Key.Key_F5)
    assert not problems, "\n".join(problems)


#: small settings so each experiment trains in well under a second
QUICK = {"l_n": 40, "l_epochs": 2, "steps": 50, "d_epochs": 1, "members": 3,
         "a_per_class": 1, "a_epochs": 2, "t_per_class": 1, "t_epochs": 2}


@pytest.mark.parametrize(("lesson", "page", "numbers"), [
    ("l1-vs-l2", "l1-l2", "general-l1l2-numbers"),
    ("more-data", "more-data", "general-more-data-numbers"),
    ("dropout-ensemble", "dropout", "general-dropout-numbers"),
    ("augmentation", "augmentation", "general-augmentation-numbers"),
    ("transfer-learning", "transfer", "general-transfer-numbers"),
])
def test_each_experiment_trains_from_its_button(main_window, qtbot, lesson, page, numbers):
    from PySide6.QtWidgets import QLabel

    win = main_window
    assert win.open_lesson(lesson)
    lab = win.current_lab
    assert lab.page == page and lab.tabs.currentWidget() is lab.pages[page]
    lab.ctl.set(**QUICK)
    label = lab.findChild(QLabel, numbers)
    assert "press ▶ Train" in label.text()
    click(qtbot, lab, f"general-{page}-run")
    runner = lab.ctl.runners[page]
    assert runner.playing
    qtbot.waitUntil(lambda: runner.done, timeout=30000)
    qtbot.wait(20)
    assert "press ▶ Train" not in label.text()
    assert "done" in win.status_label.text()


def test_l1_l2_rules_are_written_out_with_the_live_numbers(main_window, qtbot):
    from nnviz.views.general.l1l2_page import NOTES_MISPRINT, SHOWN

    win = main_window
    assert win.open_lesson("l1-vs-l2")
    lab = win.current_lab
    lab.ctl.set(**QUICK)
    press(qtbot, win, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: lab.ctl.runners["l1-l2"].done, timeout=30000)
    qtbot.wait(20)
    page = lab.pages["l1-l2"]
    text = page.rules_label.text()
    pair = lab.ctl.result("l1-l2")
    k = 0.5 * 0.5 / 40
    w1 = pair.nets["L1"].weights[0][SHOWN[1], SHOWN[2]]
    w2 = pair.nets["L2"].weights[0][SHOWN[1], SHOWN[2]]
    assert f"ηλ/n = 0.5 × 0.5 / 40 = {k:.6g}" in text
    assert f"= {w1:.5f} − {k:.6g} × ({int(np.sign(w1)):+d}) = {w1 - k * np.sign(w1):.5f}" in text
    assert f"= {1 - k:.6g} × {w2:.5f} = {(1 - k) * w2:.5f}" in text
    assert NOTES_MISPRINT in text
    assert f"L1 {pair.zeros('L1')}, L2 {pair.zeros('L2')}" in page.numbers.text()


def test_switching_tab_pauses_the_hidden_experiment(main_window, qtbot):
    win = main_window
    assert win.open_lesson("augmentation")
    lab = win.current_lab
    press(qtbot, win, Qt.Key.Key_P)
    runner = lab.ctl.runners["augmentation"]
    assert runner.playing
    qtbot.mouseClick(lab.tabs.tabBar(), LEFT, pos=lab.tabs.tabBar().tabRect(0).center())
    assert lab.page == "bias-variance" and not runner.playing
    assert not any(r.playing for r in lab.ctl.runners.values())


def test_network_model_trains_k_networks_in_slices(lab, main_window, qtbot):
    win = main_window
    page = lab.pages["bias-variance"]
    lab.ctl.set(k=3, mlp_epochs=20, n=10)
    page.model.setFocus()
    qtbot.keyClick(page.model, Qt.Key.Key_Down)              # polynomial → network
    assert lab.ctl.setup.model == "network"
    assert not page.degree.isVisible() and page.hidden.isVisible()   # the model's rows only
    assert not page.lam.isVisible()
    assert page.numbers.text().startswith("bias² = –")
    assert "press ▶ Train K nets" in page.titles[id(page.main)].text()
    # the error-against-degree plot is the polynomial's: the network model has no degree,
    # so it gives its place to the fits' plot (it stood empty beside its legend)
    qtbot.wait(20)
    u_box = page.titles[id(page.u_plot)].parentWidget()
    main_box = page.titles[id(page.main)].parentWidget()
    assert not u_box.isVisible() and main_box.width() > 2.5 * page.panel_plots[0].width()
    click(qtbot, lab, "general-resample")                    # new sets: their nets train
    runner = lab.ctl.runners["bias-variance"]
    assert lab.ctl.setup.seed == 1 and runner.playing
    qtbot.waitUntil(lambda: runner.done, timeout=60000)   # (a loaded machine: 22 s)
    qtbot.wait(20)
    r = lab.ctl.shown_resampled()
    assert r.fits.shape[0] == 3
    assert page.numbers.text().startswith(f"bias² = {r.bias2:.4g}")
    assert "network, 3 hidden" in win.status_label.text()
    press(qtbot, win, Qt.Key.Key_Right)                      # clicker: one more hidden unit
    assert lab.ctl.setup.hidden == 4 and lab.ctl.shown_resampled() is None
    page.model.setFocus()
    qtbot.keyClick(page.model, Qt.Key.Key_Up)                # network → polynomial
    qtbot.wait(20)
    assert lab.ctl.setup.model == "polynomial" and u_box.isVisible()
    assert main_box.width() < 2.5 * page.panel_plots[0].width()


def test_next_disputed_digit_finds_a_split_vote(main_window, qtbot):
    win = main_window
    assert win.open_lesson("dropout-ensemble")
    lab = win.current_lab
    lab.ctl.set(d_epochs=1, members=6, p=0.8)
    qtbot.wait(20)
    page = lab.pages["dropout"]
    # before training, the empty plots' axes are already the bars' and the classes' (they
    # read "network 0.1 … 0.9" and "class 0.2 … 0.8")
    ticks = page.acc.getAxis("bottom")._tickLevels[0]
    assert [t for _, t in ticks] == ["1", "2", "3", "4", "5", "6", "avg", "full"]
    (x0, x1), _ = page.acc.getViewBox().viewRange()
    assert x0 < 0 and 7 < x1 < 8
    assert [t for _, t in page.votes.getAxis("bottom")._tickLevels[0]] == list("0123456789")
    press(qtbot, win, Qt.Key.Key_P)
    runner = lab.ctl.runners["dropout"]
    qtbot.waitUntil(lambda: runner.done, timeout=30000)
    click(qtbot, lab, "general-dropout-disputed")
    page = lab.pages["dropout"]
    i = page.digit.value()
    votes = lab.ctl.result("dropout").thinned[:, i].argmax(axis=1)
    assert len(set(votes.tolist())) > 1
    label = int(lab.ctl.result("dropout").test_labels[i])
    assert f"digit #{i} (a {label})" in page.titles[id(page.votes)].text()


def test_history_export_is_the_shown_curve(main_window, qtbot):
    win = main_window
    assert win.open_lesson("more-data")
    lab = win.current_lab
    assert lab.history() is None
    lab.ctl.set(steps=50)
    press(qtbot, win, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: lab.ctl.runners["more-data"].done, timeout=30000)
    h = lab.history()
    c = lab.ctl.result("more-data")
    assert h == {"n": [float(n) for n in c.sizes], "train_accuracy": c.train,
                 "test_accuracy": c.test}


def test_every_topic_tab_is_in_view_on_a_projector(main_window, qtbot):
    """At 1024x768 in presentation mode the seven topics' tabs all fit the tab bar (no
    scroll arrows, no tab cut at the right); each tab's tooltip has the full title."""
    from PySide6.QtWidgets import QApplication, QToolButton

    from nnviz.engine.labs.general_setup import PAGE_TITLES

    win = main_window
    win.resize(1024, 768)
    assert win.open_lesson("bias-variance")
    qtbot.keyClick(win, Qt.Key.Key_F5)
    win.resize(1024, 768)
    QApplication.processEvents()
    bar = win.current_lab.tabs.tabBar()
    assert bar.count() == len(PAGES)
    assert bar.tabRect(bar.count() - 1).right() < bar.width()
    assert not any(b.isVisible() for b in bar.findChildren(QToolButton))
    assert [bar.tabToolTip(i) for i in range(bar.count())] == [PAGE_TITLES[p] for p in PAGES]
    qtbot.keyClick(win, Qt.Key.Key_F5)
