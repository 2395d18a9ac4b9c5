"""What a Workbench step costs the window: one repaint, and no question to the style
answered in Python where the platform's answer is the same (the step latency's path)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

from nnviz.views import presentation
from nnviz.views.workbench.equation_panel import AHEAD_NEW_TRACE_MS
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


class _Painted(QObject):
    """Counts the paint events of the widgets it watches."""

    def __init__(self, *widgets: QWidget) -> None:
        super().__init__()
        self.widgets = widgets
        self.n = {id(w): 0 for w in widgets}
        for w in widgets:
            w.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            self.n[id(obj)] += 1
        return False

    def of(self, w: QWidget) -> int:
        return self.n[id(w)]

    def close(self) -> None:
        for w in self.widgets:
            w.removeEventFilter(self)


def test_a_step_repaints_the_docks_contents_not_the_docks(lab, main_window, qtbot):
    """The Equation and Timeline panels and the status bar paint their own ground: a step
    repaints the text, the list, the sliders and the step status in them, not the docks'
    frames and title bars or the window under them."""
    press(qtbot, main_window, Qt.Key.Key_Right, 2)
    _settled(qtbot)
    docks = [lab.dock_eq, lab.dock_timeline, main_window]
    panels = [lab.equations.text.viewport(), lab.timeline.micro_slider,
              main_window.statusBar()]
    painted = _Painted(*docks, *panels)
    try:
        for _ in range(3):
            press(qtbot, main_window, Qt.Key.Key_Right)
            _settled(qtbot)
    finally:
        painted.close()
    assert lab.stepper.k == 5
    assert all(painted.of(w) >= 3 for w in panels), [painted.of(w) for w in panels]
    assert [painted.of(d) for d in docks] == [0, 0, 0]


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


def _right_and_count(qtbot, main_window, panel, monkeypatch) -> tuple[int, list[str]]:
    """Press Right: how many texts the Equation panel made, and laid out in its text area,
    while it showed the step (the work after it, choosing the next one, not counted)."""
    from nnviz.views.workbench import equation_panel

    made, laid = [0], []
    during = [False]
    make = equation_panel.equation_html

    def counting(*a, **k):
        made[0] += during[0]
        return make(*a, **k)

    monkeypatch.setattr(equation_panel, "equation_html", counting)
    set_html, refresh = panel.text.setHtml, panel.refresh

    def laying(html):
        if during[0]:
            laid.append(html)
        set_html(html)

    def refreshing(*a, **k):
        during[0] = True
        try:
            refresh(*a, **k)
        finally:
            during[0] = False

    monkeypatch.setattr(panel.text, "setHtml", laying)
    monkeypatch.setattr(panel, "refresh", refreshing)
    try:
        press(qtbot, main_window, Qt.Key.Key_Right)
        _settled(qtbot)
    finally:
        monkeypatch.undo()
    return made[0], laid


def test_the_next_step_is_chosen_ahead_and_right_only_lays_it_out(lab, main_window, qtbot,
                                                                 monkeypatch):
    """While a step is shown the panel chooses the next one's text off screen (trying the
    smaller forms where it does not fit); Right then lays out that one text, and it is
    the text the panel chooses when it has chosen nothing ahead."""
    panel = lab.equations
    for size, k in (((1280, 720), 3), ((1024, 768), 12)):   # (1024: step 13 needs a smaller form)
        main_window.resize(*size)
        _settled(qtbot)
        press(qtbot, main_window, Qt.Key.Key_Right, k - lab.stepper.k)
        _settled(qtbot)
        made, laid = _right_and_count(qtbot, main_window, panel, monkeypatch)
        assert lab.stepper.k == k + 1
        assert made == 0 and len(laid) == 1, (size, made, len(laid))
        ahead = panel.text.toHtml()
        panel._fits.clear()   # chosen afresh, in place
        panel.refresh(panel._hidden)
        assert panel.text.toHtml() == ahead
        assert panel.text.document().idealWidth() <= panel.text.viewport().width()
    assert not panel._probe_doc.isEmpty()   # (step 13's smaller forms were tried)


def _chosen_afresh(panel) -> str:
    shown = panel.text.toHtml()
    panel._fits.clear()
    panel.refresh(panel._hidden)
    assert panel.text.toHtml() == shown
    return panel.plain_text()


def test_a_new_trace_or_size_chooses_again(lab, main_window, qtbot):
    """What was chosen ahead belongs to the trace and the panel's size it was chosen for:
    after an edit of the network (a new trace) or at a new window size, Right shows the
    new numbers in the text the panel chooses afresh; and a new trace is looked ahead in
    only once it has been on screen a while."""
    panel = lab.equations
    press(qtbot, main_window, Qt.Key.Key_Right, 2)
    _settled(qtbot)
    before = panel._fits_trace
    lab.doc.set_weight(0, 1, 0, 0.9)   # w3 = 0.9: net_h2 = 0.9·0.05 + 0.3·0.1 + 0.35·1
    _settled(qtbot)
    # a refresh that brings a new trace (an edit, a training frame) chooses ahead only
    # once its text has been on screen a while (the next refresh may bring another, and
    # each paint of a new trace's text starts the wait again)
    assert panel._ahead.interval() == AHEAD_NEW_TRACE_MS >= 100
    qtbot.waitUntil(lambda: len(panel._fits) == 2, timeout=3000)
    assert panel._fits_trace is lab.stepper.trace and panel._fits_trace is not before
    press(qtbot, main_window, Qt.Key.Key_Right)
    _settled(qtbot)
    assert lab.stepper.k == 3
    assert panel._fits_trace is not before and panel._fits_trace is lab.stepper.trace
    assert "0.425" in _chosen_afresh(panel)
    # the window at 1024x768: the panel as wide and taller (it had re-fitted a new width
    # only, and kept step 13 in its compact form); the text shown is the one chosen for
    # the new size
    press(qtbot, main_window, Qt.Key.Key_Right, 10)
    _settled(qtbot)
    assert lab.stepper.k == 13
    main_window.resize(1024, 768)
    _settled(qtbot)
    _chosen_afresh(panel)
    assert panel.text.document().idealWidth() <= panel.text.viewport().width()


def test_a_new_panel_size_while_predicting_keeps_the_result_hidden(lab, main_window, qtbot):
    """Predicting (Q), the panel fitted anew to another size (here the window's) still
    hides the step's result: the re-fit showed it (net_h1 = 0.3775 before the guess)."""
    panel = lab.equations
    press(qtbot, main_window, Qt.Key.Key_Q)
    press(qtbot, main_window, Qt.Key.Key_Right)
    _settled(qtbot)
    assert "?" in panel.plain_text() and "0.3775" not in panel.plain_text()
    for size in ((1024, 768), (1280, 600), (1366, 768)):
        main_window.resize(*size)
        _settled(qtbot)
        assert "?" in panel.plain_text() and "0.3775" not in panel.plain_text(), size
