"""The document's data set, in one place: made from a lesson (deterministic: the lesson's
settings and seed), fitted again when the network's shape changes, and its part of a
workspace (the settings, whose rows they are, the test rows, the input features).

Pure NumPy: :class:`~nnviz.controllers.document.Document` holds a :class:`DocData` and
every lab reads it from there, so every lab sees the same rows whichever was opened first.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from nnviz.engine.core.network import Network
from nnviz.engine.files.validate import FormatError, as_array
from nnviz.engine.sets.data import (
    DataSet,
    DataSpec,
    encode,
    make_dataset,
    mask_from_rows,
    spec_from_settings,
    spec_to_dict,
    test_rows,
)
from nnviz.engine.sets.features import PLAIN, expand, parse_features

#: the data of a lesson whose settings cannot be read: its own rows, 90 % for training
TABLE = DataSpec(source="table", split=0.9)


class DocData:
    """A data set with its split (``data``), whether its rows are the user's (``edited``:
    points added or removed, a CSV, a workspace's rows) rather than its settings', the
    input features the network reads of 2-D points, and the settings to make again when
    the network's shape changes (``wanted``: the last non-empty set's). Never changed in
    place: an edit makes a new one."""

    def __init__(self, data: DataSet, edited: bool = False,
                 features: tuple[str, ...] = PLAIN, wanted: DataSpec | None = None) -> None:
        self.data, self.edited, self.features = data, bool(edited), tuple(features)
        self.wanted = wanted if wanted is not None else data.spec
        #: the data as the network reads them: the features of the points (the points
        #: themselves for the plain x1, x2)
        self.net = data if self.features == PLAIN else replace(
            data, x=expand(data.x, self.features))

    def with_data(self, data: DataSet, edited: bool) -> DocData:
        """The same features with other rows (``wanted`` follows a non-empty set)."""
        return DocData(data, edited, self.features, data.spec if len(data.x) else self.wanted)


def empty(n_in: int, n_out: int, wanted: DataSpec | None = None) -> DocData:
    """No rows, of the right shape (nothing to train on)."""
    ds = DataSet(np.zeros((0, n_in)), None, np.zeros((0, n_out)), np.zeros(0, dtype=bool),
                 DataSpec(source="table"))
    return DocData(ds, False, PLAIN, wanted or DataSpec())


def lesson_spec(lesson) -> tuple[DataSpec, str | None]:
    """The data settings of a lesson (its ``settings`` over its ``data``), or the table of
    its own rows and the message why the settings were ignored. A lesson that names no
    data (mazur-2-2-2: the notes' one worked example) has its example as its data set:
    the error surface and the Training lab then show the notes' numbers."""
    settings = lesson.settings if isinstance(lesson.settings, dict) else {}
    if not lesson.data and "dataset" not in settings:
        return TABLE, None
    try:
        return spec_from_settings(lesson.settings, lesson.data), None
    except FormatError as e:
        return TABLE, f"Training settings ignored: {e}"


def _make(spec: DataSpec, net: Network, points_in: int, rows) -> DataSet:
    """make_dataset for ``net`` (ValueError if the data do not fit it)."""
    return make_dataset(spec, points_in, net.sizes[-1], net.activations[-1].name,
                        rows if spec.source == "table" else None)


def lesson_data(spec: DataSpec, net: Network, rows: tuple[np.ndarray, np.ndarray]) -> DocData:
    """The data set a lesson opens with: made from ``spec`` (its own ``rows`` for a
    table), else its rows as a table, else none."""
    for s in (spec, TABLE):
        try:
            return DocData(_make(s, net, net.sizes[0], rows), s.source == "table")
        except ValueError:
            continue
    return empty(net.sizes[0], net.sizes[-1], spec)


def opened_data(spec: DataSpec, net: Network, rows: tuple[np.ndarray, np.ndarray]) -> DocData:
    """The data set of a workspace that says nothing of it but its rows: the lesson's set
    if the rows are exactly the ones it makes, else the rows (the lesson's split)."""
    made = lesson_data(spec, net, rows)
    x, y = (np.asarray(a, float) for a in rows)
    d = made.data
    if d.x.shape == x.shape and d.y.shape == y.shape and np.array_equal(d.x, x) \
            and np.array_equal(d.y, y):
        return made
    try:
        return DocData(_make(replace(spec, source="table"), net, net.sizes[0], (x, y)), True,
                       PLAIN, spec)
    except ValueError:
        return made


def refit(dd: DocData, net: Network, lesson: DataSpec) -> tuple[DocData, str | None]:
    """The data set after the network's shape changed (an edit, an undo): the same points
    and split if they still fit (class targets encoded for the output layer), else made
    again from the wanted settings, the lesson's or the rows as a table; else none, and a
    message."""
    features = dd.features if net.sizes[0] == len(dd.features) else PLAIN
    if features != dd.features:
        dd = DocData(dd.data, dd.edited, PLAIN, dd.wanted)
    ds, n_out, act = dd.data, net.sizes[-1], net.activations[-1].name
    points_in = 2 if features != PLAIN else net.sizes[0]
    if len(ds.x) and ds.x.shape[1] == points_in and ds.y.shape[1] == n_out:
        if ds.labels is not None:
            y = encode(ds.labels, n_out, act)
            if not np.array_equal(y, ds.y):
                return dd.with_data(replace(ds, y=y), dd.edited), None
        return dd, None
    for spec in (dd.wanted, lesson, TABLE):
        if spec.source == "table" and not len(ds.x):
            continue
        try:
            return DocData(_make(spec, net, net.sizes[0], (ds.x, ds.y)),
                           spec.source == "table"), None
        except ValueError:
            continue
    return (empty(net.sizes[0], n_out, dd.wanted),
            "No data set fits this network: choose one or import a CSV.")


# ---------------------------------------------------------------- workspace
def data_state(dd: DocData) -> dict[str, Any]:
    """The data's part of a workspace: the settings, whose rows they are (the settings' or
    the document's own, edited or imported), the test rows and the input features."""
    st = {"data": spec_to_dict(dd.data.spec), "rows": "document" if dd.edited else "spec",
          "test": test_rows(dd.data.test), "features": list(dd.features)}
    if dd.edited and dd.features != PLAIN:  # the document's rows hold the features' values
        st["points"] = dd.data.x.tolist()
    return st


def restored_data(state: dict[str, Any], rows: tuple, net: Network) -> DocData:
    """The data set of a saved :func:`data_state` (validated; ValueError if bad): made
    again from the settings, or the saved ``rows`` (x, y) with the saved split."""
    if not isinstance(state, dict):
        raise ValueError("training state: the data set must be an object")
    try:
        spec = spec_from_settings(state.get("data", {}), {})
        features = parse_features(state.get("features", list(PLAIN)), "training.features")
        if features != PLAIN and net.sizes[0] != len(features):
            raise FormatError(f"training.features: {len(features)} features, but the "
                              f"network has {net.sizes[0]} inputs")
        if features != PLAIN and "points" in state:
            rows = (as_array(state["points"], "training.points", (len(rows[1]), 2)), rows[1])
        elif features != PLAIN and state.get("rows") == "document":
            raise FormatError("training.points: the data points are missing")
    except FormatError as e:
        raise ValueError(f"training state: {e}") from None
    which = state.get("rows", "document" if spec.source == "table" else "spec")
    if which not in ("spec", "document"):
        raise ValueError("training state: 'rows' must be \"spec\" or \"document\"")
    shape = (2 if features != PLAIN else net.sizes[0], net.sizes[-1], net.activations[-1].name)
    if which == "spec" and spec.source != "table":
        ds = make_dataset(spec, *shape)  # raises ValueError if it does not fit
    else:
        if not len(rows[0]):
            raise ValueError("training state: the workspace holds no data rows")
        ds = make_dataset(replace(spec, source="table"), *shape, rows)
        labels = None if spec.source == "regression" else ds.labels
        ds = DataSet(ds.x, labels, ds.y, ds.test,
                     spec if labels is None else replace(spec, classes=ds.spec.classes))
    if "test" in state:
        try:
            ds.test = mask_from_rows(state["test"], len(ds.x), "training state: test")
        except FormatError as e:
            raise ValueError(str(e)) from None
    return DocData(ds, which == "document" or spec.source == "table", features)
