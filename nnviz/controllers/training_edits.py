"""Network edits of the training controller: reset, revert, activations, initialiser."""

from __future__ import annotations

import numpy as np

from nnviz.engine.activations import ACTIVATIONS, get_activation
from nnviz.engine.batchnorm import BatchNorm
from nnviz.engine.data import encode
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
        self.pause()
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
        self._announce()

    def revert(self) -> bool:
        """Go back to the last finite network after a blow-up; False if there is none."""
        if self.last_finite is None:
            return False
        self.doc.set_network(self.last_finite, "Revert to the last finite network")
        self.last_finite = None
        self.blowup_message = ""
        self._opt = OptimizerState()
        self._announce()
        return True

    def set_activation(self, layer: int, name: str) -> None:
        """Change one layer's activation, keeping the weights (undoable)."""
        net = self.doc.network
        if name not in ACTIVATIONS:
            raise ValueError(f"unknown activation {name!r}")
        if name == "softmax" and layer != net.n_layers - 1:
            raise ValueError("softmax is only for the output layer")
        new = net.copy()
        new.activations[layer] = get_activation(name)
        self.doc.set_network(new, f"Layer {layer + 1} activation: {name}")
        if layer == net.n_layers - 1 and self.data.labels is not None:
            ds = self.data
            ds.y = encode(ds.labels, new.sizes[-1], name)
            self._install(ds, self.edited)
        self._announce()

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
        self._announce()

    def set_init_gain(self, gain: float) -> None:
        """The weight-scale factor of the next reset (every drawn weight times ``gain``)."""
        self.init_gain = check_gain(gain)

    def set_init(self, method: str) -> None:
        """The initialiser used by the next reset."""
        if method not in INITIALISERS:
            raise ValueError(f"unknown initialiser {method!r}")
        self.init_method = method
