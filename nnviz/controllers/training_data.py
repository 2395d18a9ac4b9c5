"""The data edits of the training controller: data settings, points, CSV (a mixin)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

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
from nnviz.engine.validate import FormatError


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


    # ------------------------------------------------------------ workspace
    def data_state(self) -> dict[str, Any]:
        """The data's part of the lab state: the settings, whose rows they are (the
        settings' or the document's own, edited or imported) and the test rows."""
        return {"data": spec_to_dict(self.data.spec),
                "rows": "document" if self.edited else "spec",
                "test": test_rows(self.data.test)}

    def restored_data(self, state: dict[str, Any], rows: tuple) -> tuple[DataSet, bool]:
        """The data set of a saved state (validated; nothing changes): made again from the
        settings, or the saved ``rows`` (x, y) with the saved split. ValueError if bad."""
        try:
            spec = spec_from_settings(state.get("data", {}), {})
        except FormatError as e:
            raise ValueError(f"training state: {e}") from None
        which = state.get("rows", "document" if spec.source == "table" else "spec")
        if which not in ("spec", "document"):
            raise ValueError("training state: 'rows' must be \"spec\" or \"document\"")
        net = self.doc.network
        shape = (net.sizes[0], net.sizes[-1], net.activations[-1].name)
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
        return ds, which == "document" or spec.source == "table"
