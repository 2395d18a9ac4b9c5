"""Weight initialisers: uniform(±a), Xavier/Glorot, He, zeros."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

INITIALISERS = ("uniform", "xavier", "he", "zeros")


def init_weights(
    sizes: Sequence[int], init: str, rng: np.random.Generator, scale: float = 0.5
) -> list[np.ndarray]:
    """One (n_out, n_in) matrix per layer.

    uniform: U(-scale, scale); xavier: Glorot uniform, U(±sqrt(6 / (n_in + n_out)));
    he: normal with std sqrt(2 / n_in); zeros: all 0.
    """
    weights = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        if init == "uniform":
            w = rng.uniform(-scale, scale, size=(n_out, n_in))
        elif init == "xavier":
            lim = np.sqrt(6.0 / (n_in + n_out))
            w = rng.uniform(-lim, lim, size=(n_out, n_in))
        elif init == "he":
            w = rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_out, n_in))
        elif init == "zeros":
            w = np.zeros((n_out, n_in))
        else:
            raise ValueError(f"unknown initialiser {init!r}; choose one of {', '.join(INITIALISERS)}")
        weights.append(np.asarray(w, dtype=np.float64))
    return weights
