"""Play/pause of anything that steps on a timer: one class for every lab."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal


def _always() -> bool:
    return True


def _nothing() -> None:
    return None


class Playback(QObject):
    """A QTimer that calls ``tick`` while playing, with one ``playing`` property and one
    ``playing_changed(bool)`` signal (emitted only when the state really changes).

    A controller owns one and hands it the lab's rules: ``can_play()`` says whether play
    may start now (data to train on, a trace to step through); ``on_play()`` runs just
    before the timer starts (remember where the run began) and ``on_pause()`` just after
    it stops, before ``playing_changed(False)`` (record the run as one undoable edit).
    """

    playing_changed = Signal(bool)

    def __init__(self, tick: Callable[[], None], interval_ms: int = 0, *,
                 can_play: Callable[[], bool] = _always, on_play: Callable[[], None] = _nothing,
                 on_pause: Callable[[], None] = _nothing, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(int(interval_ms))
        self._timer.timeout.connect(tick)
        self._can_play, self._on_play, self._on_pause = can_play, on_play, on_pause

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def set_interval(self, ms: int) -> None:
        """Milliseconds between ticks (0: as soon as the event loop is idle)."""
        self._timer.setInterval(int(ms))

    def play(self) -> bool:
        """Start ticking if ``can_play()`` allows it; True if playing afterwards."""
        if self.playing:
            return True
        if not self._can_play():
            return False
        self._on_play()
        self._timer.start()
        self.playing_changed.emit(True)
        return True

    def pause(self) -> None:
        if self.playing:
            self._timer.stop()
            self._on_pause()
            self.playing_changed.emit(False)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()
