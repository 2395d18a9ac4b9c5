"""The optimiser race: several optimisers start from one point of one two-parameter
loss surface and step side by side (each with its own learning rate).

Surfaces (``SURFACES``): closed-form functions (a long narrow ravine, a saddle) and
two parameters of a real network with every other parameter held (the notes'
sigmoid neuron, a 2-2-1 XOR network). Every racer is an optimiser of
:mod:`nnviz.engine.learning.optimisers` on a 2-vector ``p``: the same code that trains the
networks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from nnviz.engine.core.activations import get_activation
from nnviz.engine.core.losses import Loss, get_loss
from nnviz.engine.core.network import Network, backward, forward
from nnviz.engine.labs import surface as S
from nnviz.engine.learning.optimisers import OPTIMISERS, Optimiser, make_optimiser

Array = np.ndarray
#: a racer stops after this many steps (a path is at most this long)
MAX_STEPS = 20_000
#: a racer whose |p| passes this has left the surface for good
FAR = 1e6

#: Okabe-Ito colours, one per optimiser (the same in every lesson)
COLOURS = {"sgd": "#000000", "momentum": "#0072B2", "nesterov": "#56B4E9",
           "adagrad": "#009E73", "rmsprop": "#CC79A7", "adam": "#D55E00"}


class RaceSurface:
    """A loss over two numbers p = (x, y), its gradient and a batched grid."""

    name = ""
    title = ""
    formula = ""
    labels = ("x", "y")
    bounds = (-1.0, 1.0, -1.0, 1.0)     # x0, x1, y0, y1 of the map
    start = (0.0, 0.0)
    rates: dict[str, float] = {}         # a learning rate per optimiser that shows it well

    def loss(self, p: Array) -> float:
        raise NotImplementedError

    def grad(self, p: Array) -> Array:
        raise NotImplementedError

    def grid(self, xs: Array, ys: Array, progress: S.Progress | None = None) -> Array:
        """The loss at (xs[j], ys[i]) as Z[i, j]."""
        raise NotImplementedError

    def grid_job(self, res: int) -> Callable:
        """A job for the grid worker: (xs, ys, Z) over the map at ``res`` x ``res``."""
        x0, x1, y0, y1 = self.bounds
        xs, ys = np.linspace(x0, x1, res), np.linspace(y0, y1, res)
        return lambda progress: (xs, ys, self.grid(xs, ys, progress))


class FunctionSurface(RaceSurface):
    """A closed-form f(x, y) with its gradient (both vectorised)."""

    def __init__(self, name, title, formula, f, df, bounds, start, rates) -> None:
        self.name, self.title, self.formula = name, title, formula
        self._f, self._df = f, df
        self.bounds, self.start, self.rates = bounds, start, rates

    def loss(self, p):
        return float(self._f(p[0], p[1]))

    def grad(self, p):
        return np.array(self._df(p[0], p[1]), dtype=np.float64)

    def grid(self, xs, ys, progress=None):
        gx, gy = np.meshgrid(np.asarray(xs, float), np.asarray(ys, float))
        with np.errstate(over="ignore", invalid="ignore"):
            z = self._f(gx, gy)
        if progress is not None and not progress(1, 1):
            raise S.Cancelled
        return z


class NetworkSurface(RaceSurface):
    """Two parameters ``refs`` of a network; every other parameter held."""

    def __init__(self, name, title, formula, net: Network, x: Array, y: Array, loss: Loss,
                 refs: tuple[S.ParamRef, S.ParamRef], labels, bounds, start, rates) -> None:
        self.name, self.title, self.formula = name, title, formula
        self.net, self.x, self.y, self.loss_fn, self.refs = net, x, y, loss, refs
        self.labels, self.bounds, self.start, self.rates = labels, bounds, start, rates

    def _at(self, p: Array) -> Network:
        net = self.net.copy()
        for r, v in zip(self.refs, p):
            r.set(net, float(v))
        return net

    def loss(self, p):
        net = self._at(p)
        with np.errstate(over="ignore", invalid="ignore"):
            return float(self.loss_fn.value(forward(net, self.x).output, self.y))

    def grad(self, p):
        net = self._at(p)
        with np.errstate(over="ignore", invalid="ignore"):
            fwd = forward(net, self.x)
            grads = backward(net, fwd, self.y, self.loss_fn)
        return np.array([grads[r.layer].dw[r.j, r.k] if r.kind == "w" else
                         grads[r.layer].db[r.j] for r in self.refs])

    def grid(self, xs, ys, progress=None):
        return S.loss_grid(self.net, self.x, self.y, self.loss_fn, self.refs[0], self.refs[1],
                           xs, ys, progress)


def _ravine() -> RaceSurface:
    return FunctionSurface(
        "ravine", "A long narrow ravine", "L = x²/20 + 5·y²",
        lambda x, y: x * x / 20.0 + 5.0 * y * y, lambda x, y: (x / 10.0, 10.0 * y),
        (-10.0, 2.0, -2.0, 2.0), (-9.0, 1.5),
        {"sgd": 0.19, "momentum": 0.03, "nesterov": 0.03, "adagrad": 1.0, "rmsprop": 0.05,
         "adam": 0.3})


def _saddle() -> RaceSurface:
    return FunctionSurface(
        "saddle", "A saddle point", "L = x² + y⁴/4 − y²/2",
        lambda x, y: x * x + y ** 4 / 4.0 - y * y / 2.0, lambda x, y: (2.0 * x, y ** 3 - y),
        (-2.0, 2.0, -2.0, 2.0), (-1.8, 1e-4),
        {"sgd": 0.1, "momentum": 0.05, "nesterov": 0.05, "adagrad": 0.5, "rmsprop": 0.02,
         "adam": 0.05})


def _sigmoid_neuron() -> RaceSurface:
    # the notes' neuron (003): f(x) = sigma(w x + b) on (0.5, 0.2), (2.5, 0.9), half SSE
    net = Network([np.array([[-2.0]])], [np.array([-2.0])], [get_activation("sigmoid")])
    return NetworkSurface(
        "sigmoid-neuron", "The notes' sigmoid neuron", "L = Σ ½(σ(w·x + b) − y)²",
        net, np.array([[0.5], [2.5]]), np.array([[0.2], [0.9]]), get_loss("half_sse"),
        (S.ParamRef("w", 0, 0, 0), S.ParamRef("b", 0, 0)), ("w", "b"),
        (-4.0, 4.0, -6.0, 2.0), (-2.0, -2.0),
        {"sgd": 1.0, "momentum": 0.3, "nesterov": 0.3, "adagrad": 0.5, "rmsprop": 0.05,
         "adam": 0.1})


def _xor() -> RaceSurface:
    # the notes' XOR network (003: OR, NAND, AND) with its weights divided by 4; the
    # race moves the two output weights v1, v2 (bias -7.5 and the hidden layer held)
    sig = get_activation("sigmoid")
    net = Network([np.array([[5.0, 5.0], [-5.0, -5.0]]), np.array([[5.0, 5.0]])],
                  [np.array([-2.5, 7.5]), np.array([-7.5])], [sig, sig])
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    return NetworkSurface(
        "xor", "The XOR landscape", "L = Σ ½(σ(v₁h₁ + v₂h₂ − 7.5) − y)²",
        net, x, y, get_loss("half_sse"), (S.ParamRef("w", 1, 0, 0), S.ParamRef("w", 1, 0, 1)),
        ("v₁", "v₂"), (-10.0, 10.0, -10.0, 10.0), (-6.0, -2.0),
        {"sgd": 2.0, "momentum": 1.0, "nesterov": 1.0, "adagrad": 1.0, "rmsprop": 0.1,
         "adam": 0.3})


SURFACES: dict[str, Callable[[], RaceSurface]] = {
    "sigmoid-neuron": _sigmoid_neuron, "ravine": _ravine, "saddle": _saddle, "xor": _xor}


@dataclass
class Racer:
    """One optimiser on the surface: its position, path, losses and steps."""

    opt: Optimiser
    lr: float
    p: Array
    path: list[tuple[float, float]] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    steps: int = 0
    stopped: str = ""   # why it stopped ('' while it runs)

    @property
    def name(self) -> str:
        return self.opt.name

    @property
    def colour(self) -> str:
        return COLOURS[self.opt.name]

    def label(self) -> str:
        return f"{self.opt.label} (η = {self.lr:g})"


class Race:
    """Racers on one surface, all from ``start``."""

    def __init__(self, surface: RaceSurface, entries: list[tuple[str, float, dict]],
                 start: tuple[float, float] | None = None) -> None:
        self.surface = surface
        self.start = tuple(map(float, start if start is not None else surface.start))
        if not all(np.isfinite(self.start)):
            raise ValueError("the start point must be finite")
        self.racers: list[Racer] = []
        for name, lr, hyper in entries:
            if not (np.isfinite(lr) and 0 < lr <= 1e3):
                raise ValueError(f"{name}: the learning rate must be in (0, 1000]")
            opt = make_optimiser(name, **hyper)
            opt.keep_last = True
            self.racers.append(Racer(opt, float(lr), np.zeros(2)))
        self.reset()

    def reset(self, start: tuple[float, float] | None = None) -> None:
        """Every racer back to the start (a new start if given), its state forgotten."""
        if start is not None:
            if not all(np.isfinite(start)):
                raise ValueError("the start point must be finite")
            self.start = (float(start[0]), float(start[1]))
        l0 = self.surface.loss(np.array(self.start))
        for r in self.racers:
            r.opt.reset()
            r.p = np.array(self.start, dtype=np.float64)
            r.path, r.losses, r.steps, r.stopped = [self.start], [l0], 0, ""

    def running(self) -> bool:
        return any(not r.stopped for r in self.racers)

    def step(self, k: int = 1) -> int:
        """``k`` steps of every running racer; returns how many racers moved."""
        moved = 0
        for r in self.racers:
            for _ in range(k):
                if r.stopped:
                    break
                self._step_one(r)
            moved += r.steps > 0 and not r.stopped
        return moved

    def _step_one(self, r: Racer) -> None:
        with np.errstate(over="ignore", invalid="ignore"):
            g = self.surface.grad(r.p)
            if not np.isfinite(g).all():
                r.stopped = "the gradient is not finite here"
                return
            before = r.p.copy()
            r.opt.step([r.p], [g], r.lr)
            loss = self.surface.loss(r.p)
        if not (np.isfinite(r.p).all() and np.isfinite(loss)) or np.abs(r.p).max() > FAR:
            r.p = before
            r.stopped = f"diverged at step {r.steps + 1}"
            return
        r.steps += 1
        r.path.append((float(r.p[0]), float(r.p[1])))
        r.losses.append(loss)
        if r.steps >= MAX_STEPS:
            r.stopped = f"stopped after {MAX_STEPS} steps"

    def describe(self, i: int) -> list[tuple[str, tuple[float, float]]]:
        """The numbers of racer ``i``'s last update, per coordinate: [(key, (x, y))]."""
        r = self.racers[i]
        a, b = r.opt.describe_update(0, 0), r.opt.describe_update(0, 1)
        return [(k, (a[k], b[k])) for k in a if k != "t"]


def default_entries(surface: RaceSurface, names: list[str] | None = None
                    ) -> list[tuple[str, float, dict]]:
    """The racers of a preset: each optimiser at the surface's rate, default settings."""
    names = names if names is not None else list(OPTIMISERS)
    return [(n, surface.rates.get(n, 0.01), {}) for n in names]
