"""Helpers that keep a key press to one repaint: the coalescer and the label host."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from nnviz.views.coalesce import Coalescer
from nnviz.views.label_host import LabelHost


class Painted(QWidget):
    def __init__(self, log: list[str]) -> None:
        super().__init__()
        self.log = log

    def paintEvent(self, _ev) -> None:  # noqa: N802 - Qt API
        self.log.append("paint")


def test_coalescer_runs_once_and_before_the_pending_repaint(qtbot):
    log: list[str] = []
    w = Painted(log)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    QApplication.processEvents()
    log.clear()
    c = Coalescer(lambda: log.append("refresh"), w)
    w.update()              # a change already waiting to be painted ...
    for _ in range(5):
        c.request()         # ... and five requests for a redraw
    assert c.pending()
    qtbot.waitUntil(lambda: "paint" in log)
    QApplication.processEvents()
    assert log[0] == "refresh" and log.count("refresh") == 1  # once, before the paint
    c.request()
    c.cancel()
    QApplication.processEvents()
    assert log.count("refresh") == 1 and not c.pending()


class LayoutRequests(QObject):
    def __init__(self, target: QWidget) -> None:
        super().__init__()
        self.target, self.count = target, 0

    def eventFilter(self, obj, ev) -> bool:  # noqa: N802 - Qt API
        if obj is self.target and ev.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def _hosted(qtbot, label: QLabel, width: int | None = None) -> tuple[QWidget, LabelHost]:
    """``label`` in a LabelHost above a neighbour in a shown window (of fixed ``width``)."""
    top = QWidget()
    qtbot.addWidget(top)
    if width is not None:
        top.setFixedWidth(width)
    lay = QVBoxLayout(top)
    host = LabelHost(label)
    lay.addWidget(host)
    lay.addWidget(QLabel("neighbour"))
    top.show()
    qtbot.waitExposed(top)
    QApplication.processEvents()
    return top, host


def test_label_host_keeps_text_changes_from_relaying_out_the_window(qtbot):
    label = QLabel("step 10 of 32")
    top, host = _hosted(qtbot, label)
    spy = LayoutRequests(top)
    top.installEventFilter(spy)
    size = host.size()
    for text in ("step 1 of 32", "step 2 of 32", "", "step 9 of 32"):
        label.setText(text)
        QApplication.processEvents()
        assert label.text() == text and host.size() == size and label.size() == size
    assert spy.count == 0      # shorter texts: the window's layout never heard of them
    label.setText("a much longer text than any before it")
    qtbot.waitUntil(lambda: host.width() > size.width())  # it gets the room it needs
    assert label.width() == host.width() and host.width() >= label.sizeHint().width()
    host.reserve_height(60)
    QApplication.processEvents()
    assert host.height() == 60


def _posts_events(source: str) -> list[int]:
    """Lines that hand Qt an event to post (``postEvent``): Qt deletes a posted event
    after delivering it, and one made in Python crashed the process now and then when it
    did (SIGSEGV in Shiboken::Object::destroy; a core dump of a CI run). A queued signal
    posts an event Qt makes itself."""
    import ast

    return [n.lineno for n in ast.walk(ast.parse(source))
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
            and n.func.attr == "postEvent"]


def test_no_module_posts_an_event_made_in_python():
    from pathlib import Path

    import nnviz

    root = Path(nnviz.__file__).resolve().parent
    found = {str(f.relative_to(root)): lines for f in sorted(root.rglob("*.py"))
             if (lines := _posts_events(f.read_text(encoding="utf-8")))}
    assert found == {}
    assert _posts_events("from PySide6.QtCore import QCoreApplication, QEvent\n"
                         "QCoreApplication.postEvent(obj, QEvent(t))\n") == [2]


def test_label_host_gives_a_wrapped_label_the_lines_its_width_needs(qtbot):
    label = QLabel("rate now = 0.1 (epoch 1)")
    label.setWordWrap(True)
    top, host = _hosted(qtbot, label, width=160)
    one_line = host.height()
    assert host.height() >= label.heightForWidth(host.width())
    spy = LayoutRequests(top)
    top.installEventFilter(spy)
    for k in range(2, 6):   # the same number of lines: the window's layout never hears
        label.setText(f"rate now = 0.1 (epoch {k})")
        QApplication.processEvents()
        assert host.height() == one_line and label.size() == host.size()
    assert spy.count == 0
    label.setText("a text long enough to need several lines at this width, so it wraps")
    qtbot.waitUntil(lambda: host.height() > one_line)   # it gets the lines it needs
    assert host.height() >= label.heightForWidth(host.width())
    assert label.size() == host.size()
    top.setFixedWidth(900)   # wide: a new width measures the lines afresh
    qtbot.waitUntil(lambda: host.height() < label.heightForWidth(160))
    assert host.height() >= label.heightForWidth(host.width())
