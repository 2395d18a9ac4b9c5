"""The main window: menus, toolbar, status bar, caption bar and one page per lab."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QSize, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.document import DEFAULT_LESSON, Document
from nnviz.controllers.session import Session
from nnviz.controllers.settings_store import (
    get_bytes,
    get_str,
    make_safe,
    open_settings,
    put_bytes,
)
from nnviz.engine.files.validate import FormatError, read_text
from nnviz.engine.sets.csvio import MAX_CSV_BYTES
from nnviz.engine.teaching.lessons import builtin_id, lesson_names, load_lesson
from nnviz.views.caption_bar import CaptionBar
from nnviz.views.coalesce import lay_out_now
from nnviz.views.files import FileManager, dropped_path
from nnviz.views.fit import FittingStatusBar, give_way, size_to_current_page
from nnviz.views.info_lab import LessonInfoLab
from nnviz.views.lab_base import Lab
from nnviz.views.label_host import LabelHost
from nnviz.views.labs import available_labs, lab_class
from nnviz.views.lesson_nav import LessonNavigator
from nnviz.views.presentation import BlankOverlay, restore_app_style
from nnviz.views.safe_text import inform, plain_label, warn
from nnviz.views.style import Style, current_style, make_style, set_current_style
from nnviz.views.transaction import all_or_nothing
from nnviz.views.window_captions import WindowCaptions
from nnviz.views.window_menus import build_actions, build_menus
from nnviz.views.window_style import WindowStyle
from nnviz.views.window_syllabus import WindowSyllabus

#: the smallest the main window can be made (Qt would otherwise make it as large as the
#: minimum sizes of everything in it, whatever the screen)
WINDOW_FLOOR = QSize(640, 480)


class MainWindow(QMainWindow):
    """Holds the document and the lab pages; routes clicker keys to the page shown.

    Its parts, each with its own state, are made in ``__init__``: ``captions`` (the
    caption bar and each lab's status), ``window_style`` (presentation mode, theme, full
    screen), ``syllabus`` (the lesson picker, the shortcut sheet, the quit questions),
    ``files``, ``exporter``, ``handouts``, ``nav`` (the syllabus's lessons), ``pen`` and
    ``reveal_actions``."""

    lab_changed = Signal(str)

    def __init__(self, doc: Document | None = None, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setWindowTitle("nnviz")
        self.setObjectName("nnviz-main-window")
        from nnviz.views.keys import InputKeyGuard

        self._key_guard = InputKeyGuard(self)
        self.lab_names = available_labs() or ["info"]
        # the document and every lab's controllers, made before any lab's page
        self.session = Session(self.lab_names, doc, self)
        self.doc = self.session.doc
        self.settings = make_safe(settings or open_settings())
        self.stack = QStackedWidget()
        self.caption_bar = CaptionBar()
        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.stack, 1)
        lay.addWidget(self.caption_bar)
        self.setCentralWidget(central)
        # an explicit floor: the window's minimum is no longer the sum of its contents'
        # minimums, so no panel can push the window past the edge of its screen (the
        # panels are built to fit down to 1024x768 in presentation mode)
        self.setMinimumSize(WINDOW_FLOOR)
        self.blank_overlay = BlankOverlay(self)
        self.labs: dict[str, Lab] = {}
        self.current_lab_name = ""
        self._lab_actions: dict[str, QAction] = {}
        self._close_confirmed = False
        self.status_label = plain_label(QLabel())
        self.captions = WindowCaptions(self, self.caption_bar, self.status_label)
        self.window_style = WindowStyle(self)
        self.syllabus = WindowSyllabus(self)
        self.setStatusBar(FittingStatusBar())   # messages never run into the step status
        self.statusBar().addPermanentWidget(LabelHost(self.status_label))
        self.doc.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.doc.lesson_changed.connect(self._on_lesson_changed)
        self.files = FileManager(self)
        self._exporter = None   # the Export menu's actions, built at first use
        from nnviz.views.handouts import Handouts

        self.handouts = Handouts(self)
        self.nav = LessonNavigator(self)
        self.setAcceptDrops(True)
        build_actions(self)
        from nnviz.views.pen import PresenterPen

        self.pen = PresenterPen(self)
        from nnviz.views.window_reveal import RevealActions

        self.reveal_actions = RevealActions(self)
        self.reveal = self.reveal_actions.controller   # shared by the labs that step
        build_menus(self)

    # ------------------------------------------------------------ labs
    def lab(self, name: str) -> Lab:
        """The lab page ``name``, created on first use."""
        if name not in self.labs:
            if name == "info":
                page = LessonInfoLab(self.doc, self)
            else:
                page = lab_class(name)(self.doc, self, self.session.lab(name))
            self.labs[name] = page
            self.stack.addWidget(page)
            give_way(page)
            size_to_current_page(self.stack)
            self.captions.watch(name, page)
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
            if old.parts is not None:
                old.parts.set_active(False)
        self.stack.setCurrentWidget(page)
        self.current_lab_name = name
        for n, a in self._lab_actions.items():
            a.setChecked(n == name)
        if page.parts is not None:
            page.parts.set_active(True)
        page.activate()
        for a in self._step_menu_lab:
            self.step_menu.removeAction(a)
            if a.isSeparator():     # made for this lab's turn (the lab's own actions stay)
                a.deleteLater()
        self._step_menu_lab = ([self.step_menu.addSeparator()] + page.menu_actions()
                               if page.menu_actions() else [])
        self.step_menu.addActions(self._step_menu_lab[1:])
        self.captions.show_status_of(name)
        self.lab_changed.emit(name)
        self.captions.refresh()

    def step_forward(self) -> None:
        if self.current_lab is not None:
            self.current_lab.step_forward()

    def step_back(self) -> None:
        if self.current_lab is not None:
            self.current_lab.step_back()

    def _zoom(self, factor: float | None) -> None:
        if self.current_lab is not None:
            self.current_lab.zoom(factor)

    # ------------------------------------------------------------ lessons and files
    def open_lesson(self, name, switch_lab: bool = True) -> bool:
        """Open a lesson (a name, a path, or a Lesson already read and checked); on a bad
        file show the message and change nothing."""
        try:
            # validated completely before anything changes
            lesson = name if hasattr(name, "network") else load_lesson(name)
            all_or_nothing(self, lambda: self.doc.load_lesson(lesson, clear_undo=False),
                           f"{lesson.name}: a lab refused the lesson")
        except (FormatError, OSError) as e:
            warn(self, "Cannot open lesson", str(e))
            return False
        self.files.path = None
        lab = self.doc.lesson.lab
        if switch_lab and lab in self.lab_names:
            self.show_lab(lab)
        elif not self.current_lab_name:
            self.show_lab(self.lab_names[0])
        self.update_title()
        self.captions.refresh()
        return True

    def open_csv(self, path: str) -> bool:
        """Hand a CSV file to the lab shown, else to the training lab; explain otherwise."""
        try:  # an unreadable file is refused before any lab is created or asked
            read_text(path, MAX_CSV_BYTES)
        except FormatError as e:
            warn(self, "Cannot open data", str(e))
            return False
        order = [self.current_lab_name] + [n for n in ("training",) if n in self.lab_names]
        for name in dict.fromkeys(n for n in order if n):
            try:
                taken = self.lab(name).open_csv(path)
            except ValueError as e:
                warn(self, "Cannot open data", f"{Path(path).name}: {e}")
                return False
            if taken:
                self.show_lab(name)
                return True
        inform(self, "CSV data", "CSV data files are opened by the Training "
                                "lab, which is not part of this build.")
        return False

    @property
    def exporter(self):
        """The Export menu's actions (built at first use: the exporter's module, with the
        weights file and GL snapshot code, is not needed to open the first window)."""
        if self._exporter is None:
            from nnviz.views.exports import Exporter

            self._exporter = Exporter(self)
        return self._exporter

    def import_weights(self, path: str) -> bool:
        return self.exporter.import_weights(path)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        # the widgets shown with the window measured their texts in the type their style
        # sheets gave them as they were shown, and asked their layouts again (the status
        # bar's step status, 22 -> 30 px high in presentation mode): laid out now, before
        # the window's first frame, not after it (where the whole lab moved up)
        lay_out_now(self.statusBar())

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if dropped_path(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        path = dropped_path(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.files.open_path(path)

    def _on_lesson_changed(self) -> None:
        lesson_id = builtin_id(self.doc.lesson) if self.doc.lesson is not None else None
        if lesson_id is not None:  # only a shipped lesson's id, never a file's text
            self.settings.setValue("last_lesson", lesson_id)
        self.update_title()

    def update_title(self) -> None:
        title = self.doc.lesson.title if self.doc.lesson is not None else ""
        name = f" — {Path(self.files.path).name}" if self.files.path else ""
        star = "*" if self.doc.is_modified else ""
        self.setWindowTitle(f"nnviz — {title}{name}{star}" if title else "nnviz")

    def about(self) -> None:
        from nnviz import __version__

        QMessageBox.about(self, "About nnviz",
                          f"nnviz {__version__}\nSee how neural networks compute and learn.")

    # ------------------------------------------------------------ persistence
    def restore_settings(self) -> None:
        """The last session's window geometry and docks; on a first start, most of the
        screen (Qt would size the window to its contents, too small for a projector)."""
        geo = get_bytes(self.settings, "geometry")
        if geo is None or not self.restoreGeometry(geo):
            self._first_start_geometry()
        state = get_bytes(self.settings, "window_state")
        if state is not None:
            self.restoreState(state)

    def _first_start_geometry(self) -> None:
        screen = self.screen()
        if screen is None:
            return
        avail = screen.availableGeometry()
        w = min(1600, max(800, int(avail.width() * 0.85)))
        h = min(1000, max(560, int(avail.height() * 0.85)))
        w, h = min(w, avail.width()), min(h, avail.height())
        self.resize(w, h)
        self.move(avail.x() + (avail.width() - w) // 2, avail.y() + (avail.height() - h) // 2)

    def save_settings(self) -> None:
        put_bytes(self.settings, "geometry", self.saveGeometry())
        put_bytes(self.settings, "window_state", self.saveState())
        self.settings.setValue("last_lab", self.current_lab_name)
        for name, page in self.labs.items():
            put_bytes(self.settings, f"lab_state/{name}", page.saveState())

    def request_quit(self) -> None:
        """Quit, asking first about unsaved changes."""
        self.syllabus.confirm_quit(self._close_now)

    def _close_now(self) -> None:
        self._close_confirmed = True
        self.close()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        # a user's close (window button) asks about unsaved changes; programmatic closes
        # (tests, the Quit action after its own prompt) do not
        if event.spontaneous() and not self._close_confirmed and (
                self.doc.is_modified or self.nav.modified_elsewhere()):
            event.ignore()
            self.syllabus.confirm_quit(self._close_now)
            return
        self.save_settings()
        self.files.shutdown()
        for page in self.labs.values():
            page.shutdown()
        self.session.shutdown()
        if current_style() != Style():
            set_current_style(Style())
            restore_app_style()
        super().closeEvent(event)

    def start(self, lesson: str | None = None, lab: str | None = None) -> None:
        """Open the start lesson (argument, last used, or the default) and its lab; a
        .nnviz or .csv file argument is opened on top of the default lesson."""
        if lesson and Path(lesson).suffix.lower() in (".nnviz", ".csv"):
            self.start(lab=lab)
            self.files.open_path(lesson)
            return
        last = get_str(self.settings, "last_lesson", max_len=80)
        name = lesson or (last if last in lesson_names() else DEFAULT_LESSON)
        if not self.open_lesson(str(name), switch_lab=lab is None):
            if name != DEFAULT_LESSON:
                self.open_lesson(DEFAULT_LESSON, switch_lab=lab is None)
        if lab:
            self.show_lab(lab)
        elif not self.current_lab_name:
            self.show_lab(self.lab_names[0])
        for n, page in self.labs.items():
            st = get_bytes(self.settings, f"lab_state/{n}")
            if st is not None:
                page.restoreState(st)
        if get_str(self.settings, "theme") == "dark" and current_style().theme != "dark":
            self.window_style.apply(make_style("dark", current_style().presentation))

