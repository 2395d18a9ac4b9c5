"""Batch normalisation stepped in the Workbench's matrix view, like a student: M, Mini-batch,
the step keys through μ_B, σ_B², x̂, γx̂ + β and back through them, the update, step back."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.engine.core.naming import fmt
from tests.views.workbench_keys import press

BN_KINDS = {"bn_mu", "bn_var", "bn_xhat", "bn_y", "grad_gamma", "grad_beta", "bn_proj",
            "bn_inner", "delta_bn", "update_bn", "running"}


def _shown(lab) -> str:
    lab.matrix_view.canvas.grab()
    return lab.matrix_view.shown_text()


def _norms(net):
    return [np.concatenate([bn.gamma, bn.beta, bn.running_mean, bn.running_var])
            for bn in net.norms if bn is not None]


def test_batch_norm_steps_forward_backward_update_and_back(lab, main_window, qtbot):
    win = main_window
    assert win.open_lesson("batch-norm", switch_lab=False)
    start = win.doc.network.copy()
    press(qtbot, win, Qt.Key.Key_M)
    assert lab.matrix.trace is None and "needs a mini-batch" in lab.matrix.status_text()
    qtbot.mouseClick(lab.matrix_view.batch, Qt.MouseButton.LeftButton)
    tr = lab.matrix.trace
    assert tr is not None and tr.m == 8
    seen, mu = set(), None
    for _ in range(len(tr)):
        press(qtbot, win, Qt.Key.Key_Right)
        step = lab.matrix.step
        seen.add(step.kind)
        if step.kind == "bn_mu" and mu is None:          # layer 2's μ_B, on screen
            mu = step.value
            text = _shown(lab)
            assert "μ_B = (1/m) Σₓ z^(x,2)" in text and "mini-batch of 8" in text
            assert fmt(mu[0]) in text.replace("−", "-")
            z = win.doc.network.weights[0] @ tr.x.T + win.doc.network.biases[0][:, None]
            np.testing.assert_allclose(mu, z.mean(axis=1), rtol=1e-13)
        if step.kind == "delta_bn" and step.layer == 1:
            text = _shown(lab)
            assert "Δ^2 = γ/(m√(σ_B² + ε)) ⊙ P" in text
    assert BN_KINDS <= seen
    assert lab.matrix.step.kind == "result"
    press(qtbot, win, Qt.Key.Key_Left)                   # step back one matrix step
    assert lab.matrix.step is tr.steps[-2] and lab.matrix.m == len(tr) - 1
    press(qtbot, win, Qt.Key.Key_Right, 2)               # past the end: the batch's update
    net = win.doc.network
    assert lab.stepper.t == 1 and lab.matrix.m == 0
    assert all(np.array_equal(a, b) for a, b in zip(_norms(net), _norms(tr.net_after)))
    assert not all(np.array_equal(a, b) for a, b in zip(_norms(net), _norms(start)))
    press(qtbot, win, Qt.Key.Key_Left)                   # back to the end of the last step
    assert lab.stepper.t == 0 and lab.matrix.m == len(lab.matrix)
    assert win.doc.network.equals(start)                 # γ, β and running averages too


SIZES = [(1024, 768), (1280, 720), (1366, 768), (1920, 1080)]


@pytest.mark.slow
def test_batch_norm_steps_fit_without_scrolling(lab, main_window, qtbot):
    """Every step of the 8-example batch (the BN steps, P the widest, and BP2 into a hidden
    layer the tallest) in view at the four sizes, in presentation mode and not (one window
    walked through all eight): nothing cut off at the side (wide matrices show fewer
    columns, ⋯), no scroll bar, every number shown written, the type at least 65 %."""
    win = main_window
    for size in SIZES:
        for presentation in (True, False):
            _walk_the_batch_steps(lab, win, qtbot, size, presentation)


def _walk_the_batch_steps(lab, win, qtbot, size, presentation) -> None:
    where = f"{size[0]}x{size[1]}{' F5' if presentation else ''}"
    win.resize(*size)
    assert win.open_lesson("batch-norm", switch_lab=False)
    assert lab.stepper.t == 0 and lab.stepper.k == 0, where   # opened afresh
    if presentation:
        qtbot.keyClick(win, Qt.Key.Key_F5)
    try:
        if not lab.matrix.active:                    # M toggles: the last walk left it on
            press(qtbot, win, Qt.Key.Key_M)
        assert lab.matrix.active, where
        if not lab.matrix_view.batch.isChecked():
            qtbot.mouseClick(lab.matrix_view.batch, Qt.MouseButton.LeftButton)
        assert lab.matrix.trace.m == 8, where
        kinds, seen = set(), set()
        for _ in range(len(lab.matrix)):
            press(qtbot, win, Qt.Key.Key_Right)
            step = lab.matrix.step
            kind = (where, step.kind)
            kinds.add(step.kind)
            # the examples of the batch repeat each step with the same shapes: each
            # shape is painted and measured once (painting all 99 steps took a minute)
            shape = (step.kind, step.layer, step.label, np.shape(step.value))
            if shape in seen:
                continue
            seen.add(shape)
            qtbot.wait(5)                           # painted: the canvas fits itself
            assert any(ch.isdigit() for ch in _shown(lab)), kind
            canvas, scroll = lab.matrix_view.canvas, lab.matrix_view.scroll
            assert canvas.content_width() <= canvas.width(), kind
            assert not scroll.horizontalScrollBar().isVisible(), kind
            assert canvas.minimumHeight() <= scroll.viewport().height(), kind
            assert not scroll.verticalScrollBar().isVisible(), kind
            assert canvas.fit >= 0.65, kind
        assert {"bn_inner", "delta"} <= kinds, where
    finally:
        if presentation:
            qtbot.keyClick(win, Qt.Key.Key_F5)


def _train_n(lab, qtbot, n: int) -> str:
    spin = lab.train_n.steps
    spin.selectAll()
    qtbot.keyClicks(spin, str(n))
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    qtbot.mouseClick(lab.train_n.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not lab.repeat.playback.playing, timeout=30_000)
    return lab.train_n.plain_text()


def test_train_n_steps_needs_the_mini_batch_and_repeats_its_step(lab, main_window, qtbot):
    from nnviz.engine.stepping.matrix_trace import build_matrix_trace

    win = main_window
    assert win.open_lesson("batch-norm", switch_lab=False)
    start = win.doc.network.copy()
    assert "needs a mini-batch" in _train_n(lab, qtbot, 2)
    assert win.doc.network.equals(start)                 # nothing changed
    press(qtbot, win, Qt.Key.Key_M)
    qtbot.mouseClick(lab.matrix_view.batch, Qt.MouseButton.LeftButton)
    tr = lab.matrix.trace
    want = build_matrix_trace(tr.net_after, tr.x, tr.y, win.doc.loss, tr.eta).net_after
    _train_n(lab, qtbot, 2)
    assert all(np.allclose(a, b, rtol=1e-12, atol=1e-14)
               for a, b in zip(_norms(win.doc.network), _norms(want)))
    assert all(np.allclose(a, b, rtol=1e-12, atol=1e-14)
               for a, b in zip(win.doc.network.weights, want.weights))
