"""The gradient-descent path of the error-surface lab (:class:`DescentPath`): the
parameters and the loss at every point, stepping in time-budgeted slices, stepping back,
divergence. It belongs to a :class:`~nnviz.controllers.surface.controller.SurfaceController`, whose
set-up (the network, the two parameters, the surface's plane) it reads."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

import numpy as np

from nnviz.engine.core.naming import fmt
from nnviz.engine.core.network import cost
from nnviz.engine.labs import planes as P
from nnviz.engine.labs import surface as S
from nnviz.engine.learning.budget import run_for

if TYPE_CHECKING:
    from nnviz.controllers.surface.controller import SurfaceController

#: longest path kept (older points are thinned)
MAX_PATH = 20_000


class DescentPath:
    """The points gradient descent went through on the document's network."""

    def __init__(self, ctl: SurfaceController) -> None:
        self._ctl = weakref.proxy(ctl)   # its owner (no cycle through it)
        self.thetas: list[np.ndarray] = []   # the parameters at each point
        self.costs: list[float] = []         # the loss at each point
        self.steps = 0
        self.stale = False        # its cost waits for the lab to be shown
        self.own_change = False   # the network moved along the path (not an edit)

    def reset(self) -> None:
        """The path starts again at the network; while the lab is hidden its cost is not
        computed (training elsewhere changes the network every frame): the lab's
        set_active(True) does it."""
        ctl = self._ctl
        self.thetas = [ctl.net.get_params()]
        self.steps = 0
        self.stale = not ctl.active
        if self.stale:
            self.costs = [float("nan")]
            return
        doc = ctl.doc
        self.costs = [cost(ctl.net, doc.x, doc.y, doc.loss)]
        ctl.path_changed.emit()

    def coords(self) -> np.ndarray:
        """The path in the surface's coordinates, shape (T, 2)."""
        ctl = self._ctl
        t = np.array(self.thetas)
        s = ctl.surface
        if ctl.mode == "params" or s is None or s.mode == "params" or s.origin is None:
            # positions from the lab's parameter list, listed once per structure (listing
            # them here, twice per frame, took ~0.3 ms a frame on b and ~0.8 s on 784-100-10)
            return t[:, [ctl.param_list.index(r) for r in (ctl.px, ctl.py)]]
        return P.project(t, s.origin, s.d1, s.d2)

    def step(self, k: int = 1, budget: float | None = None) -> int:
        """Take up to ``k`` gradient-descent steps (stopping after ``budget`` seconds);
        returns how many were taken. Divergence pauses at the last finite point."""
        start = self.steps
        run_for(self._descend_once, budget, max(0, int(k)))
        done = self.steps - start
        if len(self.thetas) > MAX_PATH:  # keep the start, thin the middle
            self.thetas = self.thetas[:1] + self.thetas[2::2]
            self.costs = self.costs[:1] + self.costs[2::2]
        if done:
            self._announce()
        self._ctl.path_changed.emit()
        return done

    def step_back(self) -> None:
        """Go back one point (not undoable; the path is the history)."""
        if len(self.thetas) < 2:
            return
        ctl = self._ctl
        ctl.playback.pause()
        self.thetas.pop()
        self.costs.pop()
        self.steps = max(0, self.steps - 1)
        ctl.net.set_params(self.thetas[-1])
        self._announce()
        ctl.path_changed.emit()

    def _announce(self) -> None:
        """Tell the other labs the network moved, marked as the path's own change (so the
        surface does not treat it as an edit from outside)."""
        self.own_change = True
        try:
            self._ctl.doc.network_updated()
        finally:
            self.own_change = False

    def _descend_once(self) -> bool:
        """One gradient-descent step; False if it diverged (then the point stays at the
        last finite one and play pauses)."""
        ctl = self._ctl
        doc = ctl.doc
        x, y, loss, eta = doc.x, doc.y, doc.loss, doc.config.eta
        only = (ctl.px, ctl.py) if (ctl.only_two and ctl.mode == "params") else None
        net = ctl.net
        last = net.get_params()
        S.gd_step(net, x, y, loss, eta, only, doc.config.freeze_biases)
        with np.errstate(over="ignore", invalid="ignore"):
            c = cost(net, x, y, loss) if net.is_finite() else float("nan")
        if not np.isfinite(c):
            net.set_params(last)
            ctl.playback.pause()
            ctl.message.emit(
                f"Gradient descent diverged at step {self.steps + 1} (η = {fmt(eta)}): the "
                f"loss became {c}. Paused at the last finite point; lower the learning rate.")
            return False
        self.thetas.append(net.get_params())
        self.costs.append(c)
        self.steps += 1
        return True
