"""Validation of a saved optimiser slot (:meth:`nnviz.engine.learning.optimisers.Optimiser.
load_state_dict`): every array's shape and numbers checked before anything changes."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

#: the most numbers one saved optimiser state may hold
MAX_STATE_VALUES = 2_000_000


def parse_slot(s: Any, names: tuple[str, ...], nonneg: tuple[str, ...],
               label: str) -> dict[str, np.ndarray]:
    """The arrays of one saved slot (``names``: its keys; ``nonneg``: the averages of g²,
    never negative); ValueError saying what is wrong."""
    if not isinstance(s, dict) or set(s) != set(names):
        raise ValueError(f"a {label} slot needs {', '.join(names)}")
    out, shape0 = {}, None
    for k in names:
        e = s[k]
        if not isinstance(e, dict):
            raise ValueError("a slot entry must hold shape and data")
        shape, data = e.get("shape"), e.get("data")
        if (not isinstance(shape, list) or len(shape) > 4 or not all(
                isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= 10**6
                for n in shape)):
            raise ValueError("a slot shape must be a short list of sizes")
        size = math.prod(shape)
        if (not isinstance(data, list) or len(data) != size or size > MAX_STATE_VALUES
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                           for v in data)):
            raise ValueError("slot data must be a list of numbers matching its shape")
        a = np.asarray(data, dtype=np.float64).reshape(shape)
        if not np.isfinite(a).all():
            raise ValueError("optimiser state must be finite")
        if k in nonneg and (a < 0).any():
            raise ValueError("a squared-gradient average cannot be negative")
        if shape0 is not None and list(a.shape) != shape0:
            raise ValueError("the arrays of one slot must have one shape")
        shape0 = list(a.shape)
        out[k] = a
    return out
