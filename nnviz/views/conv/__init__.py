"""The Convolution lab (notes 002): a kernel sliding over an image one position at a
time, ReLU and pooling stepped the same way, k kernels giving k feature maps; and the
small CNN learning the digits live.

Keys: Right/Space/PgDown next position, Left/Backspace/PgUp back, Shift+Right finish
the row, Ctrl+Right the whole map (again: the whole pooled map, then the backward pass
of the pooling and of the convolution), Home start; K / Shift+K bring another feature
map to the front; on the CNN page the clicker keys train one mini-batch and P plays or
pauses.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTabWidget, QWidget

from nnviz.controllers.document import Document
from nnviz.controllers.lab_parts import ConvParts
from nnviz.views.coalesce import Coalescer
from nnviz.views.conv.cnn_page import CNNPage
from nnviz.views.conv.conv_page import ConvPage
from nnviz.views.lab_base import Lab
from nnviz.views.reveal_bar import LabReveal
from nnviz.views.style import Style

PAGES = ("conv", "cnn")


class ConvLab(Lab):
    """Two tabs: the stepped convolution and the live CNN."""

    name = "conv"
    title = "Convolution"

    def __init__(self, doc: Document, parent: QWidget | None = None,
                 parts: ConvParts | None = None) -> None:
        super().__init__(doc, parent, parts)
        self.ctl = self.parts.ctl
        self.cnn = self.parts.cnn
        self.conv_page = ConvPage(self.ctl)
        self.cnn_page = CNNPage(self.cnn)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("conv-tabs")
        self.tabs.addTab(self.conv_page, "Convolution, step by step")
        self.tabs.addTab(self.cnn_page, "A CNN learns the digits")
        self.setCentralWidget(self.tabs)
        self._refresher = Coalescer(self._refresh, self)
        self.ctl.changed.connect(self._refresher.request)
        self.ctl.page_requested.connect(self.show_page)
        self.cnn.trained.connect(lambda: self.status.emit(self._status_text()))
        self.cnn.message.connect(doc.message)
        self.tabs.currentChanged.connect(lambda _i: self._on_moved())
        self._build_actions()
        self.reveal = LabReveal(self, getattr(parent, "reveal", None), self._question)
        self.reveal.rc.changed.connect(self._refresher.request)
        self.reveal.said.connect(self._refresher.request)   # the caption says the verdict
        self.conv_page.set_reveal(self.reveal)
        doc.lesson_changed.connect(self._on_lesson_changed)
        if doc.lesson is not None and doc.lesson.lab == "conv":
            self.ctl._on_lesson_changed()
        self.parts.attach(self)

    def _build_actions(self) -> None:
        self.act_row = self._action("Finish the row", self._finish_row, "Shift+Right",
                                    "Finish the output row")
        self.act_map = self._action("Whole map", self._finish_map, "Ctrl+Right",
                                    "The whole map (again: pooled, then backward)")
        self.act_home = self._action("Start", self.ctl.restart, "Home", "Back to the start")
        self.act_next_map = self._action("Next map", lambda: self._bring_forward(1), "K",
                                         "Next feature map")
        self.act_prev_map = self._action("Previous map", lambda: self._bring_forward(-1),
                                         "Shift+K", "Previous feature map")
        self.act_play = self._action("Train / pause", self.cnn.playback.toggle, "P",
                                     "Train or pause the CNN")
        self.act_settings = self._action("Settings panel", self._toggle_settings, "S",
                                         "Show or hide the settings (hidden in presentation "
                                         "mode, for room)")

    def _question(self):
        """Predict, then reveal: the result of the position shown. Forward: the output
        cell (or pooled cell); backward: δp routed through the pooling, then δ of the
        output cell (its share of ∂C/∂w and ∂C/∂b follow from it)."""
        if self.page != "conv":
            return None
        c = self.ctl
        key = (self._lesson_name(), "conv", c.k)
        pb, cb = c.pool_back_cell(), c.conv_back_cell()
        if pb is not None:
            return key, f"δp({pb.row + 1},{pb.col + 1})", pb.delta
        if cb is not None:
            return key, f"δ({cb.row + 1},{cb.col + 1})", cb.delta
        pc = c.pool_cell()
        if pc is not None:
            return key, f"pooled({pc.row + 1},{pc.col + 1})", pc.value
        cell = c.cell()
        if cell is None:
            return None
        return key, f"out({cell.row + 1},{cell.col + 1})", cell.value

    def _lesson_name(self) -> str:
        return self.doc.lesson.name if self.doc.lesson is not None else ""

    def predict_mode_text(self) -> str:
        return ("Predict mode on: each position's result is hidden until a guess is right "
                "or R reveals it (→ steps)")

    def reveal_current(self) -> bool:
        return self.reveal.reveal()

    def result_hidden(self) -> bool:
        return self.reveal.hidden()

    # ------------------------------------------------------------ pages
    def show_page(self, name: str) -> None:
        if name not in PAGES:
            raise ValueError(f"unknown page {name!r}; choose one of {', '.join(PAGES)}")
        self.tabs.setCurrentIndex(PAGES.index(name))

    @property
    def page(self) -> str:
        return PAGES[self.tabs.currentIndex()]

    def _on_lesson_changed(self) -> None:
        lesson = self.doc.lesson
        if lesson is not None and lesson.lab == "conv":
            s = self.ctl.setup
            self.cnn.configure(s.cnn_kernels, s.cnn_pool, s.cnn_lr, s.cnn_seed)

    def _refresh(self) -> None:
        self.conv_page.refresh()
        self.reveal.sync()
        self.conv_page.fit_reveal()
        self._on_moved()

    def _on_moved(self) -> None:
        self.status.emit(self._status_text())
        self.position_changed.emit()

    def _status_text(self) -> str:
        if self.page == "cnn":
            t = self.cnn.trainer
            acc = t.history[-1].test_accuracy if t.history else None
            return (f"CNN · epoch {t.epochs} · batch {t.steps}"
                    + (f" · test accuracy {100 * acc:.1f} %" if acc is not None else ""))
        return self.conv_page.status_text()

    # ------------------------------------------------------------ hooks
    def activate(self) -> None:
        self.tabs.currentWidget().setFocus()

    def deactivate(self) -> None:
        self.cnn.playback.pause()

    def step_forward(self) -> bool:
        if self.page == "cnn":
            self.cnn.step(1)
            return True
        return self.ctl.step_forward()

    def step_back(self) -> bool:
        return self.page == "conv" and self.ctl.step_back()

    def advance(self, steps: int) -> None:
        """``steps`` positions at once (screenshots); on the CNN page, mini-batches."""
        if self.page == "cnn":
            if steps > 0:
                self.cnn.step(steps)
        else:
            self.ctl.go_to(self.ctl.k + max(0, steps))
        self._refresher.cancel()
        self._refresh()

    def zoom(self, factor: float | None) -> None:
        """Ctrl+= / Ctrl+- zoom the page's pictures (cells and numbers grow), Ctrl+0 fits."""
        self.tabs.currentWidget().zoom_area.zoom(factor)

    def _bring_forward(self, d: int) -> None:
        """The next (previous) kernel's map to the front of the stack (on the first page,
        it is the map stepped now)."""
        if self.page == "cnn":
            self.cnn.bring_forward(d)
            return
        s = self.ctl.setup
        self.ctl.set_active((s.active + d) % len(s.kernels))

    def _finish_row(self) -> None:
        if self.page == "conv":
            self.ctl.finish_row()

    def _finish_map(self) -> None:
        if self.page == "conv":
            self.ctl.finish_map()
        else:
            self.cnn.run_epoch()      # in timer slices, never one long block

    def _toggle_settings(self) -> None:
        scroll = self.conv_page.scroll
        scroll.setVisible(not scroll.isVisibleTo(self.conv_page))

    def caption_position(self) -> tuple[int, str]:
        """Positions shown (pooling windows on a pooling lesson; batches on the CNN page)."""
        if self.page == "cnn":
            k = self.cnn.trainer.steps
        elif self.ctl.setup.page == "pool":
            k = self.ctl.shown_pool()
        else:
            k = self.ctl.k
        if k == 0:
            return 0, "start"
        return k, ("backward" if self.page == "conv" and self.ctl.backward else "forward")

    def caption_hold_from(self) -> int:
        """A caption describes the positions after it, until the next, within its pass
        (the forward pass's captions do not run on into the backward pass)."""
        backward = self.caption_position()[1] == "backward"
        return self.ctl.n_forward + 1 if backward else 1

    def apply_style(self, style: Style) -> None:
        font = QFont(self.font())
        font.setPointSizeF(style.pt(10))
        self.tabs.setFont(font)
        for page in (self.conv_page, self.cnn_page):
            page.setFont(font)
            page.apply_style(style)
        self.reveal.bar.apply_style(style)
        self.conv_page.scroll.setVisible(not style.presentation)   # S shows it again

    def view_state(self) -> dict[str, Any]:
        return {"page": self.page}

    def apply_view_state(self, view: dict[str, Any]) -> None:
        self.show_page(view["page"])

    def history(self) -> dict[str, list[float]] | None:
        h = self.cnn.trainer.history
        if not h:
            return None
        return {"epoch": [float(r.epoch) for r in h], "cost": [r.cost for r in h],
                "train_accuracy": [r.train_accuracy for r in h],
                "test_accuracy": [r.test_accuracy for r in h]}

    def worked_markdown(self) -> str:
        """File > Export > Worked example: every cell of the set-up shown, and the pooling."""
        from nnviz.engine.labs.conv_worked import conv_markdown

        lesson = self.doc.lesson
        setup = self.ctl.setup
        if self.page == "cnn":
            from dataclasses import replace

            c = self.cnn
            setup = replace(setup, page="cnn", cnn_kernels=c.kernels, cnn_pool=c.pool)
        return conv_markdown(setup, lesson.title if lesson and lesson.lab == "conv" else
                             "Convolution", "")

    def main_view(self) -> QWidget:
        return self.tabs.currentWidget()

    def stop_work(self) -> None:
        self.cnn.playback.pause()
        self._refresher.cancel()
