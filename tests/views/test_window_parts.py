"""The main window's parts, each with its own state: the captions and step status
(WindowCaptions), the look (WindowStyle), the syllabus's overlays (WindowSyllabus)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from nnviz.views.style import current_style


def test_captions_keep_each_labs_status_and_show_only_the_lab_shown(main_window, qtbot):
    win, parts = main_window, main_window.captions
    assert parts.bar is win.caption_bar and parts.status_label is win.status_label
    shown = win.current_lab_name
    other = next(n for n in win.lab_names if n != shown)
    page = win.lab(other)                  # made, not shown: its status is kept, not shown
    before = win.status_label.text()
    page.status.emit("the other lab's status")
    assert parts.lab_status[other] == "the other lab's status"
    assert win.status_label.text() == before
    win.show_lab(other)                    # shown: its own last status with it
    assert win.status_label.text() == parts.lab_status[other]
    page.status.emit("said while shown")
    assert win.status_label.text() == "said while shown"
    win.show_lab(shown)                    # back: the first lab's, not the other's
    assert win.status_label.text() == parts.lab_status.get(shown, "") != "said while shown"


def test_captions_belong_to_the_lessons_lab_and_can_be_switched_off(main_window, qtbot):
    win, parts = main_window, main_window.captions
    assert parts.caption_lab() == win.doc.lesson.lab == win.current_lab_name
    assert win.caption_bar.isVisible() and win.caption_bar.text_label.text()
    win.act_captions.trigger()             # View > Captions off
    assert not win.caption_bar.enabled_by_user and not win.caption_bar.isVisible()
    win.act_captions.trigger()
    assert win.caption_bar.enabled_by_user and win.caption_bar.isVisible()


def test_the_style_part_switches_presentation_and_theme(main_window, qtbot):
    win = main_window
    win.window_style.toggle_presentation()
    assert current_style().presentation and win.act_presentation.isChecked()
    assert not win.menuBar().isVisible() and win.act_leave_presentation.isEnabled()
    qtbot.keyClick(win, Qt.Key.Key_Escape)            # Esc leaves it
    assert not current_style().presentation and win.menuBar().isVisible()
    win.act_dark.trigger()
    assert current_style().theme == "dark" and win.settings.value("theme") == "dark"
    win.act_dark.trigger()
    assert current_style().theme == "light" and win.settings.value("theme") == "light"


def test_the_syllabus_part_makes_each_overlay_once(main_window, qtbot):
    parts = main_window.syllabus
    assert parts.picker is None and parts.shortcut_sheet is None   # nothing made up front
    parts.show_picker()
    picker = parts.picker
    assert picker is not None and picker.isVisible()
    parts.show_picker()                    # G again: the same picker, closed
    assert parts.picker is picker and not picker.isVisible()
    parts.show_shortcuts()
    sheet = parts.shortcut_sheet
    assert sheet is not None and sheet.isVisible()
    assert "Lesson picker (G)" in dict(sheet.sections)   # the picker's own keys listed
    parts.show_shortcuts()
    assert parts.shortcut_sheet is sheet and not sheet.isVisible()
