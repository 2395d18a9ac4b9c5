"""The small CNN learning the digits live: play/pause in time-budgeted timer slices,
one mini-batch at a time, the current example's forward and backward records."""

from __future__ import annotations

import copy
import time
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from nnviz.controllers.playback import Playback
from nnviz.engine.labs import cnn
from nnviz.engine.labs.cnn_train import CNNTrainer, EpochRecord, one_hot
from nnviz.engine.labs.pooling import MODES
from nnviz.engine.learning.optimisers import Optimiser, optimiser_from_state

#: seconds of training per timer tick: the GUI stays responsive between slices
SLICE_S = 0.025
MAX_EPOCHS = 10_000
CNN_OPTIMISER = "adam"   # the CNN tab trains with Adam at the learning rate shown


class CNNController(QObject):
    """Owns a :class:`CNNTrainer`; ``trained`` after every slice, ``settings_changed``
    when the architecture or the learning rate change (a fresh network)."""

    trained = Signal()
    settings_changed = Signal()
    front_changed = Signal()       # another feature map brought to the front
    message = Signal(str)          # for the status bar (a refused setting)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kernels, self.pool, self.lr, self.seed = 8, "max", 0.01, 0
        self.example = 0
        self.front = 0             # the kernel whose feature map is in front of the stack
        self.trainer = self._build()
        self.playback = Playback(self._tick, can_play=lambda: self.trainer.epochs < MAX_EPOCHS,
                                 on_pause=self._forget_stop, parent=self)
        self._confusion: tuple[int, np.ndarray] | None = None
        self._start: tuple[tuple, np.ndarray] | None = None   # (settings, epoch 0's matrix)
        self._stop_at: int | None = None   # pause when this many epochs are done

    def _build(self) -> CNNTrainer:
        shape = cnn.CNNShape(kernels=self.kernels, pool=self.pool)
        return CNNTrainer.digits(shape, seed=self.seed, lr=self.lr, optimiser=CNN_OPTIMISER)

    # ------------------------------------------------------------ settings
    def configure(self, kernels: int, pool: str, lr: float, seed: int) -> None:
        """A fresh network with these settings (validated; ValueError if out of range)."""
        if not 1 <= int(kernels) <= 16 or pool not in MODES or not 1e-6 <= lr <= 10 \
                or not 0 <= int(seed) < 2**32:
            raise ValueError("kernels 1-16, pooling max or average, learning rate 1e-6 to 10")
        self.playback.pause()
        self.kernels, self.pool, self.lr, self.seed = int(kernels), pool, float(lr), int(seed)
        self.front = min(self.front, self.kernels - 1)
        self.trainer = self._build()
        self._confusion = None
        self.settings_changed.emit()
        self.trained.emit()

    def reset(self) -> None:
        self.configure(self.kernels, self.pool, self.lr, self.seed)

    # ------------------------------------------------------------ playing
    def run_epoch(self) -> None:
        """Train to the end of the current epoch in timer slices (the GUI stays live)."""
        self._stop_at = self.trainer.epochs + 1
        if not self.playback.play():
            self._stop_at = None

    def _forget_stop(self) -> None:
        self._stop_at = None

    def step(self, n: int = 1) -> None:
        """``n`` mini-batch updates now."""
        self.trainer.run_for(float("inf"), max_steps=max(1, int(n)))
        self.trained.emit()

    def _tick(self) -> None:
        t0 = time.perf_counter()
        limit = self.trainer.steps_left_in_epoch() if self._stop_at is not None else None
        self.trainer.run_for(SLICE_S, max_steps=limit)
        self.last_slice_s = time.perf_counter() - t0
        if self.trainer.epochs >= MAX_EPOCHS or (
                self._stop_at is not None and self.trainer.epochs >= self._stop_at):
            self.playback.pause()
        self.trained.emit()

    def set_front(self, i: int) -> None:
        """Kernel ``i``'s feature map to the front of the stack (a view choice, not undone)."""
        i = int(i)
        if not 0 <= i < self.kernels:
            raise ValueError(f"there are {self.kernels} feature maps")
        if i != self.front:
            self.front = i
            self.front_changed.emit()

    def bring_forward(self, d: int) -> None:
        """The next (``d`` = 1) or previous (-1) map to the front, round the stack."""
        self.set_front((self.front + d) % self.kernels)

    def set_example(self, i: int) -> None:
        n = len(self.trainer.x_test)
        self.example = int(i) % n
        self.trained.emit()

    # ------------------------------------------------------------ readouts
    def example_records(self) -> tuple[cnn.CNNForward, cnn.CNNGrads, int]:
        """Forward and backward records of the current test example, and its label."""
        t = self.trainer
        x = t.x_test[self.example:self.example + 1]
        label = int(t.labels_test[self.example])
        fwd = cnn.forward(t.net, x)
        grads = cnn.backward(t.net, fwd, one_hot([label], t.net.shape.classes), t.loss)
        return fwd, grads, label

    def confusion(self) -> np.ndarray:
        """The test confusion matrix after the last whole epoch: before the first, the
        untrained network's (the batches of an epoch under way do not change it)."""
        key = self.trainer.epochs
        if key == 0:
            return self._start_confusion()
        if self._confusion is None or self._confusion[0] != key:
            self._confusion = (key, self.trainer.confusion())
        return self._confusion[1]

    def history(self) -> list[EpochRecord]:
        return self.trainer.history

    def _start_confusion(self) -> np.ndarray:
        """The test confusion matrix of this run's network before any training (epoch 0):
        the network its settings and seed draw, so also known for a run opened from a
        file."""
        key = (self.kernels, self.pool, self.seed)
        if self._start is None or self._start[0] != key:
            t = self.trainer
            fresh = cnn.CNN.create(t.net.shape, np.random.default_rng(self.seed))
            self._start = (key, cnn.confusion(fresh, t.x_test, t.labels_test))
        return self._start[1]

    def start_accuracy(self) -> float:
        """The test accuracy before any training (:meth:`_start_confusion`)."""
        m = self._start_confusion()
        return float(np.trace(m)) / max(1.0, float(m.sum()))

    def accuracy_curve(self) -> tuple[list[int], list[float]]:
        """Epochs and test accuracies from epoch 0 (the untrained network: the chart had
        nothing to show before the first epoch ended)."""
        hist = self.trainer.history
        return ([0] + [r.epoch for r in hist],
                [self.start_accuracy()] + [r.test_accuracy for r in hist])

    # ------------------------------------------------------------ workspace
    def state(self) -> dict[str, Any]:
        t = self.trainer
        return {"kernels": self.kernels, "pool": self.pool, "lr": self.lr, "seed": self.seed,
                "example": self.example, "front": self.front, "steps": t.steps, "epochs": t.epochs,
                "params": [p.tolist() for p in t.net.params],
                "optimiser": None if t.state.opt is None else t.state.opt.state_dict(),
                "history": [[r.epoch, r.cost, r.train_accuracy, r.test_accuracy]
                            for r in t.history]}

    def progress(self) -> dict[str, Any]:
        """The whole run as it is (the trainer: network, optimiser, the epoch's remaining
        mini-batches, the shuffle's random state, history) and the settings, copied: a
        failed open puts it back with :meth:`restore_progress`. Never written to a file."""
        return {"trainer": copy.deepcopy(self.trainer), "example": self.example,
                "front": self.front, "settings": (self.kernels, self.pool, self.lr, self.seed)}

    def restore_progress(self, got: dict[str, Any]) -> None:
        self.playback.pause()
        self.kernels, self.pool, self.lr, self.seed = got["settings"]
        self.trainer = copy.deepcopy(got["trainer"])
        self.example, self.front = got["example"], got["front"]
        self._confusion = None
        self.settings_changed.emit()
        self.trained.emit()

    def restore_state(self, d: Any) -> None:
        """Validate the whole saved network first; ValueError and no change if bad."""
        from nnviz.engine.files.validate import FormatError, as_array, as_int, as_number, as_str

        if not isinstance(d, dict):
            raise ValueError("CNN state: expected an object")
        try:
            kernels = as_int(d.get("kernels", 8), "cnn.kernels", 1, 16)
            pool = as_str(d.get("pool", "max"), "cnn.pool", 10)
            if pool not in MODES:
                raise FormatError("cnn.pool: max or average")
            lr = as_number(d.get("lr", 0.01), "cnn.lr", 1e-6, 10)
            seed = as_int(d.get("seed", 0), "cnn.seed", 0, 2**32 - 1)
            shape = cnn.CNNShape(kernels=kernels, pool=pool)
            want = [(kernels, 1, 3, 3), (kernels,), (shape.classes, shape.features),
                    (shape.classes,)]
            raw = d.get("params")
            params = None
            if raw is not None:
                if not isinstance(raw, list) or len(raw) != 4:
                    raise FormatError("cnn.params: expected 4 arrays")
                params = [as_array(p, f"cnn.params[{i}]", w) for i, (p, w)
                          in enumerate(zip(raw, want))]
                if any(np.abs(p).max(initial=0) > 1e6 for p in params):
                    raise FormatError("cnn.params: values beyond ±1e6")
            hist = d.get("history", [])
            h = as_array(hist, "cnn.history", (None, 4)) if hist else np.zeros((0, 4))
            if len(h) > MAX_EPOCHS:
                raise FormatError("cnn.history: too many epochs")
            steps = as_int(d.get("steps", 0), "cnn.steps", 0, 10**9)
            epochs = as_int(d.get("epochs", len(h)), "cnn.epochs", 0, MAX_EPOCHS)
            example = as_int(d.get("example", 0), "cnn.example", 0, 10**6)
            front = as_int(d.get("front", 0), "cnn.front", 0, kernels - 1)
            opt = _saved_optimiser(d.get("optimiser"), want)
        except FormatError as e:
            raise ValueError(str(e)) from None
        self.playback.pause()
        self.kernels, self.pool, self.lr, self.seed = kernels, pool, lr, seed
        self.trainer = self._build()
        if params is not None:
            for p, q in zip(self.trainer.net.params, params):
                p[...] = q
        self.trainer.state.opt = opt   # its velocities and averages: training goes on as saved
        self.trainer.steps, self.trainer.epochs = steps, epochs
        self.trainer.history = [EpochRecord(int(r[0]), *map(float, r[1:])) for r in h]
        self.example = example % len(self.trainer.x_test)
        self.front = front
        self._confusion = None
        self.settings_changed.emit()
        self.trained.emit()


def _saved_optimiser(d: Any, shapes: list[tuple[int, ...]]) -> Optimiser | None:
    """The saved optimiser state (None: none was saved), validated: the CNN's optimiser
    (Adam) with one slot per parameter array, each the array's shape."""
    from nnviz.engine.files.validate import FormatError

    if d is None:
        return None
    try:
        opt = optimiser_from_state(d)
    except ValueError as e:
        raise FormatError(f"cnn.optimiser: {e}") from None
    if opt.name != CNN_OPTIMISER:
        raise FormatError(f"cnn.optimiser: the CNN trains with {CNN_OPTIMISER}, not {opt.name}")
    if len(opt.slots) > len(shapes) or any(
            s is not None and any(a.shape != w for a in s.values())
            for s, w in zip(opt.slots, shapes)):
        raise FormatError("cnn.optimiser: its slots do not fit the network's parameters")
    return opt
