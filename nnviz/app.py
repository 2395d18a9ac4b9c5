"""Builds the QApplication and the main window; wiring only."""

from __future__ import annotations

import gc
import sys
import traceback

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from nnviz import pyside_hook

# before NumPy, pyqtgraph and nnviz's views are imported (nnviz/pyside_hook.py)
pyside_hook.install()


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), named so QSettings has a home."""
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName("nnviz")
        QCoreApplication.setApplicationName("nnviz")
        app = QApplication(argv or sys.argv[:1])
        from nnviz.views.presentation import scaled_indicators

        scaled_indicators(app)   # before any widget exists
    return app  # type: ignore[return-value]


def exception_hook(parent_getter, show=None):
    """A ``sys.excepthook``: write the traceback to stderr and show a dialog with a short
    message and a "Copy details" button; the app keeps running.

    ``show(message, details)`` replaces the dialog (tests). The hook never raises: a
    failure while reporting (or an exception during the dialog itself) only goes to
    stderr, and KeyboardInterrupt keeps its default behaviour.
    """
    busy = []

    def hook(exc_type, exc, tb) -> None:
        if exc_type is not None and issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        try:
            details = "".join(traceback.format_exception(exc_type, exc, tb))
        except Exception:  # noqa: BLE001 - reporting must not fail
            details = f"{exc_type!r}: {exc!r}"
        try:
            sys.stderr.write(details)
        except Exception:  # noqa: BLE001
            pass
        if busy:  # an exception while the dialog is up: stderr only, no dialog storm
            return
        busy.append(1)
        try:
            name = getattr(exc_type, "__name__", "Error")
            text = str(exc)
            message = f"{name}: {text[:300]}{'…' if len(text) > 300 else ''}"
            (show or _show_error_dialog)(parent_getter, message, details)
        except Exception:  # noqa: BLE001
            try:
                sys.stderr.write("nnviz: could not show the error dialog\n")
            except Exception:  # noqa: BLE001
                pass
        finally:
            busy.clear()

    return hook


def _show_error_dialog(parent_getter, message: str, details: str) -> None:
    if QApplication.instance() is None:
        return
    try:
        parent = parent_getter()
    except Exception:  # noqa: BLE001
        parent = None
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Something went wrong")
    box.setTextFormat(Qt.TextFormat.PlainText)  # the message may quote a file's text
    box.setText(f"{message}\n\nnnviz keeps running; your work is unchanged (and autosaved "
                "while there are unsaved changes).")
    box.setDetailedText(details)
    copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
    copy.clicked.connect(lambda: QApplication.clipboard().setText(details))
    box.addButton(QMessageBox.StandardButton.Ok)
    box.exec()


def install_exception_hook(parent_getter) -> None:
    """Install :func:`exception_hook` as ``sys.excepthook``."""
    sys.excepthook = exception_hook(parent_getter)


class _AfterFirstPaint(QObject):
    """Calls ``fn`` once, when the event loop is next free after ``window``'s first paint."""

    def __init__(self, window, fn) -> None:
        super().__init__(window)
        self._fn = fn
        window.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self._fn)
        return False


#: how often (ms) the window's thread looks for cyclic garbage once start-up is over
COLLECT_EVERY_MS = 250


class _CollectBetweenEvents(QObject):
    """Collects cyclic garbage from the event loop only, never inside a call into Qt.

    Python's automatic collector runs whenever allocations pass a threshold, and that can
    be in the middle of a call Python code makes into Qt. A Qt object freed there may wait
    on a mutex the call already holds: a test process hung for good with the collector
    running inside pyqtgraph's ``QObject::disconnect`` and ``~QObject`` waiting in
    ``QBasicMutex::lockInternal`` under it (py-spy --native). Here automatic collection
    stays off and a timer collects, between events, the generations whose thresholds
    have been passed, as the automatic collector would have."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(COLLECT_EVERY_MS)
        self._timer.timeout.connect(collect_due)
        self._timer.start()


def collect_due() -> int:
    """Collect as the automatic collector would have by now: nothing until the youngest
    generation's allocation count passes its threshold, then the oldest generation whose
    count has passed its own (an older generation's count is the number of collections
    of the one below since its last). Returns the number of objects collected."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    if counts[0] <= thresholds[0]:
        return 0
    return gc.collect(max(g for g in range(3) if counts[g] > thresholds[g]))


def settle_gc(owner: QObject) -> None:
    """Start-up is over: collect its garbage once, move everything still alive (modules,
    classes, widgets, which live as long as the app) out of the collector's sight, and
    from now on collect between events (:class:`_CollectBetweenEvents`, owned by
    ``owner``). Later collections never rescan the frozen objects, so they stay short
    while training runs. Automatic collection is switched off. Does nothing the second
    time."""
    if owner.findChild(_CollectBetweenEvents) is not None:
        return
    gc.disable()
    gc.collect()
    gc.freeze()
    _CollectBetweenEvents(owner)


def run_gui(lesson: str | None = None, lab: str | None = None, file: str | None = None) -> int:
    """Start the app on ``lesson`` (default: the last one, else mazur-2-2-2) or ``file``.

    The caller may have switched the garbage collector off for the start (the command
    line does). After the window's first paint, cyclic garbage is collected between
    events only (:func:`settle_gc`)."""
    from nnviz.controllers.settings_store import open_settings
    from nnviz.views.main_window import MainWindow

    app = make_app()
    win = MainWindow(settings=open_settings())
    install_exception_hook(lambda: win)
    win.restore_settings()
    win.start(lesson=file or lesson, lab=lab)
    win.show()
    _AfterFirstPaint(win, lambda: settle_gc(app))
    QTimer.singleShot(5000, lambda: settle_gc(app))   # if the window is never painted
    QTimer.singleShot(0, win.files.offer_recovery)
    return app.exec()


def parse_keys(text: str | None) -> list[tuple[Qt.Key, Qt.KeyboardModifier]]:
    """The keys of ``text`` ("Q Right", "Ctrl+Right", "PgDown"; Qt's names, separated by
    spaces) as (key, modifiers); ValueError naming a key Qt does not know."""
    from PySide6.QtGui import QKeySequence

    out = []
    for name in (text or "").split():
        seq = QKeySequence.fromString(name, QKeySequence.SequenceFormat.PortableText)
        combo = seq[0] if seq.count() == 1 else None
        if combo is None or combo.key() == Qt.Key.Key_unknown:
            raise ValueError(f"unknown key {name!r} (Qt's key names, e.g. Q, Right, Ctrl+Right)")
        out.append((combo.key(), combo.keyboardModifiers()))
    return out


def _press(win, keys: list[tuple[Qt.Key, Qt.KeyboardModifier]]) -> None:
    """Press and release each key on the window, as the keyboard would (shortcuts too)."""
    from PySide6.QtTest import QTest

    for key, modifiers in keys:
        QTest.keyClick(win, key, modifiers)
        QApplication.processEvents()


def _dispose(app: QApplication, win) -> None:
    """Shut the labs down and delete the window now, not by deleteLater (no event loop
    runs after a screenshot to do it): left to QApplication's destructor at exit, a window
    holding an OpenGL view crashed the process there (SIGSEGV in
    QWindowContainer::toplevelAboutToBeDestroyed), after the picture was saved."""
    for page in win.labs.values():
        page.shutdown()
    win.close()
    shiboken6.delete(win)
    app.processEvents()


def render_screenshot(lesson: str | None, lab: str | None, steps: int, size: tuple[int, int],
                      presentation: bool, theme: str, out: str,
                      matrix: str | None = None, overlay: str | None = None,
                      keys: str | None = None) -> None:
    """Render the main window headlessly after ``steps`` steps and then the key presses
    ``keys`` (see :func:`parse_keys`), and save it as PNG."""
    import os
    import tempfile

    from nnviz.views.labs import available_labs
    from nnviz.views.main_window import MainWindow
    from nnviz.views.style import make_style

    app = make_app()
    pressed = parse_keys(keys)
    if lab is not None and lab not in available_labs():
        raise ValueError(f"unknown or unavailable lab {lab!r}; available: "
                         f"{', '.join(available_labs())}")
    # a private, empty settings file: screenshots never depend on the user's last session
    tmp = tempfile.mkdtemp(prefix="nnviz-shot-")
    settings = QSettings(os.path.join(tmp, "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings)
    win.resize(*size)
    if lesson is not None:
        from nnviz.engine.teaching.lessons import load_lesson

        win.doc.load_lesson(load_lesson(lesson))
        win.show_lab(lab or win.doc.lesson.lab if (lab or win.doc.lesson.lab) in
                     win.lab_names else win.lab_names[0])
    else:
        win.start(lab=lab)
    win.window_style.apply(make_style(theme, presentation))
    win.show()
    app.processEvents()
    if matrix is not None:
        if not hasattr(win.current_lab, "show_matrices"):
            raise ValueError("--matrix needs the workbench")
        win.current_lab.matrix.set_batch(matrix == "batch")
        win.current_lab.show_matrices(True)
    if win.current_lab is not None and steps:
        win.current_lab.advance(steps)
    _press(win, pressed)
    if overlay is not None:   # "shortcuts" (F1) or "lessons" (G)
        win.syllabus.show_shortcuts() if overlay == "shortcuts" else win.syllabus.show_picker()
    win.statusBar().clearMessage()
    for _ in range(5):
        app.processEvents()
    img = win.grab()
    if not img.save(out, "PNG"):
        raise OSError(f"could not write {out}")
    _dispose(app, win)
    import shutil

    shutil.rmtree(tmp, ignore_errors=True)
