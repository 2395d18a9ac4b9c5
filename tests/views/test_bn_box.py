"""Batch normalisation in the real Training lab: switches, the one-neuron histograms, the
lesson, and the labs that leave it out saying so."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine.core.network import forward
from nnviz.views.training.bn_box import sample_rows


def _lab(win, lesson="batch-norm"):
    assert win.open_lesson(lesson)
    win.show_lab("training")
    return win.current_lab


def test_the_lesson_normalises_every_hidden_layer_and_shows_one_neuron(main_window, qtbot):
    lab = _lab(main_window)
    box = lab.bn_box
    net = main_window.doc.network
    assert [bn is not None for bn in net.norms] == [True] * 5 + [False]
    assert [s.isChecked() for s in box.switches] == [True] * 5
    lab._side_scroll.ensureWidgetVisible(box)
    box.layer.setCurrentIndex(1)
    box.neuron.setValue(3)
    box.refresh()
    z, y, n = box.neuron_values()
    x_all = lab.ctl.net_data.x_train
    rows = sample_rows(len(x_all))
    assert len(rows) == len(x_all) == 200    # the lesson's 200 training samples, all shown
    x = x_all[rows]
    fwd = forward(net.copy(), x, training=True)
    np.testing.assert_array_equal(z, fwd.pre_norm[1][:, 3])
    assert n["mu"] == pytest.approx(z.mean()) and n["sigma"] == pytest.approx(z.std())
    np.testing.assert_allclose(y, n["gamma"] * (z - z.mean()) / np.sqrt(z.var() + 1e-5)
                               + n["beta"], rtol=1e-12)
    assert "μ_B = " in box.numbers.text() and "γ = 1" in box.numbers.text()
    assert "blue: z on all 200 training samples" in box.numbers.text()
    # viewing changes nothing: the running averages are the network's own
    assert np.array_equal(net.norms[1].running_mean, np.zeros(8))


def test_training_with_batch_norm_learns_and_the_switch_is_undoable(main_window, qtbot):
    lab = _lab(main_window)
    ctl = lab.ctl
    ctl.run_epochs(15)
    assert ctl.history.test_acc[-1] > 0.8
    assert not np.array_equal(main_window.doc.network.norms[0].running_mean, np.zeros(8))
    lab.bn_box.switches[0].click()
    assert main_window.doc.network.norms[0] is None and lab.bn_box.layer.count() == 4
    main_window.act_undo.trigger()
    assert main_window.doc.network.norms[0] is not None
    assert lab.bn_box.switches[0].isChecked()


def test_reset_keeps_batch_norm_afresh_and_a_workspace_keeps_it(main_window, qtbot, tmp_path):
    lab = _lab(main_window)
    lab.ctl.run_epochs(2)
    lab.ctl.edits.reset()
    bn = main_window.doc.network.norms[0]
    assert bn is not None and np.array_equal(bn.gamma, np.ones(8))
    lab.ctl.run_epochs(2)
    saved = main_window.doc.network.copy()
    path = tmp_path / "bn.nnviz"
    assert main_window.files.save_to(str(path))
    from nnviz.engine.files.workspace import read_workspace

    assert read_workspace(path).network.equals(saved)   # gamma, beta, running averages too


def test_labs_that_leave_batch_norm_out_say_so(main_window, qtbot):
    from nnviz.engine.core.losses import get_loss
    from nnviz.engine.labs import surface as S
    from nnviz.engine.stepping.trace import build_trace

    _lab(main_window)
    net = main_window.doc.network
    with pytest.raises(ValueError, match="batch normalisation"):
        build_trace(net, np.zeros(2), np.zeros(1), get_loss("mse"), 0.1)
    refs = S.default_pair(net)
    with pytest.raises(ValueError, match="batch normalisation"):
        S.loss_grid(net, np.zeros((3, 2)), np.zeros((3, 1)), get_loss("mse"), *refs,
                    np.linspace(-1, 1, 3), np.linspace(-1, 1, 3))


def test_nnviz_worked_declines_the_batch_norm_lesson_with_a_message():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root))
    r = subprocess.run([sys.executable, "-m", "nnviz", "worked", "--lesson", "batch-norm"],
                       capture_output=True, text=True, env=env, cwd=root, timeout=120)
    assert r.returncode == 2 and "batch normalisation" in r.stderr and not r.stdout
    assert "Traceback" not in r.stderr


def test_a_larger_set_is_sampled_from_all_of_it_not_its_first_rows():
    rows = sample_rows(1000)
    assert len(rows) == 200 and len(np.unique(rows)) == 200 and np.all(np.diff(rows) > 0)
    # a set sorted by class (500 of each): both classes, about equally
    assert 70 < np.sum(rows < 500) < 130
    assert np.array_equal(rows, sample_rows(1000))          # the same rows every epoch


def _bn_state(net):
    return [(bn.gamma.copy(), bn.beta.copy(), bn.running_mean.copy(), bn.running_var.copy())
            for bn in net.norms if bn is not None]


def test_back_restores_gamma_beta_and_the_running_averages(main_window, qtbot):
    from PySide6.QtCore import Qt

    lab = _lab(main_window)
    panel = lab.run_panel
    net = main_window.doc.network
    start = (net.get_params(), _bn_state(net))
    qtbot.mouseClick(panel.step_epoch, Qt.MouseButton.LeftButton)
    one = (net.get_params(), _bn_state(main_window.doc.network))
    qtbot.mouseClick(panel.step_epoch, Qt.MouseButton.LeftButton)
    two = _bn_state(main_window.doc.network)
    assert not all(np.array_equal(a, b) for s1, s2 in zip(one[1], two) for a, b in zip(s1, s2))
    for want in (one, start):
        qtbot.mouseClick(panel.back, Qt.MouseButton.LeftButton)
        now = main_window.doc.network
        assert np.array_equal(now.get_params(), want[0])
        got = _bn_state(now)
        assert len(got) == 5 and all(np.array_equal(a, b) for s1, s2 in zip(got, want[1])
                                     for a, b in zip(s1, s2))
    # training on from the start repeats the first epoch exactly (γ, β, averages too)
    qtbot.mouseClick(panel.step_epoch, Qt.MouseButton.LeftButton)
    again = _bn_state(main_window.doc.network)
    assert all(np.array_equal(a, b) for s1, s2 in zip(again, one[1]) for a, b in zip(s1, s2))
