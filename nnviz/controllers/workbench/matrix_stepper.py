"""Stepping the pass layer by layer with matrices (the Workbench's matrix view).

The MatrixController owns the layer-level trace (:mod:`nnviz.engine.stepping.matrix_trace`) of the
document's network and a position m in it. With one example it keeps the neuron stepper
in step (its k follows, so the graph and the equation panel show the same moment, and the
matrix view resumes where the neuron view was); with a mini-batch it shows each example's
δ and a, then the summed update, which a whole training step then applies.

The trace of a large network (over :data:`ASYNC_WEIGHTS` weights: a 2-1400-1400-2
network's is about ten copies and products of 2 M numbers, 0.5-1.5 s on the GUI thread
before) is built on a worker thread from a copy of the network; meanwhile ``trace`` is None and
:meth:`MatrixController.why_none` says it is being built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Signal

from nnviz.controllers.workbench.stepper import StepController
from nnviz.engine.core.network import Network

if TYPE_CHECKING:   # the trace's modules are imported when the matrix view is first used
    from nnviz.engine.stepping.matrix_trace import MatrixStep, MatrixTrace

#: a mini-batch shows at most this many examples (each one's δ and a, then the sum)
MAX_BATCH = 8
#: above this many weights the trace is built off the GUI thread; every shipped lesson
#: (784-100-10, 79,400 weights, the largest: ~15 ms) is built at once
ASYNC_WEIGHTS = 100_000


class MatrixController(QObject):
    """Position in the matrix trace, its options (mini-batch, layer numbering)."""

    changed = Signal()

    def __init__(self, stepper: StepController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stepper = stepper
        self.doc = stepper.doc
        self.active = False
        self.batch = False
        self.m = 0
        self.error = ""
        self._trace: MatrixTrace | None = None
        self._dirty = True
        self.building = ""            # what is being built off the GUI thread ("": nothing)
        self._runner = None           # the worker, made for the first large network
        self._neuron_trace = None
        self._syncing = False
        self.doc.lesson_changed.connect(self._from_the_start)
        for sig in (self.doc.network_changed, self.doc.settings_changed, self.doc.data_changed):
            sig.connect(self._invalidate)
        stepper.position_changed.connect(self._on_stepper_moved)

    # ------------------------------------------------------------ the trace
    def batch_rows(self) -> tuple[np.ndarray, np.ndarray, int]:
        """The mini-batch (the first examples of the data set) and the data set's size."""
        d = self.doc
        x, y = np.asarray(d.x, float), np.asarray(d.y, float)
        if x.ndim != 2 or len(x) < 2 or d.network is None or x.shape[1] != d.network.sizes[0]:
            return d.example_x.reshape(1, -1), d.example_y.reshape(1, -1), 1
        n = len(x)
        size = n if n <= MAX_BATCH else min(d.config.batch_size or MAX_BATCH, MAX_BATCH)
        return x[:size], y[:size].reshape(size, -1), n

    @property
    def trace(self) -> MatrixTrace | None:
        ntr = self.stepper.trace          # rebuilt by the stepper on any change of its inputs
        if ntr is not self._neuron_trace:
            self._neuron_trace, self._dirty = ntr, True
        if self._dirty:
            self._dirty = False
            self._trace, self.error, self.building = None, "", ""
            if self.doc.network is not None:
                self._build()
        return self._trace

    def _build(self) -> None:
        """Build the trace of the document now, or start building it off the GUI thread."""
        d = self.doc
        x, y = (self.batch_rows()[:2] if self.batch else (d.example_x, d.example_y))
        lesson = d.lesson
        kw = {"freeze_biases": d.config.freeze_biases, "base": self.base, "names": d.naming,
              "notes_digits": lesson.notes_digits if lesson is not None else None}
        weights = sum(w.size for w in d.network.weights)
        if weights <= ASYNC_WEIGHTS:
            self._installed(*_trace_job(d.network, x, y, d.loss, d.config.eta, **kw)(None))
            return
        self.building = (f"Building the matrix steps of this large network ({weights:,} "
                         "weights) in the background …")
        # from copies: the Training lab may change the network in place meanwhile
        self.runner().submit(_trace_job(d.network.copy(), np.array(x, float),
                                        np.array(y, float), d.loss, d.config.eta, **kw),
                             quiet=True)

    def _installed(self, trace: MatrixTrace | None, error: str) -> None:
        self._trace, self.error, self.building = trace, error, ""
        if trace is not None:
            self.m = min(self.m, len(trace))

    def runner(self):
        if self._runner is None:
            from nnviz.controllers.gridworker import GridRunner

            self._runner = GridRunner(self)
            self._runner.finished.connect(self._on_built)
            self._runner.failed.connect(lambda e: self._on_built(0, (None, e)))
        return self._runner

    def _on_built(self, _rid: int, got: object) -> None:
        if self._dirty or not self.building:
            return   # asked for again meanwhile: a newer build is coming
        self._installed(*got)
        if self.active:
            self._follow_stepper()
        self.changed.emit()

    def why_none(self) -> str:
        """Why there is no trace: being built, the error, or no network."""
        return self.building or self.error or "No network"

    def shutdown(self) -> None:
        if self._runner is not None:
            self._runner.shutdown()

    @property
    def step(self) -> MatrixStep | None:
        tr = self.trace
        return tr.steps[self.m - 1] if tr is not None and self.m else None

    def __len__(self) -> int:
        tr = self.trace
        return len(tr) if tr is not None else 0

    def _from_the_start(self) -> None:
        """A lesson opened (or opened afresh) starts at its first matrix step, like the
        neuron stepper, even in mini-batch mode where the stepper does not move it."""
        self.m = 0
        self._invalidate()

    def _invalidate(self) -> None:
        self._dirty = True
        if self._runner is not None:
            self._runner.cancel()   # a build of the old network is never installed
        if self.active:
            self.changed.emit()

    # ------------------------------------------------------------ options
    def set_active(self, on: bool) -> None:
        """Show the matrix view: it starts where the neuron stepper is."""
        self.active = bool(on)
        if self.active:
            self._follow_stepper()
        self.changed.emit()

    def set_batch(self, on: bool) -> None:
        if bool(on) != self.batch:
            self.batch = bool(on)
            self._dirty = True
            self.m = 0
            self._sync_stepper()
            self.changed.emit()

    @property
    def base(self) -> int:
        """The number of the input layer (1 as the notes), the document's choice."""
        return self.doc.layer_base

    def set_base(self, base: int) -> None:
        self.doc.set_layer_base(base)     # settings_changed: every trace is rebuilt

    # ------------------------------------------------------------ moving
    def set_position(self, m: int) -> None:
        m = max(0, min(int(m), len(self)))
        if m != self.m:
            self.m = m
            self._sync_stepper()
            self.changed.emit()

    def next(self) -> None:
        """One matrix step; at the end, the training step (the mini-batch's in batch mode)."""
        if self.trace is None:
            return
        if self.m < len(self):
            self.set_position(self.m + 1)
        else:
            self.train_step()

    def prev(self) -> None:
        if self.m == 0 and self.stepper.t > 0:
            self.stepper.scrub(self.stepper.t - 1, k=-1)
            self.m = len(self)
            self.changed.emit()
        else:
            self.set_position(self.m - 1)

    def home(self) -> None:
        self.set_position(0)

    def train_step(self) -> bool:
        tr = self.trace
        if tr is None:
            return False
        after = tr.net_after if self.batch else None
        text = f"Mini-batch step ({tr.m} examples)" if self.batch else None
        ok = self.stepper.train_step(after=after, text=text)
        self.m = 0
        self.changed.emit()
        return ok

    def _groups(self) -> list[int]:
        """Positions at which a (phase, layer, example) group of steps ends."""
        tr = self.trace
        if tr is None:
            return []
        keys = [(s.phase, s.layer, s.example) for s in tr.steps]
        return [i + 1 for i in range(len(keys)) if i + 1 == len(keys) or keys[i + 1] != keys[i]]

    def next_layer(self) -> None:
        later = [e for e in self._groups() if e > self.m]
        if later:
            self.set_position(later[0])

    def prev_layer(self) -> None:
        earlier = [e for e in self._groups() if e < self.m]
        self.set_position(earlier[-1] if earlier else 0)

    # ------------------------------------------------------------ the neuron stepper
    def _sync_stepper(self) -> None:
        """One example: the neuron stepper shows everything of the current matrix step."""
        if self.batch or self.stepper.trace is None:
            return
        from nnviz.engine.stepping.matrix_trace import neuron_position

        step = self.step
        k = neuron_position(step, self.stepper.trace) if step is not None else 0
        self._syncing = True
        try:
            self.stepper.set_position(k)
        finally:
            self._syncing = False

    def _follow_stepper(self) -> None:
        """The last matrix step the neuron stepper's position has completed."""
        tr, ntr = self.trace, self.stepper.trace
        if tr is None or ntr is None or self.batch:
            return
        from nnviz.engine.stepping.matrix_trace import neuron_position

        k = self.stepper.k
        self.m = sum(1 for s in tr.steps if neuron_position(s, ntr) <= k) if k else 0

    def _on_stepper_moved(self) -> None:
        if self._syncing or not self.active:
            return
        self._follow_stepper()
        self.changed.emit()

    def status_text(self) -> str:
        """E.g. "BP1: Backward · layer 3 · matrix step 6 of 14 · training step 0"."""
        if self.trace is None:
            return self.why_none()
        head = self.step.title if self.step else "Start of the pass"
        return (f"{head} · matrix step {self.m} of {len(self)} · "
                f"training step {self.stepper.t}")


def _trace_job(net: Network, x: np.ndarray, y: np.ndarray, loss, eta: float, **kw):
    """A job (for the grid worker, or called at once) building the matrix trace of these
    inputs: (trace, "") or (None, the reason it cannot be built)."""
    def job(_progress) -> tuple[MatrixTrace | None, str]:
        from nnviz.engine.stepping.matrix_trace import build_matrix_trace

        try:
            with np.errstate(all="ignore"):
                return build_matrix_trace(net, x, y, loss, eta, **kw), ""
        except (ValueError, IndexError) as e:
            return None, f"Cannot trace this network: {e}"
    return job
