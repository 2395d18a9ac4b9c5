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

from nnviz.engine.core.losses import Loss
from nnviz.engine.core.network import Network, forward
from nnviz.engine.core.neuron_major import activate, costs

Array = np.ndarray
#: progress(done, total) -> False to cancel
Progress = Callable[[int, int], bool]
#: bytes in the widest array of a chunk (neurons x G x n), per thread: ~1 MB stays in a
#: core's L2 cache (surface.b_101: 1.2-1.6x faster than 128 KB or 8 MB); a float32 pass
#: takes twice the settings per chunk (fewer chunks, less Python per grid)
FAST_BUDGET_BYTES = 1 << 20
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
        _run_serial(starts, chunk, total, make_work, progress)
    else:
        _run_threaded(_Chunks(starts, chunk, total), make_work, progress, threads)


def _run_serial(starts: list[int], chunk: int, total: int,
                make_work: Callable[[], Callable[[int, int], Any]],
                progress: Progress | None) -> None:
    work = make_work()
    for s in starts:
        e = min(s + chunk, total)
        work(s, e)
        if progress is not None and not progress(e, total):
            raise Cancelled()


class _Chunks:
    """The chunks still to do, shared by the threads: ``take`` the next, ``finish`` it."""

    def __init__(self, starts: list[int], chunk: int, total: int) -> None:
        self._todo = iter(starts)
        self._lock = threading.Lock()
        self.chunk, self.total = chunk, total
        self.done = 0
        self.stop = False                      # a thread failed or the caller cancelled
        self.error: BaseException | None = None

    def take(self) -> int | None:
        with self._lock:
            return None if self.stop else next(self._todo, None)

    def finish(self, s: int) -> int:
        with self._lock:
            self.done += min(s + self.chunk, self.total) - s
            return self.done

    def work_through(self, work: Callable[[int, int], Any],
                     after: Callable[[int], None] | None = None) -> None:
        """Do chunks until none is left; ``after(done)`` once each is finished."""
        while (s := self.take()) is not None:
            work(s, min(s + self.chunk, self.total))
            done = self.finish(s)
            if after is not None:
                after(done)


def _helper(chunks: _Chunks, make_work: Callable[[], Callable[[int, int], Any]]) -> None:
    try:
        chunks.work_through(make_work())
    except BaseException as exc:  # handed to the calling thread
        chunks.error = exc
        chunks.stop = True


def _run_threaded(chunks: _Chunks, make_work: Callable[[], Callable[[int, int], Any]],
                  progress: Progress | None, threads: int) -> None:
    # each helper runs in a copy of this context: it keeps the caller's np.errstate
    helpers = [threading.Thread(target=contextvars.copy_context().run,
                                args=(_helper, chunks, make_work),
                                name="nnviz-grid-helper", daemon=True)
               for _ in range(threads - 1)]
    for t in helpers:
        t.start()
    reported = 0

    def report(done: int) -> None:
        nonlocal reported
        reported = done
        if progress is not None and not progress(done, chunks.total):
            raise Cancelled()

    try:
        chunks.work_through(make_work(), report)
    finally:
        chunks.stop = True
        for t in helpers:
            t.join()
    if chunks.error is not None:
        raise chunks.error
    if progress is not None and reported < chunks.total and not progress(chunks.total,
                                                                           chunks.total):
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
        pictures only (:func:`nnviz.engine.labs.surface.loss_grid_picture`).

    Returns
    -------
    ndarray, shape (G,)
    """
    if net.has_batch_norm:
        raise ValueError("the error surface leaves batch normalisation out: "
                         "switch it off to see the surface")
    p = _VaryPlan(net, x, y, loss, varied, max_chunk, dtype)
    run_chunks(p.total, p.g_max, p.make_work, progress, p.threads)
    return p.out


class _VaryPlan:
    """What every chunk of :func:`vary_pass` shares: the lowest varied layer l0, the
    changed neurons S of l0 with their offset and coefficient matrices, the varied
    parameters above l0, the next layer's fixed part, and the chunk size and threads."""

    def __init__(self, net: Network, x: Array, y: Array, loss: Loss,
                 varied: list[tuple[Any, Array]], max_chunk: int, dtype: Any) -> None:
        self.net, self.loss, self.dtype = net, loss, dtype
        self.l0 = l0 = min(r.layer for r, _ in varied)
        fwd = forward(net, x)
        self.n = n = len(fwd.zs[0])
        self.k0 = k0 = net.weights[l0].shape[0]
        self.total = varied[0][1].size
        self.terms, self.upper = self._split(varied, fwd.activations[l0])
        self.S = S = sorted(self.terms)
        self.pos = {j: i for i, j in enumerate(S)}
        z0, total = fwd.zs[l0], self.total
        self.mats = [(np.column_stack([t[0] for t in self.terms[j]] + [np.ones(total)]
                                      ).astype(dtype),
                      np.vstack([t[1] for t in self.terms[j]] + [z0[:, j]]).astype(dtype))
                     for j in S]
        self.last = l0 == net.n_layers - 1
        now = fwd.activations[l0 + 1].T  # (k0, n), the outputs of l0 now
        self.base_out = now.astype(dtype)
        self.ws = [w.astype(dtype) for w in net.weights]
        self.bs = [b.astype(dtype) for b in net.biases]
        self.yt = np.asarray(y, dtype=np.float64).reshape(n, -1).T.astype(dtype)
        if not self.last:
            self.shift, self.w_cols = self._next_layer(fwd, now)
        self.rows = [len(S)] + net.sizes[l0 + 2:] if not self.last else [k0]
        self.g_max, self.threads = self._chunking(max_chunk)
        if not self.last and self.shift.shape[2] > 1:
            # laid out over a whole chunk once: an add of two arrays of one shape runs
            # over a chunk's rows in one loop (a broadcast over G loops row by row)
            self.shift = np.ascontiguousarray(
                np.broadcast_to(self.shift, (self.shift.shape[0], self.g_max, n)))
        self.out = np.empty(total)

    def _split(self, varied: list[tuple[Any, Array]], a_in: Array):
        """Per changed neuron j of l0: its (offsets (total,), coefficients (n,)) terms;
        per layer above l0: its varied parameters and their offsets (total, 1)."""
        net, l0, k0, n = self.net, self.l0, self.k0, len(a_in)
        terms: dict[int, list[tuple[Array, Array]]] = {}
        upper: dict[int, list[tuple[Any, Array]]] = {}
        for ref, vals in varied:
            dv = np.asarray(vals, dtype=np.float64) - ref.get(net)
            if ref.layer > l0:
                upper.setdefault(ref.layer, []).append((ref, dv[:, None].astype(self.dtype)))
            elif ref.kind == "w":
                terms.setdefault(ref.j, []).append((dv, a_in[:, ref.k]))
            else:
                for j in (range(k0) if net.shared_bias[l0] else [ref.j]):
                    terms.setdefault(j, []).append((dv, np.ones(n)))
        if net.activations[l0].vector:  # softmax couples the layer: every neuron changes
            for j in range(k0):
                terms.setdefault(j, [])
        return terms, upper

    def _next_layer(self, fwd, now: Array) -> tuple[Array, Array]:
        """Layer l0 + 1's weighted input is shift + w_cols @ a_S."""
        net, l0, S, dtype = self.net, self.l0, self.S, self.dtype
        w_next = net.weights[l0 + 1]
        if len(S) == self.k0:  # every neuron changes: z_next = W a + b, a plain layer
            b = net.biases[l0 + 1] if net.use_bias[l0 + 1] else np.zeros(len(w_next))
            shift = b[:, None, None]
        else:                  # z_next = z_next(now) + W[:, S] (a_S - a_S(now))
            shift = (fwd.zs[l0 + 1].T - w_next[:, S] @ now[S])[:, None, :]
        w_cols = np.ascontiguousarray(w_next[:, S], dtype=dtype)
        if len(S) == 1:
            w_cols = w_cols.reshape(-1, 1, 1)
        return shift.astype(dtype), w_cols

    def _chunking(self, max_chunk: int) -> tuple[int, int]:
        """Settings per chunk and threads (see :func:`plan`)."""
        net, l0, S, n, rows, total = self.net, self.l0, self.S, self.n, self.rows, self.total
        budget = FAST_BUDGET_BYTES // np.dtype(self.dtype).itemsize
        g_max = int(max(1, min(total, max_chunk, budget // max(1, n * max(rows)))))
        # multiply-adds per column (setting and sample) of the largest matrix product
        macs = max([len(self.terms[j]) + 1 for j in S]
                   + [len(S) * net.sizes[l0 + 2] if not self.last and len(S) > 1 else 0]
                   + [net.sizes[l] * net.sizes[l + 1] for l in range(l0 + 2, net.n_layers)])
        return plan(total * n * sum(rows), g_max, n, macs)

    def make_work(self) -> Callable[[int, int], None]:
        return _VaryWork(self)


class _VaryWork:
    """One thread's work on chunks [s, e) of the settings, in its own buffers."""

    def __init__(self, p: _VaryPlan) -> None:
        self.p = p
        self.bufs = [np.empty(r * p.g_max * p.n, p.dtype) for r in p.rows]
        self.tmp = np.empty(p.g_max * p.n, p.dtype)
        self.keep = [i for i in range(p.k0) if i not in p.terms] if p.last else []

    def __call__(self, s: int, e: int) -> None:
        p = self.p
        g = e - s
        z = self.bufs[0][:p.rows[0] * g * p.n].reshape(p.rows[0], g, p.n)
        for i, (j, (dmat, cmat)) in enumerate(zip(p.S, p.mats)):
            np.matmul(dmat[s:e], cmat, out=z[j if p.last else i])
        if p.last:
            self._output_layer(z, s, e)
        else:
            self._layers_above(z, s, e)

    def _output_layer(self, z: Array, s: int, e: int) -> None:
        """l0 is the output layer: the unchanged outputs, the changed ones activated."""
        p = self.p
        z[self.keep] = p.base_out[self.keep, None, :]  # outputs of the unchanged neurons
        act = p.net.activations[p.l0]
        if act.vector or len(p.S) == p.k0:
            activate(act, z)
        else:
            for j in p.S:
                activate(act, z[j])
        p.out[s:e] = costs(p.loss, z, p.yt)

    def _layers_above(self, z: Array, s: int, e: int) -> None:
        p, net = self.p, self.p.net
        g, n = e - s, p.n
        activate(net.activations[p.l0], z)
        a = z
        for l in range(p.l0 + 1, net.n_layers):
            k = net.weights[l].shape[0]
            nz = self.bufs[l - p.l0][:k * g * n].reshape(k, g, n)
            if l == p.l0 + 1:
                if len(p.S) == 1:
                    np.multiply(p.w_cols, a, out=nz)  # (k1, 1, 1) * (1, g, n)
                else:
                    np.matmul(p.w_cols, a.reshape(len(p.S), -1), out=nz.reshape(k, -1))
                np.add(nz, p.shift[:, :g] if p.shift.shape[1] > 1 else p.shift, out=nz)
            else:
                np.matmul(p.ws[l], a.reshape(a.shape[0], -1), out=nz.reshape(k, -1))
                if net.use_bias[l]:
                    np.add(nz, p.bs[l][:, None, None], out=nz)
            self._add_varied(nz, a, l, s, e)
            activate(net.activations[l], nz)
            a = nz
        p.out[s:e] = costs(p.loss, a, p.yt)

    def _add_varied(self, nz: Array, a: Array, l: int, s: int, e: int) -> None:
        """The varied parameters of layer l above l0: dv * a_k in row j for w_jk, dv in
        row j (every row for a shared bias) for a bias."""
        p = self.p
        for ref, dv in p.upper.get(l, ()):
            if ref.kind == "w":
                t = self.tmp[:(e - s) * p.n].reshape(e - s, p.n)
                np.multiply(dv[s:e], self._below(a, l, ref.k), out=t)
                nz[ref.j] += t
            elif p.net.shared_bias[l]:
                nz += dv[None, s:e]
            else:
                nz[ref.j] += dv[s:e]

    def _below(self, a: Array, l: int, k: int) -> Array:
        """Output k of layer l - 1 (a holds only the rows S when that is l0)."""
        p = self.p
        if l - 1 > p.l0:
            return a[k]
        return a[p.pos[k]] if k in p.pos else p.base_out[k]
