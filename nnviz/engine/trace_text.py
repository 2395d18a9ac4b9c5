"""The text of the trace's formulas: activation and loss expressions, sums of terms
(abbreviated when long, a negative term subtracted) and numbers as later factors."""

from __future__ import annotations

from nnviz.engine.losses import Loss
from nnviz.engine.naming import fmt

MAX_TERMS = 8  # longer sums are shown abbreviated


def _act_expr(name: str, z: str, alpha: float) -> str:
    # inside a function's own parentheses (or on its own) a number needs none of its own
    b = z[1:-1] if z.startswith("(") and z.endswith(")") and "(" not in z[1:] else z
    return {
        "sigmoid": f"1/(1+e^(-{z}))",
        "tanh": f"tanh({b})",
        "relu": f"max(0, {b})",
        "leaky_relu": f"max({fmt(alpha)}*{z}, {b})",
        "elu": f"({b} if {b} >= 0 else {fmt(alpha)}*(e^{z} - 1))",
        "linear": b,
        "step": f"(1 if {b} >= 0 else 0)",
        "perceptron": f"(1 if {b} > 0 else 0)",
        "piecewise": f"min(1, max(0, {b} + 0.5))",
        "softmax": f"e^({b}) / (Σ_k e^(z_k))",
    }[name]


def _act_prime_expr(name: str, z: str, a: str, alpha: float) -> str:
    return {
        "sigmoid": f"{a}*(1 - {a})",
        "softmax": f"{a}*(1 - {a})",
        "tanh": f"1 - {a}^2",
        "relu": f"(1 if {z} > 0 else 0)",
        "leaky_relu": f"(1 if {z} > 0 else {fmt(alpha)})",
        "elu": f"(1 if {z} > 0 else {a} + {fmt(alpha)})",
        "linear": "1",
        "step": "0",
        "perceptron": "0",
        "piecewise": f"(1 if -0.5 < {z} < 0.5 else 0)",
    }[name]


def _dloss_expr(kind: str, t: str, a: str) -> str:
    return {
        "quadratic": f"-({t} - {a})",
        "bce": f"-({t}/{a} - (1 - {t})/(1 - {a}))",
        "ce": f"-{t}/{a}",
    }[kind]


def _loss_expr(kind: str, t: str, a: str) -> str:
    return {
        "quadratic": f"1/2*({t} - {a})^2",
        "bce": f"-({t}*ln({a}) + (1 - {t})*ln(1 - {a}))",
        "ce": f"-{t}*ln({a})",
    }[kind]


def _loss_kind(loss: Loss) -> str:
    from nnviz.engine.losses import _KIND

    return _KIND[loss.name]


def _sum(terms: list[str]) -> str:
    if len(terms) > MAX_TERMS:
        terms = terms[:3] + [f"… ({len(terms)} terms)"] + terms[-1:]
    return _join(terms) if terms else "0"


def _join(terms: list[str]) -> str:
    """Terms added up, a negative one subtracted: ``a + b - 0.17*(-0.35)`` (not ``+ -0.17``)."""
    out = terms[0]
    for t in terms[1:]:
        out += f" - {t[1:]}" if t.startswith("-") else f" + {t}"
    return out


def _sum_n(term, n: int) -> str:
    """Like ``_sum([term(i) for i in range(n)])`` but formats only the terms shown."""
    if n > MAX_TERMS:
        return _join([term(0), term(1), term(2), f"… ({n} terms)", term(n - 1)])
    return _sum([term(i) for i in range(n)])


def _paren(x: float) -> str:
    """A number as a later factor or subtrahend: negative ones in parentheses."""
    s = fmt(x)
    return f"({s})" if s.startswith("-") else s
