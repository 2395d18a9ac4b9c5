"""The data edits of the training controller: data settings, points, CSV (a mixin)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from nnviz.controllers.training_edits import check_gain
from nnviz.engine.csvio import from_csv, to_csv
from nnviz.engine.data import (
    DataSet,
    encode,
    make_dataset,
    mask_from_rows,
    nearest,
    spec_from_settings,
    spec_to_dict,
    test_rows,
    with_point,
    without_point,
)
from nnviz.engine.features import PLAIN, parse_features
from nnviz.engine.init import INITIALISERS
from nnviz.engine.validate import FormatError, as_array

#: steps per second offered by the speed control; 0 = as fast as possible
SPEEDS = (1, 2, 5, 10, 30, 100, 0)


class DataEdits:
    """Methods of :class:`~nnviz.controllers.training.TrainingController` that change its
    data set; each ends in ``_install`` (one ``data_changed`` signal)."""

    def set_data_spec(self, **changes: Any) -> bool:
        """Remake the data with changed settings (source, n, noise, split, seed, classes,
        gate, goal); False (with a message) if they do not fit the network."""
        spec = replace(self.data.spec, **changes)
        table = (self.data.x, self.data.y) if spec.source == "table" else None
        if spec.source == "table" and self.data.spec.source != "table":
            table = None
        return self._rebuild(spec, table)

    def regenerate(self) -> bool:
        """New random points: the same settings with the next seed."""
        return self.set_data_spec(seed=self.data.spec.seed + 1)

    def add_point(self, point, label: int | None = None, target: float | None = None,
                  test: bool = False) -> None:
        """Add a training point, or a test point (a class label, or a regression target)."""
        self._install(with_point(self.data, point, label, target, test))

    def remove_point_near(self, point, radius: float) -> bool:
        """Remove the sample nearest ``point`` within ``radius``; False if there is none."""
        i = nearest(self.data, point, radius)
        if i is None or len(self.data.x) <= 1:
            return False
        self._install(without_point(self.data, i))
        return True

    def export_csv(self) -> str:
        return to_csv(self.data.x, self.data.labels, self.data.y)

    def import_csv(self, text: str) -> None:
        """Replace the data by a CSV table; CsvError/ValueError leave everything unchanged."""
        net = self.doc.network
        classes = None if self.data.regression else self.data.n_classes
        x, col = from_csv(text, self.points_in(), classes)
        if classes is None:
            y = col.reshape(-1, 1)
            if net.sizes[-1] != 1:
                raise ValueError("regression data need a network with one output")
        else:
            y = encode(col, net.sizes[-1], net.activations[-1].name)
        spec = replace(self.data.spec, source="table", classes=classes or 2)
        ds = make_dataset(spec, self.points_in(), net.sizes[-1], net.activations[-1].name,
                          (x, y))
        if classes is not None:
            ds.labels = col.astype(int)
        self._install(ds)


    # ------------------------------------------------------------ workspace
    def state(self) -> dict[str, Any]:
        return {**self.data_state(), "speed": self.speed, "init": self.init_method,
                "init_gain": self.init_gain}

    def restore_state(self, state: dict[str, Any]) -> None:
        """Validate then apply; ValueError (nothing changed) on bad input."""
        if not isinstance(state, dict):
            raise ValueError("training state: expected an object")
        speed = state.get("speed", 0)
        if speed not in SPEEDS:
            raise ValueError(f"training state: speed must be one of {SPEEDS}")
        init = state.get("init", "xavier")
        if init not in INITIALISERS:
            raise ValueError(f"training state: unknown initialiser {init!r}")
        gain = check_gain(state.get("init_gain", 1.0))
        ds, edited, features = self.restored_data(state, self._opened)
        self.set_speed(speed)
        self.init_method, self.init_gain = init, gain
        self.features = features
        if features != PLAIN and {"x1", "x2"} <= set(features):
            ex = self.doc.example_x  # the workspace's example, as features: its point
            self.example_point = ex[[features.index("x1"), features.index("x2")]].copy()
        self._install(ds, edited)

    def data_state(self) -> dict[str, Any]:
        """The data's part of the lab state: the settings, whose rows they are (the
        settings' or the document's own, edited or imported) and the test rows."""
        st = {"data": spec_to_dict(self.data.spec),
              "rows": "document" if self.edited else "spec",
              "test": test_rows(self.data.test), "features": list(self.features)}
        if self.edited and self.features != PLAIN:  # the document holds the features' values
            st["points"] = self.data.x.tolist()
        return st

    def restored_data(self, state: dict[str, Any], rows: tuple) -> tuple[DataSet, bool, tuple]:
        """The data set of a saved state (validated; nothing changes): made again from the
        settings, or the saved ``rows`` (x, y) with the saved split; and the input
        features. ValueError if bad."""
        net = self.doc.network
        try:
            spec = spec_from_settings(state.get("data", {}), {})
            features = parse_features(state.get("features", list(PLAIN)), "training.features")
            if features != PLAIN and net.sizes[0] != len(features):
                raise FormatError(f"training.features: {len(features)} features, but the "
                                  f"network has {net.sizes[0]} inputs")
            if features != PLAIN and "points" in state:
                rows = (as_array(state["points"], "training.points", (len(rows[1]), 2)),
                        rows[1])
            elif features != PLAIN and state.get("rows") == "document":
                raise FormatError("training.points: the data points are missing")
        except FormatError as e:
            raise ValueError(f"training state: {e}") from None
        which = state.get("rows", "document" if spec.source == "table" else "spec")
        if which not in ("spec", "document"):
            raise ValueError("training state: 'rows' must be \"spec\" or \"document\"")
        shape = (2 if features != PLAIN else net.sizes[0], net.sizes[-1],
                 net.activations[-1].name)
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
        return ds, which == "document" or spec.source == "table", features
