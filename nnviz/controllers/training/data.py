"""The Training lab's edits of the data set (settings, points, CSV): a part of the
training controller, ``ctl.data_edits``. The data set is the document's: each edit
replaces it there (:meth:`DataEdits.install`)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from nnviz.engine.sets.csvio import from_csv, to_csv
from nnviz.engine.sets.data import (
    DataSet,
    DataSpec,
    encode,
    make_dataset,
    nearest,
    with_point,
    without_point,
)

if TYPE_CHECKING:
    from nnviz.controllers.training.controller import TrainingController


class DataEdits:
    """The Training lab's edits of the document's data set: its settings, points and CSV
    tables (``ctl.data_edits``). It reads the data set and the network through the
    controller (``ctl.data``, ``ctl.points_in()``) and keeps nothing of its own: each edit
    replaces the document's data set in one undo step (:meth:`install`), whose
    ``data_changed`` restarts the controller's order of the training rows."""

    def __init__(self, ctl: TrainingController) -> None:
        self.ctl = ctl
        self.doc = ctl.doc

    @property
    def data(self) -> DataSet:
        """The document's data set (as it is now: each edit replaces it)."""
        return self.doc.data

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
        return self.rebuild(spec, table, text=text, key=key)

    def regenerate(self) -> bool:
        """New random points: the same settings with the next seed."""
        return self.set_data_spec(seed=self.data.spec.seed + 1)

    def add_point(self, point, label: int | None = None, target: float | None = None,
                  test: bool = False) -> None:
        """Add a training point, or a test point (a class label, or a regression target)."""
        self.install(with_point(self.data, point, label, target, test),
                     text="Add a test point" if test else "Add a point")

    def remove_point_near(self, point, radius: float) -> bool:
        """Remove the sample nearest ``point`` within ``radius``; False if there is none."""
        i = nearest(self.data, point, radius)
        if i is None or len(self.data.x) <= 1:
            return False
        self.install(without_point(self.data, i), text="Remove a point")
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
        x, col = from_csv(text, self.ctl.points_in(), classes)
        if classes is None:
            y = col.reshape(-1, 1)
            if net.sizes[-1] != 1:
                raise ValueError("regression data need a network with one output")
        else:
            y = encode(col, net.sizes[-1], net.activations[-1].name)
        spec = replace(self.data.spec, source="table", classes=classes or 2)
        ds = make_dataset(spec, self.ctl.points_in(), net.sizes[-1], net.activations[-1].name,
                          (x, y))
        if classes is not None:
            ds.labels = col.astype(int)
        self.install(ds, text="Import CSV data")

    def click(self, point: tuple[float, float], radius: float, label: int, other: bool = False,
              test: bool = False) -> None:
        """A click on the map at ``point``: the point there (within ``radius``) removed, else
        one added: a training point, or with ``test`` a test point; of class ``label`` (with
        ``other``: the next class), or for a regression with ``point``'s y as its target.
        ValueError (nothing changed) where the point cannot be added."""
        if self.remove_point_near(point, radius):
            return
        ds = self.data
        x, y = point
        if ds.regression:
            self.add_point((x,), target=y, test=test)
            return
        if other:
            label = (label + 1) % ds.n_classes if ds.n_classes > 2 else 1 - label
        self.add_point((x, y), label=int(label), test=test)

    def rebuild(self, spec: DataSpec, table: tuple[np.ndarray, np.ndarray] | None = None,
                quiet: bool = False, text: str = "Data settings",
                key: tuple | None = None) -> bool:
        """The data set made anew from ``spec`` (the rows of ``table`` for a table source);
        False (with a message unless ``quiet``) if it does not fit the network."""
        net = self.doc.network
        if spec.source == "table" and table is None:
            table = (self.data.x, self.data.y)
        try:
            ds = make_dataset(spec, self.ctl.points_in(), net.sizes[-1],
                              net.activations[-1].name, table)
        except ValueError as e:
            if not quiet:
                self.doc.message.emit(f"Data not changed: {e}")
            return False
        self.install(ds, spec.source == "table", text, key)
        return True

    def install(self, ds: DataSet, edited: bool = True, text: str = "Change the data",
                key: tuple | None = None) -> None:
        """The document's data set replaced, one undo step (``key``: consecutive edits of
        one setting merge); its data_changed restarts the order."""
        self.doc.set_training_data(ds, edited, text, key)
