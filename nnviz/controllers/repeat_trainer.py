"""The Workbench's "Train N steps": its own training step (plain gradient descent on the
lesson's example, frozen biases left alone) repeated N times in time-budgeted slices, so
the window stays live; the result becomes one entry of the timeline (undoable), and the
numbers the notes print after those steps are shown beside nnviz's.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from nnviz.controllers.stepper import StepController
from nnviz.engine.notes_numbers import MAX_REPEAT, sgd_steps

SLICE_SECONDS = 0.025      # one slice of steps, then the event loop runs
FIRST_CHUNK = 20           # steps in the first slice, before the speed is known


class RepeatTrainer(QObject):
    """Runs N training steps of the Workbench in slices; emits progress and finished."""

    progress = Signal(int, int)       # steps done, steps asked
    finished = Signal()

    def __init__(self, stepper: StepController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stepper = stepper
        self.doc = stepper.doc
        self.asked = 0
        self.done = 0
        self.result = ""               # what the last run reached (shown by the view)
        self.remarks: list[str] = []   # the notes' numbers beside nnviz's
        self._net = None
        self._start_net = None
        self._chunk = FIRST_CHUNK
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._slice)
        self.doc.lesson_changed.connect(self.cancel)

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def start(self, n: int) -> None:
        """Train n steps from the document's network (n from 1 to a million)."""
        n = int(n)
        if not 1 <= n <= MAX_REPEAT or self.doc.network is None:
            raise ValueError(f"the number of steps must be from 1 to {MAX_REPEAT:,}")
        self.stepper.pause()
        self.cancel()
        self._start_net = self.doc.network.copy()
        self._net = self.doc.network.copy()
        self.asked, self.done, self._chunk = n, 0, FIRST_CHUNK
        self.result, self.remarks = "", []
        self._timer.start()
        self.progress.emit(0, n)

    def cancel(self) -> None:
        """Stop a run; the document keeps the network it had."""
        if self._timer.isActive():
            self._timer.stop()
            self._net = None
            self.result = f"Stopped after {self.done:,} of {self.asked:,} steps (nothing applied)."
            self.finished.emit()

    def _slice(self) -> None:
        d = self.doc
        k = min(self._chunk, self.asked - self.done)
        t0 = time.perf_counter()
        with np.errstate(all="ignore"):
            sgd_steps(self._net, d.example_x, d.example_y, d.loss, d.config.eta, k,
                      d.config.freeze_biases)
        dt = time.perf_counter() - t0
        self.done += k
        # aim at one slice's time budget next time
        self._chunk = max(1, min(100_000, int(k * SLICE_SECONDS / max(dt, 1e-6))))
        if not self._net.is_finite():
            self._timer.stop()
            self.result = (f"Stopped at step {self.done:,}: the weights became infinite or "
                           "NaN. Lower the learning rate.")
            self._net = None
            self.finished.emit()
            return
        self.progress.emit(self.done, self.asked)
        if self.done >= self.asked:
            self._timer.stop()
            self._finish()

    def _finish(self) -> None:
        d, net, n = self.doc, self._net, self.asked
        self._net = None
        self.stepper.train_step(after=net, text=f"Train {n:,} steps")
        out = net.copy()
        from nnviz.engine.network import forward

        fwd = forward(out, d.example_x)
        loss = d.loss
        total = loss.value(fwd.output, d.example_y.reshape(fwd.output.shape))
        outs = ", ".join(f"{d.naming.out(len(out.sizes) - 1, j)} = {v:.9f}"
                         for j, v in enumerate(fwd.output[0][:4]))
        frozen = " (biases frozen, as set)" if d.config.freeze_biases else ""
        self.result = (f"After {n:,} steps{frozen}: {d.naming.total_error} = {total:.10f}; "
                       f"{outs}")
        lesson = d.lesson
        self.remarks = []
        if lesson is not None and self._start_net.equals(lesson.network):
            for num in lesson.notes_numbers:
                if num.steps == n:
                    self.remarks.append(num.remark(num.exact(net, d.example_x, d.example_y,
                                                             loss)))
        self.finished.emit()
