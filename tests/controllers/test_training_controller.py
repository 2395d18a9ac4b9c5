"""The training controller: steps, live hyper-parameters, NaN pause and revert, data edits."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture
def ctl(training_ctl):
    return training_ctl


def _older_state(ctl) -> dict:
    """The lab's state as files written before the data set was the document's hold it:
    with the data's keys (they are still read)."""
    return {**ctl.state(), **ctl.doc.data_state()}


def test_lesson_settings_make_the_data(ctl):
    ctl.doc.load_lesson("overfitting")
    ds = ctl.data
    assert ds.spec.source == "circle" and ds.spec.noise == 0.4
    assert len(ds.x) == 400 and (~ds.test).sum() == 40
    assert ctl.epoch == 0 and len(ctl.history) == 1


def test_steps_and_epochs(ctl):
    ctl.doc.load_lesson("spiral")
    n_train = len(ctl.data.x_train)
    ctl.step_sample()
    ctl.step_batch()
    assert ctl.steps == 2 and ctl.epoch == 0
    ctl.step_epoch()  # finishes the current epoch
    assert ctl.epoch == 1
    ctl.run_epochs(3)
    assert ctl.epoch == 4 and ctl.history.epoch[-1] == 4
    assert ctl.steps == 2 + (n_train - 11 + 9) // 10 + 3 * (n_train // 10)


def test_hyper_parameters_change_while_training_without_reset(ctl, qtbot):
    ctl.doc.load_lesson("spiral")
    ctl.run_epochs(3)
    before = ctl.doc.network.copy()
    ctl.doc.set_config(eta=0.001, l2=0.5, momentum=0.0, dropout=0.2)
    ctl.run_epochs(1)
    assert ctl.epoch == 4  # not reset
    w = ctl.doc.network.weights[0]
    assert not np.array_equal(w, before.weights[0])
    assert np.max(np.abs(w - before.weights[0])) < 0.1  # small steps with the new eta
    ctl.edits.set_activation(0, "relu")
    assert ctl.doc.network.activations[0].name == "relu" and ctl.epoch == 4


def test_nan_pauses_with_a_message_and_revert_restores_finite_weights(ctl, qtbot):
    ctl.doc.load_lesson("spiral")
    ctl.doc.set_config(eta=1e6)
    ctl.edits.set_activation(2, "linear")
    ctl.edits.set_activation(0, "relu")
    ctl.edits.set_activation(1, "relu")
    with qtbot.waitSignal(ctl.blowup, timeout=10000) as blocker:
        ctl.playback.play()
    assert not ctl.playback.playing
    assert "learning rate" in blocker.args[0] and "1e+06" in blocker.args[0]
    assert ctl.doc.network.is_finite()  # the blown-up step was undone: the last finite one
    assert ctl.last_finite is not None and ctl.last_finite.is_finite()
    assert not ctl.last_finite.equals(ctl.doc.network)
    good = ctl.last_finite.copy()
    assert ctl.edits.revert()
    assert ctl.doc.network.is_finite() and ctl.doc.network.equals(good)


def test_a_blow_up_with_batch_norm_on_the_fast_path_pauses_where_step_by_step_would(ctl,
                                                                                    qtbot):
    """Batch norm trains on the fast path; an epoch that blows up is replayed step by step
    from its start, batch norm's gamma, beta and running averages included, so the pause
    comes at the same step with the same network as training step by step all along."""
    def blow_up(fast: bool):
        ctl.doc.load_lesson("spiral")
        ctl.edits.set_batch_norm(1, True)
        ctl.doc.set_config(eta=1e6)
        ctl.edits.set_activation(2, "linear")
        ctl.edits.set_activation(0, "relu")
        ctl.edits.set_activation(1, "relu")
        if not fast:
            ctl.fast.trainer = lambda: None
        else:
            assert ctl.fast.trainer() is not None   # batch norm is on the fast path
        with qtbot.waitSignal(ctl.blowup, timeout=20000):
            ctl.playback.play()
        return ctl.steps, ctl.doc.network.copy()

    steps_fast, fast = blow_up(True)
    steps_ref, ref = blow_up(False)
    assert steps_fast == steps_ref and fast.is_finite()
    assert fast.norms[1] is not None
    for a, b in zip(fast.weights + fast.biases, ref.weights + ref.biases):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9)
    for u, v in ((fast.norms[1].gamma, ref.norms[1].gamma),
                 (fast.norms[1].running_var, ref.norms[1].running_var)):
        np.testing.assert_allclose(u, v, rtol=1e-9, atol=1e-9)


def test_clipping_is_the_fix(ctl, qtbot):
    ctl.doc.load_lesson("exploding-gradients")
    with qtbot.waitSignal(ctl.blowup, timeout=10000):
        ctl.playback.play()
    assert ctl.edits.revert()
    ctl.doc.set_config(clip_norm=1.0)
    ctl.run_epochs(50)
    assert ctl.doc.network.is_finite() and ctl.last_finite is None
    assert ctl.history.train_loss[-1] < ctl.history.train_loss[0]


def test_points_and_csv(ctl, tmp_path):
    ctl.doc.load_lesson("spiral")
    n = len(ctl.data.x)
    ctl.data_edits.add_point((5.8, -5.8), label=1)
    assert len(ctl.data.x) == n + 1 and len(ctl.doc.x) == n + 1
    assert ctl.data_edits.remove_point_near((5.8, -5.75), 0.3)
    assert not ctl.data_edits.remove_point_near((5.8, -5.75), 0.01)
    text = ctl.data_edits.export_csv()
    before = ctl.data.x.copy()
    from nnviz.engine.sets.csvio import CsvError

    with pytest.raises(CsvError, match="line 3"):
        ctl.data_edits.import_csv("x1,x2,label\n1,1,1\n1,1,1,1\n")
    assert np.array_equal(ctl.data.x, before)  # nothing changed
    ctl.data_edits.import_csv("1,1,1\n-1,-1,0\n")
    assert len(ctl.data.x) == 2 and ctl.data.labels.tolist() == [1, 0]
    ctl.data_edits.import_csv(text)
    assert np.array_equal(ctl.data.x, before)


def test_state_round_trip_and_bad_state(ctl):
    ctl.doc.load_lesson("spiral")
    ctl.set_speed(5)
    ctl.data_edits.set_data_spec(noise=0.2, split=0.3)
    assert set(ctl.state()) == {"speed", "init", "init_gain"}   # the data: the document's
    st = _older_state(ctl)
    ctl.set_speed(0)
    ctl.data_edits.set_data_spec(noise=0.0)
    ctl.restore_state(st)
    assert ctl.speed == 5 and ctl.data.spec.noise == 0.2 and ctl.data.spec.split == 0.3
    for bad in ({"speed": 3}, {"init": "bogus"}, {"data": {"split": 2}}, {"data": {"dataset": "digits"}}):
        with pytest.raises(ValueError):
            ctl.restore_state(bad)
    assert ctl.speed == 5 and ctl.data.spec.source == "spiral"


def test_a_set_speed_takes_one_step_per_tick(ctl, qtbot):
    ctl.doc.load_lesson("spiral")
    ctl.set_speed(1)
    assert ctl.playback.interval_ms == 1000
    ctl._tick()
    ctl._tick()
    assert ctl.steps == 2
    ctl.set_speed(0)
    ctl._tick()  # as fast as possible: many steps in one time-budgeted slice
    assert ctl.steps > 3
    with pytest.raises(ValueError):
        ctl.set_speed(3)


def test_slices_leave_the_rest_of_a_frame_to_drawing(ctl, qtbot, monkeypatch):
    from nnviz.controllers.training import clock as tr

    ctl.doc.load_lesson("spiral")
    assert ctl.clock.budget(100.0) == tr.MAX_BUDGET_S  # nothing drawn yet: a full slice
    ctl._tick()
    end = ctl.clock.last_end
    # the views took 5 ms since the slice ended: the slice gets the rest of the frame
    assert ctl.clock.budget(end + 0.005) == pytest.approx(
        min(tr.MAX_BUDGET_S, tr.FRAME_TARGET_S - 0.005))
    # slow drawing (30 ms, e.g. a busy machine): training keeps TRAIN_SHARE times that
    assert ctl.clock.budget(end + 0.020) == pytest.approx(tr.TRAIN_SHARE * 0.020)
    assert ctl.clock.budget(end + 1.0) == tr.MAX_BUDGET_S
    ctl.clock.last_end = end = 0.0
    monkeypatch.setattr(tr, "MAX_BUDGET_S", 1.0)
    assert ctl.clock.budget(0.001) == pytest.approx(tr.FRAME_TARGET_S - 0.001)
    monkeypatch.setattr(tr, "FRAME_TARGET_S", 0.001)
    assert ctl.clock.budget(0.001) == tr.MIN_BUDGET_S  # no time left: the smallest slice
    monkeypatch.undo()
    drawn = []
    ctl.trained.connect(lambda: drawn.append(ctl.clock.last_end))
    steps = ctl.steps
    ctl._tick()
    assert ctl.steps > steps and drawn[-1] is not None and drawn[-1] > end
    ctl.playback.play()
    assert ctl.clock.budget(1e9) == tr.MAX_BUDGET_S  # play starts a new run of frames


def test_a_slice_that_ran_past_its_deadline_shortens_the_next(monkeypatch):
    """A slice's epochs are scored after its deadline: the next slice is that much
    shorter, so a frame (slice + drawing) keeps FRAME_TARGET_S instead of growing."""
    from nnviz.controllers.training import clock as tr

    now = [10.0]
    monkeypatch.setattr(tr, "_cpu", lambda: now[0])
    clock = tr.SliceClock()
    first = clock.begin()                 # nothing drawn yet: a full slice
    assert first == pytest.approx(10.0 + tr.MAX_BUDGET_S)
    now[0] = first + 0.004                # scoring ran 4 ms past the deadline
    clock.end()
    assert clock.carry == pytest.approx(0.004)
    now[0] += 0.008                       # the frame's drawing took 8 ms
    second = clock.begin()
    assert second - now[0] == pytest.approx(tr.FRAME_TARGET_S - 0.008 - 0.004)
    now[0] = second - 0.001               # ended before its deadline: nothing carried
    clock.end()
    assert clock.carry == 0.0
    now[0] += 0.001
    assert clock.begin() - now[0] == pytest.approx(tr.FRAME_TARGET_S - 0.001)
    now[0] += 1.0                         # a slice far past its deadline (a blow-up's
    clock.end()                           # replay): the next one is the smallest
    assert clock.begin() - now[0] == pytest.approx(tr.MIN_BUDGET_S)
    clock.restart()                       # Play: a new run of frames, nothing carried
    assert clock.carry == 0.0 and clock.begin() - now[0] == pytest.approx(tr.MAX_BUDGET_S)


def test_waiting_for_the_maps_counts_as_drawing(monkeypatch):
    """Where no core was free to compute a live frame's maps beside the slice, the drawing
    waited for them (wall time, not the GUI thread's CPU): the next slice is sized as if the
    drawing had taken that long, so training keeps its share of a frame."""
    from nnviz.controllers.training import clock as tr

    now = [10.0]
    monkeypatch.setattr(tr, "_cpu", lambda: now[0])
    clock = tr.SliceClock()
    now[0] = clock.begin()
    clock.end()
    now[0] += 0.004                       # 4 ms of drawing on the GUI thread's clock ...
    clock.wait(0.016)                     # ... and 16 ms waiting for the helper's maps
    assert clock.begin() - now[0] == pytest.approx(tr.TRAIN_SHARE * 0.020)
    clock.end()
    now[0] += 0.004                       # the next frame did not wait: counted once
    assert clock.begin() - now[0] == pytest.approx(tr.FRAME_TARGET_S - 0.004)


def test_a_slice_ends_at_its_wall_clock_limit_when_the_cpu_clock_stands_still(ctl,
                                                                              monkeypatch):
    """Slices are timed on the GUI thread's CPU clock; a thread that gets no CPU (a busy
    machine) still ends its slice after MAX_WALL_S of real time."""

    from nnviz.controllers.training import clock as tr

    ctl.doc.load_lesson("spiral")   # Play stops by itself at the lesson's 200 epochs
    monkeypatch.setattr(tr, "_cpu", lambda: 0.0)
    monkeypatch.setattr(tr, "MAX_WALL_S", 0.005)
    assert ctl.playback.play()
    ctl._tick()   # called here while playing (no event loop runs the timer meanwhile)
    assert 0 < ctl.epoch < 200 and ctl.playback.playing
    ctl.playback.pause()


def test_keras_lab_trains_on_the_digits_and_reports_test_accuracy(ctl):
    ctl.doc.load_lesson("keras-lab")
    assert ctl.data.spec.source == "digits" and ctl.doc.network.sizes == [64, 32, 64, 10]
    ctl.run_epochs(50)
    # keras-lab-notes' description: keras-lab "reaches about 90 % in the same 50 epochs"
    assert 0.88 <= ctl.history.test_acc[-1] < 0.92
    ctl.run_epochs(10)
    # keras-lab's description: "After 60 epochs it classifies about 93 %"
    assert 0.92 <= ctl.history.test_acc[-1] < 0.94


@pytest.mark.parametrize("name", ["spiral", "vanishing-gradients", "vanishing-gradients-relu",
                                  "exploding-gradients", "overfitting", "overfitting-l2",
                                  "overfitting-dropout", "keras-lab"])
def test_training_lessons_have_valid_settings(ctl, name):
    from nnviz.engine.sets.data import spec_from_settings
    from nnviz.engine.teaching.lessons import load_lesson

    lesson = load_lesson(name)
    assert lesson.lab == "training" and len(lesson.description) > 50
    spec = spec_from_settings(lesson.settings, lesson.data)
    ctl.doc.load_lesson(lesson)
    got = ctl.data.spec
    assert (got.source, got.n, got.noise, got.split, got.seed) == (
        spec.source, spec.n, spec.noise, spec.split, spec.seed)  # as asked, no fallback
    assert len(ctl.data.x_train) > 0


def test_overfitting_story_and_its_fixes(ctl):
    """Seed 002's story: the test loss turns upward while the training loss keeps falling;
    L2 and dropout stop the rise."""
    ctl.doc.load_lesson("overfitting")
    ctl.run_epochs(600)
    h = ctl.history.arrays()
    best = int(np.argmin(h["test_loss"]))
    assert 50 < h["epoch"][best] < 400
    assert h["test_loss"][-1] > 1.3 * h["test_loss"][best]      # turned upward
    assert h["train_loss"][-1] < 0.5 * h["train_loss"][best]    # while training kept falling
    for fixed in ("overfitting-l2", "overfitting-dropout"):
        ctl.doc.load_lesson(fixed)
        ctl.run_epochs(600)
        f = ctl.history.arrays()
        assert f["test_loss"][-1] < 1.05 * np.min(f["test_loss"]), fixed
        assert f["test_loss"][-1] < h["test_loss"][-1], fixed


def test_step_back_undoes_steps_epochs_and_play_exactly(ctl, qtbot):
    ctl.doc.load_lesson("spiral")
    net = ctl.doc.network
    assert not ctl.can_step_back() and not ctl.step_back()
    start = net.get_params()
    ctl.step_epoch()
    after_one = (net.get_params(), ctl.epoch, ctl.history.arrays()["train_loss"].copy())
    ctl.step_batch()
    ctl.step_sample()
    assert ctl.step_back() and ctl.step_back()          # the sample, then the batch
    assert np.array_equal(net.get_params(), after_one[0]) and ctl.epoch == after_one[1] == 1
    assert np.array_equal(ctl.history.arrays()["train_loss"], after_one[2])
    ctl.step_batch()                                     # the same batch again, exactly
    again = net.get_params()
    ctl.step_back()
    ctl.step_batch()
    assert np.array_equal(net.get_params(), again)
    ctl.playback.play()
    qtbot.waitUntil(lambda: ctl.epoch >= 4, timeout=20000)
    ctl.playback.pause()
    assert ctl.step_back()                               # the whole run of Play
    assert ctl.epoch == 1 and np.array_equal(net.get_params(), again)
    assert ctl.step_back() and ctl.step_back()
    assert np.array_equal(net.get_params(), start) and ctl.epoch == 0 and ctl.steps == 0
    assert not ctl.step_back()
    ctl.step_epoch()
    n = len(ctl.data.x)
    ctl.data_edits.add_point((0.5, 0.5), 1)            # new data: an entry of the one history ...
    assert not ctl.step_back() and len(ctl.data.x) == n + 1   # ... Back undoes training only
    ctl.doc.undo_stack.undo()               # Undo takes the point away; then Back steps back
    assert len(ctl.data.x) == n and ctl.step_back() and np.array_equal(net.get_params(), start)
    ctl.doc.undo_stack.redo()               # the epoch, then the point, again
    ctl.doc.undo_stack.redo()
    assert len(ctl.data.x) == n + 1 and ctl.epoch == 1
    ctl.step_epoch()                        # a new epoch's order over the larger set
    assert ctl.epoch == 2 and np.all(np.isfinite(net.get_params()))


def test_training_is_on_the_documents_one_history(ctl, qtbot):
    """Edits and training steps are entries of one undo stack, undone and redone in order:
    Undo after training undoes the training (not the edit before it), Redo repeats the
    trained state exactly, and a run of Play is one entry."""
    doc = ctl.doc
    doc.load_lesson("spiral")
    net = doc.network
    stack = doc.undo_stack
    start = net.get_params()
    doc.set_weight(0, 0, 0, 0.125)
    edited = doc.network.get_params()
    ctl.step_epoch()
    ctl.step_batch()
    trained = doc.network.get_params()
    assert [stack.text(i) for i in range(stack.count())][-2:] == ["Train 1 epoch",
                                                                  "Train one batch"]
    stack.undo()
    stack.undo()
    assert np.array_equal(doc.network.get_params(), edited) and ctl.epoch == 0
    assert not ctl.can_step_back()          # the newest entry now is the edit
    stack.undo()
    assert np.array_equal(doc.network.get_params(), start)
    stack.redo()
    stack.redo()
    stack.redo()
    assert np.array_equal(doc.network.get_params(), trained) and ctl.epoch == 1
    ctl.step_epoch()                        # training on from a redone step: as before
    again = doc.network.get_params()
    stack.undo()
    ctl.step_epoch()
    assert np.array_equal(doc.network.get_params(), again)
    n = stack.count()
    ctl.playback.play()
    qtbot.waitUntil(lambda: ctl.epoch >= 5, timeout=20000)
    ctl.playback.pause()
    assert stack.count() == n + 1 and stack.text(n).startswith("Train ")
    stack.undo()
    assert np.array_equal(doc.network.get_params(), again) and ctl.epoch == 2


def test_back_while_playing_undoes_the_run_under_way(ctl, qtbot):
    ctl.doc.load_lesson("spiral")
    ctl.step_epoch()
    one = ctl.doc.network.get_params()
    ctl.playback.play()
    qtbot.waitUntil(lambda: ctl.epoch >= 3, timeout=20000)
    assert ctl.step_back() and not ctl.playback.playing
    assert ctl.epoch == 1 and np.array_equal(ctl.doc.network.get_params(), one)


def _huge_linear(ctl):
    """A 2-1 linear network with weights 1e160: finite weights, every loss infinite."""
    from nnviz.engine.core.network import Network

    ctl.doc.load_lesson("spiral")
    net = Network.create([2, 1], "linear")
    net.weights[0][:] = 1e160
    ctl.doc.set_network(net, "Huge weights")
    assert len(ctl.data.x) == 400 and not np.isfinite(ctl.history.train_loss[-1])


def test_an_infinite_loss_pauses_play_like_an_infinite_weight(ctl, qtbot):
    _huge_linear(ctl)
    assert ctl.fast.trainer() is not None  # Play takes the whole-epoch fast path
    messages = []
    ctl.blowup.connect(messages.append)
    ctl.playback.play()
    qtbot.waitUntil(lambda: not ctl.playback.playing, timeout=5000)
    assert ctl.epoch == 0 and ctl.steps == 1  # paused at the first step, which was undone
    assert np.all(ctl.doc.network.weights[0] == 1e160)
    assert len(messages) == 1 and "although every weight is finite" in messages[0]
    assert "1e+160" in messages[0] and ctl.last_finite is not None


def test_an_infinite_loss_pauses_a_single_epoch_too(ctl):
    _huge_linear(ctl)
    ctl.step_epoch()
    assert not ctl.playback.playing and ctl.epoch == 0 and "infinite" in ctl.blowup_message


def test_a_workspace_keeps_the_users_rows_and_split(ctl):
    ctl.doc.load_lesson("spiral")
    ctl.data_edits.add_point((5.5, -5.5), label=0)
    ctl.data_edits.add_point((-5.5, 5.5), label=1, test=True)
    rows = (ctl.doc.x.copy(), ctl.doc.y.copy())
    test = ctl.data.test.copy()
    st = _older_state(ctl)
    assert st["rows"] == "document" and st["test"] == list(np.flatnonzero(test))
    # what File > Open does: the document is restored (a new lesson), then the lab's state
    ctl.doc.restore_workspace(ctl.doc.lesson, ctl.doc.network, *rows, ctl.doc.example_x,
                              ctl.doc.example_y, ctl.doc.config, ctl.doc.loss_name)
    assert len(ctl.data.x) == 402 and ctl.edited  # the workspace's rows (not the lesson's) ...
    ctl.data_edits.set_data_spec(source="spiral")            # (replaced by the lesson's again)
    ctl.restore_state(st)            # ... and the saved rows and split come back
    assert np.array_equal(ctl.data.x, rows[0]) and np.array_equal(ctl.data.y, rows[1])
    assert np.array_equal(ctl.data.test, test) and ctl.data.labels[-2:].tolist() == [0, 1]
    assert ctl.data.spec.source == "spiral" and ctl.edited
    assert np.array_equal(ctl.doc.x, rows[0])
    for bad in ({**st, "rows": "both"}, {**st, "test": [0, 0]}, {**st, "test": [402]},
                {**st, "test": "0,1"}):
        with pytest.raises(ValueError):
            ctl.restore_state(bad)
    assert np.array_equal(ctl.data.x, rows[0])


def test_input_features_train_on_the_features_and_undo(ctl):
    from nnviz.engine.sets.features import expand

    ctl.doc.load_lesson("spiral")
    ctl.data_edits.add_point((5.5, -5.5), label=0)
    points = ctl.data.x.copy()
    w1 = ctl.doc.network.weights[0].copy()
    assert ctl.edits.toggle_feature("x1²") and ctl.edits.toggle_feature("sin x2")
    feats = ("x1", "x2", "x1²", "sin x2")
    assert ctl.features == feats and ctl.doc.network.sizes[0] == 4
    assert np.array_equal(ctl.doc.network.weights[0][:, :2], w1)  # kept features keep weights
    assert np.array_equal(ctl.data.x, points) and ctl.edited  # the same points, the same split
    assert np.array_equal(ctl.doc.x, expand(points, feats))     # the network reads features
    ctl.run_epochs(2)
    assert ctl.epoch == 2 and np.isfinite(ctl.history.train_loss[-1])
    grid = ctl.readouts.grid()
    assert grid is not None and grid.output.shape == (100, 100, 1)
    st = _older_state(ctl)
    assert st["features"] == list(feats) and len(st["points"]) == 401
    ctl.doc.undo_stack.undo()   # the two epochs (the newest entry of the history)
    assert ctl.epoch == 0 and ctl.features == feats
    ctl.doc.undo_stack.undo()   # sin x2 off again, with its network
    assert ctl.features == ("x1", "x2", "x1²") and ctl.doc.network.sizes[0] == 3
    ctl.doc.undo_stack.undo()
    assert ctl.features == ("x1", "x2") and np.array_equal(ctl.doc.network.weights[0], w1)
    assert np.array_equal(ctl.doc.x, points)
    ctl.doc.undo_stack.redo()
    ctl.doc.undo_stack.redo()
    assert ctl.features == feats
    # a workspace: the network with 4 inputs, the points and the features come back
    net, rows = ctl.doc.network.copy(), (ctl.doc.x.copy(), ctl.doc.y.copy())
    ctl.doc.restore_workspace(ctl.doc.lesson, net, *rows, ctl.doc.example_x,
                              ctl.doc.example_y, ctl.doc.config, ctl.doc.loss_name)
    ctl.restore_state(st)
    assert ctl.features == feats and np.array_equal(ctl.data.x, points)
    for bad in ({**st, "features": ["x1", "x3"]}, {**st, "features": ["x1"]},
                {**st, "points": [[0, 0]]}, {k: v for k, v in st.items() if k != "points"}):
        with pytest.raises(ValueError):
            ctl.restore_state(bad)
    assert ctl.features == feats


def test_features_need_points_of_the_plane(ctl):
    ctl.doc.load_lesson("exploding-gradients")  # 1-D regression
    assert not ctl.edits.toggle_feature("x1²") and ctl.features == ("x1", "x2")


def test_neurons_and_hidden_layers_added_and_removed_keep_the_data(ctl):
    ctl.doc.load_lesson("spiral")
    ctl.data_edits.add_point((5.5, -5.5), label=0)
    x = ctl.data.x.copy()
    sizes = list(ctl.doc.network.sizes)
    ctl.run_epochs(1)
    assert ctl.edits.resize_layer(1, +1) and ctl.doc.network.sizes == [2, sizes[1] + 1] + sizes[2:]
    assert ctl.epoch == 0 and np.array_equal(ctl.data.x, x)
    assert ctl.edits.resize_layer(2, -1) and ctl.doc.network.sizes[2] == sizes[2] - 1
    assert ctl.edits.change_layers(+1) and len(ctl.doc.network.sizes) == len(sizes) + 1
    assert ctl.edits.change_layers(-1) and ctl.edits.change_layers(-1) and ctl.edits.change_layers(-1)
    assert ctl.doc.network.sizes == [2, 1]
    assert not ctl.edits.change_layers(-1) and not ctl.edits.resize_layer(1, 1)
    assert np.array_equal(ctl.data.x, x)
    for _ in range(4):  # the three removals and the added layer
        ctl.doc.undo_stack.undo()
    assert ctl.doc.network.sizes == [2, sizes[1] + 1, sizes[2] - 1, 1]
    ctl.doc.undo_stack.undo()
    ctl.doc.undo_stack.undo()
    assert ctl.doc.network.sizes == sizes


def test_hostile_training_states_are_refused_and_change_nothing(ctl):
    """Valid-looking lab states with hostile values in every field: refused with
    ValueError (the data, the features and the speed as they were) or applied whole."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    ctl.doc.load_lesson("spiral")
    good = _older_state(ctl)
    n = len(ctl.data.x)
    hostile = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30),
                        st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
                        st.lists(st.integers(-3, n + 3), max_size=6),
                        st.lists(st.sampled_from(["x1", "x2", "x1²", "sin x9", "x1"]),
                                 max_size=9),
                        st.lists(st.lists(st.floats(allow_nan=True), max_size=3), max_size=3))
    keys = st.sampled_from(["rows", "test", "features", "points", "speed", "init",
                            "init_gain", "data"])

    @settings(max_examples=60, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.dictionaries(keys, hostile, min_size=1, max_size=3))
    def check(changes):
        before = (ctl.data.x.copy(), ctl.data.test.copy(), ctl.features, ctl.speed)
        try:
            ctl.restore_state({**good, **changes})
        except ValueError:
            assert np.array_equal(ctl.data.x, before[0])
            assert np.array_equal(ctl.data.test, before[1])
            assert (ctl.features, ctl.speed) == before[2:]
            return
        assert len(ctl.data.x) == len(ctl.data.test) and ctl.data.x.shape[1] == 2
        ctl.restore_state(good)

    check()


def test_batch_norm_lesson_learns_and_without_it_the_network_gives_one_class(ctl):
    """batch-norm's words: about 95 % in 40 epochs; unticked and Reset, the same network
    puts every point in one class (43 % or 57 % of the test points right)."""
    from nnviz.engine.core.network import predict

    ctl.doc.load_lesson("batch-norm")
    ctl.run_epochs(40)
    assert 0.93 <= ctl.history.test_acc[-1] <= 0.97
    for l in range(ctl.doc.network.n_layers - 1):
        ctl.edits.set_batch_norm(l, False)
    ctl.edits.reset()
    ds = ctl.net_data
    shares = {round(float(np.mean(ds.labels_of(True) == k)), 2) for k in (0, 1)}
    assert shares == {0.43, 0.57}
    for _ in range(4):
        ctl.run_epochs(10)
        assert round(ctl.history.test_acc[-1], 2) in shares
        out = predict(ctl.doc.network, ds.x_test)
        assert len(np.unique(out[:, 0] > 0.5)) == 1          # one class for every point
