"""Activation functions: each one an :class:`Activation` that carries everything about
itself (value, derivative, formulas and their worked-example text, output range, target
scheme, in-place kernels). Adding one is one definition in :data:`ACTIVATIONS`.

Every function is overflow-safe for any finite input: no NumPy warnings and
no NaN for large |z|.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from nnviz.engine.core.naming import fmt

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


Fn = Callable[[Array, float], Array]             # f(z, alpha)
Prime = Callable[[Array, Array, float], Array]   # f'(z, a, alpha)
Text = Callable[[str, str, str], str]            # (z as written, z bare, alpha) -> text


@dataclass(frozen=True)
class Activation:
    """An activation function f: everything nnviz knows about it, in one place.

    Attributes
    ----------
    name : str
        Key used in lessons and files (``"sigmoid"``).
    title : str
        Display name (``"Sigmoid (logistic)"``); ``short`` is the gallery's label and
        ``symbol`` the letter of f in matrix formulas (``"σ"``, else ``"f"``).
    formula, prime_formula : str
        Human-readable formulas of f and f' (the equation panel, the gallery).
    alpha : float
        Parameter of leaky ReLU and ELU (``has_alpha``; ignored by the others).
    vector : bool
        True for softmax: the output couples all neurons (output layer only).
    out_range : (lo, hi) or None
        The values f takes (None: unbounded); colour scales and plots use it.
    targets : str
        How two classes become targets for one output neuron: ``"01"`` or ``"pm1"``.
    saturates : bool
        True when f has flat ends where f' vanishes (the depth histograms count them).
    in_place : callable or None
        ``z = f(z)`` in place, bit-equal to :meth:`fn`; None: the fallback of
        :func:`apply_in_place` (``z[...] = fn(z)``).
    trainer_ops : (apply, prime_from_a) or None
        The fast trainer's in-place kernels (``apply(z)``, ``prime(a, out, ones)``, f'
        from the activation), equal to :meth:`fn` / :meth:`prime` to rounding; None:
        the fast trainer falls back to the reference engine (:mod:`nnviz.engine.learning.fast`).
        A ``vector`` activation's ``apply(z, buf)`` works on each column of z (k, n) with
        a (1, n) buffer, and its prime is None: the trainer uses it only as an output
        whose loss gives the combined delta (softmax + cross-entropy: a - y).
    """

    name: str
    title: str
    formula: str
    prime_formula: str
    f: Fn = field(repr=False, compare=False)
    f_prime: Prime = field(repr=False, compare=False)
    expr_text: Text = field(repr=False, compare=False)
    prime_text: Callable[[str, str, str], str] = field(repr=False, compare=False)
    alpha: float = 0.0
    vector: bool = False
    short: str = ""
    symbol: str = "f"
    out_range: tuple[float, float] | None = None
    targets: str = "pm1"
    saturates: bool = False
    has_alpha: bool = False
    in_place: Callable[[Array], None] | None = field(default=None, repr=False, compare=False)
    trainer_ops: tuple | None = field(default=None, repr=False, compare=False)

    def fn(self, z: Array) -> Array:
        """f(z), elementwise (softmax: over the last axis)."""
        return self.f(np.asarray(z, dtype=np.float64), self.alpha)

    def prime(self, z: Array, a: Array | None = None) -> Array:
        """f'(z) elementwise; for softmax the diagonal of the Jacobian, a_j (1 - a_j).

        ``a`` (= f(z)) may be passed to avoid recomputing it.
        """
        z = np.asarray(z, dtype=np.float64)
        if a is None:
            a = self.fn(z)
        return self.f_prime(z, a, self.alpha)

    def backprop(self, z: Array, a: Array, grad_a: Array) -> Array:
        """delta = dC/dz given dC/da; uses the full Jacobian for softmax."""
        if self.vector:
            # J = diag(a) - a a^T  ->  J^T g = a * (g - <a, g>)
            return a * (grad_a - np.sum(a * grad_a, axis=-1, keepdims=True))
        return grad_a * self.prime(z, a)

    def expr(self, z: str) -> str:
        """The worked example's text of f applied to ``z`` (a name or a number)."""
        # inside a function's own parentheses (or on its own) a number needs none of its own
        bare = z[1:-1] if z.startswith("(") and z.endswith(")") and "(" not in z[1:] else z
        return self.expr_text(z, bare, fmt(self.alpha))

    def prime_expr(self, z: str, a: str) -> str:
        """The worked example's text of f' at ``z`` with output ``a``."""
        return self.prime_text(z, a, fmt(self.alpha))

    @property
    def colour_range(self) -> tuple[float, float]:
        """The range a colour scale of this activation's outputs spans."""
        return self.out_range if self.out_range is not None else (-1.0, 1.0)

    def with_alpha(self, alpha: float) -> Activation:
        """Copy of this activation with another parameter alpha."""
        return replace(self, alpha=alpha)


def apply_in_place(act: Activation, z: Array) -> None:
    """z = f(z) in place: the activation's own kernel, else ``act.fn`` (softmax over the
    last axis, like :meth:`Activation.fn`)."""
    if act.in_place is not None:
        act.in_place(z)
    else:
        z[...] = act.fn(z)


def _piecewise(z: Array, _alpha: float) -> Array:
    return np.clip(z + 0.5, 0.0, 1.0)


def _elu(z: Array, alpha: float) -> Array:
    return np.where(z >= 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


#: elements per pass of :func:`_tanh_by_exp` (its temporaries stay in a core's cache)
TANH_CHUNK = 8192


def _tanh(z: Array) -> None:
    """np.tanh in place: the trainers' kernel (a batch's arrays are small, where one
    call costs less than the seven of :func:`_tanh_by_exp`)."""
    np.tanh(z, z)


def _tanh_by_exp(z: Array) -> None:
    """tanh in place for whole passes over data (scores, decision maps, loss grids:
    :func:`apply_in_place`). In float64 through NumPy's ``exp``, which has vector
    kernels on machines where its ``tanh`` has none (a 2-core AMD EPYC with AVX2: 37
    against 11 ns an element): tanh|z| = (1 − t) / (1 + t) with t = e^(−2|z|), then z's
    sign. Its error is at most one unit in the last place *of 1* (2.2e-16): absolute,
    as in the sigmoid's 0.5 tanh(z/2) + 0.5, not relative to a tiny tanh
    (tests/engine/test_tanh.py). Every element is computed alike whatever the array's
    size or layout, so a score is the same bits however its passes are cut (the
    training worker's and the window's). float32 (the surface's pictures) keeps
    ``np.tanh``, which is as fast there as these seven steps."""
    if z.dtype != np.float64:
        np.tanh(z, z)
        return
    if not z.flags.c_contiguous:
        c = np.ascontiguousarray(z)
        _tanh_by_exp(c)
        z[...] = c
        return
    flat = z.reshape(-1)
    t = np.empty(min(TANH_CHUNK, flat.size))
    u = np.empty_like(t)
    with np.errstate(under="ignore", over="ignore"):   # (-2|z| of 1e308 is -inf: t = 0)
        for s in range(0, flat.size, TANH_CHUNK):
            c = flat[s:s + TANH_CHUNK]
            tc, uc = t[:len(c)], u[:len(c)]
            np.abs(c, tc)
            np.multiply(tc, -2.0, tc)
            np.exp(tc, tc)                # t = e^(-2|z|) in (0, 1]: no overflow
            np.subtract(1.0, tc, uc)
            np.add(tc, 1.0, tc)
            np.divide(uc, tc, uc)         # tanh|z|; nan stays nan, ±inf gives 1
            np.copysign(uc, c, c)         # z's sign (−0.0 stays −0.0)


def _sigmoid_fast(z: Array) -> None:
    """Sigmoid as 0.5 tanh(z/2) + 0.5 in place: overflow-free, equal to rounding."""
    np.multiply(z, 0.5, z)
    np.tanh(z, z)
    np.multiply(z, 0.5, z)
    np.add(z, 0.5, z)


def _relu(z: Array) -> None:
    np.maximum(z, 0.0, out=z)


def identity_in_place(_z: Array) -> None:
    """The identity's kernel: nothing to do (callers may skip it)."""


def _softmax_columns(z: Array, buf: Array) -> None:
    """Softmax over each column (axis 0) in place, for the fast trainer's feature-major
    arrays (k, n): the steps of :func:`softmax`; ``buf`` (1, n) holds the maxima and sums."""
    np.clip(z, -1e150, 1e150, z)
    # (the ufuncs' own reductions: np.max and np.sum are Python wrappers around them, 2 µs
    # a call on a 10 x 32 batch, as long as the reduction itself)
    np.maximum.reduce(z, axis=0, keepdims=True, out=buf)
    np.subtract(z, buf, z)
    np.exp(z, z)
    np.add.reduce(z, axis=0, keepdims=True, out=buf)
    np.divide(z, buf, z)


def _tanh_prime(a: Array, d: Array, one: Array) -> None:
    np.multiply(a, a, d)
    np.subtract(one, d, d)


def _sigmoid_prime(a: Array, d: Array, _one: Array) -> None:
    np.multiply(a, a, d)
    np.subtract(a, d, d)


def _relu_prime(a: Array, d: Array, _one: Array) -> None:
    np.greater(a, 0.0, d)


def _linear_prime(_a: Array, d: Array, _one: Array) -> None:
    d[...] = 1.0


_UNIT = (0.0, 1.0)
ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("step", "Step (threshold)", "f(z) = 1 if z ≥ 0 else 0", "f′(z) = 0 (z ≠ 0)",
                   lambda z, _a: (z >= 0).astype(np.float64),
                   lambda z, a, _al: np.zeros_like(z),
                   lambda z, b, _al: f"(1 if {b} >= 0 else 0)", lambda z, a, _al: "0",
                   short="Step (≥ 0)", out_range=_UNIT, targets="01"),
        Activation("perceptron", "Perceptron step", "f(z) = 1 if z > 0 else 0",
                   "f′(z) = 0 (z ≠ 0)",
                   lambda z, _a: (z > 0).astype(np.float64),
                   lambda z, a, _al: np.zeros_like(z),
                   lambda z, b, _al: f"(1 if {b} > 0 else 0)", lambda z, a, _al: "0",
                   short="Perceptron (> 0)", out_range=_UNIT, targets="01"),
        Activation("sigmoid", "Sigmoid (logistic)", "σ(z) = 1 / (1 + e^(−z))",
                   "σ′(z) = σ(z)(1 − σ(z))",
                   lambda z, _a: sigmoid(z), lambda z, a, _al: a * (1.0 - a),
                   lambda z, b, _al: f"1/(1+e^(-{z}))", lambda z, a, _al: f"{a}*(1 - {a})",
                   short="Sigmoid", symbol="σ", out_range=_UNIT, targets="01", saturates=True,
                   trainer_ops=(_sigmoid_fast, _sigmoid_prime)),
        Activation("tanh", "Hyperbolic tangent", "tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z))",
                   "tanh′(z) = 1 − tanh²(z)",
                   lambda z, _a: np.tanh(z), lambda z, a, _al: 1.0 - a * a,
                   lambda z, b, _al: f"tanh({b})", lambda z, a, _al: f"1 - {a}^2",
                   short="tanh", out_range=(-1.0, 1.0), saturates=True, in_place=_tanh_by_exp,
                   trainer_ops=(_tanh, _tanh_prime)),
        Activation("relu", "ReLU", "f(z) = max(0, z)", "f′(z) = 1 if z > 0 else 0",
                   lambda z, _a: np.maximum(z, 0.0),
                   lambda z, a, _al: (z > 0).astype(np.float64),
                   lambda z, b, _al: f"max(0, {b})", lambda z, a, _al: f"(1 if {z} > 0 else 0)",
                   short="ReLU", in_place=_relu, trainer_ops=(_relu, _relu_prime)),
        Activation("leaky_relu", "Leaky ReLU", "f(z) = max(αz, z)",
                   "f′(z) = 1 if z > 0 else α",
                   lambda z, alpha: np.where(z >= 0, z, alpha * z),
                   lambda z, a, alpha: np.where(z > 0, 1.0, alpha),
                   lambda z, b, al: f"max({al}*{z}, {b})",
                   lambda z, a, al: f"(1 if {z} > 0 else {al})",
                   alpha=0.01, short="Leaky ReLU", has_alpha=True),
        Activation("elu", "ELU", "f(z) = z if z ≥ 0 else α(e^z − 1)",
                   "f′(z) = 1 if z > 0 else f(z) + α",
                   _elu, lambda z, a, alpha: np.where(z > 0, 1.0, a + alpha),
                   lambda z, b, al: f"({b} if {b} >= 0 else {al}*(e^{z} - 1))",
                   lambda z, a, al: f"(1 if {z} > 0 else {a} + {al})",
                   alpha=1.0, short="ELU", has_alpha=True),
        Activation("piecewise", "Piecewise-linear sigmoid",
                   "f(z) = 1 if z ≥ 0.5; z + 0.5 if −0.5 ≤ z ≤ 0.5; 0 if z ≤ −0.5",
                   "f′(z) = 1 if −0.5 < z < 0.5 else 0",
                   _piecewise,
                   lambda z, a, _al: ((z > -0.5) & (z < 0.5)).astype(np.float64),
                   lambda z, b, _al: f"min(1, max(0, {b} + 0.5))",
                   lambda z, a, _al: f"(1 if -0.5 < {z} < 0.5 else 0)",
                   short="Piecewise-linear", out_range=_UNIT, targets="01"),
        Activation("linear", "Linear (identity)", "f(z) = z", "f′(z) = 1",
                   lambda z, _a: z.copy(), lambda z, a, _al: np.ones_like(z),
                   lambda z, b, _al: b, lambda z, a, _al: "1",
                   short="Linear", in_place=identity_in_place,
                   trainer_ops=(identity_in_place, _linear_prime)),
        Activation("softmax", "Softmax", "a_j = e^(z_j) / Σ_k e^(z_k)",
                   "∂a_j/∂z_k = a_j(δ_jk − a_k)",
                   lambda z, _a: softmax(z), lambda z, a, _al: a * (1.0 - a),
                   lambda z, b, _al: f"e^({b}) / (Σ_k e^(z_k))",
                   lambda z, a, _al: f"{a}*(1 - {a})",
                   vector=True, short="Softmax", out_range=_UNIT, targets="01",
                   trainer_ops=(_softmax_columns, None)),
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
