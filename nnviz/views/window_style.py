"""The main window's look: presentation mode, theme, full screen and the blank screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from nnviz.views.fit import remeasure_combo_boxes
from nnviz.views.presentation import apply_app_style
from nnviz.views.style import Style, current_style, make_style, set_current_style

if TYPE_CHECKING:
    from nnviz.views.main_window import MainWindow


class WindowStyle(QObject):
    """Applies a style to the whole window (its actions, chrome, caption bar and lab
    pages) and switches presentation mode, theme and full screen. The style itself is
    the application's (:func:`nnviz.views.style.current_style`); this part has none."""

    def __init__(self, win: MainWindow) -> None:
        super().__init__(win)
        self.win = win

    def apply(self, style: Style) -> None:
        """Fonts, palette and pictures of the whole window, and chrome for presentation."""
        win = self.win
        set_current_style(style)
        apply_app_style(style)
        win.act_presentation.setChecked(style.presentation)
        win.act_dark.setChecked(style.theme == "dark")
        win.act_leave_presentation.setEnabled(style.presentation)
        win.menuBar().setVisible(not style.presentation)
        win.toolbar.setVisible(not style.presentation)
        win.caption_bar.apply_style(style)
        for page in win.labs.values():
            page.apply_style(style)
        remeasure_combo_boxes(win)
        win.captions.refresh()  # the caption's reserved height, measured in the new type
        if style.presentation:
            # measured once the new type has reached the status bar
            QTimer.singleShot(0, self, self._show_presentation_hint)

    def _show_presentation_hint(self) -> None:
        if current_style().presentation:
            self.win.statusBar().show_fitting(
                ["Presentation mode: F5 or Esc to leave, B blanks the screen, F11 full screen",
                 "F5 or Esc: leave · B: blank · F11: full screen", "F5 or Esc: leave"], 10000)

    def toggle_presentation(self) -> None:
        s = current_style()
        self.apply(make_style(s.theme, not s.presentation))

    def leave_presentation(self) -> None:
        if current_style().presentation:
            self.toggle_presentation()

    def toggle_dark(self) -> None:
        s = current_style()
        theme = "dark" if s.theme == "light" else "light"
        self.win.settings.setValue("theme", theme)
        self.apply(make_style(theme, s.presentation))

    def toggle_fullscreen(self) -> None:
        win = self.win
        if win.isFullScreen():
            win.showNormal()
        else:
            win.showFullScreen()
        win.act_fullscreen.setChecked(win.isFullScreen())
