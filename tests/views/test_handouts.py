"""File > Export > Handout, Exercise sheet and Recorded steps on the real window, and the
`nnviz exercise` command; every file written is opened and checked."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog

from nnviz.cli import main as cli_main
from nnviz.engine.teaching.sheet import balanced_environments


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def _page_texts(path) -> list[str] | None:
    if shutil.which("pdftotext") is None:
        return None
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, timeout=60, check=True).stdout
    return text.split("\f")


def _trigger(win, action_text: str) -> None:
    """Trigger an entry of File > Export by its text, as a click on the menu would."""
    for a in win.export_menu.actions():
        if a.text().replace("&", "").startswith(action_text):
            a.trigger()
            return
    raise AssertionError(f"no export action {action_text!r}")


def test_handout_of_the_current_step_as_pdf_and_latex(main_window, qtbot, tmp_path, monkeypatch):
    win = main_window
    for _ in range(13):
        qtbot.keyClick(win, Qt.Key.Key_Right)
    pdf = tmp_path / "handout.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
    _trigger(win, "Handout")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and _pages(data) >= 2
    texts = _page_texts(pdf)
    if texts is not None:
        whole = "\n".join(texts)
        assert "0.082167041" in whole      # step 13: dE_total/dw5
        assert "0.35891648" not in whole   # step 28 is not reached yet
    tex = tmp_path / "handout.tex"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tex), ""))
    _trigger(win, "Handout")
    source = tex.read_text(encoding="utf-8")
    assert balanced_environments(source)
    assert "0.082167041" in source and "0.35891648" not in source
    figures = sorted(tmp_path.glob("handout-figure-*.png"))
    assert [f.name for f in figures] == ["handout-figure-1.png", "handout-figure-2.png",
                                         "handout-figure-3.png"]  # forward, error, backward
    img = QImage(str(figures[0]))
    assert not img.isNull() and img.width() > 400
    assert all(f.name in source for f in figures)
    assert win.lab("workbench").stepper.k == 13  # the export did not move the lab


def test_exercise_sheet_from_the_menu(main_window, tmp_path, monkeypatch):
    from nnviz.views import handouts

    win = main_window
    out = tmp_path / "sheet.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    chosen = {"kind": "dense", "shape": "2-3-2", "activation": "sigmoid", "loss": "half_sse",
              "seed": 7}
    monkeypatch.setattr(handouts.ExerciseDialog, "exec", lambda self: 1)
    monkeypatch.setattr(handouts.ExerciseDialog, "choice", lambda self: chosen)
    _trigger(win, "Exercise sheet")
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and _pages(data) >= 2
    texts = _page_texts(out)
    if texts is not None:
        assert "Questions" in texts[0] and "Worked solution" not in texts[0]
        assert any("Worked solution" in t for t in texts[1:])


def test_recorded_steps_write_one_frame_per_step(main_window, tmp_path, monkeypatch):
    win = main_window
    st = win.lab("workbench").stepper
    st.set_position(5)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    _trigger(win, "Recorded steps")
    frames = sorted(tmp_path.glob("mazur-2-2-2-*.png"))
    assert len(frames) == len(st) + 1 == 33
    first, last = QImage(str(frames[0])), QImage(str(frames[-1]))
    assert first.size() == win.centralWidget().size()
    assert first != last
    assert st.k == 5


def test_nnviz_exercise_command(tmp_path, capsys):
    out = tmp_path / "sheet.pdf"
    assert cli_main(["exercise", "--shape", "2-3-2", "--activation", "sigmoid", "--loss",
                     "half_sse", "--seed", "7", "--out", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and _pages(data) >= 2
    tex = tmp_path / "sheet.tex"
    assert cli_main(["exercise", "--kind", "conv", "--seed", "2", "--out", str(tex)]) == 0
    assert balanced_environments(tex.read_text(encoding="utf-8"))
    assert cli_main(["exercise", "--shape", "9-9", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "hand-sized" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("kind", ["perceptron", "conv"])
def test_every_kind_of_sheet_has_a_question_part_and_a_solution_part(kind, tmp_path):
    out = tmp_path / f"{kind}.pdf"
    assert cli_main(["exercise", "--kind", kind, "--seed", "3", "--out", str(out)]) == 0
    texts = _page_texts(out)
    if texts is None:
        pytest.skip("pdftotext is not installed")
    assert "Questions" in texts[0] and "Worked solution" not in texts[0]
    assert any("Worked solution" in t for t in texts[1:])


def test_recording_can_be_stopped(main_window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QProgressDialog

    win = main_window
    asked = []
    monkeypatch.setattr(QProgressDialog, "wasCanceled",
                        lambda self: asked.append(1) or len(asked) > 3)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    _trigger(win, "Recorded steps")
    assert len(list(tmp_path.glob("*.png"))) == 3
    assert "Exported 3 frames (of 33)" in win.statusBar().currentMessage()
