"""Test set-up: offscreen Qt, private settings, and helpers shared by the suites."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import pytest  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _private_settings(tmp_path_factory):
    """Keep QSettings of tests away from the user's real settings."""
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("nnviz-tests")
    QCoreApplication.setApplicationName("nnviz-tests")
    path = str(tmp_path_factory.mktemp("settings"))
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.NativeFormat, scope, path)
        QSettings.setPath(QSettings.Format.IniFormat, scope, path)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    yield


@pytest.fixture
def settings(tmp_path):
    """A fresh, empty settings file for one test."""
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def main_window(qtbot, settings):
    """The main window on the default lesson, shown offscreen; closed after the test."""
    from nnviz.views.main_window import MainWindow

    win = MainWindow(settings=settings)
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.start()
    win.show()
    qtbot.waitExposed(win)
    yield win
    for page in win.labs.values():
        page.shutdown()
