"""The update of a :class:`~nnviz.engine.learning.fast.FastTrainer`'s flat parameter vector from its
flat gradient: L1 and L2 on the weights, frozen biases, gradient clipping, then the
optimiser (the same rule objects as the reference, run on the one vector).

For SGD, momentum and Nesterov (rules linear in eta g: ``lr_folds``) the gradient G the
trainer's backward pass writes already carries eta (``fold``), and the optimiser steps
with lr = 1; the other rules get dC/dP and eta.
"""

from __future__ import annotations

import numpy as np

from nnviz.engine.core.network import Network
from nnviz.engine.learning.training import TrainConfig

Array = np.ndarray


class FlatUpdate:
    """Updates ``P`` from ``G`` in place; owns the masks, a scratch vector, the optimiser on
    the flat vector and the scheduled rate of the epoch being trained."""

    def __init__(self, net: Network, cfg: TrainConfig, P: Array, G: Array, G_wb: Array,
                 train_bias: list[bool], shapes: list, offs) -> None:
        self.cfg, self.P, self.G, self.G_wb = cfg, P, G, G_wb
        self.n_train = 1   # the training set's size (L1, L2 divide by it)
        clip = cfg.clip_value is not None or cfg.clip_norm is not None
        #: only the optimiser's step: no L1, L2, clipping or frozen bias
        self.plain = not (cfg.l1 or cfg.l2 or clip or not all(train_bias))
        if not self.plain:
            self._masks(net, train_bias, shapes, offs)
        self.opt = cfg.make_optimiser()
        self.fold = self.opt.lr_folds     # G carries eta (exact for the linear rules)
        #: the optimiser's low-overhead ``step(lr)`` on P from G
        self.step = self.opt.bind([P], [G])
        self.set_epoch(0)

    def _masks(self, net: Network, train_bias: list[bool], shapes: list, offs) -> None:
        """Which entries of P are weights (L1, L2), which are trained (not frozen
        biases), and how each counts in the clipping norm (a shared bias once)."""
        wmask, tmask = np.zeros_like(self.P), np.ones_like(self.P)
        nmask = np.ones_like(self.G_wb)
        for l, s in enumerate(shapes):
            wmask[offs[l]:offs[l + 1]].reshape(s)[:, :-1] = 1.0
            tmask[offs[l]:offs[l + 1]].reshape(s)[:, -1] = 1.0 if train_bias[l] else 0.0
            if net.shared_bias[l]:
                nmask[offs[l]:offs[l + 1]].reshape(s)[:, -1] = 1.0 / s[0]
        self.wmask, self.tmask = wmask, tmask
        self.nmask = nmask if any(net.shared_bias) else None
        self.tmp = np.zeros_like(self.P)

    def set_epoch(self, epoch: int) -> None:
        """The scheduled learning rate of ``epoch`` for the next steps."""
        self.eta = self.cfg.rate(epoch)
        self.lr = 1.0 if self.fold else self.eta

    def apply(self) -> None:
        """L1/L2 and frozen biases on the scaled gradient G (= eta dC/dP for the rules
        linear in it, else dC/dP), then the optimiser."""
        cfg, P, G, tmp = self.cfg, self.P, self.G, self.tmp
        n = self.n_train
        f = self.eta if self.fold else 1.0
        if cfg.l2:
            np.multiply(P, self.wmask, tmp)
            np.multiply(tmp, f * cfg.l2 / n, tmp)
            np.add(G, tmp, G)
        if cfg.l1:
            np.sign(P, tmp)
            np.multiply(tmp, self.wmask, tmp)
            np.multiply(tmp, f * cfg.l1 / n, tmp)
            np.add(G, tmp, G)
        np.multiply(G, self.tmask, G)
        if f > 0:
            self._clip(f)
        self.step(self.lr)

    def _clip(self, f: float) -> None:
        """Gradient clipping as :func:`~nnviz.engine.learning.training.clip_gradients`, on G = f dC/dP:
        by value, then by the norm of the trained parameters' gradient."""
        cfg, G = self.cfg, self.G_wb   # gamma and beta are not clipped (clip_gradients)
        if cfg.clip_value is not None:
            np.clip(G, -f * cfg.clip_value, f * cfg.clip_value, G)
        if cfg.clip_norm is not None:
            if self.nmask is None:
                sq = np.dot(G, G)
            else:   # a shared bias is one parameter: its n equal entries count once
                tmp = self.tmp[:len(G)]
                np.multiply(G, self.nmask, tmp)
                sq = np.dot(G, tmp)
            norm = float(np.sqrt(sq)) / f
            if norm > cfg.clip_norm:
                np.multiply(G, cfg.clip_norm / norm, G)
