"""Every export writes a valid file; weights import is validated and undoable."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from nnviz.engine.workspace import read_weights


def test_png_at_1x_and_2x(dummy_window, tmp_path):
    win = dummy_window
    view = win.current_lab.main_view()
    p1, p2 = tmp_path / "v1.png", tmp_path / "v2.png"
    assert win.exporter.png(1.0, str(p1))
    assert win.exporter.png(2.0, str(p2))
    a, b = QImage(str(p1)), QImage(str(p2))
    assert not a.isNull() and not b.isNull()
    assert (a.width(), a.height()) == (view.width(), view.height())
    assert (b.width(), b.height()) == (2 * view.width(), 2 * view.height())
    # the drawing is there: the orange disc of the dummy view
    colours = {b.pixelColor(x, y).name() for x in range(0, b.width(), 7)
               for y in range(0, b.height(), 7)}
    assert "#e69f00" in colours


def test_svg_parses_and_has_the_drawing(dummy_window, tmp_path):
    win = dummy_window
    p = tmp_path / "v.svg"
    assert win.exporter.svg(str(p))
    root = ET.parse(p).getroot()
    assert root.tag.endswith("svg")
    text = p.read_text()
    assert "#e69f00" in text.lower()


def test_history_csv_reloads(dummy_window, qtbot, tmp_path, monkeypatch):
    win = dummy_window
    infos = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: infos.append(a[2]))
    assert not win.exporter.history(str(tmp_path / "none.csv"))  # no history yet
    assert infos and not (tmp_path / "none.csv").exists()
    for _ in range(4):
        qtbot.keyClick(win, Qt.Key.Key_Right)
    p = tmp_path / "h.csv"
    assert win.exporter.history(str(p))
    rows = list(csv.reader(p.open()))
    assert rows[0] == ["step", "cost"]
    hist = win.current_lab.history()
    assert [int(r[0]) for r in rows[1:]] == hist["step"]
    assert [float(r[1]) for r in rows[1:]] == hist["cost"]  # exact


def test_markdown_of_the_current_step(dummy_window, qtbot, tmp_path):
    win = dummy_window
    qtbot.keyClick(win, Qt.Key.Key_Right)
    p = tmp_path / "w.md"
    assert win.exporter.markdown(str(p))
    md = p.read_text()
    assert "net_h1 = w1*i1 + w2*i2 + b1*1 = 0.15*0.05 + 0.2*0.1 + 0.35*1 = 0.3775" in md
    assert "0.593269992" not in md  # the next step is not shown yet
    qtbot.keyClick(win, Qt.Key.Key_Right)
    assert win.exporter.markdown(str(p))
    assert "0.593269992" in p.read_text()


def test_markdown_matches_nnviz_worked_when_all_steps_are_shown(dummy_window, tmp_path):
    from nnviz.engine.lessons import load_lesson
    from nnviz.engine.worked import lesson_trace, worked_markdown

    win = dummy_window
    lesson = load_lesson("mazur-2-2-2")
    win.current_lab.advance(len(lesson_trace(lesson).steps))
    p = tmp_path / "all.md"
    assert win.exporter.markdown(str(p))
    assert p.read_text() == worked_markdown(lesson)


def test_weights_json_export_and_import(dummy_window, tmp_path, monkeypatch):
    win = dummy_window
    doc = win.doc
    doc.set_weight(1, 0, 0, 0.987654321)
    p = tmp_path / "weights.json"
    assert win.exporter.weights(str(p))
    saved = doc.network.copy()
    assert read_weights(p).equals(saved)
    doc.set_weight(1, 0, 0, -3.0)
    assert win.exporter.import_weights(str(p))
    assert doc.network.equals(saved)
    doc.undo_stack.undo()
    assert doc.network.weights[1][0, 0] == -3.0
    # a weights file for another network is refused and changes nothing
    other = tmp_path / "other.json"
    win.open_lesson("xor-mlp")
    win.exporter.weights(str(other))
    win.open_lesson("mazur-2-2-2")
    before = doc.network.copy()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    assert not win.exporter.import_weights(str(other))
    assert shown and "sizes" in shown[0]
    assert doc.network.equals(before)
    # dropping a weights file imports it
    win.files.open_path(str(p))
    assert doc.network.equals(saved)


def test_export_to_an_unwritable_place_tells_the_user(dummy_window, tmp_path, monkeypatch):
    win = dummy_window
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    assert not win.exporter.weights(str(tmp_path / "no-such-folder" / "w.json"))
    assert shown
