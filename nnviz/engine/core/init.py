"""Weight initialisers, each with a weight-scale factor (gain) applied after drawing.

========== ===================================== ========================================
name       distribution                           where from
========== ===================================== ========================================
uniform    U(-s, s) (s = ``scale``, default 0.5)  notes 004's U(±0.5); keras-lab U(±0.05)
uniform01  U[0, 1)                                notes 002's network.py (np.random.random)
normal     N(0, 1)                                Nielsen's network.py
lecun      N(0, 1/n_in)                           Nielsen ch. 3 (std 1/√n_in), LeCun 1998
xavier     U(±√(6 / (n_in + n_out)))              Glorot and Bengio 2010
he         N(0, 2/n_in)                           He et al. 2015 (ReLU)
zeros      0                                      (symmetry: every neuron stays the same)
========== ===================================== ========================================
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

INITIALISERS = ("uniform", "uniform01", "normal", "lecun", "xavier", "he", "zeros")
#: how each is written on screen
INIT_LABELS = {"uniform": "U(±s)", "uniform01": "U[0, 1)", "normal": "N(0, 1)",
               "lecun": "N(0, 1/n_in)", "xavier": "Xavier", "he": "He N(0, 2/n_in)",
               "zeros": "zeros"}
GAIN_RANGE = (0.0, 100.0)


def init_weights(
    sizes: Sequence[int], init: str, rng: np.random.Generator, scale: float = 0.5,
    gain: float = 1.0,
) -> list[np.ndarray]:
    """One (n_out, n_in) matrix per layer drawn from ``init`` (see the module table),
    times ``gain`` (the weight-scale control; 1 leaves the distribution as it is)."""
    if init not in INITIALISERS:
        raise ValueError(f"unknown initialiser {init!r}; choose one of {', '.join(INITIALISERS)}")
    if not (np.isfinite(gain) and GAIN_RANGE[0] <= gain <= GAIN_RANGE[1]):
        raise ValueError(f"the weight scale must be in [0, {GAIN_RANGE[1]:g}]")
    weights = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        shape = (n_out, n_in)
        if init == "uniform":
            w = rng.uniform(-scale, scale, size=shape)
        elif init == "uniform01":
            w = rng.random(shape)
        elif init == "normal":
            w = rng.normal(0.0, 1.0, size=shape)
        elif init == "lecun":
            w = rng.normal(0.0, np.sqrt(1.0 / n_in), size=shape)
        elif init == "xavier":
            lim = np.sqrt(6.0 / (n_in + n_out))
            w = rng.uniform(-lim, lim, size=shape)
        elif init == "he":
            w = rng.normal(0.0, np.sqrt(2.0 / n_in), size=shape)
        else:
            w = np.zeros(shape)
        weights.append(np.asarray(w, dtype=np.float64) * gain if gain != 1.0
                       else np.asarray(w, dtype=np.float64))
    return weights
