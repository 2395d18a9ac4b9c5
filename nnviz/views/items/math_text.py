"""Formulas and names as rich text: net_h1 -> net<sub>h1</sub>, w^1_23 ->
w<sup>1</sup><sub>23</sub>, e^(-x) -> e<sup>-x</sup>, '*' -> '·'."""

from __future__ import annotations

import re
from functools import lru_cache

_SUP_OPEN = "^("
_SUP = re.compile(r"\^([+\-−]?(?:\d+\.\d+|[\w.]+?))(?=_|\b|$)")   # (x^0.5: all of 0.5)
# after a Latin or Greek letter (μ_B, σ_B, Δ_y), a tag or Adam's hat ˆ (U+02C6: mˆ_w5)
_SUB = re.compile(r"(?<=[A-Za-zΑ-Ωα-ω>ˆ])_([A-Za-z0-9]+(?:,[A-Za-z0-9]+)*)")


#: a hyphen that is a minus sign: at the start of a number or a name, after a space, an
#: opening bracket, "=", "^" or another operator ("-0.217", "=-0.2", "e^(-x)", "-b/w"), or
#: a word joiner before or after it (the Equation panel's, that keeps "(-0.0226" whole)
_UNARY = re.compile(r"(?<![^\s(\[{=,^/·*×:;<>+\u2060])-(?=\u2060?[\d.(A-Za-zΑ-Ωα-ω√∂∑{])")
#: " - " with the tokens either side (the one after only looked at, so that "a - b - c"
#: finds both)
_BINARY = re.compile(r"(\S+) - (?=(\S+))")
#: a token that is a plain word, perhaps bracketed or followed by punctuation ("CNN",
#: "(softmax)", "network,"): " - " between two such is a dash or a hyphen, not a minus
_WORD = re.compile(r"[(\['\"]*(?:[A-Za-z][a-z]+|[A-Z]{2,}[a-z]*)[)\]'\",.:;]*")


def _binary_minus(s: str) -> str:
    """" - " as " − " unless both sides are plain words ("out_o1 - target", "x - 0.5",
    "{w5} - {eta}" minus; "CNN - Convolutional", "network - dense" as written); one pass,
    in time linear in the text."""
    def repl(m: re.Match) -> str:
        words = _WORD.fullmatch(m.group(1)) and _WORD.fullmatch(m.group(2))
        return m.group(0) if words else f"{m.group(1)} \u2212 "
    return _BINARY.sub(repl, s)


#: the exponent's sign of e-notation, as the number format writes the smallest values
_E_MINUS = re.compile(r"(?<=\d)e-(?=\d)")


def minus_signs(text: str) -> str:
    """``text`` with its minus signs as U+2212 "−" instead of the hyphen ("δ −0.0381",
    "= −0.217", "e^(−x)", "1.9e−12"); hyphens inside words and number ranges
    ("cross-entropy", "2-2-2", "0-4") stay."""
    if "-" not in text:
        return text
    return _E_MINUS.sub("e\u2212", _UNARY.sub("\u2212", _binary_minus(text)))


#: the minus sign where numbers stand close (the network graph's labels, chart ticks): the
#: en dash. U+2212 is as wide as "+": the 2-2-2 network's two-line weight labels at
#: 1024x768 in F5 no longer found spots clear of each other, and "−1.0 −0.5" ran together
#: on the bias-variance panels' axes
NARROW_MINUS = "\u2013"


def narrow_minus(text: str) -> str:
    """``text``'s minus signs (:func:`minus_signs`) as the narrower :data:`NARROW_MINUS`."""
    return text.replace("\u2212", NARROW_MINUS)


def number(x: float) -> str:
    """``x`` as the notes print it (:func:`~nnviz.engine.core.naming.fmt`) with a minus sign
    "−" for a label or a table cell; never for text that is read back as a number."""
    from nnviz.engine.core.naming import fmt

    return minus_signs(fmt(x))


def escape(text: str, quote: bool = True) -> str:
    """&, < and > (and quotes) as HTML entities: html.escape, without importing its tables."""
    s = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return s.replace('"', "&quot;").replace("'", "&#x27;") if quote else s


def _paren_superscripts(s: str) -> str:
    """Each ^(…) as <sup>…</sup>, its parentheses balanced: e^(-(-0.52)) is e to the
    -(-0.52) (a literal "^(" with its whole exponent in full-size type once made the
    wide network's 1/(1+e^(-(-0.52047755))) wider than the panel at 1024x768 in F5)."""
    out, i = [], 0
    while (start := s.find(_SUP_OPEN, i)) >= 0:
        depth, j = 1, start + 2
        while j < len(s) and depth:
            depth += (s[j] == "(") - (s[j] == ")")
            j += 1
        if depth:   # unbalanced: left as written
            break
        out.append(f"{s[i:start]}<sup>{s[start + 2:j - 1]}</sup>")
        i = j
    return "".join(out) + s[i:]


@lru_cache(maxsize=8192)
def math_html(text: str) -> str:
    """``text`` (a formula or a name from the engine) as HTML with sub/superscripts
    (remembered: the graph and the equation panel ask for the same names at every step)."""
    s = escape(minus_signs(text), quote=False)
    s = s.replace(" * ", " · ").replace("*", "·")
    s = _paren_superscripts(s)
    s = _SUP.sub(r"<sup>\1</sup>", s)
    s = _SUB.sub(r"<sub>\1</sub>", s)
    return s


_SUP_OF = dict(zip("0123456789+-−=()abcdefghijklmnoprstuvwxyz",
                   "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ"))
_SUB_OF = dict(zip("0123456789+-−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
_INNERMOST = re.compile(r"<(sup|sub)>([^<]*)</\1>")


def _unicode_script(m: re.Match) -> str:
    """A <sup>/<sub> of math_html in Unicode super- or subscript characters where each has
    one ("10⁻⁴", "Eₜₒₜₐₗ"), else as written ("x_b", "e^(0.5)")."""
    kind, body = m.group(1), m.group(2)
    table = _SUP_OF if kind == "sup" else _SUB_OF
    if body and all(ch in table for ch in body):
        return "".join(table[ch] for ch in body)
    if kind == "sub":
        return f"_{body}"
    return f"^{body}" if body.isalnum() else f"^({body})"


@lru_cache(maxsize=4096)
def math_plain(text: str) -> str:
    """``text`` (a caption, a formula) as plain text with the typography math_html gives
    the Equation panel: '·' for '*', super- and subscripts as Unicode characters where
    there are such ("E_total" -> "Eₜₒₜₐₗ", "10^-4" -> "10⁻⁴", "(a - y)^2" -> "(a - y)²");
    never markup."""
    s = math_html(text)
    while True:
        done = _INNERMOST.sub(_unicode_script, s)
        if done == s:
            break
        s = done
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
