"""The declared schema: the format documents are generated from it, every shipped lesson
passes it, and each node refuses what it should (naming the key)."""

from __future__ import annotations

import json

import pytest

from nnviz.engine.files import format_docs
from nnviz.engine.files.file_schema import LESSON, check_lesson
from nnviz.engine.files.resources import lessons_dir
from nnviz.engine.files.schema import Enum, Expr, Field, Grid, Int, List, Num, Obj, Template
from nnviz.engine.files.validate import FormatError, key_line, loads_json, with_line
from nnviz.engine.teaching.lessons import lesson_names


def test_format_documents_match_the_schema():
    for path, text in format_docs.documents().items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is stale: run python -m nnviz.engine.files.format_docs")


def test_every_training_setting_is_declared():
    from dataclasses import fields

    from nnviz.engine.files.file_schema import TRAINING
    from nnviz.engine.learning.training import TrainConfig

    assert {f.name for f in fields(TrainConfig)} <= set(TRAINING.fields)


def test_the_data_settings_are_one_declaration_for_lessons_and_workspaces():
    """A lesson's training data settings and a workspace's data set settings (and the
    Training lab's state in older workspaces) are one declaration, and every key of the
    data set's spec is in it."""
    from dataclasses import fields

    from nnviz.engine.files.file_schema import DATA_SETTINGS, LESSON_SETTINGS
    from nnviz.engine.files.workspace_schema import DATASET, TRAINING_LAB
    from nnviz.engine.sets.data import DataSpec

    lesson = LESSON_SETTINGS["training"]
    assert all(lesson[k] is f for k, f in DATA_SETTINGS.items())
    assert DATASET.fields["data"].node.fields is DATA_SETTINGS
    older = TRAINING_LAB.fields["controller"].node.fields["data"].node
    assert older.fields is DATA_SETTINGS
    spec = {"source" if k == "dataset" else k for k in DATA_SETTINGS}
    assert spec <= {f.name for f in fields(DataSpec)}


def test_every_declared_lesson_key_is_documented():
    text = format_docs.LESSON_DOC.read_text(encoding="utf-8")
    for key in LESSON.fields:
        assert f"| `{key}` |" in text


@pytest.mark.parametrize("name", lesson_names())
def test_shipped_lessons_pass_the_schema(name):
    check_lesson(json.loads((lessons_dir() / f"{name}.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("node, value, message", [
    (Num(0, 1), 10**400, "too large"),
    (Num(0, 1), 1.5, "outside"),
    (Num(0, 1), True, "expected a number"),
    (Int(0, 9), 2.5, "whole number"),
    (Int(0, 9), 10**60, "digits is outside"),
    (Enum("a", "b"), ["a"], "expected text"),
    (List(Int(0, 1), 2, 2), [0], "2 to 2 entries"),
    (Grid(2, 3), [[1, 2], [3, 4]], "more than 3 numbers"),
    (Grid(1, 10, -1, 1), [0.5, 1e308], "outside"),
    (Expr(("x",)), "x +* 2", "at character"),
    (Template(40), "{n:>999999999}", "not a placeholder"),
    (Template(40), "{0}", "not a placeholder"),
    (Template(40), "{n.__class__}", "not a placeholder"),
    (Obj({"a": Field(Int(0, 1))}), {"b": 1}, "unknown key"),
    (Obj({"a": Field(Int(0, 1), required=True)}), {}, "missing key 'a'"),
])
def test_nodes_refuse_with_the_key(node, value, message):
    with pytest.raises(FormatError, match=message) as e:
        node.check(value, "some.key")
    assert str(e.value).startswith("some.key")


def test_templates_format_without_allocating():
    t = Template(40)
    for ok in ("{n}", "net_{n}", "{{literal}} {j}", "δ_{n}{j}"):
        t.check(ok, "t")
        assert len(ok.format(n="x" * 40, j=9)) <= 40 + 40 * 2 + 2


def test_key_line_names_the_line_of_the_key():
    text = '{\n "a": 1,\n "settings": {\n  "x": 1,\n  "losses": [["mse"]]\n }\n}'
    assert key_line(text, "settings.losses[0]") == 5
    assert with_line(text, "settings.losses[0]: expected text").startswith("line 5: ")
    # line separators other than \\n do not count
    assert key_line('{"a":\x0b1,\u2028"b": 2}', "b") == 1


def test_a_huge_integer_names_its_key_and_line():
    text = '{\n "format": "nnviz-lesson",\n "epochs": ' + "9" * 5000 + "\n}"
    with pytest.raises(FormatError, match=r"line 3: key 'epochs': a whole number of 5000"):
        loads_json(text)
