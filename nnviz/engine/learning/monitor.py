"""What live training shows: decision maps, accuracy, gradient health, history, blow-ups.

Pure functions over a network and data; the history is a small bounded record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nnviz.engine.core.activations import apply_in_place
from nnviz.engine.core.losses import Loss
from nnviz.engine.core.network import Network, backward, forward
from nnviz.engine.sets.features import PLAIN, expand

Array = np.ndarray


@dataclass
class GridEval:
    """Every neuron over a res x res grid of the input plane.

    Attributes
    ----------
    xs, ys : ndarray (res,), the grid coordinates (x along columns, y along rows)
    output : ndarray (res, res, n_out), the output layer; [i, j] is at (xs[j], ys[i])
    hidden : list of ndarray (res, res, n_l), one per hidden layer
    """

    xs: Array
    ys: Array
    output: Array
    hidden: list[Array]


class BufferedForward:
    """The forward pass of a network on one input matrix, in buffers kept between calls
    (in place for the common activations, without dropout). The returned activations are
    overwritten by the next call; a new input or network shape gets new buffers.

    The buffers hold one row per neuron (the transposed layout): adding the biases then
    runs along the samples, not along rows of a few neurons each, and one neuron's values
    lie together in memory. That halves a 100 x 100 decision grid of network a; the
    results are the same to the last bit, but tanh's, which a whole pass takes through
    exp (:func:`nnviz.engine.core.activations._tanh_by_exp`: within 2.2e-16).
    """

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._bufs: list[Array] = []

    def __call__(self, net: Network, x: Array) -> list[Array]:
        """Every layer's activations (n, n_l), input side first, output last (views of
        the buffers)."""
        if net.has_batch_norm:  # the engine's forward pass (test-time statistics)
            fwd = forward(net, x)
            return fwd.activations[1:]
        key = (x.shape, tuple(net.sizes))
        if key != self._key:
            self._xt = np.empty((x.shape[1], len(x)))
            self._bufs = [np.empty((n, len(x))) for n in net.sizes[1:]]
            self._key = key
        np.copyto(self._xt, x.T)
        a = self._xt
        for l in range(net.n_layers):
            z = self._bufs[l]
            np.matmul(net.weights[l], a, out=z)
            if net.use_bias[l]:
                z += net.biases[l][:, None]
            act = net.activations[l]
            if act.vector:     # softmax couples a sample's neurons: along a column here
                z.T[...] = act.fn(z.T)
            else:
                apply_in_place(act, z)
            a = z
        return [b.T for b in self._bufs]


class GridEvaluator:
    """Every neuron of a 2-input network over a res x res grid of the input plane, in one
    batched forward pass (the decision maps).

    The grid's inputs and every layer's buffer are kept between calls and the common
    activations computed in place (about 3x faster on Playground's networks than fresh
    arrays: 10,000-row arrays cost more in page faults than the arithmetic). The arrays of
    the returned :class:`GridEval` are overwritten by the next call.
    """

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._forward = BufferedForward()

    def __call__(self, net: Network, lo: float = -6.0, hi: float = 6.0,
                 res: int = 100, features: tuple[str, ...] = PLAIN) -> GridEval:
        if net.sizes[0] != len(features):
            raise ValueError(f"decision maps need a network with {len(features)} inputs")
        key = (float(lo), float(hi), int(res), tuple(features))
        if key != self._key:
            self._xs = np.linspace(lo, hi, res)
            gx, gy = np.meshgrid(self._xs, self._xs)
            self._x = expand(np.stack([gx.ravel(), gy.ravel()], axis=1), tuple(features))
            self._key = key
        acts = [b.reshape(res, res, -1) for b in self._forward(net, self._x)]
        return GridEval(self._xs, self._xs, acts[-1], acts[:-1])


def curve(net: Network, lo: float, hi: float, res: int = 200) -> tuple[Array, Array]:
    """A 1-input, 1-output network's curve: xs (res,), outputs (res,)."""
    xs = np.linspace(lo, hi, res)
    return xs, forward(net, xs.reshape(-1, 1)).output[:, 0]


def predicted_classes(out: Array, threshold: float) -> Array:
    """Class of each output row (n, n_out): argmax, or out > threshold for one output."""
    if out.shape[1] > 1:
        return np.argmax(out, axis=1)
    return (out[:, 0] > threshold).astype(int)


def threshold_for(y: Array) -> float:
    """0 for -1/+1 targets, 0.5 for 0/1 targets."""
    return 0.0 if len(y) and float(np.min(y)) < 0 else 0.5


def accuracy(net: Network, x: Array, labels: Array, threshold: float = 0.5) -> float:
    """Fraction of samples whose predicted class equals the label (nan if no samples)."""
    if len(x) == 0:
        return float("nan")
    pred = predicted_classes(forward(net, x).output, threshold)
    return float(np.mean(pred == labels))


def evaluate(net: Network, x: Array, y: Array, labels: Array | None, loss: Loss,
             threshold: float = 0.5) -> tuple[float, float]:
    """(loss, accuracy) on (x, y); accuracy is nan for regression or no samples."""
    return evaluate_parts(net, x, [(len(x), y, labels)], loss, threshold)[0]


def evaluate_parts(net: Network, x: Array, parts: list[tuple[int, Array, Array | None]],
                   loss: Loss, threshold: float = 0.5) -> list[tuple[float, float]]:
    """:func:`evaluate` for consecutive parts of ``x`` in one forward pass.

    ``parts`` are (number of rows, targets, labels or None) in the order of the rows
    of ``x`` (e.g. the training set, then the test set): one pass instead of one per part
    when the history records both losses after every epoch.
    """
    out = forward(net, x).output if len(x) else np.zeros((0, net.sizes[-1]))
    return score_parts(out, parts, loss, threshold)


def score_parts(out: Array, parts: list[tuple[int, Array, Array | None]], loss: Loss,
                threshold: float = 0.5) -> list[tuple[float, float]]:
    """(loss, accuracy) of each part of the network's output rows ``out`` (see
    :func:`evaluate_parts`)."""
    res, i = [], 0
    for n, y, labels in parts:
        o = out[i:i + n]
        i += n
        if n == 0:
            res.append((float("nan"), float("nan")))
            continue
        c = loss.value(o, y)
        acc = (float("nan") if labels is None
               else np.count_nonzero(predicted_classes(o, threshold) == labels) / n)
        res.append((c, acc))
    return res


@dataclass
class Health:
    """Per weight layer (input side first): mean |delta| and mean |dC/dw|, shape (L,)."""

    delta: Array
    dw: Array


def gradient_health(net: Network, x: Array, y: Array, loss: Loss) -> Health:
    """Mean |delta^l| and mean |dC/dw^l| of every layer on (x, y), without dropout.

    The means are over samples and neurons (delta) and over weights (dC/dw).
    In a deep sigmoid network they fall from the output towards the input
    (vanishing gradients, Nielsen chapter 5).
    """
    fwd = forward(net, x)
    grads = backward(net, fwd, y, loss)
    return Health(np.array([float(np.mean(np.abs(g.delta))) for g in grads]),
                  np.array([float(np.mean(np.abs(g.dw))) for g in grads]))


def explain_blowup(cost: float, net: Network, eta: float, clipped: bool) -> str | None:
    """None if the cost and every parameter are finite; otherwise what happened and why."""
    finite_net = net.is_finite()
    if np.isfinite(cost) and finite_net:
        return None
    if finite_net:  # finite weights, yet the outputs or the loss overflow
        big = max((float(np.max(np.abs(w))) for w in net.weights if w.size), default=0.0)
        return ("Training paused: the loss became NaN or infinite although every weight is "
                f"finite (the largest |w| is {big:.3g}): the outputs overflow, so that step "
                f"was undone. Such weights come from a learning rate that is too high "
                f"(η = {eta:g}) or were in the network from the start: lower η, or Reset "
                "the network to small weights.")
    what = "the loss and the weights" if not np.isfinite(cost) else "the weights"
    why = (f"The learning rate η = {eta:g} is probably too high: every step overshoots "
           "the minimum, the weights grow without bound and overflow.")
    fix = ("Lower η" if clipped else "Lower η or turn on gradient clipping")
    return (f"Training paused: {what} became NaN or infinite, so that step was undone. "
            f"{why} {fix}, then go back to the network at the start of this epoch (Revert).")


_COLUMNS = ("epoch", "train_loss", "test_loss", "train_acc", "test_acc")  # History's record


@dataclass
class History:
    """Train/test loss and accuracy per recorded epoch, bounded.

    At most ``cap`` points are kept: when the record is full every other point
    is dropped and from then on only every ``stride``-th epoch (doubled each
    time) is recorded, so a long run keeps an even, thinned picture in bounded
    memory.
    """

    cap: int = 2000
    stride: int = 1
    epoch: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    test_acc: list[float] = field(default_factory=list)
    # arrays()' buffers between calls: (the lists, their length, the buffer); not a record
    _arrays_seen: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def wants(self, epoch: int) -> bool:
        """True if ``epoch`` is one to record at the current stride."""
        return epoch % self.stride == 0

    def append(self, epoch: int, train_loss: float, test_loss: float, train_acc: float,
               test_acc: float) -> None:
        self.epoch.append(int(epoch))
        self.train_loss.append(float(train_loss))
        self.test_loss.append(float(test_loss))
        self.train_acc.append(float(train_acc))
        self.test_acc.append(float(test_acc))
        if len(self.epoch) > self.cap:
            for name in _COLUMNS:
                setattr(self, name, getattr(self, name)[::2])
            self.stride *= 2

    def clear(self) -> None:
        self.stride = 1
        for name in _COLUMNS:
            getattr(self, name).clear()
        self._arrays_seen = None   # the same lists, emptied: arrays() starts again

    def assign(self, other: History) -> None:
        """Become ``other`` (its lists shared: ``other`` is a snapshot never changed),
        keeping this object, which views may hold."""
        for name in ("cap", "stride", *_COLUMNS):
            setattr(self, name, getattr(other, name))

    def columns(self) -> dict[str, list[float]]:
        """The record as named columns (File > Export > Training history)."""
        return {"epoch": [float(e) for e in self.epoch], "train_loss": list(self.train_loss),
                "test_loss": list(self.test_loss), "train_accuracy": list(self.train_acc),
                "test_accuracy": list(self.test_acc)}

    def __len__(self) -> int:
        return len(self.epoch)

    def __getstate__(self) -> dict:
        """What a copy takes (step back's snapshots): the record, not arrays()' buffers."""
        return {**self.__dict__, "_arrays_seen": None}

    def arrays(self) -> dict[str, Array]:
        """The record as float arrays (epoch as float too).

        A live chart asks at every frame: the arrays are views of buffers kept between
        calls, and only what was appended since the last call (and the last value again:
        the epoch on screen may be re-scored in place) is copied; new lists (thinned,
        assigned) or a cleared record are copied whole."""
        lists = [getattr(self, k) for k in _COLUMNS]
        n = min(len(v) for v in lists)
        seen = self._arrays_seen
        if (seen is None or any(a is not b for a, b in zip(seen[0], lists)) or seen[1] > n
                or seen[2].shape[1] < n):
            buf, start = np.empty((len(_COLUMNS), max(64, 2 * n))), 0
        else:
            buf, start = seen[2], max(0, seen[1] - 1)
        for row, v in zip(buf, lists):
            row[start:n] = v[start:n]
        self._arrays_seen = (lists, n, buf)
        return {k: buf[i, :n] for i, k in enumerate(_COLUMNS)}
