"""Workspace (``.nnviz``) and weights files: pure (de)serialisation with validation.

A workspace is everything on screen: the lesson (its full raw dictionary, so it
reopens even if the shipped file changes), the live network, the data set, the
hyper-parameters, the lab shown with every lab's own state, and the step
position. The format is documented in ``docs/workspace-format.md``.

Floats are written with Python's shortest round-trip ``repr`` (``json``), so a
save and a load give bit-identical float64 arrays. Every reader validates all
of a file before anything is built; a fault raises :class:`FormatError` naming
the key (``network.layers[1].weights[0][2]: expected a number``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from nnviz.engine.activations import ACTIVATIONS, get_activation
from nnviz.engine.atomic import write_atomic
from nnviz.engine.batchnorm import BatchNorm, bn_from_dict, bn_to_dict
from nnviz.engine.drawing import drawing_from_list, drawing_to_list
from nnviz.engine.lessons import PHASE_NAMES, Lesson, LessonError, parse_lesson
from nnviz.engine.losses import LOSSES
from nnviz.engine.network import Network
from nnviz.engine.train_settings import parse_optimiser, parse_schedule
from nnviz.engine.training import TrainConfig
from nnviz.engine.validate import (
    MAX_FILE_BYTES,
    MAX_LAYER_SIZE,
    MAX_LAYERS,
    MAX_PARAMS,
    FormatError,
    as_array,
    as_bool,
    as_int,
    as_number,
    as_str,
    check_header,
    loads_json,
    need,
    read_json,
)

FORMAT = "nnviz-workspace"
WEIGHTS_FORMAT = "nnviz-weights"
VERSION = 1
SUFFIX = ".nnviz"
MAX_LAB_NAME = 40


@dataclass
class Workspace:
    """Everything a ``.nnviz`` file holds.

    Attributes
    ----------
    lesson : Lesson, parsed from the stored raw lesson dictionary
    network : Network, the live network (may differ from the lesson's)
    x, y : ndarray, shapes (n, n_in) and (n, n_out): the data set
    example_x, example_y : ndarray, shapes (n_in,) and (n_out,): the stepped example
    config : TrainConfig
    loss : str, a key of ``LOSSES``
    lab : str, the lab shown ("" if none)
    labs : dict, lab name -> that lab's ``state()`` (JSON objects)
    position : (k, phase) of the lab shown
    data_spec : the lesson's data generator spec if x, y are exactly what it makes
    drawing : the presenter's pen strokes (nnviz.engine.drawing), kept only when asked
    """

    lesson: Lesson
    network: Network
    x: np.ndarray
    y: np.ndarray
    example_x: np.ndarray
    example_y: np.ndarray
    config: TrainConfig
    loss: str
    lab: str = ""
    labs: dict[str, dict[str, Any]] = field(default_factory=dict)
    position: tuple[int, str] = (0, "start")
    data_spec: dict[str, Any] | None = None
    drawing: list = field(default_factory=list)


# ---------------------------------------------------------------- network
def network_to_dict(net: Network) -> dict[str, Any]:
    """A JSON-ready description of ``net`` (exact floats)."""
    layers = []
    for l in range(net.n_layers):
        act = net.activations[l]
        ld: dict[str, Any] = {"activation": act.name, "weights": net.weights[l].tolist(),
                              "bias": net.biases[l].tolist(), "use_bias": bool(net.use_bias[l]),
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


def _dropout_mode(v: Any, where: str) -> str:
    from nnviz.engine.training import DROPOUT_MODES

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
        dropout_mode=_dropout_mode(d.get("dropout_mode", base.dropout_mode), where),
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


# ---------------------------------------------------------------- workspace
def data_spec_for(lesson: Lesson, x: np.ndarray, y: np.ndarray) -> dict[str, Any] | None:
    """The lesson's data spec if (x, y) are exactly the data it generates, else None."""
    if not lesson.data or "inputs" in lesson.data:
        return None
    try:
        gx, gy = lesson.dataset()
    except (FormatError, ValueError):
        return None
    if gx.shape == x.shape and gy.shape == y.shape and np.array_equal(gx, x) \
            and np.array_equal(gy, y):
        return dict(lesson.data)
    return None


def workspace_to_dict(ws: Workspace, app_version: str = "") -> dict[str, Any]:
    """The JSON-ready object of a workspace file."""
    data: dict[str, Any]
    if ws.data_spec is not None:
        data = {"spec": ws.data_spec}
    else:
        data = {"inputs": ws.x.tolist(), "targets": ws.y.tolist()}
    k, phase = ws.position
    return {
        "format": FORMAT,
        "version": VERSION,
        "app": f"nnviz {app_version}".strip(),
        "lesson": {"name": ws.lesson.name, "raw": ws.lesson.raw},
        "network": network_to_dict(ws.network),
        "data": data,
        "example": {"input": ws.example_x.tolist(), "target": ws.example_y.tolist()},
        "training": config_to_dict(ws.config),
        "loss": ws.loss,
        "lab": ws.lab,
        "position": {"k": int(k), "phase": phase},
        "labs": {name: _plain(st, f"labs.{name}") for name, st in ws.labs.items()},
        **({"drawing": drawing_to_list(ws.drawing)} if ws.drawing else {}),
    }


def dumps_workspace(ws: Workspace, app_version: str = "") -> str:
    """The text of a workspace file; FormatError if a lab state is not plain finite JSON."""
    return _dumps(workspace_to_dict(ws, app_version))


def save_workspace(path: str | Path, ws: Workspace, app_version: str = "") -> None:
    """Write a workspace file atomically (the old file survives any failure)."""
    write_atomic(path, dumps_workspace(ws, app_version))


def read_workspace(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> Workspace:
    """Read and validate a workspace file; FormatError (naming file and key) on any fault."""
    return workspace_from(read_json(path, max_bytes), path)


def workspace_from(obj: Any, path: str | Path) -> Workspace:
    """Validate the decoded object of the workspace file ``path`` (messages name it)."""
    try:
        return parse_workspace(obj)
    except FormatError as e:
        raise FormatError(f"{Path(path).name}: {e}") from None


def loads_workspace(text: str | bytes, max_bytes: int = MAX_FILE_BYTES) -> Workspace:
    """Parse the text of a workspace file (same checks as :func:`read_workspace`)."""
    return parse_workspace(_loads(text, max_bytes))


def parse_workspace(d: Any) -> Workspace:
    """Validate a decoded workspace object and build the Workspace."""
    check_header(d, FORMAT, VERSION, "workspace")
    from nnviz.engine.workspace_schema import check_workspace

    check_workspace(d)  # every key declared, typed and bounded before anything is built
    ld = need(d, "lesson", "workspace")
    raw = need(ld, "raw", "lesson")
    try:
        lesson = parse_lesson(raw, origin="lesson.raw")
    except LessonError as e:
        raise FormatError(str(e)) from None
    as_str(ld.get("name", lesson.name), "lesson.name", 200)
    net = network_from_dict(need(d, "network", "workspace"))
    n_in, n_out = net.sizes[0], net.sizes[-1]
    dd = need(d, "data", "workspace")
    if not isinstance(dd, dict):
        raise FormatError("data: expected an object")
    spec = None
    if "spec" in dd:
        spec = dd["spec"]
        if not isinstance(spec, dict) or "inputs" in spec:
            raise FormatError("data.spec: expected a generator, gate or dataset object")
        from nnviz.engine.datasets import dataset_from_spec

        try:
            x, y = dataset_from_spec(spec, n_in, n_out, net.activations[-1].name)
        except FormatError as e:
            raise FormatError(f"data.spec: {e}") from None
    else:
        x = as_array(need(dd, "inputs", "data"), "data.inputs", (None, n_in))
        if len(x) == 0:
            raise FormatError("data.inputs: no samples")
        y = as_array(need(dd, "targets", "data"), "data.targets", (len(x), n_out))
    ex = need(d, "example", "workspace")
    ex_x = as_array(need(ex, "input", "example"), "example.input", (n_in,))
    ex_y = as_array(need(ex, "target", "example"), "example.target", (n_out,))
    cfg = config_from_dict(need(d, "training", "workspace"))
    loss = as_str(need(d, "loss", "workspace"), "loss", 40)
    if loss not in LOSSES:
        raise FormatError(f"loss: {loss!r} is not one of {', '.join(LOSSES)}")
    lab = as_str(d.get("lab", ""), "lab", MAX_LAB_NAME)
    pos = d.get("position", {"k": 0, "phase": "start"})
    k = as_int(need(pos, "k", "position"), "position.k", 0, 10**9)
    phase = as_str(need(pos, "phase", "position"), "position.phase", 20)
    if phase not in PHASE_NAMES:
        raise FormatError(f"position.phase: {phase!r} is not one of {', '.join(PHASE_NAMES)}")
    labs_raw = d.get("labs", {})
    if not isinstance(labs_raw, dict):
        raise FormatError("labs: expected an object (lab name -> state)")
    labs: dict[str, dict[str, Any]] = {}
    for name, st in labs_raw.items():
        as_str(name, "labs: a lab name", MAX_LAB_NAME)
        if not isinstance(st, dict):
            raise FormatError(f"labs.{name}: expected an object")
        labs[name] = _plain(st, f"labs.{name}")
    drawing = drawing_from_list(d.get("drawing", []))
    ws = Workspace(lesson, net, x, y, ex_x, ex_y, cfg, loss, lab, labs, (k, phase), spec,
                   drawing)
    from nnviz.engine.workspace_checks import check_workspace_labs

    check_workspace_labs(ws)
    return ws


# ---------------------------------------------------------------- weights files
def weights_to_dict(net: Network) -> dict[str, Any]:
    """A weights file: the network's structure and parameters."""
    return {"format": WEIGHTS_FORMAT, "version": VERSION, "network": network_to_dict(net)}


def save_weights(path: str | Path, net: Network) -> None:
    """Write the network's weights as JSON, atomically."""
    write_atomic(path, _dumps(weights_to_dict(net)))


def parse_weights(d: Any, like: Network | None = None) -> Network:
    """Validate a weights object; with ``like``, sizes and activations must match it."""
    check_header(d, WEIGHTS_FORMAT, VERSION, "weights file")
    net = network_from_dict(need(d, "network", "weights file"))
    if like is not None:
        check_like(net, like)
    return net


def check_like(net: Network, like: Network) -> None:
    """FormatError unless ``net`` has the sizes, activations and bias kinds of ``like``
    (imported weights replace the current network's values, not its structure)."""
    if net.sizes != like.sizes:
        raise FormatError(f"network.sizes: the file has layers {net.sizes}, the current "
                          f"network {like.sizes}")
    for l, (a, b) in enumerate(zip(net.activations, like.activations)):
        if a.name != b.name:
            raise FormatError(f"network.layers[{l}].activation: the file has {a.name}, the "
                              f"current network {b.name}")
    for l in range(net.n_layers):
        if (net.shared_bias[l], net.use_bias[l]) != (like.shared_bias[l], like.use_bias[l]):
            raise FormatError(f"network.layers[{l}]: the bias kind (shared or not, used or "
                              f"not) differs from the current network")


def read_weights(path: str | Path, like: Network | None = None) -> Network:
    """Read and validate a weights file (see :func:`parse_weights`)."""
    return weights_from(read_json(path), path, like)


def weights_from(obj: Any, path: str | Path, like: Network | None = None) -> Network:
    """Validate the decoded object of the weights file ``path`` (messages name it)."""
    try:
        return parse_weights(obj, like)
    except FormatError as e:
        raise FormatError(f"{Path(path).name}: {e}") from None


def loads_weights(text: str | bytes, like: Network | None = None) -> Network:
    """Parse the text of a weights file."""
    return parse_weights(_loads(text, MAX_FILE_BYTES), like)


# ---------------------------------------------------------------- helpers
def json_format(path: str | Path) -> str:
    """The top-level "format" of a JSON file, parsed (not searched for), or "" if the file
    cannot be read or has none; the reader of the file's kind reports any fault."""
    try:
        obj = read_json(path)
    except FormatError:
        return ""
    f = obj.get("format") if isinstance(obj, dict) else None
    return f if isinstance(f, str) else ""


def _plain(v: Any, where: str, depth: int = 0) -> Any:
    """``v`` as plain JSON types (NumPy scalars and arrays converted), finite numbers only."""
    if depth > 60:
        raise FormatError(f"{where}: nested too deeply")
    if isinstance(v, np.ndarray):
        v = v.tolist()
    elif isinstance(v, np.generic):
        v = v.item()
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if not np.isfinite(v):
            raise FormatError(f"{where}: numbers must be finite")
        return v
    if isinstance(v, (list, tuple)):
        return [_plain(e, f"{where}[{i}]", depth + 1) for i, e in enumerate(v)]
    if isinstance(v, dict):
        out = {}
        for k, e in v.items():
            if not isinstance(k, str):
                raise FormatError(f"{where}: keys must be text")
            out[k] = _plain(e, f"{where}.{k}", depth + 1)
        return out
    raise FormatError(f"{where}: {type(v).__name__} cannot be saved")


def _dumps(obj: dict[str, Any]) -> str:
    try:
        text = json.dumps(obj, allow_nan=False, indent=1) + "\n"
    except (TypeError, ValueError) as e:
        raise FormatError(f"cannot write the file: {e}") from None
    if len(text) > MAX_FILE_BYTES:  # never write what nnviz could not open again
        raise FormatError(f"the file would be {len(text) / 2**20:.0f} MB, over the "
                          f"{MAX_FILE_BYTES / 2**20:.0f} MB nnviz opens")
    return text


def _loads(text: str | bytes, max_bytes: int) -> Any:
    return loads_json(text, max_bytes)
