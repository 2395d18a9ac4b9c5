"""An equation laid out in lines for a panel of a given width.

Lines break only at "=" and between terms (before "+" or "−", or between the factors
of a product or the two sides of a spaced quotient " / "), never inside a number, a name
or a subscript: every piece is set in one unbreakable cell. A stage that fits the width
stays on one line; one that does not is set one term a line under its "=", and a term
still too wide one factor a line.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from nnviz.engine.stepping.trace import Equation
from nnviz.views.items.math_text import math_html

#: measure(plain text, point size) -> its width in pixels
Measure = Callable[[str, float], float]

_SUMS = (" + ", " - ", " − ")
_PRODUCTS = (" * ", "*", " / ")   # " / ": a quotient written with spaces may break there
_SHOWN_OP = {"+": "+", "-": "−", "−": "−", "*": "·", "/": "/"}


#: '/' or '-' inside a word, or an opening '|' (a line may break after '|': "(largest |"
#: | "∂C/∂w| 0.0381" at 1280x720 in F5)
_JOIN = re.compile(r"(?<=\S)[/-](?=\S)|(?<![^\s(])\|(?=\S)")


def joined(text: str) -> str:
    """``text`` with a word joiner after each '/' or '-' inside a word and after an
    opening '|', so a wrapped line never ends inside a name such as dE_total/dout_h1,
    e^(-net_h1) or |∂C/∂w|."""
    return _JOIN.sub("\\g<0>\u2060", text)


def split_top(text: str, seps: tuple[str, ...]) -> list[tuple[str, str]]:
    """(operator, term) pairs of ``text`` split at ``seps`` outside parentheses; the first
    operator is ""."""
    out, depth, start, op, i = [], 0, 0, "", 0
    while i < len(text):
        ch = text[i]
        depth += ch == "("
        depth -= ch == ")"
        sep = next((s for s in seps if depth == 0 and text.startswith(s, i)), None) \
            if i > 0 else None
        if sep is None:
            i += 1
            continue
        out.append((op, text[start:i]))
        op, start, i = sep.strip(), i + len(sep), i + len(sep)
    out.append((op, text[start:]))
    return [(o, t) for o, t in out if t]


def plain(text: str) -> str:
    """What the reader sees of ``text`` (for measuring): '·' for '*', no ^ or _ marks."""
    return text.replace(" * ", " · ").replace("*", "·").replace("^", "").replace("_", "")


def stage_lines(stage: str, room: float, pt: float, measure: Measure) -> list[tuple[str, str]]:
    """``stage`` as (operator, text) lines that each fit ``room`` pixels if they can."""
    if measure(plain(stage), pt) <= room:
        return [("", stage)]
    lines: list[tuple[str, str]] = []
    terms = split_top(stage, _SUMS)
    if len(terms) == 1:   # a single product: one factor a line
        return split_top(stage, _PRODUCTS)
    for op, term in terms:
        if measure(plain(f"{op} {term}"), pt) <= room:
            lines.append((op, term))
            continue
        factors = split_top(term, _PRODUCTS)
        lines.append((op, factors[0][1]))
        lines += factors[1:]
    return lines


def equation_rows(eq: Equation, width: float, pt: float, measure: Measure,
                  lhs_share: float = 0.45) -> list[tuple[str, str, str]]:
    """(left, operator, right) rows: the lhs, then each stage after its "=", broken into
    terms where the stage is wider than the room beside the lhs column. An lhs wider than
    ``lhs_share`` of the width gets a line of its own (0: always)."""
    parts = eq.text().split(" = ")
    lhs, stages = parts[0], parts[1:] or [""]
    lhs_w = measure(plain(lhs), pt)
    op_w = measure(" = ", pt)
    rows: list[tuple[str, str, str]] = []
    if lhs_w > lhs_share * width:    # a long lhs gets its own line; the stages go under it
        rows.append((lhs, "", ""))
        lhs, lhs_w = "", measure("  ", pt)
    room = max(1.0, width - lhs_w - 2 * op_w - 16)
    for i, stage in enumerate(stages):
        for j, (op, text) in enumerate(stage_lines(stage, room, pt, measure)):
            left = lhs if i == 0 and j == 0 else ""
            rows.append((left, "=" if j == 0 else _SHOWN_OP.get(op, op), text))
    return rows


def equation_block(rows: list[tuple[str, str, str]], style: str, spacing: int,
                   result_colour: str | None = None) -> str:
    """The rows as HTML: a long left-hand side on a line of its own, then a table of
    unbreakable cells (the last right-hand text, the result, bold in ``result_colour``)."""
    head = ""
    if rows and not rows[0][1] and not rows[0][2]:
        head = f'<p style="{style}; white-space:nowrap; margin:0">{math_html(rows[0][0])}</p>'
        rows = rows[1:]
    cells = []
    last = max((i for i, r in enumerate(rows) if r[2]), default=-1)
    pad = "" if spacing else "&#160;"   # rows set close: the operator keeps its gaps
    for i, (left, op, right) in enumerate(rows):
        # a right-hand text with spaces (a sum in parentheses, words) may still wrap at
        # them where the panel is narrower than its widest term: never inside a number
        wrap = " " in right.strip()
        r = math_html(joined(right) if wrap else right)
        if i == last and result_colour:
            r = f'<b style="color:{result_colour}">{r}</b>'
        cells.append(f'<tr><td align="right" style="white-space:nowrap">{math_html(left)}</td>'
                     f'<td style="white-space:nowrap">{pad}{op}{pad}</td>'
                     f'<td style="white-space:{"normal" if wrap else "nowrap"}">{r}</td></tr>')
    return f'{head}<table style="{style}" cellspacing="{spacing}">{"".join(cells)}</table>'
