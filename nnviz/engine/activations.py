"""Activation functions with derivatives, display names and formulas.

Every function is overflow-safe for any finite input: no NumPy warnings and
no NaN for large |z|.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

Array = np.ndarray


def sigmoid(z: Array) -> Array:
    """Logistic function 1 / (1 + e^-z), computed without overflow."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(z: Array) -> Array:
    """Softmax over the last axis, shifted by the maximum for safety."""
    z = np.asarray(z, dtype=np.float64)
    z = np.clip(z, -1e150, 1e150)  # keeps z - max(z) finite for any finite input
    shifted = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


@dataclass(frozen=True)
class Activation:
    """An activation function f with its derivative f'.

    Attributes
    ----------
    name : str
        Key used in lessons and files (``"sigmoid"``).
    title : str
        Display name (``"Sigmoid (logistic)"``).
    formula : str
        Human-readable formula of f.
    prime_formula : str
        Human-readable formula of f'.
    alpha : float
        Parameter of leaky ReLU and ELU (ignored by the others).
    """

    name: str
    title: str
    formula: str
    prime_formula: str
    alpha: float = 0.0
    vector: bool = field(default=False)  # True for softmax: output couples all neurons

    def fn(self, z: Array) -> Array:
        """f(z), elementwise (softmax: over the last axis)."""
        return _FN[self.name](np.asarray(z, dtype=np.float64), self.alpha)

    def prime(self, z: Array, a: Array | None = None) -> Array:
        """f'(z) elementwise; for softmax the diagonal of the Jacobian, a_j (1 - a_j).

        ``a`` (= f(z)) may be passed to avoid recomputing it.
        """
        z = np.asarray(z, dtype=np.float64)
        if a is None:
            a = self.fn(z)
        return _PRIME[self.name](z, a, self.alpha)

    def backprop(self, z: Array, a: Array, grad_a: Array) -> Array:
        """delta = dC/dz given dC/da; uses the full Jacobian for softmax."""
        if self.vector:
            # J = diag(a) - a a^T  ->  J^T g = a * (g - <a, g>)
            return a * (grad_a - np.sum(a * grad_a, axis=-1, keepdims=True))
        return grad_a * self.prime(z, a)

    def with_alpha(self, alpha: float) -> Activation:
        """Copy of this activation with another parameter alpha."""
        return Activation(self.name, self.title, self.formula, self.prime_formula, alpha,
                          self.vector)


def apply_in_place(act: Activation, z: Array) -> None:
    """z = f(z) in place: without temporaries for tanh, ReLU and linear (softmax over the
    last axis, like :meth:`Activation.fn`)."""
    if act.name == "tanh":
        np.tanh(z, out=z)
    elif act.name == "relu":
        np.maximum(z, 0.0, out=z)
    elif act.name != "linear":
        z[...] = act.fn(z)


def _piecewise(z: Array, _alpha: float) -> Array:
    return np.clip(z + 0.5, 0.0, 1.0)


def _elu(z: Array, alpha: float) -> Array:
    return np.where(z >= 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


_FN = {
    "step": lambda z, _a: (z >= 0).astype(np.float64),
    "perceptron": lambda z, _a: (z > 0).astype(np.float64),
    "linear": lambda z, _a: z.copy(),
    "sigmoid": lambda z, _a: sigmoid(z),
    "tanh": lambda z, _a: np.tanh(z),
    "relu": lambda z, _a: np.maximum(z, 0.0),
    "leaky_relu": lambda z, alpha: np.where(z >= 0, z, alpha * z),
    "elu": _elu,
    "piecewise": _piecewise,
    "softmax": lambda z, _a: softmax(z),
}

_PRIME = {
    "step": lambda z, a, _al: np.zeros_like(z),
    "perceptron": lambda z, a, _al: np.zeros_like(z),
    "linear": lambda z, a, _al: np.ones_like(z),
    "sigmoid": lambda z, a, _al: a * (1.0 - a),
    "tanh": lambda z, a, _al: 1.0 - a * a,
    "relu": lambda z, a, _al: (z > 0).astype(np.float64),
    "leaky_relu": lambda z, a, alpha: np.where(z > 0, 1.0, alpha),
    "elu": lambda z, a, alpha: np.where(z > 0, 1.0, a + alpha),
    "piecewise": lambda z, a, _al: ((z > -0.5) & (z < 0.5)).astype(np.float64),
    "softmax": lambda z, a, _al: a * (1.0 - a),
}

ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("step", "Step (threshold)", "f(z) = 1 if z ≥ 0 else 0", "f'(z) = 0 (z ≠ 0)"),
        Activation("perceptron", "Perceptron step", "f(z) = 1 if z > 0 else 0",
                   "f'(z) = 0 (z ≠ 0)"),
        Activation("linear", "Linear (identity)", "f(z) = z", "f'(z) = 1"),
        Activation("sigmoid", "Sigmoid (logistic)", "σ(z) = 1 / (1 + e^(−z))",
                   "σ'(z) = σ(z)(1 − σ(z))"),
        Activation("tanh", "Hyperbolic tangent", "tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z))",
                   "tanh'(z) = 1 − tanh²(z)"),
        Activation("relu", "ReLU", "f(z) = max(0, z)", "f'(z) = 1 if z > 0 else 0"),
        Activation("leaky_relu", "Leaky ReLU", "f(z) = max(αz, z)",
                   "f'(z) = 1 if z > 0 else α", alpha=0.01),
        Activation("elu", "ELU", "f(z) = z if z ≥ 0 else α(e^z − 1)",
                   "f'(z) = 1 if z > 0 else f(z) + α", alpha=1.0),
        Activation("piecewise", "Piecewise-linear sigmoid",
                   "f(z) = 1 if z ≥ 0.5; z + 0.5 if −0.5 ≤ z ≤ 0.5; 0 if z ≤ −0.5",
                   "f'(z) = 1 if −0.5 < z < 0.5 else 0"),
        Activation("softmax", "Softmax", "a_j = e^(z_j) / Σ_k e^(z_k)",
                   "∂a_j/∂z_k = a_j(δ_jk − a_k)", vector=True),
    )
}


def get_activation(name: str, alpha: float | None = None) -> Activation:
    """Look up an activation by name; raise ValueError naming the choices if unknown."""
    try:
        act = ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}"
        ) from None
    if alpha is not None:
        act = act.with_alpha(float(alpha))
    return act
