"""`nnviz bench --quick` produces every figure it can as a finite positive number.

No timing is asserted: the figures depend on the machine. A figure whose lab is not in
this build must be null in the JSON and marked in the table (and must be produced as
soon as the lab is there).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nnviz.bench import KEYS, NA, NO_TORCH, get, missing_text, table
from nnviz.bench.dense_bench import torch_available
from nnviz.views.labs import available_labs

ROOT = Path(__file__).resolve().parent.parent


def _needs(key: str) -> bool:
    """True if the build has what the figure ``key`` needs."""
    labs = available_labs()
    if key.endswith(".vs_torch"):
        return torch_available()
    if "after_3d" in key:
        return _gl_display() and {"training", "workbench", "surface"} <= set(labs)
    if key.startswith("after_workbench."):
        return {"training", "workbench"} <= set(labs)
    if key.startswith("live_train."):
        return "training" in labs
    if key.startswith("live_conv."):
        return "conv" in labs
    if key.startswith("step_latency_ms."):
        return "workbench" in labs
    if key.startswith("graph_redraw."):
        return importlib.util.find_spec("nnviz.views.items.network_graph") is not None
    return True


@functools.cache
def _gl_display() -> bool:
    """True if the after-3-D figures can be measured here (X11 with OpenGL)."""
    import shutil

    from nnviz.bench.gl_after import SCREEN

    env = dict(os.environ, QT_QPA_PLATFORM="xcb")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    code = ("from PySide6.QtWidgets import QApplication; app = QApplication([]); "
            "from nnviz.views.gl import gl_status; print(gl_status()[0])")
    cmd = [sys.executable, "-c", code]
    if not env.get("DISPLAY"):
        if shutil.which("xvfb-run") is None:
            return False
        cmd = ["xvfb-run", "-a", "-s", SCREEN] + cmd
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    return r.stdout.strip().endswith("True")


@pytest.mark.slow
def test_quick_bench_writes_every_available_figure(tmp_path):
    out = tmp_path / "out.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    r = subprocess.run([sys.executable, "-m", "nnviz", "bench", "--quick", "--json", str(out)],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr[-2000:]
    data = json.loads(out.read_text())
    for key in KEYS:
        v = get(data, key)
        if _needs(key):
            assert isinstance(v, (int, float)) and math.isfinite(v) and v > 0, (key, v)
        else:
            assert v is None, key
            assert any(line.startswith(key) and missing_text(key) in line
                       for line in r.stdout.splitlines())
    if not torch_available():   # the comparison is skipped, saying how to get it
        assert "pip install torch" in r.stderr
    m = data["machine"]
    assert m["cores"] >= 1 and m["cpu"] and m["python"] and m["numpy"] and m["qt"]
    for key in KEYS:  # the table names every figure
        assert key in r.stdout


def test_table_marks_targets_met_missed_and_missing():
    data = {"engine_train": {"b": {"samples_per_s": 500_000.0},
                             "c": {"samples_per_s": 100_000.0}},
            "startup": {"ratio": 1.31}, "machine": {}}
    lines = {line.split()[0]: line for line in table(data).splitlines() if line.strip()}
    assert lines["engine_train.b.samples_per_s"].endswith("met")
    assert "500,000" in lines["engine_train.b.samples_per_s"]
    assert lines["engine_train.c.samples_per_s"].endswith("MISSED")
    assert lines["startup.ratio"].endswith("MISSED")
    assert NA in lines["graph_redraw.784-100-10.fps"]
    assert NO_TORCH in lines["engine_train.wide.vs_torch"]


def test_runs_compared_take_turns_and_each_keeps_its_best():
    """nnviz and PyTorch are timed in turns (a machine slowed for a while slows both), the
    best of each kept."""
    from nnviz.bench.dense_bench import alternate

    calls: list[str] = []
    rates = {"a": iter([3.0, 5.0, 4.0]), "b": iter([7.0, 1.0, 2.0])}

    def runner(name):
        def run():
            calls.append(name)
            return next(rates[name])
        return run

    best = alternate({"a": runner("a"), "b": runner("b")}, 3)
    assert best == {"a": 5.0, "b": 7.0}
    assert calls == ["a", "b", "a", "b", "a", "b"]
