"""Engine-only figures for the dense networks with a softmax output, and the same training
in PyTorch (CPU, eager, float64) when it is installed.

keras: 64-32-64-10 (ReLU, softmax, cross-entropy) on the 1,437 training digits;
wide: 784-100-10 (sigmoid, softmax, cross-entropy) on 2,000 random inputs with random
one-hot labels (seed 0). Both: plain SGD, eta 0.1, batches of 32, reshuffled each epoch.

PyTorch trains the same network (its weights copied from nnviz's), the same data in the
same batch order, with the same float64 SGD; a check epoch from equal weights must end
equal to rounding before anything is timed, so the two measure the same arithmetic. PyTorch
is never a dependency of nnviz: without it the comparison is skipped with a message.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from nnviz.engine.core.losses import Loss, get_loss
from nnviz.engine.core.network import Network
from nnviz.engine.learning.fast import FastTrainer
from nnviz.engine.learning.training import TrainConfig

Array = np.ndarray
SOFTMAX_CFG = TrainConfig(eta=0.1, batch_size=32)
TORCH_HINT = ("PyTorch comparison skipped: PyTorch is not installed (pip install torch, or "
              "pip install torch --index-url https://download.pytorch.org/whl/cpu)")


@dataclass
class DenseSetup:
    """A dense network with its training data, loss and configuration."""

    name: str
    net: Network
    x: Array
    y: Array
    loss: Loss
    cfg: TrainConfig


def _one_hot(labels: Array, k: int) -> Array:
    return np.eye(k)[np.asarray(labels, dtype=int)]


def keras_setup(seed: int = 0) -> DenseSetup:
    """64-32-64-10, ReLU, softmax, cross-entropy on the keras lab's 1,437 training digits."""
    from nnviz.engine.labs.cnn_train import digits_split

    x, labels, _xt, _lt = digits_split()
    net = Network.create([64, 32, 64, 10], "relu", np.random.default_rng(seed),
                         init="he", output_activation="softmax")
    return DenseSetup("keras", net, x.reshape(len(x), -1), _one_hot(labels, 10),
                      get_loss("cross_entropy"), SOFTMAX_CFG)


def wide_setup(seed: int = 0) -> DenseSetup:
    """784-100-10, sigmoid, softmax, cross-entropy on 2,000 random samples (fixed seed)."""
    rng = np.random.default_rng(seed)
    x = rng.random((2000, 784))
    labels = rng.integers(0, 10, 2000)
    net = Network.create([784, 100, 10], "sigmoid", np.random.default_rng(seed),
                         init="xavier", output_activation="softmax")
    return DenseSetup("wide", net, x, _one_hot(labels, 10), get_loss("cross_entropy"),
                      SOFTMAX_CFG)


SETUPS = {"keras": keras_setup, "wide": wide_setup}


def fast_runner(s: DenseSetup, seconds: float):
    """One timed run of the fast trainer on ``s`` (``seconds`` of whole epochs) per call:
    samples per second."""
    trainer = FastTrainer(s.net.copy(), s.loss, s.cfg)
    if not trainer.fast:  # pragma: no cover - both set-ups are on the fast path
        raise RuntimeError(trainer.reason)
    rng = np.random.default_rng(1)
    trainer.train_epoch(s.x, s.y, rng)  # warm-up: buffers, caches

    def run() -> float:
        t0 = time.perf_counter()
        epochs = trainer.train_for(s.x, s.y, rng, seconds)
        return epochs * len(s.x) / (time.perf_counter() - t0)
    return run


def alternate(runs: dict[str, Any], repeats: int) -> dict[str, float]:
    """The best of ``repeats`` calls of each of ``runs`` (name -> a call that times one run
    and returns its rate), the names taking turns: a shared machine that slows down for a
    while slows each of them, not only the one that happened to be running."""
    best = dict.fromkeys(runs, 0.0)
    for _ in range(repeats):
        for name, run in runs.items():
            best[name] = max(best[name], run())
    return best


def dense_train(name: str, seconds: float, repeats: int) -> dict[str, Any]:
    """``samples_per_s`` of the fast trainer on set-up ``name``, and with PyTorch installed
    ``torch_samples_per_s`` and ``vs_torch`` (nnviz / PyTorch, timed in turns in this run)."""
    s = SETUPS[name]()
    return with_torch(s, {"samples_per_s": fast_runner(s, seconds)}, seconds, repeats)


def with_torch(s: DenseSetup, runs: dict[str, Any], seconds: float,
               repeats: int) -> dict[str, Any]:
    """The best rate of each of ``runs`` (:func:`alternate`), the same training in PyTorch
    taking its turn after them when it is installed (``torch_samples_per_s``), and
    ``vs_torch``: nnviz's ``samples_per_s`` over PyTorch's."""
    twin = torch_runner(s, seconds)
    if twin is not None:
        runs = {**runs, "torch_samples_per_s": twin}
    out: dict[str, Any] = alternate(runs, repeats)
    if twin is not None:
        out["vs_torch"] = out["samples_per_s"] / out["torch_samples_per_s"]
    return out


# ------------------------------------------------------------ PyTorch
def torch_available() -> bool:
    """True if PyTorch can be imported (it is optional: only the comparison needs it)."""
    import importlib.util

    return importlib.util.find_spec("torch") is not None


def _torch_model(torch, net: Network):
    """The same layers as ``net`` (a copy of its weights), without a softmax output: the
    loss takes the logits (log-softmax + NLL, the same cross-entropy)."""
    acts = {"relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh}
    layers = []
    for l in range(net.n_layers):
        lin = torch.nn.Linear(net.sizes[l], net.sizes[l + 1], dtype=torch.float64)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(net.weights[l]))
            lin.bias.copy_(torch.from_numpy(net.biases[l]))
        layers.append(lin)
        name = net.activations[l].name
        if name != "linear" and not (l == net.n_layers - 1 and name == "softmax"):
            layers.append(acts[name]())
    return torch.nn.Sequential(*layers)


def _torch_loss(torch, loss: Loss):
    """The loss of a batch in PyTorch: cross-entropy of the logits and the class labels,
    or ½ Σ (out − y)² summed or averaged over the batch, as nnviz's loss."""
    if loss.kind == "ce":
        return torch.nn.functional.cross_entropy
    if loss.kind != "quadratic":  # pragma: no cover - the bench's set-ups use CE or MSE
        raise ValueError(f"no PyTorch twin for {loss.name}")
    mean = loss.reduction == "mean"
    return lambda out, t: 0.5 * ((out - t) ** 2).sum() / (len(t) if mean else 1)


def _torch_epochs(torch, model, loss, x, targets, orders, eta: float, size: int) -> None:
    opt = torch.optim.SGD(model.parameters(), lr=eta)
    for order in orders:
        for s in range(0, len(order), size):
            idx = order[s:s + size]
            opt.zero_grad(set_to_none=True)
            loss(model(x[idx]), targets[idx]).backward()
            opt.step()


def _check_same_training(torch, s: DenseSetup, x, targets) -> None:
    """One epoch from equal weights, in the same order, must end equal on both."""
    trainer = FastTrainer(s.net.copy(), s.loss, s.cfg)
    model = _torch_model(torch, s.net)
    order = np.random.default_rng(2).permutation(len(s.x))
    trainer.train_epoch(s.x, s.y, np.random.default_rng(2))
    _torch_epochs(torch, model, _torch_loss(torch, s.loss), x, targets,
                  [torch.from_numpy(order)], s.cfg.eta, s.cfg.batch_size)
    got = model[0].weight.detach().numpy()
    if not np.allclose(got, trainer.net.weights[0], rtol=1e-9, atol=1e-12):
        raise RuntimeError(f"PyTorch and nnviz trained {s.name} differently")


def torch_runner(s: DenseSetup, seconds: float):
    """None without PyTorch; else a call that times the same training in PyTorch for
    ``seconds`` with one thread and with PyTorch's default (one per core) and returns the
    better samples per second, so PyTorch is not held to the one BLAS thread nnviz asks
    for at start-up (nnviz/blas_threads.py)."""
    if not torch_available():
        return None
    import os

    import torch

    x = torch.from_numpy(np.ascontiguousarray(s.x))
    y = np.argmax(s.y, axis=1) if s.loss.kind == "ce" else np.ascontiguousarray(s.y)
    targets = torch.from_numpy(y)
    loss = _torch_loss(torch, s.loss)
    _check_same_training(torch, s, x, targets)
    model = _torch_model(torch, s.net)
    rng = np.random.default_rng(1)
    counts = sorted({1, os.cpu_count() or 1})

    def rate() -> float:
        t0, n = time.perf_counter(), 0
        while n == 0 or time.perf_counter() - t0 < seconds:
            order = torch.from_numpy(rng.permutation(len(s.x)))
            _torch_epochs(torch, model, loss, x, targets, [order], s.cfg.eta,
                          s.cfg.batch_size)
            n += len(s.x)
        return n / (time.perf_counter() - t0)

    def run() -> float:
        before = torch.get_num_threads()
        try:
            best = 0.0
            for threads in counts:
                torch.set_num_threads(threads)
                best = max(best, rate())
            return best
        finally:
            torch.set_num_threads(before)
    return run
