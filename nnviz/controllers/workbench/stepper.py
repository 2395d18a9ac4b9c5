"""Stepping through one training pass micro-step by micro-step, and a timeline of passes.

The StepController owns the engine trace of the document's current network on its
example and a position k (0 = before the first micro-step, len = all done). A whole
training step applies the trace's updated network to the document: one entry of the
document's undo stack, from which the timeline is read (:mod:`.history`); scrubbing is
undo and redo, and continuing from an earlier step drops the later ones.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from nnviz.controllers.document import Document, network_shape
from nnviz.controllers.playback import Playback
from nnviz.controllers.workbench.history import MAX_TIMELINE, StepHistory
from nnviz.engine.core.network import Network, cost
from nnviz.engine.files.validate import as_array
from nnviz.engine.stepping.trace import MicroStep, Trace, TraceState, build_trace

#: a workspace keeps the timeline up to this many numbers (parameters x steps)
MAX_SAVED_TIMELINE_NUMBERS = 200_000


class StepController(QObject):
    """Position in the micro-step trace, play/pause, and the timeline of training steps."""

    position_changed = Signal()    # k, the trace or the current step changed
    timeline_changed = Signal()    # training steps recorded / current index moved

    def __init__(self, doc: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.past = StepHistory(doc)
        self.k = 0
        self.speed = 2.0            # micro-steps per second when playing
        self.error = ""             # why there is no trace (shown by the views)
        self.tick = None            # what Play steps (the matrix view's next), else next
        self.tick_position = lambda: 0
        self._trace: Trace | None = None
        self._dirty = True
        self.playback = Playback(self._on_tick, self._interval(), parent=self,
                                 can_play=lambda: self.trace is not None)
        doc.lesson_changed.connect(self._on_lesson_changed)
        doc.network_changed.connect(self._on_inputs_changed)
        doc.history_moved.connect(self._on_history_moved)
        doc.history_cleared.connect(self._on_history_cleared)
        doc.settings_changed.connect(self._on_inputs_changed)
        doc.data_changed.connect(self._on_inputs_changed)
        if doc.network is not None:
            self._on_lesson_changed()

    # ------------------------------------------------------------ the trace
    @property
    def trace(self) -> Trace | None:
        """The trace of the current network (built lazily, once per change)."""
        if self._dirty:
            self._dirty = False
            self._trace = None
            self.error = ""
            d = self.doc
            if d.network is not None:
                try:
                    with np.errstate(all="ignore"):
                        self._trace = build_trace(d.network, d.example_x, d.example_y, d.loss,
                                                  d.config.eta, d.naming, d.config.freeze_biases,
                                                  self.options())
                except (ValueError, IndexError) as e:
                    self.error = f"Cannot trace this network: {e}"
            if self._trace is not None:
                self.k = min(self.k, len(self._trace))
        return self._trace

    def options(self):
        """The document's L1/L2 (λ/n, n the data set's size), optimiser (the state this
        timeline step reached), clipping and dropout (masks drawn per training step)."""
        from nnviz.engine.stepping.trace_options import StepOptions

        d = self.doc
        seed = (d.lesson.seed if d.lesson is not None else 0) + self.t
        # a generator only where masks are drawn (numpy.random is a 30 ms import at start)
        rng = np.random.default_rng(seed) if d.config.dropout > 0 else None
        return StepOptions.from_config(d.config, d.network, max(1, len(d.x)), rng,
                                       self.past.optimiser_at(self.t))

    def __len__(self) -> int:
        tr = self.trace
        return len(tr) if tr is not None else 0

    def state(self) -> TraceState | None:
        tr = self.trace
        return tr.state_at(self.k) if tr is not None else None

    @property
    def step(self) -> MicroStep | None:
        tr = self.trace
        return tr.steps[self.k - 1] if tr is not None and self.k else None

    def status_text(self) -> str:
        """E.g. "Forward · layer 2 · neuron h1 · step 3 of 32 · training step 0"."""
        n = len(self)
        if self.trace is None:   # (the reason, often long, is in the Equation panel)
            return "Cannot trace this network: the Equation panel says why" if self.error \
                else "No network"
        head = self.step.title if self.step else "Start of the pass"
        return f"{head} · step {self.k} of {n} · training step {self.t}"

    # ------------------------------------------------------------ moving
    def set_position(self, k: int) -> None:
        k = max(0, min(int(k), len(self)))
        if k != self.k:
            self.k = k
            self.position_changed.emit()

    def next(self) -> None:
        """One micro-step; at the end of the pass, a whole training step."""
        if self.trace is None:
            return
        if self.k >= len(self):
            self.train_step()
        else:
            self.set_position(self.k + 1)

    def prev(self) -> None:
        """One micro-step back; at the start, back to the end of the previous training step."""
        if self.k == 0 and self.t > 0:
            self.scrub(self.t - 1, k=-1)
        else:
            self.set_position(self.k - 1)

    def home(self) -> None:
        self.set_position(0)

    def _groups(self) -> list[int]:
        """Indices k at which a (phase, layer) group of micro-steps ends."""
        tr = self.trace
        if tr is None:
            return []
        ends = []
        for i, s in enumerate(tr.steps):
            nxt = tr.steps[i + 1] if i + 1 < len(tr.steps) else None
            if nxt is None or (nxt.phase, nxt.layer) != (s.phase, s.layer):
                ends.append(s.index)
        return ends

    def next_layer(self) -> None:
        """To the end of the next layer (or phase) group."""
        later = [e for e in self._groups() if e > self.k]
        if later:
            self.set_position(later[0])

    def prev_layer(self) -> None:
        """To the end of the previous layer group (or the start)."""
        earlier = [e for e in self._groups() if e < self.k]
        self.set_position(earlier[-1] if earlier else 0)

    # ------------------------------------------------------------ training steps
    @property
    def t(self) -> int:
        """The training step the Workbench stands at (read from the document's history)."""
        return self.past.t

    @property
    def timeline(self) -> list[Network]:
        """The networks of training steps 0, 1, ... (read from the history; not copies)."""
        return self.past.networks()

    @property
    def opt_states(self) -> dict[int, object]:
        """The optimiser (its state) each training step reached, by step."""
        return {i: c.optimiser for i, c in enumerate(self.past.steps(), 1)
                if c.optimiser is not None}

    def train_step(self, after: Network | None = None, text: str | None = None,
                   optimiser=None) -> bool:
        """Forward, backward and update at once: apply the update and start the next pass
        (``after``: another update of this network, e.g. the matrix view's mini-batch or
        Train N steps; ``optimiser``: the optimiser state it reached). One entry of the
        document's history."""
        tr = self.trace
        if tr is None and after is None:
            return False
        after = tr.net_after if after is None else after
        if not after.is_finite():
            self.playback.pause()
            self.doc.message.emit("The update gives infinite or NaN weights; training paused. "
                                  "Lower the learning rate or undo the last edit.")
            return False
        if optimiser is None and tr is not None and after is tr.net_after:
            optimiser = tr.optimiser
        self.past.push(after, text or f"Training step {self.t + 1}", optimiser)
        self.k = 0
        self._moved()
        return True

    def scrub(self, t: int, k: int = 0) -> None:
        """Go back (or forward) to training step t of the timeline, at micro-step k (-1 =
        end): the document's history undone (or redone) to there."""
        t = max(0, min(int(t), len(self.past.steps())))
        index = self.past.index_of(t)
        if index != self.doc.undo_stack.index():
            self.doc.undo_stack.setIndex(index)
        self.k = len(self) if k < 0 else max(0, min(int(k), len(self)))
        self._moved()

    def timeline_state(self) -> list[list[float]] | None:
        """The timeline's parameters (one list per training step) for a workspace, or None
        where it is too big to save (a 784-100-10 step is 79,510 numbers) or holds
        networks of another shape than the document's (a layer added since)."""
        nets = self.timeline
        if (sum(n.n_params() for n in nets) > MAX_SAVED_TIMELINE_NUMBERS
                or any(network_shape(n) != network_shape(self.doc.network) for n in nets)):
            return None
        return [n.get_params().tolist() for n in nets]

    def history(self) -> dict[str, list[float]] | None:
        """The cost on the example at every training step of the timeline (step 0 = the
        network before training; NaN at a step whose network has other inputs or outputs
        than the example: edited since), or None before the first training step."""
        d = self.doc
        nets = self.timeline
        if len(nets) < 2:
            return None
        with np.errstate(all="ignore"):
            x, y = np.reshape(d.example_x, (1, -1)), np.reshape(d.example_y, (1, -1))
            costs = [float(cost(n, x, y, d.loss)) if (n.sizes[0], n.sizes[-1]) == (
                x.shape[1], y.shape[1]) else float("nan") for n in nets]
        return {"step": list(range(len(nets))), "cost": costs}

    def restore_timeline(self, saved: Any, t: int, k: int) -> None:
        """Install a timeline saved by :meth:`timeline_state` at training step t, micro-step
        k. Step t must be the document's network, so restoring changes nothing in the
        document; anything else raises ValueError and changes nothing. The steps go on
        the document's history when an open empties it (see StepHistory.restore)."""
        net = self.doc.network
        n = net.n_params()
        if (not isinstance(saved, list) or not saved or len(saved) > MAX_TIMELINE
                or n * len(saved) > MAX_SAVED_TIMELINE_NUMBERS):
            raise ValueError(f"'timeline' must be a list of up to {MAX_TIMELINE} training "
                             "steps")
        nets = []
        for theta in as_array(saved, "timeline", (None, n)):
            step = net.copy()
            step.set_params(theta)
            nets.append(step)
        if not 0 <= t < len(nets) or not nets[t].equals(net):
            raise ValueError("the timeline does not hold the current network at its step")
        self.playback.pause()
        self.past.restore(nets, t)
        self.set_position(k)

    def _moved(self) -> None:
        self._dirty = True
        self.timeline_changed.emit()
        self.position_changed.emit()

    # ------------------------------------------------------------ play
    def _interval(self) -> int:
        return int(max(20, 1000.0 / self.speed))

    def set_speed(self, steps_per_second: float) -> None:
        self.speed = float(min(50.0, max(0.1, steps_per_second)))
        self.playback.set_interval(self._interval())

    def _on_tick(self) -> None:
        before = (self.t, self.k, self.tick_position())
        (self.tick or self.next)()
        if (self.t, self.k, self.tick_position()) == before:
            self.playback.pause()

    # ------------------------------------------------------------ document signals
    def _on_lesson_changed(self) -> None:
        self.playback.pause()
        self.past.forget_restore()   # (a failed open: the old one is put back)
        self.k = 0
        self._moved()

    def _on_history_moved(self) -> None:
        """An undo, redo or new entry: the step the Workbench stands at may have moved."""
        self.past.changed()
        self._moved()

    def _on_history_cleared(self) -> None:
        self.past.on_cleared()
        self._moved()

    def _on_inputs_changed(self) -> None:
        self._dirty = True
        self.position_changed.emit()
