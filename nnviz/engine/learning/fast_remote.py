"""A live slice's epochs trained in another process, from plain numbers.

The Training lab trains a slice's epochs with :class:`~nnviz.engine.learning.fast.FastTrainer`
on its GUI thread. While Play runs at full speed it can instead hand the *next* slice to a
worker process (``nnviz.controllers.training.remote``) and draw the last one meanwhile: the
small networks' training is Python-bound, so only a second process gets the second core.

What crosses the process boundary is numbers only: :func:`run_state` packs where a slice
starts (the network's arrays and flags, the loss's and the activations' names, the
configuration's fields, the optimiser's name, settings, step count and slots, the
generator's ``bit_generator.state``), the worker rebuilds the same objects from them
(:func:`train_job`), trains with the same FastTrainer the same epochs from the same
generator, and sends back the parameters after each epoch and where the slice ended,
which :func:`apply_result` puts in place. The arithmetic is the same code on the same
numbers in the same order, so every bit is the same as training in the GUI's process
(tested); :func:`same_start` tells whether a result still starts where the run is.

:func:`serve` is the worker's loop (a connection of :mod:`multiprocessing`, over which
messages go as bytes, :mod:`nnviz.engine.learning.wire`: never pickled).
"""

from __future__ import annotations

import dataclasses
import os
import queue
import threading
import time
from collections import deque
from typing import Any

import numpy as np

from nnviz.engine.core.activations import ACTIVATIONS
from nnviz.engine.core.losses import get_loss
from nnviz.engine.core.network import Network
from nnviz.engine.learning import wire
from nnviz.engine.learning.fast import FastTrainer
from nnviz.engine.learning.optimisers import make_optimiser
from nnviz.engine.learning.training import OptimizerState, TrainConfig

#: the generators a run may use (``np.random.default_rng`` makes a PCG64)
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")


def _opt_numbers(state: OptimizerState) -> dict | None:
    opt = state.opt
    if opt is None:
        return None
    return {"name": opt.name, "hyper": dict(opt.hyper), "t": int(opt.t),
            "keep_last": bool(opt.keep_last),
            "slots": [None if s is None else {k: a.copy() for k, a in s.items()}
                      for s in opt.slots]}


def run_state(net: Network, loss_name: str, cfg: TrainConfig, state: OptimizerState,
              rng: np.random.Generator) -> dict[str, Any]:
    """Where a slice starts, as plain arrays, numbers, strings and dicts."""
    return {"weights": [w.copy() for w in net.weights],
            "biases": [b.copy() for b in net.biases],
            "acts": [a.name for a in net.activations],
            "use_bias": [bool(u) for u in net.use_bias],
            "shared_bias": [bool(s) for s in net.shared_bias],
            "loss": loss_name, "cfg": dataclasses.asdict(cfg),
            "steps": int(state.steps), "epochs": int(state.epochs),
            "opt": _opt_numbers(state), "rng": rng.bit_generator.state}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)
                and a.shape == b.shape and a.tobytes() == b.tobytes())
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def same_start(a: dict, b: dict) -> bool:
    """Two :func:`run_state` packs are the same start, bit for bit."""
    return _same(a, b)


def _generator(d: dict) -> np.random.Generator:
    name = d.get("bit_generator")
    if name not in BIT_GENERATORS:
        raise ValueError(f"unknown bit generator {name!r}")
    bg = getattr(np.random, name)()
    bg.state = d
    return np.random.Generator(bg)


def _put_optimiser(state: OptimizerState, d: dict | None) -> None:
    """The optimiser of ``state`` as packed in ``d`` (the same object where it is the same
    optimiser, so whoever holds it sees the new state)."""
    if d is None:
        state.opt = None
        return
    opt = state.opt
    if opt is None or opt.name != d["name"]:
        opt = state.opt = make_optimiser(d["name"], **d["hyper"])
    opt.hyper = dict(d["hyper"])
    opt.t, opt.keep_last = d["t"], d["keep_last"]
    opt.slots = [None if s is None else {k: np.array(a, dtype=np.float64) for k, a in s.items()}
                 for s in d["slots"]]


class _Trainers:
    """The worker's FastTrainer for the last set-up (rebuilt when it changes)."""

    def __init__(self) -> None:
        self.key: Any = None
        self.net: Network | None = None
        self.state = OptimizerState()
        self.trainer: FastTrainer | None = None

    def load(self, st: dict) -> FastTrainer:
        key = ([w.shape for w in st["weights"]], st["acts"], st["use_bias"],
               st["shared_bias"], st["loss"], st["cfg"])
        if self.trainer is None or key != self.key:
            self.net = Network([w.copy() for w in st["weights"]],
                               [b.copy() for b in st["biases"]],
                               [ACTIVATIONS[n] for n in st["acts"]],
                               list(st["shared_bias"]), list(st["use_bias"]))
            self.state = OptimizerState()
            self.trainer = FastTrainer(self.net, get_loss(st["loss"]),
                                       TrainConfig(**st["cfg"]), self.state)
            self.key = key
        for l, (w, b) in enumerate(zip(st["weights"], st["biases"])):
            self.net.weights[l][...] = w
            self.net.biases[l][...] = b
        self.state.steps, self.state.epochs = st["steps"], st["epochs"]
        _put_optimiser(self.state, st["opt"])
        return self.trainer


def train_job(trainers: _Trainers, job: dict, x: np.ndarray, y: np.ndarray,
              over) -> dict[str, Any]:
    """Train a slice from ``job["state"]`` (at most ``job["cap"]`` epochs, at least one, until
    ``over()``), as :meth:`FastTrainer.train_until` does in the GUI's process."""
    st = job["state"]
    trainer = trainers.load(st)
    rng = _generator(st["rng"])
    snaps = np.empty((int(job["cap"]), trainer.P.size))
    with np.errstate(all="ignore"):
        done = trainer.train_until(x, y, rng, over, int(job["cap"]), snaps)
    net, state = trainers.net, trainers.state
    return {"done": done, "snaps": snaps[:done].copy(),
            "weights": [w.copy() for w in net.weights], "biases": [b.copy() for b in net.biases],
            "steps": int(state.steps), "epochs": int(state.epochs),
            "opt": _opt_numbers(state), "rng": rng.bit_generator.state}


def after(start: dict, res: dict) -> dict:
    """Where the slice after ``res`` (trained from ``start``) starts."""
    return {**start, "weights": res["weights"], "biases": res["biases"],
            "steps": res["steps"], "epochs": res["epochs"], "opt": res["opt"],
            "rng": res["rng"]}


def apply_result(net: Network, state: OptimizerState, rng: np.random.Generator,
                 res: dict) -> None:
    """The network, optimiser and generator as the worker's slice left them."""
    for l, (w, b) in enumerate(zip(res["weights"], res["biases"])):
        net.weights[l][...] = w
        net.biases[l][...] = b
    state.steps, state.epochs = res["steps"], res["epochs"]
    _put_optimiser(state, res["opt"])
    rng.bit_generator.state = res["rng"]


class _Inbox:
    """The worker's messages, read on a thread of their own as they come, so that the GUI
    never waits to send while the worker sends it a result; those that came while a slice
    trained and were not its stop wait their turn, in order."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self.later: deque = deque()
        threading.Thread(target=self._read, name="nnviz-worker-inbox", daemon=True).start()

    def _read(self) -> None:
        try:
            while True:
                msg = wire.recv(self.conn)
                self.queue.put(msg)
                if msg[0] == "quit":
                    return
        except (EOFError, OSError, wire.WireError):   # the app has gone (or garbled)
            self.queue.put(("quit",))

    def next(self):
        return self.later.popleft() if self.later else self.queue.get()

    def stopped(self, jid: int) -> bool:
        """A stop for job ``jid`` (or a quit) arrived; other messages wait their turn."""
        hit = False
        while not self.queue.empty():
            msg = self.queue.get()
            if msg[0] == "stop" and msg[1] == jid:
                hit = True
            elif msg[0] != "stop":
                self.later.append(msg)
                hit = hit or msg[0] == "quit"
        return hit


def serve(conn) -> None:
    """The worker's loop: ``("data", x, y)``, ``("train", id, job)`` answered with
    ``("done", id, result)`` (an ``"error"`` key if it failed), ``("stop", id)`` ends job
    ``id`` after its current epoch, ``("quit",)`` or a closed connection ends the loop."""
    try:
        wire.send(conn, ("ready", os.getpid()))
    except (EOFError, OSError):   # the GUI let go of the worker before it was ready
        return
    inbox, trainers = _Inbox(conn), _Trainers()
    x = y = None
    while True:
        msg = inbox.next()
        if msg[0] == "quit":
            return
        if msg[0] == "data":
            x, y = msg[1], msg[2]
        elif msg[0] == "train":
            jid, job = msg[1], msg[2]
            end = time.monotonic() + float(job["seconds"])

            def over(jid=jid, end=end) -> bool:
                return time.monotonic() >= end or inbox.stopped(jid)
            try:
                res = train_job(trainers, job, x, y, over)
            except Exception as e:  # noqa: BLE001 - reported to the GUI, which trains itself
                res = {"error": f"{type(e).__name__}: {e}"}
            try:
                wire.send(conn, ("done", jid, res))
            except (EOFError, OSError):
                return
