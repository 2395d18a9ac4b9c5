"""The key tables of the format documents, generated from the declared schema so the
documents and the checks cannot drift apart (``tests/engine/test_schema.py`` fails if
a document is stale). Run ``python -m nnviz.engine.files.format_docs`` to rewrite them."""

from __future__ import annotations

from pathlib import Path

from nnviz.engine.files.file_schema import LABS, LESSON, LESSON_SETTINGS
from nnviz.engine.files.schema import Obj, markdown_table
from nnviz.engine.files.workspace_schema import BUILTIN_LABS, LAB_STATES, WORKSPACE

BEGIN = "<!-- generated from nnviz/engine/*schema.py: do not edit by hand -->"
END = "<!-- end of generated tables -->"
ROOT = Path(__file__).resolve().parents[3]   # the source tree (nnviz/engine/files/…)
LESSON_DOC = ROOT / "resources" / "lessons" / "README.md"
WORKSPACE_DOC = ROOT / "docs" / "workspace-format.md"


def lesson_tables() -> str:
    out = ["### Keys of a lesson", "", markdown_table(LESSON)]
    for lab in LABS:
        out += [f"### `settings` of a `{lab}` lesson", "", markdown_table(
            Obj(LESSON_SETTINGS[lab]), "settings")]
    out.append("A lesson may also hold another lab's settings keys (checked as declared "
               "for that lab); any other key is refused.\n")
    return "\n".join(out)


def workspace_tables() -> str:
    out = ["### Keys of a workspace", "", markdown_table(WORKSPACE)]
    for lab in BUILTIN_LABS:
        node = LAB_STATES[lab]
        if isinstance(node, Obj) and node.fields:
            out += [f"### `labs.{lab}`", "", markdown_table(node, f"labs.{lab}")]
    out.append("`labs.general`: the generalisation lab's settings, as in a `general` "
               "lesson's `settings`.\n")
    return "\n".join(out)


def render(text: str, tables: str) -> str:
    """``text`` with the part between the markers replaced by ``tables``."""
    head, sep, rest = text.partition(BEGIN)
    if not sep:
        raise ValueError("the document has no generated-tables marker")
    _, sep2, tail = rest.partition(END)
    if not sep2:
        raise ValueError("the document has no end-of-tables marker")
    return f"{head}{BEGIN}\n\n{tables}\n{END}{tail}"


def documents() -> dict[Path, str]:
    """Each format document as it should read."""
    return {LESSON_DOC: render(LESSON_DOC.read_text(encoding="utf-8"), lesson_tables()),
            WORKSPACE_DOC: render(WORKSPACE_DOC.read_text(encoding="utf-8"),
                                  workspace_tables())}


if __name__ == "__main__":
    for path, text in documents().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
