"""Hypothesis strategies for VALID-LOOKING lessons and workspaces with one hostile value
in any field: the shape of a real file (taken from the shipped lessons and from a saved
workspace), with one leaf (or key) replaced by a value from a pool of known attacks —
huge numbers, overflowing expressions, format specs, markup, paths, deep or long
structures, wrong types, removed or unknown keys."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import strategies as st

HOSTILE_VALUES: list[Any] = [
    10**400, -(10**400), 1e308, -1e308, 5e-324, 0, -1, 2**63, 1e15, 4, 10, None, True, False,
    "", " ", "x" * 100_000, "<img src=x width=60000 height=60000>",
    "<h1><font color=red>x</font></h1>", "[click](file:///etc/passwd)", "![i](/dev/zero)",
    "{n:>999999999}", "{0}", "{n.__class__}", "{", "9^9^9^9", "1e308*x", "exp(exp(x))",
    "/dev/zero", "../../../etc/passwd", "\u2028\x0b\x0c", "\ufeff", "NaN", "nan", "inf",
    [], {}, [[]], [[["mse"]], ["cross"]], [1e308] * 3, list(range(50)),
    {"__class__": 1}, [[[[[[[[[[[[[[[[[[[[0]]]]]]]]]]]]]]]]]]]],
]


def leaf_paths(d: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path of ``d`` (lists: their first three entries)."""
    out = [prefix] if prefix else []
    if isinstance(d, dict):
        for k, v in d.items():
            out += leaf_paths(v, prefix + (k,))
    elif isinstance(d, list):
        for i, v in enumerate(d[:3]):
            out += leaf_paths(v, prefix + (i,))
    return out


def mutate(d: Any, path: tuple, value: Any, action: str) -> Any:
    """A copy of ``d`` with the value at ``path`` replaced, removed, or a sibling key added."""
    d = copy.deepcopy(d)
    cur = d
    for p in path[:-1]:
        cur = cur[p]
    last = path[-1]
    if action == "remove" and isinstance(cur, dict):
        del cur[last]
    elif action == "add" and isinstance(cur, dict):
        cur["surprise"] = value
    else:
        cur[last] = copy.deepcopy(value)
    return d


@st.composite
def hostile_variant(draw, valid: dict) -> tuple[dict, str]:
    """(a mutated copy of ``valid``, a description of the mutation)."""
    paths = leaf_paths(valid)
    path = draw(st.sampled_from(paths))
    value = draw(st.sampled_from(HOSTILE_VALUES))
    action = draw(st.sampled_from(["replace", "replace", "replace", "remove", "add"]))
    desc = f"{action} {'.'.join(map(str, path))} = {json.dumps(value)[:60]}"
    return mutate(valid, path, value, action), desc
