"""ruff runs with the suite, so CI (which runs the README's test command) enforces it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "nnviz", "tests",
                           "tools"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_functions_stay_under_complexity_12():
    """ruff's C901 (max-complexity 12) is on, so test_ruff_finds_nothing fails on a function
    with more decisions; the one exception is the fast trainer's hot loop, where every
    branch is inlined because a call per step costs measurable speed."""
    import re
    import tomllib

    lint = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["ruff"]["lint"]
    assert "C90" in lint["select"] and lint["mccabe"]["max-complexity"] == 12
    files = [p for d in ("nnviz", "tests", "tools") for p in (ROOT / d).rglob("*.py")
             if p.name != "test_lint.py"]
    waived = [f"{p.relative_to(ROOT).as_posix()}: {m.group(1)}" for p in files
              for m in re.finditer(r"def (\w+)\(.*noqa: C901", p.read_text("utf-8"))]
    assert waived == ["nnviz/engine/learning/fast.py: _run"]
    assert sum(p.read_text("utf-8").count("noqa: C901") for p in files) == 1
