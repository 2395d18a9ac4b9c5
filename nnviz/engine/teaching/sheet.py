"""A printable sheet (handout or exercise sheet) as plain data, and its LaTeX source.

A :class:`Sheet` is a list of blocks — headings, paragraphs, formulas, numbered
questions, figures and page breaks — that the views typeset as a PDF with Qt and
:func:`sheet_latex` writes as LaTeX a lecturer can edit. All text is plain text;
nothing here is markup until a writer escapes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BLOCK_KINDS = ("heading", "subheading", "text", "formula", "values", "question", "grid",
               "figure", "pagebreak")


@dataclass(frozen=True)
class Block:
    """One block of a sheet. ``kind`` is one of :data:`BLOCK_KINDS`.

    ``text`` is the plain text (a formula in the Equation panel's notation for
    "formula"; "name = value" pairs joined by ", " for "values"; a figure's caption
    for "figure"); ``key`` names a figure's picture,
    which the writer is handed separately; ``rows`` are a grid's cells (numbers as text).
    """

    kind: str
    text: str = ""
    key: str = ""
    rows: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {self.kind!r}")


@dataclass
class Sheet:
    """A titled list of blocks; ``parts`` counts the parts page breaks make."""

    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, kind: str, text: str = "", key: str = "",
            rows: tuple[tuple[str, ...], ...] = ()) -> Sheet:
        self.blocks.append(Block(kind, text, key, tuple(tuple(r) for r in rows)))
        return self

    @property
    def parts(self) -> int:
        return 1 + sum(b.kind == "pagebreak" for b in self.blocks)


# ---------------------------------------------------------------- LaTeX
_TEXT_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "%": r"\%", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
}
_GREEK = {
    "δ": r"\delta", "η": r"\eta", "σ": r"\sigma", "Σ": r"\sum", "∂": r"\partial", "α": r"\alpha",
    "β": r"\beta", "γ": r"\gamma", "μ": r"\mu", "ε": r"\varepsilon", "λ": r"\lambda",
    "θ": r"\theta", "Δ": r"\Delta", "∇": r"\nabla", "⊙": r"\odot", "·": r"\cdot", "*": r"\cdot",
    "×": r"\times", "−": "-", "≥": r"\geq", "≤": r"\leq", "≠": r"\neq", "≈": r"\approx",
    "→": r"\to", "⁺": "^{+}", "ᵀ": "^{T}", "²": "^{2}", "√": r"\surd", "…": r"\ldots",
    "∈": r"\in", "‖": r"\|",
}
_TEXT_UNICODE = {
    "−": "-", "–": "--", "—": "---", "…": r"\ldots{}", "·": r"\textperiodcentered{}",
    "×": r"$\times$", "≥": r"$\geq$", "≤": r"$\leq$", "→": r"$\to$", "≈": r"$\approx$",
    "⁺": r"$^{+}$", "²": r"$^{2}$", "ᵀ": r"$^{T}$",
}


def latex_text(text: str) -> str:
    """Plain text escaped for LaTeX's text mode; Greek letters and symbols in math."""
    out = []
    for ch in text:
        if ch in _TEXT_SPECIALS:
            out.append(_TEXT_SPECIALS[ch])
        elif ch in _TEXT_UNICODE:
            out.append(_TEXT_UNICODE[ch])
        elif ch in _GREEK:
            out.append(f"${_GREEK[ch]}$")
        elif ord(ch) < 32:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


_TOKEN = re.compile(r"\s+|[A-Za-z]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?|.", re.S)
_WORDS = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z(),.]+)+")


def latex_math(formula: str) -> str:
    """A formula in the app's plain notation (``net_h1 = w1*i1 + ...``) as LaTeX math.

    Subscripts after ``_`` and superscripts after ``^`` (a run or a parenthesised group)
    are braced; names of two or more letters are upright; runs of plain words stay text.
    """
    out: list[str] = []
    pos = 0
    for m in _WORDS.finditer(formula):  # prose inside a formula: "(was 0.29)", "with the new"
        if m.group(0).count(" ") >= 2:
            out.append(_math_run(formula[pos:m.start()]))
            out.append(r"\text{" + latex_text(m.group(0)) + "}")
            pos = m.end()
    out.append(_math_run(formula[pos:]))
    return "".join(out)


def _math_run(s: str) -> str:
    toks = [t for t in _TOKEN.findall(s)]
    out: list[str] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t in ("_", "^") and i + 1 < len(toks):
            group, i = _script_group(toks, i + 1)
            out.append(t + "{" + group + "}")
            continue
        out.append(_math_token(t))
        i += 1
    return "".join(out)


def _script_group(toks: list[str], i: int) -> tuple[str, int]:
    """The tokens of a sub/superscript starting at ``i``: a (...) group or one run."""
    if toks[i] == "(":
        depth, j = 0, i
        while j < len(toks):
            depth += toks[j] == "("
            depth -= toks[j] == ")"
            if depth == 0:
                break
            j += 1
        return _math_run("".join(toks[i + 1:j])), j + 1
    j = i
    while j < len(toks) and (toks[j].isascii() and toks[j].isalnum()
                             or toks[j] in ("-", "−") and j == i):
        j += 1
    j = max(j, i + 1)
    return "".join(_math_token(t, sub=True) for t in toks[i:j]), j


def _math_token(t: str, sub: bool = False) -> str:
    if t.isspace():
        return " "
    if t in _GREEK:
        return _GREEK[t] + (" " if _GREEK[t][-1].isalpha() else "")
    if t.isascii() and t.isalpha():
        return t if (len(t) == 1 or sub) else r"\mathrm{" + t + "}"
    if t[0].isdigit():
        return t
    if t in "{}":
        return "\\" + t
    if t in ("^", "_"):  # a dangling script sign at the end of a formula
        return "{}" + t + "{}"
    if t in _TEXT_SPECIALS and t not in "^_<>|":
        return _TEXT_SPECIALS[t]
    if ord(t) > 127:
        return r"\text{" + latex_text(t) + "}"
    return t


def sheet_latex(sheet: Sheet, figure_files: dict[str, str] | None = None) -> str:
    """The whole sheet as a LaTeX document (article class, amsmath, graphicx)."""
    figure_files = figure_files or {}
    lines = [
        r"\documentclass[11pt,a4paper]{article}",
        r"\usepackage[utf8]{inputenc}",
        r"\usepackage[T1]{fontenc}",
        r"\usepackage{amsmath}",
        r"\usepackage{graphicx}",
        r"\usepackage[margin=2cm]{geometry}",
        r"\setlength{\parindent}{0pt}",
        r"\setlength{\parskip}{0.5em}",
        r"\title{" + latex_text(sheet.title) + "}",
        r"\date{}",
        r"\begin{document}",
        r"\maketitle",
    ]
    lines += render_blocks(sheet.blocks, lambda b: _latex_block(b, figure_files),
                           r"\begin{enumerate}", r"\end{enumerate}")
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"


def render_blocks(blocks, render, open_list: str, close_list: str) -> list[str]:
    """Every block's lines from ``render(block)``, a run of questions wrapped in a
    numbered list (``open_list`` ... ``close_list``)."""
    out: list[str] = []
    in_list = False
    for b in blocks:
        if in_list != (b.kind == "question"):
            out.append(close_list if in_list else open_list)
            in_list = not in_list
        out += render(b)
    if in_list:
        out.append(close_list)
    return out


def _latex_figure(b, figure_files: dict[str, str]) -> list[str]:
    lines = [r"\begin{figure}[h]\centering"]
    if b.key in figure_files:
        lines.append(r"\includegraphics[width=0.8\textwidth]{" + figure_files[b.key] + "}")
    return lines + [r"\caption*{" + latex_text(b.text) + "}", r"\end{figure}"]


def _latex_grid(b) -> list[str]:
    body = r" \\ ".join(" & ".join(latex_math(c) for c in row) for row in b.rows)
    return [latex_text(b.text) + r": \[ \begin{bmatrix} " + body + r" \end{bmatrix} \]"]


#: block kind -> its LaTeX lines
_LATEX = {
    "heading": lambda b: [r"\section*{" + latex_text(b.text) + "}"],
    "subheading": lambda b: [r"\subsection*{" + latex_text(b.text) + "}"],
    "text": lambda b: [latex_text(b.text) + "\n"],
    "formula": lambda b: [r"\begin{align*}", _break_formula(latex_math(b.text)), r"\end{align*}"],
    "question": lambda b: [r"\item " + latex_text(b.text)],
    "values": lambda b: [", ".join(f"${latex_math(v)}$" for v in b.text.split(", ")) + "\n"],
    "grid": _latex_grid,
    "pagebreak": lambda b: [r"\clearpage"],
}


def _latex_block(b, figure_files: dict[str, str]) -> list[str]:
    if b.kind == "figure":
        return _latex_figure(b, figure_files)
    render = _LATEX.get(b.kind)
    return render(b) if render is not None else []


def _break_formula(math: str) -> str:
    """A formula aligned at its "=" signs, one "=" a line when it is long (never inside a
    number or a group)."""
    depth, parts, cur = 0, [], []
    for ch in math:
        depth += ch == "{"
        depth -= ch == "}"
        if ch == "=" and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
            continue
        cur.append(ch)
    parts.append("".join(cur).strip())
    if len(parts) == 1:
        return parts[0]
    if len(math) <= 60:
        return parts[0] + " &= " + " = ".join(parts[1:])
    return parts[0] + " &= " + " \\\\\n&= ".join(parts[1:])


def balanced_environments(source: str) -> bool:
    """True if every \\begin{x} has its \\end{x} in order and braces balance (outside \\{ \\})."""
    stack: list[str] = []
    for m in re.finditer(r"\\(begin|end)\{([^}]*)\}", source):
        if m.group(1) == "begin":
            stack.append(m.group(2))
        elif not stack or stack.pop() != m.group(2):
            return False
    depth = 0
    cleaned = re.sub(r"\\[{}]", "", source)
    for ch in cleaned:
        depth += ch == "{"
        depth -= ch == "}"
        if depth < 0:
            return False
    return not stack and depth == 0
