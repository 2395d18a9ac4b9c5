"""A live slice's epochs scored on a helper thread while the GUI thread trains the next.

A full-speed slice trains its epochs in one FastTrainer call and leaves each epoch's
parameters in a row of an array (:mod:`nnviz.controllers.training.fast`); every recorded
epoch's losses and accuracies are a forward pass over both data sets with that row's
parameters (:func:`nnviz.engine.learning.fast_scores.epoch_scores`). On the keras lab's digits that
pass is about a third of a slice. Here a helper thread scores the rows of the epochs
already trained while the GUI thread trains the next ones; when the slice ends, the GUI
thread scores what the helper has not taken and waits for what it has (a block of a few
rows), so the slice's scores are all there when the slice is walked, exactly as before:
the same function on the same rows, so the same numbers. Where the second core is busy the
GUI thread simply scores more of the rows itself. While Play runs, slices are trained in
the worker process once it is ready (remote.py); this serves the slices trained in the
GUI's process (the first ones, or where the worker failed).
"""

from __future__ import annotations

from collections.abc import Callable

from nnviz.controllers.training.helper_thread import HelperThread

#: the helper takes at most this many epochs' rows at a time, so the GUI thread never
#: waits for more than one such block at the end of a slice
BLOCK_ROWS = 4


class ScoreAhead(HelperThread):
    """Scores rows of a slice as they become ready: :meth:`begin` a slice with its scoring
    function, :meth:`ready` after each trained epoch, :meth:`finish` for all the scores."""

    thread_name = "nnviz-epoch-scores"

    def __init__(self) -> None:
        super().__init__()
        self._score: Callable[[int, int], list] | None = None   # the slice's, or None
        self._ready = 0      # rows trained (final values in them)
        self._taken = 0      # rows claimed by the helper or the GUI thread
        self._busy = 0       # blocks the helper is scoring now
        self._got: dict[int, tuple] = {}
        self._error: BaseException | None = None

    def begin(self, score: Callable[[int, int], list]) -> bool:
        """A new slice: ``score(lo, hi)`` scores its rows lo..hi-1 (a list, one result a
        row), which fill in order while the slice trains. False (nothing begun) once
        closed: the caller scores alone."""
        with self._cv:
            while self._busy:   # a slice left unfinished (an exception): its last block
                self._cv.wait()
            if self._closed:
                return False
            self._score = score
            self._ready = self._taken = 0
            self._got, self._error = {}, None
            self._start_thread()
            return True

    def ready(self, n: int) -> None:
        """The first ``n`` rows are trained: the helper may score them."""
        with self._cv:
            if self._score is not None and n > self._ready:
                self._ready = n
                self._cv.notify_all()

    def finish(self, n: int) -> list:
        """The scores of the begun slice's first ``n`` rows: what the helper has not taken
        is scored here, then its blocks are waited for. The slice is over after this."""
        with self._cv:
            start, score = self._taken, self._score
            self._taken = self._ready = max(n, start)
        rest = score(start, n) if n > start else []
        with self._cv:
            while self._busy:
                self._cv.wait()
            got, err = self._got, self._error
            self._score, self._got, self._error = None, {}, None
        if err is not None:
            raise err
        return [got.get(k) for k in range(start)] + list(rest)

    def _has_work(self) -> bool:
        return self._score is not None and self._taken < self._ready

    def _claim(self) -> tuple[Callable[[], list], int]:
        lo = self._taken
        hi = self._taken = min(self._ready, lo + BLOCK_ROWS)
        score = self._score
        self._busy += 1
        return (lambda: score(lo, hi)), lo

    def _done(self, lo: int, result: list | None, error: BaseException | None) -> None:
        self._busy -= 1
        if error is not None:
            self._error = error
        for k, r in enumerate(result or ()):
            self._got[lo + k] = r
