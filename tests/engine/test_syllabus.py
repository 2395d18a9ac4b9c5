"""The syllabus: every shipped lesson has a chapter and a place; the fields are validated."""

from __future__ import annotations

import copy
import json

import pytest

from nnviz.engine.files.resources import lessons_dir
from nnviz.engine.teaching.lessons import LessonError, lesson_names, parse_lesson
from nnviz.engine.teaching.syllabus import (
    CHAPTER_TITLES,
    CHAPTERS,
    Entry,
    chapters,
    neighbour,
    shipped_syllabus,
    sort_entries,
)


def _raw(name: str) -> dict:
    return json.loads((lessons_dir() / f"{name}.json").read_text(encoding="utf-8"))


def test_every_shipped_lesson_is_in_a_known_chapter_once():
    entries = shipped_syllabus()
    assert sorted(e.name for e in entries) == lesson_names()
    for e in entries:
        assert e.chapter in CHAPTER_TITLES, (
            f"{e.name}: give the lesson a \"chapter\" and an \"order\" (the syllabus, "
            "resources/lessons/README.md)")
    titles = [t for t, _ in chapters(entries)]
    assert titles[:5] == ["Neurons and perceptrons", "Backpropagation", "Training",
                          "Deep networks and their troubles", "Universality"]
    assert titles == [t for c, t in CHAPTERS if any(e.chapter == c for e in entries)]
    for _, es in chapters(entries):
        orders = [e.order for e in es]
        assert orders == sorted(set(orders))   # a strict order inside each chapter


def test_the_course_order():
    names = [e.name for e in shipped_syllabus()]
    assert names[0] == "mp-neuron"
    assert names.index("mazur-2-2-2") + 1 == names.index("step-network")
    assert names.index("linear-2-2-1") < names.index("mazur-2-2-2")
    assert names.index("vanishing-gradients") < names.index("universality-steps")


def test_neighbours_stop_at_the_ends():
    entries = shipped_syllabus()
    first, last = entries[0].name, entries[-1].name
    assert neighbour(entries, first, -1) is None
    assert neighbour(entries, last, +1) is None
    assert neighbour(entries, "mazur-2-2-2", +1) == "step-network"
    assert neighbour(entries, "mazur-2-2-2", -1) == "linear-2-2-1"
    assert neighbour(entries, "a-file-of-my-own", +1) == first


def test_chapters_of_their_own_come_after_the_known_ones():
    e = sort_entries([Entry("b", "B", "My own chapter", 1), Entry("z", "Z", "", 0),
                      Entry("a", "A", "universality", 5), Entry("c", "C", "neurons", 7)])
    assert [x.name for x in e] == ["c", "a", "b", "z"]
    assert [t for t, _ in chapters(e)] == ["Neurons and perceptrons", "Universality",
                                           "My own chapter", "Other lessons"]


@pytest.mark.parametrize("key,value", [
    ("order", -1), ("order", 10_000), ("order", 1.5), ("order", True), ("order", "3"),
    ("chapter", 3), ("chapter", ["neurons"]), ("chapter", "x" * 81), ("chapter", "a\nb"),
])
def test_bad_syllabus_fields_are_refused_naming_the_key(key, value):
    d = copy.deepcopy(_raw("mazur-2-2-2"))
    d[key] = value
    with pytest.raises(LessonError, match=key):
        parse_lesson(d)


def test_good_syllabus_fields_are_kept():
    d = copy.deepcopy(_raw("mazur-2-2-2"))
    lesson = parse_lesson(d)
    assert (lesson.chapter, lesson.order) == ("backprop", 20)
    d["chapter"] = "Convolution, later"
    d["order"] = 0
    lesson = parse_lesson(d)
    assert (lesson.chapter, lesson.order) == ("Convolution, later", 0)
