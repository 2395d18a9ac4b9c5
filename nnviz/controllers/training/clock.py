"""How long a full-speed training slice may run: a frame's time shared with drawing.

At full speed each tick trains for a time slice and then returns to the event loop
(ticks every ``FRAME_MS``), so a small network trains many epochs per frame and the
window never freezes. The slice shares a frame with drawing: it is what is left of
``FRAME_TARGET_S`` after the time the GUI thread spent since the last slice (redraw,
repaint, input), kept between ``MIN_BUDGET_S`` and ``MAX_BUDGET_S``; a view that draws
slowly therefore still gets its frames, and training still moves.
"""

from __future__ import annotations

import time

FRAME_MS = 16
#: a training frame (slice + redraw + repaint) aims at this length (32 frames/s) ...
FRAME_TARGET_S = 0.031
#: ... with a slice of at least MIN_BUDGET_S and at most MAX_BUDGET_S, and at least
#: TRAIN_SHARE times the time the frame's drawing took: on a busy machine, where drawing
#: alone takes longer than a frame, training keeps 60 % of the time (fewer frames, each
#: showing more training) instead of a slice squeezed to MIN_BUDGET_S
MIN_BUDGET_S = 0.003
MAX_BUDGET_S = 0.040
TRAIN_SHARE = 1.5
#: slices and drawing are timed in the GUI thread's CPU time, so a frame is the same
#: work on a busy machine as on an idle one (fewer frames per second there, not a slice
#: squeezed by time the thread spent waiting for a core); a slice still ends after
#: MAX_WALL_S of wall-clock time, so input is never kept waiting longer
MAX_WALL_S = 0.1


def _cpu() -> float:
    return time.thread_time()


class SliceClock:
    """The time budget of one slice after another: :meth:`begin` a slice (its deadline),
    ask :meth:`over` while training, :meth:`end` it when the views start drawing."""

    def __init__(self) -> None:
        self.last_end: float | None = None   # the GUI thread's CPU clock when a slice ended
        self._wall_end = float("inf")        # the current slice's wall-clock end
        self._deadline: float | None = None  # the current slice's deadline (CPU clock)
        self.carry = 0.0   # how far the last slice ran past its deadline (scoring its epochs)
        self.waited = 0.0  # wall time the drawing since the last slice waited for a helper

    def restart(self) -> None:
        """A new run of frames (Play pressed): the next slice gets a full budget."""
        self.last_end = None
        self._deadline, self.carry, self.waited = None, 0.0, 0.0

    def budget(self, now: float) -> float:
        """Seconds of training for the slice starting at ``now``: the rest of a frame of
        ``FRAME_TARGET_S`` after what the GUI thread did since the last slice ended
        (drawing the last one, repainting, input), but at least ``TRAIN_SHARE`` times
        that, within [MIN_BUDGET_S, MAX_BUDGET_S]."""
        if self.last_end is None:
            return MAX_BUDGET_S
        other = max(0.0, now - self.last_end) + self.waited
        want = max(FRAME_TARGET_S - other, TRAIN_SHARE * other)
        return min(MAX_BUDGET_S, max(MIN_BUDGET_S, want))

    def begin(self) -> float:
        """Start a slice now; its deadline on the CPU clock: the budget less what the last
        slice ran past its own (a slice's epochs are scored after its deadline), so a
        frame keeps its length instead of growing by that much."""
        start = _cpu()
        self._wall_end = time.perf_counter() + MAX_WALL_S
        self._deadline = start + max(MIN_BUDGET_S, self.budget(start) - self.carry)
        self.waited = 0.0
        return self._deadline

    def wait(self, seconds: float) -> None:
        """The drawing waited ``seconds`` for a helper thread's part of it (the maps, where
        no core was free to compute them beside the slice): drawing time too."""
        self.waited += max(0.0, seconds)

    def over(self, deadline: float) -> bool:
        """The slice's time is up: ``deadline`` on the GUI thread's CPU clock, or its
        wall-clock limit."""
        return _cpu() >= deadline or time.perf_counter() >= self._wall_end

    def end(self) -> None:
        """The slice is over: what the GUI thread does next is drawing time."""
        self.last_end = _cpu()
        over = 0.0 if self._deadline is None else self.last_end - self._deadline
        self.carry = min(MAX_BUDGET_S, max(0.0, over))
