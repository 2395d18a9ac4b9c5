"""The predict-then-reveal controller: hiding, revealing, and the tally per lesson."""

from __future__ import annotations

import pytest

from nnviz.controllers.reveal import RevealController


def test_hidden_until_revealed_or_guessed_right(qtbot):
    rc = RevealController()
    assert not rc.hidden(("mazur", 1))          # mode off: nothing hidden
    with qtbot.waitSignal(rc.changed):
        rc.set_enabled(True)
    assert rc.hidden(("mazur", 1)) and rc.hidden(("mazur", 2))
    rc.reveal(("mazur", 1))
    assert not rc.hidden(("mazur", 1)) and rc.hidden(("mazur", 2))
    with qtbot.waitSignal(rc.verdict) as blocker:
        v = rc.guess(("mazur", 2), "mazur", "0.5933", 0.593269992)
    assert v.kind == "right" and blocker.args[0] is v
    assert not rc.hidden(("mazur", 2))
    rc.set_enabled(False)
    rc.set_enabled(True)                        # a new round hides everything again
    assert rc.hidden(("mazur", 1))


def test_the_first_guess_of_each_question_counts(qtbot):
    rc = RevealController()
    rc.set_enabled(True)
    assert rc.guess(1, "a", "0.75", 0.593269992).kind == "wrong"
    assert rc.hidden(1)                         # a wrong guess does not reveal
    assert rc.guess(1, "a", "0.5933", 0.593269992).kind == "right"
    rc.guess(2, "a", "0.59", 0.593269992)
    rc.guess(3, "b", "1", 1.0)
    assert rc.tally("a") == {"right": 0, "close": 1, "wrong": 1}
    assert rc.tally("b") == {"right": 1, "close": 0, "wrong": 0}
    assert rc.tally_text("a") == "0 right · 1 close · 1 wrong"
    with pytest.raises(ValueError):
        rc.guess(4, "a", "abc", 1.0)
    assert rc.tally("a")["wrong"] == 1 and rc.hidden(4)
