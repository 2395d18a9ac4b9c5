"""The main window starts on the default lesson, opens lessons and quits cleanly."""

from __future__ import annotations

from nnviz.controllers.document import DEFAULT_LESSON


def test_starts_on_the_default_lesson(main_window):
    assert main_window.doc.lesson.name == DEFAULT_LESSON
    assert "2-2-2" in main_window.windowTitle()
    assert main_window.current_lab is not None


def test_lessons_menu_lists_every_lesson(main_window, qtbot):
    from nnviz.engine.teaching.lessons import lesson_names

    from .windows import open_menu

    menu = open_menu(main_window, "Lessons", qtbot)   # its chapters made at first opening
    texts = [a.text() for sub in menu.actions() if sub.menu()
             for a in sub.menu().actions()]
    for name in lesson_names():
        assert any(f"[{name}]" in t for t in texts)


def test_open_lesson_from_menu(main_window, qtbot):
    action = main_window.nav.lesson_actions["xor-mlp"]
    assert "[xor-mlp]" in action.text()
    action.trigger()
    assert main_window.doc.lesson.name == "xor-mlp"


def test_bad_lesson_changes_nothing(main_window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    bad = tmp_path / "bad.json"
    bad.write_text("{broken")
    before = main_window.doc.network.copy()
    assert not main_window.open_lesson(str(bad))
    assert shown and "not valid JSON" in shown[0]
    assert main_window.doc.lesson.name == DEFAULT_LESSON
    assert main_window.doc.network.equals(before)


def test_last_lesson_persists(qtbot, settings):
    from nnviz.views.main_window import MainWindow

    win = MainWindow(settings=settings)
    qtbot.addWidget(win)
    win.start(lesson="xor-mlp")
    win.close()
    win2 = MainWindow(settings=settings)
    qtbot.addWidget(win2)
    win2.start()
    assert win2.doc.lesson.name == "xor-mlp"
    win2.close()


def test_quit_closes_the_window(main_window, qtbot):
    main_window.act_quit.trigger()
    qtbot.waitUntil(lambda: not main_window.isVisible())


def test_first_start_fills_most_of_the_screen_and_later_starts_restore(qtbot, settings):
    from nnviz.views.main_window import MainWindow

    win = MainWindow(settings=settings)
    qtbot.addWidget(win)
    win.restore_settings()              # nothing saved yet
    avail = win.screen().availableGeometry()
    assert win.width() == min(1600, max(800, int(avail.width() * 0.85)), avail.width())
    assert win.height() == min(1000, max(560, int(avail.height() * 0.85)), avail.height())
    assert avail.contains(win.geometry())
    win.resize(700, 500)
    win.save_settings()
    again = MainWindow(settings=settings)
    qtbot.addWidget(again)
    again.restore_settings()
    assert (again.width(), again.height()) == (700, 500)


def test_the_lab_stack_asks_only_for_the_shown_lab(main_window):
    """After visiting labs (the Workbench has a stack of its own inside), the main stack's
    minimum size is the shown lab's: a lab visited before (the Convolution lab needs 501
    px) must not make the window too small for the caption of the next lesson."""
    from PySide6.QtWidgets import QApplication, QSizePolicy

    win = main_window
    for name in ("conv-edge", "mazur-2-2-2", "batch-norm"):
        assert win.open_lesson(name)
        QApplication.processEvents()
    st, shown = win.stack, win.current_lab
    hidden = [st.widget(i) for i in range(st.count()) if st.widget(i) is not shown]
    assert len(hidden) >= 2
    assert all(p.sizePolicy().verticalPolicy() == QSizePolicy.Policy.Ignored for p in hidden)
    assert st.minimumSizeHint().height() <= max(shown.minimumSizeHint().height(), 0) + 1


def test_switching_labs_leaves_no_stale_step_menu_separators(main_window, qtbot):
    """Each lab's turn in the Step menu adds a separator before its own actions; a lecture's
    hundreds of lab switches must not pile them up (they were only taken out of the menu)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QApplication

    win = main_window

    def separators() -> int:
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        return sum(a.isSeparator() for a in win.step_menu.findChildren(QAction))

    win.show_lab("conv")                   # a lab with actions of its own in the Step menu
    win.show_lab("workbench")
    before = separators()
    for _ in range(6):
        for key in (Qt.Key.Key_6, Qt.Key.Key_1):     # Convolution, Workbench
            qtbot.keyClick(win, key, Qt.KeyboardModifier.ControlModifier)
    assert win.current_lab_name == "workbench"
    assert separators() == before
