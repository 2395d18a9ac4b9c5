"""When the surface controller's grid is computed: one grid at a time, a recompute shortly
after a change of the set-up, and while descent plays over all parameters (the slice
moves every step) a coarse picture as often as the worker and the display allow, refined
to full resolution when play pauses. :class:`GridSchedule` owns these timers and flags."""

from __future__ import annotations

import time
import weakref
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QObject, QTimer

if TYPE_CHECKING:
    from nnviz.controllers.surface.controller import SurfaceController

#: grid points per axis of the picture while descent plays and moves the slice (coarse
#: first: it keeps up with the steps; the full resolution follows when play pauses)
LIVE_RESOLUTION = 51
#: at least this long between two live requests (the display rate)
LIVE_INTERVAL_MS = 16
#: a change of the set-up waits this long for the next (a drag of the span) before its grid
RECOMPUTE_MS = 120


class GridSchedule(QObject):
    """When the grids of ``ctl`` (its runner, playback, mode, resolution and
    ``request_grid``) are requested."""

    def __init__(self, ctl: SurfaceController) -> None:
        super().__init__(ctl)
        self._ctl = weakref.proxy(ctl)   # its owner (no cycle through it)
        self.recompute = QTimer(self)   # a full grid soon after a change
        self.recompute.setSingleShot(True)
        self.recompute.setInterval(RECOMPUTE_MS)
        self.recompute.timeout.connect(ctl.request_grid)
        self.live = QTimer(self)        # the next live request, at most one per display frame
        self.live.setSingleShot(True)
        self.live.timeout.connect(self._request_live)
        self.live_at = -1.0         # time.monotonic() of the last live request
        self.live_pending = False   # the last request was a live one
        self.dirty = False          # a grid is due once the running one is done
        ctl.playback.playing_changed.connect(self._on_playing_changed)

    def schedule(self) -> None:
        """Recompute soon, at most one grid at a time: while one runs, remember to
        recompute when it is done (so a slow grid still finishes during play). While
        descent plays the grid is a coarse one, requested at once (at most one per
        display frame)."""
        ctl = self._ctl
        if ctl.runner.busy():
            self.dirty = True
        elif ctl.playback.playing and ctl.mode == "params":
            wait = self.live_at + LIVE_INTERVAL_MS / 1000 - time.monotonic()
            if wait <= 0:
                self._request_live()
            elif not self.live.isActive():
                self.live.start(max(1, int(wait * 1000)))
        elif not self.recompute.isActive():
            self.recompute.start()

    def due(self) -> bool:
        """A grid is waiting to be asked for."""
        return self.recompute.isActive() or self.dirty

    def stop(self) -> None:
        self.recompute.stop()
        self.live.stop()
        self.dirty = False

    def _request_live(self) -> None:
        ctl = self._ctl
        if ctl.playback.playing and not ctl.runner.busy():
            self.live_at = time.monotonic()
            ctl.request_grid(min(ctl.resolution, LIVE_RESOLUTION), live=True)

    def _on_playing_changed(self, playing: bool) -> None:
        """On a pause the full-resolution grid replaces a coarse live one at once."""
        if playing:
            return
        self.live.stop()
        ctl, s = self._ctl, self._ctl.surface
        if ctl.mode == "params" and (
                self.dirty or self.recompute.isActive() or (s is not None and s.live)
                or (ctl.runner.busy() and self.live_pending)):
            ctl.request_grid()

    def wait_idle(self, timeout_s: float) -> bool:
        """Process events until the grid is done (for screenshots and scripts)."""
        ctl = self._ctl
        if self.due():
            ctl.request_grid()
        deadline = time.monotonic() + timeout_s
        loop = QEventLoop()
        ctl.busy_changed.connect(loop.quit)
        try:
            while ctl.busy() and time.monotonic() < deadline:
                QTimer.singleShot(200, loop.quit)
                loop.exec()
        finally:
            ctl.busy_changed.disconnect(loop.quit)
        return not ctl.busy()

    def catch_up(self) -> None:
        """A grid is done: the next one, if one is due, is asked for now."""
        if self.dirty:
            self.dirty = False
            self.schedule()
