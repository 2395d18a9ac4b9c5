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

This is :mod:`nnviz.controllers.training.score_ahead`'s pattern (a daemon thread and a
condition), for one job at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np


class JobAhead:
    """Runs one job at a time on a helper thread: :meth:`submit` it, :meth:`take` its
    result (waiting for it), or :meth:`drop` it."""

    def __init__(self) -> None:
        self._cv = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False
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
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="nnviz-grid-ahead",
                                                daemon=True)
                self._thread.start()
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

    def close(self) -> None:
        """Stop the helper thread (the lab is shutting down); later jobs are refused."""
        with self._cv:
            self._closed = True
            self._cv.notify_all()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=5.0)

    def _work(self) -> None:
        while True:
            with self._cv:
                while not self._closed and self._job is None:
                    self._cv.wait()
                if self._closed:
                    return
                job, self._job, self._busy = self._job, None, True
            try:
                with np.errstate(all="ignore"):
                    res, err = job(), None
            except BaseException as e:  # handed to the GUI thread in take()
                res, err = None, e
            with self._cv:
                self._busy = False
                self._result, self._error = res, err
                self._cv.notify_all()
