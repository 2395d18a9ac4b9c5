"""The small search that gives each weight label of the network graph one of its free
spots such that no two chosen spots overlap (:mod:`~nnviz.views.items.graph_weights`
decides the spots and the order they are tried in)."""

from __future__ import annotations

import numpy as np

#: pixels kept free around every label
GAP = 2.0
#: candidates tried per form before a smaller one is (the search is cut off there)
SEARCH_BUDGET = 300


def conflicts(rects: np.ndarray, others: np.ndarray) -> np.ndarray:
    """(n, m) booleans: rectangle i of ``rects`` comes within GAP of j of ``others``."""
    a, b = rects[:, None, :], others[None, :, :]
    return ((a[..., 0] < b[..., 2] + GAP) & (b[..., 0] < a[..., 2] + GAP)
            & (a[..., 1] < b[..., 3] + GAP) & (b[..., 1] < a[..., 3] + GAP))


def greedy(cands: list[np.ndarray]) -> list[int] | None:
    """The first free candidate of each label in turn, or None if one has none left."""
    chosen = np.zeros((0, 4))
    out = []
    for r in cands:
        free = np.flatnonzero(~conflicts(r, chosen).any(axis=1)) if len(chosen) else [0]
        if not len(free):
            return None
        out.append(int(free[0]))
        chosen = np.vstack([chosen, r[free[0]]])
    return out


def search(cands: list[np.ndarray], budget: int = SEARCH_BUDGET) -> list[int] | None:
    """One candidate index per label ((n_i, 4) rectangles each) such that no two chosen
    rectangles overlap, or None if none is found within ``budget`` tries. The label with
    the fewest free spots left is placed next (and a dead end is seen at once)."""
    n = len(cands)
    start = np.cumsum([0] + [len(c) for c in cands])
    flat = np.concatenate(cands).reshape(-1, 4)
    clash = conflicts(flat, flat)
    choice: list[int] = [-1] * n
    visits = 0

    def go(blocked: np.ndarray, placed: np.ndarray) -> bool:
        nonlocal visits
        if placed.all():
            return True
        free = np.add.reduceat(~blocked, start[:-1])
        free[placed] = np.iinfo(free.dtype).max
        i = int(np.argmin(free))
        if free[i] == 0:
            return False
        placed = placed.copy()
        placed[i] = True
        for c in np.flatnonzero(~blocked[start[i]:start[i + 1]]):
            visits += 1
            if visits > budget:
                return False
            if go(blocked | clash[start[i] + c], placed):
                choice[i] = int(c)
                return True
        return False

    return choice if go(np.zeros(len(flat), bool), np.zeros(n, bool)) else None
