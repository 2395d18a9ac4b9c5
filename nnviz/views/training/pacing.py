"""When the Training lab redraws: at most once per frame however many changes arrive,
nothing while hidden (it redraws when shown again), and redraws asked for by other
changes than training frames take at most about half of the GUI thread's time."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

#: the shortest time between two coalesced redraws
REDRAW_MS = 16


class RedrawPacer(QObject):
    """Coalesces redraw requests for ``widget`` into calls of ``redraw``."""

    def __init__(self, widget: QWidget, redraw: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._redraw = redraw
        self._stale = False   # changed while hidden: redrawn when shown
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self._on_timer)

    def request(self) -> None:
        """A redraw within a frame (none while the widget is hidden)."""
        if not self._widget.isVisible():
            self._stale = True
            return
        if not self._timer.isActive():
            self._timer.start()

    def stop(self) -> None:
        """No redraw pending (the lab is shutting down)."""
        self._timer.stop()

    def pending(self) -> bool:
        return self._timer.isActive()

    def _on_timer(self) -> None:
        if self._widget.isVisible():
            self._redraw()
        else:
            self._stale = True

    def shown(self) -> None:
        """The widget is shown: what changed while it was hidden is drawn."""
        if self._stale:
            self._stale = False
            self.request()

    @contextmanager
    def drawing(self) -> Iterator[None]:
        """Around a redraw: a pending one is dropped, and the next coalesced one waits at
        least twice as long as this one took (at most 250 ms)."""
        self._timer.stop()
        t0 = time.perf_counter()
        try:
            yield
        finally:
            spent_ms = 1000 * (time.perf_counter() - t0)
            self._timer.setInterval(int(max(REDRAW_MS, min(250, 2 * spent_ms))))
