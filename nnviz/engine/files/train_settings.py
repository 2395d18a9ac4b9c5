"""Reading the optimiser and schedule settings of a training configuration from a file (workspaces
and lessons alike): every value validated, every failure names its key."""

from __future__ import annotations

from typing import Any

from nnviz.engine.files.validate import FormatError, as_int, as_number, as_str
from nnviz.engine.learning.optimisers import OPTIMISERS
from nnviz.engine.learning.schedules import EVERY_RANGE, GAMMA_RANGE, K_RANGE, PATIENCE_RANGE, SCHEDULES

#: every optimiser setting a file may hold except momentum (TrainConfig.momentum)
HYPERS = {h.key: h for c in OPTIMISERS.values() for h in c.hypers if h.key != "momentum"}


def parse_optimiser(d: dict, where: str) -> dict[str, Any]:
    """``optimiser`` and ``hyper`` of a training object as TrainConfig keywords
    (absent keys: SGD, defaults)."""
    name = as_str(d.get("optimiser", "sgd"), f"{where}.optimiser", 40)
    if name not in OPTIMISERS:
        raise FormatError(f"{where}.optimiser: {name!r} is not one of {', '.join(OPTIMISERS)}")
    hyper = d.get("hyper", {})
    if not isinstance(hyper, dict):
        raise FormatError(f"{where}.hyper: expected an object")
    pairs = []
    for k, v in hyper.items():
        h = HYPERS.get(k)
        if h is None:
            raise FormatError(f"{where}.hyper.{str(k)[:40]}: unknown optimiser setting")
        try:
            pairs.append((k, h.check(v)))
        except ValueError as e:
            raise FormatError(f"{where}.hyper.{k}: {e}") from None
    return {"optimiser": name, "hyper": tuple(sorted(pairs))}




def parse_schedule(d: dict, where: str) -> dict[str, Any]:
    """``schedule``, ``lr_gamma``, ``lr_every``, ``lr_k`` and ``patience`` as TrainConfig
    keywords (absent keys: a constant rate, no early stop)."""
    name = as_str(d.get("schedule", "constant"), f"{where}.schedule", 40)
    if name not in SCHEDULES:
        raise FormatError(f"{where}.schedule: {name!r} is not one of {', '.join(SCHEDULES)}")
    return {
        "schedule": name,
        "lr_gamma": as_number(d.get("lr_gamma", 0.5), f"{where}.lr_gamma", *GAMMA_RANGE),
        "lr_every": as_int(d.get("lr_every", 10), f"{where}.lr_every", *EVERY_RANGE),
        "lr_k": as_number(d.get("lr_k", 0.1), f"{where}.lr_k", *K_RANGE),
        "patience": as_int(d.get("patience", 0), f"{where}.patience", *PATIENCE_RANGE),
    }
