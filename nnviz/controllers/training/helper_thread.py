"""The life of a helper thread that works beside the GUI thread during a live slice (the
decision maps in grid_ahead.py, the epochs' scores in score_ahead.py): one daemon thread
and a condition, started by the first job, stopped by :meth:`HelperThread.close`; a job
runs with NumPy's warnings off and its exception is kept for the GUI thread to raise."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np


class HelperThread:
    """A subclass says when there is work (:meth:`_has_work`), claims it
    (:meth:`_claim`: a callable and what to file its result under) and files the result
    (:meth:`_done`); all three run holding ``self._cv``."""

    thread_name = "nnviz-helper"

    def __init__(self) -> None:
        self._cv = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def _start_thread(self) -> None:
        """Start the helper if it is not running (call holding ``self._cv``)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name=self.thread_name,
                                            daemon=True)
            self._thread.start()

    def close(self) -> None:
        """Stop the helper thread (the lab is shutting down); later work is refused."""
        with self._cv:
            self._closed = True
            self._cv.notify_all()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=5.0)

    def _has_work(self) -> bool:
        raise NotImplementedError

    def _claim(self) -> tuple[Callable[[], Any], Any]:
        raise NotImplementedError

    def _done(self, key: Any, result: Any, error: BaseException | None) -> None:
        raise NotImplementedError

    def _work(self) -> None:
        while True:
            with self._cv:
                while not self._closed and not self._has_work():
                    self._cv.wait()
                if self._closed:
                    return
                job, key = self._claim()
            try:
                with np.errstate(all="ignore"):
                    res, err = job(), None
            except BaseException as e:  # handed to the GUI thread by the subclass
                res, err = None, e
            with self._cv:
                self._done(key, res, err)
                self._cv.notify_all()
