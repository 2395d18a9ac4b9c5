"""The Neuron lab's state: MP unit, perceptron, learning rule, sigmoid comparison,
activation gallery and softmax. QtCore only; views re-read state on each signal."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from nnviz.controllers.document import Document
from nnviz.controllers.neuron.functions import GALLERY, FunctionsController
from nnviz.controllers.playback import Playback
from nnviz.controllers.undo import Change
from nnviz.engine.labs import neuron as eng
from nnviz.engine.labs.perceptron_steps import RuleSteps
from nnviz.engine.sets.datasets import GATES, gate

WEIGHT_RANGE = 6.0            # sliders span [-6, 6]
PLANE = ((-0.5, 1.5), (-0.5, 1.5))      # where points can be added (and the initial view)
SHADE = ((-3.0, 4.0), (-3.0, 4.0))      # where the half-planes and the line are drawn
GRID = 0.05                   # clicked points snap to this grid (so sums of updates repeat exactly)
MAX_STEPS = 20_000
START_MODES = ("random", "current")


class NeuronController(QObject):
    """Everything the Neuron lab shows, with setters that validate and emit one signal."""

    mp_changed = Signal()
    perceptron_changed = Signal()   # weights, bias or convention
    data_changed = Signal()         # the points the perceptron learns
    learning_changed = Signal()     # a learning step, reset, play/pause
    message = Signal(str)

    def __init__(self, doc: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.mp = eng.MP_PRESETS["AND"]
        self.mp_preset = "AND"
        self.w = np.array([-2.0, -2.0])
        self.b = 3.0
        self.convention = "perceptron"
        self.data_name = "NAND"
        self.x, y = gate("NAND")
        self.labels = y[:, 0].astype(np.int64)
        self.seed = 0
        self.start_mode = "random"
        self._edit_serial = 0           # counts weight edits: a drag's steps share one
        self.run = RuleSteps()          # the learning rule's steps, forwards and back
        self.playback = Playback(self._on_tick, 400, can_play=self._can_learn, parent=self)
        self.playback.playing_changed.connect(lambda _playing: self.learning_changed.emit())
        self.functions = FunctionsController(self)
        doc.lesson_changed.connect(self._on_lesson_changed)

    # ------------------------------------------------------------ lessons
    def _on_lesson_changed(self) -> None:
        lesson = self.doc.lesson
        if lesson is None or lesson.lab != "neuron":
            return
        self.playback.pause()
        net = self.doc.network
        if net.sizes == [2, 1]:
            self.w = net.weights[0][0].astype(float).copy()
            self.b = float(net.biases[0][0]) if net.use_bias[0] else 0.0
            act = net.activations[0].name
            self.convention = act if act in eng.CONVENTIONS else "perceptron"
        x, y = self.doc.x, self.doc.y
        if x.ndim == 2 and x.shape[1] == 2 and y.shape == (len(x), 1) and np.isin(y, (0, 1)).all():
            self.x, self.labels = x.astype(float).copy(), y[:, 0].astype(np.int64)
            self.data_name = str(lesson.data.get("gate", "custom")).upper() \
                if "gate" in lesson.data else "custom"
        s = lesson.settings if isinstance(lesson.settings, dict) else {}
        learn = s.get("learning", {}) if isinstance(s.get("learning", {}), dict) else {}
        seed = learn.get("seed", 0)
        self.seed = seed if isinstance(seed, int) and 0 <= seed < 2**32 else 0
        self.start_mode = learn.get("start") if learn.get("start") in START_MODES else "random"
        if isinstance(s.get("mp"), str) and s["mp"] in eng.MP_PRESETS:
            self.set_mp_preset(s["mp"])
        if s.get("gallery") in GALLERY:
            self.functions.set_gallery(s["gallery"])
        pair = s.get("compare")
        if (isinstance(pair, list) and len(pair) == 2
                and all(isinstance(v, (int, float)) and abs(v) < 1e6 for v in pair)):
            for v in pair:                      # before and after a small change of w
                self.functions.set_compare_w(float(v))
        self.run = RuleSteps()
        self.perceptron_changed.emit()
        self.data_changed.emit()
        self.learning_changed.emit()

    # ------------------------------------------------------------ MP neuron
    def set_mp_preset(self, name: str) -> None:
        if name not in eng.MP_PRESETS:
            raise ValueError(f"unknown MP preset {name!r}")
        self.mp, self.mp_preset = eng.MP_PRESETS[name], name
        self.mp_changed.emit()

    def set_mp_inputs(self, n: int) -> None:
        if not 1 <= int(n) <= 4:
            raise ValueError("an MP unit here has 1 to 4 inputs")
        inh = (tuple(self.mp.inhibitory) + (False,) * 4)[:int(n)]
        self.mp, self.mp_preset = eng.MPUnit(inh, min(self.mp.theta, int(n))), "custom"
        self.mp_changed.emit()

    def set_mp_inhibitory(self, i: int, on: bool) -> None:
        inh = list(self.mp.inhibitory)
        inh[i] = bool(on)
        self.mp, self.mp_preset = eng.MPUnit(tuple(inh), self.mp.theta), "custom"
        self.mp_changed.emit()

    def set_mp_theta(self, theta: int) -> None:
        if not 0 <= int(theta) <= 4:
            raise ValueError("theta must be between 0 and 4")
        self.mp, self.mp_preset = eng.MPUnit(self.mp.inhibitory, int(theta)), "custom"
        self.mp_changed.emit()

    def mp_table(self) -> eng.MPTable:
        return eng.mp_truth_table(self.mp)

    # ------------------------------------------------------------ perceptron
    def set_weights(self, w1: float, w2: float, b: float, merge: bool = False,
                    text: str = "") -> None:
        """Set (w1, w2, b) by hand (undoable); learning restarts from these weights."""
        vals = [float(v) for v in (w1, w2, b)]
        if not all(np.isfinite(v) and abs(v) <= 1e6 for v in vals):
            raise ValueError("weights must be finite numbers")
        before = (float(self.w[0]), float(self.w[1]), self.b)
        text = text or f"Set w = ({vals[0]:g}, {vals[1]:g}), b = {vals[2]:g}"
        self.start_mode = "current"
        if not merge:                   # a new edit; its drag's continuations merge into it
            self._edit_serial += 1
        self.doc.undo_stack.push(Change(text, self._install_weights, before, tuple(vals),
                                        ("neuron weights", self._edit_serial)))

    def set_weight(self, which: str, value: float, merge: bool = False) -> None:
        """Change one of "w1", "w2", "b"; ``merge`` continues the previous edit (a drag)."""
        w1, w2, b = float(self.w[0]), float(self.w[1]), self.b
        vals = {"w1": w1, "w2": w2, "b": b}
        if which not in vals:
            raise ValueError(f"unknown parameter {which!r}")
        vals[which] = value
        self.set_weights(vals["w1"], vals["w2"], vals["b"], merge=merge)

    def set_preset(self, name: str) -> None:
        if name not in eng.PERCEPTRON_PRESETS:
            raise ValueError(f"unknown preset {name!r}")
        self.set_weights(*eng.PERCEPTRON_PRESETS[name], text=f"Perceptron preset {name}")

    def _install_weights(self, wb: tuple[float, float, float]) -> None:
        w1, w2, b = wb
        self.playback.pause()
        self.w, self.b = np.array([w1, w2], dtype=float), float(b)
        self.run = RuleSteps()
        self.perceptron_changed.emit()
        self.learning_changed.emit()

    def set_convention(self, convention: str) -> None:
        if convention not in eng.CONVENTIONS:
            raise ValueError(f"unknown convention {convention!r}")
        if convention != self.convention:
            self.convention = convention
            self.run = RuleSteps()
            self.perceptron_changed.emit()
            self.learning_changed.emit()

    def _wb(self, aug: np.ndarray | None) -> tuple[np.ndarray, float]:
        """(w, b): the current ones, or those of an augmented (b, w1, w2) ``aug`` (the
        weights before a step whose result predict mode hides)."""
        if aug is None:
            return self.w, self.b
        return np.asarray(aug[1:], dtype=float), float(aug[0])

    def truth_table(self, aug: np.ndarray | None = None) -> eng.PerceptronTable:
        return eng.perceptron_table(*self._wb(aug), self.convention)

    def decision_line(self, aug: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        return eng.decision_line(*self._wb(aug), *SHADE)

    def region_grid(self, n: int = 280, aug: np.ndarray | None = None) -> np.ndarray:
        return eng.region_grid(*self._wb(aug), self.convention, *SHADE, n=n)

    # ------------------------------------------------------------ data
    def set_data_gate(self, name: str) -> None:
        if name not in GATES:
            raise ValueError(f"unknown gate {name!r}")
        x, y = gate(name)
        self._push_data(x, y[:, 0].astype(np.int64), name, f"Data: {name}")

    def add_point(self, x1: float, x2: float, label: int) -> None:
        """Add a point of class ``label`` (snapped to a 0.05 grid) to the data."""
        if label not in (0, 1) or not (np.isfinite(x1) and np.isfinite(x2)):
            raise ValueError("a point needs finite coordinates and class 0 or 1")
        (x0, x1m), (y0, y1m) = PLANE
        p = np.round(np.array([min(max(x1, x0), x1m), min(max(x2, y0), y1m)]) / GRID) * GRID
        if len(self.x) >= 200:
            self.message.emit("At most 200 points")
            return
        self._push_data(np.vstack([self.x, p[None, :]]), np.append(self.labels, int(label)),
                        "custom", f"Add point ({p[0]:g}, {p[1]:g}) of class {label}")

    def clear_points(self) -> None:
        self._push_data(np.zeros((0, 2)), np.zeros(0, np.int64), "custom", "Clear points")

    def _push_data(self, x: np.ndarray, labels: np.ndarray, name: str, text: str) -> None:
        before = (self.x.copy(), self.labels.copy(), self.data_name)
        self.doc.undo_stack.push(Change(text, self._install_data, before, (x, labels, name)))

    def _install_data(self, data: tuple[np.ndarray, np.ndarray, str]) -> None:
        x, labels, name = data
        self.x, self.labels, self.data_name = x.copy(), labels.copy(), name
        self.playback.pause()
        self.run = RuleSteps()
        self.data_changed.emit()
        self.learning_changed.emit()

    # ------------------------------------------------------------ learning rule
    def set_seed(self, seed: int) -> None:
        if not 0 <= int(seed) < 2**32:
            raise ValueError("the seed must be between 0 and 2^32 - 1")
        self.seed = int(seed)
        self.reset_learning()

    def set_start_mode(self, mode: str) -> None:
        if mode not in START_MODES:
            raise ValueError(f"unknown start {mode!r}")
        self.start_mode = mode
        self.reset_learning()

    def reset_learning(self) -> None:
        """Forget the run; the next step starts a new one (same seed, same sequence)."""
        self.playback.pause()
        if self.run.started:                 # back to the weights the run started from
            w0 = self.run.w_hist[0]
            self.w, self.b = w0[1:].copy(), float(w0[0])
            self.perceptron_changed.emit()
        self.run = RuleSteps()
        self.learning_changed.emit()

    def status(self) -> str:
        """"idle", "empty", "converged", "cycle", "limit" or "learning"."""
        if len(self.x) == 0:
            return "empty"
        if not self.run.started:
            return "idle"
        if len(self.misclassified()) == 0:
            return "converged"
        if self.run.cycle() is not None:
            return "cycle"
        if self.run.cursor >= MAX_STEPS:
            return "limit"
        return "learning"

    def current_aug(self) -> np.ndarray:
        return np.array([self.b, self.w[0], self.w[1]])

    def misclassified(self, aug: np.ndarray | None = None) -> np.ndarray:
        return eng.misclassified(self.current_aug() if aug is None else np.asarray(aug),
                                 eng.augment(self.x), self.labels, self.convention)

    def step_forward(self) -> bool:
        """One step of the learning rule; False (and a message) if there is nothing to do."""
        if len(self.x) == 0:
            self.message.emit("Add some points first")
            return False
        if not self.run.started:
            start = None if self.start_mode == "random" else self.current_aug()
            self._set_learned(self.run.start(self.seed, start))
        st = self.status()
        if st in ("converged", "limit"):
            self.playback.pause()
            return False
        self._set_learned(self.run.forward(eng.augment(self.x), self.labels, self.convention))
        if self.status() in ("converged", "cycle", "limit"):
            self.playback.pause()
        self.learning_changed.emit()
        return True

    def step_back(self) -> bool:
        if self.run.cursor == 0:
            return False
        self.playback.pause()
        self._set_learned(self.run.back())
        self.learning_changed.emit()
        return True

    def _replay(self, start: np.ndarray, cursor: int) -> None:
        """Re-run a saved learning run: same seed, same start, ``cursor`` steps (quietly)."""
        self.run.resume(self.seed, self.start_mode == "random", start)
        w0 = self.run.w_hist[0]
        self.w, self.b = w0[1:].copy(), float(w0[0])
        blocked = self.blockSignals(True)
        try:
            for _ in range(cursor):
                if not self.step_forward():
                    break
        finally:
            self.blockSignals(blocked)

    def set_speed(self, ms: int) -> None:
        """Milliseconds between learning steps while playing (20 to 2000)."""
        if not 20 <= int(ms) <= 2000:
            raise ValueError("the step interval must be between 20 and 2000 ms")
        self.playback.set_interval(int(ms))
        self.learning_changed.emit()

    def _set_learned(self, w_aug: np.ndarray) -> None:
        self.w, self.b = np.array(w_aug[1:], dtype=float), float(w_aug[0])
        self.perceptron_changed.emit()

    def _can_learn(self) -> bool:
        return self.status() not in ("converged", "cycle", "limit", "empty")

    def _on_tick(self) -> None:
        if not self.step_forward():
            self.playback.pause()

    # ------------------------------------------------------------ workspace
    def state(self) -> dict[str, Any]:
        return {"mp": {"inhibitory": list(self.mp.inhibitory), "theta": self.mp.theta},
                "w": [float(self.w[0]), float(self.w[1])], "b": self.b,
                "convention": self.convention, "points": self.x.tolist(),
                "labels": self.labels.tolist(), "data_name": self.data_name,
                "seed": self.seed, "start": self.start_mode,
                "run": ({"start": self.run.w_hist[0].tolist(), "cursor": self.run.cursor}
                        if self.run.started else None),
                **self.functions.state()}

    def restore_state(self, s: dict[str, Any]) -> None:
        """Validate everything first; a bad state raises ValueError and changes nothing."""
        from nnviz.engine.files.validate import FormatError, as_array, as_bool, as_int, as_number

        try:
            if not isinstance(s, dict):
                raise ValueError("the neuron lab state must be an object")
            mp = s["mp"]
            inh = tuple(as_bool(v, "mp.inhibitory") for v in mp["inhibitory"])
            if not 1 <= len(inh) <= 4:
                raise ValueError("mp.inhibitory: 1 to 4 inputs")
            theta = as_int(mp["theta"], "mp.theta", 0, 4)
            w = as_array(s["w"], "w", shape=(2,))
            b = as_number(s["b"], "b", -1e6, 1e6)
            if s["convention"] not in eng.CONVENTIONS:
                raise ValueError("convention: 'perceptron' or 'step'")
            pts = (as_array(s["points"], "points", shape=(None, 2)) if s["points"]
                   else np.zeros((0, 2)))
            labels = np.array([as_int(v, "labels", 0, 1) for v in s["labels"]], dtype=np.int64)
            if len(pts) != len(labels) or len(pts) > 200:
                raise ValueError("points/labels: up to 200 points, one class (0/1) each")
            seed = as_int(s["seed"], "seed", 0, 2**32 - 1)
            if s["start"] not in START_MODES:
                raise ValueError("start: 'random' or 'current'")
            data_name = str(s.get("data_name", "custom"))[:20]
            run = s.get("run")
            if run is not None:
                run = (as_array(run["start"], "run.start", shape=(3,)),
                       as_int(run["cursor"], "run.cursor", 0, MAX_STEPS))
            funcs = self.functions.parse_state(s)
        except (KeyError, TypeError, FormatError) as e:
            raise ValueError(f"bad neuron lab state: {e}") from None
        self.playback.pause()
        self.mp, self.mp_preset = eng.MPUnit(inh, theta), "custom"
        self.w, self.b, self.convention = np.asarray(w, float), float(b), s["convention"]
        self.x, self.labels, self.data_name = pts, labels, data_name
        self.seed, self.start_mode = seed, s["start"]
        self.run = RuleSteps()
        if run is not None:
            self._replay(*run)
        for sig in (self.mp_changed, self.perceptron_changed, self.data_changed,
                    self.learning_changed):
            sig.emit()
        self.functions.apply_state(funcs)
