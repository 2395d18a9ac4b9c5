"""The session: one per main window. It owns the document and every lab's controllers,
made here in one place (a page is handed its lab's parts), and it saves and restores the
labs' part of a workspace by asking those controllers, so a workspace round trip needs no
lab page.

A lab's parts are made when first asked for: when its page is built, or when a workspace
gives it state. Not all at the start: they would cost start-up time (their modules) and,
while hidden, time at every lesson switch (the error surface and Training controllers
redo their set-up for each lesson: up to 0.16 s for keras-lab) — measured, see README.

Ownership: the session is the Qt parent of the document and of each lab's
:class:`~nnviz.controllers.lab_parts.LabParts`, which is the parent of its controllers;
pages hold their parts, the parts hold their page only weakly.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject

from nnviz.controllers.document import Document
from nnviz.controllers.lab_parts import LabParts

#: lab name -> its parts ("module:Class"); the same names as nnviz.views.labs.LAB_CLASSES
LAB_PARTS: dict[str, str] = {
    "workbench": "nnviz.controllers.lab_parts:WorkbenchParts",
    "universality": "nnviz.controllers.lab_parts:UniversalityParts",
    "surface": "nnviz.controllers.lab_parts:SurfaceParts",
    "training": "nnviz.controllers.lab_parts:TrainingParts",
    "neuron": "nnviz.controllers.lab_parts:NeuronParts",
    "conv": "nnviz.controllers.lab_parts:ConvParts",
    "general": "nnviz.controllers.lab_parts:GeneralParts",
}


def parts_class(name: str) -> type[LabParts]:
    """The LabParts subclass registered under ``name``."""
    if name not in LAB_PARTS:
        raise ValueError(f"unknown lab {name!r}; choose one of {', '.join(LAB_PARTS)}")
    module, _, cls = LAB_PARTS[name].partition(":")
    return getattr(importlib.import_module(module), cls)


class Session(QObject):
    """The document and every lab's controllers of one main window."""

    def __init__(self, labs: Iterable[str] = tuple(LAB_PARTS), doc: Document | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = doc if doc is not None else Document(self)
        self.names = [name for name in labs if name in LAB_PARTS]
        self.parts: dict[str, LabParts] = {}   # made so far, by lab name

    def lab(self, name: str) -> LabParts:
        """Lab ``name``'s controllers, made on first use (KeyError if the lab is not in
        this session)."""
        if name not in self.parts:
            if name not in self.names:
                raise KeyError(name)
            self.parts[name] = parts_class(name)(self.doc, self)
        return self.parts[name]

    def forget(self, name: str) -> None:
        """Drop lab ``name``'s controllers at once (made afresh when next asked): a failed
        open takes back the ones it made. Only for parts no page shows."""
        parts = self.parts.pop(name, None)
        if parts is not None:
            parts.shutdown()
            shiboken6.delete(parts)   # now, with its controllers: none hears the document

    def make_all(self) -> None:
        """Make every lab's controllers now."""
        for name in self.names:
            self.lab(name)

    # ------------------------------------------------------------ workspace
    def state(self) -> dict[str, dict[str, Any]]:
        """The part of a workspace of every lab made so far, read from its controllers."""
        return {name: p.state() for name, p in self.parts.items()}

    def restore_state(self, states: dict[str, Any]) -> None:
        """Give each lab named in ``states`` its part (call after the document was
        restored); ValueError from a lab that refuses its part. Labs not in this session
        are left out."""
        for name, st in states.items():
            if name in self.names:
                self.lab(name).restore_state(st)

    def progress(self) -> dict[str, Any]:
        """What runs have built up in memory and a workspace does not keep."""
        return {name: p.progress() for name, p in self.parts.items()}

    def restore_progress(self, progress: dict[str, Any]) -> None:
        for name, pr in progress.items():
            if pr is not None and name in self.parts:
                self.parts[name].restore_progress(pr)

    # ------------------------------------------------------------ life
    def shutdown(self) -> None:
        """Stop every lab's timers and threads (before the window closes)."""
        for p in self.parts.values():
            p.shutdown()
