"""Live training: play/pause, single steps, time-budgeted slices, history, blow-ups.

The network is the Document's (``doc.network``), trained in place and announced
with ``doc.network_updated()`` after each step asked for and, while Play runs, at most
once a display frame (``FRAME_MS``) and at the pause, so every lab sees the same network
(the lab's own views hear ``trained`` every tick and pace their redraws). Hyper-parameters
are read from ``doc.config`` / ``doc.loss`` before every step: they can change mid-run.

At full speed each tick trains for a time slice (:mod:`training_clock`) and then
returns to the event loop; at a set speed (steps per second) each tick takes one
mini-batch step. The controller is a QtCore shell around parts with their own state:
the steps on the document's history (:class:`StepBack`), the views' readouts (:class:`Readouts`),
the epoch scores (:class:`EpochScores`), the slice clock (:class:`SliceClock`), early
stopping (:class:`EarlyStop`), the full-speed slices (:class:`FastSlices`) and the network
edits (:class:`NetworkEdits`) and the data edits (:class:`DataEdits`), all made in
``__init__``.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from nnviz.controllers.document import Document
from nnviz.controllers.playback import Playback
from nnviz.controllers.training.back import StepBack
from nnviz.controllers.training.clock import FRAME_MS, SliceClock
from nnviz.controllers.training.data import DataEdits
from nnviz.controllers.training.edits import NetworkEdits, check_gain
from nnviz.controllers.training.fast import FastSlices
from nnviz.controllers.training.grid import BigGrid
from nnviz.controllers.training.readouts import Readouts
from nnviz.controllers.training.schedule import EarlyStop
from nnviz.controllers.training.scores import EpochScores
from nnviz.engine.core.init import INITIALISERS
from nnviz.engine.core.network import Network
from nnviz.engine.learning.monitor import History, explain_blowup
from nnviz.engine.learning.training import OptimizerState, StepRecord, train_step
from nnviz.engine.sets.data import DataSet
from nnviz.engine.sets.features import PLAIN

#: steps per second offered by the speed control; 0 = as fast as possible
SPEEDS = (1, 2, 5, 10, 30, 100, 0)
#: the data set's keys in the lab states of older workspace files
DATA_KEYS = ("data", "rows", "test", "features", "points")


class TrainingController(QObject):
    """Trains ``doc.network`` on a data set with a train/test split."""

    trained = Signal()              # the network, epoch and history changed (once per tick)
    data_changed = Signal()         # the data set or its split changed
    blowup = Signal(str)            # NaN/inf: training paused; the explanation
    speed_changed = Signal()
    init_changed = Signal()         # the initialiser or weight scale of the next Reset

    def __init__(self, doc: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.history = History()
        self.epoch = 0
        self.steps = 0
        self.speed = 0
        self.init_method = "xavier"
        self.init_gain = 1.0
        self.last_record: StepRecord | None = None
        self.last_finite: Network | None = None
        self.blowup_message = ""
        self._opt = OptimizerState()
        self.early = EarlyStop(self)      # the best test epoch; the pause after patience
        self.fast = FastSlices(self)      # full-speed slices: the FastTrainer, its buffers
        self._rng = np.random.default_rng(0)
        self._order = np.zeros(0, dtype=int)
        self._cursor = 0
        self._sizes: list[int] = []
        self._epoch_start: Network | None = None
        self.example_point: np.ndarray | None = None
        self._data_seen = None       # the document's data set the run's order is of
        self._play_from_epoch = 0    # the epoch the running play started at
        self._evaluated_with = 1.0   # the dropout factor the epoch on screen was scored with
        self.edits = NetworkEdits(self)   # reset, revert, activations, layers, features
        self.data_edits = DataEdits(self)  # the data set's settings, points and CSV tables
        self.big_grid = BigGrid(self)     # a large network's maps, off the GUI thread
        self.readouts = Readouts(self)    # what the views draw
        self.back = StepBack(self)        # each step asked for: an entry of the history
        self.scores = EpochScores()       # an epoch's losses and accuracies
        self.clock = SliceClock()         # a full-speed slice's time budget
        self.playback = Playback(self._tick, FRAME_MS, can_play=lambda: len(self.net_data.x_train) > 0,
                                 on_play=self._on_play, parent=self)
        self._announced_at, self._unannounced = -1.0, False  # the last network_updated; since?
        self.playback.playing_changed.connect(self._on_playing_changed)
        doc.lesson_changed.connect(self._on_lesson_changed)
        doc.structure_changed.connect(self._on_structure_changed)
        doc.settings_changed.connect(self._on_evaluation_settings)
        doc.data_changed.connect(self._on_data_changed)
        if doc.lesson is not None:
            self._on_lesson_changed()

    # ------------------------------------------------------------ lessons / data
    @property
    def data(self) -> DataSet:
        """The document's data set: the points, labels, targets and split."""
        return self.doc.data

    @property
    def net_data(self) -> DataSet:
        """The data set as the network reads it: the chosen features of the points (the
        points themselves for the plain x1, x2)."""
        return self.doc.net_data

    @property
    def edited(self) -> bool:
        """The rows are the user's (points added/removed, a CSV), not the settings'."""
        return self.doc.dataset.edited

    @property
    def features(self) -> tuple[str, ...]:
        """What the network reads of 2-D points."""
        return self.doc.dataset.features

    def _on_lesson_changed(self) -> None:
        self._unannounced = False   # a new network: nothing of the old one to announce
        self.back.forget()          # a run under way belonged to the old lesson
        self.playback.pause()
        lesson = self.doc.lesson
        ex = self.doc.example_x
        self.example_point = ex.copy() if len(ex) == 2 else None  # the example's (x1, x2)
        self._rng = np.random.default_rng(lesson.seed)
        self.edits.start(lesson.seed)
        init = lesson.raw.get("network", {}).get("init", {})
        self.init_method = init.get("method", "xavier") if isinstance(init, dict) else "xavier"
        self._sizes = list(self.doc.network.sizes)
        self._restart(clear_history=True)
        self._data_installed()

    def _on_structure_changed(self) -> None:
        if self.doc.network is not None and list(self.doc.network.sizes) != self._sizes:
            self._sizes = list(self.doc.network.sizes)
            self._unannounced = False   # a new network (an edit, an undo) replaced it
            self.back.forget()          # not recorded: the edit is being pushed now
            self.playback.pause()
            self._restart(clear_history=True)
            self._data_installed()   # the document fitted its data to the network

    def _on_data_changed(self) -> None:
        if self.doc.dataset is not self._data_seen:   # not only the Workbench's example
            self._data_installed()

    def _data_installed(self) -> None:
        """The document's data set is new: a new order of the training rows (and the
        Workbench's example read through new input features)."""
        seen, self._data_seen = self._data_seen, self.doc.dataset
        if seen is not None and seen.features != self.features:
            self.edits.sync_example()
        self.back.forget()  # snapshots index the old training set
        self._order = np.zeros(0, dtype=int)
        self._cursor = 0
        if not len(self.history):
            self._record()
        self.data_changed.emit()

    def points_in(self) -> int:
        """Coordinates of a data point: 2 when the network reads features of the plane,
        else the network's inputs."""
        return 2 if self.features != PLAIN else self.doc.network.sizes[0]

    # ------------------------------------------------------------ playing
    def _on_play(self) -> None:
        self.back.remember()  # step back undoes the whole run
        self.clock.restart()
        self._play_from_epoch = self.epoch

    def set_speed(self, steps_per_second: int) -> None:
        """0 = as fast as possible (time-budgeted slices), else mini-batch steps per second."""
        if steps_per_second not in SPEEDS:
            raise ValueError(f"speed must be one of {SPEEDS}")
        self.speed = steps_per_second
        self.playback.set_interval(FRAME_MS if not steps_per_second else 1000 // steps_per_second)
        self.speed_changed.emit()

    def _tick(self) -> None:
        deadline = self.clock.begin()
        if not self.speed:   # the frame's maps, on a helper thread while the slice trains
            self.readouts.grid_ahead()
        if self.speed or not self.fast.epochs(deadline):
            while self._step(self._batch_size()):
                if (self.speed or not self.playback.playing or self.clock.over(deadline)
                        or self._at_lesson_epochs()):
                    break
        if self.playback.playing and self._at_lesson_epochs():
            self.playback.pause()
            self.doc.message.emit(f"Stopped at epoch {self.epoch}, the lesson's epoch count "
                                  "(as the notes' fit). Play again to go on.")
        self.clock.end()  # what the views do next is drawing time
        self._announce_frame()
        self.readouts.drop_ahead()

    def _announce_frame(self) -> None:
        """A play tick: the lab hears it (``trained``), the document - every other lab -
        at most once a display frame; the pause announces what is left."""
        if (self.playback.playing
                and time.monotonic() - self._announced_at < FRAME_MS / 1000):
            self._unannounced = True
            self.trained.emit()
        else:
            self.announce()

    def _on_playing_changed(self, playing: bool) -> None:
        if not playing:
            if self._unannounced:
                self.announce()
            elif self.readouts.behind:   # the last frame's maps were a slice behind
                self.trained.emit()
            self.back.record()      # the run of Play: one entry on the history

    def _at_lesson_epochs(self) -> bool:
        """Play stops when it reaches the lesson's epoch count (a run started past it goes
        on): keras-lab-notes stops at 50 epochs, as the notes' model.fit(nb_epoch=50)."""
        target = self.doc.lesson.epochs if self.doc.lesson is not None else 0
        return (target > 1 and self.epoch == target and self._cursor >= len(self._order)
                and self._play_from_epoch < target)

    def step_sample(self) -> None:
        self._one_step(1, "Train one sample")

    def step_batch(self) -> None:
        self._one_step(self._batch_size(), "Train one batch")

    def _one_step(self, size: int, text: str) -> None:
        self.back.remember()
        self._step(size)
        self.back.record(text)
        self.announce()

    def step_epoch(self) -> None:
        self.run_epochs(1)

    def run_epochs(self, k: int) -> None:
        """Train ``k`` whole epochs now (the rest of the current one counts as the first)."""
        self.back.remember()
        target = self.epoch + max(0, int(k))
        while self.epoch < target and self._step(self._batch_size()):
            pass
        self.back.record()
        self.announce()

    def _batch_size(self) -> int:
        n = len(self.net_data.x_train)
        bs = self.doc.config.batch_size
        return n if not bs else min(int(bs), n)

    def _step(self, size: int) -> bool:
        """One gradient step on the next ``size`` training samples; False if it blew up."""
        xtr, ytr = self.net_data.x_train, self.net_data.y_train
        if not len(xtr):
            return False
        if self._cursor >= len(self._order):
            shuffle = self.doc.config.shuffle
            self._order = self._rng.permutation(len(xtr)) if shuffle else np.arange(len(xtr))
            self._cursor = 0
            self._epoch_start = self.doc.network.copy()
        idx = self._order[self._cursor:self._cursor + size]
        net = self.doc.network
        before = net.get_params()
        with np.errstate(all="ignore"):
            rec = train_step(net, xtr[idx], ytr[idx], self.doc.loss, self.doc.config, self._opt,
                             self._rng, n_train=len(xtr), epoch=self.epoch)
        self._cursor += len(idx)
        self.steps += 1
        self.last_record = rec
        cfg = self.doc.config
        clipped = cfg.clip_value is not None or cfg.clip_norm is not None
        msg = explain_blowup(rec.cost, net, cfg.eta, clipped)
        if msg is not None:
            # the document never holds a non-finite network: keep the last finite step in
            # place, and offer to go back to the start of this epoch (the steps just before
            # an overflow are already astronomically large)
            finite = net.is_finite()
            net.set_params(before)
            if finite:  # only the loss overflowed: name the weights that made it
                msg = explain_blowup(rec.cost, net, cfg.eta, clipped)
            good = self._epoch_start
            if good is None or not good.is_finite() or good.sizes != net.sizes:
                good = net.copy()
            self.last_finite = good
            self.blowup_message = msg
            self.playback.pause()
            self.blowup.emit(msg)
            return False
        if self._cursor >= len(self._order):
            self.epoch += 1
            if self.history.wants(self.epoch):
                self._record()
        return True

    def scores_now(self) -> tuple:
        """((train loss, accuracy), (test loss, accuracy)) of the network as it is now,
        between recorded epochs too (the Training lab's predict mode compares them)."""
        return self._scores()

    def _scores(self) -> tuple:
        """((train loss, accuracy), (test loss, accuracy)) of the network now, as it is
        evaluated (the notes' dropout: outgoing weights x (1 - p) at test)."""
        return self.scores(self.readouts.evaluated(), self.net_data, self.doc.loss)

    def _on_evaluation_settings(self) -> None:
        """The dropout convention or p changed how the network is evaluated: the scores of
        the epoch on screen are measured again (the earlier epochs keep theirs)."""
        cfg = self.doc.config
        f = 1.0 - cfg.dropout if cfg.dropout_mode == "notes" else 1.0
        if f == self._evaluated_with:
            return
        self._evaluated_with = f
        h = self.history
        if len(h) and h.epoch[-1] == self.epoch:
            (trl, tra), (tel, tea) = self._scores()
            h.train_loss[-1], h.test_loss[-1] = float(trl), float(tel)
            h.train_acc[-1], h.test_acc[-1] = float(tra), float(tea)
            self.trained.emit()

    def _record(self, scores: tuple | None = None, params=None) -> None:
        """Append the train and test loss and accuracy (``scores``, else measured now);
        ``params`` gives the epoch's flat parameters if they are not the network's now."""
        tr, te = scores if scores is not None else self._scores()
        self.history.append(self.epoch, tr[0], te[0], tr[1], te[1])
        self.early.observe(te[0], params)

    def current_rate(self) -> float:
        """The learning rate the next step uses (the schedule at the current epoch)."""
        return self.doc.config.rate(self.epoch)

    def announce(self) -> None:
        self._announced_at, self._unannounced = time.monotonic(), False
        self.doc.network_updated()
        self.trained.emit()

    def _restart(self, clear_history: bool) -> None:
        self.back.forget()
        self.epoch = self.steps = 0
        self._opt = OptimizerState()
        self.early.reset()
        self._order, self._cursor = np.zeros(0, dtype=int), 0
        self.last_record = self.last_finite = self._epoch_start = None
        if clear_history:
            self.history.clear()

    # ------------------------------------------------------------ workspace
    def state(self) -> dict[str, Any]:
        """The lab's own settings (the data set's part of a workspace is the document's)."""
        return {"speed": self.speed, "init": self.init_method, "init_gain": self.init_gain}

    def restore_state(self, state: dict[str, Any]) -> None:
        """Validate then apply; ValueError (nothing changed) on bad input. The data keys
        of files written before the data set was the document's go to the document."""
        if not isinstance(state, dict):
            raise ValueError("training state: expected an object")
        speed = state.get("speed", 0)
        if speed not in SPEEDS:
            raise ValueError(f"training state: speed must be one of {SPEEDS}")
        init = state.get("init", "xavier")
        if init not in INITIALISERS:
            raise ValueError(f"training state: unknown initialiser {init!r}")
        gain = check_gain(state.get("init_gain", 1.0))
        data = {k: v for k, v in state.items() if k in DATA_KEYS}
        if data:
            self.doc.restore_data_state(data)   # ValueError: nothing changed
        self.set_speed(speed)
        self.init_method, self.init_gain = init, gain
        features = self.features
        if data and features != PLAIN and {"x1", "x2"} <= set(features):
            ex = self.doc.example_x  # the workspace's example, as features: its point
            self.example_point = ex[[features.index("x1"), features.index("x2")]].copy()

    # ------------------------------------------------------------ step back
    def can_step_back(self) -> bool:
        return self.back.can_go_back()

    def step_back(self) -> bool:
        """Undo the last step or run of Play (under way too); False if it is not training."""
        self.playback.pause()
        return self.back.go_back()

    def progress(self) -> dict:
        """The whole run in memory (:meth:`StepBack.progress`), for a failed open."""
        return self.back.progress()

    def restore_progress(self, got: dict) -> None:
        """Put back a :meth:`progress` of the same network shape (else nothing changes)."""
        if self.back.restore_progress(got):
            self.trained.emit()

    def shutdown(self) -> None:
        self.back.forget()
        self.playback.pause()
        self.big_grid.shutdown()
        self.fast.shutdown()
        self.readouts.shutdown()
