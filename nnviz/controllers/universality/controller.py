"""The universality lab's model: a 1-N-1 network built by hand from steps and bumps,
a goal function, "train from here", and a grid of towers for two inputs.

Every edit is undoable through the document's undo stack; one ``changed``
signal tells the views to re-read everything.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from nnviz.controllers.document import Document
from nnviz.controllers.playback import Playback
from nnviz.controllers.undo import Change
from nnviz.controllers.universality.model import (
    MAX_BUMPS,
    MAX_NEURONS,
    MODES,
    GoalTrainer,
    LabModel,
    as_bumps,
    as_steps,
    model_from_lesson,
    model_from_state,
    resized,
)
from nnviz.controllers.universality.readouts import Readouts
from nnviz.engine.labs import universality as U
from nnviz.engine.labs.expr import ExpressionError, parse_expression
from nnviz.engine.teaching.lesson_checks import MAX_GOAL

TICK_MS = 30
BUDGET_S = 0.012


def checked_goal(text: str, names: tuple[str, ...], grid, where: str
                 ) -> tuple[str | None, str | None]:
    """(the goal as parsed, None), or (None, why not): ``text`` read as an expression of
    ``names`` that is finite at every point of ``grid`` (one array per name)."""
    try:
        expr = parse_expression(text, names)
        _, ok = expr.finite(*grid)
    except ExpressionError as e:
        return None, str(e)
    if not ok:
        return None, f"the goal is not finite everywhere on {where}"
    return expr.text, None


class UniversalityController(QObject):
    """State and edits of the universality lab."""

    changed = Signal()
    message = Signal(str)

    def __init__(self, doc: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.m = self._default_model()
        self.eta = 0.05
        self.epochs = 0
        self._drag_serial = 0
        # the run being trained: its trainer and the model it started from (for one undo)
        self._trainer: GoalTrainer | None = None
        self._train_before: LabModel | None = None
        self.playback = Playback(self._on_tick, TICK_MS, can_play=lambda: self.train_blocker() is None,
                                 on_play=self._begin_run, on_pause=self._end_run, parent=self)
        self.playback.playing_changed.connect(lambda _playing: self.changed.emit())
        self.readouts = Readouts(self)   # the curves, scores and grids the views draw
        doc.lesson_changed.connect(self._on_lesson_changed)
        if doc.lesson is not None:
            self._on_lesson_changed()

    # ------------------------------------------------------------ reading
    @property
    def net(self) -> U.OneInput:
        return self.m.net

    def stage_caption(self) -> str:
        st = self.m.stages
        return st[self.m.stage].get("caption", "") if st else ""

    # ------------------------------------------------------------ editing
    def _key(self, merge: bool, *thing: Any) -> tuple | None:
        """Undo merge key: edits of one drag of one ``thing`` merge into one command."""
        return ("universality", self._drag_serial, *thing) if merge else None

    def end_drag(self) -> None:
        """A drag (or a typed value) is finished: the next edit is a new undo command."""
        self._drag_serial += 1

    def _edit(self, text: str, key: tuple | None = None, **changes: Any) -> None:
        self.playback.pause()
        after = self.m.copy()
        for k, v in changes.items():
            setattr(after, k, v)
        if not after.net.is_finite():
            raise ValueError("the weights must be finite numbers")
        self.doc.undo_stack.push(Change(text, self._install, self.m.copy(), after, key,
                                        copy=LabModel.copy))

    def _install(self, m: LabModel) -> None:
        if self.playback.playing:  # undo/redo during training: stop without recording
            self._trainer = self._train_before = None
            self.playback.pause()
        self.m = m
        self.changed.emit()

    def _with_net(self, text: str, net: U.OneInput, key: tuple | None = None,
                  **changes: Any) -> None:
        self._edit(text, key, net=net, **changes)

    def set_weight(self, j: int, value: float, merge: bool = False) -> None:
        """Hidden weight w_j; in step mode the step position s stays where it is."""
        net = self.net.copy()
        s = self.readouts.step_positions()[j]
        net.w[j] = float(value)
        if self.m.mode != "free" and np.isfinite(s):
            net.b[j] = float(U.bias_for_step(s, value))
        self._with_net(f"Set w{j} = {value:.6g}", net, self._key(merge, "w", j))

    def set_bias(self, j: int, value: float, merge: bool = False) -> None:
        net = self.net.copy()
        net.b[j] = float(value)
        self._with_net(f"Set b{j} = {value:.6g}", net, self._key(merge, "b", j))

    def set_output_weight(self, j: int, value: float, merge: bool = False) -> None:
        """Output weight v_j; in bump mode its partner keeps -v (the bump's height)."""
        if self.m.mode == "bumps":
            self.set_height(j // 2, value if j % 2 == 0 else -value, merge)
            return
        net = self.net.copy()
        net.v[j] = float(value)
        self._with_net(f"Set v{j} = {value:.6g}", net, self._key(merge, "v", j))

    def set_step_position(self, j: int, s: float, merge: bool = False) -> None:
        """Move neuron j's step to s (b = -w s)."""
        net = self.net.copy()
        net.b[j] = float(U.bias_for_step(float(s), net.w[j]))
        self._with_net(f"Move step {j} to {s:.4g}", net, self._key(merge, "step", j))

    def set_height(self, i: int, h: float, merge: bool = False) -> None:
        """Height of bump i (output weights h and -h)."""
        heights = self.readouts.heights()
        heights[i] = float(h)
        self._with_net(f"Set bump {i + 1} height = {h:.4g}", U.with_heights(self.net, heights),
                       self._key(merge, "height", i))

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        if mode == self.m.mode:
            return
        self._with_net(f"{mode.capitalize()} mode", self._net_for_mode(mode, self.m.n_bumps
                       if self.m.mode == "bumps" else max(1, self.net.n // 2)), mode=mode)

    def _net_for_mode(self, mode: str, n: int) -> U.OneInput:
        if mode == "bumps":
            return as_bumps(self.net, n, self.m.w_big, self.m.x_range)
        return as_steps(self.net, self.m.w_big, self.m.x_range) if mode == "step" else self.net

    def set_w_big(self, w_big: float) -> None:
        """The large weight of step mode (the book's 1000)."""
        w_big = float(w_big)
        if not (np.isfinite(w_big) and w_big > 0):
            raise ValueError("the step weight must be a positive number")
        net = self.net if self.m.mode == "free" else as_steps(self.net, w_big, self.m.x_range)
        self._with_net(f"Step weight = {w_big:g}", net, self._key(True, "w_big"), w_big=w_big)

    def set_count(self, n: int) -> None:
        """Number of bumps (bump mode) or of hidden neurons (free and step mode)."""
        n = int(n)
        if self.m.mode == "bumps":
            if not 1 <= n <= MAX_BUMPS:
                raise ValueError(f"1 to {MAX_BUMPS} bumps")
            if n != self.m.n_bumps:
                self._with_net(f"{n} bumps", self._net_for_mode("bumps", n))
            return
        if not 1 <= n <= MAX_NEURONS:
            raise ValueError(f"1 to {MAX_NEURONS} neurons")
        if n != self.net.n:
            net = resized(self.net, n, self.m.w_big if self.m.mode == "step" else 10.0,
                          self.m.x_range)
            self._with_net(f"{n} hidden neurons", net)

    def set_activation(self, name: str) -> None:
        if name not in U.HIDDEN_ACTIVATIONS:
            raise ValueError(f"unknown activation {name!r}")
        net = self.net.copy()
        net.activation = name
        self._with_net(f"Activation {name}", net)

    def set_output(self, name: str) -> None:
        """"linear" output (the weighted sum) or "sigmoid" (fit sigma^-1 of the goal)."""
        net = self.net.copy()
        net.output = name
        U.OneInput(net.w, net.b, net.v, net.activation, name)  # validates
        self._with_net("Sigmoid output" if name == "sigmoid" else "Linear output", net)

    def set_goal_text(self, text: str | None) -> str | None:
        """Set the goal from user text; returns the error message (nothing changes) or None."""
        if text is None:
            self._edit("No goal", goal_text=None)
            return None
        goal, error = checked_goal(text, ("x",), (self.readouts.sample_x(),),
                                   "the plotted range (e.g. 1/x at 0)")
        if goal is not None:
            self._edit(f"Goal {goal}", goal_text=goal)
        return error

    def set_goal2d_text(self, text: str) -> str | None:
        """Set the two-input goal f(x, y); returns the error message (nothing changes) or None."""
        t = np.linspace(0, 1, 21)
        goal, error = checked_goal(text, ("x", "y"), np.meshgrid(t, t), "[0, 1]^2")
        if goal is not None:
            self._edit(f"2-D goal {goal}", goal2d_text=goal)
        return error

    def set_towers(self, k: int) -> None:
        k = int(k)
        if not 1 <= k <= 20:
            raise ValueError("1 to 20 towers per side")
        self._edit(f"{k} x {k} towers", towers=k)

    def set_gain(self, gain: float) -> None:
        gain = float(gain)
        if not (np.isfinite(gain) and 0 < gain <= 1e4):
            raise ValueError("the tower weight h must be in (0, 10000]")
        self._edit(f"Tower weight h = {gain:g}", self._key(True, "gain"), gain=gain)

    def auto_fit(self) -> str | None:
        """Least-squares bump heights (bump mode) or output weights; returns an error or None."""
        x = self.readouts.sample_x()
        g = self.readouts.goal_values(x)
        if g is None:
            return "there is no goal to fit"
        if not np.isfinite(g).all() or np.max(np.abs(g)) > MAX_GOAL:
            return f"the goal is not finite (or beyond ±{MAX_GOAL:g}) everywhere"
        try:
            with np.errstate(all="ignore"):
                if self.m.mode == "bumps":
                    net = U.with_heights(self.net, U.fit_heights(self.net, x, g))
                else:
                    net = self.net.copy()
                    net.v = U.fit_output_weights(self.net, x, g)
        except (ValueError, np.linalg.LinAlgError) as e:
            return f"the goal cannot be fitted: {e}"
        if not all(np.isfinite(a).all() for a in (net.w, net.b, net.v)):
            return "the fit is not finite (the goal is too large for these neurons)"
        self._with_net("Auto-fit", net)
        return None

    def set_stage(self, k: int) -> None:
        """Go to stage k of the lesson's story (e.g. no activation, then ReLU)."""
        if not self.m.stages:
            return
        k = max(0, min(int(k), len(self.m.stages) - 1))
        if k == self.m.stage:
            return
        net = self.net.copy()
        net.activation = self.m.stages[k].get("activation", net.activation)
        self._with_net(f"Stage {k + 1}", net, stage=k)

    # ------------------------------------------------------------ training
    def set_eta(self, eta: float) -> None:
        eta = float(eta)
        if not (np.isfinite(eta) and eta > 0):
            raise ValueError("the learning rate must be a positive number")
        self.eta = eta
        self.changed.emit()

    def train_for(self, steps: int) -> str | None:
        """``steps`` gradient steps at once, as one undoable edit (clicker / screenshots)."""
        err = self.train_blocker()
        if err is not None:
            return err
        self.playback.pause()
        self._begin_run()
        if steps > 0:
            self.train_steps(int(steps))
        self._end_run()
        self.changed.emit()
        return None

    def train_blocker(self) -> str | None:
        """Why training cannot start now (shown to the user), or None."""
        if self.playback.playing:
            return None
        g = self.readouts.goal_values(self.readouts.sample_x(201))
        if g is None or not np.isfinite(g).all():
            return "training needs a finite goal"
        return None

    def _begin_run(self) -> None:
        """Gradient descent from the current weights on samples of the goal."""
        x = self.readouts.sample_x(201)
        self._train_before = self.m.copy()
        if self.m.mode != "free":
            self.m = replace(self.m.copy(), mode="free")
            self.message.emit("Training moves every weight: switched to free mode.")
        self._trainer = GoalTrainer(self.net, x, self.readouts.goal_values(x))

    def _end_run(self, reason: str = "", revert: bool = False) -> None:
        """The run becomes one undoable edit (or is undone if ``revert``)."""
        before, self._train_before = self._train_before, None
        steps = self._trainer.steps if self._trainer is not None else 0
        self._trainer = None
        if revert and before is not None:
            self.m = before
        elif before is not None and steps:
            self.doc.undo_stack.push(Change(f"Train {steps} steps", self._install, before,
                                            self.m.copy(), copy=LabModel.copy, applied=True))
        if reason:
            self.message.emit(reason)

    def train_steps(self, steps: int) -> None:
        """``steps`` full-batch gradient steps (``advance`` and the clicker)."""
        self._after_steps(*self._trainer.run(self.eta, max_steps=int(steps)))

    def _on_tick(self) -> None:
        self._after_steps(*self._trainer.run(self.eta, budget_s=BUDGET_S))

    def _after_steps(self, done: int, finite: bool) -> None:
        self.epochs += done
        if not finite:
            self._end_run(f"Training paused after {self.epochs} steps: the weights became NaN "
                          "or infinite (learning rate too large?). The weights from before this "
                          "run are back; lower the learning rate and try again.", revert=True)
            self.playback.pause()
            self.changed.emit()
            return
        self.m.net = self._trainer.model()
        self.changed.emit()

    def shutdown(self) -> None:
        self._trainer = self._train_before = None
        self.playback.pause()

    # ------------------------------------------------------------ lessons and files
    def _default_model(self) -> LabModel:
        edges = U.bump_edges(5)
        centres = (edges[:-1] + edges[1:]) / 2
        heights = parse_expression(U.DEFAULT_GOAL).evaluate(centres)
        return LabModel(U.bump_model(edges, heights))

    def _on_lesson_changed(self) -> None:
        lesson = self.doc.lesson
        if lesson is not None and lesson.lab == "universality":
            self.playback.pause()
            try:
                self.m = model_from_lesson(lesson)
            except ValueError as e:
                self.message.emit(f"The lesson's universality settings were not used: {e}")
                return
            self.epochs = 0
            self.changed.emit()

    def state(self) -> dict[str, Any]:
        m = self.m
        return {"mode": m.mode, "activation": m.net.activation, "output": m.net.output,
                "w": m.net.w.tolist(), "b": m.net.b.tolist(), "v": m.net.v.tolist(),
                "w_big": m.w_big, "goal": m.goal_text, "x_range": list(m.x_range),
                "towers": m.towers, "gain": m.gain, "goal2d": m.goal2d_text, "eta": self.eta}

    def progress(self) -> dict[str, Any]:
        """The model as it is (its stage and the lesson's stages too, which state() leaves
        to the lesson), the training-step count and the rate, copied: a failed open puts
        them back with :meth:`restore_progress`."""
        return {"m": self.m.copy(), "epochs": self.epochs, "eta": self.eta}

    def restore_progress(self, got: dict[str, Any]) -> None:
        self.playback.pause()
        self.m, self.epochs, self.eta = got["m"].copy(), got["epochs"], got["eta"]
        self._curve_cache = None
        self.changed.emit()

    def restore_state(self, state: dict[str, Any]) -> None:
        """Inverse of :meth:`state`; raises ValueError (nothing changes) on bad input."""
        m, eta = model_from_state(state)
        self.playback.pause()
        self._install(m)
        self.eta = eta
