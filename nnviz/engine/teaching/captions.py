"""Captions that stay honest: numbers from the live network, and captions that follow
what a lab shows.

Templates. A caption's text or question may quote values by name in braces: ``{w5}``,
``{w5+}`` (the updated w5, also ``{w5⁺}``), ``{dE_total/dw5}``, ``{out_o1}``, ``{eta}``,
``{E_total}``... — every left-hand side of the worked example's equations, every
weight, bias, input and target by its name. ``{name:4}`` prints 4 decimals (0-9);
``{{`` and ``}}`` are literal braces. Nothing else is interpreted: no format specs, no
expressions, no attributes; the output is plain text of bounded length. A caption
whose names the live network no longer has is hidden.

When the live network is not the lesson's (an edit, a training step), the values the
lesson's notes print are added after the text, labelled as the notes' values.

Progress. A caption with ``"when"`` shows while a lab's progress matches:
``step_from`` / ``step_until`` (the surface lab's descent step, the training lab's epoch;
``until`` excluded), ``loss_below`` / ``loss_above`` (the loss now).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from nnviz.engine.core.naming import fmt
from nnviz.engine.files.validate import FormatError, as_int, as_number

MAX_PLACEHOLDERS = 24
MAX_OUTPUT = 4000
NAME = r"[A-Za-z_δ∂][A-Za-z0-9_/^⁺+δ∂]{0,39}"
_TOKEN = re.compile(r"\{\{|\}\}|\{(" + NAME + r")(?::([0-9]))?\}|[{}]")
WHEN_KEYS = {"step_from": "int", "step_until": "int", "loss_below": "num",
             "loss_above": "num"}
MAX_WEIGHT_NAMES = 5000   # larger networks offer the worked example's values only


@dataclass(frozen=True)
class Piece:
    """Literal text, or a placeholder (``name`` with ``digits`` or None)."""

    text: str = ""
    name: str | None = None
    digits: int | None = None


def parse_template(text: str, where: str = "text") -> tuple[Piece, ...]:
    """Split ``text`` into literal pieces and placeholders; FormatError on a stray brace
    or too many placeholders."""
    pieces: list[Piece] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            pieces.append(Piece(text[pos:m.start()]))
        tok = m.group(0)
        if tok in ("{{", "}}"):
            pieces.append(Piece(tok[0]))
        elif m.group(1) is None:
            raise FormatError(f"{where}: a lone {tok!r}; write {tok * 2} for a brace, or "
                              "{name} / {name:digits} for a value")
        else:
            pieces.append(Piece(name=m.group(1),
                                digits=None if m.group(2) is None else int(m.group(2))))
        pos = m.end()
    if pos < len(text):
        pieces.append(Piece(text[pos:]))
    if sum(p.name is not None for p in pieces) > MAX_PLACEHOLDERS:
        raise FormatError(f"{where}: more than {MAX_PLACEHOLDERS} placeholders")
    return tuple(pieces)


def placeholders(text: str) -> list[str]:
    """The names a (valid) template quotes."""
    return [p.name for p in parse_template(text) if p.name is not None]


def _number(v: float, digits: int | None) -> str:
    if digits is None or not np.isfinite(v):
        return fmt(v)
    return f"{float(v):.{int(digits)}f}"


def render(text: str, values: dict[str, float], notes: dict[str, float] | None = None
           ) -> str | None:
    """The template with live ``values``; None if a name is not known (the part it names
    no longer exists). Where ``notes`` print other numbers, they follow, labelled."""
    try:
        pieces = parse_template(text)
    except FormatError:
        return text
    out, differ = [], []
    for p in pieces:
        if p.name is None:
            out.append(p.text)
            continue
        key = canonical(p.name)
        if key not in values:
            return None
        live = _number(values[key], p.digits)
        out.append(live)
        if notes is not None and key in notes:
            noted = _number(notes[key], p.digits)
            if noted != live and (p.name, noted) not in differ:
                differ.append((p.name, noted))
    s = "".join(out)
    if differ:
        s += "  [the notes' values: " + ", ".join(f"{n} = {v}" for n, v in differ) + "]"
    return s[:MAX_OUTPUT]


def canonical(name: str) -> str:
    """``w5+`` and ``w5⁺`` are the same value, and ``dE_total/dw5`` and ``∂E_total/∂w5``."""
    return name.replace("+", "⁺").replace("∂", "d")


def trace_values(trace) -> dict[str, float]:
    """Every value a template may quote, from a worked-example trace. The updated values
    (``w5+``) only where the update is plain w − η·∂E/∂w: a lesson's caption that writes
    that rule out is hidden under another optimiser, L1/L2 or clipping."""
    vals: dict[str, float] = {}
    for s in trace.steps:
        if s.phase == "update" and not getattr(trace, "plain", True):
            continue
        vals.setdefault(canonical(s.equation.lhs), float(s.equation.value))
        for d in s.details:
            vals.setdefault(canonical(d.lhs), float(d.value))
        for name, v in s.factors:
            vals.setdefault(canonical(name), float(v))
    nm, net = trace.naming, trace.net_before
    vals["eta"] = float(trace.eta)
    sizes = net.sizes
    for j in range(sizes[0]):
        vals.setdefault(canonical(nm.label(0, j)), float(trace.x[j]))
    for j in range(sizes[-1]):
        vals.setdefault(canonical(nm.target(j)), float(trace.y[j]))
    if sum(w.size for w in net.weights) <= MAX_WEIGHT_NAMES:
        for l, w in enumerate(net.weights):
            for j in range(w.shape[0]):
                for k in range(w.shape[1]):
                    vals.setdefault(canonical(nm.weight(l, j, k)), float(w[j, k]))
                if net.use_bias[l]:
                    vals.setdefault(canonical(nm.bias(l, j)), float(net.biases[l][j]))
    return vals


def names_mentioned(text: str, names: list[str]) -> list[str]:
    """Which of ``names`` (neurons, weights...) the text mentions: not inside a longer
    number or name ("w5" in "dw5" and "w5..w8" counts; "w5" in "w50" does not)."""
    found = []
    for n in names:
        if n and re.search(r"(?<![0-9A-Za-z])[a-z]{0,2}" + re.escape(n) + r"(?![0-9])", text):
            found.append(n)
    return found


# ---------------------------------------------------------------- progress
def parse_when(c: dict[str, Any], where: str) -> dict[str, float] | None:
    """The caption's ``when`` conditions, validated, or None."""
    w = c.get("when")
    if w is None:
        return None
    if not isinstance(w, dict) or not w:
        raise FormatError(f"{where}.when: expected an object with one or more of "
                          f"{', '.join(WHEN_KEYS)}")
    out: dict[str, float] = {}
    for key, v in w.items():
        kind = WHEN_KEYS.get(key)
        if kind is None:
            raise FormatError(f"{where}.when.{str(key)[:40]}: not one of "
                              f"{', '.join(WHEN_KEYS)}")
        out[key] = (as_int(v, f"{where}.when.{key}", 0, 10**9) if kind == "int"
                    else as_number(v, f"{where}.when.{key}", 0.0, 1e12))
    return out


def progress_matches(when: dict[str, float], step: int, loss: float | None) -> bool:
    """Whether a lab at descent step / epoch ``step`` with ``loss`` shows the caption."""
    if step < when.get("step_from", 0) or ("step_until" in when and step >= when["step_until"]):
        return False
    if "loss_below" in when or "loss_above" in when:
        if loss is None or not np.isfinite(loss):
            return False
        if "loss_below" in when and not loss < when["loss_below"]:
            return False
        if "loss_above" in when and not loss > when["loss_above"]:
            return False
    return True
