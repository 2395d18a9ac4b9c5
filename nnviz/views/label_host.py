"""A holder for a label whose text changes at every step, so the change repaints the label
and nothing else."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class LabelHost(QWidget):
    """Holds ``label`` and keeps its text changes from re-laying-out the window.

    A QLabel asks its parent's layout to recompute on every ``setText``; that request
    climbs to the top-level window and costs extra repaint passes after every key press.
    This host has no layout: the label fills it, and the host tells its own layout about
    a new size only when the label needs more room than it has had (widths only grow,
    until the font changes; a word-wrapped label's height only grows, until the font or
    the host's width changes) or when :meth:`reserve_height` fixes the height (captions
    reserve their tallest text per lesson).
    """

    def __init__(self, label: QLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        label.setParent(self)
        self._height: int | None = None
        self._hint = QSize(0, 0)
        self._font = None
        self._line = 0
        self._wrap_w = 0   # the width a wrapped label's height was measured at
        policy = QSizePolicy(label.sizePolicy())
        policy.setHeightForWidth(False)
        self.setSizePolicy(policy)
        self._refit()

    def reserve_height(self, height: int | None) -> None:
        """Fix the height (None: follow the label)."""
        self._height = height
        self._hint = QSize(-1, -1)   # measured afresh, and told to the layout (even 0 high)
        self._refit()

    def set_text(self, text: str) -> None:
        """The label's text, its room measured at once (not one event-loop pass later, at
        the label's layout request: the window's layout then sees a larger text in the
        same pass as a bare label's would)."""
        if text != self.label.text():
            self.label.setText(text)
            self._refit()

    def refit(self) -> None:
        """Measure the label now (its font or text just changed) instead of at its next
        layout request."""
        self._refit()

    def _refit(self) -> None:
        font = self.label.font().key()
        if font != self._font:  # a new type size: measure afresh
            self._font, self._hint = font, QSize(0, 0)
            probe = QLabel("Xgδ·ŷ₁²")  # the height of a line of text, even while empty
            probe.setFont(self.label.font())
            self._line = probe.sizeHint().height()
        want = self.label.sizeHint()
        w = 0 if self.label.wordWrap() else max(want.width(), self._hint.width())
        if self._height is not None:
            h = self._height
        elif self.label.wordWrap() and self.width() > 0:
            # a wrapped text: its lines at the host's width (the most it has needed at
            # this width; a new width measures afresh, see resizeEvent)
            grown = self._hint.height() if self._wrap_w == self.width() else 0
            self._wrap_w = self.width()
            h = max(self.label.heightForWidth(self.width()), grown, self._line)
        else:
            h = max(want.height(), self._hint.height(), self._line)
        if QSize(w, h) != self._hint:
            self._hint = QSize(w, h)
            self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self._hint

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self._hint

    def event(self, ev: QEvent) -> bool:  # noqa: N802 - Qt API
        if ev.type() == QEvent.Type.LayoutRequest:  # the label's text or font changed
            self._refit()
            return True
        return super().event(ev)

    def showEvent(self, ev) -> None:  # noqa: N802 - Qt API
        self._refit()  # the label's style sheet font arrives when it is first shown
        super().showEvent(ev)

    def resizeEvent(self, _ev) -> None:  # noqa: N802 - Qt API
        self.label.setGeometry(self.rect())
        if self.label.wordWrap() and self.width() != self._wrap_w:
            self._refit()   # a wrapped text takes as many lines as this width needs
