"""Data sets for live training: a train/test split, noise, seeds, added points, CSV.

A :class:`DataSpec` says how to make the data (a Playground generator, a logic
gate, the digits, a 1-D regression goal, or an explicit table); :func:`make_dataset`
turns it into a :class:`DataSet` (inputs, class labels or regression targets, the
targets encoded for the network's output, and which samples are held out for
testing). Everything is pure: functions return new objects and take their
randomness from the spec's seed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from nnviz.engine.core.activations import get_activation
from nnviz.engine.files.validate import FormatError, as_int, as_number, as_str
from nnviz.engine.sets.datasets import GATES, GENERATORS, gate, generate, load_digits

Array = np.ndarray
SOURCES = GENERATORS + ("gate", "digits", "regression", "table")
#: 1-D goal functions over x in [-3, 3] (written as the expression parser would read them)
GOALS: dict[str, Callable[[Array], Array]] = {
    "sin(2*x)": lambda x: np.sin(2 * x),
    "abs(x) - 1": lambda x: np.abs(x) - 1,
    "x^2/4 - 1": lambda x: x * x / 4 - 1,
    "step(x)": lambda x: np.where(x >= 0, 1.0, 0.0),
    "exp(-x^2)": lambda x: np.exp(-x * x),
}
REGRESSION_RANGE = (-3.0, 3.0)
PLANE = (-6.0, 6.0)
MAX_POINTS = 100_000


@dataclass(frozen=True)
class DataSpec:
    """How to make a data set. ``split`` is the training fraction (0.1-0.9)."""

    source: str = "spiral"
    n: int = 400
    noise: float = 0.0
    split: float = 0.5
    seed: int = 0
    classes: int = 2
    gate: str = "XOR"
    goal: str = "sin(2*x)"


@dataclass
class DataSet:
    """Inputs, labels/targets and the split.

    Attributes
    ----------
    x : ndarray (n, n_in)
    labels : ndarray (n,) of int class labels, or None for regression
    y : ndarray (n, n_out), the targets the network is trained on
    test : ndarray (n,) of bool, True for held-out test samples
    spec : the DataSpec it was made from
    """

    x: Array
    labels: Array | None
    y: Array
    test: Array
    spec: DataSpec = field(default_factory=DataSpec)

    @property
    def regression(self) -> bool:
        return self.labels is None

    @property
    def n_classes(self) -> int:
        return 0 if self.labels is None else max(2, self.spec.classes)

    @property
    def x_train(self) -> Array:
        return self.x[~self.test]

    @property
    def y_train(self) -> Array:
        return self.y[~self.test]

    @property
    def x_test(self) -> Array:
        return self.x[self.test]

    @property
    def y_test(self) -> Array:
        return self.y[self.test]

    def labels_of(self, test: bool) -> Array | None:
        return None if self.labels is None else self.labels[self.test == test]


def scheme_for(n_out: int, output_activation: str) -> str:
    """How class labels become targets: ``onehot``, ``pm1`` (-1/+1) or ``01``."""
    if n_out > 1:
        return "onehot"
    return get_activation(output_activation).targets


def encode(labels: Array, n_out: int, output_activation: str) -> Array:
    """Targets (n, n_out) for integer labels (n,)."""
    labels = np.asarray(labels, dtype=int)
    scheme = scheme_for(n_out, output_activation)
    if scheme == "onehot":
        y = np.zeros((len(labels), n_out))
        y[np.arange(len(labels)), labels] = 1.0
        return y
    if scheme == "pm1":
        return np.where(labels > 0, 1.0, -1.0).reshape(-1, 1)
    return (labels > 0).astype(np.float64).reshape(-1, 1)


def split_mask(n: int, train_fraction: float, seed: int) -> Array:
    """A random test mask (n,) holding out round((1 - train_fraction) n) samples.

    At least one sample is kept for training; tiny sets (fewer than 10, e.g. a
    gate) are not split at all: every sample trains and there is no test set.
    """
    test = np.zeros(n, dtype=bool)
    if n < 10:
        return test
    n_test = min(n - 1, int(round((1.0 - train_fraction) * n)))
    order = np.random.default_rng(seed + 7919).permutation(n)
    test[order[:n_test]] = True
    return test


def custom_goals_available() -> bool:
    """True when the safe expression parser (nnviz.engine.labs.expr) is in this build."""
    import importlib.util

    return importlib.util.find_spec("nnviz.engine.labs.expr") is not None


def goal_function(text: str) -> Callable[[Array], Array]:
    """A built-in goal, or (when nnviz.engine.labs.expr exists) any expression in x."""
    if text in GOALS:
        return GOALS[text]
    try:
        from nnviz.engine.labs.expr import parse_expression  # type: ignore[import-not-found]
    except ImportError:
        raise ValueError(f"unknown goal {text!r}; choose one of {', '.join(GOALS)}") from None
    expr = parse_expression(text)
    return lambda x: np.asarray(expr.evaluate(x), dtype=np.float64) * np.ones_like(x)


def make_dataset(spec: DataSpec, n_in: int, n_out: int, output_activation: str,
                 table: tuple[Array, Array] | None = None) -> DataSet:
    """Build the data set of ``spec`` for a network with n_in inputs and n_out outputs.

    ``table`` gives (x (n, n_in), y (n, n_out)) for ``source == "table"``.
    Raises ValueError (with a message for the user) when the data do not fit the network.
    """
    src = spec.source
    if src in GENERATORS or src == "gate":
        x, labels, y, spec = _points(spec, n_in, n_out, output_activation)
    elif src == "digits":
        if n_in != 64 or n_out != 10:
            raise ValueError("the digits need 64 inputs and 10 outputs")
        x, labels = load_digits()
        spec = replace(spec, classes=10)
        y = encode(labels, 10, output_activation)
    elif src == "regression":
        x, y = _regression(spec, n_in, n_out)
        labels = None
    elif src == "table":
        x, labels, y, spec = _table(spec, table, n_in, n_out, output_activation)
    else:
        raise ValueError(f"unknown data source {src!r}; choose one of {', '.join(SOURCES)}")
    test = split_mask(len(x), spec.split, spec.seed)
    return DataSet(np.asarray(x, np.float64), labels, np.asarray(y, np.float64), test, spec)


def _points(spec: DataSpec, n_in: int, n_out: int, output_activation: str):
    """2-D points of a generator or a logic gate: (x, labels, targets, spec with classes)."""
    src = spec.source
    if n_in != 2:
        raise ValueError(f"{src} makes 2-D points but the network has {n_in} inputs")
    k = max(2, spec.classes) if src in ("spiral", "gaussians") else 2
    if k > 2 and n_out != k:
        raise ValueError(f"{k} classes need {k} outputs (the network has {n_out})")
    if src == "gate":
        x, t = gate(spec.gate)
        labels = t.ravel().astype(int)
    else:
        x, labels = generate(src, spec.n, spec.noise, spec.seed, k)
    if n_out not in (1, k):
        raise ValueError(f"{k} classes need 1 or {k} outputs (the network has {n_out})")
    return x, labels, encode(labels, n_out, output_activation), replace(spec, classes=k)


def _regression(spec: DataSpec, n_in: int, n_out: int) -> tuple[Array, Array]:
    """1-D inputs on REGRESSION_RANGE and the goal plus noise (a share of its range)."""
    if n_in != 1 or n_out != 1:
        raise ValueError("1-D regression needs a network with 1 input and 1 output")
    rng = np.random.default_rng(spec.seed)
    f = goal_function(spec.goal)
    lo, hi = REGRESSION_RANGE
    x = np.sort(rng.uniform(lo, hi, spec.n)).reshape(-1, 1)
    clean = np.asarray(f(x), dtype=np.float64).reshape(x.shape)
    if not np.isfinite(clean).all():
        raise ValueError(f"the goal {spec.goal!r} is not finite everywhere on "
                         f"[{lo:g}, {hi:g}]")
    spread = float(np.ptp(clean)) or 1.0
    return x, clean + spec.noise * spread * rng.normal(0, 1, clean.shape)


def _table(spec: DataSpec, table: tuple[Array, Array] | None, n_in: int, n_out: int,
           output_activation: str):
    """Rows given as (x, y): (x, labels if they look like classes, y, spec)."""
    if table is None:
        raise ValueError("no table given")
    x, y = (np.asarray(a, dtype=np.float64) for a in table)
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != n_in or y.shape != (len(x), n_out):
        raise ValueError(f"the table has {x.shape[-1]} inputs and {y.shape[-1]} targets; "
                         f"the network needs {n_in} and {n_out}")
    labels = labels_from_targets(y, output_activation)
    if labels is not None:
        spec = replace(spec, classes=max(2, y.shape[1]))
    return x, labels, y, spec


def labels_from_targets(y: Array, output_activation: str) -> Array | None:
    """Class labels if the targets look like classes (one-hot, 0/1 or -1/+1), else None."""
    if y.shape[1] > 1:
        onehot = np.isin(y, (0.0, 1.0)).all() and np.all(y.sum(axis=1) == 1)
        return np.argmax(y, axis=1) if onehot else None
    v = y.ravel()
    if np.isin(v, (0.0, 1.0)).all() or np.isin(v, (-1.0, 1.0)).all():
        return (v > 0).astype(int)
    return None


def with_point(ds: DataSet, point: Array, label: int | None = None,
               target: float | None = None, test: bool = False) -> DataSet:
    """A copy of ``ds`` with one more sample (a class label, or a regression target)."""
    if len(ds.x) >= MAX_POINTS:
        raise ValueError(f"at most {MAX_POINTS} points")
    p = np.asarray(point, dtype=np.float64).reshape(1, -1)
    if p.shape[1] != ds.x.shape[1] or not np.isfinite(p).all():
        raise ValueError("the point does not fit the data")
    if ds.labels is None:
        if target is None or not np.isfinite(target):
            raise ValueError("a regression point needs a finite target")
        yrow = np.array([[float(target)]])
        labels = None
    else:
        if label is None or not 0 <= label < ds.n_classes:
            raise ValueError(f"the class must be 0..{ds.n_classes - 1}")
        labels = np.append(ds.labels, int(label))
        yrow = _encode_like(ds, int(label))
    return DataSet(np.vstack([ds.x, p]), labels, np.vstack([ds.y, yrow]),
                   np.append(ds.test, bool(test)), ds.spec)


def _encode_like(ds: DataSet, label: int) -> Array:
    n_out = ds.y.shape[1]
    if n_out > 1:
        row = np.zeros((1, n_out))
        row[0, label] = 1.0
        return row
    neg = float(np.min(ds.y)) if len(ds.y) and np.min(ds.y) < 0 else 0.0
    return np.array([[1.0 if label > 0 else neg]])


def nearest(ds: DataSet, point: Array, radius: float) -> int | None:
    """Index of the sample nearest to ``point`` if it lies within ``radius``, else None."""
    if len(ds.x) == 0:
        return None
    p = np.asarray(point, dtype=np.float64).reshape(1, -1)
    pts = ds.x if ds.labels is not None else np.hstack([ds.x, ds.y[:, :1]])
    d = np.hypot(*(pts[:, :2] - p[:, :2]).T) if pts.shape[1] >= 2 else np.abs(pts[:, 0] - p[0, 0])
    i = int(np.argmin(d))
    return i if d[i] <= radius else None


def without_point(ds: DataSet, index: int) -> DataSet:
    """A copy of ``ds`` without sample ``index`` (at least one sample stays)."""
    if len(ds.x) <= 1:
        raise ValueError("the data set needs at least one point")
    keep = np.ones(len(ds.x), dtype=bool)
    keep[index] = False
    labels = None if ds.labels is None else ds.labels[keep]
    return DataSet(ds.x[keep], labels, ds.y[keep], ds.test[keep], ds.spec)


def spec_from_settings(settings: dict[str, Any], data: dict[str, Any]) -> DataSpec:
    """The DataSpec of a lesson: its ``settings`` (validated) over its ``data`` object.

    Settings keys: ``dataset`` (a source name), ``n``, ``noise`` (0-0.5),
    ``split`` (training fraction 0.1-0.9), ``seed``, ``classes``, ``gate``, ``goal``.
    Raises FormatError naming the key.
    """
    if not isinstance(settings, dict):
        raise FormatError("settings: expected an object")
    s = _spec_of_data(data)
    if "dataset" in settings:
        s["source"] = as_str(settings["dataset"], "settings.dataset")
    for key in ("n", "noise", "split", "seed", "classes", "gate", "goal"):
        if key in settings:
            s[key] = settings[key]
    src = s.get("source", "spiral")
    if src not in SOURCES:
        raise FormatError(f"settings.dataset: {src!r} is not one of {', '.join(SOURCES)}")
    g = as_str(s.get("gate", "XOR"), "settings.gate")
    if g not in GATES:
        raise FormatError(f"settings.gate: {g!r} is not one of {', '.join(GATES)}")
    goal = _checked_goal(s, src)
    n = as_int(s.get("n", 400), "settings.n", 4, MAX_POINTS)
    classes = as_int(s.get("classes", 2), "settings.classes", 2, 10)
    if src in GENERATORS and n < 2 * classes:
        raise FormatError(f"settings.n: {n} samples are too few for {classes} classes (at "
                          f"least {2 * classes})")
    return DataSpec(
        source=src,
        n=n,
        noise=as_number(s.get("noise", 0.0), "settings.noise", 0.0, 0.5),
        split=as_number(s.get("split", 0.5), "settings.split", 0.1, 0.9),
        seed=as_int(s.get("seed", 0), "settings.seed", 0, 2**32 - 1),
        classes=classes,
        gate=g, goal=goal,
    )


def _spec_of_data(data: dict[str, Any]) -> dict[str, Any]:
    """The settings a lesson's ``data`` object implies (its generator, gate or table)."""
    if "generator" in data:
        return {"source": data["generator"], "n": data.get("n", 400),
                "noise": data.get("noise", 0.0), "seed": data.get("seed", 0),
                "classes": data.get("classes", 2)}
    if "gate" in data:
        return {"source": "gate", "gate": data["gate"]}
    if data.get("dataset") == "digits":
        return {"source": "digits"}
    if "inputs" in data:
        return {"source": "table", "split": 0.9}
    return {}


def _checked_goal(s: dict[str, Any], src: str) -> str:
    """The regression goal (an expression of x), checked where the source uses it."""
    goal = as_str(s.get("goal", "sin(2*x)"), "settings.goal", 200)
    if src == "regression":
        try:
            goal_function(goal)
        except ValueError as e:
            raise FormatError(f"settings.goal: {e}") from None
    return goal


def test_rows(test: Array) -> list[int]:
    """The indices of the test samples (how a workspace stores the split)."""
    return [int(i) for i in np.flatnonzero(test)]


def mask_from_rows(v: Any, n: int, where: str) -> Array:
    """The test mask of ``n`` samples from the indices of its test samples (validated:
    whole numbers in [0, n), no repeats). Raises FormatError naming ``where``."""
    if not isinstance(v, list) or len(v) > n:
        raise FormatError(f"{where}: expected a list of at most {n} row numbers")
    mask = np.zeros(n, dtype=bool)
    for k, i in enumerate(v):
        i = as_int(i, f"{where}[{k}]", 0, n - 1)
        if mask[i]:
            raise FormatError(f"{where}[{k}]: row {i} is listed twice")
        mask[i] = True
    return mask


def spec_to_dict(spec: DataSpec) -> dict[str, Any]:
    """The settings object of a DataSpec (inverse of :func:`spec_from_settings`)."""
    return {"dataset": spec.source, "n": spec.n, "noise": spec.noise, "split": spec.split,
            "seed": spec.seed, "classes": spec.classes, "gate": spec.gate, "goal": spec.goal}
