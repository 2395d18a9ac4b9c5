"""CSV import and export of a data set: the features, then the label (or target).

One row a sample, comma-separated; an optional header line (any row whose
fields are not all numbers on line 1). Classification files carry an integer
class label 0..k-1 in the last column (for one-output networks -1 also means
class 0); regression files a number. Every fault raises :class:`CsvError`
naming the line; the caller keeps its data unchanged.
"""

from __future__ import annotations

import math

import numpy as np

Array = np.ndarray
MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000


class CsvError(ValueError):
    """A CSV file is malformed; the message names the line."""


def to_csv(x: Array, labels: Array | None, y: Array | None = None) -> str:
    """CSV text with a header: x1..xd then ``label`` (classes) or ``target`` (regression).

    Parameters
    ----------
    x : ndarray (n, d)
    labels : ndarray (n,) of int, or None for regression
    y : ndarray (n, 1), the regression targets (used when labels is None)
    """
    x = np.asarray(x, dtype=np.float64)
    d = x.shape[1]
    last = "label" if labels is not None else "target"
    lines = [",".join([f"x{i + 1}" for i in range(d)] + [last])]
    col = labels if labels is not None else np.asarray(y, dtype=np.float64)[:, 0]
    for row, v in zip(x, col):
        vals = [repr(float(a)) for a in row]
        vals.append(str(int(v)) if labels is not None else repr(float(v)))
        lines.append(",".join(vals))
    return "\n".join(lines) + "\n"


def from_csv(text: str, n_features: int, classes: int | None) -> tuple[Array, Array]:
    """Parse CSV text into (x (n, n_features), last column (n,)).

    ``classes`` is the number of classes (labels must be integers 0..classes-1;
    -1 is read as class 0 when ``classes == 2``) or None for regression targets.
    Raises CsvError naming the line of the first fault.
    """
    if len(text.encode("utf-8", errors="replace")) > MAX_CSV_BYTES:
        raise CsvError("the file is larger than 20 MB")
    rows: list[list[float]] = []
    labels: list[float] = []
    width = n_features + 1
    # lines end only at \n (or \r\n): str.splitlines would also split at \x0b, \x0c or
    # \u2028 and shift every reported line number; a byte-order mark is not a character
    lines = text.removeprefix("\ufeff").split("\n")
    for no, raw in enumerate(lines, start=1):
        line = raw.strip(" \t\r")
        if not line or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split(",")]
        nums = [_number(f) for f in fields]
        if not rows and no == _first_content(lines) and any(v is None for v in nums):
            if len(fields) != width:
                raise CsvError(f"line {no}: the header has {len(fields)} columns; expected "
                               f"{width} ({n_features} features and a "
                               f"{'label' if classes else 'target'})")
            continue  # header
        if len(fields) != width:
            raise CsvError(f"line {no}: {len(fields)} values; expected {width} "
                           f"({n_features} features and a {'label' if classes else 'target'})")
        _check_numbers(no, fields, nums)
        rows.append(nums[:-1])  # type: ignore[arg-type]
        labels.append(nums[-1] if classes is None else _label(no, nums[-1], fields[-1], classes))
        if len(rows) > MAX_ROWS:
            raise CsvError(f"line {no}: more than {MAX_ROWS} rows")
    if not rows:
        raise CsvError("the file has no data rows")
    x = np.array(rows, dtype=np.float64)
    col = np.array(labels, dtype=int if classes is not None else np.float64)
    return x, col


def _check_numbers(no: int, fields: list[str], nums: list[float | None]) -> None:
    """Every field of line ``no`` is a finite number."""
    for i, v in enumerate(nums):
        if v is None:
            raise CsvError(f"line {no}, column {i + 1}: {fields[i][:40]!r} is not a number")
        if not math.isfinite(v):
            raise CsvError(f"line {no}, column {i + 1}: the value is not finite")


def _label(no: int, last: float, field: str, classes: int) -> int:
    """The class of line ``no``: a whole number 0..classes-1 (-1 is class 0 of two)."""
    if last != int(last):
        raise CsvError(f"line {no}: the label {field[:40]!r} is not a whole number")
    lab = int(last)
    if classes == 2 and lab == -1:
        lab = 0
    if not 0 <= lab < classes:
        raise CsvError(f"line {no}: the label {lab} is not a class 0..{classes - 1}")
    return lab


def _first_content(lines: list[str]) -> int:
    for no, raw in enumerate(lines, start=1):
        s = raw.strip(" \t\r")
        if s and not s.startswith("#"):
            return no
    return 0


def _number(s: str) -> float | None:
    try:
        return float(s)
    except ValueError:
        return None
