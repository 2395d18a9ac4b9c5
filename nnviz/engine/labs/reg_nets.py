"""Small networks for the Generalisation lab: L1 against L2, and dropout as an ensemble,
both on the 8×8 digits.

Both are generators (one small piece of training per ``next()``, the state so far
yielded) trained by the engine's own :func:`nnviz.engine.learning.training.train_epoch`, so the
L1/L2 updates are the ones every trainer uses:

    L2: w → (1 − ηλ/n)·w − η ∂C₀/∂w       (shrinks in proportion to w)
    L1: w → w − (ηλ/n)·sgn(w) − η ∂C₀/∂w   (shrinks by a constant amount)

Notes 002 print the L1 rule with L2's form, w(1 − ηλ/n); the L1 rule follows from
their own ∂C/∂w = ∂C₀/∂w + (λ/n) sgn(w) on the line above it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from nnviz.engine.core.losses import get_loss
from nnviz.engine.core.network import Network, forward, predict
from nnviz.engine.labs.digit_tasks import accuracy, classifier, epoch_steps, split
from nnviz.engine.learning.training import OptimizerState, TrainConfig
from nnviz.engine.sets.datasets import encode_labels

Array = np.ndarray
ZERO = 1e-3   # |w| below this counts as driven to zero


def l1_step(w: float, grad0: float, eta: float, lam: float, n: int) -> float:
    """One L1-regularised SGD step of one weight, written out."""
    return w - eta * lam / n * float(np.sign(w)) - eta * grad0


def l2_step(w: float, grad0: float, eta: float, lam: float, n: int) -> float:
    """One L2-regularised SGD step of one weight, written out."""
    return (1.0 - eta * lam / n) * w - eta * grad0


def all_weights(net: Network) -> Array:
    """Every weight (no biases) as one vector."""
    return np.concatenate([w.ravel() for w in net.weights])


@dataclass
class Pair:
    """L1 and L2 networks trained side by side from the same start."""

    eta: float
    lam: float
    n: int
    epochs: int = 0
    nets: dict[str, Network] = field(default_factory=dict)
    test: dict[str, float] = field(default_factory=dict)

    def weights(self, kind: str) -> Array:
        return all_weights(self.nets[kind])

    def zeros(self, kind: str, tol: float = ZERO) -> int:
        return int(np.sum(np.abs(self.weights(kind)) < tol))


def l1_vs_l2(lam: float = 5.0, eta: float = 0.5, n: int = 200, epochs: int = 60,
             seed: int = 0) -> Iterator[Pair]:
    """64-30-10 on n digits, once with L1 λ and once with L2 λ (same start, same batches)."""
    xp, lp, xt, lt = split(seed)
    x, y = xp[:n], encode_labels(lp[:n], 10, "onehot")
    ce = get_loss("cross_entropy")
    out = Pair(eta, lam, n)
    start = classifier(10, seed)
    cfgs = {"L1": TrainConfig(eta=eta, batch_size=10, l1=lam),
            "L2": TrainConfig(eta=eta, batch_size=10, l2=lam)}
    states = {k: OptimizerState() for k in cfgs}
    rngs = {k: np.random.default_rng(seed) for k in cfgs}
    out.nets = {k: start.copy() for k in cfgs}
    for e in range(epochs):
        for k, cfg in cfgs.items():
            yield from (out for _ in epoch_steps(out.nets[k], x, y, ce, cfg, states[k],
                                                 rngs[k]))
            out.test[k] = accuracy(out.nets[k], xt, lt)
        out.epochs = e + 1
        yield out


@dataclass
class Ensemble:
    """A digit classifier trained with dropout, and thinned copies of it on the test set."""

    p: float
    m: int
    epochs: int = 0
    net: Network | None = None
    test_x: Array | None = None
    test_labels: Array | None = None
    full: Array | None = None        # (N, 10) the full network's outputs
    thinned: Array | None = None     # (m, N, 10) the outputs of m thinned networks

    @property
    def average(self) -> Array:
        """The ensemble: the m thinned networks' outputs averaged."""
        return self.thinned.mean(axis=0)

    def accuracy_of(self, probs: Array) -> float:
        return float(np.mean(np.argmax(probs, axis=-1) == self.test_labels))

    def thinned_accuracies(self) -> list[float]:
        return [self.accuracy_of(t) for t in self.thinned]


def thinned_masks(net: Network, p: float, rng: np.random.Generator) -> list[Array | None]:
    """One thinned network's masks: every hidden neuron dropped with probability p (one
    mask for all inputs), kept ones scaled by 1/(1 − p) as in training."""
    return [(rng.random((1, size)) >= p) / (1.0 - p) if l < net.n_layers - 1 else None
            for l, size in enumerate(net.sizes[1:])]


def thinned_outputs(net: Network, x: Array, p: float, m: int,
                    rng: np.random.Generator) -> Iterator[Array]:
    """The outputs on x of m thinned networks, one at a time."""
    for _ in range(m):
        yield forward(net, x, thinned_masks(net, p, rng)).output


def dropout_ensemble(p: float = 0.5, hidden: int = 60, m: int = 10, n: int = 500,
                     epochs: int = 30, seed: int = 0) -> Iterator[Ensemble]:
    """64-hidden-10 trained on n digits with dropout p on the hidden layer (inverted: the
    full network is used unchanged at test time); after every epoch m thinned networks
    (fixed masks) and the full one are run on the held-out test digits."""
    xp, lp, xt, lt = split(seed)
    x, y = xp[:n], encode_labels(lp[:n], 10, "onehot")
    net = classifier(10, seed, hidden)
    cfg = TrainConfig(eta=0.5, batch_size=10, dropout=p)
    state = OptimizerState()
    rng = np.random.default_rng(seed)
    ce = get_loss("cross_entropy")
    out = Ensemble(p, m, net=net, test_x=xt, test_labels=lt)
    for e in range(epochs):
        yield from (out for _ in epoch_steps(net, x, y, ce, cfg, state, rng))
        out.epochs = e + 1
        full = predict(net, xt)
        thinned = []
        for t in thinned_outputs(net, xt, p, m, np.random.default_rng(seed + 1)):
            thinned.append(t)
            yield out
        out.full, out.thinned = full, np.array(thinned)
        yield out
