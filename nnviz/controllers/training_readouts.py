"""What the training lab's views read from the training controller."""

from __future__ import annotations

import numpy as np

from nnviz.controllers.training_grid import ASYNC_WEIGHTS
from nnviz.engine.features import FEATURES, expand
from nnviz.engine.monitor import GridEval, Health, curve, gradient_health
from nnviz.engine.network import Network
from nnviz.engine.training import test_time_network

#: gradient health is measured on this many training samples
HEALTH_SAMPLES = 256


class Readouts:
    """Methods of :class:`~nnviz.controllers.training.TrainingController` that compute what
    the views show: decision grid, curve, gradient health, dropped neurons."""

    def evaluated(self) -> Network:
        """The network as it is evaluated (losses, accuracy, maps, curve): the trained one,
        or under the notes' dropout convention its hidden layers' outgoing weights times
        1 − p (inverted dropout needs no change at test time)."""
        cfg = self.doc.config
        return test_time_network(self.doc.network, cfg.dropout, cfg.dropout_mode)

    def _evaluation_factor(self) -> float:
        cfg = self.doc.config
        return 1.0 - cfg.dropout if cfg.dropout_mode == "notes" else 1.0

    def _on_evaluation_settings(self) -> None:
        """The dropout convention or p changed how the network is evaluated: the scores of
        the epoch on screen are measured again (the earlier epochs keep theirs)."""
        f = self._evaluation_factor()
        if f == getattr(self, "_evaluated_with", 1.0):
            return
        self._evaluated_with = f
        h = self.history
        if len(h) and h.epoch[-1] == self.epoch:
            (trl, tra), (tel, tea) = self._scores()
            h.train_loss[-1], h.test_loss[-1] = float(trl), float(tel)
            h.train_acc[-1], h.test_acc[-1] = float(tra), float(tea)
            self.trained.emit()

    def keras_lines(self) -> list:
        """The Keras code of this set-up (:func:`nnviz.engine.keras_code.keras_code`):
        what Reset and training with the lab's settings will do, line by line."""
        from nnviz.engine.batchnorm import EPS, MOMENTUM
        from nnviz.engine.keras_code import Setup, describe_data, keras_code

        d = self.doc
        lesson = d.lesson
        _m, scale, bias = lesson.init if lesson is not None else ("", 0.5, 0.0)
        setup = Setup(loss=d.loss_name, init=self.init_method, scale=scale,
                      gain=self.init_gain, bias=bias, features=tuple(self.features),
                      data=describe_data(self.data.spec) if len(self.data.x) else "",
                      n_train=len(self._net_ds.x_train),
                      epochs=lesson.epochs if lesson is not None else 0,
                      bn_momentum=MOMENTUM, bn_eps=EPS)
        return keras_code(d.network, d.config, setup)

    def grid(self, res: int = 100) -> GridEval | None:
        """Every neuron over the input plane (2-input networks), else None; the arrays are
        reused by the next call (views draw them at once)."""
        net = self.evaluated()
        if self.points_in() != 2 or net.sizes[0] != len(self.features):
            return None
        if self.grid_is_big():  # off the GUI thread: None until it is computed
            return self.big_grid.get(net, self.features, res)
        with np.errstate(all="ignore"):
            return self._grid(net, -6.0, 6.0, res, self.features)

    def grid_is_big(self) -> bool:
        """True when the maps are computed off the GUI thread (:mod:`training_grid`): then
        :meth:`grid` is None until the worker is done and hidden layers keep only their
        drawn neurons' maps."""
        return sum(w.size for w in self.doc.network.weights) > ASYNC_WEIGHTS

    def feature_maps(self, res: int = 50) -> np.ndarray:
        """Every offered input feature over the plane, (res, res, 7) (made once)."""
        if getattr(self, "_feature_maps", None) is None or self._feature_maps.shape[0] != res:
            xs = np.linspace(-6.0, 6.0, res)
            gx, gy = np.meshgrid(xs, xs)
            pts = np.stack([gx.ravel(), gy.ravel()], axis=1)
            self._feature_maps = expand(pts, tuple(FEATURES)).reshape(res, res, -1)
        return self._feature_maps

    def curve(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The 1-D network's curve over the data range, else None."""
        net = self.evaluated()
        if self.points_in() != 1 or net.sizes[-1] != 1:
            return None
        x = self.data.x[:, 0] if len(self.data.x) else np.array([-3.0, 3.0])
        lo, hi = float(min(x.min(), -3.0)), float(max(x.max(), 3.0))
        with np.errstate(all="ignore"):
            return curve(net, lo, hi)

    def health(self) -> Health | None:
        """Mean |delta| and |dC/dw| per layer on (up to 256) training samples."""
        x, y = self._net_ds.x_train[:HEALTH_SAMPLES], self._net_ds.y_train[:HEALTH_SAMPLES]
        if not len(x):
            return None
        with np.errstate(all="ignore"):
            return gradient_health(self.doc.network, x, y, self.doc.loss)

    def dropped(self) -> list[np.ndarray | None]:
        """Per neuron layer (inputs first, None = none dropped), True for the neurons dropped
        in the first sample of the last training step."""
        if self.last_record is None:
            return []
        return [None] + [None if m is None else (m[0] == 0) for m in self.last_record.masks]
