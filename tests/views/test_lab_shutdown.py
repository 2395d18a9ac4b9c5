"""Closing the window right after a user's action: every lab's shutdown stops every timer
of its page, the redraws that action scheduled a few milliseconds ago included (on a fast
machine they have not fired yet when the window closes)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from .windows import describe_timer

#: a lesson of each lab whose keys schedule a redraw
LESSONS = {"workbench": "mazur-2-2-2", "universality": "universality-bumps",
           "training": "spiral", "neuron": "perceptron-or", "surface": "sigmoid-neuron",
           "general": "bias-variance", "conv": "conv-edge"}


def test_shutdown_right_after_an_action_leaves_no_timer_running(main_window):
    win = main_window
    scheduled = []
    for lab, lesson in LESSONS.items():
        win.open_lesson(lesson)
        win.show_lab(lab)
        QApplication.processEvents()
        page = win.current_lab
        for key in (Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space, Qt.Key.Key_Space):
            QTest.keyClick(win.focusWidget() or page, key)
        scheduled += [f"{lab}: {describe_timer(t)}" for t in page.findChildren(QTimer)
                      if t.isActive()]
        page.shutdown()     # at once, as closing the window does
        QApplication.processEvents()
        running = [describe_timer(t) for t in page.findChildren(QTimer) if t.isActive()]
        assert running == [], f"{lab}: timers still running after shutdown: {running}"
    # the walk did close labs with redraws pending (the Training lab's are 200 ms and more)
    assert any(s.startswith("training") for s in scheduled), scheduled


def test_no_lab_overrides_shutdown():
    """A lab stops its own work in stop_work(); shutdown() stays the base class's, which
    then stops the page's timers."""
    from nnviz.views.lab_base import Lab
    from nnviz.views.labs import available_labs, lab_class

    classes = [lab_class(name) for name in available_labs()]
    assert len(classes) == 7 and all(issubclass(c, Lab) for c in classes)
    overriding = [c.__name__ for c in classes for k in c.__mro__
                  if k is not Lab and "shutdown" in vars(k)]
    assert overriding == []
