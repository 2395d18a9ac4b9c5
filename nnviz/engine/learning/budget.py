"""Time-budgeted work: the loop every live lab runs in its timer slices."""

from __future__ import annotations

import time
from collections.abc import Callable


def run_for(step: Callable[[], object], budget_s: float | None, max_steps: int | None = None,
            clock: Callable[[], float] = time.perf_counter) -> int:
    """Call ``step()`` until ``budget_s`` seconds have passed on ``clock`` (None: no time
    limit), ``max_steps`` calls were made (None: no count limit) or ``step()`` returned
    False (a blow-up, the end); always at least one call unless ``max_steps`` is 0.

    Returns the number of calls made. An exception from ``step`` propagates (the calls
    made before it are the caller's to count).
    """
    end = None if budget_s is None else clock() + budget_s
    done = 0
    while max_steps is None or done < max_steps:
        more = step()
        done += 1
        if more is False or (end is not None and clock() >= end):
            break
    return done
