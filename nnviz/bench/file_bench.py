"""Opening large files: how long the GUI thread goes without running its event loop.

A 39 MB workspace (a 2-1400-1400-2 network, about two million weights, what nnviz
itself saves for its largest networks; it shows the Training lab) is opened through the
main window's File > Open path, then a weights file of the same network is opened (it is
imported as File > Import weights does). A 5 ms timer records when the event loop ran;
the *stall* is the longest gap between its ticks from the moment the user chose the file
until the checked state is installed (the window cannot repaint, animate its progress
dialog or take a click for that long); the *redraw stall* is the longest gap after it,
until the Training lab's decision map of the new network is drawn (a large network's is
computed off the GUI thread) and two seconds more (the labs drawing the new network: not
file work, reported apart).
``seconds`` is the whole open. ``--quick`` uses a ~2 MB file (a smoke test).
Then the same window autosaves the 2 M-weight network (``file_autosave``).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QTimer

from nnviz.bench.gui_bench import _close, _run_loop, _window

TICK_MS = 5


def _big_network(n: int, seed: int = 0):
    from nnviz.engine.core.activations import get_activation
    from nnviz.engine.core.network import Network

    rng = np.random.default_rng(seed)
    sizes = [2, n, n, 2]
    return Network([rng.normal(size=(b, a)) for a, b in zip(sizes[:-1], sizes[1:])],
                   [rng.normal(size=b) for b in sizes[1:]], [get_activation("sigmoid")] * 3,
                   [False] * 3, [True] * 3)


def big_files(folder: Path, n: int) -> tuple[Path, Path]:
    """A workspace and a weights file of a 2-n-n-2 network (mazur-2-2-2's lesson)."""
    from nnviz.engine.files.weights_file import save_weights
    from nnviz.engine.files.workspace import Workspace, save_workspace
    from nnviz.engine.learning.training import TrainConfig
    from nnviz.engine.teaching.lessons import load_lesson

    lesson, net = load_lesson("mazur-2-2-2"), _big_network(n)
    x = np.random.default_rng(1).normal(size=(8, 2))
    # two classes (the quadrants where x1 x2 > 0 and < 0), one-hot for the two outputs:
    # the workspace's data set, so the Training lab draws the network's decision map
    y = np.eye(2)[(x[:, 0] * x[:, 1] > 0).astype(int)]
    ws = Workspace(lesson, net, x, y, x[0], y[0], TrainConfig(), "half_sse", "training")
    save_workspace(folder / "big.nnviz", ws)
    save_weights(folder / "big-weights.json", _big_network(n, seed=2))
    return folder / "big.nnviz", folder / "big-weights.json"


def stall(start, done, timeout: float = 300.0, after: float = 2.0,
          settled=lambda: True) -> dict[str, float]:
    """Run ``start()`` from the event loop, then the loop until ``done()``, then until
    ``settled()`` and ``after`` seconds more. ``gui_stall_ms``: the longest gap between
    the ticks of a 5 ms timer until done (reading, checking, installing);
    ``redraw_stall_ms``: the longest after it (the labs drawing the new network);
    ``seconds``: until done."""
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    _run_loop(0.05)
    t0 = time.perf_counter()
    ticks.append(t0)
    QTimer.singleShot(0, start)
    while not done() and time.perf_counter() - t0 < timeout:
        _run_loop(0.02)
    t1 = time.perf_counter()
    if not done():
        timer.stop()
        raise RuntimeError(f"the open did not finish in {timeout:.0f} s")
    ticks.append(t1)
    while not settled() and time.perf_counter() - t1 < timeout:
        _run_loop(0.05)
    t2 = time.perf_counter()
    while time.perf_counter() - t2 < after:
        _run_loop(0.05)
    ticks.append(time.perf_counter())
    timer.stop()
    t = np.array(ticks)
    reading = np.diff(t[(t >= t0) & (t <= t1)])
    drawing = np.diff(t[t >= t1])
    return {"gui_stall_ms": float(1000 * reading.max()),
            "redraw_stall_ms": float(1000 * drawing.max()), "seconds": t1 - t0}


def file_figures(quick: bool) -> dict[str, Any]:
    """file_open.workspace and file_open.weights: stall (ms), seconds and the file's MB."""
    folder = Path(tempfile.mkdtemp(prefix="nnviz-bench-files-"))
    ws_path, w_path = big_files(folder, 300 if quick else 1400)
    out: dict[str, Any] = {}
    win = _window("mazur-2-2-2")
    try:
        win.show_lab("training")  # the lab the workspace shows, made before the clock runs
        files = win.files
        lab = win.lab("training")
        # the map of the new network drawn (its summarised hidden maps: 24 a layer)
        def drawn() -> bool:
            return (not lab.ctl.big_grid.pending and not lab.pacer.pending()
                    and lab.graph.sizes == win.doc.network.sizes)

        win.doc.mark_saved()  # nothing unsaved: no question before the open
        r = stall(lambda: files.open_path(str(ws_path)),
                  lambda: files.path == str(ws_path) and not files.background.busy,
                  settled=drawn)
        out["workspace"] = {**r, "mb": ws_path.stat().st_size / 2**20}
        if files.prompt is not None or files.path != str(ws_path):
            raise RuntimeError("the workspace did not open")
        before = win.doc.network.weights[0].copy()
        r = stall(lambda: files.open_path(str(w_path)),
                  lambda: not files.background.busy
                  and not np.array_equal(win.doc.network.weights[0], before), settled=drawn)
        out["weights"] = {**r, "mb": w_path.stat().st_size / 2**20}
        saved = autosave_figures(win)
    finally:
        win.files.remove_recovery()
        _close(win)
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()
    return {"file_open": out, "file_autosave": saved}


def autosave_figures(win) -> dict[str, float]:
    """An autosave of the window's (2 M-weight) network after an edit: ``gui_ms``, the
    autosave call on the GUI thread (the copy of the document; a large network's file
    is converted and written by the worker); ``gui_stall_ms``, the longest gap of the
    5 ms timer until the file is written; ``seconds``, until it is written."""
    files, called = win.files, []

    def start() -> None:
        t = time.perf_counter()
        if not files.autosave_now():
            raise RuntimeError("the autosave was not written")
        called.append(time.perf_counter() - t)

    win.doc.set_weight(0, 0, 0, 0.25)   # an unsaved change
    r = stall(start, lambda: bool(called) and not files.background.busy, after=0.05)
    return {"gui_ms": 1000 * called[0], "gui_stall_ms": r["gui_stall_ms"],
            "seconds": r["seconds"]}
