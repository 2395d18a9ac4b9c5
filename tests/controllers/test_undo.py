"""One undo command (Change) for every lab: installing, merging by key, applied pushes,
weak hold of a controller; and the rule that no other module defines its own."""

from __future__ import annotations

import ast
import gc
from pathlib import Path

from PySide6.QtGui import QUndoCommand, QUndoStack

from nnviz.controllers.undo import Change, merge_id

NNVIZ = Path(__file__).resolve().parents[2] / "nnviz"


class Holder:
    """Stands for a controller: its state is a list, installed whole."""

    def __init__(self, state):
        self.state = state
        self.installed = []

    def install(self, state) -> None:
        self.state = state
        self.installed.append(state)


def test_redo_installs_after_and_undo_installs_before(qtbot):
    h, stack = Holder([0]), QUndoStack()
    stack.push(Change("Set 1", h.install, [0], [1]))
    assert h.state == [1] and stack.undoText() == "Set 1"
    stack.undo()
    assert h.state == [0]
    stack.redo()
    assert h.state == [1]


def test_copy_keeps_the_history_states_private(qtbot):
    h, stack = Holder([0]), QUndoStack()
    stack.push(Change("Set 1", h.install, [0], [1], copy=list))
    h.state.append(99)             # whoever received the state changes it ...
    stack.undo()
    stack.redo()
    assert h.state == [1]          # ... the history still has its own


def test_changes_with_the_same_key_merge_others_do_not(qtbot):
    h, stack = Holder([0]), QUndoStack()
    for v in (1, 2, 3):            # one drag of one weight
        stack.push(Change(f"w = {v}", h.install, [v - 1], [v], ("weight", 0, 1, 2)))
    stack.push(Change("b = 4", h.install, [3], [4], ("bias", 0, 1)))
    stack.push(Change("typed 5", h.install, [4], [5]))            # no key: never merges
    stack.push(Change("typed 6", h.install, [5], [6]))
    assert stack.count() == 4
    stack.undo()
    stack.undo()
    stack.undo()
    assert h.state == [3]
    stack.undo()                   # the whole drag at once: back to before its first step
    assert h.state == [0] and stack.index() == 0


def test_an_applied_change_is_not_installed_again_by_the_push(qtbot):
    h, stack = Holder([5]), QUndoStack()
    stack.push(Change("Train 5 steps", h.install, [0], [5], applied=True))
    assert h.installed == []
    stack.undo()
    stack.redo()
    assert h.installed == [[0], [5]]


def test_the_history_does_not_keep_a_controller_alive(qtbot):
    h, stack = Holder([0]), QUndoStack()
    stack.push(Change("Set 1", h.install, [0], [1]))
    del h
    gc.collect()
    stack.undo()                   # the controller is gone: nothing to install, no error
    stack.redo()


def test_merge_ids_follow_keys():
    assert merge_id("weight", 0, 0, 1) == merge_id("weight", 0, 0, 1)
    assert merge_id("weight", 0, 0, 1) != merge_id("weight", 0, 1, 0)


def test_no_other_undo_command_class():
    """Every undoable edit is a Change: no module but undo.py (and the bounded stack's
    wrapper of kept steps) subclasses QUndoCommand."""
    allowed = {("controllers/undo.py", "Change"), ("controllers/undo_bytes.py", "_Kept")}
    found = set()
    for path in NNVIZ.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                    getattr(b, "id", getattr(b, "attr", "")) == QUndoCommand.__name__
                    for b in node.bases):
                found.add((path.relative_to(NNVIZ).as_posix(), node.name))
    assert found == allowed
