"""The Workbench's steps on the document's history (controllers/workbench/history.py):
the command, the timeline read from the stack, its caps."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.controllers.document import Document
from nnviz.controllers.undo import Change
from nnviz.controllers.workbench import history as H


@pytest.fixture
def doc(qtbot):
    d = Document()
    d.load_lesson("mazur-2-2-2")
    yield d
    d.undo_stack.blockSignals(True)


def _nudged(net, by):
    out = net.copy()
    out.weights[0][0, 0] += by
    return out


def test_a_step_shares_the_network_below_and_counts_it_once(doc):
    past = H.StepHistory(doc)
    one = _nudged(doc.network, 0.1)
    past.push(one, "step 1", optimiser=None)
    past.push(_nudged(one, 0.1), "step 2")
    a, b = past.steps()
    assert b.before is a.after                       # one copy of the network between
    net_bytes = sum(w.nbytes + v.nbytes for w, v in zip(one.weights, one.biases))
    assert a._undo_bytes == 2 * net_bytes and b._undo_bytes == net_bytes
    doc.set_weight(0, 1, 1, 0.9)                      # an edit between: its own before
    past.push(_nudged(doc.network, 0.1), "step 3")
    c = past.steps()[2]
    assert c.before is not b.after and c._undo_bytes == 2 * net_bytes
    assert doc.undo_stack.held_bytes() >= 5 * net_bytes


def test_t_counts_the_steps_below_the_index_and_other_entries_do_not(doc):
    past = H.StepHistory(doc)
    assert past.t == 0 and len(past.networks()) == 1 and past.networks()[0] is doc.network
    doc.set_weight(0, 0, 1, 0.5)
    past.push(_nudged(doc.network, 0.1), "step 1")
    doc.set_weight(0, 0, 1, 0.6)
    past.push(_nudged(doc.network, 0.1), "step 2")
    stack = doc.undo_stack
    assert [past.index_of(t) for t in (0, 1, 2)] == [1, 3, 4]   # back: below the next
    for index, t in ((4, 2), (3, 1), (2, 1), (1, 0), (0, 0)):
        stack.setIndex(index)
        assert past.t == t
    assert [past.index_of(t) for t in (0, 1, 2)] == [0, 2, 4]   # forward: above it
    assert past.optimiser_at(0) is None and past.optimiser_at(5) is None


def test_quiet_steps_install_nothing(doc):
    net = doc.network.copy()
    step = doc.network_command("quiet", _nudged(net, 1.0), kind=H.WorkbenchStep)
    step.quiet = True
    doc.undo_stack.push(step)
    assert doc.network.equals(net)
    step.quiet = False
    doc.undo_stack.undo()
    assert doc.network.equals(net) and doc.undo_stack.index() == 0
    doc.undo_stack.redo()
    assert doc.network.weights[0][0, 0] == net.weights[0][0, 0] + 1.0
    assert isinstance(step, Change)


def test_the_timeline_keeps_at_most_max_timeline_networks(doc, monkeypatch):
    monkeypatch.setattr(H, "MAX_TIMELINE", 6)
    past = H.StepHistory(doc)
    doc.set_weight(0, 0, 1, 0.5)                      # an entry before the first step
    for i in range(9):
        past.push(_nudged(doc.network, 0.01), f"step {i + 1}")
        assert len(past.networks()) <= 6
    assert len(past.networks()) == 6 and past.t == 5
    assert doc.undo_stack.count() == 5                # the oldest steps (and the edit) gone
    assert past.networks()[-1] is doc.network


def test_drop_oldest_never_drops_a_step_still_to_redo(doc):
    for v in (0.1, 0.2, 0.3, 0.4):
        doc.set_weight(0, 0, 0, v)
    stack = doc.undo_stack
    stack.setIndex(2)
    stack.drop_oldest(3)                              # beyond the index: refused
    assert stack.count() == 4
    stack.drop_oldest(1)
    assert (stack.count(), stack.index()) == (3, 1)
    stack.redo()
    assert doc.network.weights[0][0, 0] == 0.3


def test_a_784_100_10_workbench_keeps_its_steps_within_the_historys_bytes(qtbot):
    """Each step of the largest shipped network holds one copy of it (636 KB): the history
    keeps as many as fit its bytes, and the timeline is read from those steps."""
    from nnviz.controllers.workbench.stepper import StepController

    doc = Document()
    doc.load_lesson("wide-784-100-10")
    net_bytes = doc.network.n_params() * 8
    doc.undo_stack.max_bytes = 12 * net_bytes
    st = StepController(doc)
    for _ in range(20):
        assert st.train_step(after=_nudged(doc.network, 0.001))
    assert doc.undo_stack.held_bytes() <= 12 * net_bytes
    assert 10 <= len(st.timeline) <= 13 and st.t == len(st.timeline) - 1
    assert st.timeline_state() is None                # too big for a workspace
    assert np.isfinite(st.history()["cost"]).all()
    doc.undo_stack.blockSignals(True)


def test_a_timeline_restored_on_an_empty_history_is_there_at_once(doc):
    """A document restored with its history emptied first (Session's own open) has the
    steps at once; a failed open that put them there takes them back off."""
    past = H.StepHistory(doc)
    nets = [doc.network.copy(), _nudged(doc.network, 0.1), _nudged(doc.network, 0.2)]
    doc.set_network(nets[1], "as saved")
    doc.clear_undo()
    past.restore(nets, 1)
    stack = doc.undo_stack
    assert (past.t, stack.count(), stack.index(), stack.isClean()) == (1, 2, 1, True)
    assert doc.network.equals(nets[1])            # pushed and moved quietly
    stack.redo()
    assert doc.network.equals(nets[2]) and past.t == 2
    stack.undo()
    past.forget_restore()                          # the open failed: as it was, empty
    assert stack.count() == 0 and past.t == 0 and doc.network.equals(nets[1])
    past.restore(nets, 1)
    doc.set_weight(0, 0, 0, 0.5)                   # not only the restored steps now
    past.forget_restore()
    assert stack.count() == 2


def test_a_steps_bytes_are_what_payload_bytes_counts(doc):
    """The quick count of a network's arrays agrees with the stack's own measure, with
    batch normalisation too."""
    from nnviz.controllers.undo_bytes import payload_bytes
    from nnviz.engine.core.batchnorm import BatchNorm

    net = doc.network.copy()
    assert H._net_bytes(net) == payload_bytes(net)
    net.norms = [BatchNorm.new(2), None]
    assert H._net_bytes(net) == payload_bytes(net) > H._net_bytes(doc.network)
