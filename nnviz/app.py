"""Builds the QApplication and the main window; wiring only."""

from __future__ import annotations

import sys
import traceback

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication, QMessageBox


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), named so QSettings has a home."""
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName("nnviz")
        QCoreApplication.setApplicationName("nnviz")
        app = QApplication(argv or sys.argv[:1])
    return app  # type: ignore[return-value]


def install_exception_hook(parent_getter) -> None:
    """Show an uncaught exception in a dialog (with 'copy details'); keep the app running."""

    def hook(exc_type, exc, tb) -> None:
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        sys.stderr.write(details)
        box = QMessageBox(parent_getter())
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Something went wrong")
        box.setText(f"{exc_type.__name__}: {exc}\n\nnnviz keeps running; your work is unchanged.")
        box.setDetailedText(details)
        copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Ok)
        box.exec()
        if box.clickedButton() is copy:
            QApplication.clipboard().setText(details)

    sys.excepthook = hook


def run_gui(lesson: str | None = None, lab: str | None = None, file: str | None = None) -> int:
    """Start the app on ``lesson`` (default: the last one, else mazur-2-2-2)."""
    from nnviz.views.main_window import MainWindow

    app = make_app()
    win = MainWindow(settings=QSettings())
    install_exception_hook(lambda: win)
    win.restore_settings()
    win.start(lesson=lesson or file, lab=lab)
    win.show()
    return app.exec()


def render_screenshot(lesson: str | None, lab: str | None, steps: int, size: tuple[int, int],
                      presentation: bool, theme: str, out: str) -> None:
    """Render the main window headlessly after ``steps`` steps and save it as PNG."""
    import os
    import tempfile

    from nnviz.views.labs import available_labs
    from nnviz.views.main_window import MainWindow
    from nnviz.views.style import Style

    app = make_app()
    if lab is not None and lab not in available_labs():
        raise ValueError(f"unknown or unavailable lab {lab!r}; available: "
                         f"{', '.join(available_labs())}")
    # a private, empty settings file: screenshots never depend on the user's last session
    tmp = tempfile.mkdtemp(prefix="nnviz-shot-")
    settings = QSettings(os.path.join(tmp, "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings)
    win.resize(*size)
    if lesson is not None:
        from nnviz.engine.lessons import load_lesson

        win.doc.load_lesson(load_lesson(lesson))
        win.show_lab(lab or win.doc.lesson.lab if (lab or win.doc.lesson.lab) in
                     win.lab_names else win.lab_names[0])
    else:
        win.start(lab=lab)
    if presentation or theme != "light":
        win.apply_style(Style(theme=theme, presentation=presentation,
                              scale=1.6 if presentation else 1.0))
    win.show()
    app.processEvents()
    if win.current_lab is not None and steps:
        win.current_lab.advance(steps)
    for _ in range(5):
        app.processEvents()
    img = win.grab()
    if not img.save(out, "PNG"):
        raise OSError(f"could not write {out}")
    for page in win.labs.values():
        page.shutdown()
    win.close()
    win.deleteLater()
    app.processEvents()
