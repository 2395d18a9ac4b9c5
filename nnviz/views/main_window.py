"""The main window: menus, toolbar, status bar and one page per lab."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTextBrowser,
    QWidget,
)

from nnviz.controllers.document import DEFAULT_LESSON, Document
from nnviz.engine.lessons import lesson_names, load_lesson
from nnviz.views.lab_base import Lab
from nnviz.views.labs import LAB_TITLES, available_labs, lab_class
from nnviz.views.style import Style, current_style, set_current_style


class LessonInfoLab(Lab):
    """Fallback page used when no other lab is available: the lesson and its worked example."""

    name = "info"
    title = "Lesson"

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent)
        self.text = QTextBrowser()
        self.setCentralWidget(self.text)
        doc.lesson_changed.connect(self._on_lesson_changed)
        self._on_lesson_changed()

    def _on_lesson_changed(self) -> None:
        from nnviz.engine.worked import worked_markdown

        if self.doc.lesson is not None:
            self.text.setMarkdown(worked_markdown(self.doc.lesson))


class MainWindow(QMainWindow):
    """Holds the document and the lab pages; routes clicker keys to the page shown."""

    lab_changed = Signal(str)

    def __init__(self, doc: Document | None = None, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setWindowTitle("nnviz")
        self.setObjectName("nnviz-main-window")
        self.doc = doc or Document(self)
        self.settings = settings or QSettings()
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.labs: dict[str, Lab] = {}
        self.lab_names = available_labs() or ["info"]
        self.current_lab_name = ""
        self._lab_actions: dict[str, QAction] = {}
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        self.doc.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.doc.lesson_changed.connect(self._on_lesson_changed)
        self._build_actions()
        self._build_menus()

    # ------------------------------------------------------------ building
    def _action(self, text: str, slot, shortcut=None, tip: str = "", checkable=False) -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, (list, tuple)):
                a.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                a.setShortcut(QKeySequence(shortcut))
        a.setToolTip(tip or text)
        a.setStatusTip(tip or text)
        a.setCheckable(checkable)
        a.triggered.connect(slot)
        self.addAction(a)
        return a

    def _build_actions(self) -> None:
        self.act_open_lesson = self._action("Open lesson &file…", self.open_lesson_file,
                                            QKeySequence.StandardKey.Open,
                                            "Open a lesson file (JSON)")
        self.act_quit = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.act_undo = self.doc.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.act_redo = self.doc.undo_stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addAction(self.act_undo)
        self.addAction(self.act_redo)
        self.act_next = self._action("&Next step", self.step_forward,
                                     ["Right", "Space", "PgDown"],
                                     "Next step (Right, Space, Page Down)")
        self.act_prev = self._action("&Previous step", self.step_back,
                                     ["Left", "Backspace", "PgUp"],
                                     "Previous step (Left, Backspace, Page Up)")
        self.act_zoom_in = self._action("Zoom &in", lambda: self._zoom(1.25),
                                        ["Ctrl+=", "Ctrl++"], "Zoom the view in")
        self.act_zoom_out = self._action("Zoom &out", lambda: self._zoom(0.8), "Ctrl+-",
                                         "Zoom the view out")
        self.act_zoom_reset = self._action("&Fit view", lambda: self._zoom(None), "Ctrl+0",
                                           "Fit the view to the window")
        self.act_presentation = self._action("&Presentation mode", self.toggle_presentation,
                                             "F5", "Large type and high contrast for a "
                                             "projector", checkable=True)
        self.act_fullscreen = self._action("&Full screen", self.toggle_fullscreen, "F11",
                                           checkable=True)
        self.act_dark = self._action("&Dark theme", self.toggle_dark, None, checkable=True)
        self.act_about = self._action("&About nnviz", self.about)
        for i, name in enumerate(self.lab_names):
            title = LAB_TITLES.get(name, "Lesson")
            a = self._action(title, lambda _=False, n=name: self.show_lab(n), f"Ctrl+{i + 1}",
                             f"Show the {title} lab", checkable=True)
            self._lab_actions[name] = a

    def _build_menus(self) -> None:
        mb = self.menuBar()
        m = mb.addMenu("&File")
        m.addAction(self.act_open_lesson)
        m.addSeparator()
        m.addAction(self.act_quit)
        m = mb.addMenu("&Edit")
        m.addAction(self.act_undo)
        m.addAction(self.act_redo)
        self.lessons_menu = mb.addMenu("&Lessons")
        for name in lesson_names():
            try:
                title = load_lesson(name).title
            except ValueError:
                continue
            a = QAction(f"{title}  [{name}]", self)
            a.setToolTip(f"Open the lesson {name}")
            a.triggered.connect(lambda _=False, n=name: self.open_lesson(n))
            self.lessons_menu.addAction(a)
        self.lab_menu = mb.addMenu("La&b")
        for a in self._lab_actions.values():
            self.lab_menu.addAction(a)
        m = mb.addMenu("&View")
        m.addAction(self.act_presentation)
        m.addAction(self.act_fullscreen)
        m.addAction(self.act_dark)
        m.addSeparator()
        m.addAction(self.act_zoom_in)
        m.addAction(self.act_zoom_out)
        m.addAction(self.act_zoom_reset)
        m = mb.addMenu("&Step")
        m.addAction(self.act_next)
        m.addAction(self.act_prev)
        m = mb.addMenu("&Help")
        m.addAction(self.act_about)
        tb = self.addToolBar("Main")
        tb.setObjectName("main-toolbar")
        tb.addAction(self.act_prev)
        tb.addAction(self.act_next)
        tb.addSeparator()
        for a in self._lab_actions.values():
            tb.addAction(a)

    # ------------------------------------------------------------ labs
    def lab(self, name: str) -> Lab:
        """The lab page ``name``, created on first use."""
        if name not in self.labs:
            cls = LessonInfoLab if name == "info" else lab_class(name)
            page = cls(self.doc, self)
            self.labs[name] = page
            self.stack.addWidget(page)
            page.status.connect(lambda text, n=name: self._on_lab_status(n, text))
            page.apply_style(current_style())
        return self.labs[name]

    @property
    def current_lab(self) -> Lab | None:
        return self.labs.get(self.current_lab_name)

    def show_lab(self, name: str) -> None:
        if name not in self.lab_names:
            name = self.lab_names[0]
        old = self.current_lab
        page = self.lab(name)
        if old is not None and old is not page:
            old.deactivate()
        self.stack.setCurrentWidget(page)
        self.current_lab_name = name
        for n, a in self._lab_actions.items():
            a.setChecked(n == name)
        page.activate()
        self.lab_changed.emit(name)

    def _on_lab_status(self, name: str, text: str) -> None:
        if name == self.current_lab_name:
            self.status_label.setText(text)

    def step_forward(self) -> None:
        if self.current_lab is not None:
            self.current_lab.step_forward()

    def step_back(self) -> None:
        if self.current_lab is not None:
            self.current_lab.step_back()

    def _zoom(self, factor: float | None) -> None:
        if self.current_lab is not None:
            self.current_lab.zoom(factor)

    # ------------------------------------------------------------ lessons
    def open_lesson(self, name: str, switch_lab: bool = True) -> bool:
        """Open a lesson; on a bad file show the message and change nothing."""
        err = self.doc.try_load_lesson(name)
        if err:
            QMessageBox.warning(self, "Cannot open lesson", err)
            return False
        lab = self.doc.lesson.lab
        if switch_lab and lab in self.lab_names:
            self.show_lab(lab)
        elif not self.current_lab_name:
            self.show_lab(self.lab_names[0])
        return True

    def open_lesson_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open lesson", "", "Lessons (*.json)")
        if path:
            self.open_lesson(path)

    def _on_lesson_changed(self) -> None:
        if self.doc.lesson is not None:
            self.setWindowTitle(f"nnviz — {self.doc.lesson.title}")
            self.settings.setValue("last_lesson", self.doc.lesson.name)

    # ------------------------------------------------------------ style
    def apply_style(self, style: Style) -> None:
        set_current_style(style)
        for page in self.labs.values():
            page.apply_style(style)

    def toggle_presentation(self) -> None:
        s = current_style()
        on = not s.presentation
        self.act_presentation.setChecked(on)
        self.apply_style(Style(theme=s.theme, presentation=on, scale=1.6 if on else 1.0))

    def toggle_dark(self) -> None:
        s = current_style()
        theme = "dark" if s.theme == "light" else "light"
        self.act_dark.setChecked(theme == "dark")
        self.apply_style(Style(theme=theme, presentation=s.presentation, scale=s.scale))

    def toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
        self.act_fullscreen.setChecked(self.isFullScreen())

    def about(self) -> None:
        from nnviz import __version__

        QMessageBox.about(self, "About nnviz",
                          f"nnviz {__version__}\nSee how neural networks compute and learn.")

    # ------------------------------------------------------------ persistence
    def restore_settings(self) -> None:
        geo = self.settings.value("geometry")
        if geo is not None:
            self.restoreGeometry(geo)
        state = self.settings.value("window_state")
        if state is not None:
            self.restoreState(state)

    def save_settings(self) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("window_state", self.saveState())
        self.settings.setValue("last_lab", self.current_lab_name)
        for name, page in self.labs.items():
            self.settings.setValue(f"lab_state/{name}", page.saveState())

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.save_settings()
        for page in self.labs.values():
            page.shutdown()
        super().closeEvent(event)

    def start(self, lesson: str | None = None, lab: str | None = None) -> None:
        """Open the start lesson (argument, last used, or the default) and its lab."""
        name = lesson or self.settings.value("last_lesson") or DEFAULT_LESSON
        if not self.open_lesson(str(name), switch_lab=lab is None):
            if name != DEFAULT_LESSON:
                self.open_lesson(DEFAULT_LESSON, switch_lab=lab is None)
        if lab:
            self.show_lab(lab)
        elif not self.current_lab_name:
            self.show_lab(self.lab_names[0])
        for n, page in self.labs.items():
            st = self.settings.value(f"lab_state/{n}")
            if st is not None:
                page.restoreState(st)


_ = Qt
