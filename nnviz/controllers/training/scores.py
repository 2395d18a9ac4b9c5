"""An epoch's train and test loss and accuracy, measured in one forward pass."""

from __future__ import annotations

import numpy as np

from nnviz.engine.core.losses import Loss
from nnviz.engine.core.network import Network
from nnviz.engine.learning.monitor import BufferedForward, score_parts, threshold_for
from nnviz.engine.sets.data import DataSet


class EpochScores:
    """Scores a network on both sets of a data set: their inputs stacked once per data set
    (:meth:`source`), one forward pass in reused buffers a call."""

    def __init__(self) -> None:
        self._src: tuple = (None,) * 5
        self.x = np.zeros((0, 0))     # both sets' inputs, the training set first
        self.parts: list = []         # (rows, targets, labels) of the training and test set
        self.threshold = 0.5
        self._forward = BufferedForward()

    def source(self, ds: DataSet) -> None:
        """What the scores read (made again when the data set or one of its arrays was
        replaced)."""
        src = (ds, ds.x, ds.y, ds.test, ds.labels)
        if any(a is not b for a, b in zip(src, self._src)):  # once per data set
            self._src = src
            self.x = np.concatenate([ds.x_train, ds.x_test])
            self.parts = [(len(ds.x_train), ds.y_train, ds.labels_of(False)),
                          (len(ds.x_test), ds.y_test, ds.labels_of(True))]
            self.threshold = threshold_for(ds.y)

    def __call__(self, net: Network, ds: DataSet, loss: Loss) -> tuple:
        """((train loss, accuracy), (test loss, accuracy)) of ``net`` on ``ds``."""
        self.source(ds)
        with np.errstate(all="ignore"):
            out = (self._forward(net, self.x)[-1] if len(self.x)
                   else np.zeros((0, net.sizes[-1])))
            return score_parts(out, self.parts, loss, self.threshold)
