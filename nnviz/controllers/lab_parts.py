"""Each lab's controllers, made in one place (by the :class:`~nnviz.controllers.session.Session`)
before the lab's page is, and the lab's part of a workspace read from and written to them.

A lab's parts keep, besides its controllers, the few choices only its page shows (a tab,
a check box) as plain values in ``view``: a workspace can then be saved and opened while
the page has never been built. A page that exists is asked for them (``view_state()``)
and told them (``apply_view_state(view)``) through a weak reference, so the parts never
keep a page alive (no cycle between a page and its controllers that only the garbage
collector could break).
"""

from __future__ import annotations

import weakref
from typing import Any

from PySide6.QtCore import QObject

from nnviz.controllers.document import Document
from nnviz.engine.files.validate import FormatError


def _no_page() -> None:
    return None


class LabParts(QObject):
    """A lab's controllers and its workspace state. Subclasses make the controllers."""

    name = ""
    what = ""   # the lab as error messages name it
    RUN = ""    # the controller (attribute) whose in-memory run progress() copies
    #: the page-only choices and their values before any workspace says otherwise
    VIEW_DEFAULTS: dict[str, Any] = {}

    def __init__(self, doc: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.view: dict[str, Any] = dict(self.VIEW_DEFAULTS)
        self._view_pending = False   # a workspace's choices wait for the page to be built
        self._page = _no_page
        doc.lesson_changed.connect(self._on_lesson_changed)

    # ------------------------------------------------------------ the page, if built
    def attach(self, page) -> None:
        """``page`` shows these parts (held weakly). The choices of a workspace opened
        before it was built are shown; else the page's own (its lesson's) are kept."""
        self._page = weakref.ref(page)
        if self._view_pending:
            self._view_pending = False
            page.apply_view_state(dict(self.view))
        else:
            self.view.update(page.view_state())

    def _on_lesson_changed(self) -> None:
        if self._page() is None:   # a new lesson: the page, once built, shows its own
            self.view = dict(self.VIEW_DEFAULTS)
            self._view_pending = False

    def _view_now(self) -> dict[str, Any]:
        page = self._page()
        if page is not None:
            self.view.update(page.view_state())
        return dict(self.view)

    def _set_view(self, view: dict[str, Any]) -> None:
        self.view.update(view)
        page = self._page()
        if page is not None:
            page.apply_view_state(dict(self.view))
        else:
            self._view_pending = True

    # ------------------------------------------------------------ workspace
    def state(self) -> dict[str, Any]:
        """The lab's part of a workspace (a plain JSON object)."""
        return {}

    def restore_state(self, state: dict[str, Any]) -> None:
        """Inverse of :meth:`state`; validates first and raises ValueError on bad input."""
        if not isinstance(state, dict):
            raise ValueError(f"{self.what} state: expected an object")

    def progress(self) -> Any:
        """In-memory progress a failed open must put back (None: nothing beyond state()):
        the run of the controller named by ``RUN``, copied by its ``progress()``."""
        return getattr(self, self.RUN).progress() if self.RUN else None

    def restore_progress(self, progress: Any) -> None:
        """Inverse of :meth:`progress`."""
        if progress is not None and self.RUN:
            getattr(self, self.RUN).restore_progress(progress)

    def set_active(self, active: bool) -> None:
        """The page is shown (True) or another is (False): a hidden lab computes nothing."""

    def shutdown(self) -> None:
        """Stop timers and threads before the window closes."""


def _flag(state: dict, key: str, default: bool, what: str) -> bool:
    v = state.get(key, default)
    if not isinstance(v, bool):
        raise ValueError(f"{what} state: {key!r} must be true or false")
    return v


def _page(state: Any, pages: tuple[str, ...], default: str, message: str) -> str:
    page = state.get("page", default) if isinstance(state, dict) else None
    if page not in pages:
        raise ValueError(message)
    return page


class WorkbenchParts(LabParts):
    """The micro-step stepper and the matrix view's stepper."""

    name = "workbench"
    VIEW_DEFAULTS = {"weight_labels": True, "matrix_on": False}

    def __init__(self, doc: Document, parent: QObject | None = None) -> None:
        super().__init__(doc, parent)
        from nnviz.controllers.workbench.matrix_stepper import MatrixController
        from nnviz.controllers.workbench.stepper import StepController

        self.stepper = StepController(doc, self)
        self.matrix = MatrixController(self.stepper, self)

    def state(self) -> dict[str, Any]:
        st, view = self.stepper, self._view_now()
        d: dict[str, Any] = {"k": st.k, "t": st.t, "weight_labels": view["weight_labels"],
                             "matrix": {"on": view["matrix_on"], "batch": self.matrix.batch,
                                        "input_layer": self.doc.layer_base}}
        timeline = st.timeline_state()   # so a reopened workspace can still scrub back
        if timeline is not None:
            d["timeline"] = timeline
        return d

    def restore_state(self, state: dict[str, Any]) -> None:
        if not isinstance(state, dict):
            raise ValueError("workbench state must be an object")
        vals = {}
        for key in ("k", "t"):
            v = state.get(key, 0)
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise ValueError(f"workbench state: {key!r} must be an integer >= 0")
            vals[key] = v
        labels = _flag(state, "weight_labels", True, "workbench")
        mat = state.get("matrix", {"on": False, "batch": False, "input_layer": 1})
        if (not isinstance(mat, dict) or set(mat) - {"on", "batch", "input_layer"}
                or not all(isinstance(mat.get(k, False), bool) for k in ("on", "batch"))
                or mat.get("input_layer", 1) not in (0, 1)
                or isinstance(mat.get("input_layer", 1), bool)):
            raise ValueError("workbench state: 'matrix' must be {\"on\": true/false, "
                             "\"batch\": true/false, \"input_layer\": 0 or 1}")
        saved = state.get("timeline")
        if saved is not None:   # validated before anything changes
            try:
                self.stepper.restore_timeline(saved, vals["t"], vals["k"])
            except ValueError as e:
                raise ValueError(f"workbench state: {e}") from None
        self.doc.set_layer_base(mat.get("input_layer", 1))
        self.matrix.set_batch(mat.get("batch", False))
        self._set_view({"weight_labels": labels, "matrix_on": mat.get("on", False)})
        if saved is None:       # no steps to go back to: step 0 of the history to come
            self.stepper.set_position(vals["k"])

    def set_active(self, active: bool) -> None:
        if not active:
            self.stepper.playback.pause()


class TrainingParts(LabParts):
    """The Training lab's controller (its data set, history and run)."""

    RUN = "ctl"
    name = "training"
    what = "training lab"
    VIEW_DEFAULTS = {"discrete": False}

    def __init__(self, doc: Document, parent: QObject | None = None) -> None:
        super().__init__(doc, parent)
        from nnviz.controllers.training.controller import TrainingController

        self.ctl = TrainingController(doc, self)

    def state(self) -> dict[str, Any]:
        return {"controller": self.ctl.state(), "discrete": self._view_now()["discrete"]}

    def restore_state(self, state: dict[str, Any]) -> None:
        super().restore_state(state)
        discrete = _flag(state, "discrete", False, "training lab")
        self.ctl.restore_state(state.get("controller", {}))
        self._set_view({"discrete": discrete})

    def set_active(self, active: bool) -> None:
        if not active:
            self.ctl.playback.pause()

    def shutdown(self) -> None:
        self.ctl.shutdown()


class UniversalityParts(LabParts):
    """The Universality lab's model and its training."""

    RUN = "ctl"
    name = "universality"
    what = "universality lab"
    VIEW_DEFAULTS = {"tab": 0, "selected": 0}

    def __init__(self, doc: Document, parent: QObject | None = None) -> None:
        super().__init__(doc, parent)
        from nnviz.controllers.universality.controller import UniversalityController

        self.ctl = UniversalityController(doc, self)

    def state(self) -> dict[str, Any]:
        view = self._view_now()
        return {"controller": self.ctl.state(), "tab": view["tab"], "selected": view["selected"]}

    def restore_state(self, state: dict[str, Any]) -> None:
        super().restore_state(state)
        tab, sel = state.get("tab", 0), state.get("selected", 0)
        if tab not in (0, 1) or isinstance(sel, bool) or not isinstance(sel, int) or sel < 0:
            raise ValueError("universality lab state: bad tab or selected neuron")
        self.ctl.restore_state(state.get("controller"))
        self._set_view({"tab": tab, "selected": sel})

    def set_active(self, active: bool) -> None:
        if not active:
            self.ctl.playback.pause()

    def shutdown(self) -> None:
        self.ctl.shutdown()


class GeneralParts(LabParts):
    """The Generalisation lab's settings, pictures and runs (the tab is a setting)."""

    RUN = "ctl"
    name = "general"

    def __init__(self, doc: Document, parent: QObject | None = None) -> None:
        super().__init__(doc, parent)
        from nnviz.controllers.general.controller import GeneralController

        self.ctl = GeneralController(self)
        self.ctl.edited.connect(doc.mark_modified)
        doc.lesson_changed.connect(self._take_lesson)
        self._take_lesson()

    def _take_lesson(self) -> None:
        lesson = self.doc.lesson
        if lesson is None or lesson.lab != self.name:
            return
        try:
            self.ctl.restore_state(lesson.settings)
        except (FormatError, ValueError) as e:   # validated when the lesson was opened
            self.doc.message.emit(f"lesson settings: {e}")

    def state(self) -> dict[str, Any]:
        return self.ctl.state()

    def restore_state(self, state: dict[str, Any]) -> None:
        """All-or-nothing: every value checked before any changes (ValueError if bad)."""
        self.ctl.restore_state(state)
        self._set_view({})

    def set_active(self, active: bool) -> None:
        if not active:
            self.ctl.pause_all()

    def shutdown(self) -> None:
        self.ctl.pause_all()


class ConvParts(LabParts):
    """The stepped convolution and the live CNN."""

    RUN = "cnn"   # the stepped convolution: state() is all it has
    name = "conv"
    PAGES = ("conv", "cnn")
    VIEW_DEFAULTS = {"page": "conv"}

    def __init__(self, doc: Document, parent: QObject | None = None) -> None:
        super().__init__(doc, parent)
        from nnviz.controllers.conv.cnn import CNNController
        from nnviz.controllers.conv.controller import ConvController

        self.ctl = ConvController(doc, self)
        self.cnn = CNNController(self)

    def state(self) -> dict[str, Any]:
        return {"page": self._view_now()["page"], "conv": self.ctl.state(),
                "cnn": self.cnn.state()}

    def restore_state(self, state: dict[str, Any]) -> None:
        """All-or-nothing: both parts are validated before either changes."""
        page = _page(state, self.PAGES, "conv",
                     "bad convolution lab state: 'page' must be conv or cnn")
        backup = (self.ctl.state(), self.cnn.state())
        try:
            self.ctl.restore_state(state.get("conv", {}))
            self.cnn.restore_state(state.get("cnn", {}))
        except ValueError:
            self.ctl.restore_state(backup[0])
            self.cnn.restore_state(backup[1])
            raise
        self._set_view({"page": page})

    def set_active(self, active: bool) -> None:
        if not active:
            self.cnn.playback.pause()

    def shutdown(self) -> None:
        self.cnn.playback.pause()


class NeuronParts(LabParts):
    """One neuron: the McCulloch–Pitts unit, the perceptron, the activation functions."""

    name = "neuron"
    PAGES = ("mp", "perceptron", "compare", "gallery", "softmax")
    VIEW_DEFAULTS = {"page": "perceptron"}

    def __init__(self, doc: Document, parent: QObject | None = None) -> None:
        super().__init__(doc, parent)
        from nnviz.controllers.neuron.controller import NeuronController

        self.ctl = NeuronController(doc, self)

    def state(self) -> dict[str, Any]:
        return {"page": self._view_now()["page"], **self.ctl.state()}

    def restore_state(self, state: dict[str, Any]) -> None:
        page = _page(state, self.PAGES, "perceptron",
                     "bad neuron lab state: 'page' must be one of " + ", ".join(self.PAGES))
        self.ctl.restore_state(state)
        self._set_view({"page": page})

    def set_active(self, active: bool) -> None:
        if not active:
            self.ctl.playback.pause()

    def shutdown(self) -> None:
        self.ctl.playback.pause()


class SurfaceParts(LabParts):
    """The error surface and its descent, the learning slowdown and the optimiser race.
    They start inactive: no grid is computed before the lab is shown."""

    name = "surface"
    PAGES = ("surface", "slowdown", "race")
    VIEW_DEFAULTS = {"page": "surface"}

    def __init__(self, doc: Document, parent: QObject | None = None) -> None:
        super().__init__(doc, parent)
        from nnviz.controllers.surface.controller import SurfaceController
        from nnviz.controllers.surface.race import RaceController
        from nnviz.controllers.surface.slowdown import SlowdownController

        self.controller = SurfaceController(doc, self, active=False)
        self.slowdown = SlowdownController(doc, self, active=False)
        self.racer = RaceController(self, active=False)

    def state(self) -> dict[str, Any]:
        return {"page": self._view_now()["page"], "race": self.racer.state(),
                **self.controller.state()}

    def restore_state(self, state: dict[str, Any]) -> None:
        from nnviz.controllers.surface.race import parse_race

        if not isinstance(state, dict):
            raise ValueError("surface lab state: expected an object")
        page = state.get("page", "surface")
        if page not in self.PAGES:
            raise ValueError(f"surface lab state: page {page!r} is not one of "
                             f"{', '.join(self.PAGES)}")
        parse_race(state.get("race", {}))  # validated before anything changes
        self.controller.restore_state({k: v for k, v in state.items()
                                       if k not in ("page", "race")})
        if "race" in state:
            self.racer.apply_settings(state["race"])
        self._set_view({"page": page})

    def set_active(self, active: bool) -> None:
        if not active:
            self.controller.playback.pause()
            self.slowdown.playback.pause()
        self.controller.set_active(active)   # no grids for lessons opened elsewhere
        self.racer.set_active(active)
        self.slowdown.set_active(active)

    def shutdown(self) -> None:
        self.controller.shutdown()
        self.slowdown.shutdown()
        self.racer.shutdown()
