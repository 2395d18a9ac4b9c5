"""The perceptron learning rule one step at a time, forwards and back (the Neuron lab).

A run starts from w0 (random from the seed's generator, or the weights on screen); each
step picks a point from the same generator and applies :func:`nnviz.engine.labs.neuron.
learn_step`. Steps already taken are kept, so stepping back and forward again shows the
same steps, and a saved run is rebuilt from its seed, start and step count.
"""

from __future__ import annotations

import numpy as np

from nnviz.engine.labs.neuron import LearnStep, learn_step, pick, random_init, weight_key

Array = np.ndarray


class RuleSteps:
    """One run of the learning rule: its steps, the weights after each, and the cursor."""

    def __init__(self) -> None:
        self.steps: list[LearnStep] = []
        self.w_hist: list[Array] = []     # w_hist[k] = (w0, w1, w2) after k steps
        self.cursor = 0
        self._rng: np.random.Generator | None = None

    @property
    def started(self) -> bool:
        return bool(self.w_hist)

    def start(self, seed: int, w0: Array | None) -> Array:
        """Begin at ``w0``, or (None) at random weights drawn from the seed's generator."""
        self._rng = np.random.default_rng(seed)
        w = random_init(self._rng) if w0 is None else np.asarray(w0, dtype=float).copy()
        self.w_hist = [w]
        return w

    def resume(self, seed: int, random_start: bool, w0: Array) -> None:
        """Begin a saved run again: the generator in the state after the start's draws."""
        self._rng = np.random.default_rng(seed)
        if random_start:
            random_init(self._rng)          # consume the same draws as the original run
        self.w_hist = [np.asarray(w0, dtype=float).copy()]

    def forward(self, x_aug: Array, labels: Array, convention: str) -> Array:
        """One step (the one taken before, if stepping forward again); the new weights."""
        if self.cursor < len(self.steps):
            s = self.steps[self.cursor]
        else:
            s = learn_step(self.w_hist[self.cursor], x_aug, labels,
                           pick(self._rng, len(x_aug)), convention)
            self.steps.append(s)
            self.w_hist.append(s.w_after)
        self.cursor += 1
        return self.w_hist[self.cursor]

    def back(self) -> Array | None:
        """One step back; the weights there (None at the start)."""
        if self.cursor == 0:
            return None
        self.cursor -= 1
        return self.w_hist[self.cursor]

    def updates(self) -> int:
        return sum(1 for s in self.steps[:self.cursor] if s.update)

    def cycle(self) -> tuple[int, int] | None:
        """(earlier step, later step) with the same w after updates, if any, up to the cursor."""
        if not self.w_hist:
            return None
        seen = {weight_key(self.w_hist[0]): 0}
        for k, s in enumerate(self.steps[:self.cursor], start=1):
            if s.update:
                key = weight_key(s.w_after)
                if key in seen:
                    return seen[key], k
                seen[key] = k
        return None

    def last_step(self) -> LearnStep | None:
        return self.steps[self.cursor - 1] if self.cursor > 0 else None
