"""Engine-only figures: training throughput on Playground's reference set-ups, and the
speed of a 101 x 101 loss grid against a plain matrix product."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from nnviz.engine.core.losses import get_loss
from nnviz.engine.core.network import Network
from nnviz.engine.learning.fast import FastTrainer
from nnviz.engine.learning.training import TrainConfig, train_epoch
from nnviz.engine.sets.datasets import encode_labels, generate

#: TensorFlow Playground's reference networks (hidden layers) and the data each is timed on
CONFIGS: dict[str, tuple[tuple[int, ...], str]] = {
    "a": ((4, 2), "circle"),
    "b": ((8, 8), "spiral"),
    "c": ((8, 8, 8, 8, 8, 8), "spiral"),
}
#: Playground's defaults: learning rate 0.03, batch 10, squared error averaged over the batch
PLAYGROUND_CFG = TrainConfig(eta=0.03, batch_size=10)


@dataclass
class Setup:
    """A reference network with its data (250 training and 250 test samples, labels ±1)."""

    name: str
    net: Network
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def playground(name: str, seed: int = 0) -> Setup:
    """Configuration a, b or c: tanh everywhere, weights U(±0.5), biases 0.1, 500 points."""
    hidden, kind = CONFIGS[name]
    x, labels = generate(kind, n=500, noise=0.0, seed=seed)
    y = encode_labels(labels, 1, "pm1")
    order = np.random.default_rng(seed).permutation(len(x))
    x, y = x[order], y[order]
    net = Network.create([2, *hidden, 1], "tanh", np.random.default_rng(seed), init="uniform",
                         init_scale=0.5, bias=0.1)
    return Setup(name, net, x[:250], y[:250], x[250:], y[250:])


def engine_train(name: str, seconds: float, repeats: int) -> dict[str, float]:
    """Samples per second of the fast trainer (best of ``repeats`` runs of ``seconds``),
    also per CPU second (what an unloaded core would do when other processes share the
    machine), and of the reference engine (training.train_epoch) for comparison."""
    s = playground(name)
    loss = get_loss("mse")
    rng = np.random.default_rng(1)
    trainer = FastTrainer(s.net, loss, PLAYGROUND_CFG)
    if not trainer.fast:  # pragma: no cover - the reference set-ups are all supported
        raise RuntimeError(trainer.reason)
    trainer.train_epoch(s.x_train, s.y_train, rng)  # warm-up: buffers, caches
    best = best_cpu = 0.0
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        epochs = trainer.train_for(s.x_train, s.y_train, rng, seconds)
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
        best = max(best, epochs * len(s.x_train) / dt)
        best_cpu = max(best_cpu, epochs * len(s.x_train) / max(dc, 1e-9))
    ref_net = s.net.copy()
    ref_best = 0.0
    for _ in range(repeats):
        t0, n = time.perf_counter(), 0
        while True:
            train_epoch(ref_net, s.x_train, s.y_train, loss, PLAYGROUND_CFG, None, rng)
            n += len(s.x_train)
            if time.perf_counter() - t0 >= seconds / 2:
                break
        ref_best = max(ref_best, n / (time.perf_counter() - t0))
    out = {"samples_per_s": best, "samples_per_cpu_s": best_cpu,
           "reference_samples_per_s": ref_best, "speedup": best / ref_best}
    from nnviz.bench.dense_bench import DenseSetup, torch_train

    twin = DenseSetup(name, s.net, s.x_train, s.y_train, loss, PLAYGROUND_CFG)
    torch_rate = torch_train(twin, seconds, repeats)   # None without PyTorch
    if torch_rate is not None:
        out["torch_samples_per_s"] = torch_rate
        out["vs_torch"] = best / torch_rate
    return out


# ------------------------------------------------------------ loss surface
def optimiser_train(name: str, optimiser: str, seconds: float, repeats: int) -> float:
    """Samples per second of the fast trainer on set-up ``name`` with ``optimiser``
    (Playground's rate and batch; momentum 0.9 where it has one), best of ``repeats``."""
    s = playground(name)
    mu = 0.9 if optimiser in ("momentum", "nesterov") else 0.0
    cfg = replace(PLAYGROUND_CFG, optimiser=optimiser, momentum=mu)
    trainer = FastTrainer(s.net, get_loss("mse"), cfg)
    if not trainer.fast:  # pragma: no cover - every optimiser runs on the fast path
        raise RuntimeError(trainer.reason)
    rng = np.random.default_rng(1)
    trainer.train_epoch(s.x_train, s.y_train, rng)
    best = 0.0
    for _ in range(repeats):
        t0 = time.perf_counter()
        epochs = trainer.train_for(s.x_train, s.y_train, rng, seconds)
        best = max(best, epochs * len(s.x_train) / (time.perf_counter() - t0))
    return best


def _grid_loss_own(net: Network, x: np.ndarray, y: np.ndarray, va: np.ndarray,
                   vb: np.ndarray, chunk: int = 8) -> np.ndarray:
    """Mean squared error for every (w[0][0,0], w[0][0,1]) = (va[i], vb[i]), dense and batched.

    Used when nnviz.engine.labs.surface is not in this build. Every grid point evaluates every
    neuron on every sample; chunks of 8 grid points keep the (8 * n, width) arrays in
    cache (and below OpenBLAS's threading threshold), the layers above the first are
    one 2-D matrix product per chunk, and all
    element-wise work is in place.
    """
    n, sizes = len(x), net.sizes
    out = np.empty(va.size)
    bufs = [np.empty((chunk * n, s)) for s in sizes[1:]]
    w0 = net.weights[0]
    for s in range(0, va.size, chunk):
        e = min(s + chunk, va.size)
        g = e - s
        a = bufs[0][:g * n].reshape(g, n, sizes[1])
        # layer 1 for every grid point: row 0 of W^1 is (va, vb, w0[0, 2:]) - the rest fixed
        np.dot(x, w0.T, out=a[0])
        a[0] += net.biases[0]
        a[1:] = a[0]
        col = a[:, :, 0]
        np.multiply(va[s:e, None], x[None, :, 0], out=col)
        col += vb[s:e, None] * x[None, :, 1]
        if w0.shape[1] > 2:
            col += x[:, 2:] @ w0[0, 2:]
        col += net.biases[0][0]
        np.tanh(a, out=a)
        h = a.reshape(g * n, -1)
        for l in range(1, net.n_layers):
            z = bufs[l][:g * n]
            np.dot(h, net.weights[l].T, out=z)
            z += net.biases[l]
            np.tanh(z, out=z)
            h = z
        d = h.reshape(g, n * sizes[-1])
        d -= y.reshape(1, -1)
        np.multiply(d, d, out=d)
        out[s:e] = d.sum(axis=1) * (0.5 / n)
    return out


def time_best(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def surface_b101(repeats: int) -> dict[str, Any]:
    """The 101 x 101 loss grid over two first-layer weights of network b on all 500 points.

    Every grid point re-evaluates the whole network on the 500 points, i.e.
    101^2 * 500 * 88 multiply-adds. Efficiency: that count's rate against one NumPy
    matrix product of the same number of multiply-adds, timed in the same run.

    ``tanh_bound`` is the efficiency if nothing but the work that cannot be skipped
    took time: the tanh at NumPy's single-core ``np.tanh`` speed measured here,
    shared out to the ``threads`` loss_grid uses, and the multiply-adds at the
    matrix product's rate. Both weights feed neuron 0 of the first layer, so per
    grid point and sample the grid needs 1 + 8 + 1 = 10 tanh (that neuron and every
    neuron above it; the other 7 first-layer neurons do not change) and
    2 + 8 + 8 = 18 multiply-adds (that neuron's inputs, its effect on the next
    layer, the output layer). The bench's own dense grid (without
    nnviz.engine.labs.surface) needs all 17 tanh and 88 multiply-adds, in one thread.
    """
    s = playground("b")
    net = s.net
    x = np.concatenate([s.x_train, s.x_test])
    y = np.concatenate([s.y_train, s.y_test])
    loss = get_loss("mse")
    w00, w01 = net.weights[0][0, 0], net.weights[0][0, 1]
    xs = np.linspace(w00 - 3.0, w00 + 3.0, 101)
    ys = np.linspace(w01 - 3.0, w01 + 3.0, 101)
    try:
        from nnviz.engine.labs import surface as surf
        px, py = surf.ParamRef("w", 0, 0, 0), surf.ParamRef("w", 0, 0, 1)

        def run():
            return surf.loss_grid(net, x, y, loss, px, py, xs, ys)
        impl = "nnviz.engine.labs.surface.loss_grid"
        # neuron 0 of layer 1 and all neurons above it; the engine's threads
        tanh_per = 1 + sum(net.sizes[2:])
        macs_per = net.sizes[0] + net.sizes[2] + sum(w.size for w in net.weights[2:])
        threads = getattr(getattr(surf, "gridpass", None), "THREADS", 1)
    except (ImportError, AttributeError):
        gx, gy = np.meshgrid(xs, ys)

        def run():
            return _grid_loss_own(net, x, y, gx.ravel(), gy.ravel()).reshape(gx.shape)
        impl = "bench's own batched grid (nnviz.engine.labs.surface not in this build)"
        tanh_per, threads = sum(net.sizes[1:]), 1
        macs_per = sum(w.size for w in net.weights)
    grid = run()  # warm-up, and a check of the result
    probe = net.copy()
    probe.weights[0][0, 0], probe.weights[0][0, 1] = xs[17], ys[42]
    from nnviz.engine.core.network import cost

    if not np.isclose(grid[42, 17], cost(probe, x, y, loss), rtol=1e-9, atol=1e-12):
        raise RuntimeError("the loss grid does not match the network's cost")
    seconds = time_best(run, repeats)
    macs = xs.size * ys.size * len(x) * sum(w.size for w in net.weights)
    m = max(1, round(macs ** (1 / 3)))
    a = np.random.default_rng(0).random((m, m))
    b = np.random.default_rng(1).random((m, m))
    t_mm = time_best(lambda: a @ b, max(3, repeats))
    mm_rate = m ** 3 / t_mm
    rate = macs / seconds
    # what bounds it: the tanh that cannot be skipped (NumPy speed, `threads` threads), and
    # the multiply-adds that cannot, at the matrix product's rate
    z = np.random.default_rng(2).random(200_000)
    t_tanh = time_best(lambda: np.tanh(z, out=z), 5) / z.size
    n_tanh = xs.size * ys.size * len(x) * tanh_per
    needed = xs.size * ys.size * len(x) * macs_per
    bound = (macs / mm_rate) / (n_tanh * t_tanh / threads + needed / mm_rate)
    return {"seconds": seconds, "matmul_efficiency": rate / mm_rate,
            "gflops": 2 * rate / 1e9, "matmul_gflops": 2 * mm_rate / 1e9,
            "tanh_bound": bound, "tanh_per_point_sample": tanh_per, "tanh_ns": t_tanh * 1e9,
            "threads": threads, "implementation": impl}
