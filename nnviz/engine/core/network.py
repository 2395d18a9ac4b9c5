"""A feed-forward network of dense layers, batched, in the notes' convention.

``weights[l]`` has shape (n_out, n_in) (w_jk: from neuron k of the layer below
to neuron j), ``biases[l]`` shape (n_out,). A layer may share one bias value
among its neurons (the 2-2-2 example) or have no bias at all. Inputs are
batched: shape (n_samples, n_in).

The forward and backward passes are pure functions that return plain records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from nnviz.engine.core.activations import Activation, get_activation
from nnviz.engine.core.losses import Loss

Array = np.ndarray


@dataclass
class Network:
    """Weights, biases and activation of each layer.

    Attributes
    ----------
    weights : list of ndarray, shapes (n_out, n_in)
    biases : list of ndarray, shapes (n_out,)
    activations : list of Activation, one per layer
    shared_bias : list of bool; True if the layer's neurons share one bias value
    use_bias : list of bool; False if the layer has no bias (it stays 0)
    norms : list of BatchNorm or None; batch normalisation of a hidden layer's z before
        its activation (:mod:`nnviz.engine.core.batchnorm`); None (the default) for none.
        gamma and beta are not in :meth:`get_params` (the labs' flat parameters).
    """

    weights: list[Array]
    biases: list[Array]
    activations: list[Activation]
    shared_bias: list[bool] = field(default_factory=list)
    use_bias: list[bool] = field(default_factory=list)
    norms: list = field(default_factory=list)

    def __post_init__(self) -> None:
        n = len(self.weights)
        self.weights = [np.array(w, dtype=np.float64, ndmin=2) for w in self.weights]
        self.biases = [np.array(b, dtype=np.float64).reshape(-1) for b in self.biases]
        if not self.shared_bias:
            self.shared_bias = [False] * n
        if not self.use_bias:
            self.use_bias = [True] * n
        if not self.norms:
            self.norms = [None] * n
        if len(self.norms) != n or self.norms[-1] is not None:
            raise ValueError("batch normalisation: one entry a layer, none for the output")
        for l, bn in enumerate(self.norms):
            if bn is not None and bn.size != self.weights[l].shape[0]:
                raise ValueError(f"layer {l + 1}: batch normalisation of the wrong size")
        if not (len(self.biases) == len(self.activations) == len(self.shared_bias)
                == len(self.use_bias) == n):
            raise ValueError("weights, biases, activations and bias flags need one entry a layer")
        for l, (w, b) in enumerate(zip(self.weights, self.biases)):
            if b.shape != (w.shape[0],):
                raise ValueError(f"layer {l + 1}: bias shape {b.shape} does not match "
                                 f"{w.shape[0]} neurons")
            if l and w.shape[1] != self.weights[l - 1].shape[0]:
                raise ValueError(f"layer {l + 1}: weights take {w.shape[1]} inputs but the "
                                 f"layer below has {self.weights[l - 1].shape[0]} neurons")

    # ------------------------------------------------------------------ build
    @classmethod
    def create(
        cls,
        sizes: Sequence[int],
        activations: Sequence[str | Activation] | str = "sigmoid",
        rng: np.random.Generator | None = None,
        init: str = "xavier",
        init_scale: float = 0.5,
        bias: float = 0.0,
        output_activation: str | None = None,
    ) -> Network:
        """A new network of the given layer sizes, initialised by ``init``.

        ``sizes`` includes the input layer. ``activations`` is one name for all
        layers or one per layer; ``output_activation`` overrides the last one.
        """
        from nnviz.engine.core.init import init_weights

        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError("a network needs an input and an output layer, each of size >= 1")
        n_layers = len(sizes) - 1
        if isinstance(activations, (str, Activation)):
            activations = [activations] * n_layers
        acts = [a if isinstance(a, Activation) else get_activation(a) for a in activations]
        if len(acts) != n_layers:
            raise ValueError(f"need {n_layers} activations, got {len(acts)}")
        if output_activation is not None:
            acts[-1] = get_activation(output_activation)
        rng = rng if rng is not None else np.random.default_rng(0)
        weights = init_weights(sizes, init, rng, init_scale)
        biases = [np.full(s, float(bias)) for s in sizes[1:]]
        return cls(weights, biases, acts)

    def copy(self) -> Network:
        """A deep copy (arrays copied, once: by ``__post_init__``)."""
        return Network(
            list(self.weights),
            list(self.biases),
            list(self.activations),
            list(self.shared_bias),
            list(self.use_bias),
            [None if bn is None else bn.copy() for bn in self.norms],
        )

    @property
    def has_batch_norm(self) -> bool:
        return any(bn is not None for bn in self.norms)

    # ------------------------------------------------------------ properties
    @property
    def sizes(self) -> list[int]:
        """Layer sizes including the input layer."""
        return [self.weights[0].shape[1]] + [w.shape[0] for w in self.weights]

    @property
    def n_layers(self) -> int:
        """Number of weight layers (hidden + output)."""
        return len(self.weights)

    def n_params(self) -> int:
        """Number of free parameters (a shared bias counts once, no bias not at all)."""
        n = sum(w.size for w in self.weights)
        for b, shared, used in zip(self.biases, self.shared_bias, self.use_bias):
            if used:
                n += 1 if shared else b.size
        return n

    def is_finite(self) -> bool:
        """True if every weight and bias is finite."""
        return all(np.isfinite(w).all() for w in self.weights) and all(
            np.isfinite(b).all() for b in self.biases
        )

    def equals(self, other: Network) -> bool:
        """Bit-for-bit equality of structure and parameters."""
        return (
            self.sizes == other.sizes
            and [a.name for a in self.activations] == [a.name for a in other.activations]
            and self.shared_bias == other.shared_bias
            and self.use_bias == other.use_bias
            and all(np.array_equal(a, b) for a, b in zip(self.weights, other.weights))
            and all(np.array_equal(a, b) for a, b in zip(self.biases, other.biases))
            and all((a is None and b is None) or (a is not None and b is not None and a.equals(b))
                    for a, b in zip(self.norms, other.norms))
        )

    # ------------------------------------------------------ flat parameters
    def get_params(self) -> Array:
        """All free parameters as one vector (weights then biases, layer by layer)."""
        parts = []
        for l in range(self.n_layers):
            parts.append(self.weights[l].ravel())
            if self.use_bias[l]:
                parts.append(self.biases[l][:1] if self.shared_bias[l] else self.biases[l])
        return np.concatenate(parts)

    def set_params(self, theta: Array) -> None:
        """Inverse of :meth:`get_params` (in place)."""
        theta = np.asarray(theta, dtype=np.float64)
        i = 0
        for l in range(self.n_layers):
            w = self.weights[l]
            w[...] = theta[i:i + w.size].reshape(w.shape)
            i += w.size
            if self.use_bias[l]:
                if self.shared_bias[l]:
                    self.biases[l][:] = theta[i]
                    i += 1
                else:
                    self.biases[l][:] = theta[i:i + self.biases[l].size]
                    i += self.biases[l].size
        if i != theta.size:
            raise ValueError(f"expected {i} parameters, got {theta.size}")

    def flat_grads(self, grads: Sequence[LayerGrad]) -> Array:
        """Gradient records flattened in :meth:`get_params` order."""
        parts = []
        for l, g in enumerate(grads):
            parts.append(g.dw.ravel())
            if self.use_bias[l]:
                parts.append(g.db[:1] if self.shared_bias[l] else g.db)
        return np.concatenate(parts)


@dataclass
class ForwardPass:
    """Record of a forward pass.

    ``zs[l]`` (shape (n, n_l)) is the weighted input (net) of weight layer l,
    ``activations[0]`` is the input and ``activations[l + 1]`` the output (out)
    of weight layer l. ``masks[l]`` is the (scaled) dropout mask applied to
    layer l's output, or None.
    """

    zs: list[Array]
    activations: list[Array]
    masks: list[Array | None]
    #: with batch normalisation: per layer the z before it (``zs`` holds gamma x_hat + beta,
    #: what the activation sees) and its cache, else None
    pre_norm: list[Array | None] = field(default_factory=list)
    norm_caches: list = field(default_factory=list)

    @property
    def output(self) -> Array:
        """The network's output, shape (n, n_out)."""
        return self.activations[-1]


@dataclass
class LayerGrad:
    """Per weight layer: net (z), out (a), delta = dC/dz, dC/dw and dC/db.

    ``delta`` is per sample, shape (n, n_out), of the per-sample cost; ``dw``
    and ``db`` are of the reduced cost (summed or averaged over the samples).
    For a shared bias every entry of ``db`` holds the derivative with respect
    to the one shared value.
    """

    net: Array
    out: Array
    delta: Array
    dw: Array
    db: Array
    dgamma: Array | None = None   # batch normalisation's gamma and beta (else None)
    dbeta: Array | None = None


def as_batch(x: Array, n_in: int) -> Array:
    """Inputs as a float64 array of shape (n, n_in)."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 1:
        x = x.reshape(1, -1) if x.size == n_in else x.reshape(-1, 1)
    if x.ndim != 2 or x.shape[1] != n_in:
        raise ValueError(f"inputs of shape {x.shape} do not fit a network with {n_in} inputs")
    return x


def forward(net: Network, x: Array, masks: Sequence[Array | None] | None = None,
            training: bool = False) -> ForwardPass:
    """Feed ``x`` (n, n_in) forward; ``masks`` are per-layer dropout masks (or None).

    Batch-normalised layers use the batch's statistics (and update their running
    averages) when ``training``, else the running averages.
    """
    a = as_batch(x, net.sizes[0])
    zs: list[Array] = []
    acts = [a]
    used_masks: list[Array | None] = []
    pre: list[Array | None] = []
    caches: list = []
    for l in range(net.n_layers):
        z = a @ net.weights[l].T
        if net.use_bias[l]:
            z += net.biases[l]
        bn = net.norms[l]
        if bn is not None:
            pre.append(z)
            z, cache = bn.forward(z, training)
            caches.append(cache)
        else:
            pre.append(None)
            caches.append(None)
        a = net.activations[l].fn(z)
        m = masks[l] if masks is not None else None
        if m is not None:
            a = a * m
        zs.append(z)
        acts.append(a)
        used_masks.append(m)
    return ForwardPass(zs, acts, used_masks, pre, caches)


def predict(net: Network, x: Array) -> Array:
    """The network's output for inputs x (n, n_in), without dropout."""
    return forward(net, x).output


def backward(net: Network, fwd: ForwardPass, y: Array, loss: Loss) -> list[LayerGrad]:
    """Backpropagation by BP1-BP4 for the cost ``loss`` over the batch in ``fwd``.

    BP1: delta^L = grad_a C * f'(z^L) (a - y for sigmoid + BCE and for softmax + CE with
    targets summing to 1; a * sum(y) - y for other softmax targets);
    BP2: delta^l = (w^(l+1)^T delta^(l+1)) * f'(z^l); BP3: dC/db = delta;
    BP4: dC/dw_jk = a_k^(l-1) delta_j.
    """
    y = np.asarray(y, dtype=np.float64)
    out = fwd.output
    if y.ndim == 1:
        y = y.reshape(out.shape)
    n = out.shape[0]
    scale = loss.scale(n)
    L = net.n_layers
    act = net.activations[-1]
    if fwd.masks[-1] is not None:
        raise ValueError("dropout is not applied to the output layer")
    if loss.combined_delta(act.name):
        # softmax + CE: a Σ_j y_j − y, which is a − y when the targets sum to 1 (one-hot)
        delta = out * np.sum(y, axis=1, keepdims=True) - y if act.vector else out - y
    else:
        delta = act.backprop(fwd.zs[-1], out, loss.grad(out, y))
    grads: list[LayerGrad | None] = [None] * L
    for l in range(L - 1, -1, -1):
        a_in = fwd.activations[l]
        dgamma = dbeta = None
        bn = net.norms[l]
        if bn is not None:  # delta is dC/dy of y = gamma x_hat + beta: on to the z before it
            delta, dgamma, dbeta = bn.backward(delta, fwd.norm_caches[l])
            dgamma, dbeta = dgamma * scale, dbeta * scale
        dw = (delta.T @ a_in) * scale
        if net.use_bias[l]:
            db = np.sum(delta, axis=0) * scale
            if net.shared_bias[l]:
                db = np.full_like(db, np.sum(db))
        else:
            db = np.zeros(delta.shape[1])
        grads[l] = LayerGrad(fwd.zs[l], fwd.activations[l + 1], delta, dw, db, dgamma, dbeta)
        if l > 0:
            grad_a = delta @ net.weights[l]
            m = fwd.masks[l - 1]
            z = fwd.zs[l - 1]
            below = net.activations[l - 1]
            if m is not None:
                grad_a = grad_a * m
                a_plain = below.fn(z)
            else:
                a_plain = fwd.activations[l]
            delta = below.backprop(z, a_plain, grad_a)
    return grads  # type: ignore[return-value]


def cost(net: Network, x: Array, y: Array, loss: Loss) -> float:
    """The cost of the network on (x, y), without regularisation or dropout; inf or nan
    (without a warning) if the network has blown up; callers check with np.isfinite."""
    with np.errstate(over="ignore", invalid="ignore"):
        return loss.value(predict(net, x), np.asarray(y, dtype=np.float64).reshape(len(x), -1))
