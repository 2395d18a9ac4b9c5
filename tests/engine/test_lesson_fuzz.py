"""Property-based: malformed lessons are always refused with LessonError, never another exception."""

from __future__ import annotations

import copy
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnviz.engine.teaching.lessons import LessonError, lesson_names, load_lesson, parse_lesson

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10),
                                                                       children, max_size=5),
    max_leaves=30,
)

VALID = {name: json.loads(load_lesson(name).path.read_text()) for name in lesson_names()}


def _paths(d, prefix=()):
    yield prefix
    if isinstance(d, dict):
        for k, v in d.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(d, list):
        for i, v in enumerate(d[:4]):
            yield from _paths(v, prefix + (i,))


def _set(d, path, value):
    if not path:
        return value
    cur = d
    for p in path[:-1]:
        cur = cur[p]
    cur[path[-1]] = value
    return d


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(VALID)), st.data(), json_values)
def test_mutated_lessons_are_refused_cleanly(name, data, value):
    d = copy.deepcopy(VALID[name])
    path = data.draw(st.sampled_from(list(_paths(d))))
    d = _set(d, path, value)
    try:
        lesson = parse_lesson(d, "fuzz.json")
    except LessonError as e:
        assert str(e).startswith("fuzz.json")
        return
    # accepted: then it must be a usable lesson
    x, y = lesson.example()
    assert lesson.network.is_finite()
    assert x.shape[0] == lesson.network.sizes[0]


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_random_json_is_refused_cleanly(value):
    try:
        parse_lesson(value, "fuzz.json")
    except LessonError:
        return
    raise AssertionError("random JSON accepted as a lesson")


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_are_refused_cleanly(tmp_path_factory, blob):
    p = tmp_path_factory.mktemp("fuzz") / "lesson.json"
    p.write_bytes(blob)
    try:
        load_lesson(p)
    except LessonError:
        return
    raise AssertionError("random bytes accepted as a lesson")
