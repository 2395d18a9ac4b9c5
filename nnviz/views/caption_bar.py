"""The caption bar: the lesson's caption for the step the lab shows, and a question for
the class."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from nnviz.engine.teaching.captions import progress_matches
from nnviz.engine.teaching.lessons import Caption, Lesson
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
            _every_caption(lesson, values, worked))


class _Every:
    """Every caption of the last lesson as shown, and what it was filled from: a step
    changes which caption is shown, seldom the live values (the Workbench's are the
    trace's), and rendering all of a lesson's templates at each key press took 0.4 ms."""

    lesson: Lesson | None = None
    values: dict[str, float] | None = None
    worked = True
    shown: tuple[Caption, ...] = ()


def _every_caption(lesson: Lesson, values: dict[str, float] | None,
                   worked: bool) -> list[Caption]:
    """``shown_captions`` of all of ``lesson``'s captions (no live sizes), remembered."""
    m = _Every
    if m.lesson is not lesson or m.worked != worked or m.values != values:
        m.shown = tuple(shown_captions(lesson, lesson.captions, values, None, worked))
        m.lesson, m.worked = lesson, worked
        m.values = None if values is None else dict(values)   # (a copy: compared by value)
    return list(m.shown)


def _text_height(label: QLabel, width: int, text: str) -> int:
    """The height ``text`` takes in ``label``'s type wrapped at ``width`` (0 if empty)."""
    if not text:
        return 0
    return label.fontMetrics().boundingRect(
        0, 0, width, 10_000, Qt.TextFlag.TextWordWrap, text).height() + 2


class CaptionBar(QFrame):
    """Shows the caption text and, when there is one, the question for the class."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caption-bar")
        self.setFrameShape(QFrame.Shape.NoFrame)
        # its own ground: a new caption repaints the bar, not the window under it
        self.setAutoFillBackground(True)
        self.text_label = QLabel()
        self.text_label.setObjectName("caption-text")
        self.question_label = QLabel()
        self.question_label.setObjectName("caption-question")
        for lab in (self.text_label, self.question_label):
            lab.setWordWrap(True)
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            lab.setTextFormat(Qt.TextFormat.PlainText)
            # at the top of its host: the room a shorter caption leaves is below it
            lab.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
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
        self._reserved = (-1, -1)   # heights kept for the text and the question
        self._style = Style()
        # the lesson whose captions set the bar's height while it is stepped
        self._lesson_key: object = None
        self._lesson_captions: list[Caption] = []
        self._lesson_serial = 0     # one more for each lesson: a new floor is measured
        # the height of the lesson's tallest caption with its question, measured once per
        # lesson, width and type (``_floor_key``): a live caption changes every frame
        self._floor_key: tuple | None = None
        self._floor = 0
        self._measured_at: int | None = None   # the labels' width at the last fit
        self.show_captions([])

    def show_captions(self, captions: list[Caption], all_captions: list[Caption] | None = None,
                      lesson_key: object = None) -> None:
        """Show these captions.

        Within a lesson (``lesson_key``) the bar keeps one height while the user steps:
        the tallest of the lesson's captions (``all_captions``) at the bar's width, and a
        question's line only if one of them asks a question; a caption taller than those
        (a live one with its numbers) makes it taller, never shorter, until the next
        lesson (a bar that followed each caption's lines resized the view above it at key
        presses, and the graph jumped on the projector). While the lesson has captions it
        stays up, at least a line high, where none is for this step.
        """
        text = "\n".join(c.text for c in captions if c.text)
        questions = [c.question for c in captions if c.question]
        self.text_label.setText(text)
        self.question_label.setText(self._question(questions))
        if lesson_key != self._lesson_key or all_captions is None:
            self._lesson_key = lesson_key
            self._lesson_captions = list(all_captions or [])
            self._lesson_serial += 1
            self._reserved = (-1, -1)
        asks = bool(questions) or any(c.question for c in self._lesson_captions)
        self.question_host.setVisible(asks)
        self._fit_height()
        show = self.enabled_by_user and bool(text or questions or all_captions)
        self.setVisible(show)

    @staticmethod
    def _question(questions: list[str]) -> str:
        return "Question for the class: " + " ".join(questions) if questions else ""

    def _inner_width(self) -> int:
        """The labels' width: the bar's, or before it is shown the window's (a lesson
        opened before the window is shown: the bar will span the window; its parent is not
        laid out yet, and was measured too narrow, too tall)."""
        top = self.window()
        w = max(200, (self.width() if self.isVisible() else top.width() if top is not self
                      else 800))
        m = self.layout().contentsMargins()
        return w - m.left() - m.right()

    def _fit_height(self) -> None:
        """The bar's height at its width: the tallest caption of the lesson with its own
        question (captions are shown one at a time, each with its question: the tallest
        text and the tallest question were never shown together, and at 1024x768 in F5
        their sum left ~60 px empty under the Workbench's three-line caption), or what is
        shown now if that is taller; within the bar the text goes first, the question
        right under it and the room left below them."""
        inner = self._inner_width()
        line = self.text_label.fontMetrics().height() + 2   # an empty bar: one line high
        asks = not self.question_host.isHidden()
        gap = self.layout().spacing() if asks else 0

        def total(text: str, question: str) -> tuple[int, int]:
            th = max(line, _text_height(self.text_label, inner, text))
            return th, th + (gap + _text_height(self.question_label, inner, question)
                             if asks else 0)

        key = (self._lesson_serial, inner, self.text_label.font().key(), asks)
        if self._floor_key != key:   # once per lesson, width and type
            self._floor_key = key    # (a live caption changes each frame)
            self._floor = max((total(c.text, self._question([c.question] if c.question
                                                               else []))[1]
                               for c in self._lesson_captions), default=0)
        th, need = total(self.text_label.text(), self.question_label.text())
        need = max(need, self._floor)
        if inner == self._measured_at:   # the same width: never shorter
            kept_t, kept_q = self._reserved
            need = max(need, kept_t + (kept_q + gap if kept_q >= 0 else 0))
        self._measured_at = inner
        self._reserve(th, need - th - gap) if asks else self._reserve(need, -1)

    def _reserve(self, th: int, qh: int) -> None:
        """The text's host ``th`` high, the question's ``qh`` (-1: no question line)."""
        if (th, qh) == self._reserved:
            return   # the same lines: nothing above the bar moves
        self._reserved = (th, qh)
        m = self.layout().contentsMargins()
        self.text_host.reserve_height(th)
        self.question_host.reserve_height(max(qh, 0))
        gap = self.layout().spacing() if qh >= 0 else 0
        self.setMinimumHeight(th + max(qh, 0) + m.top() + m.bottom() + gap)

    def resizeEvent(self, ev) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(ev)
        if self._inner_width() != self._measured_at:
            self._fit_height()   # the text wraps anew at the new width

    def apply_style(self, style: Style) -> None:
        self._style = style
        from nnviz.views.presentation import scaled_font

        f = scaled_font(style.scale * 1.15)
        self.text_label.setFont(f)
        fq = QFont(f)
        fq.setItalic(True)
        self.question_label.setFont(fq)
        self._reserved = (-1, -1)   # the type size changed: measure again
        self._fit_height()
        self.setStyleSheet(
            f"#caption-bar {{ background: {style.panel}; border-top: {max(1, round(2 * style.scale))}px "
            f"solid {style.highlight}; }}"
            f"#caption-text {{ color: {style.foreground}; }}"
            f"#caption-question {{ color: {style.foreground}; }}")
