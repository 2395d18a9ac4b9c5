"""Lessons as data: ``resources/lessons/*.json``, validated on load.

Format (``"format": "nnviz-lesson"``, ``"version": 1``) — see
``resources/lessons/README.md`` for the full description. A bad file raises
:class:`LessonError` naming the key; nothing is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from nnviz.engine.core.losses import LOSSES, get_loss
from nnviz.engine.core.naming import Naming
from nnviz.engine.core.network import Network
from nnviz.engine.files.network_io import dropout_mode
from nnviz.engine.files.resources import lessons_dir
from nnviz.engine.files.train_settings import parse_optimiser, parse_schedule
from nnviz.engine.files.validate import (
    FormatError,
    as_array,
    as_bool,
    as_int,
    as_number,
    as_str,
    check_header,
    loads_json,
    need,
    read_bytes,
    read_json,
    with_line,
)
from nnviz.engine.learning.training import TrainConfig
from nnviz.engine.teaching.captions import parse_template, parse_when
from nnviz.engine.teaching.lesson_network import init_spec, parse_names, parse_network
from nnviz.engine.teaching.syllabus import MAX_ORDER, parse_place

FORMAT = "nnviz-lesson"
VERSION = 1
LABS = ("workbench", "universality", "surface", "training", "neuron", "conv", "general")
PHASE_NAMES = ("start", "forward", "error", "backward", "update", "result")


class LessonError(FormatError):
    """A lesson file is malformed; the message names the file and the key."""


@dataclass
class Caption:
    """Text for the class at a step (``step`` index) or at the start of a phase."""

    text: str
    question: str = ""
    step: int | None = None
    phase: str | None = None
    #: progress conditions (nnviz.engine.teaching.captions): shown while a lab's step/loss match
    when: dict[str, float] | None = None


@dataclass
class Lesson:
    """A lesson: a network with named parts, an example or data set, settings, captions."""

    name: str
    title: str
    description: str
    network: Network
    naming: Naming
    loss: str = "half_sse"
    train: TrainConfig = field(default_factory=TrainConfig)
    epochs: int = 1
    seed: int = 0
    example_x: np.ndarray | None = None
    example_y: np.ndarray | None = None
    data: dict[str, Any] = field(default_factory=dict)
    lab: str = "workbench"
    source: str = ""
    captions: list[Caption] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    init: tuple[str, float, float] = ("xavier", 0.5, 0.0)   # method, scale, bias
    notes_digits: tuple[int, int] | None = None   # notes' rounding in a matrix update
    notes_numbers: list = field(default_factory=list)   # NotesNumber: printed vs exact
    chapter: str = ""        # the syllabus (nnviz.engine.teaching.syllabus): chapter id or title
    order: int = MAX_ORDER   # place in the chapter

    def example(self) -> tuple[np.ndarray, np.ndarray]:
        """The (input, target) the workbench steps through."""
        if self.example_x is not None and self.example_y is not None:
            return self.example_x, self.example_y
        x, y = self.dataset()
        return x[0], y[0]

    def dataset(self) -> tuple[np.ndarray, np.ndarray]:
        """The training inputs (n, n_in) and targets (n, n_out)."""
        from nnviz.engine.sets.datasets import dataset_from_spec

        if not self.data:
            if self.example_x is None:
                raise LessonError(f"lesson {self.name}: no example and no data")
            return self.example_x.reshape(1, -1), self.example_y.reshape(1, -1)
        net = self.network
        return dataset_from_spec(self.data, net.sizes[0], net.sizes[-1],
                                 net.activations[-1].name)

    def captions_for(self, k: int, phase: str | None) -> list[Caption]:
        """Captions shown at micro-step k (of the given phase)."""
        return [c for c in self.captions
                if (c.step is not None and c.step == k)
                or (c.step is None and c.phase is not None and c.phase == phase)]


def lesson_names() -> list[str]:
    """Names of the shipped lessons, sorted."""
    return sorted(p.stem for p in lessons_dir().glob("*.json"))


def lesson_titles() -> dict[str, str]:
    """Name -> title of every shipped lesson, read cheaply for menus (no validation:
    a broken file is left out here and refused with its message when opened)."""
    titles = {}
    for name in lesson_names():
        try:
            d = read_json(lessons_dir() / f"{name}.json")
            title = d.get("title") if isinstance(d, dict) else None
        except FormatError:
            continue
        if isinstance(title, str) and title.strip():
            titles[name] = title
    return titles


def builtin_id(lesson: Lesson) -> str | None:
    """The shipped lesson's id (its file name without .json) if ``lesson`` was loaded from
    the shipped lessons folder, else None. Never the file's own ``name`` field: that is
    text from the file, not a path to replay."""
    p = lesson.path
    if p is None:
        return None
    try:
        folder = lessons_dir().resolve()
        if Path(p).resolve().parent != folder:
            return None
    except OSError:
        return None
    stem = Path(p).stem
    return stem if stem in lesson_names() else None


def load_lesson(name_or_path: str | Path) -> Lesson:
    """Load a shipped lesson by name, or a lesson file by path."""
    p = Path(name_or_path)
    shipped = False
    if not p.suffix and not p.exists():
        candidate = lessons_dir() / f"{name_or_path}.json"
        if not candidate.exists():
            raise LessonError(f"no lesson named {str(name_or_path)!r}; shipped lessons: "
                              f"{', '.join(lesson_names())}")
        # only a name of the shipped folder's own files, never a relative path out of it
        p, shipped = candidate, str(name_or_path) in lesson_names()
    data, raw = read_lesson_json(p)
    return lesson_from(data, p, raw, schema=not shipped)


def read_lesson_json(p: Path) -> tuple[Any, bytes]:
    """The decoded JSON of the file ``p`` and its bytes (bounded read); LessonError, naming
    the file once it was read, if it cannot be read or is not JSON."""
    raw = b""
    try:
        raw = read_bytes(p)
        return loads_json(raw), raw
    except FormatError as e:
        raise LessonError(f"{p.name}: {e}" if raw else str(e)) from None


def lesson_from(data: Any, p: Path, raw: bytes = b"", schema: bool = True) -> Lesson:
    """Validate the decoded lesson file ``p`` (messages name it, and the line of the key
    when its text ``raw`` is given); ``schema`` as in parse_lesson."""
    try:
        lesson = parse_lesson(data, origin="", schema=schema)
    except FormatError as e:
        raise LessonError(f"{p.name}: {with_line(raw, str(e)) if raw else e}") from None
    lesson.path = p
    return lesson


def parse_lesson(data: Any, origin: str = "lesson", schema: bool = True) -> Lesson:
    """Validate a lesson dictionary and build the Lesson; LessonError on any fault.

    ``schema=False`` skips only the file-format check (every key declared, typed and
    bounded; see file_schema), for the shipped lessons opened by name: a test checks every
    one of them against the schema, and leaving it out keeps the schema module (and every
    lab's constants it imports) out of start-up. Every value is still validated as it is
    read."""
    try:
        return _parse(data, origin, schema)
    except LessonError:
        raise
    except FormatError as e:
        raise LessonError(f"{origin}: {e}" if origin else str(e)) from None


def _parse(d: Any, origin: str, schema: bool = True) -> Lesson:
    check_header(d, FORMAT, VERSION, "lesson")
    from nnviz.engine.teaching.lesson_checks import check_lab_settings

    if schema:
        from nnviz.engine.files.file_schema import check_lesson

        check_lesson(d)  # every key declared, typed and bounded before anything is built
    check_lab_settings(d)
    name = as_str(need(d, "name", "lesson"), "name", 80)
    title = as_str(need(d, "title", "lesson"), "title", 200)
    description = as_str(d.get("description", ""), "description")
    lab = as_str(d.get("lab", "workbench"), "lab")
    if lab not in LABS:
        raise FormatError(f"lab: {lab!r} is not one of {', '.join(LABS)}")
    net = parse_network(need(d, "network", "lesson"))
    naming = parse_names(d.get("names"), net)
    loss, cfg, epochs, seed = _training(d.get("training", {}))
    ex_x = ex_y = None
    if "example" in d:
        ex = d["example"]
        ex_x = as_array(need(ex, "input", "example"), "example.input", (net.sizes[0],))
        ex_y = as_array(need(ex, "target", "example"), "example.target", (net.sizes[-1],))
    data = d.get("data", {})
    if not isinstance(data, dict):
        raise FormatError("data: expected an object")
    if data:
        from nnviz.engine.sets.datasets import dataset_from_spec

        dataset_from_spec(data, net.sizes[0], net.sizes[-1], net.activations[-1].name)
    if ex_x is None and not data:
        raise FormatError("a lesson needs an 'example' or 'data'")
    captions = _parse_captions(d.get("captions", []))
    chapter, order = parse_place(d)
    settings = d.get("settings", {})
    if not isinstance(settings, dict):
        raise FormatError("settings: expected an object")
    _check_settings(lab, settings)
    method, scale, _seed, bias0 = init_spec(need(d, "network", "lesson"))
    from nnviz.engine.teaching.notes_numbers import parse_notes_numbers

    notes_numbers = parse_notes_numbers(settings, net.sizes)
    return Lesson(
        name=name, title=title, description=description, network=net, naming=naming,
        loss=loss, train=cfg, epochs=epochs, seed=seed, example_x=ex_x, example_y=ex_y,
        data=data, lab=lab, source=as_str(d.get("source", ""), "source"), captions=captions,
        settings=settings, raw=d, init=(method, scale, bias0),
        notes_digits=_notes_digits(settings), notes_numbers=notes_numbers,
        chapter=chapter, order=order,
    )


def _training(tr: Any) -> tuple[str, TrainConfig, int, int]:
    """The lesson's ``training``: (loss name, settings, epochs, seed)."""
    if not isinstance(tr, dict):
        raise FormatError("training: expected an object")
    loss = as_str(tr.get("loss", "half_sse"), "training.loss")
    if loss not in LOSSES:
        raise FormatError(f"training.loss: {loss!r} is not one of {', '.join(LOSSES)}")
    bs = tr.get("batch_size")
    cfg = TrainConfig(
        eta=as_number(tr.get("eta", 0.5), "training.eta", 0.0, 1e3),
        batch_size=None if bs is None else as_int(bs, "training.batch_size", 0, 10**6),
        momentum=as_number(tr.get("momentum", 0.0), "training.momentum", 0.0, 0.999),
        l1=as_number(tr.get("l1", 0.0), "training.l1", 0.0, 1e3),
        l2=as_number(tr.get("l2", 0.0), "training.l2", 0.0, 1e3),
        dropout=as_number(tr.get("dropout", 0.0), "training.dropout", 0.0, 0.95),
        dropout_mode=dropout_mode(tr.get("dropout_mode", "inverted"), "training"),
        clip_value=_opt_pos(tr.get("clip_value"), "training.clip_value"),
        clip_norm=_opt_pos(tr.get("clip_norm"), "training.clip_norm"),
        freeze_biases=as_bool(tr.get("freeze_biases", False), "training.freeze_biases"),
        **parse_optimiser(tr, "training"),
        **parse_schedule(tr, "training"),
    )
    epochs = as_int(tr.get("epochs", 1), "training.epochs", 0, 10**7)
    seed = as_int(tr.get("seed", 0), "training.seed", 0, 2**32 - 1)
    return loss, cfg, epochs, seed


def _check_settings(lab: str, settings: dict) -> None:
    """The Convolution and Generalisation labs' own settings are checked by their parsers."""
    if lab == "conv":
        from nnviz.engine.labs.conv_setup import parse_setup

        try:
            parse_setup(settings)
        except FormatError as e:
            raise FormatError(f"settings.{e}") from None
    if lab == "general":
        from nnviz.engine.labs.general_setup import parse_setup as parse_general

        try:
            parse_general(settings)
        except FormatError as e:
            raise FormatError(f"settings: {e}") from None


def _opt_pos(v: Any, where: str) -> float | None:
    return None if v is None else as_number(v, where, 1e-12, 1e12)


def _notes_digits(settings: dict) -> tuple[int, int] | None:
    """``settings.matrix_notes_digits``: the decimals notes print in a matrix update
    (products, results), e.g. [3, 2] for notes 003's linear example."""
    v = settings.get("matrix_notes_digits")
    if v is None:
        return None
    if not isinstance(v, list) or len(v) != 2:
        raise FormatError("settings.matrix_notes_digits: expected two integers")
    return (as_int(v[0], "settings.matrix_notes_digits[0]", 0, 9),
            as_int(v[1], "settings.matrix_notes_digits[1]", 0, 9))


def _parse_captions(cs: Any) -> list[Caption]:
    if not isinstance(cs, list):
        raise FormatError("captions: expected a list")
    out = []
    for i, c in enumerate(cs):
        where = f"captions[{i}]"
        text = as_str(need(c, "text", where), f"{where}.text", 2000)
        q = as_str(c.get("question", ""), f"{where}.question", 2000)
        parse_template(text, f"{where}.text")       # templates: nnviz.engine.teaching.captions
        parse_template(q, f"{where}.question")
        when = parse_when(c, where)
        if when is not None:
            if "at" in c:
                raise FormatError(f"{where}: use either 'at' or 'when', not both")
            out.append(Caption(text, q, None, None, when))
            continue
        at = c.get("at", "start")
        if isinstance(at, str):
            if at not in PHASE_NAMES:
                raise FormatError(f"{where}.at: {at!r} is not a step number or one of "
                                  f"{', '.join(PHASE_NAMES)}")
            out.append(Caption(text, q, 0 if at == "start" else None,
                               None if at == "start" else at))
        else:
            out.append(Caption(text, q, as_int(at, f"{where}.at", 0, 10**7), None))
    return out


def loss_of(lesson: Lesson):
    """The Loss object of a lesson."""
    return get_loss(lesson.loss)
