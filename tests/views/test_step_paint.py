"""What a Workbench step costs the window: one repaint, and no question to the style
answered in Python where the platform's answer is the same (the step latency's path)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

from nnviz.views import presentation
from tests.views.workbench_keys import press


class _Passes(QObject):
    """The window's repaint passes that painted something inside ``root``."""

    def __init__(self, root: QWidget) -> None:
        super().__init__()
        self.root, self.top = root, root.window()
        self.passes = 0
        self._painted = False
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        t = event.type()
        if t == QEvent.Type.Paint and isinstance(obj, QWidget) and \
                (obj is self.root or self.root.isAncestorOf(obj)):
            self._painted = True
        elif t == QEvent.Type.UpdateRequest and obj is self.top:
            self.settle()
        return False

    def settle(self) -> None:
        self.passes += self._painted
        self._painted = False

    def close(self) -> None:
        QApplication.instance().removeEventFilter(self)


def _settled(qtbot) -> None:
    for _ in range(3):
        qtbot.wait(25)
        QApplication.processEvents()


def test_each_step_of_the_trace_is_painted_in_one_pass(lab, main_window, qtbot):
    """The list of steps grows by a row at each step; its scroll bar's new range came in
    a queued update of its own, painted in a second pass after the step's (at 5 of the
    first 12 steps of mazur-2-2-2)."""
    panel = lab.equations
    # the longest step counter first, so its label never grows (that moves the sliders:
    # a layout change, painted once more)
    press(qtbot, main_window, Qt.Key.Key_End)
    press(qtbot, main_window, Qt.Key.Key_Home)
    _settled(qtbot)
    passes = []
    rows = []
    for _ in range(min(14, len(lab.stepper))):
        counter = _Passes(lab)
        try:
            press(qtbot, main_window, Qt.Key.Key_Right)
            _settled(qtbot)
            counter.settle()
            passes.append(counter.passes)
        finally:
            counter.close()
        rows.append(panel.steps.count())
    assert rows == list(range(1, len(rows) + 1))
    assert panel.steps.verticalScrollBar().maximum() > 0   # the list outgrew its view
    assert passes == [1] * len(passes), str(passes)


def test_a_step_asks_the_python_style_nothing_for_the_list_of_steps(lab, main_window, qtbot):
    """The list of steps and the scroll bars of the Equation panel have the platform's
    style (their metrics are its own: nothing in them is scaled), so a step's layout of
    the list is not ~250 calls into Python; the timeline's sliders keep the scaled style."""
    code = presentation.ScaledIndicators.pixelMetric.__code__
    asked: list = []   # the widgets asked about

    def watch(frame, event, _arg):   # (PySide keeps the method it found: no monkeypatch)
        if event == "call" and frame.f_code is code:
            asked.append(frame.f_locals.get("widget"))

    # the application's style as the app makes it at start (nnviz/app.py: make_app; the
    # test session's application is pytest-qt's, which keeps the platform's)
    presentation.scaled_indicators(QApplication.instance())
    panel = lab.equations
    sys.setprofile(watch)
    try:
        press(qtbot, main_window, Qt.Key.Key_Right, 6)
        _settled(qtbot)
    finally:
        sys.setprofile(None)
    assert panel.steps.count() == 6
    assert lab.timeline.micro_slider in asked   # (the watch sees the style's calls)
    ours = [panel.steps, panel.steps.viewport(), panel.steps.verticalScrollBar(),
            panel.text.verticalScrollBar(), panel.text.horizontalScrollBar()]
    assert not [w for w in asked if any(w is o for o in ours)]


def test_a_step_that_fits_is_laid_out_once_where_it_is_shown(lab, main_window, qtbot):
    """The step's first text is laid out in the text area itself; only a step that does
    not fit tries the smaller ones off screen (the probe), and the one chosen fits."""
    panel = lab.equations
    main_window.resize(1920, 1080)
    _settled(qtbot)
    for _ in range(8):
        press(qtbot, main_window, Qt.Key.Key_Right)
        _settled(qtbot)
        assert panel._probe_doc.isEmpty(), lab.stepper.k
        assert panel.text.document().idealWidth() <= panel.text.viewport().width()
    # at 1024x768 the backward pass's long steps do not fit as first set: the others are
    # tried off screen, and the one shown fits the panel's width
    main_window.resize(1024, 768)
    _settled(qtbot)
    press(qtbot, main_window, Qt.Key.Key_Right, 13 - lab.stepper.k)
    _settled(qtbot)
    assert lab.stepper.k == 13
    assert not panel._probe_doc.isEmpty()
    assert panel.text.document().idealWidth() <= panel.text.viewport().width()
