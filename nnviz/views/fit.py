"""Layouts that give way instead of growing the window.

A QStackedWidget (and so every QTabWidget) asks for the largest minimum size of ALL its
pages, shown or not: one wide tab somewhere in one lab made the whole main window wider
than the screen as soon as that lab had been visited. Here the pages that are not shown
ask for nothing, so a stack is exactly as demanding as the page on screen.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QStatusBar,
    QStyle,
    QStyleOptionComboBox,
    QWidget,
)

_IGNORED = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)


class _CurrentPageSizer(QObject):
    """Keeps the pages of one stack that are not shown at an Ignored size policy."""

    def __init__(self, stack: QStackedWidget) -> None:
        super().__init__(stack)
        self.setObjectName("current-page-sizer")
        self.stack = stack
        self.policies: dict[int, QSizePolicy] = {}  # id(page) -> its own policy
        stack.currentChanged.connect(self.update)
        stack.widgetRemoved.connect(self.update)
        self.update()

    def update(self, _index: int = -1) -> None:
        current = self.stack.currentWidget()
        alive = set()
        for i in range(self.stack.count()):
            page = self.stack.widget(i)
            key = id(page)
            alive.add(key)
            if key not in self.policies:
                self.policies[key] = QSizePolicy(page.sizePolicy())
            page.setSizePolicy(self.policies[key] if page is current else _IGNORED)
        self.policies = {k: v for k, v in self.policies.items() if k in alive}
        # a hidden page's new policy does not reach the stack's layout by itself
        self.stack.layout().invalidate()
        self.stack.updateGeometry()


def size_to_current_page(stack: QStackedWidget) -> None:
    """Make ``stack`` (as big as its largest page by default) as big as its current page;
    call again after adding pages (QStackedWidget does not announce additions)."""
    # its own sizer only: a recursive search finds a sizer of a stack inside a page (the
    # Workbench's graph/matrix stack), and the main stack then never got one of its own
    sizer = stack.findChild(_CurrentPageSizer, "current-page-sizer",
                            Qt.FindChildOption.FindDirectChildrenOnly)
    if sizer is None:
        _CurrentPageSizer(stack)
    else:
        sizer.update()


def give_way(root: QWidget) -> None:
    """Every stack and tab widget inside ``root`` sizes to the page it shows."""
    for stack in root.findChildren(QStackedWidget):
        size_to_current_page(stack)


class SidePanelScroll(QScrollArea):
    """A panel of controls that scrolls up and down when the window is too short for it,
    never sideways: it asks for its content's whole width but only ``floor`` pixels of
    height, so a short screen shortens the panel instead of growing the window."""

    def __init__(self, content: QWidget, floor: int = 160, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.floor = floor
        self.setObjectName("side-panel-scroll")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)
        content.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        # the content's needs changed (a wider choice, larger type): tell our layout,
        # which a scroll area does not do by itself
        if obj is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(obj, event)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        inner = self.widget().minimumSizeHint().expandedTo(self.widget().minimumSize())
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.width() + bar + 2 * self.frameWidth(), min(self.floor, inner.height()))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        inner = self.widget().sizeHint()
        return QSize(self.minimumSizeHint().width(), inner.height() + 2 * self.frameWidth())


NBSP = "\u00a0"
#: U+2060 WORD JOINER, set after a prime: Qt breaks a line between "′" and "(" ("f′" | "(z)")
JOINER = "\u2060"


def _joined_to_what_follows(text: str) -> str:
    """Primes and slashes joined to what follows: Qt breaks a line after either ("f′" |
    "(z)", "m/" | "(1−β₁ᵗ)")."""
    return text.replace("′", "′" + JOINER).replace("/", "/" + JOINER)


def unbreakable(text: str) -> str:
    """``text`` (plain) that never wraps inside: its spaces non-breaking, its primes and slashes
    joined to what follows (a formula such as "σ′(z) = σ(z)(1 − σ(z))" or a term
    "m^ = m/(1−β₁ᵗ)" kept on one line)."""
    return _joined_to_what_follows(text.replace(" ", NBSP))


def formula_breaks(text: str, at_equals: bool = True) -> str:
    """``text`` (plain) with its spaces made unbreakable except where a formula may wrap:
    between terms (a run of spaces, or after ";" outside brackets) and, if
    ``at_equals``, after "=" or "←", before "+" or "−" and before a "[" outside
    parentheses and brackets. A narrow label so wraps between terms, never inside a
    number, a name or a bracket (the binary cross-entropy's "[y ln a +" | "(1 − y) …]"
    at 1024x768 in F5: its bracket is one unit); without ``at_equals`` each term
    ("m^ = m/(1−β₁ᵗ)", "g = (0.1, 0.2)") stays whole."""
    out, depth = [], 0
    for i, ch in enumerate(text):
        depth += ch in "(["
        depth -= ch in ")]"
        if ch != " ":
            out.append(ch)
            continue
        before, after = text[i - 1:i], text[i + 1:i + 2]
        if after == " ":   # a run of spaces keeps its width (in rich text too): breakable
            out.append(NBSP)   # at its last space only
            continue
        between = before in (" ", ";")
        inside = before in ("=", "←") or after in ("+", "−", "-", "[") and after != ""
        breakable = depth <= 0 and (between or at_equals and inside)
        out.append(" " if breakable else NBSP)
    return _joined_to_what_follows("".join(out))


def fit_combo(combo: QComboBox) -> None:
    """Keep ``combo`` at least as wide as its longest choice in its present type (Qt
    remembers the width it measured at the first show, before presentation mode)."""
    fm = combo.fontMetrics()
    text = max((fm.horizontalAdvance(combo.itemText(i)) for i in range(combo.count())),
               default=0)
    opt = QStyleOptionComboBox()
    combo.initStyleOption(opt)
    size = combo.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, opt,
                                          QSize(text, fm.height()), combo)
    combo.setMinimumWidth(size.width())


def remeasure_combo_boxes(root: QWidget) -> None:
    """Make every combo box under ``root`` measure its smallest size again in its present
    type. Qt forgets a combo box's size hint when its font changes but keeps its minimum
    size hint, and a Fixed-height box is never lower than that: a lab first shown in
    presentation mode kept 33-35 px boxes (for 24 px of text) after F5 was left. A style
    change makes a combo box forget both."""
    for combo in root.findChildren(QComboBox):
        QApplication.sendEvent(combo, QEvent(QEvent.Type.StyleChange))


class FittingStatusBar(QStatusBar):
    """A status bar whose passing messages never run into its permanent text (the step
    status). A message that fits left of the step status is shown there; a longer one
    takes the step status's place (the whole bar, cut in the middle only if even that is
    too narrow) until it times out, another message comes, or the step status changes
    once the message has been on screen (:meth:`permanent_changed`: the next step shows
    its status again). :meth:`show_fitting` shows the longest of a hint's variants that
    fits beside the step status instead."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # its own ground: a new step status repaints the bar, not the window under it
        self.setAutoFillBackground(True)
        self._permanent: list[QWidget] = []
        # the message shown by show_fitting: its variants, deadline and text shown
        self._fitting: tuple[list[str], float | None, str] | None = None
        # the message shown in the step status's place, the widgets it hid, and whether
        # it has been painted since
        self._replacing: str | None = None
        self._hidden: list[QWidget] = []
        self._painted = False
        self.messageChanged.connect(self._on_message_changed)

    def showMessage(self, text: str, timeout: int = 0) -> None:  # noqa: N802 - Qt API
        self._restore()
        fm = self.fontMetrics()
        if not text or fm.horizontalAdvance(text) <= self.message_room():
            super().showMessage(text, timeout)
            return
        self._hidden = [w for w in self._permanent if w.isVisible()]
        for w in self._hidden:
            w.hide()
        room = max(0, self.width() - 24)
        shown = text if fm.horizontalAdvance(text) <= room else \
            fm.elidedText(text, Qt.TextElideMode.ElideMiddle, room)
        self._replacing, self._painted = shown, False
        self.setToolTip(text)
        super().showMessage(shown, timeout)

    def replacing(self) -> bool:
        """Is a message shown in the step status's place?"""
        return self._replacing is not None

    def permanent_changed(self) -> None:
        """The step status changed: it comes back if a message took its place and has
        been seen (a change in the same event as the message, e.g. the lesson it opened
        or the edit it reports, leaves the message)."""
        if self._replacing is not None and self._painted:
            self.clearMessage()

    def _restore(self) -> None:
        if self._replacing is not None:
            self._replacing = None
            self.setToolTip("")
            for w in self._hidden:
                w.show()
            self._hidden = []

    def paintEvent(self, ev) -> None:  # noqa: N802 - Qt API
        super().paintEvent(ev)
        if self._replacing is not None:
            self._painted = True

    def addPermanentWidget(self, widget: QWidget, stretch: int = 0) -> None:  # noqa: N802
        self._permanent.append(widget)
        widget.installEventFilter(self)
        super().addPermanentWidget(widget, stretch)

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:  # noqa: N802 - Qt API
        # the step status grew (a step after the message was shown): fit the message again
        if ev.type() == QEvent.Type.Resize and self._fitting is not None:
            self._refit()
        return super().eventFilter(obj, ev)

    def _on_message_changed(self, text: str) -> None:
        if self._fitting is not None and text != self._fitting[2]:
            self._fitting = None   # timed out, cleared or replaced by another message
        if self._replacing is not None and text != self._replacing:
            self._restore()        # the step status is shown again

    def _refit(self) -> None:
        variants, deadline, _ = self._fitting
        left = None if deadline is None else int((deadline - time.monotonic()) * 1000)
        if left is None or left > 0:
            self.show_fitting(variants, left or 0)

    def message_room(self) -> int:
        """Pixels free for a message, left of the permanent widgets."""
        shown = [w for w in self._permanent if w.isVisible()]
        right = min((w.geometry().left() for w in shown), default=self.width())
        if shown:   # the permanent text's own width, also before the bar is laid out
            right = min(right, self.width() - sum(w.sizeHint().width() for w in shown) - 12)
        return max(0, right - 16)

    def show_fitting(self, variants: list[str], timeout: int = 0) -> None:
        """Show the first of ``variants`` (longest first) that fits, else the last cut."""
        self._restore()   # measured beside the step status
        fm, room = self.fontMetrics(), self.message_room()
        text = next((v for v in variants if fm.horizontalAdvance(v) <= room), None)
        if text is None:
            text = fm.elidedText(variants[-1], Qt.TextElideMode.ElideRight, room)
        self._fitting = None   # (showMessage below signals the change)
        super().showMessage(text, timeout)
        self._fitting = (variants, time.monotonic() + timeout / 1000 if timeout else None,
                         text)
