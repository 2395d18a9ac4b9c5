"""The records of a step-by-step trace: equations, micro-steps, the trace with its
reveal indices, and the state after k micro-steps (``Trace.state_at``). Built by
:func:`nnviz.engine.stepping.trace.build_trace`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nnviz.engine.core.naming import Naming, fmt
from nnviz.engine.core.network import ForwardPass, LayerGrad, Network

Array = np.ndarray
PHASES = ("forward", "error", "backward", "update", "result")


@dataclass(frozen=True)
class Equation:
    """``lhs = stages[0] = stages[1] = ... = value``; the first ``n_symbolic``
    stages are symbolic, the rest have the numbers substituted."""

    lhs: str
    stages: tuple[str, ...]
    value: float
    n_symbolic: int = 1

    @property
    def symbolic(self) -> str:
        return " = ".join((self.lhs, *self.stages[: self.n_symbolic]))

    @property
    def numeric(self) -> str:
        return " = ".join((self.lhs, *self.stages[self.n_symbolic:], fmt(self.value)))

    def text(self) -> str:
        """The whole line, e.g. ``net_h1 = w1*i1 + ... = 0.15*0.05 + ... = 0.3775``.

        A stage that repeats the one before it (or the result) is left out.
        """
        parts = [self.lhs]
        for st in (*self.stages, fmt(self.value)):
            if st != parts[-1]:
                parts.append(st)
        return " = ".join(parts)


@dataclass(frozen=True)
class MicroStep:
    """One micro-step of the trace.

    ``layer`` is the network layer (0 = inputs, 1 = first hidden ...) of the
    neuron concerned; ``neuron`` its index j; ``source`` the index k of the
    neuron below for a weight (None otherwise). ``details`` are the factors of
    the main equation, each on its own line as in the notes.
    """

    index: int
    phase: str
    kind: str
    layer: int
    neuron: int | None
    source: int | None
    equation: Equation
    details: tuple[Equation, ...] = ()
    factors: tuple[tuple[str, float], ...] = ()
    title: str = ""

    @property
    def value(self) -> float:
        return self.equation.value


@dataclass
class TraceState:
    """What is shown after k micro-steps. ``*_known`` masks say what has been computed."""

    k: int
    step: MicroStep | None
    weights: list[Array]
    biases: list[Array]
    net: list[Array]
    out: list[Array]
    delta: list[Array]
    dw: list[Array]
    db: list[Array]
    errors: Array
    net_known: list[Array]
    out_known: list[Array]
    delta_known: list[Array]
    dw_known: list[Array]
    db_known: list[Array]
    w_updated: list[Array]
    b_updated: list[Array]
    errors_known: Array
    total_error: float | None
    total_after: float | None


@dataclass
class Trace:
    """All micro-steps of one training step on one example, with reveal indices."""

    net_before: Network
    net_after: Network
    x: Array
    y: Array
    eta: float
    naming: Naming
    fwd: ForwardPass
    grads: list[LayerGrad]
    errors: Array
    total_error: float
    total_after: float
    steps: list[MicroStep] = field(default_factory=list)
    idx_net: list[Array] = field(default_factory=list)
    idx_out: list[Array] = field(default_factory=list)
    idx_delta: list[Array] = field(default_factory=list)
    idx_dw: list[Array] = field(default_factory=list)
    idx_db: list[Array] = field(default_factory=list)
    idx_w: list[Array] = field(default_factory=list)
    idx_b: list[Array] = field(default_factory=list)
    idx_error: Array = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    idx_total: int = 0
    idx_result: int = 0
    optimiser: object = None    # the optimiser after the step (its state), if not plain SGD
    plain: bool = True          # the update is w - η ∂E/∂w (no optimiser, L1/L2, clipping)

    def __len__(self) -> int:
        return len(self.steps)

    def phase_start(self, phase: str) -> int:
        """Index k of the state just before the first step of ``phase``."""
        for s in self.steps:
            if s.phase == phase:
                return s.index - 1
        return len(self.steps)

    def state_at(self, k: int) -> TraceState:
        """The state after k micro-steps (0 = before the first, len = all done)."""
        k = max(0, min(int(k), len(self.steps)))

        def known(idx: list[Array]) -> list[Array]:
            return [i <= k for i in idx]

        w_upd = known(self.idx_w)
        b_upd = known(self.idx_b)
        weights = [np.where(u, a, b) for u, a, b in
                   zip(w_upd, self.net_after.weights, self.net_before.weights)]
        biases = [np.where(u, a, b) for u, a, b in
                  zip(b_upd, self.net_after.biases, self.net_before.biases)]
        return TraceState(
            k=k,
            step=self.steps[k - 1] if k else None,
            weights=weights,
            biases=biases,
            net=[z[0] for z in self.fwd.zs],
            out=[a[0] for a in self.fwd.activations],
            delta=[g.delta[0] for g in self.grads],
            dw=[g.dw for g in self.grads],
            db=[g.db for g in self.grads],
            errors=self.errors,
            net_known=known(self.idx_net),
            out_known=[np.ones(len(self.x), dtype=bool)] + known(self.idx_out),
            delta_known=known(self.idx_delta),
            dw_known=known(self.idx_dw),
            db_known=known(self.idx_db),
            w_updated=w_upd,
            b_updated=b_upd,
            errors_known=self.idx_error <= k,
            total_error=self.total_error if self.idx_total <= k else None,
            total_after=self.total_after if self.idx_result <= k else None,
        )
