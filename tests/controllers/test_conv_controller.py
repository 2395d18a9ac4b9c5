"""The convolution lab's controllers: stepping, undoable edits, workspace state, live CNN."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnviz.controllers.conv.cnn import CNNController
from nnviz.controllers.conv.controller import ConvController
from nnviz.controllers.document import Document
from nnviz.engine.labs.conv_steps import preset_kernel


@pytest.fixture
def ctl(qtbot):
    doc = Document()
    c = ConvController(doc)
    doc.load_lesson("conv-edge")
    return c


def test_a_lesson_sets_up_the_page(ctl):
    s = ctl.setup
    assert s.source == "digit" and s.digit == 1 and s.stride == 1 and s.padding == 0
    np.testing.assert_array_equal(s.kernels[0], preset_kernel("edge_vertical"))
    assert (ctl.k, ctl.n_conv, ctl.n_pool) == (0, 36, 9)
    assert ctl.cell() is None and ctl.pool_cell() is None


def test_stepping_rows_maps_and_pooling(ctl, qtbot):
    with qtbot.waitSignal(ctl.changed):
        assert ctl.step_forward()
    cell = ctl.cell()
    assert (cell.row, cell.col, cell.value) == (0, 0, -0.1875)
    ctl.step_forward()
    assert ctl.cell().value == -2.375
    ctl.finish_row()
    assert ctl.k == 6
    ctl.finish_row()
    assert ctl.k == 12 and (ctl.cell().row, ctl.cell().col) == (1, 5)
    ctl.finish_map()
    assert ctl.k == 36 and ctl.stage == "conv" and ctl.shown_conv() == 36
    ctl.step_forward()
    pc = ctl.pool_cell()
    assert ctl.stage == "pool" and pc.mode == "max" and (pc.row, pc.col) == (0, 0)
    assert pc.value == ctl.pooled[0, 0, 0]
    ctl.finish_row()
    assert ctl.shown_pool() == 3
    ctl.finish_map()
    assert ctl.k == 45 == ctl.n_forward and ctl.stage == "pool" and not ctl.backward
    ctl.go_to(ctl.n_steps)
    assert ctl.k == 90 and not ctl.step_forward()
    assert ctl.step_back() and ctl.k == 89 and ctl.stage == "conv_back"
    ctl.restart()
    assert ctl.k == 0 and not ctl.step_back()


def test_the_backward_pass_is_stepped_after_the_forward_pass(ctl):
    """Pooling windows backward (δp routed), then output cells (δ, ∂C/∂w and ∂C/∂b
    summed); Shift+→ / Ctrl+→ by rows and stages; the sums end at the whole gradient."""
    ctl.go_to(ctl.n_forward)
    assert ctl.pool_back_cell() is None and ctl.conv_back_cell() is None
    ctl.step_forward()
    pb = ctl.pool_back_cell()
    assert ctl.stage == "pool_back" and ctl.backward and ctl.pool_cell() is None
    assert (pb.row, pb.col) == (0, 0) and pb.delta == ctl.pooled[0, 0, 0] - 1.0
    assert ctl.shown_back() == (1, 0)
    ctl.finish_row()
    assert ctl.shown_back() == (3, 0)
    ctl.finish_map()
    assert ctl.shown_back() == (9, 0)
    np.testing.assert_allclose(ctl.pool_back_cell().da_after, ctl.back.da)
    ctl.step_forward()
    cb = ctl.conv_back_cell()
    assert ctl.stage == "conv_back" and (cb.row, cb.col) == (0, 0) and cb.db_before == 0
    ctl.finish_row()
    assert ctl.shown_back() == (9, 6) and ctl.conv_back_cell().col == 5
    ctl.finish_map()
    last = ctl.conv_back_cell()
    assert ctl.k == ctl.n_steps and (last.row, last.col) == (5, 5)
    np.testing.assert_allclose(last.dw_after, ctl.back.dw[None][0], rtol=1e-12, atol=1e-15)
    assert last.db_after == pytest.approx(ctl.back.db, rel=1e-12)
    ctl.step_back()
    assert ctl.conv_back_cell().db_after == last.db_before


def test_the_pooling_lesson_starts_with_the_whole_map(qtbot):
    doc = Document()
    c = ConvController(doc)
    doc.load_lesson("pooling")
    assert c.k == c.n_conv == 36 and c.shown_pool() == 0


def test_kernel_edits_are_undoable(ctl):
    doc = ctl.doc
    before = ctl.maps.copy()
    ctl.set_kernel_cell(0, 1, 1, 2.5)
    assert ctl.setup.kernels[0, 0, 1, 1] == 2.5
    assert not np.array_equal(ctl.maps, before) and doc.is_modified
    doc.undo_stack.undo()
    assert ctl.setup.kernels[0, 0, 1, 1] == 0.0
    np.testing.assert_array_equal(ctl.maps, before)
    doc.undo_stack.redo()
    assert ctl.setup.kernels[0, 0, 1, 1] == 2.5
    ctl.apply_preset("blur")
    np.testing.assert_array_equal(ctl.setup.kernels[0], preset_kernel("blur"))
    doc.undo_stack.undo()
    assert ctl.setup.kernels[0, 0, 1, 1] == 2.5


def test_bad_edits_change_nothing(ctl):
    n = ctl.doc.undo_stack.count()
    with pytest.raises(ValueError):
        ctl.set_kernel_cell(0, 0, 0, float("nan"))
    with pytest.raises(ValueError):
        ctl.set_option("stride", 9)
    ctl.set_option("stride", 4)                 # (8 - 3) // 4 + 1 = 2: fits
    assert ctl.n_conv == 4
    with pytest.raises(ValueError, match="window"):
        ctl.set_option("pool_size", 4)          # a 4x4 pool on a 2x2 map
    assert ctl.setup.pool_size == 2 and ctl.doc.undo_stack.count() == n + 1


def test_a_paint_stroke_is_one_undo_step(ctl):
    ctl.set_source("paint")
    assert ctl.image.shape == (1, 8, 8)
    n = ctl.doc.undo_stack.count()
    for c in range(5):
        ctl.paint(3, c, 1.0, stroke=7)
    assert ctl.setup.paint[3, :5].tolist() == [1.0] * 5
    assert ctl.doc.undo_stack.count() == n + 1
    ctl.doc.undo_stack.undo()
    assert ctl.setup.paint.sum() == 0


def test_rgb_source_gives_three_channel_kernels_and_back(ctl):
    ctl.set_kernel_count(3)
    ctl.set_source("rgb")
    assert ctl.setup.kernels.shape == (3, 3, 3, 3) and ctl.image.shape[0] == 3
    ctl.step_forward()
    assert ctl.cell().products.shape == (3, 3, 3)
    ctl.set_source("digit")
    assert ctl.setup.kernels.shape == (3, 1, 3, 3)
    np.testing.assert_allclose(ctl.setup.kernels[0, 0], preset_kernel("edge_vertical")[0])


def test_k_kernels_give_k_maps(ctl):
    ctl.set_kernel_count(4)
    assert ctl.maps.shape == (4, 6, 6) and ctl.pooled.shape == (4, 3, 3)
    ctl.set_active(2)
    ctl.step_forward()
    np.testing.assert_array_equal(ctl.cell().kernel, ctl.setup.kernels[2])


def test_state_round_trip_and_refusal(ctl, qtbot):
    ctl.set_kernel_count(2)
    ctl.set_option("padding", 1)
    ctl.go_to(20)
    st = ctl.state()
    doc2 = Document()
    other = ConvController(doc2)
    other.restore_state(st)
    assert other.k == 20 and other.state() == st
    np.testing.assert_array_equal(other.maps, ctl.maps)
    for bad in ({"stride": 0}, {"k": -1}, {"kernels": "nope"}, {"k": True}, [],
                {"biases": [1e308 * 10]}):
        with pytest.raises(ValueError):
            other.restore_state(bad)
        assert other.state() == st


def test_cnn_steps_plays_and_round_trips(qtbot):
    c = CNNController()
    c.step(3)
    assert c.trainer.steps == 3
    with qtbot.waitSignal(c.playback.playing_changed):
        c.playback.play()
    qtbot.waitUntil(lambda: c.trainer.steps > 10, timeout=10_000)
    c.playback.pause()
    assert not c.playback.playing
    fwd, g, label = c.example_records()
    assert fwd.a.shape == (1, 8, 8, 8) and g.d_a.shape == fwd.a.shape
    assert c.confusion().sum() == len(c.trainer.x_test)
    st = c.state()
    d = CNNController()
    d.restore_state(st)
    for p, q in zip(c.trainer.net.params, d.trainer.net.params):
        np.testing.assert_array_equal(p, q)
    assert d.trainer.steps == c.trainer.steps
    bad = dict(st, params=st["params"][:3])
    with pytest.raises(ValueError):
        d.restore_state(bad)
    with pytest.raises(ValueError):
        d.restore_state(dict(st, kernels=4))     # the saved arrays are for 8 kernels
    with pytest.raises(ValueError):
        c.configure(0, "max", 0.01, 0)


def test_the_optimiser_state_is_saved_and_training_goes_on_as_before(qtbot):
    """Adam's t, m and v round-trip: the next step after opening equals the next step of
    the network that was saved (the same batch)."""
    c = CNNController()
    c.step(4)
    saved = c.state()
    d = CNNController()
    d.restore_state(saved)
    a, b = c.trainer.state.opt, d.trainer.state.opt
    assert b is not a and b.t == a.t == 4
    for sa, sb in zip(a.slots, b.slots):
        for k in ("m", "v"):
            np.testing.assert_array_equal(sa[k], sb[k])
            assert np.any(sb[k] != 0)
    for t in (c.trainer, d.trainer):
        t._queue = [np.arange(32, 64)]      # the same batch for both
        t.step()
    for p, q in zip(c.trainer.net.params, d.trainer.net.params):
        np.testing.assert_array_equal(p, q)
    fresh = CNNController()                 # without the state the step differs
    fresh.restore_state(dict(saved, optimiser=None))
    fresh.trainer._queue = [np.arange(32, 64)]
    fresh.trainer.step()
    assert not np.array_equal(fresh.trainer.net.conv_w, c.trainer.net.conv_w)


def test_a_bad_optimiser_state_is_refused_and_changes_nothing(qtbot):
    c = CNNController()
    c.step(2)
    saved = c.state()
    opt = saved["optimiser"]
    m0 = opt["slots"][0]["m"]
    bad = [
        dict(opt, name="momentum"),                               # not the CNN's optimiser
        dict(opt, t=-1),
        dict(opt, slots=[{"m": {"shape": [1, 1, 3, 3], "data": [0.0] * 9},
                          "v": {"shape": [1, 1, 3, 3], "data": [0.0] * 9}}]),   # wrong shape
        dict(opt, slots=[dict(opt["slots"][0], v=dict(m0, data=[-1.0] * len(m0["data"])))]),
        dict(opt, slots=[dict(opt["slots"][0], m=dict(m0, data=[float("nan")] * len(
            m0["data"])))]),
        dict(opt, slots=opt["slots"] * 2),                        # more slots than arrays
        dict(opt, hyper={"beta1": 2.0}),
        "adam",
    ]
    d = CNNController()
    before = d.state()
    for b in bad:
        with pytest.raises(ValueError, match="optimiser"):
            d.restore_state(dict(saved, optimiser=b))
        assert d.state() == before


@functools.cache
def _cnn() -> CNNController:
    """One network for the hostile-state test (building one loads the data)."""
    return CNNController()


hostile = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=6),
                    st.lists(st.floats(allow_nan=True), max_size=3),
                    st.lists(st.lists(st.integers(-2, 2), max_size=3), max_size=3))


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(conv=st.dictionaries(st.sampled_from(["page", "source", "digit", "paint", "kernels",
                                             "biases", "active", "stride", "padding", "k",
                                             "pool", "pool_size", "pool_stride"]), hostile),
       cnn=st.dictionaries(st.sampled_from(["kernels", "pool", "lr", "seed", "params",
                                            "history", "steps", "epochs", "example",
                                            "optimiser"]), hostile))
def test_hostile_saved_states_are_refused_or_installed_whole(ctl, conv, cnn):
    """A valid-looking lab state with hostile values: ValueError and no change, or a
    state that reads back as it was installed."""
    before = ctl.state()
    try:
        ctl.restore_state(conv)
    except ValueError:
        assert ctl.state() == before
    else:
        assert np.all(np.isfinite(ctl.maps)) and 0 <= ctl.k <= ctl.n_steps
        ctl.restore_state(before)
    c = _cnn()
    saved = c.state()
    try:
        c.restore_state(cnn)
    except ValueError:
        assert c.state() == saved
    else:
        assert all(np.all(np.isfinite(p)) for p in c.trainer.net.params)
        c.restore_state(saved)


def test_kernel_size_grows_in_zeros_and_shrinks_to_the_middle(ctl):
    ctl.set_kernel_size(5)
    k = ctl.setup.kernels[0, 0]
    assert k.shape == (5, 5) and ctl.maps.shape == (1, 4, 4)
    np.testing.assert_array_equal(k[1:4, 1:4], preset_kernel("edge_vertical")[0])
    assert k[0].sum() == 0 and k[:, 0].sum() == 0
    ctl.set_kernel_size(1)
    assert ctl.setup.kernels.shape == (1, 1, 1, 1) and ctl.setup.kernels[0, 0, 0, 0] == 0
    ctl.doc.undo_stack.undo()
    ctl.doc.undo_stack.undo()
    np.testing.assert_array_equal(ctl.setup.kernels[0], preset_kernel("edge_vertical"))
    with pytest.raises(ValueError):
        ctl.set_kernel_size(6)


def test_a_document_and_its_conv_history_are_collected_without_a_crash(qtbot):
    """Two undo steps that held the controller strongly made doc → history → step →
    controller → doc a cycle of Qt objects, and collecting it crashed (segfault) at a
    random later point of the test run; the steps now hold the controller weakly."""
    import gc
    import weakref

    doc = Document()
    c = ConvController(doc)
    doc.load_lesson("conv-edge")
    c.set_kernel_cell(0, 0, 0, 3.0)
    c.set_bias(0.5)
    doc.undo_stack.undo()
    assert c.setup.kernels[0, 0, 0, 0] == 3.0 and c.setup.biases[0] == 0.0
    gone = weakref.ref(c)
    del doc, c
    gc.collect()
    assert gone() is None


def test_cnn_epoch_zero_is_the_untrained_network():
    """Before the first epoch ends, the confusion matrix and the accuracy chart's first
    point are the untrained network's (the one the settings and seed draw), also for a run
    opened from a file with batches done: they were counted from the network of the
    moment the lab first asked, then kept all epoch."""
    from nnviz.engine.labs import cnn
    from nnviz.engine.labs.cnn_train import CNNTrainer

    c = CNNController()
    c.configure(4, "average", 0.02, 7)
    c.step(5)
    d = CNNController()
    d.restore_state(c.state())          # opened from a file: 5 batches into epoch 0
    fresh = CNNTrainer.digits(cnn.CNNShape(kernels=4, pool="average"), seed=7)
    m = fresh.confusion()
    for ctl in (c, d):
        assert ctl.trainer.epochs == 0 and ctl.trainer.steps == 5
        assert np.array_equal(ctl.confusion(), m)
        xs, ys = ctl.accuracy_curve()
        assert xs == [0] and ys == [np.trace(m) / m.sum()]
    after = cnn.confusion(c.trainer.net, c.trainer.x_test, c.trainer.labels_test)
    assert not np.array_equal(after, m)   # the batches did change the network
