"""Predict, then reveal: which steps' results are hidden, and the class's tally.

A lab asks :meth:`RevealController.hidden` with a key for the question on screen
(its lesson, lab and step); while the mode is on, that result stays hidden until it
is revealed or guessed right. The first guess at each question counts in the tally
of its lesson (right, close, wrong), for a student working alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable

from PySide6.QtCore import QObject, Signal

from nnviz.engine.teaching.reveal import Verdict, judge


class RevealController(QObject):
    """The predict-then-reveal mode shared by the labs."""

    changed = Signal()           # mode switched, or a result revealed
    verdict = Signal(object)     # a Verdict, after each guess

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = False
        self._revealed: set[Hashable] = set()
        self._guessed: set[Hashable] = set()
        self._tally: dict[str, Counter] = {}

    def set_enabled(self, on: bool) -> None:
        on = bool(on)
        if on != self.enabled:
            self.enabled = on
            self._revealed.clear()
            self.changed.emit()

    def hidden(self, key: Hashable) -> bool:
        """Is the result of the question ``key`` hidden now?"""
        return self.enabled and key not in self._revealed

    def reveal(self, key: Hashable) -> None:
        if key not in self._revealed:
            self._revealed.add(key)
            self.changed.emit()

    def guess(self, key: Hashable, lesson: str, text: str, value: float) -> Verdict:
        """Judge ``text`` against ``value``; a right guess reveals. Raises ValueError
        (nothing counted) if ``text`` is not a number."""
        v = judge(text, value)
        self.judged(key, lesson, v)
        if v.kind == "right":
            self.reveal(key)
        return v

    def judged(self, key: Hashable, lesson: str, v: Verdict) -> None:
        """Count a verdict a lab judged itself (the Training lab's "up or down?"): the
        first at each question counts in the lesson's tally."""
        if key not in self._guessed:
            self._guessed.add(key)
            self._tally.setdefault(lesson, Counter())[v.kind] += 1
        self.verdict.emit(v)

    def tally(self, lesson: str) -> dict[str, int]:
        c = self._tally.get(lesson, Counter())
        return {k: c[k] for k in ("right", "close", "wrong")}

    def tally_text(self, lesson: str) -> str:
        t = self.tally(lesson)
        return f"{t['right']} right · {t['close']} close · {t['wrong']} wrong"
