"""The error-surface lab's state: which surface, its grid (computed off the GUI
thread), and the gradient-descent path rolling down it.

Modes: ``params`` (two parameters of the network, all others held at their
current values), ``random`` (a plane through two filter-normalised random
directions) and ``pca`` (the plane of the first two principal components of
the training trajectory).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from nnviz.controllers.document import Document
from nnviz.controllers.gridworker import GridRunner
from nnviz.controllers.playback import Playback
from nnviz.controllers.surface import slices
from nnviz.controllers.surface.jobs import MODES, Surface, plane_job, validate_state
from nnviz.controllers.surface.live import GridSchedule
from nnviz.controllers.surface.params import ParamList
from nnviz.controllers.surface.path import DescentPath
from nnviz.engine.core.network import Network
from nnviz.engine.labs import surface as S

MODE_TITLES = {"params": "Two parameters", "random": "Random plane", "pca": "PCA plane"}


class SurfaceController(QObject):
    """Chosen parameters, span, resolution, the grid and the descent path: a QtCore shell
    over its parts, each made here with its own state: the parameter list, the grid's
    worker (``runner``), when grids are asked for (``grids``), the descent path
    (``path``) and its playback."""

    surface_changed = Signal()     # a new grid arrived
    busy_changed = Signal(bool)    # a grid is being computed
    progress = Signal(int)         # percent of the grid computed
    path_changed = Signal()        # the path or the current point moved
    setup_changed = Signal()       # mode, parameters, span, resolution, only-two changed
    message = Signal(str)

    def __init__(self, doc: Document, parent: QObject | None = None,
                 active: bool = True) -> None:
        super().__init__(parent)
        self.doc = doc
        self.active = active   # inactive (a hidden lab): no grid until set_active(True)
        self._stale = False    # a grid waits for set_active(True)
        self.param_list = ParamList(doc)    # every parameter, named, once per structure
        self.runner = GridRunner(self)
        self.runner.finished.connect(self._on_grid_finished)
        self.runner.progress.connect(self.progress)
        self.runner.failed.connect(self._on_grid_failed)
        self.mode = "params"
        self.px: S.ParamRef | None = None
        self.py: S.ParamRef | None = None
        self.center = (0.0, 0.0)
        self.span = 4.0
        self.resolution = 101
        self.only_two = False
        self.steps_per_tick = 5
        self.seed = 0
        self.surface: Surface | None = None
        self.path = DescentPath(self)   # its steps are the lab's: ctl.step(k), ctl.step_back()
        self.step, self.step_back, self.path_coords = (self.path.step, self.path.step_back,
                                                       self.path.coords)
        self._closed = False
        self._grid_base = np.zeros(0)  # the other parameters of the last params-mode request
        self._grid_data = (np.zeros(0), np.zeros(0))
        self.playback = Playback(self._tick, 16, parent=self)
        self.grids = GridSchedule(self)
        doc.lesson_changed.connect(self._on_lesson_changed)
        doc.network_changed.connect(self._on_network_changed)
        doc.data_changed.connect(self._on_data_changed)
        doc.settings_changed.connect(self._on_settings_changed)
        self._loss_name = doc.loss_name
        if doc.lesson is not None:
            self._on_lesson_changed()

    # ------------------------------------------------------------ set-up
    @property
    def net(self) -> Network:
        return self.doc.network

    def name(self, ref: S.ParamRef) -> str:
        return ref.name(self.doc.naming)

    def _on_lesson_changed(self) -> None:
        self.playback.pause()
        settings = self.doc.lesson.settings if self.doc.lesson else {}
        mode = settings.get("mode")
        self.mode = mode if mode in MODES else "params"
        self.px, self.py = S.default_pair(self.net)
        pair = settings.get("params")
        if isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair):
            names = dict(zip(self.param_list.names(), self.param_list.refs()))  # only lessons that name two
            if all(p in names for p in pair):
                self.px, self.py = names[pair[0]], names[pair[1]]
        span = settings.get("span")
        default = 1.0 if self.mode == "random" else 4.0
        self.span = float(span) if isinstance(span, (int, float)) and 0 < span <= 1e6 else default
        self.only_two = bool(settings.get("only_two", False))
        self.center = (self.px.get(self.net), self.py.get(self.net))
        c = settings.get("center")
        if isinstance(c, list) and len(c) == 2 and all(isinstance(v, (int, float)) for v in c):
            self.center = (float(c[0]), float(c[1]))
        self.path.reset()
        self.setup_changed.emit()
        self.request_grid()

    def set_pair(self, px: S.ParamRef, py: S.ParamRef) -> None:
        """Show the surface over ``px`` (x axis) and ``py`` (y axis), centred on the current point."""
        if not (px.valid_for(self.net) and py.valid_for(self.net)):
            raise ValueError("no such parameter in this network")
        if px == py:
            raise ValueError("pick two different parameters for the two axes")
        self.px, self.py = px, py
        self.mode = "params"
        self.center = (px.get(self.net), py.get(self.net))
        self.setup_changed.emit()
        self.path_changed.emit()
        self.request_grid()

    def report(self, text: str) -> None:
        """Tell the user something (status bar)."""
        self.message.emit(text)

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown surface mode {mode!r}")
        if mode == self.mode:
            return
        self.mode = mode
        self.span = 1.0 if mode == "random" else (4.0 if mode == "params" else self.span)
        if mode != "params" and self.net.n_params() * max(1, len(self.doc.x)) > 1_000_000:
            self.resolution = min(self.resolution, 31)  # every grid point moves every weight
        if mode == "params":
            self.center = (self.px.get(self.net), self.py.get(self.net))
        self.setup_changed.emit()
        self.request_grid()

    def set_span(self, span: float) -> None:
        span = float(span)
        if not (np.isfinite(span) and 0 < span <= 1e6):
            raise ValueError("the span must be a positive number")
        self.span = span
        self.setup_changed.emit()
        self.request_grid()

    def set_resolution(self, n: int) -> None:
        n = int(n)
        if not 21 <= n <= 301:
            raise ValueError("the resolution must be between 21 and 301")
        self.resolution = n
        self.setup_changed.emit()
        self.request_grid()

    def recentre(self) -> None:
        """Centre the grid on the current point (and, for planes, draw new directions)."""
        if self.mode == "params":
            self.center = (self.px.get(self.net), self.py.get(self.net))
        elif self.mode == "random":
            self.seed += 1
        self.setup_changed.emit()
        self.request_grid()

    def set_only_two(self, on: bool) -> None:
        self.only_two = bool(on)
        self.setup_changed.emit()

    def set_eta(self, eta: float) -> None:
        """The learning rate, live (shared with the other labs through the document)."""
        self.doc.set_config(eta=float(eta))

    def set_steps_per_tick(self, n: int) -> None:
        self.steps_per_tick = max(1, min(1000, int(n)))

    def explanation(self) -> str:
        """What the surface on screen is, in a sentence."""
        if self.mode != "params":
            return ("All parameters train; the surface is a fixed plane through the parameter "
                    "space and the path is the trajectory projected on it.")
        if len(self.param_list.refs()) <= 2:
            return ("These two are all the network's parameters: the path lies exactly on "
                    "the surface.")
        if self.only_two:
            return "Only these two parameters train: the path lies exactly on the surface."
        live = self.surface is not None and self.surface.live
        return ("All parameters train: the surface is a slice through the current values of "
                "the others and is recomputed as they move"
                + (" (coarse, no contours, while playing)." if live else "."))

    # ------------------------------------------------------------ grid
    def _on_settings_changed(self) -> None:
        if self.doc.loss_name != self._loss_name:
            self._loss_name = self.doc.loss_name
            self.path.reset()
            self.grids.schedule()
        self.setup_changed.emit()

    def axis_values(self, n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The grid's axes at ``n`` points each (default: the chosen resolution)."""
        n, s = (n or self.resolution), self.span
        if self.mode == "params":
            cx, cy = self.center
            return np.linspace(cx - s, cx + s, n), np.linspace(cy - s, cy + s, n)
        return np.linspace(-s, s, n), np.linspace(-s, s, n)

    def _base(self) -> np.ndarray:
        """The parameters the grid depends on: all but the two varied ones (params mode)."""
        net = self.net.copy()
        self.px.set(net, 0.0)
        self.py.set(net, 0.0)
        return net.get_params()

    def set_active(self, active: bool) -> None:
        """While the lab is hidden no grid is computed; showing it again catches up."""
        self.active = bool(active)
        if self.active and self.path.stale:
            self.path.reset()
        if self.active and self._stale:
            self._stale = False
            self.request_grid()

    def request_grid(self, resolution: int | None = None, live: bool = False) -> int:
        """Compute the surface for the current set-up in the worker (replacing any older
        job), at ``resolution`` points per axis (default: the chosen resolution; params
        mode only, planes always at the chosen one). A ``live`` grid (while descent
        plays) shows no progress and is drawn without contours."""
        self.grids.stop()
        if self._closed:
            return 0
        if not self.active:
            self._stale = True  # computed when the lab is shown again
            return 0
        net, x, y, loss = self.net.copy(), self.doc.x.copy(), self.doc.y.copy(), self.doc.loss
        self._grid_data = (x, y)
        mode, px, py = self.mode, self.px, self.py
        n = (resolution or self.resolution) if mode == "params" else self.resolution
        live = self.grids.live_pending = live and mode == "params"
        xs, ys = self.axis_values(n)
        if mode == "params":
            base = self._grid_base = self._base()
            xl, yl = self.name(px), self.name(py)

            def job(progress):  # the picture (float32 for big grids); the slice in float64
                z = S.loss_grid_picture(net, x, y, loss, px, py, xs, ys, progress)
                sl = S.loss_slice(net, x, y, loss, px, xs)
                return Surface(mode, xs, ys, z, xl, yl, sl, base=base, live=live)
        else:
            theta = net.get_params()
            thetas = self.path.thetas
            trajectory = np.array(thetas) if len(thetas) >= 3 else None
            eta, seed, span, n = self.doc.config.eta, self.seed, self.span, self.resolution

            def job(progress):
                return plane_job(net, x, y, loss, mode, theta, trajectory, eta, seed, span, n,
                                 progress)
        rid = self.runner.submit(job, quiet=live)
        if not live:
            self.busy_changed.emit(True)
        return rid

    def _on_grid_finished(self, rid: int, result: Surface) -> None:
        self.surface = result
        if result.mode == "pca" and self.span != float(result.xs[-1]):
            self.span = float(result.xs[-1])
            self.setup_changed.emit()
        self.busy_changed.emit(False)
        self.grids.catch_up()  # the next grid (if one is due) computes while this one is drawn
        self.surface_changed.emit()
        self.path_changed.emit()

    def _on_grid_failed(self, message: str) -> None:
        self.busy_changed.emit(False)
        self.message.emit(f"The surface could not be computed: {message}")
        self.grids.catch_up()

    def busy(self) -> bool:
        return self.runner.busy()

    def wait_idle(self, timeout_s: float = 120.0) -> bool:
        """Process events until the grid is done (for screenshots and scripts)."""
        return self.grids.wait_idle(timeout_s)

    def slice_values(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The 1-D slice along the x axis through the current point (slices.py)."""
        return slices.slice_values(self)

    def off_plane(self) -> tuple[float, float | None] | None:
        """How far the current point lies off a plane surface, and the loss at its
        projection on it (slices.py); None on a surface of two parameters."""
        return slices.off_plane(self)

    # ------------------------------------------------------------ path (self.path)
    @property
    def thetas(self) -> list[np.ndarray]:
        return self.path.thetas

    @property
    def costs(self) -> list[float]:
        return self.path.costs

    @property
    def steps(self) -> int:
        return self.path.steps

    def reset_path(self) -> None:
        """Forget the path; it starts again at the current point."""
        self.playback.pause()
        self.path.reset()

    def point(self) -> tuple[float, float]:
        """The current point in the surface's coordinates."""
        return tuple(self.path.coords()[-1])  # type: ignore[return-value]

    def current_cost(self) -> float:
        return self.path.costs[-1]

    def _tick(self) -> None:
        self.step(self.steps_per_tick, budget=0.008)

    def _on_network_changed(self) -> None:
        if self.net is None:
            return
        if self.px is None:
            return  # no lesson yet
        if not (self.px.valid_for(self.net) and self.py.valid_for(self.net)) or (
                self.path.thetas and self.path.thetas[0].size != self.net.n_params()):
            self._restructure()  # another shape of network: start again on its default pair
            return
        if not self.path.own_change:
            self.path.reset()
        if self.mode == "params":
            base = self._base()
            if base.shape != self._grid_base.shape or not np.array_equal(base, self._grid_base):
                self.grids.schedule()

    def _restructure(self) -> None:
        self.playback.pause()
        self.px, self.py = S.default_pair(self.net)
        self.center = (self.px.get(self.net), self.py.get(self.net))
        self.path.reset()
        self.setup_changed.emit()
        self.request_grid()

    def _on_data_changed(self) -> None:
        gx, gy = self._grid_data
        if gx.shape == self.doc.x.shape and gy.shape == self.doc.y.shape and np.array_equal(
                gx, self.doc.x) and np.array_equal(gy, self.doc.y):
            return  # e.g. a lesson just opened: its grid is already on the way
        self.path.reset()
        self.grids.schedule()

    def move_to(self, u: float, v: float) -> None:
        """Set the network to the surface point (u, v), undoably, through the document."""
        if not (np.isfinite(u) and np.isfinite(v)):
            raise ValueError("the point must be finite")
        self.playback.pause()
        net = self.net.copy()
        s = self.surface
        if self.mode == "params" or s is None or s.origin is None:
            self.px.set(net, float(u))
            self.py.set(net, float(v))
            text = f"Set {self.name(self.px)} = {u:.4g}, {self.name(self.py)} = {v:.4g}"
        else:
            net.set_params(s.origin + u * s.d1 + v * s.d2)
            text = "Move to a point of the loss plane"
        self.doc.set_network(net, text)

    # ------------------------------------------------------------ state
    def state(self) -> dict[str, Any]:
        return {"mode": self.mode, "params": [self.name(self.px), self.name(self.py)],
                "center": list(self.center), "span": self.span, "resolution": self.resolution,
                "only_two": self.only_two, "steps_per_tick": self.steps_per_tick}

    def restore_state(self, st: dict[str, Any]) -> None:
        """Validate everything first; on any error raise ValueError and change nothing."""
        names = dict(zip(self.param_list.names(), self.param_list.refs()))
        v = validate_state(st, self.state(), names)
        self.mode, self.px, self.py = v["mode"], names[v["params"][0]], names[v["params"][1]]
        self.center = tuple(v["center"])
        self.span, self.resolution = v["span"], v["resolution"]
        self.only_two, self.steps_per_tick = v["only_two"], v["steps_per_tick"]
        self.setup_changed.emit()
        self.request_grid()

    def shutdown(self) -> None:
        """Stop the timers and the worker thread; later requests are ignored."""
        self._closed = True
        self.playback.pause()
        self.grids.stop()
        self.runner.shutdown()
