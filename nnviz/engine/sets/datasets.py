"""Data sets: explicit tables, logic gates, 2-D generators, the 8x8 digits.

A lesson's ``data`` object is one of
``{"inputs": [[...]], "targets": [[...]]}``, ``{"gate": "XOR"}``,
``{"generator": "spiral", "n": 500, "noise": 0.0, "seed": 0, "classes": 2,
"labels": "pm1" | "01" | "onehot"}``, or ``{"dataset": "digits"}``.

The 2-D generators follow TensorFlow Playground's (points over [-6, 6]^2).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnviz.engine.files.validate import FormatError, as_array, as_int, as_number, as_str

GATES = {
    "AND": [0, 0, 0, 1],
    "OR": [0, 1, 1, 1],
    "NAND": [1, 1, 1, 0],
    "NOR": [1, 0, 0, 0],
    "XOR": [0, 1, 1, 0],
}
CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
GENERATORS = ("circle", "xor", "gaussians", "spiral")


def gate(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The four corners of the unit square and the gate's outputs (0/1), shape (4, 1)."""
    return CORNERS.copy(), np.array(GATES[name], dtype=np.float64).reshape(-1, 1)


def generate(kind: str, n: int = 500, noise: float = 0.0, seed: int = 0,
             classes: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Playground-style 2-D points in [-6, 6]^2 with integer class labels 0..classes-1.

    ``noise`` is a fraction in [0, 0.5] as Playground's 0-50 %. For two classes
    label 1 is Playground's positive class (+1).
    """
    rng = np.random.default_rng(seed)
    k = max(2, int(classes))
    if kind == "circle":
        radius = 5.0
        half = n // 2
        r = np.concatenate([rng.uniform(0, radius * 0.5, half),
                            rng.uniform(radius * 0.7, radius, n - half)])
        ang = rng.uniform(0, 2 * np.pi, n)
        pts = np.stack([r * np.sin(ang), r * np.cos(ang)], axis=1)
        jitter = rng.uniform(-radius, radius, (n, 2)) * noise
        labels = (np.hypot(*(pts + jitter).T) < radius * 0.5).astype(int)
    elif kind == "xor":
        pts = rng.uniform(-5, 5, (n, 2))
        pts += np.where(pts > 0, 0.3, -0.3)
        jitter = rng.uniform(-5, 5, (n, 2)) * noise
        noisy = pts + jitter
        labels = (noisy[:, 0] * noisy[:, 1] >= 0).astype(int)
    elif kind == "gaussians":
        var = 0.5 + noise / 0.5 * 3.5
        ang = np.pi / 4 + np.arange(k) * 2 * np.pi / k
        centres = 2 * np.sqrt(2) * np.stack([np.cos(ang), np.sin(ang)], axis=1)
        labels = np.arange(n) % k
        pts = centres[labels] + rng.normal(0, np.sqrt(var), (n, 2))
        if k == 2:
            labels = 1 - labels  # (2, 2) is the positive class
    elif kind == "spiral":
        per = n // k
        pts_l, lab_l = [], []
        for c in range(k):
            i = np.arange(per)
            r = i / per * 5.0
            t = 1.75 * i / per * 2 * np.pi + c * 2 * np.pi / k
            p = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
            p += rng.uniform(-1, 1, (per, 2)) * noise
            pts_l.append(p)
            lab_l.append(np.full(per, c))
        pts = np.concatenate(pts_l)
        labels = np.concatenate(lab_l)
        if k == 2:
            labels = 1 - labels  # the first arm is the positive class
    else:
        raise ValueError(f"unknown generator {kind!r}; choose one of {', '.join(GENERATORS)}")
    return np.clip(pts, -6.0, 6.0).astype(np.float64), labels.astype(int)


def encode_labels(labels: np.ndarray, n_out: int, scheme: str) -> np.ndarray:
    """Class labels as targets: ``pm1`` (+1/-1, one output), ``01`` or ``onehot``."""
    labels = np.asarray(labels, dtype=int)
    if scheme == "onehot" or (n_out > 1 and scheme != "pm1"):
        y = np.zeros((len(labels), n_out))
        y[np.arange(len(labels)), labels] = 1.0
        return y
    if scheme == "pm1":
        return np.where(labels > 0, 1.0, -1.0).reshape(-1, 1)
    return labels.astype(np.float64).reshape(-1, 1)


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 8x8 digits: inputs (1797, 64) scaled to [0, 1] and labels 0..9."""
    from nnviz.engine.files.resources import resources_dir

    path = resources_dir() / "datasets" / "digits.npz"
    with np.load(path, allow_pickle=False) as f:
        images = np.asarray(f["images"], dtype=np.float64)
        labels = np.asarray(f["labels"], dtype=int)
    return images.reshape(len(images), -1) / 16.0, labels


def _default_labels(n_out: int, output_activation: str | None) -> str:
    if n_out > 1:
        return "onehot"
    if output_activation is None:
        return "pm1"
    from nnviz.engine.core.activations import ACTIVATIONS

    act = ACTIVATIONS.get(output_activation)
    return act.targets if act is not None else "pm1"


def dataset_from_spec(spec: dict[str, Any], n_in: int, n_out: int,
                      output_activation: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Build (inputs, targets) from a lesson's ``data`` object, validating it. A generator's
    two classes for one output become the targets of ``output_activation`` (0/1 for a
    sigmoid, -1/+1 for tanh; -1/+1 when not given) unless ``labels`` says otherwise."""
    if "inputs" in spec:
        x = as_array(spec["inputs"], "data.inputs", (None, n_in))
        y = as_array(spec.get("targets"), "data.targets", (len(x), n_out))
        if len(x) == 0:
            raise FormatError("data.inputs: no samples")
        return x, y
    if "gate" in spec:
        g = as_str(spec["gate"], "data.gate")
        if g not in GATES:
            raise FormatError(f"data.gate: {g!r} is not one of {', '.join(GATES)}")
        if n_in != 2 or n_out != 1:
            raise FormatError("data.gate: a gate needs 2 inputs and 1 output")
        return gate(g)
    if "generator" in spec:
        return _generated(spec, n_in, n_out, output_activation)
    if "dataset" in spec:
        name = as_str(spec["dataset"], "data.dataset")
        if name != "digits":
            raise FormatError(f"data.dataset: unknown data set {name!r} (only 'digits')")
        if n_in != 64 or n_out != 10:
            raise FormatError("data.dataset: the digits need 64 inputs and 10 outputs")
        x, labels = load_digits()
        return x, encode_labels(labels, 10, "onehot")
    raise FormatError("data: expected 'inputs', 'gate', 'generator' or 'dataset'")


def _generated(spec: dict[str, Any], n_in: int, n_out: int,
               output_activation: str | None) -> tuple[np.ndarray, np.ndarray]:
    """The points of a lesson's ``generator`` and their targets (``labels`` scheme)."""
    kind = as_str(spec["generator"], "data.generator")
    if kind not in GENERATORS:
        raise FormatError(f"data.generator: {kind!r} is not one of {', '.join(GENERATORS)}")
    n = as_int(spec.get("n", 500), "data.n", 4, 100_000)
    noise = as_number(spec.get("noise", 0.0), "data.noise", 0.0, 0.5)
    seed = as_int(spec.get("seed", 0), "data.seed", 0, 2**32 - 1)
    classes = as_int(spec.get("classes", 2), "data.classes", 2, 10)
    scheme = as_str(spec.get("labels", _default_labels(n_out, output_activation)),
                    "data.labels")
    if scheme not in ("pm1", "01", "onehot"):
        raise FormatError("data.labels: use pm1, 01 or onehot")
    if n_in != 2:
        raise FormatError("data.generator: generators make 2-D points; the network needs "
                          "2 inputs")
    if n_out == 1 and classes > 2:
        raise FormatError("data.classes: more than two classes need one output per class")
    if n < 2 * classes:
        raise FormatError(f"data.n: {n} samples are too few for {classes} classes (at "
                          f"least {2 * classes})")
    x, labels = generate(kind, n, noise, seed, classes)
    return x, encode_labels(labels, n_out, scheme)
