"""Digit experiments of the Generalisation lab: more data (the learning curve), data
augmentation in a low-data regime, and transfer learning.

Every experiment is a generator: it does one small piece of work (about one epoch of
one network) per ``next()`` and yields its result so far, so a controller can run it
in time-budgeted slices and the picture grows while it trains. Training is the engine's
own (:func:`nnviz.engine.learning.training.train_epoch`), seeded: the same settings give the same
numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from nnviz.engine.core.losses import get_loss
from nnviz.engine.core.network import Network, forward, predict
from nnviz.engine.learning.training import OptimizerState, TrainConfig, batches, train_step
from nnviz.engine.sets.augment import augment
from nnviz.engine.sets.datasets import encode_labels, load_digits

Array = np.ndarray
N_TEST = 500
LEARNING_SIZES: tuple[int, ...] = (10, 25, 50, 100, 200, 400, 800)
HIDDEN = 30
CE = get_loss("cross_entropy")


def split(seed: int = 0) -> tuple[Array, Array, Array, Array]:
    """The digits shuffled once (seeded): a training pool and N_TEST held-out test images."""
    x, labels = load_digits()
    order = np.random.default_rng(seed).permutation(len(x))
    x, labels = x[order], labels[order]
    return x[N_TEST:], labels[N_TEST:], x[:N_TEST], labels[:N_TEST]


def per_class(labels: Array, classes: list[int], k: int) -> Array:
    """Indices of the first ``k`` examples of each class, in class order."""
    out = []
    for c in classes:
        idx = np.flatnonzero(labels == c)[:k]
        if len(idx) < k:
            raise ValueError(f"only {len(idx)} examples of {c}")
        out.append(idx)
    return np.concatenate(out)


def classifier(n_out: int, seed: int, hidden: int = HIDDEN) -> Network:
    """64 → hidden (sigmoid) → n_out (softmax), Xavier-initialised from ``seed``."""
    return Network.create([64, hidden, n_out], "sigmoid", np.random.default_rng(seed),
                          output_activation="softmax")


def accuracy(net: Network, x: Array, labels: Array) -> float:
    return float(np.mean(np.argmax(predict(net, x), axis=1) == labels))


def _cfg(eta: float = 0.5, batch: int = 10) -> TrainConfig:
    return TrainConfig(eta=eta, batch_size=batch)


def epoch_steps(net: Network, x: Array, y: Array, loss, cfg: TrainConfig,
                state: OptimizerState, rng: np.random.Generator) -> Iterator[int]:
    """One epoch as :func:`nnviz.engine.learning.training.train_epoch` does it, yielding after
    every mini-batch (so a slice of GUI time can stop between two)."""
    for i, idx in enumerate(batches(len(x), cfg.batch_size, rng, cfg.shuffle)):
        train_step(net, x[idx], y[idx], loss, cfg, state, rng, n_train=len(x))
        yield i
    state.epochs += 1


def _train(net: Network, x: Array, labels: Array, n_out: int, epochs: int, seed: int,
           cfg: TrainConfig | None = None) -> Iterator[bool]:
    """Train ``net`` on (x, labels) for ``epochs`` epochs, yielding after every
    mini-batch: True after an epoch's last one."""
    y = encode_labels(labels, n_out, "onehot")
    rng = np.random.default_rng(seed)
    state = OptimizerState()
    cfg = cfg or _cfg()
    for _ in range(epochs):
        yield from (False for _ in epoch_steps(net, x, y, CE, cfg, state, rng))
        yield True


def _epoch_of_both(a: Iterator[bool], b: Iterator[bool]) -> Iterator[None]:
    """Advance two trainings by one epoch each, a batch of each at a time."""
    done = [False, False]
    while not all(done):
        for i, run in enumerate((a, b)):
            if not done[i]:
                done[i] = next(run)
        yield None


# ----------------------------------------------------------------- more data
@dataclass
class Curve:
    """The learning curve so far: accuracy at each training-set size done."""

    sizes: list[int] = field(default_factory=list)
    train: list[float] = field(default_factory=list)
    test: list[float] = field(default_factory=list)
    total: int = 0


def epochs_for(size: int, steps: int = 600, batch: int = 10) -> int:
    """About the same number of gradient steps for every size (at least 5 epochs)."""
    return max(5, -(-steps * batch // size))


def learning_curve(sizes: tuple[int, ...] = LEARNING_SIZES, seed: int = 0,
                   steps: int = 600) -> Iterator[Curve]:
    """Train a fresh 64-30-10 network on the first n images of the pool for each n."""
    xp, lp, xt, lt = split(seed)
    out = Curve(total=len(sizes))
    for n in sizes:
        if not 1 <= n <= len(xp):
            raise ValueError(f"training-set size {n} outside 1..{len(xp)}")
        net = classifier(10, seed)
        yield from (out for _ in _train(net, xp[:n], lp[:n], 10, epochs_for(n, steps), seed))
        out.sizes.append(n)
        out.train.append(accuracy(net, xp[:n], lp[:n]))
        out.test.append(accuracy(net, xt, lt))
        yield out


# ----------------------------------------------------------------- augmentation
@dataclass
class Race:
    """Two networks trained side by side: test accuracy after each epoch."""

    labels: tuple[str, str]
    epochs: int
    a: list[float] = field(default_factory=list)
    b: list[float] = field(default_factory=list)
    n_train: tuple[int, int] = (0, 0)
    extra: dict = field(default_factory=dict)


def augmentation(n_per_class: int = 5, epochs: int = 40, seed: int = 0) -> Iterator[Race]:
    """50 digits (5 a class) against the same 50 plus their shifted and rotated copies:
    the same network, seed and epochs; test accuracy on the held-out 500."""
    xp, lp, xt, lt = split(seed)
    idx = per_class(lp, list(range(10)), n_per_class)
    x0, l0 = xp[idx], lp[idx]
    xa, la = augment(x0, l0)
    out = Race(("without augmentation", "with augmentation"), epochs,
               n_train=(len(x0), len(xa)), extra={"originals": x0, "augmented": xa})
    nets = (classifier(10, seed), classifier(10, seed))
    runs = (_train(nets[0], x0, l0, 10, epochs, seed), _train(nets[1], xa, la, 10, epochs, seed))
    for _ in range(epochs):
        yield from (out for _ in _epoch_of_both(*runs))
        out.a.append(accuracy(nets[0], xt, lt))
        out.b.append(accuracy(nets[1], xt, lt))
        yield out


# ----------------------------------------------------------------- transfer learning
def hidden_features(net: Network, x: Array) -> Array:
    """The first layer's outputs (what a frozen first layer hands the new output layer)."""
    return forward(net, x).activations[1]


def transfer(n_per_class: int = 5, base_epochs: int = 10, epochs: int = 60,
             seed: int = 0) -> Iterator[Race]:
    """Train 64-30-5 on digits 0–4; keep (freeze) its first layer and train a new output
    layer on ``n_per_class`` examples each of 5–9, against the same network trained
    from scratch on the same few. ``extra`` holds the base network and the results."""
    xp, lp, xt, lt = split(seed)
    low = lp < 5
    base = classifier(5, seed)
    waiting = Race(("from scratch", "transfer (first layer frozen)"), epochs,
                   extra={"phase": "base"})
    yield from (waiting for _ in _train(base, xp[low], lp[low], 5, base_epochs, seed))
    idx = per_class(lp, [5, 6, 7, 8, 9], n_per_class)
    xf, lf = xp[idx], lp[idx] - 5
    test = lt >= 5
    xt5, lt5 = xt[test], lt[test] - 5
    scratch = classifier(5, seed + 1)
    head = Network.create([HIDDEN, 5], "softmax", np.random.default_rng(seed + 1))
    out = Race(("from scratch", "transfer (first layer frozen)"), epochs, n_train=(len(xf),) * 2,
               extra={"phase": "few", "base": base, "base_test": accuracy(base, xt[~test],
                                                                           lt[~test])})
    h_few, h_test = hidden_features(base, xf), hidden_features(base, xt5)
    runs = (_train(scratch, xf, lf, 5, epochs, seed), _train(head, h_few, lf, 5, epochs, seed))
    for _ in range(epochs):
        yield from (out for _ in _epoch_of_both(*runs))
        out.a.append(accuracy(scratch, xt5, lt5))
        out.b.append(accuracy(head, h_test, lt5))
        out.extra["transferred"] = stack(base, head)
        yield out


def stack(base: Network, head: Network) -> Network:
    """The transferred network: the base's first layer (copied) under the new output layer."""
    return Network([base.weights[0].copy(), head.weights[0].copy()],
                   [base.biases[0].copy(), head.biases[0].copy()],
                   [base.activations[0], head.activations[0]])


def run_all(gen: Iterator):
    """Exhaust an experiment; its final result (tests, the command line)."""
    from collections import deque

    last = deque(gen, maxlen=1)
    return last[0] if last else None
