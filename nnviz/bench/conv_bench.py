"""Engine-only figure of the convolution lab: the small CNN's training throughput."""

from __future__ import annotations

import time

from nnviz.engine.cnn_train import CNNTrainer


def conv_train(seconds: float, repeats: int) -> dict[str, float]:
    """Training samples per second of the lab's CNN on the digits (best of ``repeats``
    runs of ``seconds``; mini-batches of 32, the epoch-end scoring included)."""
    t = CNNTrainer.digits(seed=0)
    t.run_for(0.0, max_steps=3)  # warm-up
    best = 0.0
    for _ in range(repeats):
        t0, s0 = time.perf_counter(), t.steps
        t.run_for(seconds)
        dt = time.perf_counter() - t0
        best = max(best, (t.steps - s0) * t.batch_size / dt)
    return {"samples_per_s": best, "test_accuracy": t.test_accuracy()}
