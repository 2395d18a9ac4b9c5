"""The next live slice trained in a worker process while the GUI thread draws the last one.

At full speed a Training-lab tick trains a slice, then the views draw it, both on the GUI
thread, so one of the machine's cores does everything. While Play runs at full speed, each
tick now ends by handing the next slice to a worker process (:func:`SliceWorker.submit`:
where the run is, as numbers, :mod:`nnviz.engine.learning.fast_remote`), which trains
epochs until the next tick asks for them (:meth:`SliceWorker.take`) or its time is up; the
tick then walks those epochs as if it had trained them itself (scores, history, early
stopping, blow-ups: :class:`~nnviz.controllers.training.fast.FastSlices`). Python threads
cannot do this: the small networks' training holds Python's lock.

Nothing a slice means changes: the worker trains from exactly where the run is (checked
bit for bit when its epochs are taken; a run that moved since - a pause, a step, an edit -
drops them and trains in its own process), with the same trainer, so every parameter and
loss has the same bits (tested). The process is started lazily ("spawn", never a fork of
the Qt process) on a helper thread at the first full-speed slice; until it is ready, and
whenever it fails (it died, it did not answer within ``ANSWER_S``, it reported an error),
the GUI thread trains as before. It ends when its connection closes (the app exiting, in
whatever way: its end of the connection closes with it), and
:meth:`SliceWorker.close` (the lab closing) stops it.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np

import nnviz
from nnviz import blas_threads
from nnviz.engine.learning import fast_remote, wire

#: a slice the worker trains ends after at most this many seconds (the GUI has not asked)
JOB_S = 0.25
#: the worker answers a stop within this many seconds (one epoch), or is not used again
ANSWER_S = 0.1
#: the worker is given up after this many failures in a row (timeouts, errors)
MAX_FAILURES = 3


class SliceWorker:
    """One worker process training slices ahead (see the module doc)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: Any = None
        self._conn: Any = None
        self._starter: threading.Thread | None = None
        self._ready = False
        self._closed = False
        self.failures = 0
        self._job: tuple[int, dict, int] | None = None   # (id, start, cap) under way
        self._ids = 0
        self._sent: tuple | None = None   # a copy of the training set the worker holds

    @property
    def usable(self) -> bool:
        """Ready to train (started, answered, not failed or closed)."""
        if self._closed or self.failures >= MAX_FAILURES:
            return False
        if not self._ready and self._conn is not None:
            self._ready = self._poll_ready()
        return self._ready

    @property
    def started(self) -> bool:
        """The process was asked for (it may not be ready yet)."""
        return self._starter is not None and not self._closed

    @property
    def pending(self) -> bool:
        """A slice was handed to the worker and not taken yet."""
        return self._job is not None

    @property
    def pid(self) -> int | None:
        return None if self._proc is None else self._proc.pid

    def start(self) -> None:
        """Start the process on a helper thread (once)."""
        with self._lock:
            if self._starter is not None or self._closed:
                return
            self._starter = threading.Thread(target=self._launch, name="nnviz-train-start",
                                             daemon=True)
            self._starter.start()

    def _launch(self) -> None:
        try:
            proc, mine = _spawn()
        except Exception:  # noqa: BLE001 - no worker: the GUI thread trains
            self.failures = MAX_FAILURES
            return
        with self._lock:
            if self._closed:
                _end(proc, mine)
                return
            self._proc, self._conn = proc, mine

    def _poll_ready(self) -> bool:
        try:
            if not self._conn.poll():
                return False
            return wire.recv(self._conn)[0] == "ready"
        except (EOFError, OSError, wire.WireError):
            self.failures = MAX_FAILURES
            return False

    def submit(self, start: dict, x, y, cap: int) -> bool:
        """Train a slice of at most ``cap`` epochs from ``start`` (a run_state pack) on the
        training set (x, y); False where the worker cannot take it."""
        if self._job is not None or not self.usable:
            return False
        self._ids += 1
        try:
            if not self._holds(x, y):
                wire.send(self._conn, ("data", x, y))
                self._sent = (x.copy(), y.copy())
            wire.send(self._conn, ("train", self._ids, {"state": start, "cap": cap,
                                                  "seconds": JOB_S}))
        except (OSError, ValueError):
            self._fail(fatal=True)
            return False
        self._job = (self._ids, start, cap)
        return True

    def _holds(self, x, y) -> bool:
        """The worker holds this training set (the same numbers as sent)."""
        sent = self._sent
        return (sent is not None and x.shape == sent[0].shape and y.shape == sent[1].shape
                and np.array_equal(x, sent[0]) and np.array_equal(y, sent[1]))

    def take(self, start: dict, cap: int, x, y) -> dict | None:
        """The epochs the worker trained from ``start`` on (x, y) (at most ``cap``), after
        stopping it; None (dropped) where its job started elsewhere, failed or did not
        answer."""
        job, self._job = self._job, None
        if job is None:
            return None
        jid, began, had_cap = job
        self._stop(jid)
        if (self._conn is None or had_cap != cap or not self._holds(x, y)
                or not fast_remote.same_start(began, start)):
            return None
        res = self._answer(jid)
        if res is None or "error" in res:   # no answer in time, or it failed: train here
            self._fail(fatal=False)
            return None
        self.failures = 0
        return res

    def _stop(self, jid: int) -> None:
        try:
            wire.send(self._conn, ("stop", jid))
        except (OSError, ValueError):
            self._fail(fatal=True)

    def _answer(self, jid: int) -> dict | None:
        """Job ``jid``'s result (earlier jobs' answers skipped), None after ANSWER_S."""
        try:
            while self._conn.poll(ANSWER_S):
                msg = wire.recv(self._conn)
                if msg[0] == "done" and msg[1] == jid:
                    return msg[2]
        except (EOFError, OSError, ValueError):   # it died (or sent garbage: WireError)
            self._fail(fatal=True)
        return None

    def _fail(self, fatal: bool) -> None:
        self.failures = MAX_FAILURES if fatal else self.failures + 1
        if self.failures >= MAX_FAILURES:
            self.close()

    def close(self) -> None:
        """Stop the process (the lab is closing, or it failed); it is not used again."""
        with self._lock:
            self._closed = True
            starter = self._starter
        if starter is not None:
            starter.join(timeout=5.0)
        with self._lock:
            proc, conn, self._proc, self._conn = self._proc, self._conn, None, None
        self._job = None
        if proc is not None:
            _end(proc, conn)


#: the worker's program: the engine's loop on the connection whose descriptor it is given
PROGRAM = ("import sys; from multiprocessing.connection import Connection; "
           "from nnviz.engine.learning.fast_remote import serve; serve(Connection(int(sys.argv[1])))")


def _spawn():
    """A new Python process running :func:`fast_remote.serve` (exec'd, never a fork of the
    Qt process: nothing of the app is in it, and it imports no module of the app's
    ``__main__``), with this process's nnviz and number of BLAS threads (the same kernels,
    so the same bits); its end of a connection is the only descriptor it inherits."""
    import subprocess  # here, not at start-up (~25 ms of imports with the next one)
    from multiprocessing import connection

    mine, theirs = connection.Pipe()
    env = dict(os.environ)
    root = str(Path(nnviz.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    threads = blas_threads.current()
    if threads is not None:
        for name in blas_threads.VARIABLES:
            env[name] = str(threads)
    fd = theirs.fileno()
    try:
        proc = subprocess.Popen([sys.executable, "-c", PROGRAM, str(fd)], pass_fds=(fd,),
                                stdin=subprocess.DEVNULL, env=env, close_fds=True)
    finally:
        theirs.close()
    return proc, mine


def _end(proc, conn) -> None:
    """Ask the worker to quit, then make sure it has (terminate, kill: never a hang)."""
    import subprocess

    try:
        wire.send(conn, ("quit",))
    except (OSError, ValueError):
        pass
    conn.close()
    for stop in (None, proc.terminate, proc.kill):
        if stop is not None:
            stop()
        try:
            proc.wait(timeout=1.0)
            return
        except subprocess.TimeoutExpired:
            continue
