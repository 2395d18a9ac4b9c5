"""Checks of a workspace's lab states that need the rest of the workspace (after the
schema): each lab's saved state must fit the saved network and data, so restoring it
never fails half-way. Each failure is a FormatError naming the key."""

from __future__ import annotations

from typing import Any

import numpy as np

from nnviz.engine.files.validate import FormatError

MAX_NAMED_PARAMS = 200_000   # beyond this the surface lab's picker is not offered


def check_workspace_labs(ws: Any) -> None:
    """Raise FormatError if a lab state of the workspace ``ws`` does not fit it."""
    labs = ws.labs
    if isinstance(labs.get("workbench"), dict):
        _workbench(ws, labs["workbench"])
    if isinstance(labs.get("surface"), dict):
        _surface(ws, labs["surface"])
    un = labs.get("universality", {}).get("controller") if isinstance(
        labs.get("universality"), dict) else None
    if isinstance(un, dict):
        _universality(un)
    ne = labs.get("neuron")
    if isinstance(ne, dict) and len(ne.get("points", [])) != len(ne.get("labels", [])):
        raise FormatError("labs.neuron.labels: one label per point")


def _workbench(ws: Any, st: dict) -> None:
    tl = st.get("timeline")
    if tl is None:
        return
    n = ws.network.n_params()
    if not tl or len(tl) > 1000 or any(len(r) != n for r in tl):
        raise FormatError(f"labs.workbench.timeline: 1 to 1000 rows of {n} numbers")
    t = st.get("t", 0)
    if t >= len(tl):
        raise FormatError(f"labs.workbench.t: {t} is beyond the timeline ({len(tl)} steps)")
    if not np.array_equal(np.asarray(tl[t], dtype=np.float64), ws.network.get_params()):
        raise FormatError(f"labs.workbench.timeline[{t}]: not the workspace's network")


def _surface(ws: Any, st: dict) -> None:
    pair = st.get("params")
    net = ws.network
    if pair is None or net.n_params() > MAX_NAMED_PARAMS:
        return
    from nnviz.engine.core.naming import Naming
    from nnviz.engine.labs.surface import all_params

    nm = ws.lesson.naming
    if nm is None or [len(n) for n in nm.neurons] != net.sizes:
        nm = Naming.layered(net.sizes)
    names = {p.name(nm) for p in all_params(net)}
    if pair[0] == pair[1] or not all(p in names for p in pair):
        raise FormatError("labs.surface.params: two different parameters of the network")


def _universality(st: dict) -> None:
    lo, hi = st["x_range"]
    if not lo < hi:
        raise FormatError("labs.universality.controller.x_range: min must be below max")
    w, b, v = st["w"], st["b"], st["v"]
    if not len(w) == len(b) == len(v):
        raise FormatError("labs.universality.controller: w, b and v need one entry per neuron")
    if st["mode"] == "bumps" and (len(v) % 2 or not np.allclose(v[0::2], [-a for a in
                                                                          v[1::2]])):
        raise FormatError("labs.universality.controller.v: bump mode needs pairs h, -h")
