"""The main window's caption bar and status bar follow the lab on screen: a lesson's
captions show only under its own lab, the status bar shows the last status of the lab
shown (never another lab's)."""

from __future__ import annotations

from nnviz.engine.teaching.lessons import Caption
from nnviz.views.caption_bar import lab_captions


class CaptionsMixin:
    """Mixed into :class:`nnviz.views.main_window.MainWindow` (uses its ``doc``, labs,
    ``caption_bar``, ``status_label`` and ``_lab_status``)."""

    def _on_lab_status(self, name: str, text: str) -> None:
        self._lab_status[name] = text
        if name == self.current_lab_name:
            if text != self.status_label.text():
                self.status_label.setText(text)
                self.statusBar().permanent_changed()   # a long message gives way
            self._caption_refresher.request()

    def _on_lab_position_changed(self, name: str) -> None:
        if name == self.current_lab_name and not self.current_lab.refresh_pending():
            # once per event (a lesson load moves the lab several times, and each move
            # could rebuild the workbench's trace), before the window repaints
            self._caption_refresher.request()

    def refresh_caption(self) -> None:
        """Show the lesson's caption for the position of the lab shown."""
        lesson = self.doc.lesson
        # a lesson's captions belong to its own lab: other labs show none
        own = lesson if lesson is not None and self.caption_lab() == self.current_lab_name \
            else None
        sizes = self.doc.network.sizes if self.doc.network is not None else None
        now, every = lab_captions(own, self.current_lab, sizes)
        lab = self.current_lab
        prompt = lab.reveal_prompt() if lab is not None else ""
        # predict, then reveal: a caption may quote the hidden result, so the bar says what
        # to predict instead (and, once it is shown, what next where the lesson says nothing)
        if lab is not None and lab.result_hidden():
            now = [Caption(prompt)] if prompt else []
        elif prompt and not now:
            now = [Caption(prompt)]
        self.caption_bar.show_captions(now, every, (id(own), self.width(),
                                                    hash(tuple(c.text for c in every))))

    def caption_lab(self) -> str:
        """The lab the lesson's captions are written for: its own lab, or (when this build
        has not got it) the first lab, where the lesson then opens."""
        lesson = self.doc.lesson
        if lesson is None:
            return ""
        return lesson.lab if lesson.lab in self.lab_names else self.lab_names[0]

    def _toggle_captions(self) -> None:
        self.caption_bar.enabled_by_user = self.act_captions.isChecked()
        self.refresh_caption()
