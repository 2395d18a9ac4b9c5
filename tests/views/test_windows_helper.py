"""The helpers that find leftover dialogs and windows see what they must see."""

from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QWidget

from .windows import other_windows, visible_dialogs


def test_other_windows_sees_a_stray_window_but_not_allowed_children(qtbot):
    win = QWidget()
    qtbot.addWidget(win)
    win.show()
    dialog = QDialog(win)
    dialog.show()
    assert other_windows(win, (QDialog,)) == []
    assert other_windows(win) == [dialog.windowHandle()]
    stray = QLabel("left behind")
    qtbot.addWidget(stray)
    stray.show()
    assert other_windows(win, (QDialog,)) == [stray.windowHandle()]
    stray.hide()
    assert other_windows(win, (QDialog,)) == []


def test_visible_dialogs_finds_the_window_s_shown_dialogs_of_a_kind(qtbot):
    win = QWidget()
    qtbot.addWidget(win)
    win.show()
    box = QMessageBox(win)
    plain = QDialog(win)
    assert visible_dialogs(win) == []
    box.show()
    plain.show()
    assert visible_dialogs(win, QMessageBox) == [box]
    assert set(visible_dialogs(win)) == {box, plain}
