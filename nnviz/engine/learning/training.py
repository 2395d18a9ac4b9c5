"""Training by (stochastic) gradient descent.

Mini-batches are shuffled with an injected ``numpy.random.Generator``; the
same seed gives a bit-identical run. The update itself is the optimiser's
(:mod:`nnviz.engine.learning.optimisers`: SGD, momentum, Nesterov, AdaGrad, RMSProp,
Adam), the one implementation every trainer uses. Options: L1 and L2
regularisation with the notes' lambda/n scaling (n = training-set size),
dropout on hidden layers, gradient clipping by value and by norm, frozen biases.

Dropout conventions (``dropout_mode``): *inverted* (the default, as Keras): during
training each hidden neuron is kept with probability 1 - p and its output scaled by
1 / (1 - p), so the full network is used unchanged at test time; *notes*: kept outputs
are not scaled, and at test time every hidden layer's outgoing weights are multiplied by
1 - p (halved for p = 0.5, notes 002; :func:`test_time_network`). The two agree in
expectation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from nnviz.engine.core.losses import Loss
from nnviz.engine.core.network import LayerGrad, Network, backward, forward
from nnviz.engine.learning.optimisers import OPTIMISERS, Optimiser, make_optimiser
from nnviz.engine.learning.schedules import SCHEDULES, check_schedule

Array = np.ndarray
_NONE = np.zeros(0)   # the place of a layer without batch normalisation (never updated)


#: "inverted": kept outputs × 1/(1 − p) in training, the network unchanged at test time;
#: "notes": kept outputs × 1 in training, outgoing weights × (1 − p) at test time
DROPOUT_MODES = ("inverted", "notes")

#: the two dropout conventions as a choice names them
DROPOUT_CONVENTIONS = {"inverted": "inverted (nnviz, Keras)", "notes": "as the notes (002)"}


def dropout_note(p: float, mode: str) -> str:
    """What the chosen convention does, next to what the notes do, with p's numbers."""
    keep = 1.0 - p
    if mode == "notes":
        return (f"As the notes: a kept neuron's output × 1 while training; at test (losses, "
                f"accuracy, maps) every hidden layer's outgoing weights × (1 − p) = "
                f"{keep:.2g}" + (" (halved)" if abs(p - 0.5) < 1e-12 else "") + ".")
    # a word joiner after the slash: a narrow panel does not break 1/(1 − p) there
    return (f"Inverted dropout: a kept neuron's output × 1/\u2060(1 − p) = {1 / keep:.3g} while "
            f"training, the network unchanged at test. The notes (002) keep the output × 1 "
            f"and multiply the outgoing weights by 1 − p = {keep:.2g} at test: the same in "
            "expectation.")


@dataclass
class TrainConfig:
    """Hyper-parameters of gradient descent.

    ``batch_size`` None (or 0) means full batch; 1 means one sample at a time.
    ``optimiser`` names one of ``OPTIMISERS``; its momentum is ``momentum`` (which
    also turns "sgd" into "momentum" when > 0, as files before the optimisers did),
    its other settings are in ``hyper`` ((key, value) pairs, defaults where absent).
    """

    eta: float = 0.5
    batch_size: int | None = None
    momentum: float = 0.0
    optimiser: str = "sgd"
    hyper: tuple[tuple[str, float], ...] = ()
    l1: float = 0.0
    l2: float = 0.0
    dropout: float = 0.0
    clip_value: float | None = None
    clip_norm: float | None = None
    freeze_biases: bool = False
    shuffle: bool = True
    dropout_mode: str = "inverted"   # or "notes": masks 0/1, weights × (1 − p) at test time
    schedule: str = "constant"
    lr_gamma: float = 0.5
    lr_every: int = 10
    lr_k: float = 0.1
    patience: int = 0

    def __post_init__(self) -> None:
        if isinstance(self.hyper, dict):
            self.hyper = tuple(sorted(self.hyper.items()))

    def validate(self) -> None:
        """Raise ValueError on a setting outside its range."""
        if not (np.isfinite(self.eta) and self.eta >= 0):
            raise ValueError("learning rate must be a finite number >= 0")
        if not 0 <= self.momentum < 1:
            raise ValueError("momentum must be in [0, 1)")
        if self.l1 < 0 or self.l2 < 0:
            raise ValueError("regularisation lambda must be >= 0")
        if not 0 <= self.dropout < 1:
            raise ValueError("dropout probability must be in [0, 1)")
        if self.dropout_mode not in DROPOUT_MODES:
            raise ValueError(f"dropout_mode must be one of {', '.join(DROPOUT_MODES)}")
        if self.batch_size is not None and self.batch_size < 0:
            raise ValueError("batch size must be >= 1 (or 0/None for the full batch)")
        for name in ("clip_value", "clip_norm"):
            v = getattr(self, name)
            if v is not None and not v > 0:
                raise ValueError(f"{name} must be > 0")
        check_schedule(self.schedule, self.lr_gamma, self.lr_every, self.lr_k, self.patience)
        keys = {h.key: h for c in OPTIMISERS.values() for h in c.hypers}
        for k, v in self.hyper:
            if k not in keys or k == "momentum":
                raise ValueError(f"unknown optimiser setting {k!r}")
            keys[k].check(v)
        self.make_optimiser()

    def optimiser_spec(self) -> tuple[str, dict[str, float]]:
        """The optimiser's name and settings this configuration trains with."""
        name = "momentum" if self.optimiser == "sgd" and self.momentum > 0 else self.optimiser
        cls = OPTIMISERS.get(name)
        if cls is None:
            raise ValueError(f"unknown optimiser {name!r}; choose one of {', '.join(OPTIMISERS)}")
        own = {h.key for h in cls.hypers}
        hyper = {k: float(v) for k, v in self.hyper if k in own}
        if "momentum" in own:
            hyper["momentum"] = self.momentum
        return name, hyper

    def rate(self, epoch: int) -> float:
        """The learning rate of ``epoch`` (0 = the first) under the schedule."""
        return SCHEDULES[self.schedule].rate(self.eta, epoch, self.lr_gamma, self.lr_every,
                                             self.lr_k)

    def make_optimiser(self) -> Optimiser:
        """A fresh optimiser for this configuration."""
        name, hyper = self.optimiser_spec()
        return make_optimiser(name, **hyper)


@dataclass
class OptimizerState:
    """What gradient descent carries between steps: the optimiser (its velocities and
    averages, one slot per array of [W0, b0, W1, b1, ...]) and the counters."""

    opt: Optimiser | None = None
    steps: int = 0
    epochs: int = 0

    def copy(self) -> OptimizerState:
        return OptimizerState(None if self.opt is None else self.opt.copy(),
                              self.steps, self.epochs)

    def optimiser_for(self, cfg: TrainConfig) -> Optimiser:
        """The optimiser ``cfg`` asks for, keeping the state while its name stays the same
        (a changed setting applies from the next step; a new optimiser starts afresh)."""
        name, hyper = cfg.optimiser_spec()
        if self.opt is None or self.opt.name != name:
            self.opt = make_optimiser(name, **hyper)
        elif self.opt.hyper != hyper:
            self.opt.set_hyper(**hyper)
        return self.opt


@dataclass
class StepRecord:
    """What one gradient step did: the batch's cost before the update, the
    gradient records and the dropout masks (None where no dropout)."""

    cost: float
    grads: list[LayerGrad]
    masks: list[Array | None]


def dropout_masks(net: Network, n: int, p: float, rng: np.random.Generator,
                  mode: str = "inverted") -> list[Array | None]:
    """Dropout masks for every hidden layer, None for the output: 0 or 1/(1-p) (inverted
    dropout), or 0 or 1 (the notes: the weights are scaled at test time instead)."""
    masks: list[Array | None] = []
    for l, size in enumerate(net.sizes[1:]):
        if p > 0 and l < net.n_layers - 1:
            keep = rng.random((n, size)) >= p
            masks.append(keep / (1.0 - p) if mode == "inverted" else keep.astype(np.float64))
        else:
            masks.append(None)
    return masks


def dropout_test_factor(p: float, mode: str = "inverted") -> float:
    """What every hidden layer's outgoing weights are multiplied by at test time after
    training with dropout p: 1 under inverted dropout, 1 - p under the notes' rule."""
    return 1.0 if mode == "inverted" or p <= 0 else 1.0 - p


def test_time_network(net: Network, p: float, mode: str = "inverted") -> Network:
    """The network to use after training with dropout p: unchanged under inverted dropout;
    under the notes' rule every hidden layer's outgoing weights times 1 - p (halved for
    p = 0.5), which gives each neuron below the expected input it had in training."""
    f = dropout_test_factor(p, mode)
    if f == 1.0:
        return net
    out = net.copy()
    for l in range(1, out.n_layers):
        out.weights[l] = out.weights[l] * f
    return out


def regularisation_cost(net: Network, l1: float, l2: float, n: int) -> float:
    """lambda2/(2n) sum w^2 + lambda1/n sum |w| over all weights (not biases)."""
    total = 0.0
    for w in net.weights:
        if l2:
            total += l2 / (2.0 * n) * float(np.sum(w * w))
        if l1:
            total += l1 / n * float(np.sum(np.abs(w)))
    return total


def grad_norm(arrays: Sequence[Array]) -> float:
    """The length of the gradient made of ``arrays``: sqrt of the sum of every entry squared."""
    return float(np.sqrt(sum(float(np.sum(a * a)) for a in arrays)))


def trained_grad_norm(net: Network, grads: list[LayerGrad], freeze_biases: bool) -> float:
    """The length of the gradient of the parameters being trained: every weight, each
    trained bias once (a shared bias is one parameter; frozen or absent biases none)."""
    arrays: list[Array] = []
    for l, g in enumerate(grads):
        arrays.append(g.dw)
        if net.use_bias[l] and not freeze_biases:
            arrays.append(g.db[:1] if net.shared_bias[l] else g.db)
    return grad_norm(arrays)


def regularise(weights: Sequence[Array], dws: Sequence[Array], cfg: TrainConfig,
               n: int) -> None:
    """The notes' L2 and L1 on the weights' gradients, in place (biases are not
    regularised): dC/dw += (lambda2/n) w + (lambda1/n) sgn(w), n = the training-set size."""
    for w, g in zip(weights, dws):
        if cfg.l2:
            g += (cfg.l2 / n) * w
        if cfg.l1:
            g += (cfg.l1 / n) * np.sign(w)


def clip_arrays(arrays: Sequence[Array], clip_value: float | None, clip_norm: float | None,
                norm: Callable[[], float] | None = None) -> None:
    """Gradient clipping in place: every entry into [-clip_value, clip_value], then all
    arrays scaled by clip_norm / norm when the norm (``norm()``, computed after the
    clipping by value; default the length of all ``arrays``) is larger than clip_norm."""
    if clip_value is not None:
        for a in arrays:
            np.clip(a, -clip_value, clip_value, out=a)
    if clip_norm is not None:
        length = norm() if norm is not None else grad_norm(arrays)
        if length > clip_norm:
            for a in arrays:
                a *= clip_norm / length


def clip_gradients(grads: list[LayerGrad], clip_value: float | None,
                   clip_norm: float | None, net: Network | None = None,
                   freeze_biases: bool = False) -> None:
    """Clip gradient arrays in place, by value then by the norm of the trained parameters'
    gradient (:func:`trained_grad_norm`; without ``net`` every entry counts)."""
    arrays = [a for g in grads for a in (g.dw, g.db)]
    norm = None if net is None else (lambda: trained_grad_norm(net, grads, freeze_biases))
    clip_arrays(arrays, clip_value, clip_norm, norm)


def optimiser_step(params: Sequence[Array], grads: Sequence[Array | None], cfg: TrainConfig,
                   state: OptimizerState | None, lr: float) -> None:
    """The optimiser's update of every ``params[i]`` in place from ``grads[i]`` (None: left
    alone) with learning rate ``lr``; the state's optimiser carries its velocities and
    averages and counts the step. Without a state every step starts from a fresh optimiser."""
    opt = state.optimiser_for(cfg) if state is not None else cfg.make_optimiser()
    opt.step(params, grads, lr)
    if state is not None:
        state.steps += 1


def descend(params: Sequence[Array], grads: list[Array], cfg: TrainConfig,
            state: OptimizerState | None, n_train: int, *, weights: Sequence[int] = (),
            biases: Sequence[int] = (), epoch: int | None = None) -> None:
    """One gradient-descent update of a model whose parameters are the arrays ``params``
    (a CNN's kernels and dense layer) from ``grads`` (changed in place), the same way
    :func:`train_step` updates a dense network: L1/L2 on ``params[i]`` for i in
    ``weights``; clipping by value, then by the norm of the trained gradients (biases
    frozen by ``cfg.freeze_biases`` do not count and are not updated); the optimiser at
    the scheduled learning rate of ``epoch`` (default the state's epoch count)."""
    regularise([params[i] for i in weights], [grads[i] for i in weights], cfg, n_train)
    frozen = set(biases) if cfg.freeze_biases else set()
    trained = [g for i, g in enumerate(grads) if i not in frozen]
    clip_arrays(grads, cfg.clip_value, cfg.clip_norm, lambda: grad_norm(trained))
    if epoch is None:
        epoch = state.epochs if state is not None else 0
    optimiser_step(params, [None if i in frozen else g for i, g in enumerate(grads)], cfg,
                   state, cfg.rate(epoch))


def train_step(
    net: Network,
    x: Array,
    y: Array,
    loss: Loss,
    cfg: TrainConfig,
    state: OptimizerState | None = None,
    rng: np.random.Generator | None = None,
    n_train: int | None = None,
    epoch: int | None = None,
) -> StepRecord:
    """One gradient-descent update of ``net`` (in place) on the batch (x, y).

    ``n_train`` is the training-set size n used in the lambda/n scaling of
    L1/L2 (defaults to the batch size); ``epoch`` picks the scheduled learning
    rate (default: the state's epoch count).
    """
    n = len(x)
    masks = None
    if cfg.dropout > 0:
        if rng is None:
            raise ValueError("dropout needs a random generator")
        masks = dropout_masks(net, n, cfg.dropout, rng, cfg.dropout_mode)
    fwd = forward(net, x, masks, training=True)
    y = np.asarray(y, dtype=np.float64).reshape(fwd.output.shape)
    c = loss.value(fwd.output, y)
    grads = backward(net, fwd, y, loss)
    regularise(net.weights, [g.dw for g in grads], cfg, n_train or n)
    clip_gradients(grads, cfg.clip_value, cfg.clip_norm, net, cfg.freeze_biases)
    if epoch is None:
        epoch = state.epochs if state is not None else 0
    apply_update(net, grads, cfg, state, cfg.rate(epoch))
    return StepRecord(c, grads, list(fwd.masks))


def apply_update(net: Network, grads: list[LayerGrad], cfg: TrainConfig,
                 state: OptimizerState | None, lr: float | None = None) -> None:
    """The optimiser's update of [W0, b0, W1, b1, ...] with learning rate ``lr``
    (default ``cfg.eta``); frozen or absent biases are left alone; counts the step."""
    params: list[Array] = []
    gs: list[Array | None] = []
    for l, g in enumerate(grads):
        params += [net.weights[l], net.biases[l]]
        gs += [g.dw, g.db if net.use_bias[l] and not cfg.freeze_biases else None]
    if net.has_batch_norm:  # gamma and beta after every W and b: [..., g0, beta0, g1, ...]
        for l, g in enumerate(grads):
            bn = net.norms[l]
            params += [bn.gamma, bn.beta] if bn is not None else [_NONE, _NONE]
            gs += [g.dgamma, g.dbeta] if bn is not None else [None, None]
    optimiser_step(params, gs, cfg, state, cfg.eta if lr is None else lr)


def batches(n: int, batch_size: int | None, rng: np.random.Generator | None,
            shuffle: bool = True) -> list[Array]:
    """Index arrays of the mini-batches of one epoch over n samples."""
    order = rng.permutation(n) if (shuffle and rng is not None) else np.arange(n)
    size = n if not batch_size else min(int(batch_size), n)
    return [order[i:i + size] for i in range(0, n, size)]


def train_epoch(
    net: Network,
    x: Array,
    y: Array,
    loss: Loss,
    cfg: TrainConfig,
    state: OptimizerState | None = None,
    rng: np.random.Generator | None = None,
) -> float:
    """One pass over (x, y) in mini-batches; returns the mean of the batch costs."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).reshape(len(x), -1)
    costs = []
    for idx in batches(len(x), cfg.batch_size, rng, cfg.shuffle):
        rec = train_step(net, x[idx], y[idx], loss, cfg, state, rng, n_train=len(x))
        costs.append(rec.cost)
    if state is not None:
        state.epochs += 1
    return float(np.mean(costs))


def train(
    net: Network,
    x: Array,
    y: Array,
    loss: Loss,
    cfg: TrainConfig,
    epochs: int,
    rng: np.random.Generator | None = None,
    state: OptimizerState | None = None,
) -> list[float]:
    """Train for ``epochs`` epochs; returns the cost after each epoch."""
    from nnviz.engine.core.network import cost

    state = state if state is not None else OptimizerState()
    history = []
    for _ in range(epochs):
        train_epoch(net, x, y, loss, cfg, state, rng)
        history.append(cost(net, x, y, loss))
    return history
