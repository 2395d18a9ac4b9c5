"""The gradient-descent path of the surface controller: stepping, playing in
time-budgeted timer slices, stepping back, divergence."""

from __future__ import annotations

import numpy as np

from nnviz.engine import planes as P
from nnviz.engine import surface as S
from nnviz.engine.budget import run_for
from nnviz.engine.naming import fmt
from nnviz.engine.network import cost

#: longest path kept (older points are thinned)
MAX_PATH = 20_000


class PathMixin:
    """Path methods of :class:`nnviz.controllers.surface.SurfaceController` (uses its
    document, signals, timers and chosen parameters)."""

    def _reset_path(self) -> None:
        """The path starts again at the network; while the lab is hidden its cost is not
        computed (training elsewhere changes the network every frame): set_active(True)
        does it."""
        self.thetas = [self.net.get_params()]
        self.steps = 0
        self._path_stale = not self.active
        if self._path_stale:
            self.costs = [float("nan")]
            return
        self.costs = [cost(self.net, self.doc.x, self.doc.y, self.doc.loss)]
        self.path_changed.emit()

    def point(self) -> tuple[float, float]:
        """The current point in the surface's coordinates."""
        return tuple(self.path_coords()[-1])  # type: ignore[return-value]

    def path_coords(self) -> np.ndarray:
        """The path in the surface's coordinates, shape (T, 2)."""
        t = np.array(self.thetas)
        s = self.surface
        if self.mode == "params" or s is None or s.mode == "params" or s.origin is None:
            # positions from the lab's parameter list, listed once per structure (listing
            # them here, twice per frame, took ~0.3 ms a frame on b and ~0.8 s on 784-100-10)
            return t[:, [self.param_list.index(r) for r in (self.px, self.py)]]
        return P.project(t, s.origin, s.d1, s.d2)

    def current_cost(self) -> float:
        return self.costs[-1]

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
            self._announce_own_change()
        self.path_changed.emit()
        return done

    def step_back(self) -> None:
        """Go back one point of the path (not undoable; the path is the history)."""
        if len(self.thetas) < 2:
            return
        self.playback.pause()
        self.thetas.pop()
        self.costs.pop()
        self.steps = max(0, self.steps - 1)
        self.net.set_params(self.thetas[-1])
        self._announce_own_change()
        self.path_changed.emit()

    def _announce_own_change(self) -> None:
        """Tell the other labs the network moved, marked as the path's own change (so the
        surface does not treat it as an edit from outside)."""
        self._own_change = True
        try:
            self.doc.network_updated()
        finally:
            self._own_change = False

    def _descend_once(self) -> bool:
        """One gradient-descent step along the path; False if it diverged (then the point
        stays at the last finite one and play pauses)."""
        x, y, loss, eta = self.doc.x, self.doc.y, self.doc.loss, self.doc.config.eta
        only = (self.px, self.py) if (self.only_two and self.mode == "params") else None
        net = self.net
        last = net.get_params()
        S.gd_step(net, x, y, loss, eta, only, self.doc.config.freeze_biases)
        with np.errstate(over="ignore", invalid="ignore"):
            c = cost(net, x, y, loss) if net.is_finite() else float("nan")
        if not np.isfinite(c):
            net.set_params(last)
            self.playback.pause()
            self.message.emit(
                f"Gradient descent diverged at step {self.steps + 1} (η = {fmt(eta)}): the "
                f"loss became {c}. Paused at the last finite point; lower the learning rate.")
            return False
        self.thetas.append(net.get_params())
        self.costs.append(c)
        self.steps += 1
        return True

    def reset_path(self) -> None:
        """Forget the path; it starts again at the current point."""
        self.playback.pause()
        self._reset_path()

    # ------------------------------------------------------------ play
    def _tick(self) -> None:
        self.step(self.steps_per_tick, budget=0.008)

    # ------------------------------------------------------------ clicks
