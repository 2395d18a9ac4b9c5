"""The Neuron lab: one neuron before networks (notes 001–003).

Pages: the McCulloch–Pitts unit, the perceptron with its learning rule on the plane,
perceptron vs sigmoid neuron, the activation gallery, softmax.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTabWidget, QWidget

from nnviz.controllers.document import Document
from nnviz.controllers.lab_parts import NeuronParts
from nnviz.views.lab_base import Lab
from nnviz.views.neuron.functions_pages import ComparePage, SoftmaxPage
from nnviz.views.neuron.gallery_page import GalleryPage
from nnviz.views.neuron.mp_page import MPPage
from nnviz.views.neuron.perceptron_page import PerceptronPage
from nnviz.views.reveal_bar import LabReveal
from nnviz.views.style import Style

PAGES = ("mp", "perceptron", "compare", "gallery", "softmax")
STATUS = {"idle": "ready", "learning": "learning", "converged": "converged",
          "cycle": "not linearly separable: never converges", "limit": "stopped",
          "empty": "no points"}


class NeuronLab(Lab):
    """Tabs over one NeuronController (and its FunctionsController)."""

    name = "neuron"
    title = "Neuron"

    def __init__(self, doc: Document, parent: QWidget | None = None,
                 parts: NeuronParts | None = None) -> None:
        super().__init__(doc, parent, parts)
        self.ctl = self.parts.ctl
        self.mp_page = MPPage(self.ctl)
        self.perceptron_page = PerceptronPage(self.ctl)
        self.compare_page = ComparePage(self.ctl.functions)
        self.gallery_page = GalleryPage(self.ctl.functions)
        self.softmax_page = SoftmaxPage(self.ctl.functions)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("neuron-tabs")
        for page, text in ((self.mp_page, "McCulloch–Pitts"),
                           (self.perceptron_page, "Perceptron"),
                           (self.compare_page, "Perceptron vs sigmoid"),
                           (self.gallery_page, "Activation gallery"),
                           (self.softmax_page, "Softmax")):
            self.tabs.addTab(page, text)
        self.tabs.setCurrentWidget(self.perceptron_page)
        self.setCentralWidget(self.tabs)
        self.perceptron_page.open_lesson.connect(self._open_lesson)
        self.ctl.message.connect(self.status.emit)
        self.ctl.learning_changed.connect(self._on_learning_changed)
        self.tabs.currentChanged.connect(lambda _i: self._on_learning_changed())
        doc.lesson_changed.connect(self._on_lesson_changed)
        self.reveal = LabReveal(self, getattr(parent, "reveal", None), self._question)
        self.reveal.rc.changed.connect(self._on_reveal_changed)
        self.perceptron_page.set_reveal(self.reveal)
        if doc.lesson is not None:
            self.ctl._on_lesson_changed()
            self._on_lesson_changed()
        self.parts.attach(self)

    # ------------------------------------------------------------ lessons
    def _on_lesson_changed(self) -> None:
        lesson = self.doc.lesson
        if lesson is None or lesson.lab != "neuron":
            return
        page = lesson.settings.get("page") if isinstance(lesson.settings, dict) else None
        self.show_page(page if page in PAGES else "perceptron")

    def show_page(self, name: str) -> None:
        if name not in PAGES:
            raise ValueError(f"unknown page {name!r}; choose one of {', '.join(PAGES)}")
        self.tabs.setCurrentIndex(PAGES.index(name))

    @property
    def page(self) -> str:
        return PAGES[self.tabs.currentIndex()]

    def _open_lesson(self, name: str) -> None:
        win = self.window()
        if hasattr(win, "nav"):          # a lesson switch: the lesson left is kept as it is
            win.nav.go(name)
        elif hasattr(win, "open_lesson"):
            win.open_lesson(name)
        else:
            self.doc.try_load_lesson(name)

    def _on_learning_changed(self) -> None:
        c = self.ctl
        if self.page == "perceptron":
            self.status.emit(f"Perceptron learning rule · iteration {c.run.cursor} · "
                             f"{c.run.updates()} updates · {STATUS.get(c.status(), '')}")
        else:
            self.status.emit(self.tabs.tabText(self.tabs.currentIndex()))

    # ------------------------------------------------------------ predict, then reveal
    def _question(self):
        """The learning rule's w·x for the point just picked (perceptron page)."""
        s = self.ctl.run.last_step() if self.page == "perceptron" else None
        if s is None:
            return None
        lesson = self.doc.lesson.name if self.doc.lesson is not None else ""
        return (lesson, "perceptron", self.ctl.seed, self.ctl.run.cursor), "w·x", s.wx

    def _on_reveal_changed(self) -> None:
        self.perceptron_page._on_perceptron_changed()   # the step's new weights, shown now
        self.perceptron_page._on_learning_changed()
        self.position_changed.emit()

    def predict_mode_text(self) -> str:
        return ("Predict mode on: on the Perceptron tab each learning step's w·x is hidden "
                "until a guess is right or R reveals it (→ steps)")

    def reveal_current(self) -> bool:
        return self.reveal.reveal()

    def result_hidden(self) -> bool:
        return self.reveal.hidden()

    # ------------------------------------------------------------ hooks
    def deactivate(self) -> None:
        self.ctl.playback.pause()

    def step_forward(self) -> bool:
        """Clicker 'next' on the current page: a learning step, the next activation or MP
        preset or w + 0.1 (perceptron vs sigmoid); nothing on the softmax page (says so)."""
        return self._step(1)

    def step_back(self) -> bool:
        return self._step(-1)

    def _step(self, d: int) -> bool:
        f = self.ctl.functions
        if self.page == "gallery":
            self.gallery_page.select(d)
        elif self.page == "mp":
            self._next_mp(d)
        elif self.page == "compare":
            f.set_compare_w(round(min(5.0, max(-3.0, f.compare_w + 0.1 * d)), 10))
        elif self.page == "softmax":
            # c is the lesson's setting, not a step: a clicker key leaves it alone
            self.doc.message.emit("No next step on the softmax page: drag the z sliders "
                                  "or change c")
            return False
        else:
            return self.ctl.step_forward() if d > 0 else self.ctl.step_back()
        return True

    def advance(self, steps: int) -> None:
        """``steps`` clicker steps at once (screenshots: the plane mid-learning)."""
        for _ in range(max(0, steps)):
            if not self.step_forward():
                break
        self.perceptron_page.flush()
        self.gallery_page.flush()

    def _next_mp(self, d: int) -> None:
        from nnviz.engine.labs.neuron import MP_PRESETS

        names = list(MP_PRESETS)
        i = names.index(self.ctl.mp_preset) if self.ctl.mp_preset in names else -d
        self.ctl.set_mp_preset(names[(i + d) % len(names)])

    def zoom(self, factor: float | None) -> None:
        if factor is None:
            self.perceptron_page.reset_zoom()
        else:
            self.perceptron_page.zoom(factor)

    def apply_style(self, style: Style) -> None:
        from PySide6.QtGui import QFont

        font = QFont(self.font())
        font.setPointSizeF(style.pt(10))
        self.tabs.setFont(font)
        for page in (self.mp_page, self.perceptron_page, self.compare_page, self.gallery_page,
                     self.softmax_page):
            page.setFont(font)
            page.apply_style(style)
        self.reveal.bar.apply_style(style)

    def caption_progress(self) -> tuple[int, float | None] | None:
        """The perceptron learning rule's iteration, for ``when`` captions."""
        return (self.ctl.run.cursor if self.page == "perceptron" else 0), None

    def caption_values(self) -> dict[str, float] | None:
        """The perceptron's live weights and bias ({w1}, {w2}, {b}), its iteration ({step})
        and updates so far ({updates}), for caption templates."""
        c = self.ctl
        return {"w1": float(c.w[0]), "w2": float(c.w[1]), "b": float(c.b),
                "step": float(c.run.cursor), "updates": float(c.run.updates())}

    def view_state(self) -> dict[str, Any]:
        return {"page": self.page}

    def apply_view_state(self, view: dict[str, Any]) -> None:
        self.show_page(view["page"])

    def main_view(self) -> QWidget:
        return self.tabs.currentWidget()

    def stop_work(self) -> None:
        self.ctl.playback.pause()
