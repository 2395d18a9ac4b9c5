"""The Generalisation lab's state: the validated settings, the polynomial pictures
(computed at once: a few milliseconds) and the experiments that train (run in
time-budgeted QTimer slices by :class:`SliceRunner`, never in one block)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, Signal

from nnviz.controllers.playback import Playback
from nnviz.engine.files.validate import FormatError
from nnviz.engine.labs import digit_tasks, reg_nets
from nnviz.engine.labs.general_setup import PAGES, GeneralSetup, case_setup, check, parse_setup
from nnviz.engine.labs.generalisation import FIT_PANELS, Resampled, Sweep, resample, resample_mlp
from nnviz.engine.labs.polyfit import RegFit, notes_line_points, regularised_polynomial
from nnviz.engine.learning.budget import run_for

#: seconds of work per timer tick: the window stays responsive between slices
SLICE_S = 0.02
#: the experiments that train, by page
TRAINED = ("bias-variance", "l1-l2", "more-data", "dropout", "augmentation", "transfer")


class SliceRunner(Playback):
    """Plays a generator a slice at a time; ``progressed`` once per slice with the latest
    value it yielded, ``finished`` when it is exhausted."""

    progressed = Signal(object)
    finished = Signal(object)

    def __init__(self, parent: QObject | None = None, budget: float = SLICE_S) -> None:
        super().__init__(self.tick, can_play=self._can_play_now, parent=parent)
        self.budget = budget
        self._gen: Iterator | None = None
        self.value: Any = None
        self.done = False

    def _can_play_now(self) -> bool:
        return self._gen is not None and not self.done

    def start(self, gen: Iterator) -> None:
        """Begin a new run (the old one is dropped)."""
        self.pause()
        self._gen, self.value, self.done = gen, None, False
        self.play()

    def tick(self) -> None:
        """One slice: next() until the budget is spent (at least once)."""
        if self._gen is None or self.done:
            self.pause()
            return
        try:
            run_for(self._next, self.budget)
        except StopIteration:
            self.done = True
            self.pause()
            self.progressed.emit(self.value)
            self.finished.emit(self.value)
            return
        self.progressed.emit(self.value)

    def _next(self) -> None:
        self.value = next(self._gen)

    def run_state(self) -> tuple:
        """The run as it is: its generator (paused, it does not move), its latest value,
        whether it is done and playing. Not a copy: a failed open only drops runs."""
        return self._gen, self.value, self.done, self.playing

    def restore_run(self, got: tuple) -> None:
        self.pause()
        self._gen, self.value, self.done = got[:3]
        self.progressed.emit(self.value)
        if got[3]:
            self.play()

    def finish(self) -> Any:
        """Run to the end now (tests, screenshots): the final value."""
        self.pause()
        while self._gen is not None and not self.done:
            try:
                self.value = next(self._gen)
            except StopIteration:
                self.done = True
        self.progressed.emit(self.value)
        return self.value


def _sweep_steps(s: GeneralSetup) -> Iterator[Sweep]:
    """The U curve one degree at a time (each degree is K fits)."""
    import numpy as np

    rows: list[Resampled] = []
    for d in range(16):
        rows.append(resample("sine", d, s.n, s.noise, s.k, s.bv_lambda, s.seed))
        yield Sweep(np.arange(len(rows)), np.array([r.train_mse for r in rows]),
                    np.array([r.test_mse for r in rows]), np.array([r.bias2 for r in rows]),
                    np.array([r.variance for r in rows]))


def _mlp_steps(s: GeneralSetup) -> Iterator[Resampled | int]:
    """K networks trained one after the other: the networks so far once two are done,
    else the number of epochs trained (progress)."""
    last: Resampled | int = 0
    epochs = 0
    for r in resample_mlp("sine", s.hidden, s.n, s.noise, s.k, s.mlp_epochs, s.seed):
        epochs += 1
        last = r if r is not None else (last if isinstance(last, Resampled) else epochs)
        yield last


def experiment(page: str, s: GeneralSetup) -> Iterator:
    """The generator that trains the page's experiment with settings ``s``."""
    makers: dict[str, Callable[[], Iterator]] = {
        "bias-variance": lambda: (_sweep_steps(s) if s.model == "polynomial" else
                                  _mlp_steps(s)),
        "l1-l2": lambda: reg_nets.l1_vs_l2(s.l_lambda, s.l_eta, s.l_n, s.l_epochs, s.seed),
        "more-data": lambda: digit_tasks.learning_curve(seed=s.seed, steps=s.steps),
        "dropout": lambda: reg_nets.dropout_ensemble(s.p, m=s.members, epochs=s.d_epochs,
                                                     seed=s.seed),
        "augmentation": lambda: digit_tasks.augmentation(s.a_per_class, s.a_epochs, s.seed),
        "transfer": lambda: digit_tasks.transfer(s.t_per_class, epochs=s.t_epochs,
                                                 seed=s.seed),
    }
    return makers[page]()


class GeneralController(QObject):
    """Settings, pictures and runners of the Generalisation lab."""

    changed = Signal()              # settings or a picture changed
    edited = Signal()               # the user changed a setting (not the tab, not a file)
    page_requested = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setup = GeneralSetup()
        self.runners = {p: SliceRunner(self) for p in TRAINED}
        self._update_pictures()

    # ------------------------------------------------------------ settings
    def set(self, **values: Any) -> None:
        """Change settings (each validated; ValueError and nothing changed if one is bad)."""
        checked = {k: check(k, v) for k, v in values.items()}
        new = parse_setup(checked, self.setup)
        if new == self.setup:
            return
        old, self.setup = self.setup, new
        self._after(old)
        if set(checked) - {"page"}:
            self.edited.emit()

    def apply_case(self, key: str) -> None:
        old, self.setup = self.setup, case_setup(self.setup, key)
        self._after(old)
        self.edited.emit()

    def new_samples(self) -> None:
        """Resample: K new training sets (the next seed); with the network model, their K
        networks start training at once (in slices)."""
        self.set(seed=(self.setup.seed + 1) % 2**31)
        if self.setup.model == "network":
            self.start("bias-variance")

    def _after(self, old: GeneralSetup) -> None:
        self._update_pictures()
        for page in TRAINED:
            if experiment_inputs(page, old) != experiment_inputs(page, self.setup):
                self.reset(page)
        self.changed.emit()
        if old.page != self.setup.page:     # after changed: the tab's redraw includes it
            self.page_requested.emit(self.setup.page)

    def _update_pictures(self) -> None:
        s = self.setup
        self.resampled = resample("sine", s.degree, s.n, s.noise, s.k, s.bv_lambda, s.seed)
        first = (self.resampled.xs[0], self.resampled.ys[0])
        from nnviz.engine.labs.polyfit import poly_eval, ridge_fit

        self.panels = [(title, poly_eval(ridge_fit(*first, d, s.bv_lambda), self.resampled.grid))
                       for title, d in FIT_PANELS]
        self.panel_points = first
        self.line_points = notes_line_points(s.seed)
        self.regfit: RegFit = regularised_polynomial(*self.line_points, s.reg_degree,
                                                     s.reg_lambda)

    def shown_resampled(self) -> Resampled | None:
        """The K fits on screen: the polynomial ones, or the networks trained so far."""
        if self.setup.model == "polynomial":
            return self.resampled
        v = self.result("bias-variance")
        return v if isinstance(v, Resampled) else None

    # ------------------------------------------------------------ experiments
    def result(self, page: str) -> Any:
        return self.runners[page].value

    def start(self, page: str) -> None:
        """Train the page's experiment from the start, in slices."""
        self.runners[page].start(experiment(page, self.setup))

    def train_or_pause(self, page: str) -> None:
        """Pause the page's experiment, go on with it, or start it again when it is done."""
        r = self.runners[page]
        if r.playing:
            r.pause()
        elif r.value is None or r.done:
            self.start(page)
        else:
            r.play()

    def reset(self, page: str) -> None:
        r = self.runners[page]
        r.pause()
        r._gen, r.value, r.done = None, None, False
        r.progressed.emit(None)

    def pause_all(self) -> None:
        for r in self.runners.values():
            r.pause()

    # ------------------------------------------------------------ files
    def state(self) -> dict[str, Any]:
        return self.setup.to_dict()

    def progress(self) -> dict[str, Any]:
        """Every experiment's run as it is, for a failed open to put back."""
        return {"setup": self.setup, "runs": {p: r.run_state() for p, r in self.runners.items()}}

    def restore_progress(self, got: dict[str, Any]) -> None:
        if self.setup != got["setup"]:
            old, self.setup = self.setup, got["setup"]
            self._after(old)
        for page, run in got["runs"].items():
            self.runners[page].restore_run(run)
        self.changed.emit()

    def restore_state(self, d: Any) -> None:
        """All-or-nothing: parsed first (FormatError, a ValueError), then applied."""
        new = parse_setup(d)
        old, self.setup = self.setup, new
        self._after(old)


def experiment_inputs(page: str, s: GeneralSetup) -> tuple:
    """The settings a page's experiment depends on (a change restarts it)."""
    keys = {"bias-variance": ("n", "noise", "k", "bv_lambda", "seed", "model", "hidden",
                              "mlp_epochs"),
            "l1-l2": ("l_lambda", "l_eta", "l_n", "l_epochs", "seed"),
            "more-data": ("steps", "seed"), "dropout": ("p", "members", "d_epochs", "seed"),
            "augmentation": ("a_per_class", "a_epochs", "seed"),
            "transfer": ("t_per_class", "t_epochs", "seed")}[page]
    return tuple(getattr(s, k) for k in keys)


__all__ = ["PAGES", "FormatError", "GeneralController", "SliceRunner"]
