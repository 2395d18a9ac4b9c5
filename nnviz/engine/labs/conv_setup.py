"""What the convolution lab shows, as validated data: a lesson's ``settings`` and the
lab's part of a workspace use the same keys (``resources/lessons/README.md``).

:func:`parse_setup` checks every value and its bounds before anything is built
and raises :class:`~nnviz.engine.files.validate.FormatError` naming the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nnviz.engine.files.validate import FormatError, as_bool, as_int, as_number, as_str
from nnviz.engine.labs.conv_steps import PRESETS, map_shape, preset_kernel, rgb_image
from nnviz.engine.labs.pooling import MODES

PAGES = ("conv", "rgb", "pool", "cnn")
SOURCES = ("digit", "paint", "rgb")
N_DIGITS = 1797
MAX_KERNELS = 8
MAX_CNN_KERNELS = 16
MAX_PAINT = 16
MAX_ABS = 1000.0
Array = np.ndarray


@dataclass
class ConvSetup:
    """The lab's settings. ``kernels`` (K, C, k, k), ``biases`` (K,); ``paint`` (H, W)."""

    page: str = "conv"
    source: str = "digit"
    digit: int = 0
    paint: Array = field(default_factory=lambda: np.zeros((8, 8)))
    kernels: Array = field(default_factory=lambda: preset_kernel("edge_vertical")[None])
    biases: Array = field(default_factory=lambda: np.zeros(1))
    active: int = 0
    stride: int = 1
    padding: int = 0
    relu: bool = True
    pool: str = "max"
    pool_size: int = 2
    pool_stride: int = 2
    cnn_kernels: int = 8
    cnn_pool: str = "max"
    cnn_lr: float = 0.01
    cnn_seed: int = 0

    @property
    def channels(self) -> int:
        return 3 if self.source == "rgb" else 1

    def image(self) -> Array:
        """The input image (C, H, W) in [0, 1]."""
        if self.source == "rgb":
            return rgb_image()
        if self.source == "paint":
            return self.paint[None].copy()
        from nnviz.engine.sets.datasets import load_digits

        x, _ = load_digits()
        return x[self.digit].reshape(1, 8, 8)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON (the inverse of :func:`parse_setup`)."""
        return {
            "page": self.page, "source": self.source, "digit": self.digit,
            "paint": self.paint.tolist(), "kernels": self.kernels.tolist(),
            "biases": self.biases.tolist(), "active": self.active, "stride": self.stride,
            "padding": self.padding, "relu": self.relu, "pool": self.pool,
            "pool_size": self.pool_size, "pool_stride": self.pool_stride,
            "cnn_kernels": self.cnn_kernels, "cnn_pool": self.cnn_pool,
            "cnn_lr": self.cnn_lr, "cnn_seed": self.cnn_seed,
        }


def _choice(d: dict, key: str, choices: tuple[str, ...], default: str) -> str:
    v = as_str(d.get(key, default), key, 40)
    if v not in choices:
        raise FormatError(f"{key}: {v!r} is not one of {', '.join(choices)}")
    return v


def _grid(v: Any, where: str, shape: tuple[int, ...]) -> Array:
    """A nested list of finite numbers in [-MAX_ABS, MAX_ABS] of exactly ``shape``."""
    if len(shape) == 0:
        return np.float64(as_number(v, where, -MAX_ABS, MAX_ABS))
    if not isinstance(v, list) or len(v) != shape[0]:
        raise FormatError(f"{where}: expected a list of {shape[0]} entries")
    return np.array([_grid(e, f"{where}[{i}]", shape[1:]) for i, e in enumerate(v)],
                    dtype=np.float64)


def _kernels(raw: Any, channels: int, size: int) -> Array:
    """A list of kernels, each a preset name or a (C, k, k) / (k, k) nested list."""
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_KERNELS:
        raise FormatError(f"kernels: expected a list of 1 to {MAX_KERNELS} kernels")
    out = []
    for i, k in enumerate(raw):
        where = f"kernels[{i}]"
        if isinstance(k, str):
            if k not in PRESETS:
                raise FormatError(f"{where}: {k!r} is not one of {', '.join(PRESETS)}")
            out.append(preset_kernel(k, channels, size))
        elif isinstance(k, list) and k and isinstance(k[0], list) and k[0] \
                and isinstance(k[0][0], list):
            out.append(_grid(k, where, (channels, size, size)))
        else:
            out.append(np.repeat(_grid(k, where, (size, size))[None], channels, axis=0))
    return np.stack(out)


def _array_size(raw: Any) -> int | None:
    """k of the first kernel given as numbers ((k, k) or (C, k, k) nested lists)."""
    for k in raw if isinstance(raw, list) else []:
        if isinstance(k, list) and k:
            row = k[-1] if not isinstance(k[0], list) or not k[0] or not isinstance(
                k[0][0], list) else k[0][0]
            return len(row) if isinstance(row, list) else len(k)
    return None


def parse_setup(d: Any) -> ConvSetup:
    """Validate a settings object (every key optional) and build the setup."""
    if d is None:
        d = {}
    if not isinstance(d, dict):
        raise FormatError("settings: expected an object")
    s = ConvSetup()
    s.page = _choice(d, "page", PAGES, s.page)
    s.source = _choice(d, "source", SOURCES, "rgb" if s.page == "rgb" else s.source)
    s.digit = as_int(d.get("digit", 0), "digit", 0, N_DIGITS - 1)
    if "paint" in d:
        p = d["paint"]
        rows = len(p) if isinstance(p, list) else 0
        cols = len(p[0]) if rows and isinstance(p[0], list) else 0
        if not (3 <= rows <= MAX_PAINT and 3 <= cols <= MAX_PAINT):
            raise FormatError(f"paint: expected 3 to {MAX_PAINT} rows of 3 to {MAX_PAINT} cells")
        s.paint = _grid(p, "paint", (rows, cols))
        if s.paint.min() < 0 or s.paint.max() > 1:
            raise FormatError("paint: cells must be between 0 and 1")
    raw = d.get("kernels", d.get("kernel", "edge_vertical"))
    size = as_int(d.get("kernel_size", _array_size(raw) or 3), "kernel_size", 1, 5)
    s.kernels = _kernels(raw, s.channels, size)
    n = len(s.kernels)
    b = d.get("biases", [0.0] * n)
    if not isinstance(b, list) or len(b) != n:
        raise FormatError(f"biases: expected a list of {n} numbers (one per kernel)")
    s.biases = np.array([as_number(v, f"biases[{i}]", -MAX_ABS, MAX_ABS)
                         for i, v in enumerate(b)], dtype=np.float64)
    s.active = as_int(d.get("active", 0), "active", 0, n - 1)
    s.stride = as_int(d.get("stride", 1), "stride", 1, 4)
    s.padding = as_int(d.get("padding", 0), "padding", 0, 3)
    s.relu = as_bool(d.get("relu", True), "relu")
    s.pool = _choice(d, "pool", MODES, s.pool)
    s.pool_size = as_int(d.get("pool_size", 2), "pool_size", 1, 4)
    s.pool_stride = as_int(d.get("pool_stride", 2), "pool_stride", 1, 4)
    s.cnn_kernels = as_int(d.get("cnn_kernels", 8), "cnn_kernels", 1, MAX_CNN_KERNELS)
    s.cnn_pool = _choice(d, "cnn_pool", MODES, s.cnn_pool)
    s.cnn_lr = as_number(d.get("cnn_lr", 0.01), "cnn_lr", 1e-6, 10.0)
    s.cnn_seed = as_int(d.get("cnn_seed", 0), "cnn_seed", 0, 2**32 - 1)
    check_fits(s)
    return s


def check_fits(s: ConvSetup) -> None:
    """FormatError unless the kernel fits the padded image and the pool the map."""
    _, h, w = s.image().shape if s.source != "digit" else (1, 8, 8)
    try:
        oh, ow = map_shape(h, w, s.kernels.shape[-1], s.stride, s.padding)
        map_shape(oh, ow, s.pool_size, s.pool_stride, 0)
    except ValueError as e:
        raise FormatError(f"settings: {e}") from None
