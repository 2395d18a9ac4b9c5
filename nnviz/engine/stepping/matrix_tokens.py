"""The records of the layer-level trace: matrices to draw, steps, the whole trace."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nnviz.engine.core.network import Network

Array = np.ndarray


@dataclass(frozen=True)
class Mat:
    """A matrix or vector to draw: its name (under the bracket) and its values (2-D).

    ``names`` are the entries' symbols where the notes write them (w5, h1), ``digits``
    the decimals shown when the notes print rounded values (None: as the app prints).
    """

    name: str
    values: Array
    names: tuple[tuple[str, ...], ...] | None = None
    digits: int | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return self.values.shape  # type: ignore[return-value]


@dataclass(frozen=True)
class MatrixStep:
    """One step of the layer-by-layer trace.

    ``layer`` is the network layer concerned (0 = inputs, as :class:`MicroStep`),
    ``label`` BP1-BP4 where the notes name the equation, ``formula`` the symbolic
    equation, ``lines`` the equation with the numbers (tokens), ``value`` the step's
    result (what the tests compare), ``example`` the example x in a mini-batch.
    """

    index: int
    phase: str
    kind: str
    layer: int
    label: str
    title: str
    formula: str
    lines: tuple[tuple, ...]
    value: Array
    note: str = ""
    example: int | None = None


@dataclass
class MatrixTrace:
    """All steps of one gradient step, with the updated network."""

    net_before: Network
    net_after: Network
    x: Array                 # (m, n_in)
    y: Array                 # (m, n_out)
    eta: float
    base: int
    total_error: float
    total_after: float
    steps: list[MatrixStep] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def m(self) -> int:
        return len(self.x)


def col(v: Array, name: str, names=None, digits: int | None = None) -> Mat:
    """A column vector."""
    v = np.asarray(v, dtype=np.float64).reshape(-1, 1)
    return Mat(name, v, tuple((n,) for n in names) if names is not None else None, digits)


def row(v: Array, name: str, names=None, digits: int | None = None) -> Mat:
    """A row vector."""
    v = np.asarray(v, dtype=np.float64).reshape(1, -1)
    return Mat(name, v, (tuple(names),) if names is not None else None, digits)
