"""The main window's actions (each with its keys and tip), menus and toolbar."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from nnviz.views.labs import LAB_TITLES


def add_action(win, text: str, slot, shortcut=None, tip: str = "", checkable=False) -> QAction:
    """A window-wide action (its key works wherever the focus is in the window)."""
    a = QAction(text, win)
    if shortcut is not None:
        if isinstance(shortcut, (list, tuple)):
            a.setShortcuts([QKeySequence(s) for s in shortcut])
        else:
            a.setShortcut(QKeySequence(shortcut))
    a.setToolTip(tip or text)
    a.setStatusTip(tip or text)
    a.setCheckable(checkable)
    a.triggered.connect(slot)
    win.addAction(a)
    return a


def build_actions(win) -> None:
    """Every window-wide action, as ``win.act_*`` (and one per lab)."""
    _file_actions(win)
    _step_and_view_actions(win)
    _lesson_and_lab_actions(win)


def _file_actions(win) -> None:
    """Open, save, export, import, quit, undo and redo."""
    f = win.files

    def ex():
        return win.exporter   # built at first use (see MainWindow.exporter)

    win.act_open = add_action(win, "&Open…", f.open_dialog, QKeySequence.StandardKey.Open,
                              "Open a workspace (.nnviz), lesson (.json) or data (.csv)")
    win.act_save = add_action(win, "&Save workspace", f.save, QKeySequence.StandardKey.Save,
                              "Save everything on screen as a .nnviz workspace")
    win.act_save_as = add_action(win, "Save workspace &as…", f.save_as, "Ctrl+Shift+S")
    win.act_export_png = add_action(win, "View as &PNG…", lambda: ex().png(1.0))
    win.act_export_png2 = add_action(win, "View as PNG (&2×)…", lambda: ex().png(2.0))
    win.act_export_svg = add_action(win, "View as &SVG…", lambda: ex().svg())
    win.act_export_csv = add_action(win, "Training &history as CSV…", lambda: ex().history())
    win.act_export_md = add_action(win, "&Worked example as Markdown…", lambda: ex().markdown())
    win.act_export_weights = add_action(win, "&Weights as JSON…", lambda: ex().weights())
    win.act_import_weights = add_action(win, "&Import weights…",
                                        lambda: ex().import_weights())
    win.act_quit = add_action(win, "&Quit", win.request_quit, QKeySequence.StandardKey.Quit)
    win.act_undo = win.doc.undo_stack.createUndoAction(win, "&Undo")
    win.act_undo.setShortcut(QKeySequence.StandardKey.Undo)
    win.act_redo = win.doc.undo_stack.createRedoAction(win, "&Redo")
    win.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    win.addAction(win.act_undo)
    win.addAction(win.act_redo)


def _step_and_view_actions(win) -> None:
    """The clicker's steps, zoom, presentation mode, full screen, theme, blank, captions."""
    win.act_next = add_action(win, "&Next step", win.step_forward,
                              ["Right", "Space", "PgDown"],
                              "Next step (Right, Space, Page Down)")
    win.act_prev = add_action(win, "&Previous step", win.step_back,
                              ["Left", "Backspace", "PgUp"],
                              "Previous step (Left, Backspace, Page Up)")
    win.act_zoom_in = add_action(win, "Zoom &in", lambda: win._zoom(1.25),
                                 ["Ctrl+=", "Ctrl++"], "Zoom the view in")
    win.act_zoom_out = add_action(win, "Zoom &out", lambda: win._zoom(0.8), "Ctrl+-",
                                  "Zoom the view out")
    win.act_zoom_reset = add_action(win, "&Fit view", lambda: win._zoom(None), "Ctrl+0",
                                    "Fit the view to the window")
    win.act_presentation = add_action(win, "&Presentation mode", win.window_style.toggle_presentation,
                                      "F5", "Large type and high contrast for a "
                                      "projector (F5 or Esc to leave)", checkable=True)
    win.act_leave_presentation = add_action(win, "Leave presentation mode",
                                            win.window_style.leave_presentation, "Esc")
    win.act_leave_presentation.setEnabled(False)
    win.act_fullscreen = add_action(win, "&Full screen", win.window_style.toggle_fullscreen, "F11",
                                    checkable=True)
    win.act_dark = add_action(win, "&Dark theme", win.window_style.toggle_dark, None, checkable=True)
    win.act_blank = add_action(win, "&Blank the screen", win.blank_overlay.blank, "B",
                               "Black screen; any key or click brings it back")
    win.act_captions = add_action(win, "&Captions", lambda on: win.captions.set_enabled(on), None,
                                  "Show the lesson's captions and questions",
                                  checkable=True)
    win.act_captions.setChecked(True)


def _lesson_and_lab_actions(win) -> None:
    """About, the syllabus's lessons, the shortcut sheet, and one action per lab."""
    win.act_about = add_action(win, "&About nnviz", win.about)
    win.act_next_lesson = add_action(win, "&Next lesson", win.syllabus.next_lesson, "Ctrl+PgDown",
                                     "The next lesson of the syllabus")
    win.act_prev_lesson = add_action(win, "&Previous lesson", win.syllabus.previous_lesson,
                                     "Ctrl+PgUp", "The previous lesson of the syllabus")
    win.act_restart_lesson = add_action(win,
        "&Start this lesson afresh", win.syllabus.restart_lesson, None,
        "Open the lesson on screen as its file has it (asks about unsaved changes)")
    win.act_pick_lesson = add_action(win, "&Choose a lesson…", win.syllabus.show_picker, "G",
                                     "Every lesson by chapter, over the window")
    win.act_shortcuts = add_action(win, "&Keyboard shortcuts", win.syllabus.show_shortcuts, "F1",
                                   "Every key of the window and of every lab")
    for i, name in enumerate(win.lab_names):
        title = LAB_TITLES.get(name, "Lesson")
        a = add_action(win, title, lambda _=False, n=name: win.show_lab(n), f"Ctrl+{i + 1}",
                       f"Show the {title} lab", checkable=True)
        win._lab_actions[name] = a


def build_menus(win) -> None:
    """The menu bar and the toolbar, from the actions."""
    mb = win.menuBar()
    m = mb.addMenu("&File")
    for a in (win.act_open, win.files.recent_menu.menuAction(), None, win.act_save,
              win.act_save_as, None):
        m.addAction(a) if a is not None else m.addSeparator()
    win.export_menu = m.addMenu("&Export")
    for a in (win.act_export_png, win.act_export_png2, win.act_export_svg,
              win.act_export_csv, win.act_export_md, win.act_export_weights):
        win.export_menu.addAction(a)
    win.export_menu.addSeparator()
    for a in win.handouts.actions:
        win.export_menu.addAction(a)
    m.addAction(win.act_import_weights)
    m.addSeparator()
    m.addAction(win.act_quit)
    m = mb.addMenu("&Edit")
    m.addAction(win.act_undo)
    m.addAction(win.act_redo)
    win.lessons_menu = mb.addMenu("&Lessons")
    win.nav.fill_menu(win.lessons_menu, [win.act_next_lesson, win.act_prev_lesson,
                                           win.act_pick_lesson, win.act_restart_lesson])
    win.lab_menu = mb.addMenu("La&b")
    for a in win._lab_actions.values():
        win.lab_menu.addAction(a)
    m = mb.addMenu("&View")
    for a in (win.act_presentation, win.act_fullscreen, win.act_dark, win.act_blank,
              win.act_captions, None, win.act_zoom_in, win.act_zoom_out,
              win.act_zoom_reset, None, *win.pen.actions):
        m.addAction(a) if a is not None else m.addSeparator()
    m = win.step_menu = mb.addMenu("&Step")
    m.addAction(win.act_next)
    m.addAction(win.act_prev)
    for a in win.reveal_actions.actions:
        m.addAction(a)
    win._step_menu_lab: list = []   # the shown lab's own entries (Lab.menu_actions)
    m = mb.addMenu("&Help")
    m.addAction(win.act_shortcuts)
    m.addAction(win.act_about)
    win.toolbar = tb = win.addToolBar("Main")
    tb.setObjectName("main-toolbar")
    tb.addAction(win.act_prev)
    tb.addAction(win.act_next)
    tb.addSeparator()
    for a in win._lab_actions.values():
        tb.addAction(a)
