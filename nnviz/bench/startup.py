"""Start-up time: `python -m nnviz` to its first painted main window, against a bare
PySide6 + pyqtgraph window, each in a fresh process (offscreen, private settings)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def probe(kind: str) -> float:
    """Seconds from spawning the probe process to its first painted window."""
    with tempfile.TemporaryDirectory(prefix="nnviz-bench-") as home:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=home,
                   PYQTGRAPH_QT_LIB="PySide6")
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        env.pop("NNVIZ_PROBE_T0", None)
        env["NNVIZ_PROBE_T0"] = repr(time.time())
        r = subprocess.run([sys.executable, "-m", "nnviz.bench.probe", kind], env=env,
                           capture_output=True, text=True, timeout=120, cwd=home)
    for line in r.stdout.splitlines():
        if line.startswith("STARTUP "):
            return float(line.split()[1])
    raise RuntimeError(f"start-up probe {kind!r} failed (exit {r.returncode}): "
                       f"{(r.stderr or r.stdout).strip()[-500:]}")


def startup(repeats: int, warm_up: bool = True) -> dict[str, float]:
    """Median of ``repeats`` alternating runs of each (after one warm-up run each, which
    fills the OS file cache for both)."""
    if warm_up:
        probe("bare")
        probe("nnviz")
    ours, bare = [], []
    for _ in range(repeats):
        bare.append(probe("bare"))
        ours.append(probe("nnviz"))
    s, b = statistics.median(ours), statistics.median(bare)
    return {"seconds": s, "bare_qt_seconds": b, "ratio": s / b}
