"""A small stand-in lab for the window tests: it steps through the lesson's trace and
records every hook the main window calls."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView

from nnviz.engine.worked import lesson_trace
from nnviz.views.lab_base import Lab


class DummyLab(Lab):
    name = "dummy"
    title = "Dummy"

    def __init__(self, doc, parent=None) -> None:
        super().__init__(doc, parent)
        self.calls: list[tuple] = []
        self.styles: list = []
        self.k = 0
        self.costs: list[float] = []
        self.csv_paths: list[str] = []
        self.scene = QGraphicsScene(0, 0, 400, 300)
        self.scene.addEllipse(QRectF(50, 50, 120, 120), QPen(QColor("#0072B2"), 3),
                              QBrush(QColor("#E69F00")))
        self.scene.addText("h1 = 0.593269992")
        self.view = QGraphicsView(self.scene)
        self.setCentralWidget(self.view)
        doc.lesson_changed.connect(self._on_lesson_changed)

    def _on_lesson_changed(self) -> None:
        self.k = 0
        self.position_changed.emit()

    def _n(self) -> int:
        return len(lesson_trace(self.doc.lesson).steps) if self.doc.lesson else 0

    def step_forward(self) -> None:
        self.calls.append(("forward",))
        self.k = min(self.k + 1, self._n())
        self.costs.append(1.0 / (self.k + 3))
        self.status.emit(f"step {self.k}")

    def step_back(self) -> None:
        self.calls.append(("back",))
        self.k = max(0, self.k - 1)
        self.status.emit(f"step {self.k}")

    def zoom(self, factor) -> None:
        self.calls.append(("zoom", factor))

    def apply_style(self, style) -> None:
        self.styles.append(style)

    def caption_position(self) -> tuple[int, str]:
        if self.k == 0 or self.doc.lesson is None:
            return 0, "start"
        return self.k, lesson_trace(self.doc.lesson).steps[self.k - 1].phase

    def history(self):
        if not self.costs:
            return None
        return {"step": list(range(1, len(self.costs) + 1)), "cost": list(self.costs)}

    def state(self) -> dict[str, Any]:
        return {"k": self.k, "costs": list(self.costs)}

    def restore_state(self, state: dict[str, Any]) -> None:
        k = state.get("k", 0)
        costs = state.get("costs", [])
        if not isinstance(k, int) or k < 0 or not isinstance(costs, list):
            raise ValueError("k must be a whole number >= 0")
        if not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in costs):
            raise ValueError("costs must be numbers")
        self.k, self.costs = k, [float(c) for c in costs]
        self.position_changed.emit()

    def open_csv(self, path: str) -> bool:
        text = open(path, encoding="utf-8").read()
        if "bad" in text:
            raise ValueError("line 2: expected numbers")
        self.csv_paths.append(path)
        return True
