"""Predict, then reveal: judge a student's guess of a step's result.

A guess is *right* when it agrees with the result to every decimal the student typed
and they typed enough of them (at least :data:`ENOUGH` decimals, or all the decimals
of the printed value when it has fewer); *close* when it is within 1 % (or agrees to
fewer decimals); *wrong* otherwise. The message says how far off it is.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from nnviz.engine.core.naming import fmt

ENOUGH = 4
CLOSE = 0.01
MAX_GUESS_CHARS = 40
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$")
VERDICTS = ("right", "close", "wrong")


@dataclass(frozen=True)
class Verdict:
    """``kind`` is "right", "close" or "wrong"; ``message`` says so in words."""

    kind: str
    message: str
    guess: float


def parse_guess(text: str) -> tuple[float, int]:
    """The number typed (a minus sign or a decimal comma are fine) and its decimals."""
    s = str(text).strip().replace("−", "-").replace(",", ".").replace(" ", "")
    if len(s) > MAX_GUESS_CHARS:
        raise ValueError(f"a guess has at most {MAX_GUESS_CHARS} characters")
    if not _NUMBER.match(s):
        raise ValueError(f"type a number, like 0.5933 (not {str(text)[:20]!r})")
    mantissa = s.lower().split("e")[0]
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    if "e" in s.lower():
        decimals = max(0, decimals - int(s.lower().split("e")[1]))
    value = float(s)
    if not math.isfinite(value):
        raise ValueError("type a finite number")
    return value, decimals


def printed_decimals(value: float) -> int:
    """How many decimals the app (and the notes) print for ``value``."""
    text = fmt(value)
    if "e" in text:
        mantissa, exp = text.split("e")
        d = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return max(0, d - int(exp))
    return len(text.split(".")[1]) if "." in text else 0


def judge(text: str, value: float) -> Verdict:
    """The verdict on the guess ``text`` of the result ``value`` (raises ValueError if
    ``text`` is not a number). Only a right guess's message gives the result; the others
    say how far off the guess is without giving it away."""
    guess, typed = parse_guess(text)
    need = min(ENOUGH, printed_decimals(value))
    agrees = abs(guess - round(value, typed)) <= 0.5 * 10.0 ** -(typed + 6) + 1e-15
    if agrees and typed >= need:
        return Verdict("right", f"Right: {fmt(value)}", guess)
    if agrees:
        return Verdict("close", f"Close: right to {typed} decimal{'s' * (typed != 1)}; "
                                f"give {need} or more", guess)
    way = "too high" if guess > value else "too low"
    off = abs(guess - value)
    if value != 0 and off <= CLOSE * abs(value):
        return Verdict("close", f"Close: {way}, by less than 1 %", guess)
    if value != 0 and off / abs(value) < 100:
        return Verdict("wrong", f"Not quite: {way}, by about {off / abs(value):.0%}", guess)
    return Verdict("wrong", f"Not quite: {way}", guess)
