"""The undo history is bounded by the bytes its steps hold, measured after every step, so
a network that grows mid-session (a structure edit) keeps fewer of its bigger steps
(issue 17, item 12), and what is kept still undoes and redoes exactly."""

from __future__ import annotations

import numpy as np
import pytest
import shiboken6

from nnviz.controllers import document as D
from nnviz.controllers.undo_bytes import command_bytes
from nnviz.engine.core import edit


@pytest.fixture
def doc(qtbot):
    d = D.Document()
    d.load_lesson("mazur-2-2-2")
    yield d
    d.undo_stack.blockSignals(True)


def _per_step(net) -> int:
    """Two copies of the parameters (before and after) per step."""
    return 2 * 8 * net.n_params()


def test_a_structure_edit_mid_session_shrinks_the_history(doc):
    small = doc.network.copy()
    cap = 60 * _per_step(small)
    doc.undo_stack.max_bytes = cap
    for i in range(50):  # 50 small steps fit
        doc.set_weight(0, 0, 0, 0.01 * i)
    assert doc.undo_stack.count() == 50
    doc.mark_saved()
    rng = np.random.default_rng(1)
    doc.set_network(edit.resize_layer(doc.network, 1, 40, rng), "Layer 1: 40 neurons")
    grown = doc.network.copy()
    assert _per_step(grown) > 5 * _per_step(small)
    for i in range(40):  # bigger steps after the edit
        doc.set_weight(0, 0, 1, 0.02 * i + 0.5)
    stack = doc.undo_stack
    held = stack.held_bytes()
    assert held <= cap
    assert held == sum(command_bytes(stack.command(i)) for i in range(stack.count()))
    assert stack.count() < 40 < 50 + 1 + 40  # the cap, not the count, decided
    assert stack.count() >= cap // command_bytes(stack.command(stack.count() - 1)) - 1
    # the saved state went out of the history: every state left is "modified"
    assert doc.is_modified
    # what is kept undoes step by step to the oldest kept state, then stops
    last = doc.network.copy()
    want = [0.02 * i + 0.5 for i in range(40)][::-1]
    for k in range(stack.count()):
        assert doc.network.weights[0][0, 1] == pytest.approx(want[k])
        stack.undo()
    assert not stack.canUndo()
    assert doc.network.weights[0][0, 1] == pytest.approx(want[stack.count()])
    while stack.canRedo():
        stack.redo()
    assert doc.network.equals(last)


def test_trimming_keeps_the_saved_state_and_merging(doc):
    doc.set_weight(0, 0, 0, -1.0)
    stack = doc.undo_stack
    per = command_bytes(stack.command(0))  # every step of this network
    stack.max_bytes = 10 * per
    for i in range(7):
        doc.set_weight(0, 0, 0, float(i))
    doc.mark_saved()  # at step 8
    for i in range(11):
        doc.set_weight(0, 1, 0, float(i))
    assert stack.held_bytes() <= 10 * per and stack.count() == 10
    assert stack.cleanIndex() == -1  # step 8 was dropped: no state left is the saved one
    for k in range(stack.count()):
        stack.setIndex(k)
        assert doc.is_modified
    stack.setIndex(stack.count())
    doc.mark_saved()
    saved = doc.network.copy()
    doc.set_weight(0, 1, 1, 1.0, merge=True)
    doc.set_weight(0, 0, 1, 1.0)
    doc.set_weight(0, 1, 1, 1.0, merge=True)  # a drag: these two merge into one step
    doc.set_weight(0, 1, 1, 2.0, merge=True)
    assert stack.count() == 10 and stack.cleanIndex() == 7
    stack.setIndex(7)
    assert not doc.is_modified and doc.network.equals(saved)
    stack.setIndex(10)
    assert doc.network.weights[0][1, 1] == 2.0
    stack.undo()
    assert doc.network.weights[0][1, 1] == 1.0  # the merged drag went back in one step


def test_a_small_network_keeps_the_full_count(doc):
    for i in range(D.MAX_UNDO + 20):
        doc.set_weight(0, 0, 0, float(i % 7))
    assert doc.undo_stack.count() == D.MAX_UNDO


_CYCLE_SCRIPT = """
import gc, sys
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from nnviz.controllers.document import Document
from nnviz.controllers.training.controller import TrainingController


def make():
    doc = Document()
    ctl = TrainingController(doc)
    doc.load_lesson("spiral")
    ctl.step_epoch()            # one entry on the document's history
    ctl.shutdown()


make()
gc.collect()                    # the document, its history and the controller, in a cycle
print("collected")
"""


def test_a_document_freed_by_the_garbage_collector_does_not_crash(tmp_path):
    """A Document with a pushed step, freed with its controller by gc.collect(), crashed
    the process (SIGSEGV in QUndoStack::clear): in a child process, so a crash fails this
    test instead of ending the suite."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(root))
    r = subprocess.run([sys.executable, "-c", _CYCLE_SCRIPT], capture_output=True, text=True,
                       env=env, cwd=tmp_path, timeout=120)
    assert r.returncode == 0 and "collected" in r.stdout, (r.returncode, r.stderr[-2000:])


def test_the_commands_held_for_a_stack_are_only_those_it_still_has(qtbot):
    from nnviz.controllers import undo_bytes
    from nnviz.controllers.undo import Change

    stack = undo_bytes.BoundedUndoStack(10**9)
    for i in range(5):
        stack.push(Change(f"step {i}", lambda s: None, i, i + 1, ("same",)))  # they merge
    assert stack.count() == 1 and len(undo_bytes._HELD[stack._key]) == 1
    stack.push(Change("other", lambda s: None, 0, 1))
    stack.undo()
    stack.push(Change("instead", lambda s: None, 0, 2))   # drops the undone step
    assert stack.count() == 2 and len(undo_bytes._HELD[stack._key]) == 2
    stack.clear()
    assert undo_bytes._HELD[stack._key] == []
    key = stack._key
    shiboken6.delete(stack)
    assert key not in undo_bytes._HELD


def test_push_all_tells_the_end_state_once(qtbot):
    """A saved history put back in one go: the Edit menu hears its end state once (not a
    signal per step: a 999-step timeline emitted thousands while a workspace opened)."""
    from nnviz.controllers import undo_bytes
    from nnviz.controllers.undo import Change

    stack = undo_bytes.BoundedUndoStack(10**9)
    got = []
    for sig in ("indexChanged", "canUndoChanged", "canRedoChanged", "undoTextChanged",
                "redoTextChanged"):
        getattr(stack, sig).connect(lambda v, s=sig: got.append((s, v)))
    done = []
    stack.push_all([Change(f"step {i}", done.append, i, i + 1) for i in range(3)], 1)
    assert (stack.count(), stack.index()) == (3, 1) and done == [1, 2, 3, 2, 1]   # redo, undo
    assert got == [("indexChanged", 1), ("canUndoChanged", True), ("canRedoChanged", True),
                   ("undoTextChanged", "step 0"), ("redoTextChanged", "step 1")]
    assert len(undo_bytes._HELD[stack._key]) == 3


def test_a_weak_slot_calls_its_owner_only_while_it_lives(qtbot):
    """The document's slots for its stack's signals hold it weakly: the stack emits them
    from its destructor (QUndoStack::clear), when the garbage collector may already have
    freed the document's wrapper - PySide then looked the slot up on it and crashed (seen
    with test_workbench_history, test_stepper, test_document and test_undo_bytes in one
    process: SIGSEGV in SignalManager::qt_metacall under QUndoStack::~QUndoStack)."""
    import gc

    from PySide6.QtCore import QObject

    from nnviz.controllers import undo_bytes

    got = []
    owner = QObject()
    slot = undo_bytes.weak_slot(owner, lambda o, *a: got.append((o.objectName(), a)))
    owner.setObjectName("doc")
    slot(3)
    assert got == [("doc", (3,))]
    shiboken6.delete(owner)          # the C++ object gone, the wrapper still here
    slot(4)
    del owner
    gc.collect()
    slot(5)                          # the wrapper gone too
    assert got == [("doc", (3,))]
    other = QObject()
    later = undo_bytes.weak_slot(other, lambda o, *a: got.append(a))
    del other
    gc.collect()
    later(6)
    assert got == [("doc", (3,))]


def test_a_freed_document_tells_no_listener_of_its_stack_being_destroyed(qtbot):
    """QUndoStack's destructor clears the stack and emits indexChanged: a Python-owned
    Document freed by the garbage collector told every other listener of its stack (the
    Edit menu's actions, a lab's slot) of an index of a stack being destroyed. Its stack
    is silenced when the document's wrapper goes; a stack whose C++ object is gone first
    is left alone."""
    import gc

    from nnviz.controllers.document import Document
    from nnviz.controllers.undo import Change

    heard = []
    doc = Document()
    doc.undo_stack.indexChanged.connect(heard.append)
    doc.undo_stack.push(Change("a", lambda s: None, 0, 1))
    assert heard == [1]                 # a live stack is heard
    doc._cycle = doc                    # freed by the collector, not by reference counts
    del doc
    gc.collect()
    assert heard == [1]
    gone = Document()
    shiboken6.delete(gone)              # C++ first (a parent deleted it), the wrapper later
    del gone
    gc.collect()
