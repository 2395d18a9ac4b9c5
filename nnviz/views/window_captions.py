"""The main window's caption bar and status bar follow the lab on screen: a lesson's
captions show only under its own lab, the status bar shows the last status of the lab
shown (never another lab's)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

from nnviz.engine.teaching.lessons import Caption
from nnviz.views.caption_bar import CaptionBar, lab_captions
from nnviz.views.coalesce import Coalescer

if TYPE_CHECKING:
    from nnviz.views.main_window import MainWindow


class WindowCaptions(QObject):
    """The window's caption bar and step status: what each lab last said, and the
    lesson's caption for the position of the lab shown (refreshed once per event)."""

    def __init__(self, win: MainWindow, bar: CaptionBar, status_label: QLabel) -> None:
        super().__init__(win)
        self.win = win
        self.bar = bar
        self.status_label = status_label
        self.lab_status: dict[str, str] = {}   # each lab's last status text
        self.refresher = Coalescer(self.refresh, self)

    def watch(self, name: str, page) -> None:
        """Follow the status and position of the lab page ``name``."""
        self.lab_status[name] = page.last_status   # what it said while it was made
        page.status.connect(lambda text: self._on_status(name, text))
        page.position_changed.connect(lambda: self._on_position_changed(name))

    def show_status_of(self, name: str) -> None:
        """The status bar shows the last status of the lab ``name`` (now shown)."""
        self.status_label.setText(self.lab_status.get(name, ""))
        self.win.statusBar().permanent_changed()

    def _on_status(self, name: str, text: str) -> None:
        self.lab_status[name] = text
        if name == self.win.current_lab_name:
            if text != self.status_label.text():
                self.status_label.setText(text)
                self.win.statusBar().permanent_changed()   # a long message gives way
            self.refresher.request()

    def _on_position_changed(self, name: str) -> None:
        win = self.win
        if name == win.current_lab_name and not win.current_lab.refresh_pending():
            # once per event (a lesson load moves the lab several times, and each move
            # could rebuild the workbench's trace), before the window repaints
            self.refresher.request()

    def refresh(self) -> None:
        """Show the lesson's caption for the position of the lab shown."""
        win = self.win
        lesson = win.doc.lesson
        # a lesson's captions belong to its own lab: other labs show none
        own = lesson if lesson is not None and self.caption_lab() == win.current_lab_name \
            else None
        sizes = win.doc.network.sizes if win.doc.network is not None else None
        lab = win.current_lab
        now, every = lab_captions(own, lab, sizes)
        prompt = lab.reveal_prompt() if lab is not None else ""
        # predict, then reveal: a caption may quote the hidden result, so the bar says what
        # to predict instead (and, once it is shown, what next where the lesson says nothing)
        if lab is not None and lab.result_hidden():
            now = [Caption(prompt)] if prompt else []
        elif prompt and not now:
            now = [Caption(prompt)]
        self.bar.show_captions(now, every, (id(own), win.width(),
                                            hash(tuple(c.text for c in every))))

    def caption_lab(self) -> str:
        """The lab the lesson's captions are written for: its own lab, or (when this build
        has not got it) the first lab, where the lesson then opens."""
        lesson = self.win.doc.lesson
        if lesson is None:
            return ""
        names = self.win.lab_names
        return lesson.lab if lesson.lab in names else names[0]

    def set_enabled(self, on: bool) -> None:
        """View > Captions: the bar shown (where there is a caption) or hidden."""
        self.bar.enabled_by_user = on
        self.refresh()
