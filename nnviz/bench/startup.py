"""Start-up time: `python -m nnviz` to its first painted main window, against a bare
PySide6 + pyqtgraph window, each in a fresh process (offscreen, private settings).

Both probes run with compiled bytecode, as an installed app does (pip compiles every
module when it installs a package): where the environment forbids writing bytecode
(PYTHONDONTWRITEBYTECODE, as on the machine the README's figures come from) the probes
share a private bytecode cache, filled by the warm-up runs. Without it nnviz's own
modules would be compiled from source at every start while PySide6's, NumPy's and
pyqtgraph's come compiled from their wheels.
"""

from __future__ import annotations

import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


_PYCACHE: list[str] = []


def _pycache() -> str:
    """A private bytecode cache for the probes, removed when the bench exits."""
    if not _PYCACHE:
        _PYCACHE.append(tempfile.mkdtemp(prefix="nnviz-bench-pycache-"))
        atexit.register(shutil.rmtree, _PYCACHE[0], True)
    return _PYCACHE[0]


def probe(kind: str) -> float:
    """Seconds from spawning the probe process to its first painted window."""
    with tempfile.TemporaryDirectory(prefix="nnviz-bench-") as home:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=home,
                   PYQTGRAPH_QT_LIB="PySide6")
        if env.pop("PYTHONDONTWRITEBYTECODE", ""):
            env["PYTHONPYCACHEPREFIX"] = _pycache()
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
    """``repeats`` pairs of runs, bare then nnviz (after one warm-up run of each, which
    fills the OS file cache and the bytecode cache for both): the median time of each,
    and the median of the pairs' ratios (a pair runs back to back, so the ratio is not
    moved by the machine getting faster or slower during the measurement)."""
    if warm_up:
        probe("bare")
        probe("nnviz")
    ours, bare = [], []
    for _ in range(repeats):
        bare.append(probe("bare"))
        ours.append(probe("nnviz"))
    ratios = [o / b for o, b in zip(ours, bare)]
    return {"seconds": statistics.median(ours), "bare_qt_seconds": statistics.median(bare),
            "ratio": statistics.median(ratios)}
