"""Learning slowdown: the same network trained side by side under two costs.

Nielsen, chapter 3: one sigmoid neuron, start w = b = 2, input 1 -> target 0,
eta = 0.15. Under the quadratic cost the gradient carries a factor sigma'(z),
tiny when the neuron is saturated, so it stalls; cross-entropy does not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from nnviz.controllers.document import Document
from nnviz.controllers.gridworker import GridRunner
from nnviz.controllers.playback import Playback
from nnviz.engine.core.losses import LOSSES, Loss, get_loss
from nnviz.engine.core.network import Network, cost, predict
from nnviz.engine.labs import surface as S

DEFAULT_LOSSES = ("half_sse", "binary_cross_entropy")
#: the comparison is about one neuron; bigger networks get no runs (the page stays empty)
MAX_PARAMS = 64


@dataclass
class Run:
    """One side of the comparison: its cost, network, path and per-epoch records."""

    loss: Loss
    net: Network
    thetas: list[np.ndarray]
    costs: list[float]
    outputs: list[float]
    z: np.ndarray | None = None


class SlowdownController(QObject):
    """Two copies of the network, one per cost, stepped together."""

    changed = Signal()             # paths / epochs moved
    surfaces_changed = Signal()    # new grids
    setup_changed = Signal()

    def __init__(self, doc: Document, parent: QObject | None = None,
                 active: bool = True) -> None:
        super().__init__(parent)
        self.doc = doc
        self.runner = GridRunner(self)
        self.runner.finished.connect(self._on_grids)
        self.runs: list[Run] = []
        self.epochs = 0
        self.steps_per_tick = 1
        self.resolution = 61
        self.px: S.ParamRef | None = None
        self.py: S.ParamRef | None = None
        self.xs = np.zeros(0)
        self.ys = np.zeros(0)
        self._closed = False
        self.active = active   # inactive (a hidden lab): no grid until set_active(True)
        self._stale_grids: Network | None = None
        self._stale_reset = False     # a reset waits for the lab to be shown
        self.playback = Playback(lambda: self.step(self.steps_per_tick), 30, parent=self)
        doc.lesson_changed.connect(self.reset)
        doc.data_changed.connect(self.reset)
        if doc.lesson is not None:
            self.reset()

    @property
    def eta(self) -> float:
        return self.doc.config.eta

    def reset(self) -> None:
        """Start both runs again from the lesson's network (while the lab is hidden: when
        it is shown again)."""
        self.playback.pause()
        self._stale_reset = not self.active
        if self._stale_reset:
            return
        doc = self.doc
        if doc.lesson is None:
            return
        settings = doc.lesson.settings
        names = settings.get("losses", list(DEFAULT_LOSSES))
        if not (isinstance(names, list) and len(names) == 2 and all(n in LOSSES for n in names)):
            names = list(DEFAULT_LOSSES)
        start = doc.lesson.network.copy()
        self.runs = []
        self.epochs = 0
        if start.n_params() > MAX_PARAMS:
            self.px = self.py = None
            self.setup_changed.emit()
            self.changed.emit()
            return
        self.px, self.py = S.default_pair(start)
        for n in names:
            loss = get_loss(n)
            self.runs.append(Run(loss, start.copy(), [start.get_params()],
                                 [cost(start, doc.x, doc.y, loss)], [self._output(start)]))
        self.epochs = 0
        span = settings.get("span", 4.0)
        span = float(span) if isinstance(span, (int, float)) and 0 < span < 1e6 else 4.0
        cx, cy = self.px.get(start), self.py.get(start)
        c = settings.get("center")
        if isinstance(c, list) and len(c) == 2 and all(isinstance(v, (int, float)) for v in c):
            cx, cy = float(c[0]), float(c[1])
        self.xs = np.linspace(cx - span, cx + span, self.resolution)
        self.ys = np.linspace(cy - span, cy + span, self.resolution)
        self.setup_changed.emit()
        self.changed.emit()
        self._request_grids(start)

    def _output(self, net: Network) -> float:
        """The mean output of the first output neuron over the data (the neuron's a)."""
        return float(np.mean(predict(net, self.doc.x)[:, 0]))

    def set_active(self, active: bool) -> None:
        """While the lab is hidden no grid is computed; showing it again catches up."""
        self.active = bool(active)
        if self.active and self._stale_reset:
            self._stale_grids = None
            self.reset()
        elif self.active and self._stale_grids is not None:
            start, self._stale_grids = self._stale_grids, None
            self._request_grids(start)

    def _request_grids(self, start: Network) -> None:
        if self._closed:
            return
        if not self.active:
            self._stale_grids = start   # computed when the lab is shown again
            return
        x, y, px, py, xs, ys = self.doc.x.copy(), self.doc.y.copy(), self.px, self.py, \
            self.xs, self.ys
        losses = [r.loss for r in self.runs]

        def job(progress):
            return [S.loss_grid(start, x, y, loss, px, py, xs, ys, progress) for loss in losses]

        self.runner.submit(job)

    def _on_grids(self, rid: int, zs: list[np.ndarray]) -> None:
        for r, z in zip(self.runs, zs):
            r.z = z
        self.surfaces_changed.emit()

    def names(self) -> tuple[str, str]:
        return self.px.name(self.doc.naming), self.py.name(self.doc.naming)

    def path(self, i: int) -> np.ndarray:
        """Run i's path over the two shown parameters, shape (T, 2)."""
        refs = S.all_params(self.runs[i].net)
        idx = [refs.index(self.px), refs.index(self.py)]
        return np.array(self.runs[i].thetas)[:, idx]

    def step(self, k: int = 1) -> None:
        """Train both networks ``k`` more full-batch epochs with the same eta."""
        x, y = self.doc.x, self.doc.y
        for _ in range(max(0, k)):
            for r in self.runs:
                S.gd_step(r.net, x, y, r.loss, self.eta)
                if not r.net.is_finite():
                    r.net.set_params(r.thetas[-1])
                    self.playback.pause()
                    return
                r.thetas.append(r.net.get_params())
                with np.errstate(over="ignore", invalid="ignore"):
                    r.costs.append(cost(r.net, x, y, r.loss))
                r.outputs.append(self._output(r.net))
            self.epochs += 1
        self.changed.emit()

    def wait_idle(self, timeout_s: float = 60.0) -> bool:
        import time

        from PySide6.QtCore import QCoreApplication
        deadline = time.monotonic() + timeout_s
        while self.runner.busy() and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            self.runner.thread().msleep(5)
        return not self.runner.busy()

    def shutdown(self) -> None:
        self._closed = True
        self.playback.pause()
        self.runner.shutdown()
