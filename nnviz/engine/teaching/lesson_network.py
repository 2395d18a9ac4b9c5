"""The network of a lesson file and the names the notes give its parts: sizes, layers,
activations, weights (given or drawn by the lesson's initialiser), biases, batch
normalisation, and ``names`` (neurons, weights, biases, templates)."""

from __future__ import annotations

from typing import Any

import numpy as np

from nnviz.engine.core.activations import ACTIVATIONS, get_activation
from nnviz.engine.core.naming import Naming
from nnviz.engine.core.network import Network
from nnviz.engine.files.validate import (
    MAX_LAYER_SIZE,
    MAX_LAYERS,
    MAX_PARAMS,
    FormatError,
    as_array,
    as_bool,
    as_int,
    as_number,
    as_str,
    need,
)


def init_spec(nd: Any) -> tuple[str, float, int, float]:
    """The lesson's initialiser (method, scale, seed, bias) from ``network.init``; the
    training lab's Reset draws from the same distribution (keras-lab: U(±0.05))."""
    init = nd.get("init", {}) if isinstance(nd, dict) else {}
    if not isinstance(init, dict):
        raise FormatError("network.init: expected an object")
    method = as_str(init.get("method", "xavier"), "network.init.method")
    scale = as_number(init.get("scale", 0.5), "network.init.scale", 0.0, 1e3)
    seed = as_int(init.get("seed", 0), "network.init.seed", 0, 2**32 - 1)
    bias0 = as_number(init.get("bias", 0.0), "network.init.bias", -1e3, 1e3)
    from nnviz.engine.core.init import INITIALISERS

    if method not in INITIALISERS:
        raise FormatError(f"network.init.method: {method!r} is not one of "
                          f"{', '.join(INITIALISERS)}")
    return method, float(scale), int(seed), float(bias0)


def parse_network(nd: Any) -> Network:
    """The lesson's ``network``: sizes, layers, activations, weights (given or drawn), biases."""
    sizes_raw = need(nd, "sizes", "network")
    if not isinstance(sizes_raw, list) or not 2 <= len(sizes_raw) <= MAX_LAYERS + 1:
        raise FormatError(f"network.sizes: expected a list of 2 to {MAX_LAYERS + 1} layer sizes")
    sizes = [as_int(s, f"network.sizes[{i}]", 1, MAX_LAYER_SIZE) for i, s in enumerate(sizes_raw)]
    if sum(a * b for a, b in zip(sizes[:-1], sizes[1:])) > MAX_PARAMS:
        raise FormatError(f"network.sizes: more than {MAX_PARAMS} weights")
    layers = need(nd, "layers", "network")
    if not isinstance(layers, list) or len(layers) != len(sizes) - 1:
        raise FormatError(f"network.layers: expected {len(sizes) - 1} layers (one per size after "
                          f"the input)")
    method, scale, seed, bias0 = init_spec(nd)
    from nnviz.engine.core.init import init_weights

    drawn: list[np.ndarray] = []  # every layer's initial weights, drawn only if one needs them
    weights, biases, acts, shared, used, norms = [], [], [], [], [], []
    for l, ld in enumerate(layers):
        where = f"network.layers[{l}]"
        n_in, n_out = sizes[l], sizes[l + 1]
        act_name = as_str(need(ld, "activation", where), f"{where}.activation")
        if act_name not in ACTIVATIONS:
            raise FormatError(f"{where}.activation: {act_name!r} is not one of "
                              f"{', '.join(ACTIVATIONS)}")
        if act_name == "softmax" and l != len(layers) - 1:
            raise FormatError(f"{where}.activation: softmax is only for the output layer")
        alpha = ld.get("alpha")
        acts.append(get_activation(act_name, None if alpha is None
                                   else as_number(alpha, f"{where}.alpha", 0.0, 10.0)))
        if "weights" in ld:
            weights.append(as_array(ld["weights"], f"{where}.weights", (n_out, n_in)))
        else:
            if not drawn:
                drawn = init_weights(sizes, method, np.random.default_rng(seed), scale)
            weights.append(drawn[l])
        sb = as_bool(ld.get("shared_bias", False), f"{where}.shared_bias")
        b = ld.get("bias", bias0)
        if b is None:
            used.append(False)
            biases.append(np.zeros(n_out))
        elif isinstance(b, list):
            used.append(True)
            biases.append(as_array(b, f"{where}.bias", (n_out,)))
        else:
            used.append(True)
            biases.append(np.full(n_out, as_number(b, f"{where}.bias")))
        if sb and isinstance(b, list) and len(set(b)) > 1:
            raise FormatError(f"{where}.bias: a shared bias must be one value")
        shared.append(sb)
        norms.append(_lesson_norm(ld, where, n_out, l == len(layers) - 1))
    return Network(weights, biases, acts, shared, used, norms)


def _lesson_norm(ld: dict, where: str, m: int, output: bool):
    """``"batch_norm": true`` on a hidden layer: batch normalisation with gamma = 1, beta = 0."""
    from nnviz.engine.core.batchnorm import BatchNorm

    if not as_bool(ld.get("batch_norm", False), f"{where}.batch_norm"):
        return None
    if output:
        raise FormatError(f"{where}.batch_norm: only hidden layers are batch-normalised")
    return BatchNorm.new(m)


def parse_names(nd: Any, net: Network) -> Naming:
    """The lesson's ``names`` (neurons, weights, biases, templates) checked against the
    network's shape; the layered names of the notes where none are given."""
    sizes = net.sizes
    default = Naming.layered(sizes)
    if nd is None:
        return default
    if not isinstance(nd, dict):
        raise FormatError("names: expected an object")
    neurons = _neuron_names(nd.get("neurons"), sizes)
    weights = _weight_names(nd.get("weights"), sizes)
    biases = _bias_names(nd.get("biases"), sizes)
    kw = _name_templates(nd.get("templates", {}))
    if neurons is not None:    # flat names: the templates name neurons by their own names
        base = dict(net_t="net_{n}", out_t="out_{n}", target_t="target_{n}", error_t="E_{n}",
                    delta_t="δ_{n}", total_error="E_total")
        base.update(kw)
        return Naming(neurons, weights or default.weights, biases or default.biases, **base,
                      layer_notation=False)
    for attr, v in kw.items():
        setattr(default, attr, v)
    if weights:
        default.weights = weights
    if biases:
        default.biases = biases
    return default


def _name_list(row: Any, where: str, sizes: tuple[int, ...]) -> None:
    """``row`` is a list of names of one of the lengths ``sizes``."""
    if not isinstance(row, list) or len(row) not in sizes:
        raise FormatError(f"{where}: expected {' or '.join(map(str, sizes))} names")
    for j, s in enumerate(row):
        as_str(s, f"{where}[{j}]", 40)


def _neuron_names(neurons: Any, sizes: list[int]) -> Any:
    if neurons is None:
        return None
    if not isinstance(neurons, list) or len(neurons) != len(sizes):
        raise FormatError(f"names.neurons: expected {len(sizes)} lists (one per layer)")
    for l, row in enumerate(neurons):
        _name_list(row, f"names.neurons[{l}]", (sizes[l],))
    return neurons


def _weight_names(weights: Any, sizes: list[int]) -> Any:
    if weights is None:
        return None
    if not isinstance(weights, list) or len(weights) != len(sizes) - 1:
        raise FormatError(f"names.weights: expected {len(sizes) - 1} matrices")
    for l, m in enumerate(weights):
        if not isinstance(m, list) or len(m) != sizes[l + 1]:
            raise FormatError(f"names.weights[{l}]: expected {sizes[l + 1]} rows")
        for j, row in enumerate(m):
            _name_list(row, f"names.weights[{l}][{j}]", (sizes[l],))
    return weights


def _bias_names(biases: Any, sizes: list[int]) -> Any:
    if biases is None:
        return None
    if not isinstance(biases, list) or len(biases) != len(sizes) - 1:
        raise FormatError(f"names.biases: expected {len(sizes) - 1} lists")
    for l, row in enumerate(biases):
        _name_list(row, f"names.biases[{l}]", (1, sizes[l + 1]))
    return biases


#: names.templates key -> the Naming attribute it sets
_TEMPLATES = (("net", "net_t"), ("out", "out_t"), ("target", "target_t"), ("error", "error_t"),
              ("delta", "delta_t"), ("total_error", "total_error"))


def _name_templates(t: Any) -> dict[str, str]:
    if not isinstance(t, dict):
        raise FormatError("names.templates: expected an object")
    return {attr: as_str(t[key], f"names.templates.{key}", 40)
            for key, attr in _TEMPLATES if key in t}
