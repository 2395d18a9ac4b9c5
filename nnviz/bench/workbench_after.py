"""After the Workbench: live training in the Training lab once the Workbench has been shown
and left, against a window that never showed it (a hidden lab costs nothing).

Two main windows in one app (offscreen), both on Playground's configuration b: A never
shows the Workbench; B shows it (its graph, micro-step trace and panels built for the
network), takes 999 training steps there (a timeline of 1,000 networks, its most) and
goes to the Training lab. Each trains once unmeasured (A's first turn, its Training lab's
first, pays for first draws: the first pair's B / A read 1.13-1.34 in six runs, the
others' median 1.0), then A and B take turns training at full speed, in 24 pairs whose
order alternates (AB, BA, ...: a change in the machine's load hits both alike, and
neither always follows the other). Figures:
``after_workbench.never_shown`` and ``after_workbench.after_shown`` (the median
samples per second of each) and ``after_workbench.ratio``: the median of the turns'
ratios B / A of samples per second of the process's CPU time (1 = the hidden Workbench
costs nothing; the target is at least 0.95). Per CPU second, because on a shared
machine the wall-clock rate of one-second turns scatters by +-30 % with the other
processes' load, which would hide a 5 % cost; ``wall_ratio`` is the same ratio of
samples per wall-clock second.
"""

from __future__ import annotations

import statistics
import time
from typing import Any


def _show_workbench(win, seconds: float, steps: int) -> bool:
    """Show the Workbench for ``seconds`` and take ``steps`` of its training steps (as
    Ctrl+Right does: its timeline then holds them, as after a lecture); True if it was on
    screen with that timeline."""
    from nnviz.bench import gui_bench as gb

    win.show_lab("workbench")
    wb = win.current_lab
    gb._spin(seconds)
    for _ in range(steps):
        wb.stepper.train_step()
    gb._spin(seconds)
    return wb.isVisible() and len(wb.stepper.timeline) == steps + 1


def _turn(win, seconds: float) -> tuple[float, float]:
    """Train at full speed for ``seconds``: (samples per second, samples per second of
    this process's CPU time)."""
    from nnviz.bench import gui_bench as gb

    win.show_lab("training")
    ctl = win.current_lab.ctl
    ctl.set_speed(0)
    gb._spin(0.1)
    s0, t0, c0 = gb._samples(ctl), time.perf_counter(), time.process_time()
    ctl.playback.play()
    gb._run_loop(seconds)
    ctl.playback.pause()
    n, dt, dc = gb._samples(ctl) - s0, time.perf_counter() - t0, time.process_time() - c0
    gb._spin(0.05)
    return n / dt, n / max(dc, 1e-9)


def after_workbench(quick: bool) -> dict[str, Any] | None:
    """The figures, or None where the Training lab or the Workbench is not in this build."""
    from nnviz.bench import gui_bench as gb
    from nnviz.bench.gl_after import _front
    from nnviz.views.labs import available_labs

    if not {"training", "workbench"} <= set(available_labs()):
        return None
    chunk, pairs = (0.2, 1) if quick else (0.5, 24)
    a = gb._window(gb._reference_lesson("b"))
    b = gb._window(gb._reference_lesson("b"))
    wins = (a, b)
    try:
        _front(b, wins)
        shown = _show_workbench(b, 0.2 if quick else 1.0, 50 if quick else 999)
        for w in wins:   # the unmeasured first turns
            _front(w, wins)
            _turn(w, chunk)
        turns: dict[int, list[tuple[float, float]]] = {0: [], 1: []}
        for p in range(pairs):
            for i in ((0, 1) if p % 2 == 0 else (1, 0)):
                _front(wins[i], wins)
                turns[i].append(_turn(wins[i], chunk))
        built = "workbench" in b.labs and "workbench" not in a.labs
    finally:
        for w in wins:
            gb._close(w)

    def ratio(k: int) -> float:
        r = [tb[k] / ta[k] for ta, tb in zip(turns[0], turns[1]) if ta[k] > 0]
        return statistics.median(r) if r else float("nan")

    return {"never_shown": statistics.median(t[0] for t in turns[0]),
            "after_shown": statistics.median(t[0] for t in turns[1]),
            "ratio": ratio(1), "wall_ratio": ratio(0), "shown": shown and built}
