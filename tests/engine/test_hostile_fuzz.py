"""Valid-looking lessons and workspaces with a hostile value in any field: parsing either
succeeds or raises FormatError (never another exception), and memory stays bounded."""

from __future__ import annotations

import json
import tracemalloc

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnviz.engine.files.validate import FormatError
from nnviz.engine.files.workspace import Workspace, parse_workspace, workspace_to_dict
from nnviz.engine.labs.surface import all_params
from nnviz.engine.teaching.lessons import lesson_names, load_lesson, parse_lesson
from tests.hostile_strategies import hostile_variant

MEMORY_CAP = 200 * 1024 * 1024
LESSONS = {n: json.loads(load_lesson(n).path.read_text()) for n in lesson_names()}
SMALL = {n: d for n, d in LESSONS.items() if n not in ("wide-784-100-10", "keras-lab")}


def _workspace_dict(name: str) -> dict:
    lesson = load_lesson(name)
    x, y = lesson.dataset()
    ex_x, ex_y = lesson.example()
    names = [p.name(lesson.naming) for p in all_params(lesson.network)][:2]
    labs = {"workbench": {"k": 2, "t": 0, "weight_labels": True},
            "surface": {"page": "surface", "mode": "params", "params": names,
                        "center": [0.1, 0.2], "span": 4.0, "resolution": 41,
                        "only_two": False, "steps_per_tick": 1}}
    ws = Workspace(lesson, lesson.network, x, y, ex_x, ex_y, lesson.train, lesson.loss,
                   lesson.lab, labs, (2, "forward"))
    return json.loads(json.dumps(workspace_to_dict(ws)))


WORKSPACES = {n: _workspace_dict(n) for n in ("mazur-2-2-2", "relu-approximation")}


def _bounded(fn, *args) -> None:
    tracemalloc.start()
    try:
        try:
            fn(*args)
        except FormatError:
            pass
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_CAP


def test_the_unmutated_workspaces_are_valid():
    for d in WORKSPACES.values():
        parse_workspace(d)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(SMALL)).flatmap(lambda n: hostile_variant(SMALL[n])))
def test_hostile_lessons_parse_or_are_refused(variant):
    d, _desc = variant
    _bounded(parse_lesson, d)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(WORKSPACES)).flatmap(lambda n: hostile_variant(WORKSPACES[n])))
def test_hostile_workspaces_parse_or_are_refused(variant):
    d, _desc = variant
    _bounded(parse_workspace, d)
