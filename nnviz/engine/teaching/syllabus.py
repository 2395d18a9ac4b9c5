"""The syllabus: lessons in chapters, in the order of the course.

A lesson file may carry ``"chapter"`` (a chapter id from :data:`CHAPTERS`, or the
title of a chapter of its own, plain text up to 80 characters) and ``"order"`` (its
place in the chapter, 0-9999). Chapters come in the order of :data:`CHAPTERS`;
chapters of their own follow them alphabetically, then lessons without a chapter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nnviz.engine.files.resources import lessons_dir
from nnviz.engine.files.validate import FormatError, as_int, as_str, read_json

#: (id, title) in course order; convolution and generalisation have room for lessons to come
CHAPTERS: tuple[tuple[str, str], ...] = (
    ("neurons", "Neurons and perceptrons"),
    ("backprop", "Backpropagation"),
    ("training", "Training"),
    ("deep", "Deep networks and their troubles"),
    ("universality", "Universality"),
    ("convolution", "Convolutional networks"),
    ("generalisation", "Generalisation"),
)
CHAPTER_TITLES = dict(CHAPTERS)
NO_CHAPTER = "Other lessons"
MAX_ORDER = 9999


def parse_place(d: dict[str, Any]) -> tuple[str, int]:
    """The lesson's (chapter, order), validated; ("", MAX_ORDER) when it has none."""
    chapter = d.get("chapter", "")
    chapter = "" if chapter is None else as_str(chapter, "chapter", 80).strip()
    if "\n" in chapter or "\r" in chapter:
        raise FormatError("chapter: one line of plain text")
    order = as_int(d.get("order", MAX_ORDER), "order", 0, MAX_ORDER)
    return chapter, order


def chapter_title(chapter: str) -> str:
    return CHAPTER_TITLES.get(chapter, chapter) or NO_CHAPTER


def _chapter_key(chapter: str) -> tuple[int, str]:
    ids = [c for c, _ in CHAPTERS]
    if chapter in ids:
        return ids.index(chapter), ""
    return (len(ids), chapter.lower()) if chapter else (len(ids) + 1, "")


@dataclass(frozen=True)
class Entry:
    """One lesson in the syllabus."""

    name: str
    title: str
    chapter: str
    order: int

    @property
    def chapter_title(self) -> str:
        return chapter_title(self.chapter)


def sort_entries(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (_chapter_key(e.chapter), e.order, e.name))


def shipped_syllabus() -> list[Entry]:
    """Every shipped lesson in course order, read cheaply for menus (a broken file is left
    out here and refused with its message when opened)."""
    from nnviz.engine.teaching.lessons import lesson_names

    entries = []
    for name in lesson_names():
        try:
            d = read_json(lessons_dir() / f"{name}.json")
            title = as_str(d.get("title"), "title", 200)
            chapter, order = parse_place(d)
        except (OSError, ValueError, AttributeError, TypeError, FormatError):
            continue
        if title.strip():
            entries.append(Entry(name, title, chapter, order))
    return sort_entries(entries)


def chapters(entries: list[Entry]) -> list[tuple[str, list[Entry]]]:
    """The entries grouped by chapter title, chapters in course order."""
    out: list[tuple[str, list[Entry]]] = []
    for e in entries:
        if not out or out[-1][0] != e.chapter_title:
            out.append((e.chapter_title, []))
        out[-1][1].append(e)
    return out


def neighbour(entries: list[Entry], name: str, step: int) -> str | None:
    """The lesson ``step`` places after (or before) ``name``; the first (last) if ``name``
    is not in the syllabus; None past either end."""
    names = [e.name for e in entries]
    if not names:
        return None
    if name not in names:
        return names[0] if step > 0 else names[-1]
    i = names.index(name) + step
    return names[i] if 0 <= i < len(names) else None
