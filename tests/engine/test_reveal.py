"""Judging a guess of a step's result to the printed digits."""

from __future__ import annotations

import pytest

from nnviz.engine.teaching.reveal import judge, parse_guess, printed_decimals


@pytest.mark.parametrize("text,kind", [
    ("0.5933", "right"), ("0.59327", "right"), ("0.593269992", "right"), ("0,5933", "right"),
    ("0.59", "close"), ("0.6", "close"), ("0.5932", "close"), ("0.5934", "close"),
    ("0.75", "wrong"), ("-0.5933", "wrong"), ("5.933e-1", "right"),
])
def test_out_h1(text, kind):
    assert judge(text, 0.593269992).kind == kind


def test_messages_say_how_far_off_without_giving_the_result_away():
    assert judge("0.75", 0.593269992).message == "Not quite: too high, by about 26%"
    assert judge("0.59", 0.593269992).message == "Close: right to 2 decimals; give 4 or more"
    assert judge("0.5932", 0.593269992).message == "Close: too low, by less than 1 %"
    assert judge("-5", 0.593269992).message == "Not quite: too low, by about 943%"
    assert judge("-500", 0.593269992).message == "Not quite: too low"
    assert judge("0.3775", 0.3775).message == "Right: 0.3775"
    for text in ("0.75", "0.59", "0.5932", "0.6"):
        assert "0.593269992" not in judge(text, 0.593269992).message


def test_short_printed_values_need_only_their_decimals():
    assert printed_decimals(0.3775) == 4 and printed_decimals(1.0) == 0
    assert judge("1", 1.0).kind == "right"
    assert judge("0.35", 0.35).kind == "right"
    assert judge("−0.019049119", -0.019049119).kind == "right"
    assert judge("-0.019", -0.019049119).kind == "close"


@pytest.mark.parametrize("bad", ["", "abc", "1/2", "0.5.5", "nan", "inf", "1e999", "9" * 50])
def test_non_numbers_are_refused(bad):
    with pytest.raises(ValueError):
        parse_guess(bad)
