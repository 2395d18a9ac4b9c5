"""TEMPORARY stand-in for nnviz.engine.optimisers (being written on the `optim` branch),
with the same API: make_optimiser(name, **hyper) -> .step(params, grads, lr), .reset(),
.state_dict(), .load_state_dict(d). Deleted as soon as the shared module lands on main."""

from __future__ import annotations

import numpy as np


class _Adam:
    def __init__(self, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.reset()

    def reset(self) -> None:
        self.m: list[np.ndarray] = []
        self.v: list[np.ndarray] = []
        self.t = 0

    def step(self, params, grads, lr: float) -> None:
        if not self.m:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.t += 1
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= self.beta1
            m += (1 - self.beta1) * g
            v *= self.beta2
            v += (1 - self.beta2) * g * g
            mh = m / (1 - self.beta1 ** self.t)
            vh = v / (1 - self.beta2 ** self.t)
            p -= lr * mh / (np.sqrt(vh) + self.eps)

    def state_dict(self) -> dict:
        return {"t": self.t}

    def load_state_dict(self, d: dict) -> None:
        self.t = int(d.get("t", 0))


class _SGD(_Adam):
    def step(self, params, grads, lr: float) -> None:
        for p, g in zip(params, grads):
            p -= lr * g


OPTIMISERS = {"sgd": _SGD, "adam": _Adam}


def make_optimiser(name: str, **hyper):
    return OPTIMISERS[name](**hyper)
