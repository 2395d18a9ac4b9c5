"""Training the small CNN on the 8×8 digits in time-budgeted slices.

The dense networks' training machinery drives it: a
:class:`~nnviz.engine.learning.training.TrainConfig` (optimiser and its settings, learning-rate
schedule, batch size, L1/L2, clipping), the optimiser held by an
:class:`~nnviz.engine.learning.training.OptimizerState`, mini-batches from
:func:`~nnviz.engine.learning.training.batches` and the loss from :mod:`nnviz.engine.core.losses`
(softmax + cross-entropy), and the update (L1/L2, clipping, the optimiser's step at the
scheduled rate) is :func:`~nnviz.engine.learning.training.descend`, the one a dense network's
``train_step`` makes. Only the forward and backward passes are the CNN's own.
``run_for(budget_s)`` trains whole mini-batch steps until the budget is spent, so a GUI
timer can call it without ever blocking for long; an epoch's end records the costs and
accuracies.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nnviz.engine.core.losses import get_loss
from nnviz.engine.labs import cnn
from nnviz.engine.learning.budget import run_for
from nnviz.engine.learning.training import OptimizerState, TrainConfig, batches, descend

Array = np.ndarray
TEST_FRACTION = 0.2
SPLIT_SEED = 20


def digits_split(seed: int = SPLIT_SEED) -> tuple[Array, Array, Array, Array]:
    """The shipped 8×8 digits as images (N, 1, 8, 8) in [0, 1]: a fixed 80/20 split
    (x_train, labels_train, x_test, labels_test), the same for every run."""
    from nnviz.engine.sets.datasets import load_digits

    x, labels = load_digits()
    order = np.random.default_rng(seed).permutation(len(x))
    n_test = int(round(len(x) * TEST_FRACTION))
    te, tr = order[:n_test], order[n_test:]
    imgs = x.reshape(len(x), 1, 8, 8)
    return imgs[tr], labels[tr], imgs[te], labels[te]


def one_hot(labels: Array, k: int) -> Array:
    y = np.zeros((len(labels), k))
    y[np.arange(len(labels)), np.asarray(labels, dtype=int)] = 1.0
    return y


@dataclass
class EpochRecord:
    """The scores after an epoch."""

    epoch: int
    cost: float
    train_accuracy: float
    test_accuracy: float


@dataclass
class CNNTrainer:
    """Mini-batch training of a :class:`~nnviz.engine.labs.cnn.CNN` with a shared optimiser.

    ``steps`` counts mini-batch updates, ``epochs`` complete passes; ``history`` holds
    one :class:`EpochRecord` per epoch.
    """

    net: cnn.CNN
    x_train: Array
    labels_train: Array
    x_test: Array
    labels_test: Array
    optimiser: str = "adam"
    lr: float = 0.01
    batch_size: int = 32
    seed: int = 0
    loss_name: str = "cross_entropy"
    history: list[EpochRecord] = field(default_factory=list)
    cfg: TrainConfig | None = None

    def __post_init__(self) -> None:
        self.loss = get_loss(self.loss_name)
        self.y_train = one_hot(self.labels_train, self.net.shape.classes)
        if self.cfg is None:   # the dense networks' configuration: optimiser, schedule, …
            self.cfg = TrainConfig(eta=self.lr, batch_size=self.batch_size,
                                   optimiser=self.optimiser)
        self.cfg.validate()
        if self.cfg.dropout:
            raise ValueError("dropout is for dense hidden layers; the CNN has none")
        self.batch_size = self.cfg.batch_size or len(self.x_train)   # the one in force
        self.lr = self.cfg.eta
        self.state = OptimizerState()
        self.rng = np.random.default_rng(self.seed)
        self._queue: list[Array] = []
        self.last_cost = float("nan")

    @property
    def steps(self) -> int:
        return self.state.steps

    @steps.setter
    def steps(self, v: int) -> None:
        self.state.steps = int(v)

    @property
    def epochs(self) -> int:
        return self.state.epochs

    @epochs.setter
    def epochs(self, v: int) -> None:
        self.state.epochs = int(v)

    @property
    def opt(self):
        """The shared optimiser object (its state carried between steps)."""
        return self.state.optimiser_for(self.cfg)

    @classmethod
    def digits(cls, shape: cnn.CNNShape | None = None, seed: int = 0, **kw) -> CNNTrainer:
        """A fresh network on the shipped digits (weights drawn from ``seed``)."""
        shape = shape or cnn.CNNShape()
        net = cnn.CNN.create(shape, np.random.default_rng(seed))
        return cls(net, *digits_split(), seed=seed, **kw)

    def step(self) -> float:
        """One mini-batch update; returns the batch's cost before it."""
        if not self._queue:
            self._queue = batches(len(self.x_train), self.cfg.batch_size, self.rng,
                                  self.cfg.shuffle)[::-1]
        idx = self._queue.pop()
        fwd = cnn.forward(self.net, self.x_train[idx])
        y = self.y_train[idx]
        c = self.loss.value(fwd.out, y)
        grads = cnn.backward(self.net, fwd, y, self.loss).grads
        # the dense networks' update: L1/L2, clipping, the optimiser, the schedule
        descend(self.net.params, grads, self.cfg, self.state, len(self.x_train),
                weights=cnn.WEIGHTS, biases=cnn.BIASES)
        self.last_cost = c
        if not self._queue:
            self._end_epoch()
        return c

    def _end_epoch(self) -> None:
        self.state.epochs += 1
        out = cnn.predict(self.net, self.x_train)
        self.history.append(EpochRecord(
            self.epochs, self.loss.value(out, self.y_train),
            float(np.mean(np.argmax(out, axis=1) == self.labels_train)),
            self.test_accuracy()))

    def run_for(self, budget_s: float, max_steps: int | None = None) -> int:
        """Train whole steps until ``budget_s`` seconds have passed (at least one step)
        or ``max_steps`` were taken; returns the steps taken."""
        return run_for(self.step, budget_s, max_steps)

    def steps_left_in_epoch(self) -> int:
        """Mini-batch steps until the current epoch ends."""
        return len(self._queue) or -(-len(self.x_train) // self.batch_size)

    def train_epochs(self, n: int) -> None:
        """Train until ``n`` more epochs are complete."""
        target = self.epochs + n
        while self.epochs < target:
            self.step()

    def test_accuracy(self) -> float:
        return cnn.accuracy(self.net, self.x_test, self.labels_test)

    def confusion(self) -> Array:
        """The test set's confusion matrix (rows: true digit, columns: predicted)."""
        return cnn.confusion(self.net, self.x_test, self.labels_test)

    def reset(self, seed: int | None = None) -> None:
        """Fresh weights (from ``seed``, default the trainer's), optimiser and history."""
        if seed is not None:
            self.seed = seed
        fresh = cnn.CNN.create(self.net.shape, np.random.default_rng(self.seed))
        for p, q in zip(self.net.params, fresh.params):
            p[...] = q
        self.state = OptimizerState()
        self.rng = np.random.default_rng(self.seed)
        self._queue = []
        self.history = []
        self.last_cost = float("nan")
