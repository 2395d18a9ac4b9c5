"""The labs implement the window's hooks: captions follow the workbench, the training lab
exports its history and takes CSV files."""

from __future__ import annotations

import csv

from PySide6.QtCore import Qt


def test_caption_bar_follows_the_workbench_steps(main_window, qtbot):
    win = main_window
    lab = win.current_lab
    assert lab.name == "workbench"
    start_caption = win.caption_bar.text() if hasattr(win.caption_bar, "text") else None
    assert lab.caption_position() == (0, "start")
    win.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_Right)
    assert lab.caption_position() == (1, "forward")
    lesson = win.doc.lesson
    forward = lesson.captions_for(1, "forward")
    assert forward, "the 2-2-2 lesson has a caption for the forward pass"
    def shown() -> str:
        return " ".join(w.text() for w in win.caption_bar.findChildren(type(win.status_label)))

    qtbot.waitUntil(lambda: forward[0].text[:40] in shown())  # in the same repaint
    if start_caption is not None:
        assert win.caption_bar.text() != start_caption


def test_training_lab_exports_history_and_takes_csv(main_window, qtbot, tmp_path):
    win = main_window
    assert win.open_lesson("spiral")
    lab = win.current_lab
    assert lab.name == "training"
    lab.advance(3)
    h = lab.history()
    assert h is not None and h["epoch"][-1] == 3
    assert len({len(v) for v in h.values()}) == 1
    p = tmp_path / "points.csv"
    with open(p, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["x1", "x2", "label"])
        for i in range(20):
            w.writerow([i / 10, -i / 10, i % 2])
    assert win.open_csv(str(p))
    assert len(lab.ctl.data.x) == 20
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n1,2,0\n3,oops,1\n")
    before = lab.ctl.data.x.copy()
    shown = []
    from PySide6.QtWidgets import QMessageBox

    orig = QMessageBox.warning
    QMessageBox.warning = staticmethod(lambda *a, **k: shown.append(a[2]))
    try:
        assert not win.open_csv(str(bad))
    finally:
        QMessageBox.warning = orig
    assert shown and "3" in shown[0]
    assert (lab.ctl.data.x == before).all()


def test_stepping_never_resizes_the_graph(main_window, qtbot):
    """The caption bar keeps its height within a lesson: the view above it does not jump."""
    win = main_window
    lab = win.current_lab
    win.setFocus()
    sizes = set()
    for _ in range(len(lab.stepper.trace.steps)):
        qtbot.keyClick(win, Qt.Key.Key_Right)
        qtbot.wait(1)
        sizes.add((lab.graph.width(), lab.graph.height()))
    assert len(sizes) == 1, sizes
