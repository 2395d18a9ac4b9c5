"""Activations and costs over neuron-major arrays, shape (neurons, G, n): G settings of
some parameters times n samples, as the loss-grid passes (:mod:`nnviz.engine.labs.gridpass`)
hold them so that every element-wise step runs over long contiguous rows."""

from __future__ import annotations

import numpy as np

from nnviz.engine.core.activations import Activation, apply_in_place
from nnviz.engine.core.losses import Loss

Array = np.ndarray


def activate(act: Activation, z: Array) -> None:
    """Apply ``act`` to z (neurons on axis 0) in place, as ``act.fn`` does."""
    if act.vector and act.trainer_ops is not None:  # its own kernel over axis 0
        act.trainer_ops[0](z, np.empty((1,) + z.shape[1:]))
    elif act.vector:
        z[...] = np.moveaxis(act.fn(np.moveaxis(z, 0, -1)), -1, 0)
    else:
        apply_in_place(act, z)


def costs(loss: Loss, a: Array, yt: Array) -> Array:
    """The cost of each setting from outputs a (n_out, G, n) and targets yt (n_out, n).

    Quadratic and categorical cross-entropy losses are computed in place in ``a``
    (which is overwritten), as :meth:`Loss.sample` does; the sums over samples are
    accumulated in float64 whatever a's type.
    """
    n = a.shape[2]
    if loss.kind in ("quadratic", "ce"):
        if loss.kind == "quadratic":  # 1/2 sum_k (a_k - y_k)^2
            np.subtract(a, yt[:, None, :], out=a)
            np.multiply(a, a, out=a)
            scale = 0.5
        else:                         # -sum_k y_k ln max(a_k, tiny)
            np.maximum(a, np.finfo(a.dtype).tiny, out=a)
            np.log(a, out=a)
            np.multiply(a, yt[:, None, :], out=a)
            scale = -1.0
        total = (a[0].sum(axis=1, dtype=np.float64) if a.shape[0] == 1
                 else a.sum(axis=(0, 2), dtype=np.float64))
        return total * (scale * loss.scale(n))
    per = loss.sample(np.moveaxis(a, 0, -1).astype(np.float64), yt.T)  # (G, n)
    return per.sum(axis=-1) if loss.reduction == "sum" else per.mean(axis=-1)
