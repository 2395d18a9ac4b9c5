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

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from nnviz.engine.core.losses import LOSSES
from nnviz.engine.core.network import Network
from nnviz.engine.files.atomic import write_atomic
from nnviz.engine.files.json_text import as_lists, dumps_file, file_pieces, plain
from nnviz.engine.files.network_io import (
    config_from_dict,
    config_to_dict,
    network_from_dict,
    network_to_dict,
)
from nnviz.engine.files.validate import (
    MAX_FILE_BYTES,
    FormatError,
    as_array,
    as_int,
    as_str,
    check_header,
    loads_json,
    need,
    read_json,
)
from nnviz.engine.learning.training import TrainConfig
from nnviz.engine.teaching.drawing import drawing_from_list, drawing_to_list
from nnviz.engine.teaching.lessons import PHASE_NAMES, Lesson, LessonError, parse_lesson

FORMAT = "nnviz-workspace"
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
    drawing : the presenter's pen strokes (nnviz.engine.teaching.drawing), kept only when asked
    dataset : the data set's settings, split and input features
        (:func:`nnviz.engine.sets.data_state.data_state`), or None (older files: the rows alone)
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
    dataset: dict[str, Any] | None = None


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


def workspace_to_dict(ws: Workspace, app_version: str = "",
                      arrays: bool = False) -> dict[str, Any]:
    """The JSON-ready object of a workspace file; with ``arrays`` the network and data set
    stay arrays (for :func:`file_pieces`, which gives the same text)."""
    data: dict[str, Any]
    if ws.data_spec is not None:
        data = {"spec": ws.data_spec}
    elif arrays:
        data = {"inputs": ws.x, "targets": ws.y}
    else:
        data = {"inputs": as_lists(ws.x), "targets": as_lists(ws.y)}
    k, phase = ws.position
    return {
        "format": FORMAT,
        "version": VERSION,
        "app": f"nnviz {app_version}".strip(),
        "lesson": {"name": ws.lesson.name, "raw": ws.lesson.raw},
        "network": network_to_dict(ws.network, arrays),
        "data": data,
        "example": {"input": ws.example_x.tolist(), "target": ws.example_y.tolist()},
        "training": config_to_dict(ws.config),
        "loss": ws.loss,
        "lab": ws.lab,
        "position": {"k": int(k), "phase": phase},
        "labs": {name: plain(st, f"labs.{name}") for name, st in ws.labs.items()},
        **({"drawing": drawing_to_list(ws.drawing)} if ws.drawing else {}),
        **({"dataset": plain(ws.dataset, "dataset")} if ws.dataset is not None else {}),
    }


def dumps_workspace(ws: Workspace, app_version: str = "") -> str:
    """The text of a workspace file; FormatError if a lab state is not plain finite JSON."""
    return dumps_file(workspace_to_dict(ws, app_version))


def save_workspace(path: str | Path, ws: Workspace, app_version: str = "") -> None:
    """Write a workspace file atomically (the old file survives any failure), piece by
    piece (a large one is written on a worker thread: no long call holds the GIL)."""
    write_atomic(path, file_pieces(workspace_to_dict(ws, app_version, arrays=True)))


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
    return parse_workspace(loads_json(text, max_bytes))


def parse_workspace(d: Any) -> Workspace:
    """Validate a decoded workspace object and build the Workspace."""
    check_header(d, FORMAT, VERSION, "workspace")
    from nnviz.engine.files.workspace_schema import check_workspace

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
    x, y, spec = _data_of(need(d, "data", "workspace"), net)
    ex = need(d, "example", "workspace")
    ex_x = as_array(need(ex, "input", "example"), "example.input", (n_in,))
    ex_y = as_array(need(ex, "target", "example"), "example.target", (n_out,))
    cfg = config_from_dict(need(d, "training", "workspace"))
    loss = as_str(need(d, "loss", "workspace"), "loss", 40)
    if loss not in LOSSES:
        raise FormatError(f"loss: {loss!r} is not one of {', '.join(LOSSES)}")
    lab = as_str(d.get("lab", ""), "lab", MAX_LAB_NAME)
    position, labs = _position_of(d), _labs_of(d)
    drawing = drawing_from_list(d.get("drawing", []))
    dataset = d.get("dataset")
    if dataset is not None:
        from nnviz.engine.sets.data_state import restored_data

        try:   # made here once, so opening it cannot fail half-way
            restored_data(dataset, (x, y), net)
        except ValueError as e:
            raise FormatError(f"dataset: {e}") from None
    ws = Workspace(lesson, net, x, y, ex_x, ex_y, cfg, loss, lab, labs, position, spec,
                   drawing, dataset)
    from nnviz.engine.files.workspace_checks import check_workspace_labs

    check_workspace_labs(ws)
    return ws


def _data_of(dd: Any, net: Network) -> tuple[np.ndarray, np.ndarray, dict | None]:
    """The workspace's data set (x, y) and its generator spec (None: stored rows)."""
    n_in, n_out = net.sizes[0], net.sizes[-1]
    if not isinstance(dd, dict):
        raise FormatError("data: expected an object")
    if "spec" not in dd:
        x = as_array(need(dd, "inputs", "data"), "data.inputs", (None, n_in))
        if len(x) == 0:
            raise FormatError("data.inputs: no samples")
        y = as_array(need(dd, "targets", "data"), "data.targets", (len(x), n_out))
        return x, y, None
    spec = dd["spec"]
    if not isinstance(spec, dict) or "inputs" in spec:
        raise FormatError("data.spec: expected a generator, gate or dataset object")
    from nnviz.engine.sets.datasets import dataset_from_spec

    try:
        x, y = dataset_from_spec(spec, n_in, n_out, net.activations[-1].name)
    except FormatError as e:
        raise FormatError(f"data.spec: {e}") from None
    return x, y, spec


def _position_of(d: dict) -> tuple[int, str]:
    pos = d.get("position", {"k": 0, "phase": "start"})
    k = as_int(need(pos, "k", "position"), "position.k", 0, 10**9)
    phase = as_str(need(pos, "phase", "position"), "position.phase", 20)
    if phase not in PHASE_NAMES:
        raise FormatError(f"position.phase: {phase!r} is not one of {', '.join(PHASE_NAMES)}")
    return k, phase


def _labs_of(d: dict) -> dict[str, dict[str, Any]]:
    labs_raw = d.get("labs", {})
    if not isinstance(labs_raw, dict):
        raise FormatError("labs: expected an object (lab name -> state)")
    labs: dict[str, dict[str, Any]] = {}
    for name, st in labs_raw.items():
        as_str(name, "labs: a lab name", MAX_LAB_NAME)
        if not isinstance(st, dict):
            raise FormatError(f"labs.{name}: expected an object")
        labs[name] = plain(st, f"labs.{name}")
    return labs
