"""The step controller: positions, layer jumps, training steps, timeline and undo."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.controllers.document import Document
from nnviz.controllers.workbench.stepper import StepController
from nnviz.engine.stepping.worked import lesson_trace


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


def test_the_timeline_is_capped_by_the_historys_bytes(stepper):
    """The steps are on the document's undo stack, bounded by what they hold: a run of
    steps keeps one copy of each network (a step's before is the step below's after)."""
    doc = stepper.doc
    n = doc.network.n_params()
    doc.undo_stack.max_bytes = 5 * n * 8              # room for five networks
    for _ in range(12):
        assert stepper.train_step()
    assert 2 <= len(stepper.timeline) <= 6
    assert doc.undo_stack.held_bytes() <= 5 * n * 8
    assert stepper.t == len(stepper.timeline) - 1 == doc.undo_stack.count()
    assert stepper.timeline[-1] is doc.network
    steps = stepper.past.steps()
    assert all(a.after is b.before for a, b in zip(steps, steps[1:]))   # shared, not copied


def test_undo_and_redo_are_scrubbing(stepper):
    """Ctrl+Z / Ctrl+Y move the timeline exactly as the scrubber does: scrubbing to step t
    is setting the history's index; nothing is searched for, nothing pushed."""
    doc = stepper.doc
    for _ in range(4):
        stepper.train_step()
    nets = [n.copy() for n in stepper.timeline]
    assert stepper.t == 4 and doc.undo_stack.count() == 4
    stepper.scrub(1)
    assert doc.undo_stack.index() == 1 and doc.undo_stack.count() == 4
    assert stepper.t == 1 and doc.network.equals(nets[1])
    doc.undo_stack.undo()
    assert stepper.t == 0 and doc.network.equals(nets[0])
    for t in (1, 2, 3):
        doc.undo_stack.redo()
        assert stepper.t == t and doc.network.equals(nets[t])
        assert len(stepper.timeline) == 5
    stepper.scrub(4, k=7)
    assert (stepper.t, stepper.k, doc.undo_stack.index()) == (4, 7, 4)
    # the timeline read from the history is the history's networks, at every index
    for index in (4, 2, 0, 3):
        doc.undo_stack.setIndex(index)
        assert stepper.t == index and stepper.timeline[index] is doc.network
        for t, net in enumerate(stepper.timeline):
            assert net.equals(nets[t])
        cmds = [doc.undo_stack.command(i) for i in range(doc.undo_stack.count())]
        assert cmds == stepper.past.steps() and all(
            c.after.equals(nets[i + 1]) for i, c in enumerate(cmds))


def test_an_edit_after_going_back_drops_the_later_steps(stepper):
    doc = stepper.doc
    for _ in range(3):
        stepper.train_step()
    stepper.scrub(1)
    doc.set_weight(0, 0, 0, 0.7)
    assert stepper.t == 1 and len(stepper.timeline) == 2
    assert doc.undo_stack.count() == 2                 # step 1 and the edit
    assert stepper.timeline[1].weights[0][0, 0] == 0.7
    assert len(stepper.history()["cost"]) == 2
    stepper.train_step()                               # from the edited network
    assert stepper.t == 2 and stepper.timeline[1].weights[0][0, 0] == 0.7
    doc.undo_stack.undo()                              # the step, then the edit
    assert stepper.t == 1 and doc.network.weights[0][0, 0] == 0.7
    doc.undo_stack.undo()
    assert stepper.t == 1 and doc.network.weights[0][0, 0] != 0.7


def test_edits_between_steps_belong_to_the_step_they_follow(stepper):
    """Back to step t is the network the next step trained (edits included); forward to
    step t is just after it (the edits after it are redone by Redo)."""
    doc = stepper.doc
    stepper.train_step()
    doc.set_weight(0, 0, 0, 0.7)
    stepper.train_step()
    assert stepper.t == 2 and doc.undo_stack.count() == 3
    stepper.prev()                                     # the end of the pass step 2 trained
    assert stepper.t == 1 and doc.undo_stack.index() == 2 and stepper.k == len(stepper)
    assert doc.network.weights[0][0, 0] == 0.7
    stepper.scrub(0)
    stepper.scrub(1)
    assert doc.undo_stack.index() == 1 and doc.network.weights[0][0, 0] != 0.7
    doc.undo_stack.redo()
    assert stepper.t == 1 and doc.network.weights[0][0, 0] == 0.7


def test_the_optimiser_state_follows_undo_and_redo(stepper):
    doc = stepper.doc
    doc.set_config(optimiser="momentum")
    stepper.train_step()
    stepper.train_step()
    v2 = stepper.opt_states[2]
    assert stepper.past.optimiser_at(2) is v2 and stepper.past.optimiser_at(1) is not v2
    doc.undo_stack.undo()
    v1 = stepper.opt_states[1]
    assert set(stepper.opt_states) == {1, 2}          # step 2 is still there to redo
    used = stepper.options().optimiser                 # the trace goes on from step 1's
    assert all(np.array_equal(used.slots[0][k], v1.slots[0][k]) for k in v1.slot_names)
    assert not np.array_equal(v1.slots[0][v1.slot_names[0]], v2.slots[0][v1.slot_names[0]])
    stepper.train_step()                               # on from step 1: step 2 again
    assert stepper.opt_states[2] is not v2 and stepper.t == 2
    again = stepper.opt_states[2]
    assert all(np.array_equal(again.slots[0][k], v2.slots[0][k]) for k in v2.slot_names)


def test_a_restored_timeline_goes_on_the_emptied_history(stepper):
    """A workspace's timeline is put on the history when the open empties it (an open
    clears the history only once it has succeeded): then undo goes back through it."""
    doc = stepper.doc
    for _ in range(3):
        stepper.train_step()
    stepper.scrub(2, 5)
    saved, nets = stepper.timeline_state(), [n.copy() for n in stepper.timeline]
    doc.load_lesson("mazur-2-2-2")
    doc.set_network(nets[2], "as saved")
    stepper.restore_timeline(saved, 2, 5)
    assert stepper.k == 5 and doc.undo_stack.count() == 1      # not yet: still the old one
    doc.clear_undo()
    assert (stepper.t, stepper.k, doc.undo_stack.count()) == (2, 5, 3)
    assert not doc.is_modified and doc.network.equals(nets[2])
    assert all(a.equals(b) for a, b in zip(stepper.timeline, nets))
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert stepper.t == 0 and doc.network.equals(nets[0])
    doc.undo_stack.redo()
    assert stepper.t == 1 and doc.network.equals(nets[1])
    stepper.restore_timeline(saved[:2], 1, 0)     # another lesson opens: not restored
    doc.load_lesson("xor-mlp")
    assert doc.undo_stack.count() == 0 and len(stepper.timeline) == 1


def test_the_training_labs_run_in_between_keeps_the_timeline(stepper):
    """The Training lab announces the network every frame and puts its run on the history
    when it pauses: the Workbench's steps are neither searched nor corrupted."""
    from nnviz.controllers.training.controller import TrainingController

    doc = stepper.doc
    ctl = TrainingController(doc)
    for _ in range(3):
        stepper.train_step()
    nets = [n.copy() for n in stepper.timeline]
    stepper.scrub(1)
    for _ in range(5):                          # a live run: in place, every frame
        doc.network.weights[0][0, 1] += 0.01
        doc.network_updated()
        assert stepper.t == 1 and len(stepper.timeline) == 4
        assert stepper.timeline[1] is doc.network
        assert all(stepper.timeline[i].equals(nets[i]) for i in (0, 2, 3))
    doc.undo_stack.setIndex(1)                  # (undo the frames' change: not recorded)
    doc.network.set_params(nets[1].get_params())
    ctl.run_epochs(2)                           # the lab's steps: one entry, pushed
    lab = doc.network.copy()
    assert stepper.t == 1 and len(stepper.timeline) == 2   # the later steps dropped
    doc.undo_stack.undo()                       # the lab's entry
    assert stepper.t == 1 and doc.network.equals(nets[1])
    doc.undo_stack.undo()
    assert stepper.t == 0 and doc.network.equals(nets[0])
    doc.undo_stack.redo()
    doc.undo_stack.redo()
    assert stepper.t == 1 and doc.network.equals(lab)
    assert stepper.train_step() and stepper.t == 2
    assert stepper.timeline[1].equals(lab)      # step 2 trained on from the lab's network
    ctl.shutdown()


def test_the_cost_chart_skips_steps_of_another_shape_than_the_example(stepper):
    """An output neuron added after a step: the example has fewer targets than that
    network, which has no cost on it (NaN) instead of an error in File > Export."""
    from nnviz.engine.core.network import Network

    doc = stepper.doc
    stepper.train_step()
    net = doc.network
    wider = Network([net.weights[0].copy(), np.vstack([net.weights[1], net.weights[1][:1]])],
                    [net.biases[0].copy(), np.append(net.biases[1], 0.6)],
                    list(net.activations), list(net.shared_bias), list(net.use_bias))
    doc.set_network(wider, "Three outputs")
    assert stepper.t == 1 and len(stepper.timeline) == 2
    costs = stepper.history()["cost"]
    assert np.isfinite(costs[0]) and np.isnan(costs[1])
