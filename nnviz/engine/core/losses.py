"""Loss (cost) functions.

Each loss has a per-sample value ``sample(a, y)`` of shape (n,), a gradient
``grad(a, y)`` = d(per-sample loss)/da of shape (n, k), and a reduction over
samples: ``"sum"`` (the notes' E_total, summed over the training examples) or
``"mean"`` (C = 1/n sum_x C_x, as in Nielsen). Logs are safe: outputs are kept
away from 0 and 1 by the smallest positive float, so no -inf and no warnings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray
_TINY = np.finfo(np.float64).tiny


def _safe_log(x: Array) -> Array:
    return np.log(np.maximum(x, _TINY))


@dataclass(frozen=True)
class _Family:
    """What a family of losses computes, per output neuron, and how the worked example
    writes it (``t`` the target, ``a`` the output, as names or numbers)."""

    core: Callable[[Array, Array], Array]  # the loss of each output over ``factor``, (n, k)
    factor: float
    grad: Callable[[Array, Array], Array]          # d(loss)/da, (n, k)
    expr: Callable[[str, str], str]
    dout_expr: Callable[[str, str], str]
    grad_text: str                                 # the gradient in matrix notation
    pairs_with: str = ""  # the output activation with which delta^L simplifies to a - y


_FAMILIES = {
    "quadratic": _Family(
        lambda a, y: (y - a) ** 2, 0.5, lambda a, y: a - y,
        lambda t, a: f"1/2*({t} - {a})^2", lambda t, a: f"-({t} - {a})", "a − y"),
    "bce": _Family(
        lambda a, y: y * _safe_log(a) + (1.0 - y) * _safe_log(1.0 - a), -1.0,
        lambda a, y: (a - y) / np.maximum(a * (1.0 - a), _TINY),
        lambda t, a: f"-({t}*ln({a}) + (1 - {t})*ln(1 - {a}))",
        lambda t, a: f"-({t}/{a} - (1 - {t})/(1 - {a}))", "(a − y) / (a(1 − a))", "sigmoid"),
    "ce": _Family(
        lambda a, y: y * _safe_log(a), -1.0, lambda a, y: -y / np.maximum(a, _TINY),
        lambda t, a: f"-{t}*ln({a})", lambda t, a: f"-{t}/{a}", "−y / a", "softmax"),
}


@dataclass(frozen=True)
class Loss:
    """A cost function of the network output ``a`` and the target ``y``: its value per
    output and per sample, its gradient, its worked-example text and its reduction."""

    name: str
    title: str
    formula: str
    reduction: str  # "sum" or "mean"
    kind: str       # the loss family: "quadratic", "bce" or "ce"

    @property
    def _family(self) -> _Family:
        return _FAMILIES[self.kind]

    def per_output(self, a: Array, y: Array) -> Array:
        """Loss of each output neuron of each sample, shape (n, k)."""
        f = self._family
        return f.factor * f.core(np.asarray(a, dtype=np.float64), np.asarray(y, dtype=np.float64))

    def sample(self, a: Array, y: Array) -> Array:
        """Loss of each sample, shape (n,)."""
        f = self._family
        core = f.core(np.asarray(a, dtype=np.float64), np.asarray(y, dtype=np.float64))
        return f.factor * np.sum(core, axis=-1)

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
        return self._family.grad(np.asarray(a, dtype=np.float64), np.asarray(y, dtype=np.float64))

    def expr(self, t: str, a: str) -> str:
        """The worked example's text of one output's loss (target ``t``, output ``a``)."""
        return self._family.expr(t, a)

    def dout_expr(self, t: str, a: str) -> str:
        """The worked example's text of dE/dout of one output."""
        return self._family.dout_expr(t, a)

    @property
    def grad_text(self) -> str:
        """∇ₐC in matrix notation (the matrix view)."""
        return self._family.grad_text

    def scale(self, n: int) -> float:
        """Factor turning a sum over n samples into this loss's reduction."""
        return 1.0 if self.reduction == "sum" else 1.0 / n

    def combined_delta(self, activation_name: str) -> bool:
        """True when delta^L simplifies to a - y (sigmoid+BCE, softmax+CE)."""
        return self._family.pairs_with == activation_name


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("half_sse", "Squared error (E_total)", "E_total = Σ ½(target − out)²", "sum",
             "quadratic"),
        Loss("mse", "Mean squared error", "C = 1/(2n) Σ_x ‖y − a‖²", "mean", "quadratic"),
        Loss("binary_cross_entropy", "Binary cross-entropy",
             "C = −1/n Σ_x [y ln a + (1 − y) ln(1 − a)]", "mean", "bce"),
        Loss("cross_entropy", "Categorical cross-entropy", "C = −1/n Σ_x Σ_j y_j ln a_j",
             "mean", "ce"),
    )
}


def get_loss(name: str) -> Loss:
    """Look up a loss by name; raise ValueError naming the choices if unknown."""
    try:
        return LOSSES[name]
    except KeyError:
        raise ValueError(f"unknown loss {name!r}; choose one of {', '.join(LOSSES)}") from None
