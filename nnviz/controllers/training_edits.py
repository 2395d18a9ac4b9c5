"""Network edits of the training controller: reset, revert, activations, initialiser,
neurons and hidden layers, input features (all undoable)."""

from __future__ import annotations

import numpy as np

from nnviz.engine import edit
from nnviz.engine.activations import ACTIVATIONS, get_activation
from nnviz.engine.batchnorm import BatchNorm
from nnviz.engine.features import PLAIN, expand, rewire, toggled
from nnviz.engine.init import GAIN_RANGE, INITIALISERS, init_weights
from nnviz.engine.network import Network
from nnviz.engine.training import OptimizerState


def check_gain(gain) -> float:
    """A weight scale from the user or a file, or ValueError."""
    if isinstance(gain, bool) or not isinstance(gain, (int, float)) or not (
            np.isfinite(gain) and GAIN_RANGE[0] <= gain <= GAIN_RANGE[1]):
        raise ValueError(f"the weight scale must be a number in [0, {GAIN_RANGE[1]:g}]")
    return float(gain)


class NetworkEdits:
    """Methods of :class:`~nnviz.controllers.training.TrainingController` that replace the
    document's network (undoable) and restart or resume training."""

    def reset(self) -> None:
        """New initial weights (the chosen initialiser), epoch 0, empty history."""
        self.playback.pause()
        old = self.doc.network
        self._resets += 1
        rng = np.random.default_rng(self.doc.lesson.seed + 1000 * self._resets)
        _method, scale, bias = self.doc.lesson.init     # the lesson's U(±scale) (keras: 0.05)
        weights = init_weights(old.sizes, self.init_method, rng, scale, self.init_gain)
        net = Network(weights, [np.full_like(b, bias) for b in old.biases], list(old.activations),
                      list(old.shared_bias), list(old.use_bias),
                      [None if bn is None else BatchNorm.new(bn.size) for bn in old.norms])
        self.doc.set_network(net, "Reset training")
        self._restart(clear_history=True)
        self._record()
        self.announce()

    def revert(self) -> bool:
        """Go back to the last finite network after a blow-up; False if there is none."""
        if self.last_finite is None:
            return False
        self.doc.set_network(self.last_finite, "Revert to the last finite network")
        self.last_finite = None
        self.blowup_message = ""
        self._opt = OptimizerState()
        self.announce()
        return True

    def set_activation(self, layer: int, name: str) -> None:
        """Change one layer's activation, keeping the weights (undoable)."""
        net = self.doc.network
        if name not in ACTIVATIONS:
            raise ValueError(f"unknown activation {name!r}")
        if ACTIVATIONS[name].vector and layer != net.n_layers - 1:
            raise ValueError(f"{name} is only for the output layer")
        new = net.copy()
        new.activations[layer] = get_activation(name)
        # the document encodes the class targets for the new output (its refit)
        self.doc.set_network(new, f"Layer {layer + 1} activation: {name}")
        self.announce()

    def set_batch_norm(self, layer: int, on: bool) -> None:
        """Batch normalisation of hidden layer ``layer`` (0 = the first) on (gamma = 1,
        beta = 0) or off, keeping the weights (undoable)."""
        net = self.doc.network
        if not 0 <= layer < net.n_layers - 1:
            raise ValueError("only hidden layers are batch-normalised")
        if (net.norms[layer] is not None) == bool(on):
            return
        new = net.copy()
        new.norms[layer] = BatchNorm.new(new.sizes[layer + 1]) if on else None
        self.doc.set_network(new, f"Hidden layer {layer + 1}: batch norm {'on' if on else 'off'}")
        self._opt = OptimizerState()   # gamma and beta: the optimiser starts afresh
        self.announce()

    def set_init_gain(self, gain: float) -> None:
        """The weight-scale factor of the next reset (every drawn weight times ``gain``)."""
        gain = check_gain(gain)
        if gain != self.init_gain:
            self.init_gain = gain
            self.init_changed.emit()

    def set_init(self, method: str) -> None:
        """The initialiser used by the next reset."""
        if method not in INITIALISERS:
            raise ValueError(f"unknown initialiser {method!r}")
        if method != self.init_method:
            self.init_method = method
            self.init_changed.emit()

    def sync_example(self) -> None:
        """The Workbench's example reads the same features as the network (its point of the
        plane, as the lesson gave it, through the features chosen)."""
        doc = self.doc
        if len(doc.example_x) != doc.network.sizes[0] and self.example_point is not None:
            doc.set_example(expand(self.example_point[None], self.features)[0], doc.example_y)

    # ------------------------------------------------------------ structure
    def resize_layer(self, layer: int, delta: int) -> bool:
        """One neuron more (+1) or less (-1) in hidden neuron layer ``layer`` (undoable);
        False (with a message) if that is not possible."""
        net = self.doc.network
        size = net.sizes[layer] + delta if 1 <= layer < len(net.sizes) - 1 else 0
        return self._edit(lambda: edit.resize_layer(net, layer, size, self._edit_rng),
                          f"Hidden layer {layer}: {size} neuron{'s' if size != 1 else ''}")

    def change_layers(self, delta: int) -> bool:
        """Add a hidden layer before the output (like the last hidden one) or remove the last
        hidden layer (undoable); False (with a message) if that is not possible."""
        net = self.doc.network
        L = len(net.sizes) - 1
        if delta > 0:
            size = net.sizes[-2] if L > 1 else 4
            act = net.activations[-2].name if L > 1 else "tanh"
            return self._edit(lambda: edit.insert_layer(net, L, size, act, self._edit_rng),
                              "Add a hidden layer")
        if L < 2:
            self.doc.message.emit("There is no hidden layer to remove.")
            return False
        return self._edit(lambda: edit.remove_layer(net, L - 1, self._edit_rng),
                          "Remove the last hidden layer")

    def _edit(self, make, text: str) -> bool:
        try:
            new = make()
        except ValueError as e:
            self.doc.message.emit(str(e))
            return False
        self.doc.set_network(new, text)
        return True

    def toggle_feature(self, name: str) -> bool:
        """Switch an input feature on or off (undoable, with the network's new first
        layer); False (with a message) for a network that does not read the plane."""
        net = self.doc.network
        if self.points_in() != 2 or not len(self.data.x) or self.data.x.shape[1] != 2:
            self.doc.message.emit("Input features need a data set of 2-D points.")
            return False
        try:
            after = toggled(self.features, name)
        except ValueError as e:
            self.doc.message.emit(str(e))
            return False
        new = net.copy()
        new.weights[0] = rewire(net.weights[0], self.features, after, self._edit_rng)
        new = Network(new.weights, new.biases, new.activations, new.shared_bias, new.use_bias,
                      new.norms)  # checked again: the first layer reads the new features
        text = "Input features: " + ", ".join(after if after != PLAIN else PLAIN)
        self.doc.set_features(after, new, text)
        return True
