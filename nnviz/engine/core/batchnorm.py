"""Batch normalisation (Ioffe and Szegedy 2015; notes 003) of a hidden layer's weighted
inputs z, before the activation.

Training, for the mini-batch B of n samples, per neuron:

    mu_B = (1/n) sum z,   sigma_B^2 = (1/n) sum (z - mu_B)^2,
    x_hat = (z - mu_B) / sqrt(sigma_B^2 + eps),   y = gamma x_hat + beta.

The running averages used at test time follow every training batch:
mean <- m mean + (1 - m) mu_B and var <- m var + (1 - m) n/(n - 1) sigma_B^2 (the
unbiased estimate, as in the paper; m = ``momentum``, default 0.9).

Backward, with g = dC/dy per sample (C summed over the batch):
dgamma = sum g x_hat, dbeta = sum g, and
dC/dz = gamma / (n sqrt(sigma_B^2 + eps)) (n g - sum g - x_hat sum g x_hat).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Array = np.ndarray
EPS = 1e-5
MOMENTUM = 0.9


@dataclass
class BNCache:
    """What the backward pass needs from a training forward pass."""

    x_hat: Array      # (n, m)
    inv_std: Array    # (m,) 1 / sqrt(sigma_B^2 + eps)
    mu: Array         # (m,)
    var: Array        # (m,) sigma_B^2 (biased)
    z: Array          # (n, m) the input
    training: bool


@dataclass
class BatchNorm:
    """gamma, beta and the running averages of one layer of ``m`` neurons."""

    gamma: Array
    beta: Array
    running_mean: Array
    running_var: Array
    eps: float = EPS
    momentum: float = MOMENTUM

    @classmethod
    def new(cls, m: int) -> BatchNorm:
        """gamma = 1, beta = 0, running mean 0 and variance 1 (y = z at first at test time)."""
        return cls(np.ones(m), np.zeros(m), np.zeros(m), np.ones(m))

    def __post_init__(self) -> None:
        for name in ("gamma", "beta", "running_mean", "running_var"):
            setattr(self, name, np.array(getattr(self, name), dtype=np.float64).reshape(-1))
        m = self.gamma.size
        if not all(a.size == m for a in (self.beta, self.running_mean, self.running_var)):
            raise ValueError("gamma, beta and the running averages need one value a neuron")
        if not (np.isfinite(self.eps) and 0 < self.eps <= 1):
            raise ValueError("batch-norm epsilon must be in (0, 1]")
        if not (np.isfinite(self.momentum) and 0 <= self.momentum < 1):
            raise ValueError("batch-norm momentum must be in [0, 1)")
        if (self.running_var < 0).any():
            raise ValueError("a running variance cannot be negative")

    @property
    def size(self) -> int:
        return self.gamma.size

    def copy(self) -> BatchNorm:
        return BatchNorm(self.gamma.copy(), self.beta.copy(), self.running_mean.copy(),
                         self.running_var.copy(), self.eps, self.momentum)

    def equals(self, other: BatchNorm) -> bool:
        return (self.eps == other.eps and self.momentum == other.momentum and all(
            np.array_equal(a, b) for a, b in zip(
                (self.gamma, self.beta, self.running_mean, self.running_var),
                (other.gamma, other.beta, other.running_mean, other.running_var))))

    def forward(self, z: Array, training: bool, update: bool = True) -> tuple[Array, BNCache]:
        """y for z (n, m): the batch's statistics when ``training`` (and, if ``update``, the
        running averages follow them), else the running averages."""
        if training:
            n = z.shape[0]
            mu = z.mean(axis=0)
            var = ((z - mu) ** 2).mean(axis=0)
            if update:
                unbiased = var * (n / (n - 1)) if n > 1 else var
                self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mu
                self.running_var = (self.momentum * self.running_var
                                    + (1 - self.momentum) * unbiased)
        else:
            mu, var = self.running_mean, self.running_var
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_hat = (z - mu) * inv_std
        return self.gamma * x_hat + self.beta, BNCache(x_hat, inv_std, mu, var, z, training)

    def backward(self, g: Array, cache: BNCache) -> tuple[Array, Array, Array]:
        """(dC/dz, dC/dgamma, dC/dbeta) from g = dC/dy (n, m)."""
        x_hat = cache.x_hat
        dgamma = np.sum(g * x_hat, axis=0)
        dbeta = np.sum(g, axis=0)
        if not cache.training:  # the running averages are constants
            return g * (self.gamma * cache.inv_std), dgamma, dbeta
        n = g.shape[0]
        dz = (self.gamma * cache.inv_std / n) * (n * g - dbeta - x_hat * dgamma)
        return dz, dgamma, dbeta


def bn_to_dict(bn: BatchNorm) -> dict:
    """A JSON-ready object (exact floats)."""
    return {"gamma": bn.gamma.tolist(), "beta": bn.beta.tolist(),
            "running_mean": bn.running_mean.tolist(), "running_var": bn.running_var.tolist(),
            "eps": bn.eps, "momentum": bn.momentum}


def bn_from_dict(d, where: str, m: int) -> BatchNorm:
    """Validate a :func:`bn_to_dict` object of a layer of ``m`` neurons (FormatError)."""
    from nnviz.engine.files.validate import FormatError, as_array, as_number

    if not isinstance(d, dict):
        raise FormatError(f"{where}: expected an object")
    unknown = set(d) - {"gamma", "beta", "running_mean", "running_var", "eps", "momentum"}
    if unknown:
        raise FormatError(f"{where}.{str(sorted(unknown)[0])[:40]}: unknown setting")
    arrays = {k: as_array(d.get(k, default), f"{where}.{k}", (m,)) for k, default in (
        ("gamma", [1.0] * m), ("beta", [0.0] * m), ("running_mean", [0.0] * m),
        ("running_var", [1.0] * m))}
    if (arrays["running_var"] < 0).any():
        raise FormatError(f"{where}.running_var: a variance cannot be negative")
    eps = as_number(d.get("eps", EPS), f"{where}.eps", 1e-12, 1.0)
    momentum = as_number(d.get("momentum", MOMENTUM), f"{where}.momentum", 0.0, 0.999)
    return BatchNorm(arrays["gamma"], arrays["beta"], arrays["running_mean"],
                     arrays["running_var"], eps, momentum)
