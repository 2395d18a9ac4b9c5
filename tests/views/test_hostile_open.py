"""Hostile files through the real window's File > Open (real labs): text from files is
shown as plain text, reads are bounded, the settings file is never unpickled and a
lesson's name is never replayed as a path."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

HOSTILE = Path(__file__).resolve().parent.parent / "data" / "hostile"


def open_via_menu(win, monkeypatch, path) -> list[str]:
    """File > Open with the dialog answering ``path``; returns the warnings shown."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    win.act_open.trigger()
    box = win.files.prompt  # unsaved changes: "Discard" them, as a user would to open
    if box is not None:
        box.button(QMessageBox.StandardButton.Discard).click()
    return shown


def snapshot(win) -> tuple:
    """What a refused open must leave exactly as it was."""
    doc = win.doc
    return (doc.lesson.name, doc.lesson.title, win.current_lab_name, doc.undo_stack.count(),
            doc.undo_stack.index(), doc.is_modified, win.windowTitle(),
            [w.tobytes() for w in doc.network.weights], doc.x.tobytes())


def test_universality_caption_and_title_are_plain_text(main_window, monkeypatch):
    win = main_window
    assert open_via_menu(win, monkeypatch, HOSTILE / "rich-caption.json") == []
    assert win.current_lab_name == "universality"
    cap = win.labs["universality"].caption
    assert cap.textFormat() == Qt.TextFormat.PlainText
    assert cap.text().startswith("<img src=x width=60000")


def test_inspector_names_and_lesson_description_are_not_markup(main_window, monkeypatch,
                                                                qtbot):
    win = main_window
    assert open_via_menu(win, monkeypatch, HOSTILE / "rich-names.json") == []
    win.show_lab("workbench")
    bench = win.labs["workbench"]
    bench.inspector.select(("neuron", 1, 0))
    title = bench.inspector.title.text()
    assert "&lt;h1&gt;" in title and "<h1>" not in title and "<font" not in title
    bench.inspector.select(("edge", 0, 0, 0))
    assert "&lt;img" in bench.inspector.title.text()
    assert "<img" not in bench.inspector.values.text()
    assert bench.inspector.edit_label.textFormat() == Qt.TextFormat.PlainText
    qtbot.waitUntil(lambda: "click me" in bench.lesson_text.toPlainText())
    html = bench.lesson_text.document().toHtml()
    assert "href" not in html and "<img" not in html and "passwd" not in html
    assert not bench.lesson_text.openLinks() and not bench.lesson_text.openExternalLinks()


def test_message_boxes_show_file_text_as_plain_text():
    from PySide6 import QtGui

    from nnviz.views.safe_text import plain_message

    msg = plain_message("x.json: lab: '<img src=x width=60000 height=60000>' is not one of")
    assert not QtGui.Qt.mightBeRichText(msg) and "img src=x" in msg
    assert plain_message("plain\n<b>second line stays</b>").endswith("<b>second line stays</b>")


def _special_files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for suffix in (".nnviz", ".json", ".csv"):
        link = tmp_path / f"zero{suffix}"
        link.symlink_to("/dev/zero")
        out[f"symlink to /dev/zero ({suffix})"] = link
        fifo = tmp_path / f"fifo{suffix}"
        os.mkfifo(fifo)
        out[f"FIFO ({suffix})"] = fifo
        folder = tmp_path / f"folder{suffix}"
        folder.mkdir()
        out[f"directory ({suffix})"] = folder
    return out


def test_special_files_are_refused_without_hanging(main_window, monkeypatch, tmp_path):
    win = main_window
    before = snapshot(win)
    for what, path in _special_files(tmp_path).items():
        shown = open_via_menu(win, monkeypatch, path)
        assert len(shown) == 1, what
        assert "not a regular file" in shown[0], (what, shown)
        assert snapshot(win) == before, what


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_workspace_is_refused(main_window, monkeypatch, tmp_path):
    path = tmp_path / "secret.nnviz"
    path.write_text("{}")
    path.chmod(0)
    before = snapshot(main_window)
    shown = open_via_menu(main_window, monkeypatch, path)
    assert len(shown) == 1 and "cannot read" in shown[0]
    assert snapshot(main_window) == before


def _evil_settings(ini: Path, marker: Path, read_back: bool = False) -> None:
    """Write (in a subprocess) a settings file whose values are what PySide6 writes for a
    pickled object that runs ``touch <marker>``; with ``read_back`` also read one key
    back with a plain QSettings."""
    import subprocess
    import sys

    code = (
        "import os\nfrom PySide6.QtCore import QSettings\n"
        "class E:\n    def __reduce__(self):\n"
        f"        return (os.system, ('touch {marker}',))\n"
        f"s = QSettings({str(ini)!r}, QSettings.Format.IniFormat)\n"
        "s.setValue('last_lesson', E())\ns.setValue('theme', E())\n"
        "s.setValue('geometry', E())\ns.setValue('last_lab', 'surface')\ns.sync()\ndel s\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    if read_back:  # a fresh process: QSettings caches the files a process has read
        code = ("from PySide6.QtCore import QSettings\n"
                f"QSettings({str(ini)!r}, QSettings.Format.IniFormat).value('last_lab')\n")
        subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_crafted_settings_payload_is_live(tmp_path):
    """The crafted file is a live payload: a plain QSettings read runs it (so the test
    below can fail)."""
    marker = tmp_path / "pwned"
    _evil_settings(tmp_path / "s.ini", marker, read_back=True)
    assert marker.exists()
    assert "@Variant(" in (tmp_path / "s.ini").read_text(errors="replace")


def test_settings_file_is_never_unpickled(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from nnviz.views.main_window import MainWindow

    marker = tmp_path / "pwned"
    ini = tmp_path / "settings.ini"
    _evil_settings(ini, marker)
    assert not marker.exists()
    win = MainWindow(settings=QSettings(str(ini), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.restore_settings()
    win.start()
    assert not marker.exists()
    assert win.doc.lesson.name == "mazur-2-2-2"
    assert b"@Variant" not in ini.read_bytes()
    win.close()
    win.settings.sync()
    assert not marker.exists()
    text = ini.read_text()
    assert "@Variant" not in text and "@ByteArray" not in text and "geometry=" in text


def test_open_settings_scrubs_before_reading(tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    from nnviz.controllers.settings_store import get_str, open_settings

    marker = tmp_path / "pwned"
    ini = tmp_path / "nnviz-tests.ini"
    _evil_settings(ini, marker)
    monkeypatch.setattr(QSettings, "fileName", lambda self: str(ini))
    s = open_settings()
    assert not marker.exists()
    assert "@Variant" not in ini.read_text()
    assert get_str(s, "last_lesson") == ""


def test_lesson_name_is_never_replayed_as_a_path(main_window, monkeypatch, qtbot, settings,
                                                tmp_path):
    from nnviz.views.main_window import MainWindow

    win = main_window
    win.open_lesson("xor-mlp")
    assert win.settings.value("last_lesson") == "xor-mlp"
    path = tmp_path / "evil.json"
    shutil.copy(HOSTILE / "rich-names.json", path)  # its "name" is "/dev/zero"
    assert open_via_menu(win, monkeypatch, path) == []
    assert win.doc.lesson.name == "/dev/zero"
    assert win.settings.value("last_lesson") == "xor-mlp"
    win.settings.setValue("last_lesson", "../../../etc/passwd")
    win2 = MainWindow(settings=win.settings)
    qtbot.addWidget(win2)
    win2.start()
    assert win2.doc.lesson.name == "mazur-2-2-2"
    for page in win2.labs.values():
        page.shutdown()


def test_weights_or_lesson_is_decided_by_parsing(tmp_path):
    from nnviz.engine.files.weights_file import weights_to_dict
    from nnviz.engine.teaching.lessons import load_lesson
    from nnviz.views.files import FileManager

    w = weights_to_dict(load_lesson("mazur-2-2-2").network)
    padded = {"network": w["network"], "padding": "x" * 5000, "format": w["format"],
              "version": 1}
    (tmp_path / "w.json").write_text(json.dumps(padded))
    assert FileManager.kind_of(str(tmp_path / "w.json")) == "weights"
    lesson = json.loads((HOSTILE / "rich-names.json").read_text())
    lesson["description"] = 'see "nnviz-weights" files'
    (tmp_path / "l.json").write_text(json.dumps(lesson))
    assert FileManager.kind_of(str(tmp_path / "l.json")) == "lesson"
