"""Moving through the syllabus on the real window: the Lessons menu by chapter, next and
previous lesson keys in presentation mode, the picker (G), lessons kept as they were left
without any question, and the question on quit still asked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from nnviz.engine.teaching.syllabus import chapters, shipped_syllabus
from nnviz.views.style import current_style

from .windows import open_menu, visible_dialogs

CTRL = Qt.KeyboardModifier.ControlModifier


def _no_dialog(win) -> bool:
    boxes = visible_dialogs(win, QMessageBox)
    return win.files.prompt is None and not boxes


def test_lessons_menu_groups_lessons_by_chapter_in_course_order(main_window, qtbot):
    """The chapters are added when the menu is first opened (reading every lesson file
    is not needed for the first window): opened as a user opens it, it has them all,
    above next, previous, choose and afresh."""
    menu = open_menu(main_window, "Lessons", qtbot)
    subs = [a.menu() for a in menu.actions() if a.menu() is not None]
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts[len(subs):] == [main_window.act_next_lesson.text(),
                                 main_window.act_prev_lesson.text(),
                                 main_window.act_pick_lesson.text(),
                                 main_window.act_restart_lesson.text()]
    expected = chapters(shipped_syllabus())
    assert [m.title().split(" ", 1)[1] for m in subs] == [t for t, _ in expected]
    for menu, (_, entries) in zip(subs, expected):
        assert [a.text() for a in menu.actions()] == [f"{e.title}  [{e.name}]"
                                                      for e in entries]


def test_next_and_previous_lesson_keys_in_presentation_mode(main_window, qtbot):
    """The keys work at once: the Lessons menu has never been opened (its chapters and
    the syllabus are read when first needed)."""
    win = main_window
    win.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_F5)
    assert current_style().presentation
    qtbot.keyClick(win, Qt.Key.Key_PageDown, CTRL)
    assert win.doc.lesson.name == "step-network" and _no_dialog(win)
    qtbot.keyClick(win, Qt.Key.Key_PageDown, CTRL)
    assert win.doc.lesson.name == "xor-mlp"
    for _ in range(3):
        qtbot.keyClick(win, Qt.Key.Key_PageUp, CTRL)
    assert win.doc.lesson.name == "linear-2-2-1" and _no_dialog(win)
    # on to a lesson of another lab: the lab follows
    while win.doc.lesson.name != "sigmoid-neuron":
        qtbot.keyClick(win, Qt.Key.Key_PageDown, CTRL)
    assert win.current_lab_name == "surface"
    assert current_style().presentation and _no_dialog(win)


def test_a_lesson_left_is_found_as_it_was_and_nothing_is_asked(main_window, qtbot):
    win = main_window
    wb = win.current_lab
    win.setFocus()
    win.doc.set_weight(1, 0, 0, 0.5)   # w5, as the inspector does
    wb.graph.setFocus()
    qtbot.keyClick(wb.graph, Qt.Key.Key_Right, CTRL)   # one whole training step
    for _ in range(13):
        qtbot.keyClick(wb.graph, Qt.Key.Key_Right)
    net = win.doc.network.copy()
    k, t = wb.stepper.k, wb.stepper.t
    assert (k, t) == (13, 1) and win.doc.is_modified
    qtbot.keyClick(win, Qt.Key.Key_PageDown, CTRL)
    assert win.doc.lesson.name == "step-network" and _no_dialog(win)
    assert not win.doc.is_modified          # a fresh lesson
    qtbot.keyClick(win, Qt.Key.Key_Right)
    qtbot.keyClick(win, Qt.Key.Key_PageUp, CTRL)
    assert win.doc.lesson.name == "mazur-2-2-2" and _no_dialog(win)
    assert win.doc.network.equals(net)
    assert (wb.stepper.k, wb.stepper.t) == (k, t)
    assert win.doc.is_modified               # its changes are still unsaved
    assert win.current_lab_name == "workbench"
    # and step-network too was kept where it was left (one step in)
    qtbot.keyClick(win, Qt.Key.Key_PageDown, CTRL)
    assert wb.stepper.k == 1


def test_quit_still_asks_about_a_lesson_left_with_changes(main_window, qtbot):
    win = main_window
    win.setFocus()
    win.doc.set_weight(1, 0, 0, 0.5)
    qtbot.keyClick(win, Qt.Key.Key_PageDown, CTRL)
    assert _no_dialog(win) and not win.doc.is_modified
    win.act_quit.trigger()
    qtbot.waitUntil(lambda: win.files.prompt is not None)
    box = win.files.prompt
    assert "mazur-2-2-2" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: win.files.prompt is None)
    assert win.isVisible()
    win.act_quit.trigger()
    qtbot.waitUntil(lambda: win.files.prompt is not None)
    win.files.prompt.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: not win.isVisible())


def test_quit_asks_about_the_lesson_on_screen(main_window, qtbot):
    win = main_window
    win.doc.set_weight(1, 0, 0, 0.5)
    win.act_quit.trigger()
    qtbot.waitUntil(lambda: win.files.prompt is not None)
    assert "unsaved changes" in win.files.prompt.text()
    win.files.prompt.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: win.files.prompt is None)
    assert win.isVisible()


def test_the_picker_by_keyboard(main_window, qtbot):
    win = main_window
    win.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_F5)
    qtbot.keyClick(win, Qt.Key.Key_G)
    picker = win.syllabus.picker
    assert picker.isVisible()
    qtbot.waitUntil(lambda: picker.geometry() == win.rect())
    assert picker.lesson_names() == [e.name for e in shipped_syllabus()]
    lst = picker.list
    assert lst.currentItem().data(Qt.ItemDataRole.UserRole) == "mazur-2-2-2"
    assert lst.font().pointSizeF() >= 14    # presentation size
    qtbot.keyClick(lst, Qt.Key.Key_Down)
    qtbot.keyClick(lst, Qt.Key.Key_PageDown)   # a clicker: one lesson on
    assert lst.currentItem().data(Qt.ItemDataRole.UserRole) == "xor-mlp"
    qtbot.keyClick(lst, Qt.Key.Key_PageDown)   # skips the chapter title
    assert lst.currentItem().data(Qt.ItemDataRole.UserRole) == "wide-784-100-10"
    qtbot.keyClick(lst, Qt.Key.Key_PageDown)
    assert lst.currentItem().data(Qt.ItemDataRole.UserRole) == "sigmoid-neuron"
    qtbot.keyClick(lst, Qt.Key.Key_Return)
    assert not picker.isVisible()
    assert win.doc.lesson.name == "sigmoid-neuron" and win.current_lab_name == "surface"
    assert current_style().presentation and _no_dialog(win)
    # G again, and G (or Esc) closes without changing anything
    qtbot.keyClick(win, Qt.Key.Key_G)
    assert picker.isVisible()
    marked = [lst.item(i).text() for i in range(lst.count())
              if lst.item(i).data(Qt.ItemDataRole.UserRole) == "mazur-2-2-2"]
    assert "as you left it" in marked[0]
    qtbot.keyClick(lst, Qt.Key.Key_G)
    assert not picker.isVisible() and win.doc.lesson.name == "sigmoid-neuron"
    qtbot.keyClick(win, Qt.Key.Key_G)
    qtbot.keyClick(lst, Qt.Key.Key_Escape)
    assert not picker.isVisible() and current_style().presentation


def test_the_picker_by_mouse(main_window, qtbot):
    win = main_window
    win.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_G)
    lst = win.syllabus.picker.list
    row = next(i for i in range(lst.count())
               if lst.item(i).data(Qt.ItemDataRole.UserRole) == "spiral")
    lst.scrollToItem(lst.item(row))
    rect = lst.visualItemRect(lst.item(row))
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert not win.syllabus.picker.isVisible()
    assert win.doc.lesson.name == "spiral" and win.current_lab_name == "training"
    # a chapter title is not a lesson: clicking it opens nothing
    qtbot.keyClick(win, Qt.Key.Key_G)
    lst.scrollToItem(lst.item(0))
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton,
                     pos=lst.visualItemRect(lst.item(0)).center())
    assert win.syllabus.picker.isVisible() and win.doc.lesson.name == "spiral"


def test_lesson_keys_work_wherever_focus_is_and_stop_at_the_ends(main_window, qtbot):
    win = main_window
    first = shipped_syllabus()[0].name
    assert win.nav.go(first) and win.current_lab_name == "neuron"
    tabs = win.current_lab.tabs
    tabs.setFocus()                       # a tab widget has Ctrl+PgUp/PgDown of its own
    page = tabs.currentIndex()
    qtbot.keyClick(tabs, Qt.Key.Key_PageUp, CTRL)
    assert win.doc.lesson.name == first and tabs.currentIndex() == page
    assert "first lesson" in win.statusBar().currentMessage()
    qtbot.keyClick(tabs, Qt.Key.Key_PageDown, CTRL)
    assert win.doc.lesson.name == shipped_syllabus()[1].name and _no_dialog(win)
    last = shipped_syllabus()[-1].name
    assert win.nav.go(last)
    win.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_PageDown, CTRL)
    assert win.doc.lesson.name == last
    assert "last lesson" in win.statusBar().currentMessage()


def test_no_key_is_taken_twice(main_window):
    """The lesson keys (and every other window key) are free: no two actions of the window,
    nor a lab's action and a window action, share a key (each lab's own keys are active
    only while it is shown, so labs may reuse each other's)."""
    from PySide6.QtGui import QAction, QKeySequence

    win = main_window

    def keys(actions) -> list[str]:
        return [s.toString(QKeySequence.SequenceFormat.PortableText)
                for a in actions for s in a.shortcuts() if not s.isEmpty()]

    window_keys = keys(win.actions())
    assert len(window_keys) == len(set(window_keys)), window_keys
    for k in ("Ctrl+PgDown", "Ctrl+PgUp", "G", "F1"):
        assert window_keys.count(k) == 1, k
    for name in win.lab_names:
        lab_keys = keys(win.lab(name).findChildren(QAction))
        assert not set(lab_keys) & set(window_keys), (name, set(lab_keys) & set(window_keys))


def test_the_picker_jumps_by_chapter_digit_and_title_letter(main_window, qtbot):
    win = main_window
    win.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_G)
    lst = win.syllabus.picker.list

    def current() -> str:
        return lst.currentItem().data(Qt.ItemDataRole.UserRole)

    chapters_ = chapters(shipped_syllabus())
    qtbot.keyClick(lst, Qt.Key.Key_5)
    assert current() == chapters_[4][1][0].name        # the universality chapter
    qtbot.keyClick(lst, Qt.Key.Key_3)
    assert current() == chapters_[2][1][0].name
    qtbot.keyClick(lst, Qt.Key.Key_L)
    title = lst.currentItem().text().strip()
    assert title.startswith("L") and current() != chapters_[2][1][0].name
    qtbot.keyClick(lst, Qt.Key.Key_L)                   # the next one starting with L
    assert lst.currentItem().text().strip().startswith("L")
    assert lst.currentItem().text().strip() != title
    qtbot.keyClick(lst, Qt.Key.Key_5)
    qtbot.keyClick(lst, Qt.Key.Key_Enter)
    assert not win.syllabus.picker.isVisible()
    assert win.doc.lesson.name == chapters_[4][1][0].name and _no_dialog(win)


def test_start_this_lesson_afresh_asks_first(main_window, qtbot):
    win = main_window
    win.doc.set_weight(1, 0, 0, 0.5)
    win.act_restart_lesson.trigger()
    qtbot.waitUntil(lambda: win.files.prompt is not None)
    win.files.prompt.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: win.files.prompt is None)
    assert win.doc.network.weights[1][0, 0] == 0.5
    win.act_restart_lesson.trigger()
    qtbot.waitUntil(lambda: win.files.prompt is not None)
    win.files.prompt.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: win.doc.network.weights[1][0, 0] == 0.4)
    assert win.doc.lesson.name == "mazur-2-2-2" and not win.doc.is_modified


def test_a_lesson_that_cannot_be_put_back_opens_afresh_and_says_so(main_window, qtbot,
                                                                    monkeypatch):
    win = main_window
    win.setFocus()
    win.doc.set_weight(1, 0, 0, 0.5)
    qtbot.keyClick(win, Qt.Key.Key_PageDown, CTRL)
    assert win.doc.lesson.name == "step-network"

    parts = win.session.lab("workbench")   # the workbench's state: its controllers'
    calls = []
    real = parts.restore_state

    def refuse_once(state):   # the kept state is refused; the roll-back is taken
        calls.append(state)
        if len(calls) == 1:
            raise ValueError("refused")
        real(state)

    monkeypatch.setattr(parts, "restore_state", refuse_once)
    qtbot.keyClick(win, Qt.Key.Key_PageUp, CTRL)
    assert win.doc.lesson.name == "mazur-2-2-2" and _no_dialog(win)
    assert win.doc.network.weights[1][0, 0] == 0.4      # the lesson's own network
    assert "opened afresh" in win.statusBar().currentMessage()
