"""The start-up probe (nnviz/bench/probe.py) reports once the first frame is painted, and
its own event filter sees few of the events of a start (it would be timed as the app's)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from nnviz.bench import probe


class _Counter(QObject):
    """Counts every event of the application (the test's own filter)."""

    n = 0

    def eventFilter(self, obj, event):  # noqa: N802 - Qt API
        self.n += 1
        return False


def test_reports_after_the_whole_first_frame_and_watches_few_events(qapp, qtbot, monkeypatch):
    painted: list[QLabel] = []

    class Painted(QLabel):
        def paintEvent(self, ev):  # noqa: N802 - Qt API
            painted.append(self)
            super().paintEvent(ev)

    reported: list[int] = []
    monkeypatch.setattr(probe, "_report", lambda: reported.append(len(set(painted))))
    win = QMainWindow()
    body = QWidget()
    lay = QVBoxLayout(body)
    labels = [Painted(f"label {i}") for i in range(40)]
    for label in labels:
        lay.addWidget(label)
    win.setCentralWidget(body)
    counter = _Counter()
    qapp.installEventFilter(counter)
    try:
        probe._watch(qapp, lambda w: w is win, give_up_ms=None)
        watcher = qapp._probe_filter
        win.show()
        qtbot.waitUntil(lambda: bool(reported), timeout=5000)
    finally:
        qapp.removeEventFilter(counter)
        win.close()
    # reported once, after the paint that drew every label of the window
    assert reported == [len(labels)]
    assert watcher.stage == "done"
    # the window's start sent hundreds of events; the probe saw a handful of them
    assert counter.n > 200
    assert watcher.seen * 10 < counter.n
    # and it no longer watches anything
    n = watcher.seen
    qapp.sendEvent(win, QEvent(QEvent.Type.User))
    qapp.sendEvent(labels[0], QEvent(QEvent.Type.User))
    assert watcher.seen == n
