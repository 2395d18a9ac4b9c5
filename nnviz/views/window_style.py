"""The main window's look: presentation mode, theme, full screen and the blank screen."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from nnviz.views.presentation import apply_app_style
from nnviz.views.style import Style, current_style, make_style, set_current_style


class WindowStyleMixin:
    """Style actions of :class:`nnviz.views.main_window.MainWindow` (uses its actions,
    tool bar, caption bar, settings, blank overlay and lab pages)."""

    def apply_style(self, style: Style) -> None:
        """Fonts, palette and pictures of the whole window, and chrome for presentation."""
        set_current_style(style)
        apply_app_style(style)
        self.act_presentation.setChecked(style.presentation)
        self.act_dark.setChecked(style.theme == "dark")
        self.act_leave_presentation.setEnabled(style.presentation)
        self.menuBar().setVisible(not style.presentation)
        self.toolbar.setVisible(not style.presentation)
        self.caption_bar.apply_style(style)
        for page in self.labs.values():
            page.apply_style(style)
        self.refresh_caption()  # the caption's reserved height, measured in the new type
        if style.presentation:
            # measured once the new type has reached the status bar
            QTimer.singleShot(0, self._show_presentation_hint)

    def _show_presentation_hint(self) -> None:
        if current_style().presentation:
            self.statusBar().show_fitting(
                ["Presentation mode: F5 or Esc to leave, B blanks the screen, F11 full screen",
                 "F5 or Esc: leave · B: blank · F11: full screen", "F5 or Esc: leave"], 10000)

    def toggle_presentation(self) -> None:
        s = current_style()
        self.apply_style(make_style(s.theme, not s.presentation))

    def leave_presentation(self) -> None:
        if current_style().presentation:
            self.toggle_presentation()

    def toggle_dark(self) -> None:
        s = current_style()
        theme = "dark" if s.theme == "light" else "light"
        self.settings.setValue("theme", theme)
        self.apply_style(make_style(theme, s.presentation))

    def toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
        self.act_fullscreen.setChecked(self.isFullScreen())

    def blank(self) -> None:
        self.blank_overlay.blank()
