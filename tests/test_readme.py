"""The README opens with the two set-up commands, and CI runs the second verbatim."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)\n```", text, flags=re.S)
    return [b.strip() for b in blocks[:2]]


def test_readme_starts_with_two_commands():
    text = (ROOT / "README.md").read_text()
    first = text.split("## ")[0]
    assert first.count("```bash") == 2
    app, tests = readme_commands()
    assert "nnviz" in app and "pip install" in app
    assert "pytest" in tests and ".[test]" in tests


def test_ci_runs_the_readme_test_command():
    _, tests = readme_commands()
    ci = (ROOT / ".ci" / "run").read_text()
    assert tests in ci.splitlines()
