"""The losses and accuracies of every epoch of a live slice, in one batched forward pass.

:meth:`FastTrainer.train_until <nnviz.engine.learning.fast.FastTrainer.train_until>` leaves the
flat parameters after each epoch of a slice in the rows of one array. Instead of a
forward pass over the training and test sets after every epoch (a dozen NumPy calls
each, for a few hundred rows), the rows' layers are stacked, (K, n_out, n_in + 1), and
one ``matmul`` per layer gives every epoch's outputs at once. Each epoch's loss and
accuracy are then scored by :func:`nnviz.engine.learning.monitor.score_parts`, the function the
per-epoch path uses, so the two differ only by the rounding of the products (~1e-16).

Networks with batch normalisation are not stacked here (their outputs depend on the
running averages of each epoch): the live lab scores those epoch by epoch.
"""

from __future__ import annotations

import numpy as np

from nnviz.engine.core.activations import apply_in_place
from nnviz.engine.core.losses import Loss
from nnviz.engine.learning.monitor import score_parts

Array = np.ndarray
#: a block of epochs scored at once holds at most about this many floats per layer
BLOCK_FLOATS = 1_000_000


def params_of(tr, row: Array) -> Array:
    """The network's flat parameters (:meth:`Network.get_params`: weights, then biases,
    layer by layer; a shared bias once) from one row of a FastTrainer's layout."""
    net, parts = tr.net, []
    for l, shape in enumerate(tr.shapes):
        block = row[tr.offs[l]:tr.offs[l + 1]].reshape(shape)
        parts.append(block[:, :-1].ravel())
        if net.use_bias[l]:
            parts.append(block[:1, -1] if net.shared_bias[l] else block[:, -1])
    return np.concatenate(parts)


def stacked_outputs(tr, rows: Array, x: Array, factor: float = 1.0) -> Array:
    """The network's outputs on x (n, n_in) with the parameters of each row of ``rows``
    (K, P.size): shape (K, n_out, n); ``factor`` multiplies the weights of every layer
    but the first (the notes' dropout at test time, as ``test_time_network``)."""
    net = tr.net
    a = np.ascontiguousarray(x.T)
    for l, shape in enumerate(tr.shapes):
        block = rows[:, tr.offs[l]:tr.offs[l + 1]].reshape(len(rows), *shape)
        w = block[:, :, :-1]
        if l and factor != 1.0:
            w = w * factor
        z = np.matmul(w, a)
        if net.use_bias[l]:
            z += block[:, :, -1:]
        act = net.activations[l]
        if act.vector:     # softmax couples a sample's neurons: along axis 1 here
            zt = z.transpose(0, 2, 1)
            zt[...] = act.fn(zt)
        else:
            apply_in_place(act, z)
        a = z
    return a


def epoch_scores(tr, rows: Array, x: Array, parts: list, loss: Loss, threshold: float,
                 factor: float = 1.0) -> list[tuple]:
    """[((train loss, accuracy), (test loss, accuracy)), ...] for each row of ``rows``:
    ``x`` holds the parts' inputs stacked (see :func:`nnviz.engine.learning.monitor.score_parts`)."""
    if not len(x):
        return [score_parts(np.zeros((0, tr.sizes[-1])), parts, loss, threshold)
                for _ in rows]
    block = max(1, BLOCK_FLOATS // (max(tr.sizes) * len(x)))
    res = []
    with np.errstate(all="ignore"):
        for i in range(0, len(rows), block):
            for out in stacked_outputs(tr, rows[i:i + block], x, factor):
                res.append(score_parts(out.T, parts, loss, threshold))
    return res
