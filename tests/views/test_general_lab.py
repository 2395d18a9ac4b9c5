"""The Generalisation lab in the real main window, driven by key presses and clicks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from nnviz.engine.general_setup import PAGES
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
    click(qtbot, lab, "general-case-low-high")
    qtbot.wait(20)
    assert (lab.ctl.setup.degree, lab.ctl.setup.n) == (12, 15)
    assert page.degree.value() == 12 and len(page.main.listDataItems()) == 20 + 3
    press(qtbot, main_window, Qt.Key.Key_Left)            # the clicker lowers the degree
    assert lab.ctl.setup.degree == 11


def test_u_curve_trains_in_slices_and_pauses_when_hidden(lab, main_window, qtbot):
    runner = lab.ctl.runners["bias-variance"]
    click(qtbot, lab, "general-bias-variance-run")
    assert runner.running
    qtbot.waitUntil(lambda: runner.value is not None, timeout=5000)
    qtbot.keyClick(main_window, Qt.Key.Key_1, CTRL)          # another lab: nothing runs
    assert not runner.running
    qtbot.keyClick(main_window, Qt.Key.Key_7, CTRL)
    press(qtbot, main_window, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: runner.done, timeout=20000)
    page = lab.pages["bias-variance"]
    xs, _ys = page.u_curves["test"].getData()
    assert len(xs) == 16


def test_lambda_slider_pulls_the_polynomial_back(main_window, qtbot):
    win = main_window
    assert win.open_lesson("regularisation-polynomial")
    lab = win.current_lab
    assert lab.page == "regularisation"
    page = lab.pages["regularisation"]
    size0 = lab.ctl.regfit.size
    assert "0 (through every point)" in page.numbers.text()
    press(qtbot, win, Qt.Key.Key_Right, 4)                   # the clicker: λ up a decade
    qtbot.wait(20)
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
    click(qtbot, lab, "general-case-high-high")
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
