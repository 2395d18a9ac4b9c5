"""Fast passes for loss grids: only what a change of parameters reaches, in threads.

Below the lowest varied layer l nothing changes. In layer l only the neurons S
that own a varied parameter change (all of them for a shared bias or a softmax
layer): their weighted inputs are z0 plus a small matrix product per neuron
(grid offsets (G, m + 1) times per-sample coefficients (m + 1, n)), only those
|S| neurons go through the activation, and the next layer's weighted input is
a rank-|S| update of its value at the current parameters. The layers above are
ordinary matrix products, plus dv * a_k in row j for a varied w_jk of theirs.
Arrays are neuron-major, shape (neurons, G, n), so every element-wise step runs
over long contiguous rows and every product is one 2-D matrix product.

Chunks of the grid are shared out to :data:`THREADS` threads (NumPy releases
the GIL in its loops and matrix products); the calling thread alone reports
progress.
"""

from __future__ import annotations

import contextvars
import os
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from nnviz.engine.activations import Activation, apply_in_place
from nnviz.engine.losses import Loss
from nnviz.engine.network import Network, forward

Array = np.ndarray
#: progress(done, total) -> False to cancel
Progress = Callable[[int, int], bool]
#: float64 numbers in the widest array of a chunk (neurons x G x n), per thread: ~1 MB
#: stays in a core's L2 cache (surface.b_101: 1.2-1.6x faster than 128 KB or 8 MB)
FAST_BUDGET = 131_072
#: threads sharing a big grid: the machine's cores, at most 2 (measured on 2 cores)
THREADS = max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                     else (os.cpu_count() or 1)))
#: below this many numbers computed in all one thread does it (a thread costs ~0.1 ms)
THREAD_MIN_WORK = 1 << 20
#: OpenBLAS runs a matrix product in one thread below M*N*K = 65536 * 4 (its
#: GEMM_MULTITHREAD_THRESHOLD); above it its own threads would fight ours (2x slower)
BLAS_SERIAL_MNK = 262_144
#: threads only if chunks that small still have this many columns (setting x sample)
MIN_THREAD_COLUMNS = 2048


class Cancelled(Exception):
    """The progress callback asked to stop."""


# ------------------------------------------------------------ chunks and threads
def run_chunks(total: int, chunk: int, make_work: Callable[[], Callable[[int, int], Any]],
               progress: Progress | None, threads: int = 1) -> None:
    """Call ``work(s, e)`` for the chunks [s, e) of range(total), in up to ``threads`` threads.

    Parameters
    ----------
    make_work : callable() -> work
        Called once in each thread (its buffers are that thread's own).
    progress : callable(done, total) -> bool, optional
        Called in the calling thread after each of its chunks and once more at
        the end with done == total; returning False raises :class:`Cancelled`
        (the other threads stop after their current chunk).
    threads : int
        1 runs everything in the calling thread.
    """
    starts = list(range(0, total, chunk))
    if threads <= 1 or len(starts) < 2:
        work = make_work()
        for s in starts:
            e = min(s + chunk, total)
            work(s, e)
            if progress is not None and not progress(e, total):
                raise Cancelled()
        return
    lock = threading.Lock()
    todo = iter(starts)
    state: dict[str, Any] = {"done": 0, "stop": False, "error": None}

    def take() -> int | None:
        with lock:
            return None if state["stop"] else next(todo, None)

    def finish(s: int) -> int:
        with lock:
            state["done"] += min(s + chunk, total) - s
            return state["done"]

    def helper() -> None:
        try:
            work = make_work()
            while (s := take()) is not None:
                work(s, min(s + chunk, total))
                finish(s)
        except BaseException as exc:  # handed to the calling thread
            state["error"] = exc
            state["stop"] = True

    # each helper runs in a copy of this context: it keeps the caller's np.errstate
    helpers = [threading.Thread(target=contextvars.copy_context().run, args=(helper,),
                                name="nnviz-grid-helper", daemon=True)
               for _ in range(threads - 1)]
    for t in helpers:
        t.start()
    reported = 0
    try:
        work = make_work()
        while (s := take()) is not None:
            work(s, min(s + chunk, total))
            reported = finish(s)
            if progress is not None and not progress(reported, total):
                raise Cancelled()
    finally:
        state["stop"] = True
        for t in helpers:
            t.join()
    if state["error"] is not None:
        raise state["error"]
    if progress is not None and reported < total and not progress(total, total):
        raise Cancelled()


def plan(work: int, g_max: int, n: int, macs: int) -> tuple[int, int]:
    """Settings per chunk and threads for a job.

    Parameters
    ----------
    work : int
        About how many float64 numbers the job computes.
    g_max : int
        Settings per chunk that fit the cache budget.
    n : int
        Samples (columns per setting).
    macs : int
        Multiply-adds per column of the job's largest matrix product.

    Returns
    -------
    (g, threads) : settings per chunk and threads. Threads only for big jobs, and
    only if chunks of at least :data:`MIN_THREAD_COLUMNS` columns keep every
    product below :data:`BLAS_SERIAL_MNK`; otherwise one thread (OpenBLAS's own
    threads then share out the big products).
    """
    if THREADS < 2 or work < THREAD_MIN_WORK:
        return g_max, 1
    if macs * n * g_max < BLAS_SERIAL_MNK:
        return g_max, THREADS
    g_blas = (BLAS_SERIAL_MNK - 1) // max(1, macs * n)
    if g_blas * n >= MIN_THREAD_COLUMNS:
        return g_blas, THREADS
    return g_max, 1


# ------------------------------------------------------------ neuron-major helpers
def activate(act: Activation, z: Array) -> None:
    """Apply ``act`` to z (neurons on axis 0) in place, as ``act.fn`` does."""
    if act.vector and act.trainer_ops is not None:  # its own kernel over axis 0
        act.trainer_ops[0](z, np.empty((1,) + z.shape[1:]))
    elif act.vector:
        z[...] = np.moveaxis(act.fn(np.moveaxis(z, 0, -1)), -1, 0)
    else:
        apply_in_place(act, z)


def costs(loss: Loss, a: Array, yt: Array) -> Array:
    """The cost of each setting from outputs a (n_out, G, n) and targets yt (n_out, n).

    Quadratic and categorical cross-entropy losses are computed in place in ``a``
    (which is overwritten), as :meth:`Loss.sample` does; the sums over samples are
    accumulated in float64 whatever a's type.
    """
    n = a.shape[2]
    if loss.kind in ("quadratic", "ce"):
        if loss.kind == "quadratic":  # 1/2 sum_k (a_k - y_k)^2
            np.subtract(a, yt[:, None, :], out=a)
            np.multiply(a, a, out=a)
            scale = 0.5
        else:                         # -sum_k y_k ln max(a_k, tiny)
            np.maximum(a, np.finfo(a.dtype).tiny, out=a)
            np.log(a, out=a)
            np.multiply(a, yt[:, None, :], out=a)
            scale = -1.0
        total = (a[0].sum(axis=1, dtype=np.float64) if a.shape[0] == 1
                 else a.sum(axis=(0, 2), dtype=np.float64))
        return total * (scale * loss.scale(n))
    per = loss.sample(np.moveaxis(a, 0, -1).astype(np.float64), yt.T)  # (G, n)
    return per.sum(axis=-1) if loss.reduction == "sum" else per.mean(axis=-1)


# ------------------------------------------------------------ the pass
def vary_pass(net: Network, x: Array, y: Array, loss: Loss, varied: list[tuple[Any, Array]],
              progress: Progress | None, max_chunk: int = 4096, dtype: Any = np.float64) -> Array:
    """The cost for G settings of some parameters, all others held.

    The layers below the lowest varied layer l0 are computed once; in layer l0
    only the neurons S with a varied parameter are recomputed, and the next layer
    gets a rank-|S| update. A varied parameter of a layer l above l0 adds
    dv * a_k (weight w_jk) or dv (bias) to row j (all rows: shared bias) of
    that layer's weighted input.

    Parameters
    ----------
    varied : list of (ParamRef, ndarray of shape (G,))
        Parameters and their values.
    progress : callable(done, total) -> bool, optional
        See :func:`run_chunks`.
    max_chunk : int
        At most this many settings per chunk.
    dtype : np.float64 or np.float32
        The type of the pass's arrays. The current point's forward pass, the
        offsets and the sums over samples are float64 either way; float32 is for
        pictures only (:func:`nnviz.engine.surface.loss_grid_picture`).

    Returns
    -------
    ndarray, shape (G,)
    """
    if net.has_batch_norm:
        raise ValueError("the error surface leaves batch normalisation out: "
                         "switch it off to see the surface")
    l0 = min(r.layer for r, _ in varied)
    fwd = forward(net, x)
    n = len(fwd.zs[0])
    k0 = net.weights[l0].shape[0]
    a_in, z0 = fwd.activations[l0], fwd.zs[l0]
    total = varied[0][1].size
    # per changed neuron j of l0: offsets (total, m + 1) and coefficients (m + 1, n)
    terms: dict[int, list[tuple[Array, Array]]] = {}
    upper: dict[int, list[tuple[Any, Array]]] = {}
    for ref, vals in varied:
        dv = np.asarray(vals, dtype=np.float64) - ref.get(net)
        if ref.layer > l0:
            upper.setdefault(ref.layer, []).append((ref, dv[:, None].astype(dtype)))
        elif ref.kind == "w":
            terms.setdefault(ref.j, []).append((dv, a_in[:, ref.k]))
        else:
            for j in (range(k0) if net.shared_bias[l0] else [ref.j]):
                terms.setdefault(j, []).append((dv, np.ones(n)))
    if net.activations[l0].vector:  # softmax couples the layer: every neuron changes
        for j in range(k0):
            terms.setdefault(j, [])
    S = sorted(terms)
    pos = {j: i for i, j in enumerate(S)}
    mats = [(np.column_stack([t[0] for t in terms[j]] + [np.ones(total)]).astype(dtype),
             np.vstack([t[1] for t in terms[j]] + [z0[:, j]]).astype(dtype)) for j in S]
    last = l0 == net.n_layers - 1
    now = fwd.activations[l0 + 1].T  # (k0, n), the outputs of l0 now
    base_out = now.astype(dtype)
    ws = [w.astype(dtype) for w in net.weights]
    bs = [b.astype(dtype) for b in net.biases]
    yt = np.asarray(y, dtype=np.float64).reshape(n, -1).T.astype(dtype)
    if not last:
        w_next = net.weights[l0 + 1]
        if len(S) == k0:  # every neuron changes: z_next = W a + b, a plain layer
            b = net.biases[l0 + 1] if net.use_bias[l0 + 1] else np.zeros(len(w_next))
            shift = b[:, None, None]
        else:             # z_next = z_next(now) + W[:, S] (a_S - a_S(now))
            shift = (fwd.zs[l0 + 1].T - w_next[:, S] @ now[S])[:, None, :]
        shift = shift.astype(dtype)
        w_cols = np.ascontiguousarray(w_next[:, S], dtype=dtype)
        if len(S) == 1:
            w_cols = w_cols.reshape(-1, 1, 1)
    rows = [len(S)] + net.sizes[l0 + 2:] if not last else [k0]
    g_max = int(max(1, min(total, max_chunk, FAST_BUDGET // max(1, n * max(rows)))))
    # multiply-adds per column (setting and sample) of the largest matrix product
    macs = max([len(terms[j]) + 1 for j in S]
               + [len(S) * net.sizes[l0 + 2] if not last and len(S) > 1 else 0]
               + [net.sizes[l] * net.sizes[l + 1] for l in range(l0 + 2, net.n_layers)])
    g_max, threads = plan(total * n * sum(rows), g_max, n, macs)
    out = np.empty(total)

    def make_work() -> Callable[[int, int], None]:
        bufs = [np.empty(r * g_max * n, dtype) for r in rows]
        tmp = np.empty(g_max * n, dtype)
        keep = [i for i in range(k0) if i not in terms] if last else []

        def below(a: Array, l: int, k: int) -> Array:
            """Output k of layer l - 1 (a holds only the rows S when that is l0)."""
            if l - 1 > l0:
                return a[k]
            return a[pos[k]] if k in pos else base_out[k]

        def work(s: int, e: int) -> None:
            g = e - s
            z = bufs[0][:rows[0] * g * n].reshape(rows[0], g, n)
            for i, (j, (dmat, cmat)) in enumerate(zip(S, mats)):
                np.matmul(dmat[s:e], cmat, out=z[j if last else i])
            if last:
                z[keep] = base_out[keep, None, :]  # outputs of the unchanged neurons
                act = net.activations[l0]
                if act.vector or len(S) == k0:
                    activate(act, z)
                else:
                    for j in S:
                        activate(act, z[j])
                out[s:e] = costs(loss, z, yt)
                return
            activate(net.activations[l0], z)
            a = z
            for l in range(l0 + 1, net.n_layers):
                k = net.weights[l].shape[0]
                nz = bufs[l - l0][:k * g * n].reshape(k, g, n)
                if l == l0 + 1:
                    if len(S) == 1:
                        np.multiply(w_cols, a, out=nz)  # (k1, 1, 1) * (1, g, n)
                    else:
                        np.matmul(w_cols, a.reshape(len(S), -1), out=nz.reshape(k, -1))
                    np.add(nz, shift, out=nz)
                else:
                    np.matmul(ws[l], a.reshape(a.shape[0], -1), out=nz.reshape(k, -1))
                    if net.use_bias[l]:
                        np.add(nz, bs[l][:, None, None], out=nz)
                for ref, dv in upper.get(l, ()):
                    if ref.kind == "w":
                        t = tmp[:g * n].reshape(g, n)
                        np.multiply(dv[s:e], below(a, l, ref.k), out=t)
                        nz[ref.j] += t
                    elif net.shared_bias[l]:
                        nz += dv[None, s:e]
                    else:
                        nz[ref.j] += dv[s:e]
                activate(net.activations[l], nz)
                a = nz
            out[s:e] = costs(loss, a, yt)

        return work

    run_chunks(total, g_max, make_work, progress, threads)
    return out
