"""A hidden lab costs nothing: lessons opened while another lab is shown compute no grid
and redraw nothing in the error-surface lab; showing it again catches up."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from nnviz.controllers.workbench import stepper as stepper_module


def test_hidden_surface_lab_neither_computes_nor_redraws(main_window, qtbot, monkeypatch):
    win = main_window
    win.open_lesson("learning-slowdown")
    lab = win.current_lab
    assert lab.name == "surface"
    qtbot.waitUntil(lambda: all(r.z is not None for r in lab.slowdown.runs), timeout=30_000)
    lab.controller.wait_idle()
    win.show_lab("workbench")
    work = []
    monkeypatch.setattr(lab.slowdown.runner, "submit", lambda job: work.append("slow grid"))
    monkeypatch.setattr(lab.controller.runner, "submit", lambda job: work.append("grid") or 0)
    monkeypatch.setattr(lab.controller, "slice_values", lambda: work.append("slice"))
    for m in ("set_surface", "set_path"):
        for hm in lab.slow_page.maps:
            monkeypatch.setattr(hm, m, lambda *a, m=m: work.append(m))
    for name in ("xor-mlp", "mazur-2-2-2"):
        win.open_lesson(name)
        qtbot.keyClick(win, Qt.Key.Key_Right)
        qtbot.wait(30)
    assert win.current_lab_name == "workbench"
    assert work == []
    monkeypatch.undo()
    win.open_lesson("learning-slowdown")      # shown again: grids and pictures catch up
    qtbot.waitUntil(lambda: all(r.z is not None for r in lab.slowdown.runs), timeout=30_000)
    qtbot.wait(50)
    assert "Epoch 0" in lab.slow_page.epoch_label.text()


def test_a_hidden_workbench_waits_until_it_is_shown(main_window, monkeypatch):
    win = main_window
    wb = win.lab("workbench")
    QApplication.processEvents()
    built = []
    real = stepper_module.build_trace
    monkeypatch.setattr(stepper_module, "build_trace",
                        lambda *a, **k: built.append(1) or real(*a, **k))
    win.show_lab("neuron")
    for v in (0.41, 0.42, 0.43):        # as training in another lab does, frame after frame
        win.doc.set_weight(1, 0, 0, v)
        QApplication.processEvents()
    assert built == [] and not wb.isVisible()
    win.show_lab("workbench")
    QApplication.processEvents()
    assert len(built) == 1
    assert "w5 = 0.43" in " ".join(wb.graph.label_texts())


def test_a_hidden_generalisation_lab_redraws_once_when_shown(main_window, qtbot, monkeypatch):
    """Lessons and settings changed while the Generalisation lab is hidden redraw none of
    its pages; showing it redraws the shown page once, with the latest settings."""
    win = main_window
    assert win.open_lesson("regularisation-polynomial")
    lab = win.current_lab
    assert lab.name == "general" and lab.page == "regularisation"
    win.show_lab("workbench")
    drawn = []
    for name, page in lab.pages.items():
        monkeypatch.setattr(page, "refresh", lambda real=page.refresh, n=name: (drawn.append(n),
                                                                              real()))
    for name in ("l1-vs-l2", "bias-variance", "regularisation-polynomial"):
        assert win.open_lesson(name, switch_lab=False)
        QApplication.processEvents()
    lab.ctl.set(reg_lambda=0.5)                     # a setting changed while hidden, too
    QApplication.processEvents()
    assert win.current_lab_name == "workbench" and not lab.isVisible()
    assert drawn == []
    win.show_lab("general")
    QApplication.processEvents()
    assert drawn == ["regularisation"]
    assert lab.pages["regularisation"].lam_label.text() == "λ = 0.5"
    assert win.open_lesson("bias-variance")         # opened with the switch: drawn once
    QApplication.processEvents()
    assert drawn == ["regularisation", "bias-variance"]


def test_a_hidden_error_surface_computes_no_loss_while_the_network_changes(main_window,
                                                                          monkeypatch):
    """Training in another lab changes the network every frame: the error-surface lab,
    visited before and hidden now, evaluates no loss over the data for it (nor the
    learning-slowdown runs for a new lesson); shown again, it does, once."""
    from nnviz.controllers.surface import path as surface_path
    from nnviz.controllers.surface import slowdown as slowdown_module

    win = main_window
    lab = win.lab("surface")
    win.show_lab("surface")
    QApplication.processEvents()
    win.show_lab("workbench")
    evaluated = []
    real, real_slow = surface_path.cost, slowdown_module.cost
    monkeypatch.setattr(surface_path, "cost", lambda *a: evaluated.append(1) or real(*a))
    monkeypatch.setattr(slowdown_module, "cost",
                        lambda *a: evaluated.append(2) or real_slow(*a))
    for v in (0.41, 0.42, 0.43):
        win.doc.set_weight(1, 0, 0, v)
        win.doc.network_updated()
        QApplication.processEvents()
    assert win.open_lesson("xor-mlp", switch_lab=False)
    QApplication.processEvents()
    assert evaluated == [] and not lab.isVisible()
    win.show_lab("surface")
    QApplication.processEvents()
    assert evaluated.count(1) == 1 and evaluated.count(2) == len(lab.slowdown.runs)
    c = lab.controller
    assert c.costs == [real(win.doc.network, win.doc.x, win.doc.y, win.doc.loss)]


def test_live_training_costs_a_shown_then_hidden_workbench_nothing(main_window, qtbot,
                                                                   monkeypatch):
    """The Workbench was shown (its network editor too), then the Training lab plays:
    the Workbench builds no trace and its editor rewrites nothing (only the network's
    shape is in it), the document hears the network at most once a display frame (the
    controller test counts ticks against frames without drawing in the way); the
    Workbench shown again shows the trained network, built once."""
    import time

    from PySide6.QtCore import Qt

    from nnviz.controllers.training.clock import FRAME_MS

    win = main_window
    assert win.open_lesson("spiral")
    win.show_lab("workbench")
    wb = win.current_lab
    editor = wb.editor
    QApplication.processEvents()
    win.show_lab("training")
    lab = win.current_lab
    lab.ctl.set_speed(100)                    # ticks every 10 ms: more often than frames
    work, heard, ticks = [], [], []
    real = stepper_module.build_trace
    monkeypatch.setattr(stepper_module, "build_trace",
                        lambda *a, **k: work.append("trace") or real(*a, **k))
    monkeypatch.setattr(editor, "refresh", lambda: work.append("editor"))
    win.doc.network_changed.connect(lambda: heard.append(1))
    lab.ctl.trained.connect(lambda: ticks.append(1))
    t0 = time.perf_counter()
    qtbot.mouseClick(lab.run_panel.play, Qt.MouseButton.LeftButton)
    assert lab.ctl.playback.playing
    qtbot.waitUntil(lambda: len(ticks) >= 3, timeout=20_000)
    qtbot.mouseClick(lab.run_panel.play, Qt.MouseButton.LeftButton)
    elapsed_ms = 1000 * (time.perf_counter() - t0)
    assert not lab.ctl.playback.playing and lab.ctl.steps > 1
    assert work == [] and not wb.isVisible()
    assert 1 <= len(heard) <= 1 + elapsed_ms / FRAME_MS
    win.show_lab("workbench")
    QApplication.processEvents()
    assert work == ["trace"]
    assert wb.stepper.trace.net_before.equals(win.doc.network)
