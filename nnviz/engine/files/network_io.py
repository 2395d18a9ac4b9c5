"""A network and its training settings as the JSON objects of nnviz's files (workspace
and weights files): written with exact floats, read with every value validated before
anything is built (FormatError naming the key)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import numpy as np

from nnviz.engine.core.activations import ACTIVATIONS, get_activation
from nnviz.engine.core.batchnorm import BatchNorm, bn_from_dict, bn_to_dict
from nnviz.engine.core.network import Network
from nnviz.engine.files.json_text import as_lists
from nnviz.engine.files.train_settings import parse_optimiser, parse_schedule
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
from nnviz.engine.learning.training import DROPOUT_MODES, TrainConfig


# ---------------------------------------------------------------- network
def network_to_dict(net: Network, arrays: bool = False) -> dict[str, Any]:
    """A JSON-ready description of ``net`` (exact floats); with ``arrays`` its weights and
    biases stay the network's arrays, for :func:`nnviz.engine.files.json_text.file_pieces`,
    which converts them as it writes them (the same text)."""
    layers = []
    for l in range(net.n_layers):
        act = net.activations[l]
        w, b = net.weights[l], net.biases[l]
        ld: dict[str, Any] = {"activation": act.name, "weights": w if arrays else as_lists(w),
                              "bias": b if arrays else b.tolist(),
                              "use_bias": bool(net.use_bias[l]),
                              "shared_bias": bool(net.shared_bias[l])}
        if act.has_alpha:
            ld["alpha"] = float(act.alpha)
        if net.norms[l] is not None:
            ld["batch_norm"] = bn_to_dict(net.norms[l])
        layers.append(ld)
    return {"sizes": [int(s) for s in net.sizes], "layers": layers}


def network_from_dict(d: Any, where: str = "network") -> Network:
    """Validate a :func:`network_to_dict` object and build the Network."""
    raw = need(d, "sizes", where)
    if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_LAYERS + 1:
        raise FormatError(f"{where}.sizes: expected a list of 2 to {MAX_LAYERS + 1} sizes")
    sizes = [as_int(s, f"{where}.sizes[{i}]", 1, MAX_LAYER_SIZE) for i, s in enumerate(raw)]
    if sum(a * b for a, b in zip(sizes[:-1], sizes[1:])) > MAX_PARAMS:
        raise FormatError(f"{where}.sizes: more than {MAX_PARAMS} weights")
    layers = need(d, "layers", where)
    if not isinstance(layers, list) or len(layers) != len(sizes) - 1:
        raise FormatError(f"{where}.layers: expected {len(sizes) - 1} layers")
    ws, bs, acts, shared, used, norms = [], [], [], [], [], []
    for l, ld in enumerate(layers):
        lw = f"{where}.layers[{l}]"
        norms.append(_norm_of(ld, lw, sizes[l + 1], l == len(layers) - 1))
        name = as_str(need(ld, "activation", lw), f"{lw}.activation", 40)
        if name not in ACTIVATIONS:
            raise FormatError(f"{lw}.activation: {name!r} is not one of {', '.join(ACTIVATIONS)}")
        if ACTIVATIONS[name].vector and l != len(layers) - 1:
            raise FormatError(f"{lw}.activation: {name} is only for the output layer")
        alpha = ld.get("alpha")
        acts.append(get_activation(name, None if alpha is None
                                   else as_number(alpha, f"{lw}.alpha", 0.0, 10.0)))
        ws.append(as_array(need(ld, "weights", lw), f"{lw}.weights", (sizes[l + 1], sizes[l])))
        b = as_array(need(ld, "bias", lw), f"{lw}.bias", (sizes[l + 1],))
        sb = as_bool(ld.get("shared_bias", False), f"{lw}.shared_bias")
        ub = as_bool(ld.get("use_bias", True), f"{lw}.use_bias")
        if sb and b.size and not np.all(b == b[0]):
            raise FormatError(f"{lw}.bias: a shared bias must be one value")
        if not ub and np.any(b != 0):
            raise FormatError(f"{lw}.bias: a layer without bias must have zeros")
        bs.append(b)
        shared.append(sb)
        used.append(ub)
    return Network(ws, bs, acts, shared, used, norms)


def _norm_of(ld: Any, where: str, m: int, output: bool) -> BatchNorm | None:
    """A saved layer's batch normalisation (None without one; never on the output)."""
    if not isinstance(ld, dict) or ld.get("batch_norm") is None:
        return None
    if output:
        raise FormatError(f"{where}.batch_norm: only hidden layers are batch-normalised")
    return bn_from_dict(ld["batch_norm"], f"{where}.batch_norm", m)


# ---------------------------------------------------------------- config
def config_to_dict(cfg: TrainConfig) -> dict[str, Any]:
    """The hyper-parameters as a JSON-ready object."""
    d = {f.name: getattr(cfg, f.name) for f in fields(cfg)}
    d["hyper"] = dict(cfg.hyper)
    return d


def dropout_mode(v: Any, where: str) -> str:
    """A dropout mode's name, checked (``where`` names the settings object)."""
    if not isinstance(v, str) or v not in DROPOUT_MODES:
        raise FormatError(f"{where}.dropout_mode: one of {', '.join(DROPOUT_MODES)}")
    return v


def config_from_dict(d: Any, where: str = "training") -> TrainConfig:
    """Validate hyper-parameters (every key optional, defaults as TrainConfig)."""
    if not isinstance(d, dict):
        raise FormatError(f"{where}: expected an object")
    known = {f.name for f in fields(TrainConfig)}
    for k in d:
        if k not in known:
            raise FormatError(f"{where}.{str(k)[:40]}: unknown setting")
    base = TrainConfig()

    def opt(key: str, lo: float, hi: float) -> float | None:
        v = d.get(key, getattr(base, key))
        return None if v is None else as_number(v, f"{where}.{key}", lo, hi)

    bs = d.get("batch_size", base.batch_size)
    cfg = TrainConfig(
        eta=as_number(d.get("eta", base.eta), f"{where}.eta", 0.0, 1e6),
        batch_size=None if bs is None else as_int(bs, f"{where}.batch_size", 0, 10**7),
        momentum=as_number(d.get("momentum", base.momentum), f"{where}.momentum", 0.0, 0.999),
        l1=as_number(d.get("l1", base.l1), f"{where}.l1", 0.0, 1e6),
        l2=as_number(d.get("l2", base.l2), f"{where}.l2", 0.0, 1e6),
        dropout=as_number(d.get("dropout", base.dropout), f"{where}.dropout", 0.0, 0.95),
        dropout_mode=dropout_mode(d.get("dropout_mode", base.dropout_mode), where),
        clip_value=opt("clip_value", 1e-12, 1e12),
        clip_norm=opt("clip_norm", 1e-12, 1e12),
        freeze_biases=as_bool(d.get("freeze_biases", base.freeze_biases),
                              f"{where}.freeze_biases"),
        shuffle=as_bool(d.get("shuffle", base.shuffle), f"{where}.shuffle"),
        **parse_optimiser(d, where),
        **parse_schedule(d, where),
    )
    try:
        cfg.validate()
    except ValueError as e:
        raise FormatError(f"{where}: {e}") from None
    return cfg
