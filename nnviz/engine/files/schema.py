"""A small declarative schema for nnviz's files: every key of a lesson or workspace is
declared once (type, bounds, meaning), checked before anything is built, and the
format documentation is generated from the same declarations.

A check walks the decoded JSON once, never allocates more than the value it looks at
and raises :class:`FormatError` naming the key (``settings.losses[1]: expected text,
got list``). The nodes:

``Str`` (plain text, length-capped, optional choices), ``Num`` and ``Int`` (finite,
bounded), ``Bool``, ``List`` (length-bounded, item node), ``Grid`` (nested lists of
bounded numbers with a cap on the total count), ``Expr`` (a goal expression in the
given variables), ``Template`` (text whose only placeholders are ``{n}`` and ``{j}``),
``OneOf``, ``Opt`` (the node or null) and ``Obj`` (declared keys; unknown keys are
refused unless the object is ``open``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from nnviz.engine.files.validate import FormatError, leaf_rows, numbers_of


class Node:
    """A value's declaration: ``check`` refuses a bad value, ``kind`` describes it."""

    def check(self, v: Any, where: str) -> None:
        raise NotImplementedError

    def kind(self) -> str:
        raise NotImplementedError


def _type_error(where: str, want: str, v: Any) -> FormatError:
    return FormatError(f"{where}: expected {want}, got {_name(v)}")


def _name(v: Any) -> str:
    if v is None:
        return "null"
    return {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list",
            dict: "an object"}.get(type(v), type(v).__name__)


@dataclass
class Str(Node):
    max_len: int = 200
    choices: tuple[str, ...] = ()

    def check(self, v: Any, where: str) -> None:
        if not isinstance(v, str):
            raise _type_error(where, "text", v)
        if len(v) > self.max_len:
            raise FormatError(f"{where}: text longer than {self.max_len} characters")
        if self.choices and v not in self.choices:
            raise FormatError(f"{where}: {v[:40]!r} is not one of {', '.join(self.choices)}")

    def kind(self) -> str:
        if self.choices:
            return "one of " + ", ".join(f"`{c}`" for c in self.choices)
        return f"text (≤ {self.max_len:,} characters)"


def Enum(*choices: str) -> Str:  # noqa: N802 - reads as a type in declarations
    """Text that must be one of ``choices``."""
    return Str(max(len(c) for c in choices), tuple(choices))


@dataclass
class Num(Node):
    lo: float = -1e12
    hi: float = 1e12

    def check(self, v: Any, where: str) -> None:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise _type_error(where, "a number", v)
        if isinstance(v, int) and not -(10**30) < v < 10**30:
            raise FormatError(f"{where}: the number is too large (outside "
                              f"[{self.lo:g}, {self.hi:g}])")
        f = float(v)
        if not math.isfinite(f):
            raise FormatError(f"{where}: the number must be finite")
        if not self.lo <= f <= self.hi:
            raise FormatError(f"{where}: {f:g} is outside [{self.lo:g}, {self.hi:g}]")

    def kind(self) -> str:
        return f"number in [{self.lo:g}, {self.hi:g}]"


@dataclass
class Int(Node):
    lo: int = 0
    hi: int = 2**31

    def check(self, v: Any, where: str) -> None:
        if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
            v = int(v)
        if isinstance(v, bool) or not isinstance(v, int):
            raise _type_error(where, "a whole number", v)
        if not self.lo <= v <= self.hi:
            text = str(v) if abs(v) < 10**30 else f"a number of {len(str(abs(v)))} digits"
            raise FormatError(f"{where}: {text} is outside [{self.lo}, {self.hi}]")

    def kind(self) -> str:
        return f"whole number in [{self.lo:,}, {self.hi:,}]"


@dataclass
class Bool(Node):
    def check(self, v: Any, where: str) -> None:
        if not isinstance(v, bool):
            raise _type_error(where, "true or false", v)

    def kind(self) -> str:
        return "true or false"


@dataclass
class List(Node):
    item: Node
    max_len: int = 1000
    min_len: int = 0

    def check(self, v: Any, where: str) -> None:
        if not isinstance(v, list):
            raise _type_error(where, "a list", v)
        if not self.min_len <= len(v) <= self.max_len:
            raise FormatError(f"{where}: expected {self.min_len} to {self.max_len} entries, "
                              f"got {len(v)}")
        for i, e in enumerate(v):
            self.item.check(e, f"{where}[{i}]")

    def kind(self) -> str:
        n = (f"{self.min_len}" if self.min_len == self.max_len
             else f"{self.min_len}–{self.max_len:,}")
        return f"list of {n} × ({self.item.kind()})"


@dataclass
class Grid(Node):
    """Nested lists (``depth`` levels) of numbers in [lo, hi], at most ``max_total`` in all."""

    depth: int = 2
    max_total: int = 4_000_000
    lo: float = -1e12
    hi: float = 1e12

    def check(self, v: Any, where: str) -> None:
        rows = leaf_rows(v, self.depth)
        if rows is not None and sum(map(len, rows)) <= self.max_total:
            flat = numbers_of(rows)  # all plain numbers: one vector check
            if flat is not None and bool(((flat >= self.lo) & (flat <= self.hi)).all()):
                return
        count = [0]  # else element by element, to name the fault
        num = Num(self.lo, self.hi)

        def walk(x: Any, d: int, path: str) -> None:
            if d == self.depth:
                count[0] += 1
                if count[0] > self.max_total:
                    raise FormatError(f"{where}: more than {self.max_total:,} numbers")
                num.check(x, path)
                return
            if not isinstance(x, list):
                raise _type_error(path, "a list", x)
            for i, e in enumerate(x):
                walk(e, d + 1, f"{path}[{i}]")

        walk(v, 0, where)

    def kind(self) -> str:
        return (f"{'nested ' if self.depth > 1 else ''}list{'s' if self.depth > 1 else ''} of "
                f"numbers in [{self.lo:g}, {self.hi:g}] (≤ {self.max_total:,} numbers)")


@dataclass
class Expr(Node):
    """A goal expression (see ``nnviz.engine.labs.expr``) in ``variables``."""

    variables: tuple[str, ...] = ("x",)

    def check(self, v: Any, where: str) -> None:
        from nnviz.engine.labs.expr import MAX_LENGTH, ExpressionError, parse_expression

        Str(MAX_LENGTH).check(v, where)
        try:
            parse_expression(v, self.variables)
        except ExpressionError as e:
            raise FormatError(f"{where}: {e}") from None

    def kind(self) -> str:
        return f"expression in {', '.join(self.variables)} (e.g. `sin(2 pi x)`)"


_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{[^{}]*\}|[{}]")


@dataclass
class Template(Node):
    """Text where ``{n}`` (the neuron's name) and ``{j}`` (its number) are the only
    placeholders; ``{{`` and ``}}`` are literal braces. No format specs, so formatting
    never allocates more than the names it inserts."""

    max_len: int = 40
    placeholders: tuple[str, ...] = ("n", "j")

    def check(self, v: Any, where: str) -> None:
        Str(self.max_len).check(v, where)
        for m in _PLACEHOLDER.finditer(v):
            tok = m.group(0)
            if tok in ("{{", "}}"):
                continue
            if tok[1:-1] not in self.placeholders:
                allowed = " and ".join(f"{{{p}}}" for p in self.placeholders)
                raise FormatError(f"{where}: {tok[:20]!r} is not a placeholder; use only "
                                  f"{allowed} (and {{{{ }}}} for braces)")

    def kind(self) -> str:
        return f"text (≤ {self.max_len}) with placeholders `{{n}}`, `{{j}}` only"


@dataclass
class OneOf(Node):
    options: tuple[Node, ...]

    def check(self, v: Any, where: str) -> None:
        errors = []
        for o in self.options:
            try:
                o.check(v, where)
                return
            except FormatError as e:
                errors.append(str(e))
        raise FormatError(min(errors, key=len) if len(errors) == 1
                          else f"{where}: expected {self.kind()}")

    def kind(self) -> str:
        return " or ".join(o.kind() for o in self.options)


@dataclass
class Opt(Node):
    """The node, or null."""

    node: Node

    def check(self, v: Any, where: str) -> None:
        if v is not None:
            self.node.check(v, where)

    def kind(self) -> str:
        return f"{self.node.kind()}, or null"


@dataclass
class Checked(Node):
    """A value checked by an existing validator of the engine (``check(value)`` raises
    FormatError, whose message is put after the key); ``text`` describes it."""

    check_fn: Any = None
    text: str = "checked as described below"

    def check(self, v: Any, where: str) -> None:
        try:
            self.check_fn(v)
        except FormatError as e:
            raise FormatError(f"{where}: {e}") from None
        except (ValueError, TypeError, KeyError) as e:
            raise FormatError(f"{where}: {str(e)[:200]}") from None

    def kind(self) -> str:
        return self.text


@dataclass
class Field:
    node: Node
    doc: str = ""
    required: bool = False


@dataclass
class Obj(Node):
    fields: dict[str, Field] = field(default_factory=dict)
    open: bool = False   # unknown keys allowed (their values are not looked at)
    doc: str = ""

    def check(self, v: Any, where: str) -> None:
        if not isinstance(v, dict):
            raise _type_error(where, "an object", v)
        for key, f in self.fields.items():
            if key in v:
                f.node.check(v[key], _join(where, key))
            elif f.required:
                raise FormatError(f"{where or 'the file'}: missing key '{key}'")
        if not self.open:
            for key in v:
                if key not in self.fields:
                    raise FormatError(f"{_join(where, str(key)[:40])}: unknown key (known: "
                                      f"{', '.join(self.fields)})"[:300])

    def kind(self) -> str:
        return "object"


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


# ------------------------------------------------------------------ documentation
def rows(node: Obj, prefix: str = "") -> list[tuple[str, str, bool, str]]:
    """(key, kind, required, meaning) of every declared key, nested objects flattened;
    a list of objects shows its item's keys as ``key[i].sub``."""
    out = []
    for key, f in node.fields.items():
        name = _join(prefix, key)
        inner = f.node.node if isinstance(f.node, Opt) else f.node
        if isinstance(inner, Obj) and inner.fields:
            out.append((name, "object" + (", or null" if inner is not f.node else ""),
                        f.required, f.doc))
            out.extend(rows(inner, name))
        elif isinstance(inner, List) and isinstance(inner.item, Obj) and inner.item.fields:
            n = (f"{inner.min_len}–{inner.max_len:,}" if inner.min_len != inner.max_len
                 else str(inner.min_len))
            out.append((name, f"list of {n} objects", f.required, f.doc))
            out.extend(rows(inner.item, f"{name}[i]"))
        else:
            out.append((name, f.node.kind(), f.required, f.doc))
    return out


def markdown_table(node: Obj, prefix: str = "") -> str:
    """The Markdown table of :func:`rows` (generated into the format documents)."""
    lines = ["| key | required | type and bounds | meaning |", "|---|---|---|---|"]
    for key, kind, req, doc in rows(node, prefix):
        cell = kind.replace("|", "\\|")
        lines.append(f"| `{key}` | {'yes' if req else 'no'} | {cell} | {doc.replace('|', '/')} |")
    return "\n".join(lines) + "\n"
