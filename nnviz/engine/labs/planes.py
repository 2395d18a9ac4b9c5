"""Planes through parameter space for networks with many parameters.

The loss on origin + alpha d1 + beta d2 for two directions: two random ones,
filter-normalised as in Li et al. (2018), "Visualizing the loss landscape of
neural nets", or the first two principal components of a training
trajectory, with the trajectory projected on the plane.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.engine.core.losses import Loss
from nnviz.engine.core.network import Network
from nnviz.engine.labs.surface import Cancelled, Progress, batched_loss, chunk_size, unflatten_batch

Array = np.ndarray


def plane_grid(net: Network, x: Array, y: Array, loss: Loss, origin: Array, d1: Array,
               d2: Array, alphas: Array, betas: Array,
               progress: Progress | None = None) -> Array:
    """The cost on the plane origin + alpha d1 + beta d2 (flat parameter vectors).

    Returns
    -------
    ndarray, shape (len(betas), len(alphas))
    """
    alphas = np.asarray(alphas, dtype=np.float64)
    betas = np.asarray(betas, dtype=np.float64)
    ga, gb = np.meshgrid(alphas, betas)
    va, vb = ga.ravel(), gb.ravel()
    out = np.empty(va.size)
    chunk = chunk_size(net, len(x), origin.size)
    for s in range(0, va.size, chunk):
        e = min(s + chunk, va.size)
        thetas = origin[None] + va[s:e, None] * d1[None] + vb[s:e, None] * d2[None]
        weights, biases = unflatten_batch(net, thetas)
        out[s:e] = batched_loss(net, x, y, loss, weights, biases)
        if progress is not None and not progress(e, va.size):
            raise Cancelled()
    return out.reshape(gb.shape)


def filter_normalised_direction(net: Network, rng: np.random.Generator) -> Array:
    """A random direction, rescaled per neuron to the norm of that neuron's weights.

    Li et al. (2018): d_j <- d_j / ||d_j|| * ||theta_j|| for each neuron j (row of a
    weight matrix: a "filter" of a dense layer). Biases get zero direction, as in
    the paper. Returns a flat vector in :meth:`Network.get_params` order.
    """
    parts = []
    for l, w in enumerate(net.weights):
        d = rng.standard_normal(w.shape)
        dn = np.linalg.norm(d, axis=1, keepdims=True)
        wn = np.linalg.norm(w, axis=1, keepdims=True)
        parts.append((d / np.maximum(dn, 1e-300) * wn).ravel())
        if net.use_bias[l]:
            parts.append(np.zeros(1 if net.shared_bias[l] else w.shape[0]))
    return np.concatenate(parts)


@dataclass
class PcaPlane:
    """The plane of the first two principal components of a trajectory.

    ``origin`` is the last point, ``d1``/``d2`` unit directions, ``coords``
    (T, 2) the trajectory projected on the plane, ``explained`` the fraction
    of variance of each component.
    """

    origin: Array
    d1: Array
    d2: Array
    coords: Array
    explained: Array


def pca_plane(trajectory: Array) -> PcaPlane:
    """PCA of a parameter trajectory (T, P), centred on its final point."""
    t = np.asarray(trajectory, dtype=np.float64)
    if t.ndim != 2 or t.shape[0] < 3:
        raise ValueError("the PCA plane needs a trajectory of at least 3 points")
    origin = t[-1]
    m = t - t.mean(axis=0)
    _, s, vt = np.linalg.svd(m, full_matrices=False)
    d1 = vt[0]
    d2 = vt[1] if vt.shape[0] > 1 else np.zeros_like(d1)
    var = s ** 2
    explained = var[:2] / var.sum() if var.sum() > 0 else np.zeros(2)
    coords = project(t, origin, d1, d2)
    return PcaPlane(origin, d1, d2, coords, np.pad(explained, (0, 2 - explained.size)))


def project(points: Array, origin: Array, d1: Array, d2: Array) -> Array:
    """Least-squares coordinates (alpha, beta) of points (T, P) on origin + span(d1, d2)."""
    basis = np.stack([d1, d2], axis=1)  # (P, 2)
    coef, *_ = np.linalg.lstsq(basis, (np.asarray(points) - origin).T, rcond=None)
    return coef.T
