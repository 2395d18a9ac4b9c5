"""No pickle, no eval/exec of user text, and every NumPy load refuses pickles."""

from __future__ import annotations

import ast
from pathlib import Path

import nnviz

PKG = Path(nnviz.__file__).resolve().parent


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + ([node.module] if isinstance(
                node, ast.ImportFrom) and node.module else [])
            if any(n and n.split(".")[0] in ("pickle", "cPickle", "dill", "shelve", "marshal")
                   for n in names):
                bad.append(f"{path.name}:{node.lineno} imports a pickle module")
        elif isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) \
                else ""
            if name in ("eval", "exec") and isinstance(f, ast.Name):
                bad.append(f"{path.name}:{node.lineno} calls {name}")
            if name in ("load", "loadtxt", "genfromtxt") and isinstance(f, ast.Attribute) \
                    and getattr(f.value, "id", "") in ("np", "numpy") and name == "load":
                kw = {k.arg: k.value for k in node.keywords}
                v = kw.get("allow_pickle")
                if not (isinstance(v, ast.Constant) and v.value is False):
                    bad.append(f"{path.name}:{node.lineno} np.load without allow_pickle=False")
    return bad


def test_no_unsafe_loading_anywhere():
    problems = [p for f in sorted(PKG.rglob("*.py")) for p in _problems(f)]
    assert problems == []


def test_the_checker_finds_problems(tmp_path):
    f = tmp_path / "m.py"
    f.write_text("import pickle\nimport numpy as np\nnp.load('x')\neval('1')\n")
    assert len(_problems(f)) == 3
