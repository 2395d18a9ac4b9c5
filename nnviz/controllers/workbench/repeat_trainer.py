"""The Workbench's "Train N steps": its own training step (Ctrl+→: on the lesson's example
with the chosen optimiser, L1/L2, clipping, dropout and frozen biases; in the matrix view's
mini-batch mode its plain mini-batch step) repeated N times in time-budgeted slices, so the
window stays live; the result becomes one entry of the timeline (undoable), and the numbers
the notes print after those steps are shown beside nnviz's.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QObject, Signal

from nnviz.controllers.playback import Playback
from nnviz.controllers.workbench.stepper import StepController
from nnviz.engine.teaching.notes_numbers import (
    MAX_REPEAT,
    describe_update,
    optimiser_state,
    sgd_steps,
    workbench_steps,
)

SLICE_SECONDS = 0.025      # one slice of steps, then the event loop runs
FIRST_CHUNK = 20           # steps in the first slice, before the speed is known


class RepeatTrainer(QObject):
    """Runs N training steps of the Workbench in slices; emits progress and finished."""

    progress = Signal(int, int)       # steps done, steps asked
    finished = Signal()

    def __init__(self, stepper: StepController, parent: QObject | None = None,
                 batch=None) -> None:
        super().__init__(parent)
        self.stepper = stepper
        # the examples of a step: the example, or (the matrix view's mini-batch mode) the
        # batch it shows; ``batch()`` returns (x, y) or None
        self._batch = batch or (lambda: None)
        self._xy = None
        self.doc = stepper.doc
        self.asked = 0
        self.done = 0
        self.result = ""               # what the last run reached (shown by the view)
        self.remarks: list[str] = []   # the notes' numbers beside nnviz's
        self._net = None
        self._start_net = None
        self._chunk = FIRST_CHUNK
        self.playback = Playback(self._slice, parent=self)
        self.doc.lesson_changed.connect(self.cancel)

    def start(self, n: int) -> None:
        """Train n steps from the document's network (n from 1 to a million)."""
        n = int(n)
        if not 1 <= n <= MAX_REPEAT or self.doc.network is None:
            raise ValueError(f"the number of steps must be from 1 to {MAX_REPEAT:,}")
        self.stepper.playback.pause()
        self.cancel()
        b = self._batch()
        if b is None and self.doc.network.has_batch_norm:   # one example has no batch statistics
            self.result = ("Batch normalisation needs a mini-batch: tick Mini-batch in the "
                           "matrix view (M), then Train N steps trains on that batch.")
            self.finished.emit()
            return
        self._start_net = self.doc.network.copy()
        self._xy = b if b is not None else (self.doc.example_x, self.doc.example_y)
        self._net = self.doc.network.copy()
        d, st = self.doc, self.stepper
        self._cfg, self._n_train = d.config, max(1, len(d.x))
        self._state = optimiser_state(d.config, st.past.optimiser_at(st.t)) if b is None else None
        self._seed = (d.lesson.seed if d.lesson is not None else 0) + st.t
        self.asked, self.done, self._chunk = n, 0, FIRST_CHUNK
        self.result, self.remarks = "", []
        self.playback.play()
        self.progress.emit(0, n)

    def cancel(self) -> None:
        """Stop a run; the document keeps the network it had."""
        if self.playback.playing:
            self.playback.pause()
            self._net = None
            self.result = f"Stopped after {self.done:,} of {self.asked:,} steps (nothing applied)."
            self.finished.emit()

    def _slice(self) -> None:
        d = self.doc
        k = min(self._chunk, self.asked - self.done)
        t0 = time.perf_counter()
        with np.errstate(all="ignore"):
            if self._state is None:   # the matrix view's mini-batch step: plain descent
                sgd_steps(self._net, *self._xy, d.loss, d.config.eta, k,
                          d.config.freeze_biases)
            else:                     # the step keys' step, with every option it applies
                workbench_steps(self._net, *self._xy, d.loss, self._cfg, k,
                                n_train=self._n_train, seed=self._seed + self.done,
                                state=self._state)
        dt = time.perf_counter() - t0
        self.done += k
        # aim at one slice's time budget next time
        self._chunk = max(1, min(100_000, int(k * SLICE_SECONDS / max(dt, 1e-6))))
        if not self._net.is_finite():
            self.playback.pause()
            self.result = (f"Stopped at step {self.done:,}: the weights became infinite or "
                           "NaN. Lower the learning rate.")
            self._net = None
            self.finished.emit()
            return
        self.progress.emit(self.done, self.asked)
        if self.done >= self.asked:
            self.playback.pause()
            self._finish()

    def _how(self) -> str:
        """The update the run applied, e.g. " with Adam (β₁ = 0.9, ...), η = 0.1" (its state
        carried on from the step the Workbench stands at, and on to the next step key), or
        what the matrix view's mini-batch step (plain gradient descent) leaves out."""
        cfg = self._cfg
        if self._state is None:
            plain = not (cfg.l1 or cfg.l2 or cfg.clip_value or cfg.clip_norm or cfg.dropout
                         or cfg.optimiser_spec()[0] != "sgd")
            return "" if plain else (" (the mini-batch step is plain gradient descent: the "
                                     "optimiser, L1/L2, clipping and dropout are not applied)")
        return f" with {describe_update(cfg, self._n_train)}, η = {cfg.eta:g}"

    def _finish(self) -> None:
        d, net, n = self.doc, self._net, self.asked
        self._net = None
        x, y = self._xy
        m = len(np.asarray(x).reshape(-1, net.sizes[0]))
        self.stepper.train_step(after=net, text=f"Train {n:,} steps",
                                optimiser=self._state.opt if self._state is not None else None)
        from nnviz.engine.core.network import forward

        fwd = forward(net, x)
        loss = d.loss
        total = loss.value(fwd.output, np.asarray(y).reshape(fwd.output.shape))
        outs = ", ".join(f"{d.naming.out(len(net.sizes) - 1, j)} = {v:.9f}"
                         for j, v in enumerate(fwd.output[0][:4])) if m == 1 else ""
        params = ", ".join(f"{d.naming.weight(l, j, k)} = {net.weights[l][j, k]:.10f}"
                           for l in range(net.n_layers) for j in range(net.sizes[l + 1])
                           for k in range(net.sizes[l])) if net.n_params() <= 4 else ""
        bias = ", ".join(f"{d.naming.bias(l, 0)} = {net.biases[l][0]:.10f}"
                         for l in range(net.n_layers) if net.use_bias[l]) if params else ""
        frozen = " (biases frozen, as set)" if d.config.freeze_biases else ""
        frozen += self._how()
        batch = f" on {m} examples at once" if m > 1 else ""
        shown = f"{total:.10f}" if abs(total) >= 1e-6 else f"{total:.3g}"
        self.result = (f"After {n:,} steps{batch}{frozen}: {d.naming.total_error} = "
                       f"{shown}" + "".join(f"; {s}" for s in (outs, params, bias) if s))
        lesson = d.lesson
        self.remarks = []
        if lesson is not None and self._start_net.equals(lesson.network) and m == 1:
            for num in lesson.notes_numbers:
                if num.steps == n:
                    self.remarks.append(num.remark(num.exact(net, x, y, loss)))
        self.finished.emit()
