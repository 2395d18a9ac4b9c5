"""The decision maps of a large network, computed off the GUI thread.

A 2-1400-1400-2 network's 100 x 100 grid is a 10,000 x 1,400 x 1,400 product and 28 M
sigmoids: 5-15 s of CPU. Above :data:`ASYNC_WEIGHTS` weights the Training lab asks
:class:`BigGrid` instead of computing the grid in its frame: the job runs on the grid
worker from a copy of the network, keeps only the drawn neurons' maps of each hidden
layer (:func:`nnviz.engine.core.summary.shown_neurons`), and ``ready`` is emitted when the
grid of the network on screen is there. A newer request replaces an older one.

The grid goes through the network :data:`CHUNK_POINTS` points at a time: at once, the
10,000 points' layers of a 2-1400-1400-2 network (112 MB each, and the activations'
temporaries) took about 650 MB while the map was computed (a 39 MB workspace opened
with 1 GB of memory); a chunk's are a tenth of that.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from nnviz.engine.core.network import Network
from nnviz.engine.core.summary import shown_neurons
from nnviz.engine.learning.monitor import BufferedForward, GridEval
from nnviz.engine.sets.features import expand

#: networks with more weights than this have their maps computed off the GUI thread
#: (a 100 x 100 grid of 20,000 weights is about 0.2 G multiply-adds: ~0.1 s)
ASYNC_WEIGHTS = 20_000
#: grid points per forward pass of a large network's maps (see the module text)
CHUNK_POINTS = 1000


def fingerprint(net: Network, features: tuple[str, ...], res: int) -> tuple:
    """Cheap key of the network's parameters (a few sums per layer, ~1 ms per M weights)
    and the grid: a new request is made only when it changes."""
    sums = tuple((w.shape, float(w.sum()), float(np.abs(w).sum()), float(b.sum()))
                 for w, b in zip(net.weights, net.biases))
    acts = tuple(a.name for a in net.activations)
    return sums, acts, tuple(features), int(res)


def grid_job(net: Network, features: tuple[str, ...], res: int):
    """A job for the grid worker: the grid of ``net`` (a private copy) with each hidden
    layer cut to its drawn neurons: :class:`nnviz.engine.learning.monitor.GridEvaluator`'s values
    (the same bits when the chunks are a multiple of BLAS's blocks, as 1,000 of a 100 x 100
    grid; else equal to rounding), computed a chunk of points at a time."""
    def job(_progress) -> GridEval:
        xs = np.linspace(-6.0, 6.0, res)
        gx, gy = np.meshgrid(xs, xs)
        x = expand(np.stack([gx.ravel(), gy.ravel()], axis=1), tuple(features))
        drawn = [shown_neurons(n) for n in net.sizes[1:-1]]
        out = np.empty((len(x), net.sizes[-1]))
        hidden = [np.empty((len(x), len(d))) for d in drawn]
        forward = BufferedForward()
        for s in range(0, len(x), CHUNK_POINTS):
            e = min(s + CHUNK_POINTS, len(x))
            with np.errstate(all="ignore"):
                acts = forward(net, x[s:e])
            out[s:e] = acts[-1]
            for h, a, d in zip(hidden, acts[:-1], drawn):
                h[s:e] = a[:, d]
        return GridEval(xs, xs, out.reshape(res, res, -1),
                        [h.reshape(res, res, -1) for h in hidden])
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
