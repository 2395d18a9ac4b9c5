"""What the training lab's views read from the training controller: decision grid, curve,
gradient health, dropped neurons, the set-up's Keras code."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from nnviz.controllers.training.grid import ASYNC_WEIGHTS
from nnviz.controllers.training.grid_ahead import JobAhead
from nnviz.engine.core.network import Network
from nnviz.engine.learning.monitor import GridEval, GridEvaluator, Health, curve, gradient_health
from nnviz.engine.learning.training import test_time_network
from nnviz.engine.sets.features import FEATURES, expand

if TYPE_CHECKING:
    from nnviz.controllers.training.controller import TrainingController

#: gradient health is measured on this many training samples
HEALTH_SAMPLES = 256


class Readouts:
    """Computes the views' pictures of the training controller's network and data (read
    through its public attributes); owns the grid's buffers and the feature maps."""

    def __init__(self, ctl: TrainingController) -> None:
        self._ctl = ctl
        self._grid = GridEvaluator()
        self._feature_maps: np.ndarray | None = None
        self._ahead = JobAhead()    # a live frame's grid, computed while the slice trains
        self.maps_shown = False     # the lab is on screen (set by it): its frames draw grids
        self.behind = False         # the last grid was computed ahead (a slice behind)

    def evaluated(self) -> Network:
        """The network as it is evaluated (losses, accuracy, maps, curve): the trained one,
        or under the notes' dropout convention its hidden layers' outgoing weights times
        1 − p (inverted dropout needs no change at test time)."""
        cfg = self._ctl.doc.config
        return test_time_network(self._ctl.doc.network, cfg.dropout, cfg.dropout_mode)

    def keras_lines(self) -> list:
        """The Keras code of this set-up (:func:`nnviz.engine.labs.keras_code.keras_code`):
        what Reset and training with the lab's settings will do, line by line."""
        from nnviz.engine.core.batchnorm import EPS, MOMENTUM
        from nnviz.engine.labs.keras_code import Setup, describe_data, keras_code

        c = self._ctl
        d = c.doc
        lesson = d.lesson
        _m, scale, bias = lesson.init if lesson is not None else ("", 0.5, 0.0)
        setup = Setup(loss=d.loss_name, init=c.init_method, scale=scale,
                      gain=c.init_gain, bias=bias, features=tuple(c.features),
                      data=describe_data(c.data.spec) if len(c.data.x) else "",
                      n_train=len(c.net_data.x_train),
                      epochs=lesson.epochs if lesson is not None else 0,
                      bn_momentum=MOMENTUM, bn_eps=EPS)
        return keras_code(d.network, d.config, setup)

    def grid(self, res: int = 100) -> GridEval | None:
        """Every neuron over the input plane (2-input networks), else None; the arrays are
        reused by the next call (views draw them at once). In a live frame: the grid
        :meth:`grid_ahead` asked for (the network as the slice before this one left it)."""
        c = self._ctl
        if self._ahead.pending:
            t0 = time.perf_counter()
            got = self._ahead.take()
            c.clock.wait(time.perf_counter() - t0)   # (where no core was free beside the slice)
            if got is not None and got[0] == res:
                self.behind = True
                return got[1]
        self.behind = False
        net = self.evaluated()
        if not self._plane(net):
            return None
        if self.grid_is_big():  # off the GUI thread: None until it is computed
            return c.big_grid.get(net, c.features, res)
        with np.errstate(all="ignore"):
            return self._grid(net, -6.0, 6.0, res, c.features)

    def _plane(self, net: Network) -> bool:
        c = self._ctl
        return c.points_in() == 2 and net.sizes[0] == len(c.features)

    def grid_ahead(self, res: int = 100) -> None:
        """A live tick is about to train a slice: the grid of the network as it is now is
        computed on a helper thread meanwhile, for the frame after the slice
        (:mod:`nnviz.controllers.training.grid_ahead`); nothing where the lab is not on
        screen or there is no plane to map."""
        net = self.evaluated()
        if not self.maps_shown or not self._plane(net) or self.grid_is_big():
            return
        if net is self._ctl.doc.network:   # trained in place meanwhile: a copy
            net = net.copy()
        grid, features = self._grid, tuple(self._ctl.features)
        self._ahead.submit(lambda: (res, grid(net, -6.0, 6.0, res, features)))

    def drop_ahead(self) -> None:
        """The tick's frame is drawn (or was not): a grid it did not take is forgotten."""
        self._ahead.drop()

    def shutdown(self) -> None:
        """The lab is closing: the helper thread stops."""
        self._ahead.close()

    def grid_is_big(self) -> bool:
        """True when the maps are computed off the GUI thread (:mod:`training_grid`): then
        :meth:`grid` is None until the worker is done and hidden layers keep only their
        drawn neurons' maps."""
        return sum(w.size for w in self._ctl.doc.network.weights) > ASYNC_WEIGHTS

    def feature_maps(self, res: int = 50) -> np.ndarray:
        """Every offered input feature over the plane, (res, res, 7) (made once)."""
        if self._feature_maps is None or self._feature_maps.shape[0] != res:
            xs = np.linspace(-6.0, 6.0, res)
            gx, gy = np.meshgrid(xs, xs)
            pts = np.stack([gx.ravel(), gy.ravel()], axis=1)
            self._feature_maps = expand(pts, tuple(FEATURES)).reshape(res, res, -1)
        return self._feature_maps

    def curve(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The 1-D network's curve over the data range, else None."""
        c = self._ctl
        net = self.evaluated()
        if c.points_in() != 1 or net.sizes[-1] != 1:
            return None
        x = c.data.x[:, 0] if len(c.data.x) else np.array([-3.0, 3.0])
        lo, hi = float(min(x.min(), -3.0)), float(max(x.max(), 3.0))
        with np.errstate(all="ignore"):
            return curve(net, lo, hi)

    def health(self) -> Health | None:
        """Mean |delta| and |dC/dw| per layer on (up to 256) training samples."""
        ds = self._ctl.net_data
        x, y = ds.x_train[:HEALTH_SAMPLES], ds.y_train[:HEALTH_SAMPLES]
        if not len(x):
            return None
        with np.errstate(all="ignore"):
            return gradient_health(self._ctl.doc.network, x, y, self._ctl.doc.loss)

    def dropped(self) -> list[np.ndarray | None]:
        """Per neuron layer (inputs first, None = none dropped), True for the neurons dropped
        in the first sample of the last training step."""
        rec = self._ctl.last_record
        if rec is None:
            return []
        return [None] + [None if m is None else (m[0] == 0) for m in rec.masks]
