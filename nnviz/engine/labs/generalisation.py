"""Bias and variance (notes 003) of polynomial fits, measured by resampling.

K training sets of n noisy points are drawn from a known curve f; each gets its fit
f̂_k. On a grid of x over the curve's range (x uniform, as the training inputs are):

    bias²    = mean_x ( f̄(x) − f(x) )²,            f̄ = mean_k f̂_k
    variance = mean_x mean_k ( f̂_k(x) − f̄(x) )²
    noise    = σ²

and the expected squared error on a fresh point is bias² + variance + noise. The model is
a degree-d polynomial (ridge least squares) or a small 1-h-1 tanh network trained by the
engine (:func:`resample_mlp`: complexity is the number of hidden units).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from nnviz.engine.core.losses import get_loss
from nnviz.engine.core.network import Network, predict
from nnviz.engine.labs.polyfit import CURVES, poly_eval, ridge_fit, sample
from nnviz.engine.learning.training import OptimizerState, TrainConfig, train_epoch

Array = np.ndarray
GRID = 201
MSE = get_loss("mse")


def bias_variance(preds: Array, truth: Array, noise: float) -> tuple[float, float, float]:
    """(bias², variance, noise²) from K fits' predictions (K, m) on a grid and f there."""
    preds = np.asarray(preds, dtype=np.float64)
    mean = preds.mean(axis=0)
    bias2 = float(np.mean((mean - truth) ** 2))
    variance = float(np.mean((preds - mean) ** 2))
    return bias2, variance, float(noise) ** 2


@dataclass(frozen=True)
class Resampled:
    """K fits of one model to K training sets drawn from the same curve."""

    grid: Array          # (m,) x where the curves are drawn and bias/variance measured
    truth: Array         # (m,) f(x)
    fits: Array          # (K, m) f̂_k(x)
    xs: Array            # (K, n) the training inputs
    ys: Array            # (K, n) the training targets
    bias2: float
    variance: float
    noise: float         # σ²
    train_mse: float     # mean over k of the fit's error on its own points
    test_mse: float      # mean over k of the error on fresh points

    @property
    def mean(self) -> Array:
        return self.fits.mean(axis=0)


def resample(curve: str, degree: int, n: int, noise: float, k: int, lam: float = 0.0,
             seed: int = 0, n_test: int = 500) -> Resampled:
    """Draw ``k`` training sets of ``n`` points (seeded) and fit each with a degree-d
    polynomial (ridge λ); measure bias², variance, train and test error."""
    if k < 2 or n < 1:
        raise ValueError("need at least 2 training sets of at least 1 point")
    f, _label, (lo, hi) = CURVES[curve]
    rng = np.random.default_rng(seed)
    grid = np.linspace(lo, hi, GRID)
    truth = f(grid)
    xs, ys, fits, tr, te = [], [], [], [], []
    xt, yt = sample(curve, n_test, noise, np.random.default_rng(seed + 7919))
    for _ in range(k):
        x, y = sample(curve, n, noise, rng)
        coef = ridge_fit(x, y, degree, lam)
        xs.append(x)
        ys.append(y)
        fits.append(poly_eval(coef, grid))
        tr.append(np.mean((poly_eval(coef, x) - y) ** 2))
        te.append(np.mean((poly_eval(coef, xt) - yt) ** 2))
    fits_a = np.array(fits)
    b2, var, nz = bias_variance(fits_a, truth, noise)
    return Resampled(grid, truth, fits_a, np.array(xs), np.array(ys), b2, var, nz,
                     float(np.mean(tr)), float(np.mean(te)))


@dataclass(frozen=True)
class Sweep:
    """Train and test error, bias² and variance against the degree (the U curve)."""

    degrees: Array
    train: Array
    test: Array
    bias2: Array
    variance: Array


def complexity_sweep(curve: str, n: int, noise: float, k: int, max_degree: int,
                     lam: float = 0.0, seed: int = 0) -> Sweep:
    """:func:`resample` at every degree 0..max_degree with the same training sets."""
    rows = [resample(curve, d, n, noise, k, lam, seed) for d in range(max_degree + 1)]
    return Sweep(np.arange(max_degree + 1), np.array([r.train_mse for r in rows]),
                 np.array([r.test_mse for r in rows]), np.array([r.bias2 for r in rows]),
                 np.array([r.variance for r in rows]))


@dataclass(frozen=True)
class Case:
    """A preset: one of the notes' four bias/variance combinations."""

    key: str
    title: str
    degree: int
    n: int
    noise: float
    why: str


#: the notes' four cases (003), each made by choosing model size and data
CASES: tuple[Case, ...] = (
    Case("low-low", "Low bias, low variance", 4, 100, 0.15,
         "A right-sized model and plenty of data: the ideal."),
    Case("low-high", "Low bias, high variance", 12, 15, 0.3,
         "Many parameters, few points: right on average, inconsistent (overfitting)."),
    Case("high-low", "High bias, low variance", 1, 100, 0.3,
         "A line for a sine: consistent but wrong on average (underfitting)."),
    Case("high-high", "High bias, high variance", 1, 4, 0.6,
         "Too simple and too little, noisy data: inconsistent and wrong."),
)

#: the notes' under / good / over-fitted panels, polynomial fits whichever model the U curve
#: uses (their titles say so: beside a network's U curve "d = 1" read as the network's):
#: (title, degree)
FIT_PANELS: tuple[tuple[str, int], ...] = (("Under-fitted\npolynomial, d\u00a0=\u00a01", 1),
                                           ("Good fit\npolynomial, d\u00a0=\u00a04", 4),
                                           ("Over-fitted\npolynomial, d\u00a0=\u00a014", 14))


# ----------------------------------------------------------------- a network instead
def mlp_network(hidden: int, seed: int) -> Network:
    """1 → hidden (tanh) → 1 (linear), Xavier-initialised from ``seed``."""
    return Network.create([1, hidden, 1], "tanh", np.random.default_rng(seed),
                          output_activation="linear")


def mlp_fit(net: Network, x: Array, y: Array, epochs: int) -> Iterator[int]:
    """Fit ``net`` to (x, y) by the engine's own training (Adam, η = 0.02, full batch,
    mean squared error), yielding the epoch count after every epoch."""
    cfg = TrainConfig(eta=0.02, optimiser="adam")
    state = OptimizerState()
    xs, ys = np.asarray(x, float).reshape(-1, 1), np.asarray(y, float).reshape(-1, 1)
    for _ in range(epochs):
        train_epoch(net, xs, ys, MSE, cfg, state, None)
        yield state.epochs


def resample_mlp(curve: str, hidden: int, n: int, noise: float, k: int, epochs: int,
                 seed: int = 0, n_test: int = 500) -> Iterator[Resampled | None]:
    """:func:`resample` with a network of ``hidden`` tanh units as the model: the same K
    training sets (same seed), one network trained after the other. Yields None while a
    network trains and the Resampled of the networks done so far after each one."""
    f, _label, (lo, hi) = CURVES[curve]
    rng = np.random.default_rng(seed)
    grid = np.linspace(lo, hi, GRID)
    truth = f(grid)
    xt, yt = sample(curve, n_test, noise, np.random.default_rng(seed + 7919))
    xs, ys, fits, tr, te = [], [], [], [], []
    for i in range(k):
        x, y = sample(curve, n, noise, rng)
        net = mlp_network(hidden, seed + i)
        yield from (None for _ in mlp_fit(net, x, y, epochs))

        def at(v: Array, net: Network = net) -> Array:
            return predict(net, np.asarray(v).reshape(-1, 1))[:, 0]

        xs.append(x)
        ys.append(y)
        fits.append(at(grid))
        tr.append(np.mean((at(x) - y) ** 2))
        te.append(np.mean((at(xt) - yt) ** 2))
        if len(fits) >= 2:
            b2, var, nz = bias_variance(np.array(fits), truth, noise)
            yield Resampled(grid, truth, np.array(fits), np.array(xs), np.array(ys), b2, var,
                            nz, float(np.mean(tr)), float(np.mean(te)))
