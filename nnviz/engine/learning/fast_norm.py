"""Batch normalisation and shared biases on the fast trainer's path (see
:mod:`nnviz.engine.learning.fast` and :mod:`nnviz.engine.core.batchnorm`, the definition).

The fast trainer keeps activations feature-major, (neurons, batch): a layer's batch
statistics are row means. gamma and beta of every normalised layer live in the flat
parameter vector after all the [W | b] blocks (their gradients likewise in G), so the
optimiser updates them in the same call; the running averages are the trainer's own
arrays, copied to and from the network like the parameters.

Per normalised layer and step, forward (z in place, (m, n)): mu and sigma^2 over the
batch, the running averages, x_hat = (z - mu) / sqrt(sigma^2 + eps), y = gamma x_hat
+ beta; backward (d = dC/dy in place, scaled like every delta of the fast path):
dgamma = sum d x_hat, dbeta = sum d, dC/dz = gamma / (n sqrt(sigma^2 + eps))
(n d - dbeta - x_hat dgamma).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.engine.core.network import Network

Array = np.ndarray


@dataclass
class NormLayer:
    """One normalised layer's parameters in the flat vectors and its running averages."""

    gamma: Array    # (m, 1) view of P
    beta: Array     # (m, 1) view of P
    dgamma: Array   # (m,) view of G
    dbeta: Array    # (m,) view of G
    mean: Array     # (m, 1) running mean
    var: Array      # (m, 1) running variance
    eps: float
    momentum: float


@dataclass
class NormStep:
    """A normalised layer's buffers for one batch size."""

    layer: NormLayer
    n: int
    mu: Array       # (m, 1)
    sig: Array      # (m, 1) the batch's variance, then 1 / sqrt(variance + eps)
    x_hat: Array    # (m, n)
    tmp: Array      # (m, n)
    col: Array      # (m, 1)


def norm_layers(net: Network, P: Array, G: Array, start: int) -> tuple[list, int]:
    """Per weight layer a :class:`NormLayer` (None without batch normalisation), with
    gamma then beta of each normalised layer at ``start``, ``start + m`` ... of P and G;
    also the end of that segment."""
    out, i = [], start
    for bn in net.norms:
        if bn is None:
            out.append(None)
            continue
        m = bn.size
        out.append(NormLayer(P[i:i + m].reshape(m, 1), P[i + m:i + 2 * m].reshape(m, 1),
                             G[i:i + m], G[i + m:i + 2 * m], np.zeros((m, 1)),
                             np.zeros((m, 1)), bn.eps, bn.momentum))
        i += 2 * m
    return out, i


def norm_size(net: Network) -> int:
    """Entries of the gamma/beta segment."""
    return sum(2 * bn.size for bn in net.norms if bn is not None)


def load_norms(net: Network, layers: list) -> None:
    for bn, nl in zip(net.norms, layers):
        if nl is not None:
            nl.gamma[:, 0] = bn.gamma
            nl.beta[:, 0] = bn.beta
            nl.mean[:, 0] = bn.running_mean
            nl.var[:, 0] = bn.running_var


def store_norms(net: Network, layers: list) -> None:
    for bn, nl in zip(net.norms, layers):
        if nl is not None:
            bn.gamma[...] = nl.gamma[:, 0]
            bn.beta[...] = nl.beta[:, 0]
            bn.running_mean = nl.mean[:, 0].copy()
            bn.running_var = nl.var[:, 0].copy()


def norm_steps(layers: list, n: int) -> list:
    """Buffers for batches of ``n`` (None where a layer is not normalised)."""
    return [None if nl is None else NormStep(
        nl, n, *(np.zeros((nl.gamma.shape[0], 1)) for _ in range(2)),
        *(np.zeros((nl.gamma.shape[0], n)) for _ in range(2)),
        np.zeros((nl.gamma.shape[0], 1))) for nl in layers]


def norm_forward(st: NormStep, z: Array) -> None:
    """z (m, n) -> gamma x_hat + beta in place, with the batch's statistics; the running
    averages follow them (the unbiased variance, as batchnorm.BatchNorm.forward)."""
    nl, n = st.layer, st.n
    mu, sig, col = st.mu, st.sig, st.col
    np.add.reduce(z, axis=1, keepdims=True, out=mu)
    mu /= n
    np.subtract(z, mu, z)
    np.multiply(z, z, st.tmp)
    np.add.reduce(st.tmp, axis=1, keepdims=True, out=sig)
    sig /= n
    m = nl.momentum
    # mean <- m mean + (1 - m) mu; var <- m var + (1 - m) n/(n - 1) sigma^2
    np.multiply(nl.mean, m, nl.mean)
    np.multiply(mu, 1 - m, col)
    nl.mean += col
    np.multiply(sig, n / (n - 1) if n > 1 else 1.0, col)
    col *= 1 - m
    np.multiply(nl.var, m, nl.var)
    nl.var += col
    sig += nl.eps
    np.sqrt(sig, sig)
    np.divide(1.0, sig, sig)
    np.multiply(z, sig, st.x_hat)
    np.multiply(st.x_hat, nl.gamma, z)
    z += nl.beta


def norm_backward(st: NormStep, d: Array) -> None:
    """d = dC/dy (m, n) -> dC/dz in place; dgamma and dbeta into G."""
    nl, n = st.layer, st.n
    np.multiply(d, st.x_hat, st.tmp)
    np.add.reduce(st.tmp, axis=1, out=nl.dgamma)
    np.add.reduce(d, axis=1, out=nl.dbeta)
    np.multiply(st.x_hat, nl.dgamma[:, None], st.tmp)
    d *= n
    d -= nl.dbeta[:, None]
    d -= st.tmp
    np.multiply(nl.gamma, st.sig, st.col)
    st.col /= n
    d *= st.col


def share_biases(columns: list[Array]) -> None:
    """A shared bias's gradient: the sum over its neurons, in every entry (as
    network.backward), so the optimiser keeps the entries equal."""
    for c in columns:
        c[...] = np.sum(c)
