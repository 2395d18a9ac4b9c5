"""Structural edits of a network, as pure functions returning a new Network.

Layers are numbered as neuron layers (0 = inputs, L = outputs); only hidden layers
(1 .. L-1) can be added, removed or resized. Kept weights stay as they were; new
weights are drawn Xavier-uniform from the injected generator, new biases are 0.
"""

from __future__ import annotations

import numpy as np

from nnviz.engine.core.activations import get_activation
from nnviz.engine.core.batchnorm import BatchNorm
from nnviz.engine.core.network import Network

MAX_NEURONS = 1024
MAX_HIDDEN_LAYERS = 8


def _xavier(n_out: int, n_in: int, rng: np.random.Generator) -> np.ndarray:
    lim = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-lim, lim, size=(n_out, n_in))


def _check_hidden(net: Network, layer: int) -> None:
    if not 1 <= layer <= net.n_layers - 1:
        raise ValueError(f"layer {layer} is not a hidden layer (hidden layers are 1.."
                         f"{net.n_layers - 1})")


def resize_layer(net: Network, layer: int, size: int, rng: np.random.Generator) -> Network:
    """Hidden ``layer`` with ``size`` neurons; weights (size, n_in) and (n_next, size).

    Neurons 0..min(old, size)-1 keep their weights and biases.
    """
    _check_hidden(net, layer)
    size = int(size)
    if not 1 <= size <= MAX_NEURONS:
        raise ValueError(f"a layer needs 1 to {MAX_NEURONS} neurons")
    out = net.copy()
    l = layer - 1
    old = net.sizes[layer]
    keep = min(old, size)
    w_in = _xavier(size, net.sizes[layer - 1], rng)
    w_in[:keep] = net.weights[l][:keep]
    b = np.zeros(size)
    b[:keep] = net.biases[l][:keep]
    if net.shared_bias[l]:
        b[:] = net.biases[l][0]
    w_out = _xavier(net.sizes[layer + 1], size, rng)
    w_out[:, :keep] = net.weights[l + 1][:, :keep]
    out.weights[l], out.biases[l], out.weights[l + 1] = w_in, b, w_out
    if out.norms[l] is not None:   # batch norm of the resized layer starts afresh
        out.norms[l] = BatchNorm.new(size)
    return Network(out.weights, out.biases, out.activations, out.shared_bias, out.use_bias,
                   out.norms)


def insert_layer(net: Network, layer: int, size: int, activation: str,
                 rng: np.random.Generator) -> Network:
    """A new hidden layer of ``size`` neurons inserted as neuron layer ``layer`` (1..L).

    The layer above it gets new weights of shape (n_above, size).
    """
    if not 1 <= layer <= net.n_layers:
        raise ValueError(f"a new layer goes between 1 and {net.n_layers}")
    if net.n_layers - 1 >= MAX_HIDDEN_LAYERS:
        raise ValueError(f"at most {MAX_HIDDEN_LAYERS} hidden layers")
    size = int(size)
    if not 1 <= size <= MAX_NEURONS:
        raise ValueError(f"a layer needs 1 to {MAX_NEURONS} neurons")
    act = get_activation(activation)
    l = layer - 1
    ws, bs = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
    acts, shared, use = list(net.activations), list(net.shared_bias), list(net.use_bias)
    n_below, n_above = net.sizes[layer - 1], net.sizes[layer]
    ws[l] = _xavier(n_above, size, rng)     # the layer above now reads the new one
    ws.insert(l, _xavier(size, n_below, rng))
    bs.insert(l, np.zeros(size))
    acts.insert(l, act)
    shared.insert(l, False)
    use.insert(l, True)
    norms = [None if bn is None else bn.copy() for bn in net.norms]
    norms.insert(l, None)
    return Network(ws, bs, acts, shared, use, norms)


def remove_layer(net: Network, layer: int, rng: np.random.Generator) -> Network:
    """The network without hidden ``layer``; the layer above gets new weights."""
    _check_hidden(net, layer)
    l = layer - 1
    ws, bs = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
    acts, shared, use = list(net.activations), list(net.shared_bias), list(net.use_bias)
    norms = [None if bn is None else bn.copy() for bn in net.norms]
    for lst in (ws, bs, acts, shared, use, norms):
        del lst[l]
    ws[l] = _xavier(net.sizes[layer + 1], net.sizes[layer - 1], rng)
    return Network(ws, bs, acts, shared, use, norms)


def unshare_biases(net: Network) -> Network:
    """Every neuron its own bias (starting from the shared value): the 2-2-2 example with
    trained biases, the reference sheet's E_total = 0.280471447 after one update."""
    if not any(s and u for s, u in zip(net.shared_bias, net.use_bias)):
        raise ValueError("no layer shares a bias")
    out = net.copy()
    out.shared_bias = [False] * out.n_layers
    return out


def set_activation(net: Network, layer: int, name: str) -> Network:
    """Neuron ``layer`` (1..L) uses activation ``name``."""
    if not 1 <= layer <= net.n_layers:
        raise ValueError(f"layer {layer} has no activation (layers 1..{net.n_layers})")
    act = get_activation(name)
    if act.vector and layer != net.n_layers:
        raise ValueError("softmax is only available for the output layer")
    out = net.copy()
    out.activations[layer - 1] = act
    return out
