"""The document: the current lesson, its live network, data and settings, and undo.

Every lab reads the document; edits go through its setters so they are
undoable and every view hears one signal.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from nnviz.controllers.undo import Change
from nnviz.controllers.undo_bytes import BoundedUndoStack
from nnviz.engine.core.losses import get_loss
from nnviz.engine.core.naming import Naming
from nnviz.engine.core.network import Network
from nnviz.engine.learning.training import TrainConfig
from nnviz.engine.sets.data import DataSet, DataSpec, make_dataset
from nnviz.engine.sets.data_state import (
    DocData,
    data_state,
    empty,
    lesson_data,
    lesson_spec,
    opened_data,
    refit,
    restored_data,
)
from nnviz.engine.teaching.lessons import Lesson, LessonError, load_lesson

DEFAULT_LESSON = "mazur-2-2-2"
#: the Workbench timeline's steps are on this history: step 0 and 999 steps (MAX_TIMELINE)
MAX_UNDO = 999
MAX_UNDO_BYTES = 256 * 1024 * 1024


class Document(QObject):
    """The current lesson and its live state, shared by all labs."""

    lesson_changed = Signal()      # a new lesson: everything is new
    network_changed = Signal()     # anything in the network changed (every change)
    structure_changed = Signal()   # its shape changed (see network_shape): a new network
    data_changed = Signal()        # the data set changed
    settings_changed = Signal()    # loss or hyper-parameters changed
    modified_changed = Signal(bool)
    history_moved = Signal()       # the undo history's index moved (undo, redo, a new step)
    history_cleared = Signal()     # the undo history was emptied (a lesson or file opened)
    message = Signal(str)          # something to tell the user (status bar)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # at most MAX_UNDO steps holding at most MAX_UNDO_BYTES (measured after every push,
        # so a network that grows mid-session keeps fewer of its bigger steps)
        self.undo_stack = BoundedUndoStack.owned_by(
            self, MAX_UNDO_BYTES, MAX_UNDO,
            {"cleanChanged": Document._on_clean_changed, "indexChanged": Document._on_index_changed})
        self._dirty = False  # changed outside the undo stack (training, settings, data)
        self.lesson: Lesson | None = None
        self.network: Network | None = None
        self.loss_name = "half_sse"
        self.config = TrainConfig()
        self.dataset: DocData = empty(1, 1)   # the data set, its split and input features
        self._lesson_spec = DataSpec()          # what the lesson makes (when nothing else fits)
        self._opened_rows = (np.zeros((0, 1)), np.zeros((0, 1)))   # as the lesson / file gave
        self.example_x = np.zeros(1)
        self.example_y = np.zeros(1)
        self.layer_base = 1   # the input layer is layer 1, as notes 002 and 004
        self._layered = self._flat = (None, None)   # naming()'s (key, names) made last

    # ------------------------------------------------------------ lessons
    def load_lesson(self, lesson: str | Lesson, clear_undo: bool = True) -> None:
        """Open a lesson by name, path or object; LessonError leaves everything as it was.
        Its data set is made here, whole (with its split), from the lesson alone."""
        if not isinstance(lesson, Lesson):
            lesson = load_lesson(lesson)
        rows = lesson.dataset()
        ex_x, ex_y = lesson.example()
        spec, why = lesson_spec(lesson)
        self._install_all(lesson, lesson.network, lesson_data(spec, lesson.network, rows),
                          rows, (ex_x, ex_y), lesson.train, lesson.loss, clear_undo)
        if why:
            self.message.emit(why)
        self.message.emit(f"Opened lesson: {lesson.title}")

    def restore_workspace(self, lesson: Lesson, network: Network, x: np.ndarray, y: np.ndarray,
                          example_x: np.ndarray, example_y: np.ndarray, config: TrainConfig,
                          loss_name: str, clear_undo: bool = True,
                          dataset: dict[str, Any] | DocData | None = None) -> None:
        """Install a whole saved workspace (already validated); emits every signal and
        clears undo (unless ``clear_undo`` is False: a transaction clears it once the
        whole open has succeeded, so a refused open keeps the history). ``dataset`` is
        the data's saved split and settings (:func:`data_state`, or the document's own
        :class:`DocData` to put back); without it the rows
        are the lesson's data set if they are what it makes, else a table of the rows.
        ValueError (nothing changed) if anything does not fit."""
        rows = (np.array(x, float), np.array(y, float))
        if isinstance(dataset, DocData):
            data = dataset
        elif dataset is not None:
            data = restored_data(dataset, rows, network)
        else:
            data = opened_data(lesson_spec(lesson)[0], network, rows)
        self._install_all(lesson, network, data, rows, (example_x, example_y), config,
                          loss_name, clear_undo)

    def _install_all(self, lesson: Lesson, network: Network, data: DocData, rows: tuple,
                     example: tuple, config: TrainConfig, loss_name: str,
                     clear_undo: bool) -> None:
        get_loss(loss_name)
        config.validate()
        if not network.is_finite():
            raise ValueError("the network has non-finite weights")
        self.lesson = lesson
        self.network = network.copy()
        self.loss_name = loss_name
        self.config = replace(config)
        self._lesson_spec = lesson_spec(lesson)[0]
        self.dataset, self._opened_rows = data, rows
        self.example_x, self.example_y = (np.array(a, float) for a in example)
        if clear_undo:
            self.clear_undo()
        self._dirty = False   # what the labs do when they hear it is a change
        self.lesson_changed.emit()
        self.structure_changed.emit()
        self.network_changed.emit()
        self.data_changed.emit()
        self.settings_changed.emit()
        self.modified_changed.emit(self.is_modified)

    def clear_undo(self) -> None:
        """Empty the undo history (its steps hold at most MAX_UNDO_BYTES in all)."""
        self.undo_stack.clear()
        self.undo_stack.setUndoLimit(MAX_UNDO)
        self.history_cleared.emit()

    # ------------------------------------------------------------ saved state
    @property
    def is_modified(self) -> bool:
        """True if something changed since the lesson was opened or the workspace saved."""
        return self._dirty or not self.undo_stack.isClean()

    def _on_clean_changed(self, _clean: bool) -> None:
        self.modified_changed.emit(self.is_modified)

    def _on_index_changed(self, _index: int) -> None:
        self.history_moved.emit()

    def mark_saved(self) -> None:
        """The current state has been saved: no unsaved changes."""
        self._dirty = False
        self.undo_stack.setClean()
        self.modified_changed.emit(False)

    def mark_modified(self) -> None:
        """Something not on the undo stack changed (e.g. a recovered workspace)."""
        if not self._dirty:
            self._dirty = True
            self.modified_changed.emit(True)

    def try_load_lesson(self, lesson: str | Lesson) -> str | None:
        """Like :meth:`load_lesson` but returns the error message instead of raising."""
        try:
            self.load_lesson(lesson)
        except (LessonError, OSError) as e:
            return str(e)
        return None

    @property
    def naming(self):
        """The lesson's names, or layer notation once the structure no longer matches them,
        numbered with the input layer as layer ``layer_base``."""
        if self.network is None:
            return None
        nm = self.lesson.naming if self.lesson else None
        sizes = self.network.sizes
        base = self.layer_base
        if nm is None or [len(n) for n in nm.neurons] != sizes or nm.layer_notation:
            if self._layered[0] != (sizes, base):
                self._layered = (sizes, base), Naming.layered(sizes, base)
            return self._layered[1]
        # one bias name a layer (b1) but unshared biases: one name a neuron (b1(h1))
        split = [len(b) == 1 and u and not s and n > 1 for b, s, u, n in
                 zip(nm.biases, self.network.shared_bias, self.network.use_bias, sizes[1:])]
        if nm.base != base or any(split):
            key = (id(nm), base, tuple(split))
            if self._flat[0] != key:
                biases = [[f"{b[0]}({nm.neurons[l + 1][j]})" for j in range(sizes[l + 1])]
                          if sp else b for l, (b, sp) in enumerate(zip(nm.biases, split))]
                self._flat = key, replace(nm, base=base, biases=biases)
            return self._flat[1]
        return nm

    def set_layer_base(self, base: int) -> None:
        """Number the input layer 1 (the notes) or 0; every name and title follows."""
        if base not in (0, 1):
            raise ValueError("the input layer is layer 0 or layer 1")
        if base != self.layer_base:
            self.layer_base = base
            self.settings_changed.emit()

    @property
    def loss(self):
        return get_loss(self.loss_name)

    @property
    def x(self) -> np.ndarray:
        """The inputs (n, n_in) as the network reads them (the input features)."""
        return self.dataset.net.x

    @property
    def y(self) -> np.ndarray:
        """The targets (n, n_out)."""
        return self.dataset.data.y

    @property
    def data(self) -> DataSet:
        """The data set: its points, labels, targets, train/test split and settings."""
        return self.dataset.data

    @property
    def net_data(self) -> DataSet:
        """The data set as the network reads it (the features of the points)."""
        return self.dataset.net

    # ------------------------------------------------------------ editing
    def set_weight(self, layer: int, j: int, k: int, value: float, merge: bool = False) -> None:
        """Set weight w[layer][j, k] (layer is the 0-based weight layer), undoably."""
        value = _finite(value, "weight")
        after = self.network.copy()
        after.weights[layer][j, k] = value
        name = self.naming.weight(layer, j, k) if self.naming else f"w[{layer}][{j},{k}]"
        self._push(after, f"Set {name} = {value:.6g}", ("weight", layer, j, k) if merge else None)

    def set_bias(self, layer: int, j: int, value: float, merge: bool = False) -> None:
        """Set the bias of neuron j in weight layer ``layer`` (all of them if shared)."""
        value = _finite(value, "bias")
        if not self.network.use_bias[layer]:
            raise ValueError("this layer has no bias")
        after = self.network.copy()
        if after.shared_bias[layer]:
            after.biases[layer][:] = value
        else:
            after.biases[layer][j] = value
        name = self.naming.bias(layer, j) if self.naming else f"b[{layer}][{j}]"
        self._push(after, f"Set {name} = {value:.6g}", ("bias", layer, j) if merge else None)

    def set_network(self, net: Network, text: str = "Change network") -> None:
        """Replace the whole network, undoably."""
        if not net.is_finite():
            raise ValueError("the network has non-finite weights")
        self._push(net.copy(), text)

    def network_updated(self) -> None:
        """Tell the views the network changed in place (training); not undoable."""
        self.network_changed.emit()
        self._dirty = True
        self.modified_changed.emit(True)

    def set_config(self, **changes: Any) -> None:
        """Change hyper-parameters (validated); emits settings_changed."""
        cfg = replace(self.config, **changes)
        cfg.validate()
        self.config = cfg
        self.settings_changed.emit()
        self.mark_modified()

    def set_loss(self, name: str) -> None:
        get_loss(name)
        self.loss_name = name
        self.settings_changed.emit()
        self.mark_modified()

    def set_data(self, x: np.ndarray, y: np.ndarray) -> None:
        """Replace the rows (n, n_in) / (n, n_out) as a table, read as they are (no input
        features); the split is kept for as many rows, else drawn again."""
        x = np.asarray(x, float)
        y = np.asarray(y, float).reshape(len(x), -1)
        if not (np.isfinite(x).all() and np.isfinite(y).all()):
            raise ValueError("the data contain NaN or infinite values")
        old = self.dataset.data
        ds = make_dataset(replace(old.spec, source="table"), x.shape[1], y.shape[1],
                          self.network.activations[-1].name if self.network else "linear",
                          (x, y))
        if len(old.test) == len(x):
            ds.test = old.test.copy()
        self._push_dataset(DocData(ds, True, wanted=self.dataset.wanted), "Replace the data")

    def set_training_data(self, ds: DataSet, edited: bool = True, text: str = "Change the data",
                          key: tuple | None = None) -> None:
        """Replace the data set (its points, for the input features now read) and split,
        undoably (``key``: consecutive edits of one setting merge into one step);
        ``edited``: the rows are the user's, not made from its settings."""
        self._push_dataset(self.dataset.with_data(ds, edited), text, key)

    def _push_dataset(self, data: DocData, text: str, key: tuple | None = None) -> None:
        self.undo_stack.push(Change(text, self._install_dataset, self.dataset, data,
                                    None if key is None else ("data", *key)))

    def _install_dataset(self, data: DocData) -> None:
        """A data set of the history (never changed in place: shared, not copied)."""
        self.dataset = data
        self.data_changed.emit()

    def restore_data_state(self, state: dict[str, Any]) -> None:
        """The data of a saved :func:`data_state` over the rows the document was opened
        with (validated first: ValueError changes nothing). Part of opening a workspace:
        not an undo step."""
        self._set_dataset(restored_data(state, self._opened_rows, self.network))

    def data_state(self) -> dict[str, Any]:
        """The data's part of a workspace (see :func:`data_state`)."""
        return data_state(self.dataset)

    def _set_dataset(self, data: DocData) -> None:
        self.dataset = data
        self.data_changed.emit()
        self.mark_modified()

    def set_features(self, features: tuple[str, ...], net: Network, text: str) -> None:
        """Read other input features of the points, with the network that reads them: one
        undo step for both."""
        self.undo_stack.push(Change(text, self._install_features,
                                    (self.dataset.features, self.network.copy()),
                                    (tuple(features), net.copy())))

    def _install_features(self, state: tuple[tuple[str, ...], Network]) -> None:
        features, net = state
        before, d = self.dataset, self.dataset
        self.dataset = DocData(d.data, d.edited, features, d.wanted)
        self._install_network(net.copy(), before)

    def set_example(self, x: np.ndarray, y: np.ndarray) -> None:
        """Replace the example the workbench steps through: input (n_in,), target (n_out,)."""
        x = np.asarray(x, float).reshape(-1)
        y = np.asarray(y, float).reshape(-1)
        if not (np.isfinite(x).all() and np.isfinite(y).all()):
            raise ValueError("inputs and targets must be finite numbers")
        if self.network is not None and (len(x), len(y)) != (self.network.sizes[0],
                                                              self.network.sizes[-1]):
            raise ValueError(f"the network needs {self.network.sizes[0]} inputs and "
                             f"{self.network.sizes[-1]} targets")
        self.example_x, self.example_y = x, y
        self.data_changed.emit()
        self.mark_modified()

    def _push(self, after: Network, text: str, key: tuple | None = None) -> None:
        """Replace the network undoably; edits with the same ``key`` merge (a drag). A new
        shape carries the data before and after: undo puts them back, never fits again."""
        before = self.network.copy()
        if network_shape(after) == network_shape(self.network):
            self.undo_stack.push(self.network_command(text, after, before, key=key))
            return
        fitted = refit(self.dataset, after, self._lesson_spec)
        self.undo_stack.push(Change(text, self._install_shaped, (before, (self.dataset, None)),
                                    (after, fitted), key, copy=lambda s: (s[0].copy(), s[1])))

    def network_command(self, text: str, after: Network, before: Network | None = None,
                        kind: type[Change] = Change, **kw: Any) -> Change:
        """The undo command (a ``kind``, not pushed) replacing the network by ``after``."""
        before = self.network.copy() if before is None else before
        return kind(text, self._install_network, before, after, copy=Network.copy, **kw)

    def _install_shaped(self, state: tuple[Network, tuple[DocData, str | None]]) -> None:
        self._install_network(state[0], fitted=state[1])

    def _install_network(self, net: Network, data_before: DocData | None = None,
                         fitted: tuple[DocData, str | None] | None = None) -> None:
        """The network installed (a new shape: the data fitted, or ``fitted``: its step's)."""
        new_shape = self.network is None or network_shape(net) != network_shape(self.network)
        self.network = net
        before = data_before or self.dataset
        why = None
        if new_shape:
            self.dataset, why = fitted or refit(self.dataset, net, self._lesson_spec)
            self.structure_changed.emit()
        self.network_changed.emit()
        if self.dataset is not before:
            self.data_changed.emit()
        if why:
            self.message.emit(why)


def network_shape(net: Network) -> tuple:
    """What ``structure_changed`` means: the layer sizes, activations, which layers have a
    bias and whether it is shared, and which are batch-normalised. Weights, biases and
    batch-norm parameters are not part of it (``network_changed`` alone)."""
    return (tuple(net.sizes), tuple(a.name for a in net.activations), tuple(net.use_bias),
            tuple(net.shared_bias), tuple(n is not None for n in net.norms))


def _finite(v: float, what: str) -> float:
    v = float(v)
    if not np.isfinite(v):
        raise ValueError(f"the {what} must be a finite number")
    return v
