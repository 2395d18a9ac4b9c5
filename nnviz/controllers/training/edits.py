"""Network edits of the training controller (:class:`NetworkEdits`, ``ctl.edits``): reset,
revert, activations, batch normalisation, initialiser, neurons and hidden layers, input
features (all undoable)."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

import numpy as np

from nnviz.engine.core import edit
from nnviz.engine.core.activations import ACTIVATIONS, get_activation
from nnviz.engine.core.batchnorm import BatchNorm
from nnviz.engine.core.init import GAIN_RANGE, INITIALISERS, init_weights
from nnviz.engine.core.network import Network
from nnviz.engine.learning.training import OptimizerState
from nnviz.engine.sets.features import PLAIN, expand, rewire, toggled

if TYPE_CHECKING:
    from nnviz.controllers.training.controller import TrainingController


def check_gain(gain) -> float:
    """A weight scale from the user or a file, or ValueError."""
    if isinstance(gain, bool) or not isinstance(gain, (int, float)) or not (
            np.isfinite(gain) and GAIN_RANGE[0] <= gain <= GAIN_RANGE[1]):
        raise ValueError(f"the weight scale must be a number in [0, {GAIN_RANGE[1]:g}]")
    return float(gain)


class NetworkEdits:
    """The edits that replace the document's network (undoable) and restart or resume
    the training of a :class:`~nnviz.controllers.training.controller.TrainingController`, whose run
    fields (optimiser, last finite network, the initialiser chosen) they read and set.
    Their own state: how many Resets there were and the generator of structure edits'
    new weights."""

    def __init__(self, ctl: TrainingController) -> None:
        self._ctl = weakref.proxy(ctl)   # its owner (no cycle through it)
        self.resets = 0   # Resets since the lesson opened: each draws other weights
        self.rng = np.random.default_rng(0)   # new weights of structure edits

    def start(self, seed: int) -> None:
        """A lesson opened: its generator for the new weights of structure edits."""
        self.rng = np.random.default_rng(seed + 7)

    def reset(self) -> None:
        """New initial weights (the chosen initialiser), epoch 0, empty history."""
        c = self._ctl
        c.playback.pause()
        old = c.doc.network
        self.resets += 1
        rng = np.random.default_rng(c.doc.lesson.seed + 1000 * self.resets)
        _method, scale, bias = c.doc.lesson.init     # the lesson's U(±scale) (keras: 0.05)
        weights = init_weights(old.sizes, c.init_method, rng, scale, c.init_gain)
        net = Network(weights, [np.full_like(b, bias) for b in old.biases], list(old.activations),
                      list(old.shared_bias), list(old.use_bias),
                      [None if bn is None else BatchNorm.new(bn.size) for bn in old.norms])
        c.doc.set_network(net, "Reset training")
        c._restart(clear_history=True)
        c._record()
        c.announce()

    def revert(self) -> bool:
        """Go back to the last finite network after a blow-up; False if there is none."""
        c = self._ctl
        if c.last_finite is None:
            return False
        c.doc.set_network(c.last_finite, "Revert to the last finite network")
        c.last_finite = None
        c.blowup_message = ""
        c._opt = OptimizerState()
        c.announce()
        return True

    def set_activation(self, layer: int, name: str) -> None:
        """Change one layer's activation, keeping the weights (undoable)."""
        c = self._ctl
        net = c.doc.network
        if name not in ACTIVATIONS:
            raise ValueError(f"unknown activation {name!r}")
        if ACTIVATIONS[name].vector and layer != net.n_layers - 1:
            raise ValueError(f"{name} is only for the output layer")
        new = net.copy()
        new.activations[layer] = get_activation(name)
        # the document encodes the class targets for the new output (its refit)
        c.doc.set_network(new, f"Layer {layer + 1} activation: {name}")
        c.announce()

    def set_batch_norm(self, layer: int, on: bool) -> None:
        """Batch normalisation of hidden layer ``layer`` (0 = the first) on (gamma = 1,
        beta = 0) or off, keeping the weights (undoable)."""
        c = self._ctl
        net = c.doc.network
        if not 0 <= layer < net.n_layers - 1:
            raise ValueError("only hidden layers are batch-normalised")
        if (net.norms[layer] is not None) == bool(on):
            return
        new = net.copy()
        new.norms[layer] = BatchNorm.new(new.sizes[layer + 1]) if on else None
        c.doc.set_network(new, f"Hidden layer {layer + 1}: batch norm {'on' if on else 'off'}")
        c._opt = OptimizerState()   # gamma and beta: the optimiser starts afresh
        c.announce()

    def set_init_gain(self, gain: float) -> None:
        """The weight-scale factor of the next reset (every drawn weight times ``gain``)."""
        c = self._ctl
        gain = check_gain(gain)
        if gain != c.init_gain:
            c.init_gain = gain
            c.init_changed.emit()

    def set_init(self, method: str) -> None:
        """The initialiser used by the next reset."""
        c = self._ctl
        if method not in INITIALISERS:
            raise ValueError(f"unknown initialiser {method!r}")
        if method != c.init_method:
            c.init_method = method
            c.init_changed.emit()

    def sync_example(self) -> None:
        """The Workbench's example reads the same features as the network (its point of the
        plane, as the lesson gave it, through the features chosen)."""
        c = self._ctl
        doc = c.doc
        if len(doc.example_x) != doc.network.sizes[0] and c.example_point is not None:
            doc.set_example(expand(c.example_point[None], c.features)[0], doc.example_y)

    # ------------------------------------------------------------ structure
    def resize_layer(self, layer: int, delta: int) -> bool:
        """One neuron more (+1) or less (-1) in hidden neuron layer ``layer`` (undoable);
        False (with a message) if that is not possible."""
        c = self._ctl
        net = c.doc.network
        size = net.sizes[layer] + delta if 1 <= layer < len(net.sizes) - 1 else 0
        return self._edit(lambda: edit.resize_layer(net, layer, size, self.rng),
                          f"Hidden layer {layer}: {size} neuron{'s' if size != 1 else ''}")

    def change_layers(self, delta: int) -> bool:
        """Add a hidden layer before the output (like the last hidden one) or remove the last
        hidden layer (undoable); False (with a message) if that is not possible."""
        c = self._ctl
        net = c.doc.network
        L = len(net.sizes) - 1
        if delta > 0:
            size = net.sizes[-2] if L > 1 else 4
            act = net.activations[-2].name if L > 1 else "tanh"
            return self._edit(lambda: edit.insert_layer(net, L, size, act, self.rng),
                              "Add a hidden layer")
        if L < 2:
            c.doc.message.emit("There is no hidden layer to remove.")
            return False
        return self._edit(lambda: edit.remove_layer(net, L - 1, self.rng),
                          "Remove the last hidden layer")

    def _edit(self, make, text: str) -> bool:
        c = self._ctl
        try:
            new = make()
        except ValueError as e:
            c.doc.message.emit(str(e))
            return False
        c.doc.set_network(new, text)
        return True

    def toggle_feature(self, name: str) -> bool:
        """Switch an input feature on or off (undoable, with the network's new first
        layer); False (with a message) for a network that does not read the plane."""
        c = self._ctl
        net = c.doc.network
        if c.points_in() != 2 or not len(c.data.x) or c.data.x.shape[1] != 2:
            c.doc.message.emit("Input features need a data set of 2-D points.")
            return False
        try:
            after = toggled(c.features, name)
        except ValueError as e:
            c.doc.message.emit(str(e))
            return False
        new = net.copy()
        new.weights[0] = rewire(net.weights[0], c.features, after, self.rng)
        new = Network(new.weights, new.biases, new.activations, new.shared_bias, new.use_bias,
                      new.norms)  # checked again: the first layer reads the new features
        text = "Input features: " + ", ".join(after if after != PLAIN else PLAIN)
        c.doc.set_features(after, new, text)
        return True
