"""The equation panel: the current micro-step's formula, numbers and result, and the
list of steps done so far (click one to jump there)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSignalBlocker, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QTextDocument, QTextOption
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.workbench.stepper import StepController
from nnviz.engine.teaching.captions import trace_values
from nnviz.views.bottom_fade import BottomFade
from nnviz.views.caption_text import quotes_values, shown_captions
from nnviz.views.cells import resize_list, set_row
from nnviz.views.items.math_text import escape
from nnviz.views.presentation import plain_style
from nnviz.views.style import Style, current_style
from nnviz.views.workbench.present import equation_html, step_summary

#: the sizes tried, largest first, until a step's lines fit the panel's width
SCALES = (1.0, 0.9, 0.8, 0.7, 0.6)
#: a step's equation too tall for the panel: its lines closer (1), then without the large
#: result above it (2), then its title but "step k of n" (3; e.g. under the guess bar), then
#: without a title (4); none of that where even it would not bring the result into view
COMPACT = (0, 1, 2, 3, 4)
#: no type of the panel below these points: 18 on a projector (the back of the room)
FLOOR_PT = {True: 18.0, False: 8.0}
#: ms a text whose trace is new stays on screen before the next step's text is chosen
#: ahead (a training frame or a dragged weight brings the next trace sooner, and its
#: paint starts the wait again)
AHEAD_NEW_TRACE_MS = 150


def _equation_bottom(doc: QTextDocument, compact: int) -> float:
    """The bottom of the step's equation (its last line the result) in ``doc``."""
    frames = doc.rootFrame().childFrames()
    i = 0 if compact >= 2 else 1    # (the large result's table first, if shown)
    return doc.documentLayout().frameBoundingRect(frames[i]).bottom() if len(frames) > i else 0.0


class EquationPanel(QWidget):
    """Shows the stepper's current step; clicking a done step jumps to it."""

    jump_requested = Signal(int)

    def __init__(self, stepper: StepController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stepper = stepper
        self.style_ = current_style()
        self.text = QTextBrowser()
        self.text.setObjectName("equation-text")
        self.text.setOpenLinks(False)
        # a scroll bar that came and went with the length of each step's text re-laid-out
        # the panel at every key press (and made the text jump sideways on the projector)
        self.text.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        # lines break between words only, never inside a number or a name (the layout
        # below breaks long equations between terms itself)
        self.text.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        self.fade = BottomFade(self.text)   # more below: the last line fades, not cut
        self.text.viewport().installEventFilter(self)
        self._laid_out = None   # the text area's size the step was fitted to (None: none yet)
        self._hidden = False        # the step's result hidden (predicting) when fitted
        self._metrics: dict[float, QFontMetricsF] = {}
        self._probe_doc = QTextDocument(self)
        self.steps = QListWidget()
        self.steps.setObjectName("steps-done")
        # a long step wraps at its spaces rather than hiding behind a sideways scroll bar
        self.steps.setWordWrap(True)
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # as the text's above it: a scroll bar that came when the list outgrew its view
        # narrowed it, every row wrapped anew, and the step was painted in two passes
        self.steps.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.steps.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.steps.itemClicked.connect(self._on_item_clicked)
        self.steps.viewport().installEventFilter(self)
        plain_style(self.steps, self.steps.verticalScrollBar(), self.text.verticalScrollBar(),
                    self.text.horizontalScrollBar())
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.text)
        split.addWidget(self.steps)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setSizes([400, 100])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(split)
        # the text chosen for each step ((html, COMPACT step) per step and everything the
        # choice depends on) of the trace shown: the next step's is chosen while the class
        # looks at this one (Right then only lays it out), and a step shown again is
        # chosen once
        self._fits: dict[tuple, tuple[str, int]] = {}
        self._fits_trace = None   # the trace shown (its steps listed, its texts chosen)
        self._ahead = QTimer(self)
        self._ahead.setSingleShot(True)
        self._ahead.timeout.connect(self._fit_next)
        self._ahead_due: int | None = None   # ms: started at the text's next paint

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(460, 900)

    def plain_text(self) -> str:
        """The text shown, without the invisible word joiners that keep names whole."""
        return self.text.toPlainText().replace("\u2060", "")

    def measure(self, text: str, pt: float) -> float:
        """Width in pixels of ``text`` in the panel's type at ``pt`` points."""
        fm = self._metrics.get(pt)
        if fm is None:
            f = self._font(pt)
            f.setBold(True)   # the result is bold: measure generously
            fm = self._metrics[pt] = QFontMetricsF(f)
        return fm.horizontalAdvance(text)

    def _font(self, pt: float) -> QFont:
        f = QFont(self.text.font())
        f.setPointSizeF(pt)
        return f

    def layout_width(self) -> float:
        """Room for an equation's lines: the text area less its margins and cell gaps."""
        margin = self.text.document().documentMargin()
        return max(120.0, self.text.viewport().width() - 2 * margin - 24)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if obj is self.text.viewport() and event.type() == QEvent.Type.Paint:
            if self._ahead_due is not None:   # this step is painted: the next one's after it
                self._ahead.start(self._ahead_due)
                self._ahead_due = None
        elif obj is self.text.viewport() and event.type() == QEvent.Type.Resize:
            view = self.text.viewport()
            w, h = self._laid_out or (view.width(), view.height())
            # lay the lines out again for the new width, and choose again for a new height
            # (a taller panel has room for a larger form: the dock or the splitter grew);
            # nothing before the first refresh (the Workbench's, as it is shown)
            if abs(view.width() - w) > 4 or abs(view.height() - h) > 4:
                self.refresh(self._hidden)   # (a hidden result stays hidden: predicting)
        elif obj is self.steps.viewport() and event.type() == QEvent.Type.Resize:
            self._show_current_step()   # its rows wrap anew: keep the current one in view
        return False

    def _show_current_step(self) -> None:
        row = self.steps.currentRow()
        if row >= 0:
            # the rows' heights first (a long step wraps to two lines): scrolling by the
            # old layout left the current step half out of view
            self.steps.doItemsLayout()
            self.steps.scrollTo(self.steps.model().index(row, 0),
                                QListWidget.ScrollHint.PositionAtBottom)

    def apply_style(self, style: Style) -> None:
        self.style_ = style
        self._metrics.clear()
        self._fits.clear()
        f = self.steps.font()
        f.setPointSizeF(style.pt(10.5))
        self.steps.setFont(f)
        self.text.setStyleSheet(f"background:{style.background};")
        self.fade.set_colour(style.background)
        self.fade.line = QFontMetricsF(self._font(FLOOR_PT[bool(style.presentation)])).height()
        self.steps.setStyleSheet(f"background:{style.background}; color:{style.foreground};")
        # (no refresh here: the Workbench refreshes once after its apply_style, and only
        # when shown; a refresh here laid out a hidden panel's text at a size it never had,
        # 4-6 ms of the start)

    def set_guess_bar(self, bar: QWidget) -> None:
        """Put the predict-then-reveal bar above the equation."""
        self.layout().insertWidget(0, bar)

    def refresh(self, hidden: bool = False) -> None:
        """Re-read the stepper (``hidden``: the current step's result is not shown)."""
        st = self.stepper
        tr = st.trace
        if tr is None:
            self._show_message(st.error or "No network.")
            self.steps.clear()
            return
        self.text.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        self._laid_out = (self.text.viewport().width(), self.text.viewport().height())
        self._hidden = hidden
        stepping = tr is self._fits_trace   # (not a new trace: an edit, a training frame)
        self._set_fitting_html(tr, st.k, self._captions(tr, st.k, hidden), hidden)
        with QSignalBlocker(self.steps):
            if not stepping:
                resize_list(self.steps, 0)
            first = min(self.steps.count(), st.k)
            resize_list(self.steps, st.k)
            for i in range(first, st.k):
                set_row(self.steps, i, step_summary(tr.steps[i]), i + 1)
            if st.k:
                set_row(self.steps, st.k - 1, step_summary(tr.steps[st.k - 1], hidden))
                self.steps.setCurrentRow(st.k - 1)
                self._show_current_step()
        # the next step's text, once this one has been painted (a timer started now ran
        # before the window's first frame: 4-13 ms later on screen); after a refresh that
        # brought a new trace only once that has been on screen a while (training in the
        # lab, a weight dragged: each frame brings another, and the choice would be
        # thrown away; a lesson just opened: the first Right is chosen ahead too)
        self._ahead_due = (0 if stepping else AHEAD_NEW_TRACE_MS) if st.k < len(tr) \
            else None

    def _show_message(self, text: str) -> None:
        """Why there are no steps (e.g. "Cannot trace this network: …"), as plain text in
        the panel's type, wrapped to its width: at spaces, and inside a word only if the
        word alone is wider than the panel (never a sideways scroll bar)."""
        self.text.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        pt = max(FLOOR_PT[bool(self.style_.presentation)], self.style_.pt(11))
        self.text.setHtml(f'<p style="font-size:{pt:.1f}pt; color:{self.style_.foreground}">'
                          f"{escape(text)}</p>")
        self.fade.keep = 0.0
        self.fade.place()

    def _captions(self, tr, k: int, hidden: bool) -> list[str]:
        """The lesson's captions for step ``k``, as the caption bar shows them: at any
        training step the numbers are the live ones, the notes' beside them (none while
        the step's result is hidden)."""
        st = self.stepper
        lesson = st.doc.lesson
        if lesson is None or lesson.lab != "workbench" or hidden:
            return []
        step = tr.steps[k - 1] if k else None
        phase = step.phase if step else None
        first_of_phase = step is not None and k == tr.phase_start(phase) + 1
        found = [c for c in lesson.captions
                 if (c.step is not None and c.step == k) or (
                     c.step is None and ((c.phase == "start" and k == 0)
                                         or (first_of_phase and c.phase == phase)))]
        # the same text as the caption bar: live values, parts that still exist
        values = trace_values(tr) if quotes_values(found) else {}
        return [c.text for c in shown_captions(lesson, found, values, st.doc.network.sizes)]

    def _fit_key(self, k: int, captions: list[str], hidden: bool) -> tuple:
        """Everything the text chosen for step ``k`` depends on, but the trace."""
        view = self.text.viewport()
        return (k, tuple(captions), hidden, self.style_, self.text.font().key(),
                self.layout_width(), view.width(), view.height())

    def _set_fitting_html(self, tr, k: int, captions: list[str], hidden: bool) -> None:
        """Step ``k``'s text as :meth:`_fit` chooses it (or chose it ahead), shown."""
        if self._fits_trace is not tr:
            self._fits_trace, self._fits = tr, {}
        key = self._fit_key(k, captions, hidden)
        got = self._fits.get(key)
        if got is None:
            if len(self._fits) > 512:
                self._fits.clear()
            got = self._fits[key] = self._fit(tr, k, captions, hidden, show=True)
        else:
            self.text.setHtml(got[0])
        self.fade.keep = _equation_bottom(self.text.document(), got[1])
        self.fade.place()

    def _fit_next(self) -> None:
        """Choose the next step's text now, while nothing waits (off screen: the text shown
        is not touched), so that Right has only to lay it out."""
        if not self.isVisible():   # (a hidden lab costs nothing: not even its trace)
            return
        st = self.stepper
        tr = st.trace
        if tr is None or tr is not self._fits_trace or st.k >= len(tr):
            return
        k = st.k + 1
        captions = self._captions(tr, k, self._hidden)
        key = self._fit_key(k, captions, self._hidden)
        if key not in self._fits:
            self._fits[key] = self._fit(tr, k, captions, self._hidden, show=False)

    def _fit(self, tr, k: int, captions: list[str], hidden: bool,
             show: bool) -> tuple[str, int]:
        """Step ``k``'s HTML in the largest type whose lines all fit the panel's width and
        whose equation, down to its result, fits its height without scrolling (the
        measured layout is the judge: a line wider than the text area sets the whole step
        smaller, down to a floor readable from the back of the room; an equation too tall
        at the floor has its lines set closer, then loses the large result above it), and
        its COMPACT step. ``show``: the first text tried is laid out in the text area
        itself (most steps fit at once), the others off screen, and the one chosen ends
        up shown; else all off screen."""
        floor = FLOOR_PT[bool(self.style_.presentation)]
        step = tr.steps[k - 1] if k else None
        probe = None   # the texts tried off screen
        shown = None   # the text laid out in the text area
        room_w, room_h = self.text.viewport().width(), self.text.viewport().height()
        fits, first, fallback = None, None, None
        tried: dict[str, int] = {}   # each text tried: its COMPACT step (where its result ends)
        # at each size, a second try with every left-hand side on a line of its own
        for compact, scale, narrow in ((c, s, n) for c in COMPACT for s in SCALES
                                       for n in (False, True)):
            html = equation_html(step, k, len(tr), self.style_, captions,
                                 self.layout_width(), self.measure, hidden, scale, floor,
                                 narrow, compact)
            if compact == 0:   # nothing fits across: as before, the large result kept
                fallback = html
            if html in tried:   # (at the floor every smaller scale is the same text)
                continue
            tried[html] = compact
            if show and shown is None:
                self.text.setHtml(html)
                shown, doc = html, self.text.document()
            else:
                probe = probe or self._probe()
                probe.setHtml(html)
                doc = probe
            if doc.idealWidth() > room_w:
                continue
            first = first or html   # across
            if _equation_bottom(doc, compact) <= room_h:
                fits = html
                break
        # too tall however set: as large as fits across; too wide: as before
        html = fits or first or fallback
        if show and html != shown:
            self.text.setHtml(html)
        return html, tried.get(html, 0)

    def _probe(self) -> QTextDocument:
        """A document laid out as the text area's (its type, margin and width), empty
        (each setting would lay out the last step's text again: 2-3 ms a step): where the
        step's first text does not fit, the others are tried in it, and only the one
        chosen is laid out again in the text area."""
        doc, probe = self.text.document(), self._probe_doc
        probe.clear()
        probe.setDefaultFont(doc.defaultFont())
        probe.setDocumentMargin(doc.documentMargin())
        probe.setDefaultTextOption(doc.defaultTextOption())
        probe.setTextWidth(self.text.viewport().width())
        return probe

    def _on_item_clicked(self, item: QListWidgetItem) -> None:
        self.jump_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))
