"""A live frame's decision maps computed on a helper thread while the GUI thread trains.

At full speed a Training-lab frame is one slice of training, then one redraw, whose largest
part on Playground's networks is the grid: every neuron over the 100 x 100 input plane
(:class:`nnviz.engine.learning.monitor.GridEvaluator`; on network c 490,000 float64 tanh,
about half the redraw). While Play runs at full speed, each tick hands the grid of the
network as the last slice left it to a helper thread and trains the next slice meanwhile
(NumPy releases Python's lock in the grid's 10,000-point products and tanh); the frame
then draws that grid. So a live frame's maps show the network one slice earlier than its
numbers (a slice is at most 40 ms of training), and the views get them without computing
them. Every other redraw (paused, stepped, edited, at a set speed) computes the grid of the
network as it is, as before. The helper runs the same evaluator on a copy of the same
parameters: the same bits as computing it on the GUI thread (tested). Where the second
core is busy the GUI thread waits for it (at most about the grid's own time), and the slice
clock counts that wait as drawing time (:meth:`SliceClock.wait`), so the next slice keeps
training's share of the frame as if the maps had been computed on the GUI thread.

Its thread's life is :class:`~nnviz.controllers.training.helper_thread.HelperThread`'s, as
:mod:`nnviz.controllers.training.score_ahead`'s is; here for one job at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nnviz.controllers.training.helper_thread import HelperThread


class JobAhead(HelperThread):
    """Runs one job at a time on a helper thread: :meth:`submit` it, :meth:`take` its
    result (waiting for it), or :meth:`drop` it."""

    thread_name = "nnviz-grid-ahead"

    def __init__(self) -> None:
        super().__init__()
        self._job: Callable[[], Any] | None = None   # submitted, not yet started
        self._busy = False          # the helper is running a job
        self._pending = False       # a job was submitted and its result not taken
        self._result: Any = None
        self._error: BaseException | None = None

    @property
    def pending(self) -> bool:
        """A job was submitted and its result is not taken or dropped yet."""
        return self._pending

    def submit(self, job: Callable[[], Any]) -> bool:
        """Hand ``job`` to the helper (after the one before it is done and dropped); False
        (nothing submitted) once closed."""
        self.drop()
        with self._cv:
            if self._closed:
                return False
            self._job, self._pending = job, True
            self._result, self._error = None, None
            self._start_thread()
            self._cv.notify_all()
            return True

    def take(self) -> Any:
        """The submitted job's result (its exception raised here), waiting until it is
        done; None if nothing is pending."""
        with self._cv:
            if not self._pending:
                return None
            while (self._job is not None and not self._closed) or self._busy:
                self._cv.wait()   # (closed before it started: None)
            res, err = self._result, self._error
            self._pending, self._result, self._error = False, None, None
        if err is not None:
            raise err
        return res

    def drop(self) -> None:
        """Forget the pending job's result, once the helper is done with it (whatever it
        wrote is then free to be reused)."""
        with self._cv:
            while self._busy:
                self._cv.wait()
            self._job, self._pending = None, False
            self._result, self._error = None, None

    def _has_work(self) -> bool:
        return self._job is not None

    def _claim(self) -> tuple[Callable[[], Any], None]:
        job, self._job, self._busy = self._job, None, True
        return job, None

    def _done(self, _key: None, result: Any, error: BaseException | None) -> None:
        self._busy = False
        self._result, self._error = result, error
