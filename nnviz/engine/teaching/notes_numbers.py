"""The numbers the notes print, beside the ones nnviz computes.

A lesson lists them in ``settings.notes_numbers``: what the notes print after some
training steps (E_total and the outputs after 10,000 updates) or inside the pass where the
notes worked from rounded intermediates (E_total after one update 0.291027924, exact
0.291027774). Each entry names a quantity nnviz computes exactly, so the app can show both,
labelled. Also here: the Workbench's training step repeated N times (on the lesson's
example with the chosen optimiser and options; the matrix view's mini-batch step is plain
gradient descent), to reach the former.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.engine.core.losses import Loss
from nnviz.engine.core.network import Network, backward, forward
from nnviz.engine.files.validate import FormatError, as_int, as_str

Array = np.ndarray
QUANTITIES = ("total_error", "output", "backprop_term")
MAX_REPEAT = 1_000_000


@dataclass(frozen=True)
class NotesNumber:
    """One printed number: ``quantity`` with its indices, after ``steps`` training steps
    from the lesson's network (0 = in the first pass), as ``printed``, and ``why`` it
    differs (empty: it is a rounding of the exact value)."""

    label: str
    quantity: str
    index: tuple[int, ...]
    steps: int
    printed: str
    why: str = ""

    def exact(self, net: Network, x: Array, y: Array, loss: Loss) -> float:
        """The exact value of the quantity for ``net`` on the example (x, y)."""
        fwd = forward(net, x)
        yy = np.asarray(y, dtype=np.float64).reshape(fwd.output.shape)
        if self.quantity == "total_error":
            return float(loss.value(fwd.output, yy))
        if self.quantity == "output":
            return float(fwd.output[0, self.index[0]])
        # backprop_term (l, j, q): weight layer l (0-based) from neuron j below to neuron q:
        # q's share δ_q · w_qj of ∂E/∂out_j (∂E_o2/∂out_h1 = δ_o2 · w7 is (1, 0, 1))
        l, j, q = self.index
        g = backward(net, fwd, yy, loss)
        return float(g[l].delta[0, q] * net.weights[l][q, j])

    def remark(self, exact: float) -> str:
        """E.g. "E_total after 1 step: the notes print 0.291027924 (they round an
        intermediate); nnviz computes 0.291027774"."""
        why = f" ({self.why})" if self.why else ""
        return (f"{self.label}: the notes print {self.printed}{why}; nnviz computes "
                f"{self.as_printed(exact)}")

    def short_remark(self, exact: float) -> str:
        """E.g. "the notes print 0.291027924 (nnviz 0.291027774)" for a status line."""
        return f"the notes print {self.printed} (nnviz {self.as_printed(exact)})"

    def as_printed(self, v: float) -> str:
        """``v`` with as many decimals as the notes print (0.0000351019 beside 0.0000351085)."""
        d = len(self.printed.split(".")[1]) if "." in self.printed else 0
        return f"{v:.{max(d, 1)}f}"


def parse_notes_numbers(settings: dict, sizes: list[int]) -> list[NotesNumber]:
    """``settings.notes_numbers`` validated against the network's sizes (FormatError)."""
    raw = settings.get("notes_numbers", [])
    if not isinstance(raw, list) or len(raw) > 50:
        raise FormatError("settings.notes_numbers: expected a list (of at most 50)")
    out = []
    for i, d in enumerate(raw):
        where = f"settings.notes_numbers[{i}]"
        if not isinstance(d, dict):
            raise FormatError(f"{where}: expected an object")
        q = as_str(d.get("quantity"), f"{where}.quantity")
        if q not in QUANTITIES:
            raise FormatError(f"{where}.quantity: one of {', '.join(QUANTITIES)}")
        idx = d.get("index", [])
        if not isinstance(idx, list):
            raise FormatError(f"{where}.index: expected a list of integers")
        need = {"total_error": 0, "output": 1, "backprop_term": 3}[q]
        if len(idx) != need:
            raise FormatError(f"{where}.index: {q} takes {need} indices")
        idx = tuple(as_int(v, f"{where}.index", 0, 10**6) for v in idx)
        if q == "output" and idx[0] >= sizes[-1]:
            raise FormatError(f"{where}.index: no output {idx[0]}")
        if q == "backprop_term" and not (1 <= idx[0] < len(sizes) - 1 and idx[1] < sizes[idx[0]]
                                         and idx[2] < sizes[idx[0] + 1]):
            raise FormatError(f"{where}.index: no weight layer {idx[0]} from neuron {idx[1]} "
                              f"to neuron {idx[2]}")
        printed = as_str(d.get("printed"), f"{where}.printed")
        try:
            float(printed)
        except ValueError:
            raise FormatError(f"{where}.printed: expected a number as text") from None
        out.append(NotesNumber(as_str(d.get("label"), f"{where}.label"), q, idx,
                               as_int(d.get("steps", 0), f"{where}.steps", 0, MAX_REPEAT),
                               printed, as_str(d.get("why", ""), f"{where}.why")))
    return out


def sgd_steps(net: Network, x: Array, y: Array, loss: Loss, eta: float, n: int,
              freeze_biases: bool) -> None:
    """The Workbench's training step (plain gradient descent on the example, or on the
    examples x (m, n_in) as one batch, all updates after the backward pass) n times, in
    place; frozen or absent biases stay. A batch-normalised network uses the batch's
    statistics and trains γ and β, its running averages following (the matrix view's
    mini-batch step, :mod:`nnviz.engine.stepping.matrix_bn`)."""
    x = np.asarray(x, dtype=np.float64).reshape(-1, net.sizes[0])
    y = np.asarray(y, dtype=np.float64).reshape(len(x), -1)
    if net.has_batch_norm:
        from nnviz.engine.learning.training import TrainConfig, train_step

        cfg = TrainConfig(eta=eta, freeze_biases=freeze_biases)
        for _ in range(int(n)):
            train_step(net, x, y, loss, cfg)
        return
    for _ in range(int(n)):
        grads = backward(net, forward(net, x), y, loss)
        for l, g in enumerate(grads):
            net.weights[l] -= eta * g.dw
            if net.use_bias[l] and not freeze_biases:
                net.biases[l] -= eta * g.db


def workbench_steps(net: Network, x: Array, y: Array, loss: Loss, cfg, n: int, *,
                    n_train: int = 1, seed: int = 0, state=None):
    """The Workbench's training step (Ctrl+→) on the example n times, in place, with the
    document's settings: the chosen optimiser at η (no schedule: the Workbench steps no
    epochs), L1/L2 with the data set's size ``n_train``, clipping, frozen biases, and
    dropout with step i's masks drawn from ``default_rng(seed + i)`` as step i draws them.
    ``state`` (an OptimizerState: momentum's velocity, Adam's averages) carries on from an
    earlier step; the state reached is returned."""
    from nnviz.engine.learning.training import OptimizerState, train_step

    state = state if state is not None else OptimizerState()
    x = np.asarray(x, dtype=np.float64).reshape(-1, net.sizes[0])
    y = np.asarray(y, dtype=np.float64).reshape(len(x), -1)
    for i in range(int(n)):
        rng = np.random.default_rng(seed + i) if cfg.dropout > 0 else None
        train_step(net, x, y, loss, cfg, state, rng, n_train=n_train, epoch=0)
    return state


def optimiser_state(cfg, opt=None):
    """An OptimizerState carrying on from the Workbench's optimiser ``opt`` (its state at
    the step it stands at; a copy), with ``cfg``'s settings; afresh, as a first step, if
    ``opt`` is None or another optimiser than ``cfg`` asks for."""
    from nnviz.engine.learning.training import OptimizerState

    state = OptimizerState(opt.copy() if opt is not None else None)
    state.optimiser_for(cfg)
    return state


def describe_update(cfg, n_train: int) -> str:
    """What one Workbench step applies, e.g. "momentum (μ = 0.9), L2 λ = 1 (n = 400),
    dropout p = 0.5 (a new mask each step)"."""
    from nnviz.engine.learning.optimisers import OPTIMISERS

    made = cfg.make_optimiser()
    opt, hyper = OPTIMISERS[made.name], made.hyper
    settings = ", ".join(f"{h.symbol} = {hyper[h.key]:g}" for h in opt.hypers
                         if h.key in hyper)
    parts = [opt.label + (f" ({settings})" if settings else "")]
    if cfg.l2:
        parts.append(f"L2 λ = {cfg.l2:g} (n = {n_train})")
    if cfg.l1:
        parts.append(f"L1 λ = {cfg.l1:g} (n = {n_train})")
    if cfg.clip_value is not None:
        parts.append(f"gradients clipped to ±{cfg.clip_value:g}")
    if cfg.clip_norm is not None:
        parts.append(f"‖g‖ clipped at {cfg.clip_norm:g}")
    if cfg.dropout > 0:
        parts.append(f"dropout p = {cfg.dropout:g} ({cfg.dropout_mode}; a new mask each step)")
    return ", ".join(parts)


def pass_remarks(numbers: list[NotesNumber], kind: str, layer: int, neuron: int | None,
                 net: Network, after: Network, x: Array, y: Array, loss: Loss,
                 short: bool = False) -> list[str]:
    """The notes' numbers that belong to a step of the first pass from the lesson's network
    ``net`` (``after``: the network after its update): a backprop term at the δ of its
    neuron (``kind`` "delta", network ``layer``), E_total after one update at the result."""
    out = []
    for num in numbers:
        if (num.quantity == "backprop_term" and num.steps == 0 and kind == "delta"
                and layer == num.index[0] and neuron in (None, num.index[1])):
            v = num.exact(net, x, y, loss)
            out.append(num.short_remark(v) if short else num.remark(v))
        elif num.steps == 1 and kind == "result":
            v = num.exact(after, x, y, loss)
            out.append(num.short_remark(v) if short else num.remark(v))
    return out
