"""Engine-only figures: training throughput on Playground's reference set-ups, and the
speed of a 101 x 101 loss grid against a plain matrix product."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

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
    best_cpu = 0.0

    def run() -> float:
        nonlocal best_cpu
        t0, c0 = time.perf_counter(), time.process_time()
        epochs = trainer.train_for(s.x_train, s.y_train, rng, seconds)
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
        best_cpu = max(best_cpu, epochs * len(s.x_train) / max(dc, 1e-9))
        return epochs * len(s.x_train) / dt

    from nnviz.bench.dense_bench import DenseSetup, with_torch

    # nnviz and PyTorch (when installed) in turns: the best of each
    twin = DenseSetup(name, s.net.copy(), s.x_train, s.y_train, loss, PLAYGROUND_CFG)
    out = with_torch(twin, {"samples_per_s": run}, seconds, repeats)
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
    out.update(samples_per_cpu_s=best_cpu, reference_samples_per_s=ref_best,
               speedup=out["samples_per_s"] / ref_best)
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


def time_best(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


