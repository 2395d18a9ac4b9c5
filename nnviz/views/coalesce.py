"""Coalesced redraws that land in the same repaint as the change that caused them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal


class Coalescer(QObject):
    """Calls ``fn`` once, soon after the current event, however often :meth:`request` is
    called before then.

    The call comes from a queued signal: Qt posts it as an event of normal priority, and
    its repaint requests at low priority, so ``fn`` runs before the window repaints:
    whatever ``fn`` redraws is painted in the same pass as the change that asked for it (a
    zero-interval timer runs after that repaint and costs a second one).

    The posted event is made by Qt, not by Python: a QEvent made in Python and handed to
    ``QCoreApplication.postEvent`` crashed the process now and then (SIGSEGV in
    ``Shiboken::Object::destroy`` when Qt deleted the delivered event: its Python wrapper
    had already been freed; core dump of a CI run, 2026-12-02).
    """

    _due = Signal()

    def __init__(self, fn: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self._pending = False
        self._posted = False
        self._due.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def request(self) -> None:
        self._pending = True
        if not self._posted:
            self._posted = True
            self._due.emit()

    def cancel(self) -> None:
        """Forget a pending request (the posted event then does nothing)."""
        self._pending = False

    def pending(self) -> bool:
        return self._pending

    def _deliver(self) -> None:
        self._posted = False
        if self._pending:
            self._pending = False
            self._fn()


def scenes_under(root) -> list:
    """The graphics scenes of every QGraphicsView under ``root`` (and of ``root`` itself)."""
    from PySide6.QtWidgets import QGraphicsView

    views = root.findChildren(QGraphicsView)
    if isinstance(root, QGraphicsView):
        views.append(root)
    return list({id(v.scene()): v.scene() for v in views if v.scene() is not None}.values())


def flush_scenes(root, scenes: list | None = None) -> None:
    """Hand every graphics scene under ``root`` its pending item changes now.

    QGraphicsScene queues the changes of its items and tells its views later, behind the
    window's pending repaint, so each plot would be painted in a pass of its own after the
    rest of the window. Called at the end of a redraw, everything lands in one repaint.
    ``scenes`` (from :func:`scenes_under`) saves the search of the widget tree, which costs
    about 1 ms in a lab: a caller that redraws every frame keeps the list.
    """
    for scene in scenes_under(root) if scenes is None else scenes:
        QCoreApplication.sendPostedEvents(scene, QEvent.Type.MetaCall)


def settle_posted(*objects) -> None:
    """Deliver now the events Qt has posted to ``objects`` (a widget just shown: Qt
    posts its first repaint as an UpdateLater event): delivered during a redraw, they are
    painted in its pass, not in a second one after it."""
    for obj in objects:
        QCoreApplication.sendPostedEvents(obj, 0)


def lay_out_now(root) -> None:
    """Deliver now the layout requests posted inside ``root`` and by it, deepest widgets
    first (a child's new size posts a request to its parent), up to its window: what a
    refresh changed is laid out before the next paint. (On X11 a window's first paint
    comes before the posted events, and a text set as the window was shown was laid out
    after the first frame.)"""
    from PySide6.QtWidgets import QWidget

    def depth(w) -> int:
        d = 0
        while w is not None:
            w, d = w.parentWidget(), d + 1
        return d

    widgets = sorted(root.findChildren(QWidget), key=depth, reverse=True)
    w = root
    while w is not None:
        widgets.append(w)
        w = w.parentWidget()
    for w in widgets:
        QCoreApplication.sendPostedEvents(w, QEvent.Type.LayoutRequest)
