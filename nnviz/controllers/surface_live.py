"""The surface controller's grid scheduling: one grid at a time, and while descent
plays over all parameters (the slice moves every step) a coarse picture as often as
the worker and the display allow, refined to full resolution when play pauses."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer

#: grid points per axis of the picture while descent plays and moves the slice (coarse
#: first: it keeps up with the steps; the full resolution follows when play pauses)
LIVE_RESOLUTION = 51
#: at least this long between two live requests (the display rate)
LIVE_INTERVAL_MS = 16


class LiveGridMixin:
    """Scheduling methods of :class:`nnviz.controllers.surface.SurfaceController` (uses
    its runner, timers, mode, resolution and :meth:`request_grid`)."""

    def _init_live(self) -> None:
        self._live = QTimer(self)    # the next live request, at most one per display frame
        self._live.setSingleShot(True)
        self._live.timeout.connect(self._request_live)
        self._live_at = -1.0         # time.monotonic() of the last live request
        self._live_pending = False   # the last request was a live one
        self.playback.playing_changed.connect(self._on_playing_changed)

    def _schedule(self) -> None:
        """Recompute soon, at most one grid at a time: while one runs, remember to
        recompute when it is done (so a slow grid still finishes during play). While
        descent plays the grid is a coarse one, requested at once (at most one per
        display frame)."""
        if self.runner.busy():
            self._dirty = True
        elif self.playback.playing and self.mode == "params":
            wait = self._live_at + LIVE_INTERVAL_MS / 1000 - time.monotonic()
            if wait <= 0:
                self._request_live()
            elif not self._live.isActive():
                self._live.start(max(1, int(wait * 1000)))
        elif not self._recompute.isActive():
            self._recompute.start()

    def _request_live(self) -> None:
        if self.playback.playing and not self.runner.busy():
            self._live_at = time.monotonic()
            self.request_grid(min(self.resolution, LIVE_RESOLUTION), live=True)

    def _on_playing_changed(self, playing: bool) -> None:
        """On a pause the full-resolution grid replaces a coarse live one at once."""
        if playing:
            return
        self._live.stop()
        s = self.surface
        if self.mode == "params" and (
                self._dirty or self._recompute.isActive() or (s is not None and s.live)
                or (self.runner.busy() and self._live_pending)):
            self.request_grid()

    def _catch_up(self) -> None:
        if self._dirty:
            self._dirty = False
            self._schedule()
