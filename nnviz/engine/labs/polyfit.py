"""Polynomial least squares and its L2-regularised (ridge) form, in float64.

The notes' "why does regularisation help" example (002): ten points near y = 2x, a
9th-order polynomial y = a_0 x^9 + ... + a_9 through them against the line. With the
notes' L2 cost, C = 1/(2n) Σ (y − ŷ)² + λ/(2n) Σ_j a_j², the minimiser solves

    (Φᵀ Φ + λ P) a = Φᵀ y,

Φ the n × (d + 1) matrix of powers 1, x, ..., x^d and P the identity with a 0 for the
constant (the bias is not regularised, as in the notes). It is computed here by
centring (which takes the constant out of the penalty) and an SVD: a = V diag(s / (s² + λ)) Uᵀ y.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray
MAX_DEGREE = 15

#: the known curves the noisy points are drawn from: name -> (f, label, x range)
CURVES: dict[str, tuple[Callable[[Array], Array], str, tuple[float, float]]] = {
    "sine": (lambda x: np.sin(np.pi * x), "sin(πx)", (-1.0, 1.0)),
    "line": (lambda x: 2.0 * x, "2x", (-1.0, 1.0)),
}


def poly_features(x: Array, degree: int) -> Array:
    """Φ: the powers x^0 ... x^degree as columns, shape (n, degree + 1)."""
    if not 0 <= degree <= MAX_DEGREE:
        raise ValueError(f"degree must be 0..{MAX_DEGREE}")
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    return x[:, None] ** np.arange(degree + 1)


def ridge_fit(x: Array, y: Array, degree: int, lam: float = 0.0) -> Array:
    """Coefficients a_0 (constant) ... a_degree minimising Σ(y − Φa)² + λ Σ_{j≥1} a_j².

    λ = 0 is ordinary least squares (the minimum-norm solution when there are fewer
    points than coefficients)."""
    if lam < 0 or not np.isfinite(lam):
        raise ValueError("λ must be a finite number >= 0")
    phi = poly_features(x, degree)
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    if len(y) != len(phi) or len(y) == 0:
        raise ValueError("x and y need the same, non-zero length")
    if degree == 0:
        return np.array([y.mean()])
    mean_phi = phi[:, 1:].mean(axis=0)
    a_c = phi[:, 1:] - mean_phi
    y_c = y - y.mean()
    u, s, vt = np.linalg.svd(a_c, full_matrices=False)
    if lam > 0:
        d = s / (s * s + lam)
    else:
        tol = s.max(initial=0.0) * max(a_c.shape) * np.finfo(float).eps
        d = np.divide(1.0, s, out=np.zeros_like(s), where=s > tol)
    coef = vt.T @ (d * (u.T @ y_c))
    return np.concatenate([[y.mean() - mean_phi @ coef], coef])


def poly_eval(coef: Array, x: Array) -> Array:
    """Σ_j a_j x^j at every x."""
    return poly_features(x, len(coef) - 1) @ np.asarray(coef, dtype=np.float64)


def sample(curve: str, n: int, noise: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """n points with x uniform in the curve's range and y = f(x) + N(0, noise²)."""
    f, _label, (lo, hi) = CURVES[curve]
    x = rng.uniform(lo, hi, n)
    return x, f(x) + noise * rng.standard_normal(n)


def notes_line_points(seed: int = 0, n: int = 10, noise: float = 0.15) -> tuple[Array, Array]:
    """The notes' data for 'why regularisation helps': ten points near y = 2x, x evenly
    spread over [−1, 1], with a little noise (seeded)."""
    rng = np.random.default_rng(seed)
    x = np.linspace(-1.0, 1.0, n)
    return x, 2.0 * x + noise * rng.standard_normal(n)


@dataclass(frozen=True)
class RegFit:
    """The 'why regularisation helps' picture at one λ."""

    coef: Array          # the degree-d fit at λ
    coef0: Array         # the same polynomial without regularisation
    line: Array          # the least-squares line (a_0, a_1)
    train_mse: float     # of the λ fit on the ten points
    size: float          # Σ_{j≥1} a_j² of the λ fit (what L2 penalises)
    far: float           # the λ fit at x = far_x (extrapolation) ...
    far_line: float      # ... and the line there


def regularised_polynomial(x: Array, y: Array, degree: int, lam: float,
                           far_x: float = 1.5) -> RegFit:
    """A degree-d polynomial at λ against the unregularised one and the line."""
    coef = ridge_fit(x, y, degree, lam)
    coef0 = ridge_fit(x, y, degree, 0.0)
    line = ridge_fit(x, y, 1, 0.0)
    resid = poly_eval(coef, x) - np.asarray(y, dtype=np.float64)
    return RegFit(coef, coef0, line, float(np.mean(resid ** 2)), float(np.sum(coef[1:] ** 2)),
                  float(poly_eval(coef, np.array([far_x]))[0]),
                  float(poly_eval(line, np.array([far_x]))[0]))
