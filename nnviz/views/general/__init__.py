"""The Generalisation lab (notes 002 and 003): bias and variance, why regularisation
helps, L1 against L2, more data, dropout as an ensemble, data augmentation and transfer
learning — one tab each.

Keys: P trains or pauses the tab's experiment, N resamples the K training sets (bias and
variance); the clicker keys (Right/Space/PgDown, Left/PgUp) move λ or the degree on the
polynomial tabs and train or pause on the others.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTabWidget, QWidget

from nnviz.controllers.document import Document
from nnviz.controllers.lab_parts import GeneralParts
from nnviz.engine.labs.general_setup import PAGE_TITLES, PAGES, TAB_TITLES
from nnviz.views.coalesce import Coalescer
from nnviz.views.general.bv_page import BiasVariancePage
from nnviz.views.general.common import Page
from nnviz.views.general.data_pages import AugmentationPage, MoreDataPage, TransferPage
from nnviz.views.general.dropout_page import DropoutPage
from nnviz.views.general.l1l2_page import L1L2Page
from nnviz.views.general.reg_page import RegularisationPage, lambda_to_slider, slider_to_lambda
from nnviz.views.lab_base import Lab
from nnviz.views.style import Style

#: page -> its class, one for each of PAGES
PAGE_CLASSES: dict[str, type[Page]] = {
    "bias-variance": BiasVariancePage,
    "regularisation": RegularisationPage,
    "l1-l2": L1L2Page,
    "more-data": MoreDataPage,
    "dropout": DropoutPage,
    "augmentation": AugmentationPage,
    "transfer": TransferPage,
}


class GeneralLab(Lab):
    """One tab per generalisation topic."""

    name = "general"
    title = "Generalisation"

    def __init__(self, doc: Document, parent: QWidget | None = None,
                 parts: GeneralParts | None = None) -> None:
        super().__init__(doc, parent, parts)
        self.ctl = self.parts.ctl
        self.tabs = QTabWidget()
        self.tabs.setObjectName("general-tabs")
        self.tabs.setUsesScrollButtons(True)
        self.pages: dict[str, Page] = {}
        for name in PAGES:
            page = PAGE_CLASSES[name](self.ctl)
            self.pages[name] = page
            self.tabs.addTab(page, TAB_TITLES[name])
            self.tabs.setTabToolTip(self.tabs.count() - 1, PAGE_TITLES[name])
        self.setCentralWidget(self.tabs)
        self._refresher = Coalescer(self._refresh, self)
        # one redraw for a burst of changes (a lesson: settings, tab, show); none while hidden
        self.ctl.changed.connect(self._refresher.request)
        for runner in self.ctl.runners.values():   # status and captions follow a run
            runner.playing_changed.connect(lambda _on: self._moved())
            runner.finished.connect(lambda _v: self._moved())
        self.ctl.page_requested.connect(self.show_page)
        self.tabs.currentChanged.connect(self._on_tab)
        self._build_actions()
        doc.lesson_changed.connect(self._on_lesson_changed)
        self._on_lesson_changed()
        self._refresh()
        self.parts.attach(self)

    def _build_actions(self) -> None:
        self.act_play = self._action("Train / pause", self._toggle, "P",
                                     "Train or pause the experiment")
        self.act_resample = self._action("Resample", self.ctl.new_samples, "N",
                                         "Draw K new training sets (bias and variance)")

    # ------------------------------------------------------------ pages
    @property
    def page(self) -> str:
        w = self.tabs.currentWidget()
        return next((n for n, p in self.pages.items() if p is w), PAGES[0])

    def show_page(self, name: str) -> None:
        if name not in PAGES:
            raise ValueError(f"unknown page {name!r}; choose one of {', '.join(PAGES)}")
        self.tabs.setCurrentWidget(self.pages[name])

    def _on_tab(self, _i: int) -> None:
        # a hidden tab costs nothing: only the shown tab's experiment may run
        for name, r in self.ctl.runners.items():
            if name != self.page:
                r.pause()
        if self.ctl.setup.page != self.page:
            self.ctl.set(page=self.page)
        self._redraw_now()

    def _on_lesson_changed(self) -> None:
        lesson = self.doc.lesson
        if lesson is None or lesson.lab != self.name:
            return
        self.show_page(self.ctl.setup.page)   # the parts took the lesson's settings

    def _refresh(self) -> None:
        self.pages[self.page].request_refresh()
        self._moved()

    def _redraw_now(self) -> None:
        """Redraw at once (a tab or the lab was just shown); a coalesced request waiting
        is part of it."""
        self._refresher.cancel()
        self._refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self.pages[self.page].stale or self._refresher.pending():
            self._redraw_now()              # changed while hidden: redrawn as it is seen

    def _moved(self) -> None:
        self.status.emit(self._status_text())
        self.position_changed.emit()

    def _status_text(self) -> str:
        s = self.ctl.setup
        if self.page == "bias-variance":
            r = self.ctl.shown_resampled()
            model = (f"degree {s.degree}" if s.model == "polynomial"
                     else f"network, {s.hidden} hidden")
            numbers = "" if r is None else f" · bias² {r.bias2:.4g} · variance {r.variance:.4g}"
            return f"Bias and variance · {model} · K = {s.k} sets of {s.n}{numbers}"
        if self.page == "regularisation":
            return f"Why regularisation helps · degree {s.reg_degree} · λ = {s.reg_lambda:.3g}"
        r = self.ctl.runners[self.page]
        state = "training" if r.playing else ("done" if r.done else
                                             ("paused" if r.value is not None else "P trains"))
        return f"{PAGE_TITLES[self.page]} · {state}"

    # ------------------------------------------------------------ hooks
    def activate(self) -> None:
        self.tabs.currentWidget().setFocus()

    def deactivate(self) -> None:
        self.ctl.pause_all()

    def _toggle(self) -> None:
        if self.page in self.ctl.runners:
            self.ctl.train_or_pause(self.page)

    def step_forward(self) -> bool:
        return self._step(+1)

    def step_back(self) -> bool:
        return self._step(-1)

    def _step(self, d: int) -> bool:
        s = self.ctl.setup
        if self.page == "regularisation":
            v = min(max(lambda_to_slider(s.reg_lambda) + 10 * d, 0), 91)
            self.ctl.set(reg_lambda=slider_to_lambda(v))
            return True
        if self.page == "bias-variance":
            if s.model == "polynomial":
                self.ctl.set(degree=min(max(s.degree + d, 0), 15))
            else:
                self.ctl.set(hidden=min(max(s.hidden + d, 1), 50))
            return True
        if d > 0 and self.page in self.ctl.runners:
            self.ctl.train_or_pause(self.page)
            return True
        return False

    def advance(self, steps: int) -> None:
        """Screenshots: ``steps`` > 0 runs the tab's experiment to its end."""
        if steps > 0 and self.page in self.ctl.runners:
            r = self.ctl.runners[self.page]
            if r.value is None or r.done:
                self.ctl.start(self.page)
            r.finish()
        self._refresher.cancel()
        self._refresh()

    def caption_position(self) -> tuple[int, str]:
        r = self.ctl.runners.get(self.page)
        k = 1 if r is not None and r.value is not None else 0
        return k, ("start" if k == 0 else "result")

    def apply_style(self, style: Style) -> None:
        font = QFont(self.font())
        font.setPointSizeF(style.pt(10))
        self.tabs.setFont(font)
        for page in self.pages.values():
            page.setFont(font)
            page.apply_style(style)

    def apply_view_state(self, view: dict[str, Any]) -> None:
        self.show_page(self.ctl.setup.page)   # the tab is one of the controller's settings

    def history(self) -> dict[str, list[float]] | None:
        """File > Export > History as CSV: the shown tab's curve as columns."""
        if self.page not in self.ctl.runners:
            return None
        v = self.ctl.result(self.page)
        page = self.page
        if page == "bias-variance" and hasattr(v, "degrees"):
            return {"degree": [float(d) for d in v.degrees], "train_mse": list(map(float, v.train)),
                    "test_mse": list(map(float, v.test)), "bias2": list(map(float, v.bias2)),
                    "variance": list(map(float, v.variance))}
        if page == "more-data" and v is not None and v.sizes:
            return {"n": [float(n) for n in v.sizes], "train_accuracy": list(v.train),
                    "test_accuracy": list(v.test)}
        if page in ("augmentation", "transfer") and v is not None and v.a:
            names = {"augmentation": ("without_augmentation", "with_augmentation"),
                     "transfer": ("from_scratch", "transfer")}[page]
            k = min(len(v.a), len(v.b))
            return {"epoch": [float(e) for e in range(1, k + 1)], names[0]: v.a[:k],
                    names[1]: v.b[:k]}
        return None

    def main_view(self) -> QWidget:
        return self.tabs.currentWidget()

    def stop_work(self) -> None:
        self.ctl.pause_all()
        self._refresher.cancel()
