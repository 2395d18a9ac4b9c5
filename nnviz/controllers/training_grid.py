"""The decision maps of a large network, computed off the GUI thread.

A 2-1400-1400-2 network's 100 x 100 grid is a 10,000 x 1,400 x 1,400 product and 28 M
sigmoids: 5-15 s of CPU. Above :data:`ASYNC_WEIGHTS` weights the Training lab asks
:class:`BigGrid` instead of computing the grid in its frame: the job runs on the grid
worker from a copy of the network, keeps only the drawn neurons' maps of each hidden
layer (:func:`nnviz.engine.summary.shown_neurons`), and ``ready`` is emitted when the
grid of the network on screen is there. A newer request replaces an older one.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QObject, Signal

from nnviz.engine.monitor import GridEval, GridEvaluator
from nnviz.engine.network import Network
from nnviz.engine.summary import shown_neurons

#: networks with more weights than this have their maps computed off the GUI thread
#: (a 100 x 100 grid of 20,000 weights is about 0.2 G multiply-adds: ~0.1 s)
ASYNC_WEIGHTS = 20_000


def fingerprint(net: Network, features: tuple[str, ...], res: int) -> tuple:
    """Cheap key of the network's parameters (a few sums per layer, ~1 ms per M weights)
    and the grid: a new request is made only when it changes."""
    sums = tuple((w.shape, float(w.sum()), float(np.abs(w).sum()), float(b.sum()))
                 for w, b in zip(net.weights, net.biases))
    acts = tuple(a.name for a in net.activations)
    return sums, acts, tuple(features), int(res)


def grid_job(net: Network, features: tuple[str, ...], res: int):
    """A job for the grid worker: the grid of ``net`` (a private copy) with each hidden
    layer cut to its drawn neurons."""
    def job(_progress) -> GridEval:
        with np.errstate(all="ignore"):
            g = GridEvaluator()(net, -6.0, 6.0, res, features)
        hidden = [h[..., shown_neurons(h.shape[-1])].copy() for h in g.hidden]
        return replace(g, output=g.output.copy(), hidden=hidden)
    return job


class BigGrid(QObject):
    """The latest grid of a large network, computed by a worker thread made on first use."""

    ready = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = None
        self._want: tuple | None = None     # the key asked for last
        self._have: tuple | None = None     # the key of ``_grid``
        self._grid: GridEval | None = None
        self.error = ""                     # why the last grid could not be computed

    def get(self, net: Network, features: tuple[str, ...], res: int = 100) -> GridEval | None:
        """The grid of ``net`` if it is computed, else None (and it is asked for)."""
        key = fingerprint(net, features, res)
        if key == self._have:
            return self._grid
        self.error = ""
        if key != self._want:
            self._want = key
            self.runner().submit(grid_job(net.copy(), tuple(features), res), quiet=True)
        return None

    @property
    def pending(self) -> bool:
        return self._want is not None and self._want != self._have

    def runner(self):
        if self._runner is None:
            from nnviz.controllers.gridworker import GridRunner

            self._runner = GridRunner(self)
            self._runner.finished.connect(self._on_finished)
            self._runner.failed.connect(self._on_failed)
        return self._runner

    def _on_finished(self, _rid: int, grid: object) -> None:
        self._grid, self._have = grid, self._want
        self.ready.emit()

    def _on_failed(self, message: str) -> None:
        # remembered for this network: no new request until it changes
        self._grid, self._have, self.error = None, self._want, message
        self.ready.emit()

    def shutdown(self) -> None:
        if self._runner is not None:
            self._runner.shutdown()
