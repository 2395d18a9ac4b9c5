"""Captions and status follow the lab on screen; F1 shows every key on one sheet.

All on the real main window with its real labs, by key presses."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut

from nnviz.views.style import current_style

CTRL = Qt.KeyboardModifier.ControlModifier
LAB_KEYS = {"workbench": Qt.Key.Key_1, "universality": Qt.Key.Key_2, "surface": Qt.Key.Key_3,
            "training": Qt.Key.Key_4, "neuron": Qt.Key.Key_5}


def _caption(win) -> str:
    bar = win.caption_bar
    if not bar.isVisible():
        return ""
    return bar.text_label.text() + " " + bar.question_label.text()


def _go(win, qtbot, name: str) -> None:
    qtbot.keyClick(win, LAB_KEYS[name], CTRL)
    qtbot.waitUntil(lambda: win.current_lab_name == name)
    qtbot.wait(5)  # the caption follows once per event


def test_other_labs_never_show_the_workbench_lessons_caption(main_window, qtbot):
    win = main_window
    assert win.doc.lesson.name == "mazur-2-2-2" and win.current_lab_name == "workbench"
    win.setFocus()
    assert "will o1 be near 0.01?" in _caption(win)
    for name in ("universality", "surface", "training", "neuron"):
        _go(win, qtbot, name)
        assert "0.01" not in _caption(win), name
        assert "o1" not in _caption(win), name
    _go(win, qtbot, "workbench")
    qtbot.waitUntil(lambda: "will o1 be near 0.01?" in _caption(win))


def test_each_lab_shows_its_own_lessons_caption(main_window, qtbot):
    win = main_window
    assert win.open_lesson("sigmoid-neuron")
    assert win.current_lab_name == "surface"
    qtbot.waitUntil(lambda: "almost flat" in _caption(win))
    win.setFocus()
    _go(win, qtbot, "workbench")
    assert "almost flat" not in _caption(win)
    # nor in the workbench's own equation panel (its italic note)
    assert "almost flat" not in win.current_lab.equations.plain_text()
    _go(win, qtbot, "surface")
    qtbot.waitUntil(lambda: "almost flat" in _caption(win))


def test_the_status_bar_shows_the_lab_on_screen(main_window, qtbot):
    win = main_window
    assert win.open_lesson("universality-bumps")
    qtbot.waitUntil(lambda: "bumps mode" in win.status_label.text())
    win.setFocus()
    _go(win, qtbot, "neuron")
    assert "bumps" not in win.status_label.text()
    _go(win, qtbot, "workbench")
    assert "bumps" not in win.status_label.text()
    _go(win, qtbot, "universality")
    assert "bumps mode" in win.status_label.text()


def test_a_lab_built_by_a_lesson_shows_its_status_at_once(main_window, qtbot):
    """A lesson that opens a lab not built yet: the status bar says where the lab is from
    the start (the Neuron lab's perceptron page said nothing until its first step; the
    status it gave while it was being made went to no one)."""
    win = main_window
    assert "neuron" not in win.labs
    assert win.open_lesson("perceptron-xor")
    assert win.current_lab_name == "neuron"
    qtbot.waitUntil(lambda: win.status_label.text().startswith(
        "Perceptron learning rule · iteration 0 · 0 updates"))
    _go(win, qtbot, "workbench")
    _go(win, qtbot, "neuron")
    assert win.status_label.text().startswith("Perceptron learning rule · iteration 0")


def _window_keys(win) -> list[str]:
    keys = []
    for a in win.findChildren(QAction):
        keys += [s.toString(QKeySequence.SequenceFormat.NativeText) for s in a.shortcuts()]
    for s in win.findChildren(QShortcut):
        keys.append(s.key().toString(QKeySequence.SequenceFormat.NativeText))
    return [k for k in keys if k]


def test_f1_shows_every_key_of_the_window_and_every_lab(main_window, qtbot):
    from nnviz.views.lab_keys import LAB_KEYS
    from nnviz.views.shortcut_sheet import lab_rows

    win = main_window
    win.setFocus()
    made = set(win.labs)
    qtbot.keyClick(win, Qt.Key.Key_F1)
    sheet = win.syllabus.shortcut_sheet
    assert sheet is not None and sheet.isVisible()
    assert set(win.labs) == made       # F1 opens at once: it makes no lab (seconds each)
    before = sheet.plain_text()
    for name in win.lab_names:         # the labs not made yet are listed from their table
        for keys, what in LAB_KEYS[name]:
            assert keys in before and what in before, (name, keys)
    qtbot.keyClick(sheet, Qt.Key.Key_F1)
    assert not sheet.isVisible()
    # the table is exactly what each lab's actions say: it cannot go stale
    for name in win.lab_names:
        assert lab_rows(win.lab(name)) == list(LAB_KEYS[name]), name
    qtbot.keyClick(win, Qt.Key.Key_F1)
    text = sheet.plain_text()
    assert text == before              # the same sheet from the actions themselves
    keys = _window_keys(win)
    assert len(keys) > 25
    missing = [k for k in keys if k not in text]
    assert not missing, missing
    for lab_title in ("Workbench lab", "Play or pause", "Next step", "Presentation mode"):
        assert lab_title in text
    # while the sheet is open, the clicker keys do not step the lab behind it
    k = win.labs["workbench"].stepper.k
    qtbot.keyClick(sheet, Qt.Key.Key_Right)
    assert win.labs["workbench"].stepper.k == k
    qtbot.keyClick(sheet, Qt.Key.Key_F1)
    assert not sheet.isVisible()


def test_f1_sheet_in_presentation_mode_and_esc_closes_only_the_sheet(main_window, qtbot):
    win = main_window
    win.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_F5)
    assert current_style().presentation
    qtbot.keyClick(win, Qt.Key.Key_F1)
    sheet = win.syllabus.shortcut_sheet
    assert sheet.isVisible()
    # readable from the back: the sheet's type is the presentation size
    assert sheet.text.font().pointSizeF() >= 14
    qtbot.waitUntil(lambda: sheet.geometry() == win.rect())   # it covers the window
    qtbot.keyClick(sheet, Qt.Key.Key_Escape)
    assert not sheet.isVisible()
    assert current_style().presentation   # Esc closed the sheet, not presentation mode
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    assert not current_style().presentation


def test_every_lab_shows_its_own_lessons_caption_and_no_other(main_window, qtbot):
    from nnviz.engine.teaching.syllabus import shipped_syllabus
    from nnviz.views.caption_bar import lab_captions

    win = main_window
    by_lab: dict[str, str] = {}
    for e in shipped_syllabus():
        lab = load_lab_of(e.name)
        by_lab.setdefault(lab, e.name)
    assert set(by_lab) >= {"workbench", "universality", "surface", "training", "neuron"}
    for lab_name, lesson in by_lab.items():
        assert win.nav.go(lesson)
        assert win.current_lab_name == lab_name
        now, _ = lab_captions(win.doc.lesson, win.current_lab, win.doc.network.sizes)
        assert now, lesson
        qtbot.waitUntil(lambda t=now[0].text: t in _caption(win))
        assert "{" not in _caption(win)
        other = next(n for n in win.lab_names if n != lab_name)
        win.show_lab(other)
        qtbot.wait(5)
        assert _caption(win) == "", (lesson, other)
        win.show_lab(lab_name)


def load_lab_of(name: str) -> str:
    from nnviz.engine.teaching.lessons import load_lesson

    return load_lesson(name).lab


def test_a_workbench_step_reads_the_captions_once(main_window, qtbot, monkeypatch):
    """A step moves the lab and then its coalesced refresh shows the new status: the
    caption bar waits for that refresh and reads the lesson's captions once a step (it
    read them twice, a tenth of a step's time), showing the step's caption."""
    import nnviz.views.window_captions as wc
    from nnviz.views.caption_bar import lab_captions

    win = main_window
    assert win.current_lab_name == "workbench"
    reads = []
    monkeypatch.setattr(wc, "lab_captions", lambda *a: reads.append(1) or lab_captions(*a))
    win.setFocus()
    for _ in range(3):
        before, reads[:] = win.status_label.text(), []
        qtbot.keyClick(win, Qt.Key.Key_Right)
        qtbot.waitUntil(lambda b=before: win.status_label.text() != b and len(reads) >= 1)
        qtbot.wait(5)   # anything else posted by the step
        assert len(reads) == 1
        now, _every = lab_captions(win.doc.lesson, win.current_lab, win.doc.network.sizes)
        assert all(c.text in _caption(win) for c in now)


def test_every_caption_is_filled_in_once_per_lesson_and_values(main_window, qtbot,
                                                               monkeypatch):
    """The caption bar reserves the height of the lesson's tallest caption, every caption
    filled in with the live values: a step changes which caption shows, not the values,
    and the lesson's templates are filled in again only when the values change (an edit
    of a weight, a new trace), then with the new numbers."""
    import nnviz.views.caption_bar as cb

    win = main_window
    lesson = win.doc.lesson
    filled = []
    shown_captions = cb.shown_captions

    def count(les, captions, *a):
        if captions is les.captions:
            filled.append(1)
        return shown_captions(les, captions, *a)

    monkeypatch.setattr(cb, "shown_captions", count)
    win.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_Right)
    qtbot.wait(30)
    filled.clear()
    for _ in range(3):
        qtbot.keyClick(win, Qt.Key.Key_Right)
        qtbot.wait(30)
    assert filled == []
    lab = win.current_lab
    _, every = cb.lab_captions(lesson, lab, win.doc.network.sizes)
    assert every == shown_captions(lesson, lesson.captions, lab.caption_values(), None, True)
    quoted = [c.text for c in every]
    win.doc.set_weight(0, 1, 0, 0.9)   # w3 = 0.9: a new trace, new live values
    qtbot.wait(30)
    assert filled
    _, every = cb.lab_captions(lesson, lab, win.doc.network.sizes)
    assert every == shown_captions(lesson, lesson.captions, lab.caption_values(), None, True)
    assert [c.text for c in every] != quoted   # (the lesson quotes live values)
