"""File > Export on the real main window with the real labs: every export is triggered
through its menu action (the save dialog answers with a temporary path), and the file it
writes is opened and checked: PNGs decode to the view's size and show the view, SVGs
parse and hold the drawing, CSV/Markdown/JSON read back exactly."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from nnviz.engine.files.weights_file import read_weights
from nnviz.views.labs import available_labs

#: a lesson of each lab, and a text its exported view must show
LABS = {
    "workbench": ("mazur-2-2-2", "w1 = 0.15"),
    "universality": ("universality-bumps", "goal f(x)"),
    "surface": ("xor-landscape", "Slice: loss along"),
    "training": ("spiral", "epoch"),
    "neuron": ("perceptron-and", "x1"),
    "conv": ("conv-edge", "Image 8×8"),
}
DRAWING = {"path", "rect", "polyline", "polygon", "ellipse", "circle", "line"}


def _menu_action(win, text: str):
    hits = [a for a in win.export_menu.actions() if a.text().replace("&", "") == text]
    assert len(hits) == 1, [a.text() for a in win.export_menu.actions()]
    return hits[0]


def _open(win, qtbot, lesson: str, lab: str) -> None:
    assert win.open_lesson(lesson)
    assert win.current_lab_name == lab
    ctl = getattr(win.current_lab, "controller", None)
    if lab == "surface":   # the Error surface computes its grid off the GUI thread
        qtbot.waitUntil(lambda: not ctl.busy() and ctl.surface is not None, timeout=30_000)
    qtbot.wait(50)   # coalesced refreshes and first layouts


def _svg_parts(path) -> tuple[dict[str, int], list[str]]:
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    counts: dict[str, int] = {}
    texts = []
    for e in root.iter():
        tag = e.tag.rsplit("}", 1)[-1]
        counts[tag] = counts.get(tag, 0) + 1
        if tag == "text":
            texts.append("".join(e.itertext()).strip())
    return counts, texts


def _pixels(img: QImage) -> np.ndarray:
    img = img.convertToFormat(QImage.Format.Format_RGB32)
    arr = np.frombuffer(img.constBits(), np.uint8, img.sizeInBytes())
    return arr.reshape(img.height(), img.bytesPerLine() // 4, 4)[:, :img.width(), :3].copy()


def _lesson_and_text(lab: str) -> tuple[str, str | None]:
    """LABS' entry, or for a lab added since, its first lesson (and no text to look for)."""
    from nnviz.engine.teaching.lessons import lesson_names, load_lesson

    if lab in LABS:
        return LABS[lab]
    return next(n for n in lesson_names() if load_lesson(n).lab == lab), None


@pytest.mark.parametrize("lab", available_labs())
def test_view_exports_from_the_menu_in_every_lab(main_window, qtbot, tmp_path, save_as,
                                                 error_dialogs, lab):
    win = main_window
    lesson, shown_text = _lesson_and_text(lab)
    _open(win, qtbot, lesson, lab)
    view = win.current_lab.main_view()
    w, h = view.width(), view.height()
    assert w > 100 and h > 100
    p1, p2, svg = tmp_path / "v1.png", tmp_path / "v2.png", tmp_path / "v.svg"
    save_as += [str(p1), str(p2), str(tmp_path / "v")]   # the .svg suffix is added
    _menu_action(win, "View as PNG…").trigger()
    _menu_action(win, "View as PNG (2×)…").trigger()
    _menu_action(win, "View as SVG…").trigger()
    a, b = QImage(str(p1)), QImage(str(p2))
    assert (a.width(), a.height()) == (w, h)
    assert (b.width(), b.height()) == (2 * w, 2 * h)
    # the 1x file is the view as it is on screen (pixel for pixel, up to antialiasing)
    shot = _pixels(view.grab().toImage())
    got = _pixels(a)
    assert got.shape == shot.shape
    differ = np.any(np.abs(got.astype(int) - shot.astype(int)) > 48, axis=2).mean()
    assert differ < 0.03, f"{differ:.1%} of the pixels differ from the view"
    assert len(np.unique(got.reshape(-1, 3), axis=0)) > 20   # a picture, not a blank
    # the 2x file is the same picture, drawn sharper (not a blank of the right size)
    half = _pixels(b.scaled(w, h, Qt.AspectRatioMode.IgnoreAspectRatio,
                            Qt.TransformationMode.SmoothTransformation))
    assert np.any(np.abs(half.astype(int) - shot.astype(int)) > 64, axis=2).mean() < 0.08
    counts, texts = _svg_parts(svg)
    assert sum(counts.get(t, 0) for t in DRAWING) >= 10, counts
    assert texts and (shown_text is None or any(shown_text in t for t in texts)), texts[:40]
    assert win.statusBar().currentMessage() == f"Exported the view to {svg}"


def test_workbench_history_csv_after_training_steps(main_window, qtbot, tmp_path, save_as,
                                                    error_dialogs, monkeypatch):
    win = main_window
    _open(win, qtbot, "mazur-2-2-2", "workbench")
    infos = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: infos.append(a[2]))
    act = _menu_action(win, "Training history as CSV…")
    save_as.append(str(tmp_path / "none.csv"))
    act.trigger()      # nothing trained yet: says so, writes nothing
    assert infos and not (tmp_path / "none.csv").exists()
    save_as.clear()
    win.current_lab.graph.setFocus()
    for _ in range(5):
        qtbot.keyClick(win.current_lab.graph, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    stepper = win.current_lab.stepper
    assert stepper.t == 5
    p = tmp_path / "h.csv"
    save_as.append(str(p))
    act.trigger()
    assert len(infos) == 1
    rows = list(csv.reader(p.open()))
    assert rows[0] == ["step", "cost"]
    assert [int(r[0]) for r in rows[1:]] == [0, 1, 2, 3, 4, 5]
    costs = [float(r[1]) for r in rows[1:]]
    assert costs[0] == 0.2983711087600027          # the notes' E_total = 0.298371109
    assert costs[1] == pytest.approx(0.291027774, abs=5e-10)   # the notes, after one step
    assert all(b < a for a, b in zip(costs, costs[1:]))


def test_training_history_csv(main_window, qtbot, tmp_path, save_as, error_dialogs):
    win = main_window
    _open(win, qtbot, "xor-mlp", "workbench")
    win.show_lab("training")
    lab = win.current_lab
    lab.ctl.run_epochs(3)
    hist = lab.history()
    assert len(hist["epoch"]) == 4
    p = tmp_path / "t.csv"
    save_as.append(str(p))
    _menu_action(win, "Training history as CSV…").trigger()
    rows = list(csv.reader(p.open()))
    assert rows[0] == list(hist)
    assert [float(r[1]) for r in rows[1:]] == hist[rows[0][1]]


def test_markdown_of_the_current_step(main_window, qtbot, tmp_path, save_as, error_dialogs):
    win = main_window
    _open(win, qtbot, "mazur-2-2-2", "workbench")
    qtbot.keyClick(win, Qt.Key.Key_Right)
    p = tmp_path / "w.md"
    save_as.append(str(p))
    _menu_action(win, "Worked example as Markdown…").trigger()
    md = p.read_text()
    assert "net_h1 = w1·i1 + w2·i2 + b1·1 = 0.15·0.05 + 0.2·0.1 + 0.35·1 = 0.3775" in md
    assert "0.593269992" not in md  # the next step is not shown yet
    qtbot.keyClick(win, Qt.Key.Key_Right)
    save_as.append(str(p))
    _menu_action(win, "Worked example as Markdown…").trigger()
    assert "0.593269992" in p.read_text()


def test_markdown_matches_nnviz_worked_when_all_steps_are_shown(main_window, qtbot, tmp_path,
                                                                save_as, error_dialogs):
    from nnviz.engine.stepping.worked import lesson_trace, worked_markdown
    from nnviz.engine.teaching.lessons import load_lesson

    win = main_window
    _open(win, qtbot, "mazur-2-2-2", "workbench")
    lesson = load_lesson("mazur-2-2-2")
    win.current_lab.advance(len(lesson_trace(lesson).steps))
    p = tmp_path / "all.md"
    save_as.append(str(p))
    _menu_action(win, "Worked example as Markdown…").trigger()
    assert p.read_text() == worked_markdown(lesson)


def test_weights_json_export_and_import(main_window, qtbot, tmp_path, save_as, error_dialogs,
                                        monkeypatch):
    win = main_window
    _open(win, qtbot, "mazur-2-2-2", "workbench")
    doc = win.doc
    doc.set_weight(1, 0, 0, 0.987654321)
    p = tmp_path / "weights.json"
    save_as.append(str(p))
    _menu_action(win, "Weights as JSON…").trigger()
    saved = doc.network.copy()
    assert read_weights(p).equals(saved)
    doc.set_weight(1, 0, 0, -3.0)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(p), "")))
    win.act_import_weights.trigger()
    assert doc.network.equals(saved)
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert doc.network.weights[1][0, 0] == -3.0
    # a weights file for another network is refused and changes nothing
    other = tmp_path / "other.json"
    _open(win, qtbot, "xor-mlp", "workbench")
    save_as.append(str(other))
    _menu_action(win, "Weights as JSON…").trigger()
    _open(win, qtbot, "mazur-2-2-2", "workbench")
    before = doc.network.copy()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    assert not win.exporter.import_weights(str(other))
    assert shown and "sizes" in shown[0]
    assert doc.network.equals(before)
    # dropping a weights file imports it
    win.files.open_path(str(p))
    assert doc.network.equals(saved)


def test_export_to_an_unwritable_place_tells_the_user(main_window, tmp_path, save_as,
                                                      error_dialogs, monkeypatch):
    win = main_window
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    for text in ("Weights as JSON…", "View as PNG…", "View as SVG…"):
        save_as.append(str(tmp_path / "no-such-folder" / "x"))
        _menu_action(win, text).trigger()
    assert len(shown) == 3
    assert not (tmp_path / "no-such-folder").exists()
    QApplication.processEvents()
