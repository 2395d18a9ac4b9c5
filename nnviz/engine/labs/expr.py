"""A safe parser for goal functions typed by users, e.g. ``0.2 + 0.4x^2 + 0.3x sin(15x)``.

Never uses Python's ``eval``/``exec``/``compile``: a tokenizer and a
recursive-descent parser build a small tree of nodes that NumPy evaluates.

Grammar (``^`` is right-associative and binds tighter than unary minus, so
``-x^2`` is ``-(x^2)``; a number or ``)`` followed directly by a name or ``(``
multiplies, so ``0.4x^2`` and ``2(x+1)`` work)::

    expr    := term (("+" | "-") term)*
    term    := unary (("*" | "/") unary | implicit)*
    unary   := ("-" | "+") unary | power
    power   := atom ("^" unary)?
    atom    := NUMBER | VARIABLE | CONSTANT | FUNC "(" expr ")" | "(" expr ")"

Numbers: ``12``, ``0.5``, ``.5``, ``1e-3``. Variables: ``x`` (and ``y`` when
asked for). Constants: ``pi``, ``e``. Functions: sin cos tan exp log sqrt abs.

API
---
``parse_expression(text, variables=("x",)) -> Expression``; ``Expression.text``;
``Expression.evaluate(x, y=None) -> ndarray`` (float64, same shape as x;
non-finite values where the maths is undefined, never a warning);
``Expression.finite(x, y=None) -> (values, all_finite)``;
``ExpressionError(ValueError)`` with ``.position`` (0-based character index or None).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray

MAX_LENGTH = 500
MAX_DEPTH = 40
MAX_NODES = 400

FUNCTIONS: dict[str, Callable[[Array], Array]] = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp,
    "log": np.log, "sqrt": np.sqrt, "abs": np.abs,
}
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}


class ExpressionError(ValueError):
    """The text is not a valid expression; ``position`` is where the problem is (or None)."""

    def __init__(self, message: str, position: int | None = None) -> None:
        where = f" (at character {position + 1})" if position is not None else ""
        super().__init__(message + where)
        self.position = position


@dataclass(frozen=True)
class _Tok:
    kind: str   # "num", "name", "op", "end"
    text: str
    pos: int
    value: float = 0.0


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t":
            i += 1
        elif c.isascii() and (c.isdigit() or (c == "." and i + 1 < n and text[i + 1].isdigit())):
            j = _number_end(text, i)
            literal = text[i:j]
            value = float(literal)
            if not math.isfinite(value):
                raise ExpressionError(f"the number {literal} is too large", i)
            toks.append(_Tok("num", literal, i, value))
            i = j
        elif c.isascii() and c.isalpha():
            j = i
            while j < n and text[j].isascii() and text[j].isalpha():
                j += 1
            toks.append(_Tok("name", text[i:j], i))
            i = j
        elif text.startswith("**", i):
            toks.append(_Tok("op", "^", i))
            i += 2
        elif c in "+-*/^()":
            toks.append(_Tok("op", c, i))
            i += 1
        else:
            raise ExpressionError(f"unexpected character {c!r}", i)
    toks.append(_Tok("end", "", n))
    return toks


def _digits_end(text: str, j: int) -> int:
    """The end of the run of ASCII digits starting at j."""
    while j < len(text) and text[j].isascii() and text[j].isdigit():
        j += 1
    return j


def _number_end(text: str, i: int) -> int:
    """The end of the number starting at i: digits, an optional fraction, and an exponent
    only if digits follow the e (so "2e" is the number 2 and the name e)."""
    n = len(text)
    j = _digits_end(text, i)
    if j < n and text[j] == ".":
        j = _digits_end(text, j + 1)
    if j < n and text[j] in "eE":
        k = j + 1
        if k < n and text[k] in "+-":
            k += 1
        if k < n and text[k].isascii() and text[k].isdigit():
            j = _digits_end(text, k)
    return j


# A node is a function (values: dict[str, Array]) -> Array.
Node = Callable[[dict], Array]


class _Parser:
    def __init__(self, text: str, variables: tuple[str, ...]) -> None:
        self.toks = _tokenize(text)
        self.i = 0
        self.depth = 0
        self.nodes = 0
        self.variables = variables

    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def _take(self) -> _Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def _count(self, pos: int) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ExpressionError(f"the expression is too long (more than {MAX_NODES} parts)", pos)

    def parse(self) -> Node:
        node = self.expr()
        if self.tok.kind != "end":
            raise ExpressionError(f"unexpected {self.tok.text!r}", self.tok.pos)
        return node

    def expr(self) -> Node:
        node = self.term()
        while self.tok.kind == "op" and self.tok.text in "+-":
            op = self._take()
            rhs = self.term()
            self._count(op.pos)
            node = _binary(op.text, node, rhs)
        return node

    def _starts_atom(self) -> bool:
        t = self.tok
        return t.kind in ("num", "name") or (t.kind == "op" and t.text == "(")

    def term(self) -> Node:
        node = self.unary()
        while True:
            t = self.tok
            if t.kind == "op" and t.text in "*/":
                self._take()
                rhs = self.unary()
            elif self._starts_atom():  # implicit multiplication: 0.4x, 2(x+1), x sin(x)
                rhs = self.power()
            else:
                return node
            self._count(t.pos)
            node = _binary("/" if t.text == "/" else "*", node, rhs)

    def unary(self) -> Node:
        t = self.tok
        if t.kind == "op" and t.text in "+-":
            self._take()
            self._enter(t.pos)
            inner = self.unary()
            self.depth -= 1
            self._count(t.pos)
            return inner if t.text == "+" else (lambda v, a=inner: -a(v))
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        if self.tok.kind == "op" and self.tok.text == "^":
            t = self._take()
            self._enter(t.pos)
            exponent = self.unary()
            self.depth -= 1
            self._count(t.pos)
            return _binary("^", base, exponent)
        return base

    def _enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"the expression is nested too deeply (more than {MAX_DEPTH})", pos)

    def atom(self) -> Node:
        t = self.tok
        self._count(t.pos)
        if t.kind == "num":
            self._take()
            return lambda v, c=t.value: np.full(np.shape(v["x"]), c)
        if t.kind == "name":
            self._take()
            name = t.text.lower() if t.text.lower() in FUNCTIONS else t.text
            if name in FUNCTIONS:
                if not (self.tok.kind == "op" and self.tok.text == "("):
                    raise ExpressionError(f"{name} needs parentheses, e.g. {name}(x)", self.tok.pos)
                arg = self._group()
                return lambda v, f=FUNCTIONS[name], a=arg: f(a(v))
            if name in self.variables:
                return lambda v, k=name: np.array(v[k], dtype=np.float64)
            if name in CONSTANTS:
                return lambda v, c=CONSTANTS[name]: np.full(np.shape(v["x"]), c)
            allowed = ", ".join(self.variables + tuple(CONSTANTS) + tuple(FUNCTIONS))
            raise ExpressionError(f"unknown name {t.text!r} (allowed: {allowed})", t.pos)
        if t.kind == "op" and t.text == "(":
            return self._group()
        if t.kind == "end":
            raise ExpressionError("the expression ends too early", t.pos)
        raise ExpressionError(f"unexpected {t.text!r}", t.pos)

    def _group(self) -> Node:
        open_tok = self._take()
        self._enter(open_tok.pos)
        node = self.expr()
        self.depth -= 1
        if not (self.tok.kind == "op" and self.tok.text == ")"):
            raise ExpressionError("a parenthesis '(' is not closed", open_tok.pos)
        self._take()
        return node


def _binary(op: str, a: Node, b: Node) -> Node:
    if op == "+":
        return lambda v: a(v) + b(v)
    if op == "-":
        return lambda v: a(v) - b(v)
    if op == "*":
        return lambda v: a(v) * b(v)
    if op == "/":
        return lambda v: a(v) / b(v)
    return lambda v: np.power(a(v), b(v))


@dataclass(frozen=True)
class Expression:
    """A parsed expression; call :meth:`evaluate` on arrays of x (and y)."""

    text: str
    variables: tuple[str, ...]
    _node: Node

    def evaluate(self, x: Array, y: Array | None = None) -> Array:
        """Values at ``x`` (any shape; ``y`` the same shape if the expression uses y).

        Returns float64 of x's shape; where the maths is undefined or overflows
        the value is NaN or +-inf (never a warning or an exception).
        """
        xs = np.asarray(x, dtype=np.float64)
        env = {"x": xs}
        if "y" in self.variables:
            env["y"] = np.broadcast_to(np.asarray(xs if y is None else y, dtype=np.float64),
                                       xs.shape)
        with np.errstate(all="ignore"):
            out = self._node(env)
        return np.broadcast_to(np.asarray(out, dtype=np.float64), xs.shape).copy()

    def finite(self, x: Array, y: Array | None = None) -> tuple[Array, bool]:
        """(values, True if all values are finite)."""
        v = self.evaluate(x, y)
        return v, bool(np.isfinite(v).all())


def parse_expression(text: str, variables: tuple[str, ...] = ("x",)) -> Expression:
    """Parse ``text`` into an :class:`Expression` or raise :class:`ExpressionError`.

    Parameters
    ----------
    text : str
        At most ``MAX_LENGTH`` characters, e.g. ``"0.2 + 0.4x^2 + 0.3x sin(15x)"``.
    variables : tuple of str
        The variable names allowed (``("x",)`` or ``("x", "y")``).
    """
    if not isinstance(text, str):
        raise ExpressionError("the expression must be text")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is too long (more than {MAX_LENGTH} characters)")
    stripped = text.strip()
    if not stripped:
        raise ExpressionError("the expression is empty; type a function of x, e.g. sin(2*pi*x)")
    try:
        node = _Parser(text, tuple(variables)).parse()
    except RecursionError:  # pragma: no cover - depth limits make this unreachable
        raise ExpressionError("the expression is nested too deeply") from None
    return Expression(stripped, tuple(variables), node)
