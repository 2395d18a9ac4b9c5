"""The lesson loader: every shipped lesson loads; malformed files are refused clearly."""

from __future__ import annotations

import copy
import json

import pytest

from nnviz.engine.files.resources import lessons_dir
from nnviz.engine.teaching.lessons import LessonError, lesson_names, load_lesson, parse_lesson

REQUIRED = ["mazur-2-2-2", "linear-2-2-1", "step-network", "perceptron-nand", "perceptron-and",
            "perceptron-or", "xor-mlp", "sigmoid-neuron", "relu-approximation", "keras-lab"]


def test_all_required_lessons_ship():
    names = lesson_names()
    for n in REQUIRED:
        assert n in names


@pytest.mark.parametrize("name", REQUIRED)
def test_lesson_loads_with_title_and_description(name):
    lesson = load_lesson(name)
    assert lesson.name == name
    assert len(lesson.title) > 5 and len(lesson.description) > 20
    x, y = lesson.example()
    assert x.shape == (lesson.network.sizes[0],) and y.shape == (lesson.network.sizes[-1],)


def base():
    return json.loads((load_lesson("mazur-2-2-2").path).read_text())


def mutated(fn):
    d = copy.deepcopy(base())
    fn(d)
    return d


BAD = [
    (lambda d: d.pop("network"), "missing key 'network'"),
    (lambda d: d.pop("format"), "missing key 'format'"),
    (lambda d: d.update(version=99), "unknown version 99"),
    (lambda d: d["network"]["layers"][0].update(weights=[[0.1, 0.2]]), "expected 2 entries"),
    (lambda d: d["network"]["layers"][0].update(weights=[[0.1, "x"], [0.1, 0.2]]),
     "weights[0][1]: expected a number"),
    (lambda d: d["network"]["layers"][1].update(weights=[[0.1, float("nan")], [0.1, 0.2]]),
     "finite"),
    (lambda d: d["network"]["layers"][0].update(activation="sigmund"), "not one of"),
    (lambda d: d["network"].update(sizes=[2, 2]), "expected 1 layers"),
    (lambda d: d["network"].update(sizes=[2, 0, 2]), "outside"),
    (lambda d: d["network"].update(sizes=[2, 100000, 2]), "outside"),
    (lambda d: d["example"].update(input=[1.0]), "example.input: expected 2 entries"),
    (lambda d: d["training"].update(eta="fast"), "training.eta: expected a number"),
    (lambda d: d["training"].update(loss="hinge"), "training.loss"),
    (lambda d: d["names"].update(neurons=[["a"]]), "names.neurons"),
    (lambda d: d.update(captions=[{"at": "lunch", "text": "x"}]), "captions[0].at"),
    (lambda d: d.update(lab="kitchen"), "lab"),
    (lambda d: d.pop("example"), "needs an 'example' or 'data'"),
    (lambda d: d.update(data={"generator": "moons"}), "data.generator"),
]


@pytest.mark.parametrize("fn,message", BAD)
def test_malformed_lessons_are_refused(fn, message):
    with pytest.raises(LessonError) as e:
        parse_lesson(mutated(fn), "bad.json")
    assert message in str(e.value)
    assert str(e.value).startswith("bad.json")


@pytest.mark.parametrize("content,message", [
    (b"", "empty"),
    (b"\x00\xff\xfe binary", "UTF-8"),
    (b"{not json", "not valid JSON at line 1"),
    (b"[1, 2, 3]", "top level must be a JSON object"),
    (b'{"format": "nnviz-lesson", "version": 1, "x": NaN}', "NaN is not allowed"),
])
def test_bad_files_are_refused(tmp_path, content, message):
    p = tmp_path / "lesson.json"
    p.write_bytes(content)
    with pytest.raises(LessonError) as e:
        load_lesson(p)
    assert message in str(e.value)


def test_huge_file_is_refused(tmp_path):
    from nnviz.engine.files.validate import MAX_FILE_BYTES

    p = tmp_path / "big.json"
    with open(p, "wb") as f:  # sparse: the size is refused before anything is read
        f.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(LessonError, match="over the limit"):
        load_lesson(p)


def test_unknown_lesson_name():
    with pytest.raises(LessonError, match="no lesson named"):
        load_lesson("no-such-lesson")


def test_lesson_titles_for_the_menu_match_the_lessons():
    from nnviz.engine.teaching.lessons import lesson_titles

    titles = lesson_titles()
    assert set(titles) == set(lesson_names())
    for name, title in titles.items():
        assert load_lesson(name).title == title


def test_only_shipped_lessons_opened_by_name_skip_the_schema(tmp_path, monkeypatch):
    """A shipped lesson opened by name is not checked against the file-format schema
    (test_schema checks every shipped lesson against it); a file opened by path, or a
    name that leads out of the shipped folder, is."""
    import nnviz.engine.files.file_schema as fs

    calls = []
    monkeypatch.setattr(fs, "check_lesson", lambda d: calls.append(d))
    load_lesson("mazur-2-2-2")
    assert calls == []
    src = json.loads((lessons_dir() / "mazur-2-2-2.json").read_text(encoding="utf-8"))
    (tmp_path / "own.json").write_text(json.dumps(src), encoding="utf-8")
    load_lesson(tmp_path / "own.json")
    assert len(calls) == 1
    out = tmp_path / "shipped" / "x"
    out.mkdir(parents=True)
    (out.parent / "away.json").write_text(json.dumps(src), encoding="utf-8")
    monkeypatch.setattr("nnviz.engine.teaching.lessons.lessons_dir", lambda: out)
    load_lesson("../away")
    assert len(calls) == 2
