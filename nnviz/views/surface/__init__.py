"""The error-surface lab: the loss over two parameters of the real network (or a
plane through parameter space), gradient descent rolling down it, the
learning-slowdown comparison of two costs, and the optimiser race."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTabWidget, QWidget

from nnviz.controllers.document import Document
from nnviz.controllers.lab_parts import SurfaceParts
from nnviz.engine.teaching.captions import canonical
from nnviz.views.lab_base import Lab
from nnviz.views.style import Style, current_style
from nnviz.views.surface.page import SurfacePage
from nnviz.views.surface.race import RacePage
from nnviz.views.surface.slowdown import SlowdownPage

PAGES = ("surface", "slowdown", "race")


class SurfaceLab(Lab):
    """Error surface + descent path; second tab: learning slowdown."""

    name = "surface"
    title = "Error surface"

    def __init__(self, doc: Document, parent: QWidget | None = None,
                 parts: SurfaceParts | None = None) -> None:
        super().__init__(doc, parent, parts)
        self.controller = self.parts.controller
        self.slowdown = self.parts.slowdown
        self.racer = self.parts.racer
        self.tabs = QTabWidget()
        self.tabs.setObjectName("surface-tabs")
        self.page = SurfacePage(self.controller)
        self.slow_page = SlowdownPage(self.slowdown)
        self.tabs.addTab(self.page, "Error surface")
        self.tabs.addTab(self.slow_page, "Learning slowdown")
        self.race_page = RacePage(self.racer)
        self.tabs.addTab(self.race_page, "Optimiser race")
        self.racer.message.connect(self.status)
        self.racer.race_changed.connect(self._emit_status)
        self.setCentralWidget(self.tabs)
        self.controller.message.connect(self.status)
        self.controller.path_changed.connect(self._emit_status)
        self.slowdown.changed.connect(self._emit_status)
        self.tabs.currentChanged.connect(self._emit_status)
        doc.lesson_changed.connect(self._on_lesson_changed)
        self._on_lesson_changed()
        self.apply_style(current_style())
        self.parts.attach(self)

    def _on_lesson_changed(self) -> None:
        lesson = self.doc.lesson
        mode = lesson.settings.get("mode") if lesson is not None else None
        if mode == "race":
            try:
                self.racer.apply_settings(lesson.settings.get("race", {}))
            except ValueError as e:
                self.status.emit(f"Race settings ignored: {e}")
        self.tabs.setCurrentIndex({"slowdown": 1, "race": 2}.get(mode, 0))

    @property
    def page_name(self) -> str:
        return PAGES[self.tabs.currentIndex()]

    def _emit_status(self) -> None:
        c = self.controller
        if self.page_name == "slowdown":
            s = self.slowdown
            self.status.emit(f"Learning slowdown · epoch {s.epochs}")
        elif self.page_name == "race":
            steps = max((r.steps for r in self.racer.race.racers), default=0)
            self.status.emit(f"Optimiser race · {self.racer.surface.title} · step {steps}")
        elif c.costs:
            self.status.emit(f"Error surface · step {c.steps} · loss {c.costs[-1]:.6g}")

    # -- hooks -------------------------------------------------------------
    def activate(self) -> None:
        self.parts.set_active(True)

    def deactivate(self) -> None:
        self.parts.set_active(False)   # no grids for lessons opened elsewhere

    def step_forward(self) -> None:
        if self.page_name == "race":
            self.racer.step(1)
        elif self.page_name == "slowdown":
            self.slowdown.step(1)
        else:
            self.controller.step(1)

    def step_back(self) -> None:
        if self.page_name in ("slowdown", "race"):
            return
        self.controller.step_back()

    def advance(self, steps: int) -> None:
        """``steps`` descent steps at once, then wait for the surface (screenshots)."""
        if self.page_name == "race":
            if steps > 0:
                self.racer.step(steps)
            self.racer.wait_idle()
        elif self.page_name == "slowdown":
            self.slowdown.step(max(0, steps))
            self.slowdown.wait_idle()
        else:
            if steps > 0:
                self.controller.step(steps)
                if self.controller.mode == "pca":  # the plane of the path just taken
                    self.controller.request_grid()
            self.controller.wait_idle()

    def zoom(self, factor: float | None) -> None:
        maps = {"surface": (self.page.heatmap,), "race": (self.race_page.map,)}.get(
            self.page_name, tuple(self.slow_page.maps))
        for m in maps:
            if factor is None:
                m.reset_view()
            else:
                m.zoom(factor)

    def apply_style(self, style: Style) -> None:
        font = QFont(self.font())
        font.setPointSizeF(style.pt(10))
        self.setFont(font)
        self.page.apply_style(style)
        self.slow_page.apply_style(style)
        self.race_page.apply_style(style)

    def view_state(self) -> dict[str, Any]:
        return {"page": self.page_name}

    def apply_view_state(self, view: dict[str, Any]) -> None:
        self.tabs.setCurrentIndex(PAGES.index(view["page"]))

    def caption_progress(self) -> tuple[int, float | None] | None:
        """Descent step and loss (the slowdown page: its epoch) for ``when`` captions."""
        if self.page_name == "slowdown":
            return self.slowdown.epochs, None
        c = self.controller
        return c.steps, (c.costs[-1] if c.costs else None)

    def caption_values(self) -> dict[str, float] | None:
        """{step}, {loss} and the network's parameters by name ({w}, {b}) for templates."""
        c = self.controller
        if self.page_name == "slowdown":
            return {"step": float(self.slowdown.epochs), "epoch": float(self.slowdown.epochs)}
        vals = {"step": float(c.steps)}
        if c.costs:
            vals["loss"] = c.costs[-1]
        if c.net is not None and len(c.param_list.refs()) <= 200:
            for ref, name in zip(c.param_list.refs(), c.param_list.names()):
                vals[canonical(name)] = ref.get(c.net)
        return vals

    def main_view(self) -> QWidget:
        return self.tabs.currentWidget()

    def stop_work(self) -> None:
        self.controller.shutdown()
        self.slowdown.shutdown()
        self.racer.shutdown()
