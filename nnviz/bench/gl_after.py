"""After a 3-D view: live training and workbench stepping once a 3-D (OpenGL) view has been
shown and left, against a window that never showed one.

OpenGL needs a display, so this part runs in its own process on the X11 platform: on
the display in DISPLAY if there is one, else under ``xvfb-run`` (Mesa's software OpenGL,
what classroom virtual machines and remote desktops use). The parent reads one line
``RESULT <json>`` from it.

    python -m nnviz.bench.gl_after [--quick]      (run by `nnviz bench`)

Two main windows in one app: A never shows a 3-D view; B shows the error-surface lab's
3-D view and goes back. Then A and B take turns (so a change in the machine's load hits
both alike). Figures: ``live_train.b.after_3d_ratio`` (training samples per second in B
/ in A; 1 = the 3-D view costs nothing afterwards) and
``step_latency_ms.mazur-2-2-2.after_3d_ratio`` (workbench step latency in B / in A; 1 =
no cost), each the median of the turns' ratios.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCREEN = "-screen 0 1280x720x24"


def after_3d(quick: bool) -> dict[str, Any] | None:
    """The figures from a subprocess on X11, or None where there is no display or no
    OpenGL (the reason is printed to stderr)."""
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", PYQTGRAPH_QT_LIB="PySide6")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    cmd = [sys.executable, "-m", "nnviz.bench.gl_after"] + (["--quick"] if quick else [])
    if not env.get("DISPLAY"):
        if shutil.which("xvfb-run") is None:
            sys.stderr.write("after-3-D figures: no display and no xvfb-run\n")
            return None
        cmd = ["xvfb-run", "-a", "-s", SCREEN] + cmd
    try:
        r = subprocess.run(cmd, env=env, capture_output=True, text=True,
                           timeout=120 if quick else 600, cwd=str(ROOT))
    except subprocess.TimeoutExpired:
        sys.stderr.write("after-3-D figures: timed out\n")
        return None
    for line in r.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    sys.stderr.write(f"after-3-D figures failed (exit {r.returncode}): "
                     f"{(r.stderr or r.stdout).strip()[-800:]}\n")
    return None


# ------------------------------------------------------------ in the subprocess
def _live_rate(win, chunk: float, runs: int) -> float:
    """Best samples per second of the training lab training at full speed."""
    from nnviz.bench import gui_bench as gb

    win.show_lab("training")
    ctl = win.current_lab.ctl
    ctl.set_speed(0)
    gb._spin(0.2)
    best = 0.0
    for _ in range(runs):
        s0 = gb._samples(ctl)
        t0 = time.perf_counter()
        ctl.playback.play()
        gb._run_loop(chunk)
        ctl.playback.pause()
        dt = time.perf_counter() - t0
        best = max(best, (gb._samples(ctl) - s0) / dt)
        gb._spin(0.05)
    return best


def _latency(win, presses: int) -> float:
    """Median ms from a Right key press in the workbench to all its views repainted."""
    import statistics

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from nnviz.bench import gui_bench as gb

    win.open_lesson("mazur-2-2-2")
    win.show_lab("workbench")
    win.activateWindow()
    win.raise_()
    gb._spin(0.5)   # the lesson change settles (hidden labs, worker threads)
    counter = gb.FrameCounter(win.current_lab)
    times: list[float] = []
    misses = 0
    while len(times) < presses and misses < 5:
        t0 = time.perf_counter()
        QTest.keyClick(win, Qt.Key.Key_Right)
        dt = gb._wait_repainted(counter, t0)
        if dt is None:
            misses += 1
            win.open_lesson("mazur-2-2-2")
            gb._spin(0.1)
            continue
        times.append(dt * 1000)
    counter.close()
    return statistics.median(times) if times else float("nan")


def _show_3d(win, seconds: float) -> bool:
    """Show the error-surface lab with its 3-D view for ``seconds``; True if it was shown."""
    from nnviz.bench import gui_bench as gb

    win.show_lab("surface")
    gb._spin(seconds)
    view = win.current_lab.page.view3d.view
    return view is not None and view.isVisible()


def _front(win, others) -> None:
    """Show ``win`` alone, active, as a user switching to it would."""
    from nnviz.bench import gui_bench as gb

    for w in others:
        if w is not win:
            w.hide()
    win.show()
    win.activateWindow()
    win.raise_()
    gb._spin(0.1)


def measure(quick: bool) -> dict[str, Any]:
    """Two windows: A never shows a 3-D view, B shows one and leaves it. Then A and B
    alternate (so a change in the machine's load hits both alike); each figure is the
    median of the pairs' ratios B / A."""
    import statistics

    from nnviz.bench import gui_bench as gb

    chunk, pairs, presses = (0.3, 1, 3) if quick else (1.0, 8, 10)
    a = gb._window(gb._reference_lesson("b"))
    b = gb._window(gb._reference_lesson("b"))
    wins = (a, b)
    try:
        _front(b, wins)
        shown = _show_3d(b, 0.5 if quick else 1.5)
        live: dict[int, list[float]] = {0: [], 1: []}
        lat: dict[int, list[float]] = {0: [], 1: []}
        for _ in range(pairs):
            for i, w in enumerate(wins):
                _front(w, wins)
                live[i].append(_live_rate(w, chunk, 1))
        for _ in range(pairs):
            for i, w in enumerate(wins):
                _front(w, wins)
                lat[i].append(_latency(w, presses))
    finally:
        for w in wins:
            gb._close(w)

    def ratio(d: dict[int, list[float]]) -> float:
        return statistics.median(y / x for x, y in zip(d[0], d[1]) if x > 0)

    return {"live_train_b": {"never_3d": statistics.median(live[0]),
                             "after_3d": statistics.median(live[1]), "ratio": ratio(live)},
            "step_latency_mazur": {"never_3d": statistics.median(lat[0]),
                                   "after_3d": statistics.median(lat[1]), "ratio": ratio(lat)},
            "shown_3d": shown}


def main() -> int:
    from nnviz.app import make_app
    from nnviz.views.gl import gl_status
    from nnviz.views.labs import available_labs

    make_app(["nnviz-bench-gl"])
    ok, why = gl_status()
    labs = available_labs()
    if not ok or not {"training", "workbench", "surface"} <= set(labs):
        sys.stderr.write(f"after-3-D figures: {why or 'a lab is missing'}\n")
        print("RESULT null", flush=True)
        return 0
    result = measure("--quick" in sys.argv)
    print("RESULT " + json.dumps(result), flush=True)
    os._exit(0)   # skip tearing down OpenGL and worker threads: the figures are out


if __name__ == "__main__":
    raise SystemExit(main())
