"""The text of the trace's formulas (the activations' and losses' own texts come from
their objects): sums of terms
(abbreviated when long, a negative term subtracted) and numbers as later factors."""

from __future__ import annotations

from nnviz.engine.core.naming import fmt

MAX_TERMS = 8  # longer sums are shown abbreviated


def _sum(terms: list[str]) -> str:
    if len(terms) > MAX_TERMS:
        terms = terms[:3] + [f"… ({len(terms)} terms in all)"] + terms[-1:]
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
        return _join([term(0), term(1), term(2), f"… ({n} terms in all)", term(n - 1)])
    return _sum([term(i) for i in range(n)])


def _paren(x: float) -> str:
    """A number as a later factor or subtrahend: negative ones in parentheses."""
    s = fmt(x)
    return f"({s})" if s.startswith("-") else s
