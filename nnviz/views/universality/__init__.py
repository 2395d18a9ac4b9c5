"""The universality lab: build steps, bumps and towers by hand and watch a network
with one hidden layer approximate any function (Nielsen ch. 4; notes 002)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.document import Document
from nnviz.controllers.lab_parts import UniversalityParts
from nnviz.views.fit import SidePanelScroll
from nnviz.views.items.math_text import minus_signs
from nnviz.views.lab_base import Lab
from nnviz.views.layouts import nest
from nnviz.views.safe_text import plain_label
from nnviz.views.style import Style
from nnviz.views.universality.controls import OneInputControls
from nnviz.views.universality.plots import OneInputPlots
from nnviz.views.universality.two_inputs import TwoInputPage

__all__ = ["UniversalityLab"]


class UniversalityLab(Lab):
    """One input (steps, bumps, ReLU, train from here) and two inputs (towers)."""

    name = "universality"
    title = "Universality"

    def __init__(self, doc: Document, parent: QWidget | None = None,
                 parts: UniversalityParts | None = None) -> None:
        super().__init__(doc, parent, parts)
        self.ctl = self.parts.ctl
        self.tabs = QTabWidget()
        self.setCentralWidget(self.tabs)

        page = QWidget()
        lay = QHBoxLayout(page)
        lay.setContentsMargins(4, 4, 4, 4)
        left = QVBoxLayout()
        self.caption = plain_label(QLabel())  # the lesson's text: never HTML
        self.caption.setWordWrap(True)
        self.caption.setObjectName("caption")
        left.addWidget(self.caption)
        self.plots = OneInputPlots(self.ctl)
        left.addWidget(self.plots, 1)
        nest(lay, left, 1)
        self.controls = OneInputControls(self.ctl)
        # as narrow as the controls allow: the plots take the rest of a projector's width
        scroll = SidePanelScroll(self.controls)
        scroll.setMaximumWidth(460)
        self._scroll = scroll
        lay.addWidget(scroll)
        self.tabs.addTab(page, "One input")
        self.two = TwoInputPage(self.ctl)
        self.tabs.addTab(self.two, "Two inputs: towers")
        self.tabs.currentChanged.connect(lambda _i: self.status.emit(self._status_text()))

        self.plots.neuron_selected.connect(self._on_neuron_selected)
        self.controls.neuron_selected.connect(self._on_neuron_selected)
        self.ctl.changed.connect(self._on_model_changed)
        self.ctl.message.connect(self.status.emit)
        self.ctl.message.connect(self.doc.message.emit)
        doc.lesson_changed.connect(self._on_lesson_changed)
        self._on_lesson_changed()
        self._on_model_changed()
        self.parts.attach(self)

    # ------------------------------------------------------------ selection and captions
    def _on_neuron_selected(self, j: int) -> None:
        j = max(0, min(int(j), self.ctl.net.n - 1))
        self.plots.select(j)
        self.controls.select(j)

    def _on_lesson_changed(self) -> None:
        lesson = self.doc.lesson
        if lesson is not None and lesson.lab == self.name:
            self.tabs.setCurrentIndex(1 if lesson.settings.get("page") == "towers" else 0)

    def _on_model_changed(self) -> None:
        caption = self.ctl.stage_caption()
        if not caption and self.doc.lesson is not None and self.doc.lesson.lab == self.name:
            caption = self.doc.lesson.title
        self.caption.setText(caption)
        self.caption.setVisible(bool(caption))
        self.status.emit(self._status_text())

    def _status_text(self) -> str:
        """What the status bar says of the tab shown (the towers tab said the one-input
        tab's "free mode · sigmoid · 20 hidden neurons")."""
        m = self.ctl.m
        if self.tabs.currentWidget() is self.two:
            return minus_signs(f"Universality · towers · {m.towers} per side · "
                               f"h = {m.gain:g}, b = {-1.5 * m.gain:g}")
        stage = f" · stage {m.stage + 1} of {len(m.stages)}" if m.stages else ""
        return (f"Universality · {m.mode} mode · {m.net.activation} · "
                f"{m.net.n} hidden neurons{stage}")

    # ------------------------------------------------------------ Lab hooks
    def activate(self) -> None:
        self._on_model_changed()

    def deactivate(self) -> None:
        self.ctl.playback.pause()

    def step_forward(self) -> None:
        """The lesson's next stage; in free mode on the one-input page, one gradient step.
        Otherwise nothing: a clicker key never switches the mode (training would switch
        bumps and steps to free mode) - the status bar says what to do instead."""
        m = self.ctl.m
        if m.stages and m.stage < len(m.stages) - 1:
            self.ctl.set_stage(m.stage + 1)
        elif self.tabs.currentIndex() == 0 and m.mode == "free":
            self.ctl.train_for(1)
        elif self.tabs.currentIndex() == 0:
            self.doc.message.emit(f"No next step in {m.mode} mode: drag a bar or a step, "
                                  "or press Train to let gradient descent move every "
                                  "weight (that switches to free mode)")
        else:
            self.doc.message.emit("No next step on the towers page: change the towers per "
                                  "side, the tower weight or the goal")

    def step_back(self) -> None:
        m = self.ctl.m
        if m.stages and m.stage > 0:
            self.ctl.set_stage(m.stage - 1)

    def caption_position(self) -> tuple[int, str]:
        """(0, "start") while the lab shows what the lesson set up (its page and mode, any
        of its stages, no training step yet), else (1, "changed"): "Each dashed line is a
        step neuron… Drag one." stayed up after training had switched to free mode and
        the dashed lines had gone."""
        lesson, m = self.doc.lesson, self.ctl.m
        if lesson is None or lesson.lab != self.name:
            return 0, "start"
        towers = lesson.settings.get("page") == "towers"
        if (self.tabs.currentWidget() is self.two) != towers:
            return 1, "changed"
        if towers:
            return 0, "start"
        opened = lesson.settings.get("mode", m.mode)
        # (training switches to free mode, and its undo back: a lesson opened in free mode
        # is as set up only until its first training step; its stages, which Next steps
        # through, are its set-up too: relu-approximation's caption speaks of both, and
        # the bar stood empty at its second)
        same = m.mode == opened and (opened != "free" or self.ctl.epochs == 0)
        return (0, "start") if same else (1, "changed")

    def caption_progress(self) -> tuple[int, float | None] | None:
        """Gradient steps taken (none once an undo has left free mode) and the score now,
        for ``when`` captions."""
        steps = self.ctl.epochs if self.ctl.m.mode == "free" else 0
        return steps, self.ctl.readouts.score()

    def advance(self, steps: int) -> None:
        """Go through the lesson's stages, then take the remaining steps as gradient steps."""
        steps = max(0, int(steps))
        m = self.ctl.m
        while steps and m.stages and self.ctl.m.stage < len(m.stages) - 1:
            self.ctl.set_stage(self.ctl.m.stage + 1)
            steps -= 1
        if steps:
            self.ctl.train_for(steps)

    def zoom(self, factor: float | None) -> None:
        self.plots.zoom(factor)

    def apply_style(self, style: Style) -> None:
        f = self.font()
        f.setPointSizeF(style.pt(10))
        self.setFont(f)
        cf = self.caption.font()
        cf.setPointSizeF(style.pt(13))
        self.caption.setFont(cf)
        self._scroll.setMaximumWidth(int(460 * style.scale))
        self.plots.apply_style(style)
        self.controls.apply_style(style)
        self.two.apply_style(style)

    def view_state(self) -> dict[str, Any]:
        return {"tab": self.tabs.currentIndex(), "selected": self.controls.selected}

    def apply_view_state(self, view: dict[str, Any]) -> None:
        self.tabs.setCurrentIndex(view["tab"])
        self._on_neuron_selected(view["selected"])

    def main_view(self) -> QWidget:
        return self.plots

    def stop_work(self) -> None:
        self.ctl.shutdown()
