"""The fast trainer's buffers: one :class:`Plan` per batch size and step count (see
:mod:`nnviz.engine.learning.fast`): feature-major activations with a ones row, the derivative
runs, the epoch's gathered batches and dropout masks, all allocated once."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import numpy as np

from nnviz.engine.core.activations import Activation, identity_in_place

Array = np.ndarray


@dataclass
class Plan:
    """Buffers and views for one batch size."""

    size: int
    steps: int
    xs: Array        # (steps, size, n_in + 1) the epoch's inputs a row each, last column ones
    ys: Array        # (steps, n_out, size)
    act: Array       # flat: every hidden/output layer's activations
    der: Array       # flat: f'(z) in the same layout
    ones: Array      # flat ones in the same layout
    delta: Array     # flat: dC/dz, same layout
    fwd: list        # per layer after the first: (W, a_in, z, in-place f or None: identity)
    z0: Array        # output view of the first layer
    act0: object
    bwd: list        # per layer L-1..1: (delta_l, W_l.T, delta_below, der_below)
    grads: list      # after the backward pass: (product, delta, a_in.T, G) for layers 1..L-1
    g0: Array
    d0: Array
    out: Array       # output activations (n_out, size)
    d_out: Array     # output delta
    der_out: Array
    der_ops: list    # (f' from a in place, act view, der view, ones view)
    buf: Array       # (1, size): a vector activation's column maxima and sums
    ysum: Array      # (steps, 1, size): each target's sum (softmax + CE)
    onehot: bool = True  # every target sums to exactly 1: the combined delta is a - y
    # dropout: per hidden layer (f' from a, a, der, ones, z rows, der rows), the epoch's
    # masks (steps, n_l, size), the uniform draws they come from; the output's (f', ones)
    drops: list = field(default_factory=list)
    masks: list = field(default_factory=list)
    draws: Array | None = None
    out_prime: tuple | None = None
    vector_out: bool = False   # softmax output: gather the targets' sums
    norms: list = field(default_factory=list)  # batch norm: fast_norm.NormStep or None a layer


def kernel(act: Activation, buf: Array):
    """The activation's in-place kernel for the trainer; None for the identity."""
    apply = act.trainer_ops[0]
    if act.vector:
        return partial(apply, buf=buf)
    return None if apply is identity_in_place else apply


def build_plan(Ps: list[Array], Gs: list[Array], acts_of: list[Activation], combined: bool,
               dropout: float, size: int, steps: int) -> Plan:
    """Buffers and views for ``steps`` batches of ``size``: ``Ps``/``Gs`` are the layers'
    [W | b] views of the flat parameter and gradient vectors, ``combined`` says the output
    delta is a - y (its f' is not needed), ``dropout`` > 0 adds the mask buffers."""
    sizes = [Ps[0].shape[1] - 1] + [p.shape[0] for p in Ps]
    L = len(Ps)
    kinds = [a.name for a in acts_of]
    rows = [n + 1 for n in sizes[1:-1]] + [sizes[-1]]   # hidden layers carry a ones row
    offs = np.cumsum([0] + [r * size for r in rows])
    act, der, delta = (np.zeros(offs[-1]) for _ in range(3))
    ones = np.ones(offs[-1])
    acts = [act[offs[l]:offs[l + 1]].reshape(rows[l], size) for l in range(L)]
    ders = [der[offs[l]:offs[l + 1]].reshape(rows[l], size) for l in range(L)]
    deltas = [delta[offs[l]:offs[l + 1]].reshape(rows[l], size) for l in range(L)]
    for a in acts[:-1]:
        a[-1] = 1.0
    zs = [acts[l][:sizes[l + 1]] for l in range(L)]
    buf = np.zeros((1, size))
    fwd = [(Ps[l], acts[l - 1], zs[l], kernel(acts_of[l], buf))
           for l in range(1, L)]
    bwd = [(deltas[l][:sizes[l + 1]], Ps[l].T, deltas[l - 1], ders[l - 1])
           for l in range(L - 1, 0, -1)]
    grads = gradient_products(Gs, [deltas[l][:sizes[l + 1]] for l in range(L)],
                              [a.T for a in acts])
    # derivative ops over runs of layers with the same activation (not the output's
    # when its delta is a - y)
    der_ops = []
    for run in equal_runs(kinds, 0, L - 1 if combined else L):
        sl = slice(offs[run.start], offs[run.stop])
        der_ops.append((acts_of[run.start].trainer_ops[1], act[sl], der[sl], ones[sl]))
    xs = np.ones((steps, size, sizes[0] + 1))
    ys = np.zeros((steps, sizes[-1], size))
    plan = Plan(size, steps, xs, ys, act, der, ones, delta, fwd, zs[0],
                 kernel(acts_of[0], buf), bwd, grads, Gs[0], deltas[0][:sizes[1]],
                 acts[-1], deltas[-1], ders[-1], der_ops, buf, np.ones((steps, 1, size)))
    plan.vector_out = acts_of[-1].vector
    if dropout > 0:
        ones_v = [ones[offs[l]:offs[l + 1]].reshape(rows[l], size) for l in range(L)]
        plan.drops = [(acts_of[l].trainer_ops[1], acts[l], ders[l], ones_v[l], zs[l],
                       ders[l][:sizes[l + 1]]) for l in range(L - 1)]
        plan.masks = [np.zeros((steps, n, size)) for n in sizes[1:-1]]
        plan.draws = np.zeros((steps, size * sum(sizes[1:-1])))
        plan.out_prime = (acts_of[-1].trainer_ops[1], ones_v[-1])
    return plan


def stacked(views: list[Array]) -> Array | None:
    """One (k, *shape) view of k views of the same shape and strides that lie evenly
    spaced in one buffer (None if they do not)."""
    first = views[0]
    ptrs = [v.__array_interface__["data"][0] for v in views]
    step = ptrs[1] - ptrs[0] if len(views) > 1 else 0
    if step <= 0 or any(v.shape != first.shape or v.strides != first.strides for v in views) \
            or any(b - a != step for a, b in zip(ptrs, ptrs[1:])):
        return None
    return np.lib.stride_tricks.as_strided(first, (len(views), *first.shape),
                                           (step, *first.strides), writeable=True)


def gradient_products(Gs: list[Array], deltas: list[Array], inputs_t: list[Array]) -> list:
    """The products dC/d[W|b]_l = delta_l a_(l-1)^T of layers 1..L-1, done after the
    backward pass: one ``np.dot`` a layer, but one batched ``np.matmul`` for a run of
    hidden layers of the same shape (Playground's 8-8-8-8-8-8: five products in one call,
    each call costing a microsecond of overhead whatever its size). ``deltas[l]`` is layer
    l's delta (n_l, size), ``inputs_t[l]`` layer l's activations transposed (size, n_l + 1
    with the ones column)."""
    L, ops = len(Gs), []
    # the hidden layers' runs, then the output layer on its own
    runs = equal_runs([g.shape for g in Gs], 1, L - 1) + ([range(L - 1, L)] if L > 1 else [])
    for run in runs:
        views = [stacked([Gs[i] for i in run]), stacked([deltas[i] for i in run]),
                 stacked([inputs_t[i - 1] for i in run])] if len(run) > 1 else [None]
        if all(v is not None for v in views):
            ops.append((np.matmul, views[1], views[2], views[0]))
        else:
            ops.extend((np.dot, deltas[i], inputs_t[i - 1], Gs[i]) for i in run)
    return ops


def equal_runs(keys: list, start: int, stop: int) -> list[range]:
    """[start, stop) cut into runs of consecutive indices with equal ``keys``."""
    runs, l = [], start
    while l < stop:
        m = l
        while m + 1 < stop and keys[m + 1] == keys[l]:
            m += 1
        runs.append(range(l, m + 1))
        l = m + 1
    return runs


def draw_masks(plan: Plan, p: float, mode: str, rng: np.random.Generator | None) -> None:
    """The dropout masks of the plan's steps, from the same draws as the reference's
    ``dropout_masks`` (per step, per hidden layer, (size, n_l) uniforms), transposed."""
    if not plan.drops:
        return
    if rng is None:
        raise ValueError("dropout needs a random generator")
    size = plan.size
    rng.random(out=plan.draws)
    off = 0
    for m in plan.masks:
        n = m.shape[1]
        block = plan.draws[:, off * size:(off + n) * size]
        np.greater_equal(block.reshape(plan.steps, size, n).transpose(0, 2, 1), p, out=m)
        if mode == "inverted":
            np.multiply(m, 1.0 / (1.0 - p), m)
        off += n


def drop(plan: Plan, l: int, s: int) -> None:
    """Layer l's f'(z) (times its mask, for the backward pass), then its masked output."""
    prime, a, d, one, z, d_top = plan.drops[l]
    m = plan.masks[l][s]
    prime(a, d, one)
    np.multiply(d_top, m, d_top)
    np.multiply(z, m, z)


def with_ones(x: Array) -> Array:
    """x (n, n_in) with a last column of ones: the rows :func:`gather` copies (made once a
    call of the trainer, so each epoch's gathering is one copy, not two)."""
    xa = np.empty((len(x), x.shape[1] + 1))
    xa[:, :-1] = x
    xa[:, -1] = 1.0
    return xa


def gather(plan: Plan, xa: Array, y: Array, idx: Array) -> None:
    """Copy the samples idx (steps * size of them) into the plan's batch arrays (and each
    target's sum, for a vector output); ``xa`` is the inputs :func:`with_ones`."""
    n_out = y.shape[1]
    # (straight into the batches: mode "clip" takes no buffered copy, and idx is in range)
    np.take(xa, idx, axis=0, out=plan.xs.reshape(len(idx), xa.shape[1]), mode="clip")
    plan.ys[...] = y[idx].reshape(plan.steps, plan.size, n_out).transpose(0, 2, 1)
    if plan.vector_out:
        np.sum(plan.ys, axis=1, keepdims=True, out=plan.ysum)
        plan.onehot = bool(np.all(plan.ysum == 1.0))
