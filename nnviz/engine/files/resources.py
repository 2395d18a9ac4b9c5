"""Where the shipped resources (lessons, data sets) are, installed or in a source tree."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    """The ``resources/`` folder: beside the package in a checkout, inside it when installed."""
    pkg = Path(__file__).resolve().parents[2]   # nnviz/engine/files/resources.py → nnviz
    for candidate in (pkg.parent / "resources", pkg / "resources"):
        if (candidate / "lessons").is_dir():
            return candidate
    raise FileNotFoundError("nnviz resources not found (lessons folder missing)")


def lessons_dir() -> Path:
    return resources_dir() / "lessons"
