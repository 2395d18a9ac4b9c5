"""Engine-only figure of the convolution lab: the small CNN's training throughput."""

from __future__ import annotations

import time

from nnviz.engine.labs.cnn_train import CNNTrainer


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


def conv_live(seconds: float) -> dict[str, float] | None:
    """The convolution lab training its CNN at full speed in the real window: training
    samples per second and frames per second of the CNN page (None without the lab)."""
    from nnviz.bench.gui_bench import FrameCounter, _close, _run_loop, _spin, _window
    from nnviz.views.labs import available_labs

    if "conv" not in available_labs():
        return None
    win = _window("cnn-digits")
    try:
        win.show_lab("conv")
        lab = win.current_lab
        lab.show_page("cnn")
        _spin(0.2)
        counter = FrameCounter(lab.cnn_page)
        t = lab.cnn.trainer
        s0, t0 = t.steps, time.perf_counter()
        lab.cnn.playback.play()
        _run_loop(seconds)
        lab.cnn.playback.pause()
        dt = time.perf_counter() - t0
        _spin(0.05)
        counter.close()
        return {"samples_per_s": (lab.cnn.trainer.steps - s0) * t.batch_size / dt,
                "fps": counter.frames / dt}
    finally:
        _close(win)
