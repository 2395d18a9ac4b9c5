"""Error surfaces: the loss over two parameters of a real network.

The loss is evaluated for many parameter settings at once: the varied
parameters get a leading grid axis G, so each layer's matrix product acts on
arrays of shape (G, n, .) — one batched forward pass per chunk of the grid,
never a Python loop of forward passes per grid point.

Also: gradient-descent paths (all parameters, or only the two shown) and 1-D
slices. Planes through parameter space are in :mod:`nnviz.engine.labs.planes`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nnviz.engine.core.losses import Loss
from nnviz.engine.core.naming import Naming
from nnviz.engine.core.network import Network, backward, forward
from nnviz.engine.labs import gridpass
from nnviz.engine.labs.gridpass import Cancelled as Cancelled  # re-exported: the public home
from nnviz.engine.labs.gridpass import Progress as Progress

Array = np.ndarray
#: about this many float64 numbers per chunk of a batched forward pass
CHUNK_BUDGET = 16_384  # small chunks stay in the CPU cache: 3-4x faster than 2M (nnviz bench)
#: at most this many grid points per chunk (progress and cancelling stay prompt)
MAX_CHUNK = 4096


@dataclass(frozen=True)
class ParamRef:
    """One weight (``kind`` "w": weights[layer][j, k]) or bias ("b": biases[layer][j])."""

    kind: str
    layer: int
    j: int
    k: int = 0

    def name(self, naming: Naming | None) -> str:
        """Display name from the lesson's naming (w5, b1, w^2_11)."""
        if naming is None:
            return (f"w[{self.layer}][{self.j},{self.k}]" if self.kind == "w"
                    else f"b[{self.layer}][{self.j}]")
        if self.kind == "w":
            return naming.weight(self.layer, self.j, self.k)
        return naming.bias(self.layer, self.j)

    def get(self, net: Network) -> float:
        """The parameter's current value."""
        if self.kind == "w":
            return float(net.weights[self.layer][self.j, self.k])
        return float(net.biases[self.layer][self.j])

    def set(self, net: Network, value: float) -> None:
        """Set the parameter in place (a shared bias sets the whole layer)."""
        if self.kind == "w":
            net.weights[self.layer][self.j, self.k] = value
        elif net.shared_bias[self.layer]:
            net.biases[self.layer][:] = value
        else:
            net.biases[self.layer][self.j] = value

    def valid_for(self, net: Network) -> bool:
        """True if the parameter exists (and is free) in ``net``."""
        if self.kind not in ("w", "b") or not 0 <= self.layer < net.n_layers:
            return False
        w = net.weights[self.layer]
        if self.kind == "w":
            return 0 <= self.j < w.shape[0] and 0 <= self.k < w.shape[1]
        if not net.use_bias[self.layer] or (net.shared_bias[self.layer] and self.j != 0):
            return False
        return 0 <= self.j < w.shape[0] and self.k == 0


def all_params(net: Network) -> list[ParamRef]:
    """Every free parameter: per layer its weights (row by row), then its bias(es)."""
    return [r for l in range(net.n_layers) for r in layer_params(net, l)]


def layer_params(net: Network, l: int) -> list[ParamRef]:
    """The free parameters of weight layer ``l``, in the order of :func:`all_params`."""
    w = net.weights[l]
    refs = [ParamRef("w", l, j, k) for j in range(w.shape[0]) for k in range(w.shape[1])]
    if net.use_bias[l]:
        n = 1 if net.shared_bias[l] else w.shape[0]
        refs += [ParamRef("b", l, j) for j in range(n)]
    return refs


def default_pair(net: Network) -> tuple[ParamRef, ParamRef]:
    """The two parameters shown first: a weight and a bias (or weight) of the same neuron.

    Small networks start at the first layer; big ones (over 100 parameters) at the
    output layer, where the layers below need not be recomputed for every grid point
    (only that layer's parameters are listed: a 784-100-10 network has 79,510).
    """
    refs = layer_params(net, net.n_layers - 1 if net.n_params() > 100 else 0)
    first = refs[0]
    second = next((r for r in refs if r.kind == "b"), None)
    if second is None:
        if len(refs) == 1:  # a layer of one weight and no bias: take the next parameter
            refs = all_params(net)
        second = refs[1] if len(refs) > 1 else refs[0]
    return first, second


# ------------------------------------------------------------ batched loss
def batched_loss(net: Network, x: Array, y: Array, loss: Loss,
                 weights: Sequence[Array], biases: Sequence[Array], start: int = 0) -> Array:
    """The cost for G parameter settings at once.

    Parameters
    ----------
    net : Network
        Gives the activations and bias flags.
    x, y : ndarray, shapes (n, n_in) and (n, n_out)
    weights : per layer an array of shape (n_out, n_in) (shared by all settings)
        or (G, n_out, n_in)
    biases : per layer (n_out,) or (G, n_out)
    start : int
        First weight layer to compute; ``x`` is then that layer's input (the
        activations below it, shared by all settings).

    Returns
    -------
    ndarray, shape (G,)
        The cost of each setting (summed or averaged over the n samples).
    """
    with np.errstate(over="ignore", invalid="ignore"):
        return _batched_loss(net, x, y, loss, weights, biases, start)


def _batched_loss(net: Network, x: Array, y: Array, loss: Loss,
                  weights: Sequence[Array], biases: Sequence[Array], start: int) -> Array:
    if net.has_batch_norm:
        raise ValueError("the error surface leaves batch normalisation out: "
                         "switch it off to see the surface")
    a = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).reshape(a.shape[-2], -1)
    g = max([a.shape[0] if a.ndim == 3 else 1] + [w.shape[0] for w in weights if w.ndim == 3]
            + [b.shape[0] for b in biases if b.ndim == 2] + [1])
    for l in range(start, net.n_layers):
        w = weights[l]
        if a.ndim == 3 and w.ndim == 2:  # one big product instead of G small ones
            z = (a.reshape(-1, a.shape[-1]) @ w.T).reshape(a.shape[0], a.shape[1], -1)
        else:
            z = a @ (np.swapaxes(w, -1, -2))
        if net.use_bias[l]:
            b = biases[l]
            z = z + (b[:, None, :] if b.ndim == 2 else b)
        a = net.activations[l].fn(z)
    if a.ndim == 2:
        a = np.broadcast_to(a, (g,) + a.shape)
    per = loss.sample(a, y)  # (G, n)
    return per.sum(axis=-1) if loss.reduction == "sum" else per.mean(axis=-1)


def chunk_size(net: Network, n: int, varied: int) -> int:
    """Grid points per chunk for n samples and ``varied`` batched numbers per point."""
    width = max(net.sizes) * n + varied
    return int(min(MAX_CHUNK, max(1, CHUNK_BUDGET // max(1, width))))


def loss_grid(net: Network, x: Array, y: Array, loss: Loss, px: ParamRef, py: ParamRef,
              xs: Array, ys: Array, progress: Progress | None = None) -> Array:
    """The cost over a grid of two parameters, all others held at their values in ``net``.

    Parameters
    ----------
    px, py : ParamRef
        Two different parameters (x axis, y axis).
    xs, ys : ndarray, shapes (nx,) and (ny,)
        Values of ``px`` and ``py``.
    progress : callable(done, total) -> bool, optional
        Called after each chunk; returning False raises :class:`Cancelled`.

    Returns
    -------
    ndarray, shape (ny, nx)
        ``Z[i, j]`` is the cost with px = xs[j], py = ys[i].
    """
    if px == py:
        raise ValueError("pick two different parameters")
    xs = np.asarray(xs, dtype=np.float64)
    ys = np.asarray(ys, dtype=np.float64)
    gx, gy = np.meshgrid(xs, ys)
    out = _vary(net, x, y, loss, [(px, gx.ravel()), (py, gy.ravel())], progress)
    return out.reshape(gy.shape)


#: activations with a jump: float32 rounding near the jump could flip a whole step
_JUMPS = ("step", "perceptron")


#: pictures of less work than this (grid points x samples x neurons) stay float64
PICTURE_F32_WORK = 1 << 20


def picture_dtype(net: Network, loss: Loss, work: int = PICTURE_F32_WORK) -> type:
    """The number type of a surface *picture*: float32 for big grids of quadratic losses
    of networks of continuous activations, otherwise float64.

    float32 halves the memory traffic and NumPy's float32 ``tanh`` is ~4x faster;
    such a picture stays within :data:`PICTURE_RTOL` of float64's. Cross-entropy
    losses take logs of outputs that float32 saturates (a sigmoid is 1.0 in float32
    from z ~ 17, in float64 from z ~ 37), and a step can flip: those stay float64, as
    do small grids (the notes' hand-sized networks), where float64 is fast anyway.
    """
    if work < PICTURE_F32_WORK or loss.kind != "quadratic" or any(
            a.name in _JUMPS for a in net.activations):
        return np.float64
    return np.float32


#: a float32 picture point differs from float64's by at most this, relative to its value
#: and to the grid's spread (max - min) (tests/engine/test_surface_picture.py)
PICTURE_RTOL = 1e-5


def loss_grid_picture(net: Network, x: Array, y: Array, loss: Loss, px: ParamRef,
                      py: ParamRef, xs: Array, ys: Array,
                      progress: Progress | None = None) -> Array:
    """:func:`loss_grid` in :func:`picture_dtype` - for drawing only, never for a
    printed or descended-on value (those are float64). Returns float64 values."""
    if px == py:
        raise ValueError("pick two different parameters")
    gx, gy = np.meshgrid(np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64))
    work = gx.size * len(x) * sum(net.sizes[1:])
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        out = gridpass.vary_pass(net, x, y, loss, [(px, gx.ravel()), (py, gy.ravel())],
                                 progress, MAX_CHUNK, picture_dtype(net, loss, work))
    return out.reshape(gy.shape)


def loss_slice(net: Network, x: Array, y: Array, loss: Loss, p: ParamRef,
               values: Array) -> Array:
    """The cost against one parameter, all others held (1-D slice).

    Returns
    -------
    ndarray, shape (len(values),)
    """
    return _vary(net, x, y, loss, [(p, np.asarray(values, dtype=np.float64).ravel())], None)


def _vary(net: Network, x: Array, y: Array, loss: Loss,
          varied: list[tuple[ParamRef, Array]], progress: Progress | None) -> Array:
    """The cost for G settings of one or two parameters (values of shape (G,) each).

    Only what the varied parameters reach is recomputed, in chunks shared out to
    threads: see :func:`nnviz.engine.labs.gridpass.vary_pass`.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        return gridpass.vary_pass(net, x, y, loss, varied, progress, MAX_CHUNK)


def unflatten_batch(net: Network, thetas: Array) -> tuple[list[Array], list[Array]]:
    """Per-layer weights (G, n_out, n_in) and biases (G, n_out) from flat vectors (G, P)."""
    g = thetas.shape[0]
    weights, biases = [], []
    i = 0
    for l, w in enumerate(net.weights):
        weights.append(thetas[:, i:i + w.size].reshape(g, *w.shape))
        i += w.size
        n = w.shape[0]
        if not net.use_bias[l]:
            biases.append(net.biases[l])
        elif net.shared_bias[l]:
            biases.append(np.repeat(thetas[:, i:i + 1], n, axis=1))
            i += 1
        else:
            biases.append(thetas[:, i:i + n])
            i += n
    return weights, biases


# ------------------------------------------------------------ descent
def gd_step(net: Network, x: Array, y: Array, loss: Loss, eta: float,
            only: Sequence[ParamRef] | None = None, freeze_biases: bool = False) -> float:
    """One full-batch gradient-descent step on ``net`` in place; returns the cost before it.

    With ``only`` just those parameters move (the path then lies exactly on the
    surface of those two parameters); otherwise every weight and bias moves, except
    frozen biases (the 2-2-2 lesson: "the biases stay fixed, as in the notes").
    Overflow gives inf/NaN values (no warnings): callers check ``net.is_finite()``.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        return _gd_step(net, x, y, loss, eta, only, freeze_biases)


def _gd_step(net: Network, x: Array, y: Array, loss: Loss, eta: float,
             only: Sequence[ParamRef] | None, freeze_biases: bool = False) -> float:
    fwd = forward(net, x)
    y = np.asarray(y, dtype=np.float64).reshape(fwd.output.shape)
    c = loss.value(fwd.output, y)
    grads = backward(net, fwd, y, loss)
    if only is None:
        for l, g in enumerate(grads):
            net.weights[l] -= eta * g.dw
            if net.use_bias[l] and not freeze_biases:
                net.biases[l] -= eta * g.db
    else:
        new = []
        for r in only:
            if r.kind != "w" and freeze_biases:
                continue
            g = grads[r.layer].dw[r.j, r.k] if r.kind == "w" else grads[r.layer].db[r.j]
            new.append((r, r.get(net) - eta * g))
        for r, v in new:
            r.set(net, v)
    return c


def descent_path(net: Network, x: Array, y: Array, loss: Loss, eta: float, steps: int,
                 only: Sequence[ParamRef] | None = None,
                 freeze_biases: bool = False) -> tuple[Array, Array]:
    """Run ``steps`` gradient-descent steps on a copy of ``net``.

    Returns
    -------
    thetas : ndarray, shape (steps + 1, P)
        The flat parameters before the first step and after each step.
    costs : ndarray, shape (steps + 1,)
        The cost at each of those points.
    """
    net = net.copy()
    from nnviz.engine.core.network import cost

    thetas = [net.get_params()]
    costs = []
    for _ in range(steps):
        costs.append(gd_step(net, x, y, loss, eta, only, freeze_biases))
        thetas.append(net.get_params())
    costs.append(cost(net, x, y, loss))
    return np.array(thetas), np.array(costs)
