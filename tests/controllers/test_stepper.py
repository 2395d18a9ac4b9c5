"""The step controller: positions, layer jumps, training steps, timeline and undo."""

from __future__ import annotations

import pytest

from nnviz.controllers.document import Document
from nnviz.controllers.workbench.stepper import StepController
from nnviz.engine.worked import lesson_trace


@pytest.fixture
def stepper(qtbot):
    doc = Document()
    doc.load_lesson("mazur-2-2-2")
    return StepController(doc)


def test_positions_follow_the_trace(stepper):
    tr = lesson_trace(stepper.doc.lesson)
    assert len(stepper) == len(tr) == 32
    for _ in range(5):
        stepper.next()
    assert stepper.k == 5
    assert stepper.step.equation.text() == tr.steps[4].equation.text()
    assert "Forward · layer 3 · neuron o1 · step 5 of 32" in stepper.status_text()
    stepper.prev()
    assert stepper.k == 4
    stepper.home()
    stepper.prev()
    assert stepper.k == 0 and stepper.t == 0     # nothing before the first pass


def test_layer_groups(stepper):
    ends = []
    for _ in range(12):
        stepper.next_layer()
        ends.append(stepper.k)
    # forward h (4), forward o (8), errors (11), backward o (17), backward h (23),
    # updates layer 1 (27), updates layer 2 (31), result (32)
    assert ends[:8] == [4, 8, 11, 17, 23, 27, 31, 32]
    stepper.prev_layer()
    assert stepper.k == 31


def test_end_of_pass_trains_and_back_returns(stepper):
    doc = stepper.doc
    before = doc.network.copy()
    after = lesson_trace(doc.lesson).net_after
    stepper.set_position(32)
    stepper.next()                   # past the end: the update is applied
    assert stepper.t == 1 and stepper.k == 0
    assert doc.network.equals(after)
    stepper.prev()                   # back to the end of the previous pass
    assert stepper.t == 0 and stepper.k == 32
    assert doc.network.equals(before)


def test_undo_of_a_training_step_moves_the_timeline(stepper):
    doc = stepper.doc
    stepper.train_step()
    stepper.train_step()
    assert stepper.t == 2
    doc.undo_stack.undo()
    assert stepper.t == 1 and len(stepper.timeline) == 3
    doc.undo_stack.redo()
    assert stepper.t == 2
    # an edit in the middle of the history drops the later steps
    doc.undo_stack.undo()
    doc.set_weight(0, 0, 0, 0.7)
    assert stepper.t == 1 and len(stepper.timeline) == 2
    assert stepper.timeline[1].weights[0][0, 0] == 0.7


def test_lesson_change_resets(stepper):
    stepper.train_step()
    stepper.set_position(7)
    stepper.doc.load_lesson("xor-mlp")
    assert stepper.t == 0 and stepper.k == 0 and len(stepper.timeline) == 1
    assert len(stepper) > 0


def test_the_timeline_is_capped_by_bytes(stepper, monkeypatch):
    from nnviz.controllers.workbench import stepper as S

    n = stepper.doc.network.n_params()
    monkeypatch.setattr(S, "MAX_TIMELINE_BYTES", 5 * n * 8)  # room for five networks
    for _ in range(12):
        assert stepper.train_step()
    assert 2 <= len(stepper.timeline) <= 5
    assert stepper._timeline_bytes() <= 5 * n * 8
    assert stepper.timeline[-1].equals(stepper.doc.network)


def test_training_elsewhere_compares_few_timeline_steps_in_full(stepper, monkeypatch):
    """The Training lab changes the network every frame while the Workbench's timeline
    holds many steps: each change compares the steps' probes, not every step in full;
    undo still finds the step it goes back to, however far."""
    from nnviz.engine.network import Network

    doc = stepper.doc
    for _ in range(60):
        stepper.train_step()
    assert stepper.t == 60
    full = []
    real = Network.equals
    monkeypatch.setattr(Network, "equals", lambda a, b: full.append(1) or real(a, b))
    for _ in range(5):                       # training in place, announced each frame
        doc.network.weights[0][0, 1] += 0.01
        doc.network_updated()
    assert len(full) <= 5 and stepper.t == 60 and len(stepper.timeline) == 61
    assert stepper.timeline[60].equals(doc.network)
    while doc.undo_stack.canUndo():          # back to the first step: found at step 0
        doc.undo_stack.undo()
    assert stepper.t == 0 and doc.network.equals(stepper.timeline[0])
    doc.undo_stack.redo()
    assert stepper.t == 1
