"""The Training lab's data as a CSV file: import (a dialog, or a path), export, and a file
dropped or opened on the window. A bad file is reported and changes nothing."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QWidget

from nnviz.controllers.training.controller import TrainingController
from nnviz.engine.files.validate import FormatError, read_text
from nnviz.engine.sets.csvio import MAX_CSV_BYTES, CsvError
from nnviz.views.safe_text import warn


def import_csv(parent: QWidget, ctl: TrainingController, path: str | None = None) -> bool:
    """Read a CSV file (a dialog if no path) into the data set; False if nothing changed."""
    if not path:
        path, _ = QFileDialog.getOpenFileName(parent, "Import data", "", "CSV (*.csv)")
        if not path:
            return False
    try:
        ctl.data_edits.import_csv(read_text(path, MAX_CSV_BYTES))
    except (OSError, UnicodeDecodeError, CsvError, ValueError) as e:
        warn(parent, "Data not imported", f"{path}:\n{e}")
        return False
    return True


def export_csv(parent: QWidget, ctl: TrainingController, path: str | None = None) -> bool:
    """Write the data set to a CSV file (a dialog if no path); False if not written."""
    if not path:
        path, _ = QFileDialog.getSaveFileName(parent, "Export data", "data.csv", "CSV (*.csv)")
        if not path:
            return False
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(ctl.data_edits.export_csv())
    except OSError as e:
        warn(parent, "Data not exported", f"{path}:\n{e}")
        return False
    return True


def open_csv(ctl: TrainingController, path: str) -> bool:
    """A dropped or opened CSV becomes the data set; a bad file raises ValueError."""
    try:
        ctl.data_edits.import_csv(read_text(path, MAX_CSV_BYTES))
    except (OSError, UnicodeDecodeError, CsvError, FormatError) as e:
        raise ValueError(str(e)) from None
    return True
