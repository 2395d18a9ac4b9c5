"""Loss (cost) functions.

Each loss has a per-sample value ``sample(a, y)`` of shape (n,), a gradient
``grad(a, y)`` = d(per-sample loss)/da of shape (n, k), and a reduction over
samples: ``"sum"`` (the notes' E_total, summed over the training examples) or
``"mean"`` (C = 1/n sum_x C_x, as in Nielsen). Logs are safe: outputs are kept
away from 0 and 1 by the smallest positive float, so no -inf and no warnings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Array = np.ndarray
_TINY = np.finfo(np.float64).tiny


def _safe_log(x: Array) -> Array:
    return np.log(np.maximum(x, _TINY))


@dataclass(frozen=True)
class Loss:
    """A cost function of the network output ``a`` and the target ``y``."""

    name: str
    title: str
    formula: str
    reduction: str  # "sum" or "mean"

    @property
    def kind(self) -> str:
        """The loss family: "quadratic", "bce" or "ce"."""
        return _KIND[self.name]

    def sample(self, a: Array, y: Array) -> Array:
        """Loss of each sample, shape (n,)."""
        a = np.asarray(a, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        kind = _KIND[self.name]
        if kind == "quadratic":
            return 0.5 * np.sum((y - a) ** 2, axis=-1)
        if kind == "bce":
            return -np.sum(y * _safe_log(a) + (1.0 - y) * _safe_log(1.0 - a), axis=-1)
        return -np.sum(y * _safe_log(a), axis=-1)

    def value(self, a: Array, y: Array) -> float:
        """The cost over all samples (summed or averaged, per ``reduction``)."""
        per = self.sample(a, y)
        if self.reduction == "sum":
            return float(per.sum())
        # np.mean's result (the same pairwise sum over the count) without its Python-level
        # wrapper: the training lab scores both sets after every epoch
        return float(per.sum() / per.size) if per.size else float("nan")

    def grad(self, a: Array, y: Array) -> Array:
        """d(per-sample loss)/da, shape (n, k)."""
        a = np.asarray(a, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        kind = _KIND[self.name]
        if kind == "quadratic":
            return a - y
        if kind == "bce":
            return (a - y) / np.maximum(a * (1.0 - a), _TINY)
        return -y / np.maximum(a, _TINY)

    def scale(self, n: int) -> float:
        """Factor turning a sum over n samples into this loss's reduction."""
        return 1.0 if self.reduction == "sum" else 1.0 / n

    def combined_delta(self, activation_name: str) -> bool:
        """True when delta^L simplifies to a - y (sigmoid+BCE, softmax+CE)."""
        kind = _KIND[self.name]
        return (kind == "bce" and activation_name == "sigmoid") or (
            kind == "ce" and activation_name == "softmax"
        )


_KIND = {
    "half_sse": "quadratic",
    "mse": "quadratic",
    "binary_cross_entropy": "bce",
    "cross_entropy": "ce",
}

LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("half_sse", "Squared error (E_total)", "E_total = Σ ½(target − out)²", "sum"),
        Loss("mse", "Mean squared error", "C = 1/(2n) Σ_x ‖y − a‖²", "mean"),
        Loss("binary_cross_entropy", "Binary cross-entropy",
             "C = −1/n Σ_x [y ln a + (1 − y) ln(1 − a)]", "mean"),
        Loss("cross_entropy", "Categorical cross-entropy", "C = −1/n Σ_x Σ_j y_j ln a_j",
             "mean"),
    )
}


def get_loss(name: str) -> Loss:
    """Look up a loss by name; raise ValueError naming the choices if unknown."""
    try:
        return LOSSES[name]
    except KeyError:
        raise ValueError(f"unknown loss {name!r}; choose one of {', '.join(LOSSES)}") from None
