"""The caption bar: the lesson's caption for the step the lab shows, and a question for
the class."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from nnviz.engine.captions import progress_matches
from nnviz.engine.lessons import Caption, Lesson
from nnviz.views.caption_text import shown_captions
from nnviz.views.label_host import LabelHost
from nnviz.views.style import Style


def captions_at(lesson: Lesson | None, k: int, phase: str, hold: int | None = None
                ) -> list[Caption]:
    """The captions for micro-step k of ``phase``: step captions win over phase captions;
    with ``hold`` (the first step of k's phase), where none is for k, those of the last
    captioned step of the phase before k."""
    if lesson is None:
        return []
    found = lesson.captions_for(k, phase)
    exact = [c for c in found if c.step is not None]
    if not found and hold is not None and k > 0:
        before = [c.step for c in lesson.captions
                  if c.step is not None and max(1, hold) <= c.step < k]
        if before:
            exact = [c for c in lesson.captions if c.step == max(before)]
    return exact or found


def lab_captions(lesson: Lesson | None, lab, sizes: list[int] | None
                 ) -> tuple[list[Caption], list[Caption]]:
    """(the captions for where ``lab`` is now, every caption of the lesson), both as shown:
    step captions by the lab's micro-step, ``when`` captions by its progress (descent step
    or epoch, loss), templates filled from its live values."""
    if lesson is None or lab is None:
        return [], []
    k, phase = lab.caption_position()
    found = captions_at(lesson, int(k), str(phase), lab.caption_hold_from())
    progress = lab.caption_progress()
    step, loss = progress if progress is not None else (0, None)
    found += [c for c in lesson.captions
              if c.when is not None and progress_matches(c.when, int(step), loss)]
    values = lab.caption_values()
    worked = lab.captions_quote_worked_example
    return (shown_captions(lesson, found, values, sizes, worked),
            shown_captions(lesson, lesson.captions, values, None, worked))


class CaptionBar(QFrame):
    """Shows the caption text and, when there is one, the question for the class."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caption-bar")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.text_label = QLabel()
        self.text_label.setObjectName("caption-text")
        self.question_label = QLabel()
        self.question_label.setObjectName("caption-question")
        for lab in (self.text_label, self.question_label):
            lab.setWordWrap(True)
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            lab.setTextFormat(Qt.TextFormat.PlainText)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 6, 12, 6)
        lay.setSpacing(2)
        # the labels sit in hosts of reserved height: a new caption repaints the labels
        # without re-laying-out the window
        self.text_host = LabelHost(self.text_label)
        self.question_host = LabelHost(self.question_label)
        lay.addWidget(self.text_host)
        lay.addWidget(self.question_host)
        self.enabled_by_user = True
        self._reserved = (0, 0)   # heights kept for the text and the question
        self._style = Style()
        self.show_captions([])

    def show_captions(self, captions: list[Caption], all_captions: list[Caption] | None = None,
                      lesson_key: object = None) -> None:
        """Show these captions.

        ``all_captions`` are every caption of the lesson: while there are any the bar stays
        up at the height of the tallest of them, so it never changes height from step to
        step (that would resize and refit the view above it at each key press and make it
        jump on the projector).
        """
        text = "\n".join(c.text for c in captions if c.text)
        questions = [c.question for c in captions if c.question]
        self.text_label.setText(text)
        self.question_label.setText(self._question(questions))
        self.question_host.setVisible(bool(questions) or bool(all_captions))
        if lesson_key != getattr(self, "_lesson_key", None) or all_captions is None:
            self._lesson_key = lesson_key
            self._fit_height(all_captions or [])
        if captions:   # those shown at once (a live one with its numbers and epoch, or two
            self._grow_to(captions)   # together) may be taller than any one measured alone
        show = self.enabled_by_user and bool(text or questions or all_captions)
        self.setVisible(show)

    @staticmethod
    def _question(questions: list[str]) -> str:
        return "Question for the class: " + " ".join(questions) if questions else ""

    def _heights(self, captions: list[Caption], together: bool = False) -> tuple[int, int]:
        """The tallest caption text and question of ``captions`` at the bar's width
        (``together``: as shown at once, one under the other)."""
        # not shown yet (a lesson opened before the window is): the bar will span the
        # window (its parent is not laid out yet, and was measured too narrow, too tall)
        top = self.window()
        w = max(200, (self.width() if self.isVisible() else top.width() if top is not self
                      else 800))
        m = self.layout().contentsMargins()
        inner = w - m.left() - m.right()

        def tallest(label: QLabel, texts: list[str]) -> int:
            return max(label.fontMetrics().boundingRect(
                0, 0, inner, 10_000, Qt.TextFlag.TextWordWrap, t).height() for t in texts) + 2

        texts = ["\n".join(c.text for c in captions if c.text)] if together else \
            [c.text for c in captions]
        return (tallest(self.text_label, texts),
                tallest(self.question_label, [self._question([c.question]) if c.question
                                              else "x" for c in captions]))

    def _grow_to(self, captions: list[Caption]) -> None:
        """Taller reservations if the captions shown need them (never shorter: no jumps)."""
        th, qh = self._heights(captions, together=True)
        if th > self._reserved[0] or qh > self._reserved[1]:
            self._reserve(max(th, self._reserved[0]), max(qh, self._reserved[1]))

    def _fit_height(self, captions: list[Caption]) -> None:
        """Reserve the height of the tallest caption text and question at the bar's width."""
        if not captions:
            self.text_host.reserve_height(None)
            self.question_host.reserve_height(None)
            self.setMinimumHeight(0)
            self._reserved = (0, 0)
            return
        self._reserve(*self._heights(captions))

    def _reserve(self, th: int, qh: int) -> None:
        self._reserved = (th, qh)
        m = self.layout().contentsMargins()
        self.text_host.reserve_height(th)
        self.question_host.reserve_height(qh)
        self.setMinimumHeight(th + qh + m.top() + m.bottom() + self.layout().spacing() + 4)

    def apply_style(self, style: Style) -> None:
        self._style = style
        from nnviz.views.presentation import scaled_font

        f = scaled_font(style.scale * 1.15)
        self.text_label.setFont(f)
        fq = QFont(f)
        fq.setItalic(True)
        self.question_label.setFont(fq)
        self._lesson_key = object()  # the type size changed: measure again at the next show
        self.setStyleSheet(
            f"#caption-bar {{ background: {style.panel}; border-top: {max(1, round(2 * style.scale))}px "
            f"solid {style.highlight}; }}"
            f"#caption-text {{ color: {style.foreground}; }}"
            f"#caption-question {{ color: {style.foreground}; }}")
