"""The real main window the projector tests share: one per size (a window costs about a
second), resized, opened on the notes' 2-2-2 network, shown; and the two moves every such
test makes: letting posted events run, and presentation mode (F5) on or off."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from nnviz.views.style import current_style


def settle(n: int = 3) -> None:
    for _ in range(n):
        QApplication.processEvents()


def set_presentation(win, qtbot, on: bool) -> None:
    """Presentation mode on or off by its key, F5."""
    if current_style().presentation != on:
        qtbot.keyClick(win, Qt.Key.Key_F5)
    assert current_style().presentation == on
    settle()


def projector_window(size: tuple[int, int], tmp_path_factory, name: str):
    """A module fixture's body: the window at ``size`` (``win.requested``), yielded, then
    out of presentation mode, its labs shut down and closed."""
    from nnviz.views.main_window import MainWindow

    path = tmp_path_factory.mktemp(name) / "settings.ini"
    win = MainWindow(settings=QSettings(str(path), QSettings.Format.IniFormat))
    win.resize(*size)
    win.start(lesson="mazur-2-2-2")
    win.show()
    settle()
    win.requested = size
    yield win
    if current_style().presentation:
        win.window_style.leave_presentation()
    for page in win.labs.values():
        page.shutdown()
    win.close()
    win.deleteLater()
    settle()
