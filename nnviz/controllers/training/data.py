"""The data edits of the training controller: data settings, points, CSV (a mixin). The
data set is the document's: each edit replaces it there (``_install``)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from nnviz.controllers.training.edits import check_gain
from nnviz.engine.core.init import INITIALISERS
from nnviz.engine.sets.csvio import from_csv, to_csv
from nnviz.engine.sets.data import encode, make_dataset, nearest, with_point, without_point
from nnviz.engine.sets.features import PLAIN

#: steps per second offered by the speed control; 0 = as fast as possible
SPEEDS = (1, 2, 5, 10, 30, 100, 0)
#: the data set's keys in the lab states of older workspace files
DATA_KEYS = ("data", "rows", "test", "features", "points")


class DataEdits:
    """Methods of :class:`~nnviz.controllers.training.controller.TrainingController` that change its
    data set; each ends in ``_install`` (one ``data_changed`` signal)."""

    def set_data_spec(self, **changes: Any) -> bool:
        """Remake the data with changed settings (source, n, noise, split, seed, classes,
        gate, goal); False (with a message) if they do not fit the network."""
        spec = replace(self.data.spec, **changes)
        table = (self.data.x, self.data.y) if spec.source == "table" else None
        if spec.source == "table" and self.data.spec.source != "table":
            table = None
        names = tuple(sorted(changes))
        text = "Data: " + ", ".join(names)
        # the steps of a spin box (n, noise, split) merge into one undo step; new points not
        key = None if "seed" in names or "source" in names else ("spec", *names)
        return self._rebuild(spec, table, text=text, key=key)

    def regenerate(self) -> bool:
        """New random points: the same settings with the next seed."""
        return self.set_data_spec(seed=self.data.spec.seed + 1)

    def add_point(self, point, label: int | None = None, target: float | None = None,
                  test: bool = False) -> None:
        """Add a training point, or a test point (a class label, or a regression target)."""
        self._install(with_point(self.data, point, label, target, test),
                      text="Add a test point" if test else "Add a point")

    def remove_point_near(self, point, radius: float) -> bool:
        """Remove the sample nearest ``point`` within ``radius``; False if there is none."""
        i = nearest(self.data, point, radius)
        if i is None or len(self.data.x) <= 1:
            return False
        self._install(without_point(self.data, i), text="Remove a point")
        return True

    def export_csv(self) -> str:
        return to_csv(self.data.x, self.data.labels, self.data.y)

    def import_csv(self, text: str) -> None:
        """Replace the data by a CSV table; CsvError/ValueError leave everything unchanged."""
        net = self.doc.network
        # class labels unless the data are a regression a one-output network can learn
        # (a table such as the notes' example for two outputs takes classes)
        classes = (None if self.data.regression and net.sizes[-1] == 1
                   else self.data.n_classes or max(2, net.sizes[-1]))
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
        self._install(ds, text="Import CSV data")


    # ------------------------------------------------------------ workspace
    def state(self) -> dict[str, Any]:
        """The lab's own settings (the data set's part of a workspace is the document's)."""
        return {"speed": self.speed, "init": self.init_method, "init_gain": self.init_gain}

    def restore_state(self, state: dict[str, Any]) -> None:
        """Validate then apply; ValueError (nothing changed) on bad input. The data keys
        of files written before the data set was the document's go to the document."""
        if not isinstance(state, dict):
            raise ValueError("training state: expected an object")
        speed = state.get("speed", 0)
        if speed not in SPEEDS:
            raise ValueError(f"training state: speed must be one of {SPEEDS}")
        init = state.get("init", "xavier")
        if init not in INITIALISERS:
            raise ValueError(f"training state: unknown initialiser {init!r}")
        gain = check_gain(state.get("init_gain", 1.0))
        data = {k: v for k, v in state.items() if k in DATA_KEYS}
        if data:
            self.doc.restore_data_state(data)   # ValueError: nothing changed
        self.set_speed(speed)
        self.init_method, self.init_gain = init, gain
        features = self.features
        if data and features != PLAIN and {"x1", "x2"} <= set(features):
            ex = self.doc.example_x  # the workspace's example, as features: its point
            self.example_point = ex[[features.index("x1"), features.index("x2")]].copy()
