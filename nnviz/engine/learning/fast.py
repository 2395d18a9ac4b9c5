"""A fast training path for small dense networks: the same SGD as
:func:`nnviz.engine.learning.training.train_step`, without NumPy call overhead.

For networks the size of TensorFlow Playground's (a few layers of up to a few
dozen neurons, batches of ~10) the cost of a training step is almost all
Python and NumPy *call overhead* (about 0.7 µs a call on a 2-core Xeon), not
arithmetic. The reference path makes ~15 NumPy calls and several temporaries
per layer per step. This module trains with

- one flat parameter vector ``P`` holding every layer's augmented matrix
  ``[W | b]`` (shape (n_out, n_in + 1)), and one flat gradient vector ``G``
  of the same layout, so the update of *all* layers is one call (``P -= G``);
- activations stored feature-major, shape (n + 1, batch), with a constant row
  of ones, so ``W @ a + b`` is one matmul and ``dC/dW`` and ``dC/db`` come out
  of one matmul ``delta @ a.T``;
- every hidden and output activation in one flat buffer, so the derivatives
  f'(z) of all layers are computed in two calls after the forward pass;
- the learning rate (for SGD, momentum and Nesterov, whose rules are linear in
  eta g) and the 1/n of the mean folded into the output delta (backpropagation is
  linear in it);
- the whole epoch's shuffled mini-batches gathered in one call;
- the weight gradients of a run of equal hidden layers (Playground's c: five layers of
  8 after the first) in one batched product after the backward pass
  (:func:`nnviz.engine.learning.fast_plan.gradient_products`);
- preallocated buffers, ``out`` arguments, no allocation in the loop.

That is 19 NumPy calls per step for a 2-8-8-1 network (reference: ~60). Results
equal the reference engine to rounding (~1e-16 per step: the bias enters the dot
product, the scaling happens in another order), with the same shuffling.

Supported: the activations with their own trainer kernels
(``Activation.trainer_ops``: tanh, sigmoid, relu, linear) in any layer; quadratic
losses with any of those outputs and a loss whose delta simplifies to a - y with its
output (``binary_cross_entropy`` with sigmoid, ``cross_entropy`` with a softmax
output: softmax over each column of the feature-major output, and a sum(y) - y for
targets that do not sum to 1, as in :func:`nnviz.engine.core.network.backward`); every
optimiser of :mod:`nnviz.engine.learning.optimisers` (the same objects, run on the flat
vector), options batch size, shuffle, L1, L2, frozen biases, layers without bias,
gradient clipping by value and by norm, dropout on the hidden layers (both modes; the
masks come from the same draws of the generator as the reference's, so both train
alike), batch normalisation of hidden layers and shared biases
(:mod:`nnviz.engine.learning.fast_norm`). Anything else (other activations or losses) falls
back to the reference
:func:`~nnviz.engine.learning.training.train_epoch` / ``train_step``; ``fast`` is then
False and ``reason`` says why.

API
---
``FastTrainer(net, loss, cfg, state=None)``
    ``net`` is updated in place; ``state`` (an OptimizerState) carries the
    optimiser (velocities, averages, step count t) and the step/epoch counters, as
    in the reference (without one, the trainer keeps its own).
``train_epoch(x, y, rng) -> int``
    one pass over x (n, n_in), y (n, n_out) in mini-batches shuffled with
    ``rng.permutation`` exactly like ``training.train_epoch``; returns the
    number of samples used.
``train_epochs(x, y, rng, epochs) -> int`` / ``train_for(x, y, rng, seconds,
max_epochs) -> int``
    several epochs; ``train_for`` stops after the epoch that exceeds the time
    budget (for time-budgeted GUI slices) and returns the epochs done.
``train_until(x, y, rng, over, max_epochs, snaps) -> int``
    a live slice's epochs in one call, the parameters after each in a row of ``snaps``.
``train_batch(x, y, rng=None) -> None``
    one gradient step on exactly this batch (like ``train_step``; ``rng`` for dropout).

Each call copies the network's arrays in at the start and out at the end, so
edits made to ``net`` between calls are respected. The trainer must be rebuilt
when the network's structure, the loss or the configuration changes.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nnviz.engine.core.activations import ACTIVATIONS
from nnviz.engine.core.losses import Loss
from nnviz.engine.core.network import Network
from nnviz.engine.learning import fast_norm as fn
from nnviz.engine.learning.budget import run_for
from nnviz.engine.learning.fast_plan import (
    Plan,
    build_plan,
    draw_masks,
    drop,
    gather,
    with_ones,
)
from nnviz.engine.learning.fast_state import load, store
from nnviz.engine.learning.fast_update import FlatUpdate
from nnviz.engine.learning.training import OptimizerState, TrainConfig, train_epoch, train_step

Array = np.ndarray
#: the activations with the fast trainer's kernels (``Activation.trainer_ops``)
FAST_ACTIVATIONS = tuple(n for n, a in ACTIVATIONS.items() if a.trainer_ops is not None)


def unsupported_reason(net: Network, loss: Loss, cfg: TrainConfig) -> str:
    """Why the fast path cannot train this set-up ('' if it can): then the reference
    engine trains it (this is the one place that chooses)."""
    bad = [a.name for a in net.activations if a.trainer_ops is None]
    if bad:
        return f"activation {bad[0]} (fast path: {', '.join(FAST_ACTIVATIONS)})"
    hidden_vector = [a.name for a in net.activations[:-1] if a.vector]
    if hidden_vector:
        return f"{hidden_vector[0]} in a hidden layer"
    out = net.activations[-1]
    combined = loss.combined_delta(out.name)
    if loss.kind != "quadratic" and not combined:
        # the fast path's output delta is (a - y) f'(z), or a - y where it simplifies
        if loss.kind == "bce":
            return "binary cross-entropy needs a sigmoid output on the fast path"
        if loss.kind == "ce":
            return "cross-entropy needs a softmax output on the fast path"
        return f"loss {loss.name}"
    if out.trainer_ops[1] is None and not combined:
        return f"a {out.name} output needs cross-entropy on the fast path"
    return ""


class FastTrainer:
    """SGD on ``net`` in place, equal to the reference engine to rounding (see module doc)."""

    def __init__(self, net: Network, loss: Loss, cfg: TrainConfig,
                 state: OptimizerState | None = None) -> None:
        self.net, self.loss, self.cfg = net, loss, cfg
        self.state = state if state is not None else OptimizerState()
        self.reason = unsupported_reason(net, loss, cfg)
        self.fast = not self.reason
        if not self.fast:
            return
        sizes = net.sizes
        self.sizes = sizes
        self.kinds = [a.name for a in net.activations]
        self.acts = list(net.activations)
        self.combined = loss.combined_delta(self.kinds[-1])   # delta^L = a - y
        shapes = [(n_out, n_in + 1) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        offs = np.cumsum([0] + [a * b for a, b in shapes])
        self.shapes, self.offs = shapes, offs
        # [W | b] of every layer, then gamma and beta of every normalised layer
        self.P = np.zeros(offs[-1] + fn.norm_size(net))
        self.G = np.zeros_like(self.P)
        self.Ps = [self.P[offs[l]:offs[l + 1]].reshape(s) for l, s in enumerate(shapes)]
        self.Gs = [self.G[offs[l]:offs[l + 1]].reshape(s) for l, s in enumerate(shapes)]
        self.norm_layers, _ = fn.norm_layers(net, self.P, self.G, offs[-1])
        self.G_wb = self.G[:offs[-1]]     # what clipping sees (not gamma, beta)
        self.train_bias = [u and not cfg.freeze_biases for u in net.use_bias]
        self.shared = [self.Gs[l][:, -1] for l, sh in enumerate(net.shared_bias)
                       if sh and self.train_bias[l]]
        # L1, L2, frozen biases, clipping and the optimiser on the flat vector
        self.upd = FlatUpdate(net, cfg, self.P, self.G, self.G_wb, self.train_bias, shapes, offs)
        self.upd.set_epoch(self.state.epochs)
        # the optimiser's slots as views per layer: they mirror the state's per-array slots
        slots = self.upd.opt.slots[0]
        self.slot_views = {k: [a[offs[l]:offs[l + 1]].reshape(s) for l, s in enumerate(shapes)]
                           for k, a in slots.items()}
        self.norm_slots = {k: fn.norm_layers(net, a, a, offs[-1])[0] for k, a in slots.items()}
        self.plans: dict[tuple[int, int], Plan] = {}

    def params_finite(self) -> bool:
        """True if every weight and bias is finite: one check of the flat parameter vector
        the last epoch left (the network holds the same values), instead of one per array."""
        return bool(np.isfinite(self.P).all()) if self.fast else self.net.is_finite()

    # ------------------------------------------------------------ buffers
    def _plan(self, size: int, steps: int) -> Plan:
        key = (size, steps)
        plan = self.plans.get(key)
        if plan is None:
            plan = build_plan(self.Ps, self.Gs, self.acts, self.combined, self.cfg.dropout,
                              size, steps)
            if self.net.has_batch_norm:
                plan.norms = fn.norm_steps(self.norm_layers, size)
            self.plans[key] = plan
        return plan

    def _load(self) -> None:
        load(self)

    def _store(self, steps: int, epochs: int) -> None:
        store(self, steps, epochs)

    # ------------------------------------------------------------ training
    def _run(self, plan: Plan, steps: int, scale: float) -> None:  # noqa: C901 - hot loop
        """``steps`` SGD steps on the batches in plan.xs / plan.ys (hot loop)."""
        mm, mul, sub = np.dot, np.multiply, np.subtract  # dot: less overhead than matmul
        u = self.upd
        c = u.eta * scale if u.fold else scale
        upd, lr, full_update = u.step, u.lr, u.apply
        # delta^L = a - y where the loss and the output activation simplify (sigmoid + BCE,
        # softmax + CE; a sum(y) - y for softmax targets not summing to 1)
        simple, scaled = self.combined, not plan.onehot
        ysums = list(plan.ysum)
        drops, n_hidden = plan.drops, len(plan.drops)
        one_op = plan.der_ops[0][0] if len(plan.der_ops) == 1 else None
        act, der, ones = plan.act, plan.der, plan.ones
        fwd, bwd, grads, z0, k0 = plan.fwd, plan.bwd, plan.grads, plan.z0, plan.act0
        P0, g0, d0 = self.Ps[0], plan.g0, plan.d0
        out, d_out, der_out = plan.out, plan.d_out, plan.der_out
        plain, shared = u.plain, self.shared
        # batch normalisation: per layer its buffers or None; the backward list's order
        norms = plan.norms if any(st is not None for st in plan.norms) else None
        n0 = norms[0] if norms else None
        bnorms = [norms[l] for l in range(len(fwd), 0, -1)] if norms else None
        xs, ys = plan.xs, plan.ys
        xts = list(xs)
        xl = list(xs.transpose(0, 2, 1))
        yl = list(ys)
        for s in range(steps):
            x = xl[s]
            mm(P0, x, z0)
            if n0 is not None:
                fn.norm_forward(n0, z0)
            if k0 is not None:
                k0(z0)
            if drops:
                drop(plan, 0, s)
            for i, (W, a_in, z, kernel) in enumerate(fwd, 1):
                mm(W, a_in, z)
                if norms and norms[i] is not None:
                    fn.norm_forward(norms[i], z)
                if kernel is not None:
                    kernel(z)
                if drops and i < n_hidden:
                    drop(plan, i, s)
            # f'(z) of every layer, from the activations
            if drops:
                if not simple:
                    plan.out_prime[0](out, der_out, plan.out_prime[1])
            elif one_op is not None:
                one_op(act, der, ones)
            else:
                self._derivatives(plan)
            # output delta, times eta * scale
            if scaled:
                mul(out, ysums[s], d_out)
                sub(d_out, yl[s], d_out)
            else:
                sub(out, yl[s], d_out)
            if not simple:
                mul(d_out, der_out, d_out)
            mul(d_out, c, d_out)
            if bnorms:
                for j, (d, w_t, below, der_below) in enumerate(bwd):
                    if bnorms[j] is not None:
                        fn.norm_backward(bnorms[j], d)
                    mm(w_t, d, below)
                    mul(below, der_below, below)
            else:
                for d, w_t, below, der_below in bwd:
                    mm(w_t, d, below)
                    mul(below, der_below, below)
            for product, d, a_t, g in grads:
                product(d, a_t, g)
            if n0 is not None:
                fn.norm_backward(n0, d0)
            mm(d0, xts[s], g0)
            if shared:
                fn.share_biases(shared)
            if plain:
                upd(lr)
            else:
                full_update()

    def _derivatives(self, plan: Plan) -> None:
        for prime, a, d, one in plan.der_ops:
            prime(a, d, one)

    def _epoch(self, x: Array, y: Array, rng: np.random.Generator | None) -> None:
        n = len(x)
        cfg = self.cfg
        order = rng.permutation(n) if (cfg.shuffle and rng is not None) else np.arange(n)
        size = n if not cfg.batch_size else min(int(cfg.batch_size), n)
        full, rest = divmod(n, size)
        self.upd.n_train = n
        if full:
            plan = self._plan(size, full)
            gather(plan, x, y, order[:full * size])
            draw_masks(plan, self.cfg.dropout, self.cfg.dropout_mode, rng)
            self._run(plan, full, self.loss.scale(size))
        if rest:
            plan = self._plan(rest, 1)
            gather(plan, x, y, order[full * size:])
            draw_masks(plan, self.cfg.dropout, self.cfg.dropout_mode, rng)
            self._run(plan, 1, self.loss.scale(rest))

    def _check(self, x: Array, y: Array) -> tuple[Array, Array]:
        """x as float64 rows with a ones column (``fast_plan.with_ones``) and y, checked
        against the network's sizes."""
        x = np.asarray(x, dtype=np.float64).reshape(len(x), -1)
        y = np.asarray(y, dtype=np.float64).reshape(len(x), -1)
        if x.shape[1] != self.net.sizes[0] or y.shape[1] != self.net.sizes[-1]:
            raise ValueError(f"data of shapes {x.shape}, {y.shape} do not fit a "
                             f"{'-'.join(map(str, self.net.sizes))} network")
        if len(x) == 0:
            raise ValueError("no training samples")
        return with_ones(x), y

    def _steps_per_epoch(self, n: int) -> int:
        size = n if not self.cfg.batch_size else min(int(self.cfg.batch_size), n)
        return -(-n // size)

    def train_epochs(self, x: Array, y: Array, rng: np.random.Generator | None,
                     epochs: int) -> int:
        """``epochs`` passes over (x, y); returns the number of samples used."""
        return self.train_for(x, y, rng, float("inf"), epochs) * len(x)

    def train_epoch(self, x: Array, y: Array, rng: np.random.Generator | None) -> int:
        """One pass over x (n, n_in), y (n, n_out); returns n."""
        return self.train_epochs(x, y, rng, 1)

    def train_for(self, x: Array, y: Array, rng: np.random.Generator | None,
                  seconds: float, max_epochs: int = 1_000_000) -> int:
        """Whole epochs until ``seconds`` have passed (at least one) or ``max_epochs``.

        Returns the number of epochs done.
        """
        if not self.fast:
            return self._fallback_for(x, y, rng, seconds, max_epochs)
        return self._epochs(x, y, rng, seconds, max_epochs)

    def train_until(self, x: Array, y: Array, rng: np.random.Generator | None,
                    over: Callable[[], bool], max_epochs: int, snaps: Array) -> int:
        """Whole epochs in one load and store of the trainer's state (a live slice): at
        least one, then until ``over()`` is true after an epoch, ``max_epochs`` are done or
        an epoch left a parameter that is not finite (that epoch is the last).

        Row k of ``snaps`` (at least ``max_epochs`` rows of ``P.size``) gets the flat
        parameters after epoch k + 1, for the losses of every epoch in one pass afterwards
        (:mod:`nnviz.engine.learning.fast_scores`). Returns the number of epochs done.
        """
        if not self.fast:
            raise ValueError(f"the fast trainer cannot train this set-up: {self.reason}")
        return self._epochs(x, y, rng, None, max_epochs, over, snaps)

    def _epochs(self, x: Array, y: Array, rng: np.random.Generator | None,
                seconds: float | None, max_epochs: int,
                over: Callable[[], bool] | None = None, snaps: Array | None = None) -> int:
        x, y = self._check(x, y)
        self._load()
        done = 0

        def epoch() -> bool:
            nonlocal done
            self.upd.set_epoch(self.state.epochs + done)
            self._epoch(x, y, rng)
            done += 1
            if snaps is not None:
                row = snaps[done - 1]
                np.copyto(row, self.P)
                if not np.isfinite(row).all():
                    return False
            return over is None or not over()

        try:
            run_for(epoch, seconds, max_epochs)
        finally:
            self._store(done * self._steps_per_epoch(len(x)), done)
        return done

    def _fallback_for(self, x, y, rng, seconds, max_epochs) -> int:
        return run_for(lambda: train_epoch(self.net, x, y, self.loss, self.cfg, self.state, rng),
                       seconds, max_epochs)

    def train_batch(self, x: Array, y: Array, rng: np.random.Generator | None = None) -> None:
        """One gradient step on exactly the batch (x, y), like ``train_step`` (``rng``
        draws the dropout masks)."""
        if not self.fast:
            train_step(self.net, x, y, self.loss, self.cfg, self.state, rng)
            return
        x, y = self._check(x, y)
        self._load()
        self.upd.set_epoch(self.state.epochs)
        self.upd.n_train = len(x)
        plan = self._plan(len(x), 1)
        gather(plan, x, y, np.arange(len(x)))
        draw_masks(plan, self.cfg.dropout, self.cfg.dropout_mode, rng)
        self._run(plan, 1, self.loss.scale(len(x)))
        self._store(1, 0)
