"""The data edits of the training controller: data settings, points, CSV (a mixin)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from nnviz.engine.csvio import from_csv, to_csv
from nnviz.engine.data import encode, make_dataset, nearest, with_point, without_point


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
        x, col = from_csv(text, net.sizes[0], classes)
        if classes is None:
            y = col.reshape(-1, 1)
            if net.sizes[-1] != 1:
                raise ValueError("regression data need a network with one output")
        else:
            y = encode(col, net.sizes[-1], net.activations[-1].name)
        spec = replace(self.data.spec, source="table", classes=classes or 2)
        ds = make_dataset(spec, net.sizes[0], net.sizes[-1], net.activations[-1].name, (x, y))
        if classes is not None:
            ds.labels = col.astype(int)
        self._install(ds)

