"""Property-based: caption templates, 'when' conditions and syllabus fields from a file are
validated — a hostile lesson is refused with LessonError, never another exception — and
rendering a valid template never raises and stays bounded."""

from __future__ import annotations

import copy
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnviz.engine.files.resources import lessons_dir
from nnviz.engine.files.validate import FormatError
from nnviz.engine.teaching.captions import MAX_OUTPUT, parse_template, render
from nnviz.engine.teaching.lessons import LessonError, parse_lesson

BASE = json.loads((lessons_dir() / "mazur-2-2-2.json").read_text(encoding="utf-8"))
hostile_text = st.text(alphabet=st.sampled_from(list("{}:0123456789w5+⁺∂dE_/.!r %sx<>&\n")),
                       max_size=60)
hostile_value = (st.none() | st.booleans() | st.integers(-10**15, 10**15)
                 | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=90)
                 | st.lists(st.integers(), max_size=3)
                 | st.dictionaries(st.text(max_size=12), st.integers() | st.floats(),
                                   max_size=4))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile_text, question=hostile_text)
def test_caption_templates_load_or_are_refused(text, question):
    d = copy.deepcopy(BASE)
    d["captions"][0]["text"] = text or "x"
    d["captions"][0]["question"] = question
    try:
        lesson = parse_lesson(d)
    except LessonError:
        return
    values = {"w5": 0.4, "w5⁺": 0.35891648, "dE_total/dw5": 0.082167041}
    for s in (lesson.captions[0].text, lesson.captions[0].question):
        out = render(s, values, {"w5": 0.5})
        assert out is None or (isinstance(out, str) and len(out) <= MAX_OUTPUT)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=st.sampled_from(["when", "chapter", "order"]), value=hostile_value,
       extra=st.sampled_from(["step_from", "step_until", "loss_below", "loss_above", "epoch"]))
def test_when_and_syllabus_fields_load_or_are_refused(key, value, extra):
    d = copy.deepcopy(BASE)
    if key == "when":
        d["captions"][1].pop("at", None)
        d["captions"][1]["when"] = value if isinstance(value, dict) else {extra: value}
    else:
        d[key] = value
    try:
        parse_lesson(d)
    except LessonError:
        pass


def _merged(pieces):
    out = []
    for p in pieces:
        if p.name is None and out and out[-1][0] is None:
            out[-1] = (None, out[-1][1] + p.text)
        else:
            out.append((p.name, p.text if p.name is None else p.digits))
    return out


@given(st.text(alphabet=st.sampled_from(list("{}:09w5+_/ax")), max_size=80))
def test_parse_template_raises_only_format_errors_and_round_trips(text):
    try:
        pieces = parse_template(text)
    except FormatError:
        return
    rebuilt = "".join(
        p.text.replace("{", "{{").replace("}", "}}") if p.name is None
        else "{" + p.name + ("" if p.digits is None else f":{p.digits}") + "}" for p in pieces)
    assert _merged(parse_template(rebuilt)) == _merged(pieces)
    names = {p.name.replace("+", "⁺") for p in pieces if p.name is not None}
    out = render(text, dict.fromkeys(names, 1.5))
    assert out is not None   # every name it quotes is known here
    literal = "".join(p.text for p in pieces if p.name is None)
    assert out.count("{") == literal.count("{") and out.count("}") == literal.count("}")
