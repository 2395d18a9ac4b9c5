"""The Training lab's side panel as wide as its controls at the type size shown."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt

from nnviz.views.coalesce import Coalescer


class SideWidth(QObject):
    """Keeps ``lab``'s side panel (its scroll area ``_side_scroll`` in the dock ``dock``)
    wide enough for its controls: every box at its preferred width (buttons and fields
    unclipped; a box whose preferred width is a long line of text wraps it instead), and
    never narrower than the boxes' least width. :meth:`fit` is called once every box has
    its new type (measured before the batch-norm box had F5's, the docked panel at
    1366x768 and 1920x1080 cut "1 batch", "◀ Back" and "Revert" by up to 80 px), and runs
    again whenever the panel's content is laid out anew (a box added, a text changed)."""

    def __init__(self, lab) -> None:
        super().__init__(lab)
        self.lab = lab
        self._again = Coalescer(self.fit, self)   # once per event, however many requests
        lab._side_scroll.widget().installEventFilter(self)

    def fit(self) -> None:
        lab = self.lab
        scroll = lab._side_scroll
        lay = scroll.widget().layout()
        lay.activate()
        box_w = max((min(b.sizeHint().width(), int(1.3 * b.minimumSizeHint().width()))
                     for b in lab.side_boxes), default=0)
        m = lay.contentsMargins()
        content = max(box_w + m.left() + m.right(), scroll.widget().minimumSizeHint().width())
        need = content + scroll.verticalScrollBar().sizeHint().width() + 2 * scroll.frameWidth()
        need = int(max(300 * min(lab.style_.scale, 1.2), need))
        if need != scroll.minimumWidth():
            scroll.setMinimumWidth(need)
            lab.resizeDocks([lab.dock], [need], Qt.Orientation.Horizontal)
            lab._fit_panel()    # is there room for it beside the network still?

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LayoutRequest:
            self._again.request()
        return False
