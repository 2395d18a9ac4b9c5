"""PySide6's "does this module use PySide?" answered from the module's file
(nnviz/pyside_hook.py): the same answers as PySide's own, more cheaply."""

from __future__ import annotations

import sys
import types

import pytest

import nnviz.app  # noqa: F401 - installs the hook, as the app does
from nnviz import pyside_hook


def _feature():
    return sys.modules.get(pyside_hook.FEATURE_MODULE)


def test_the_app_installs_it_in_pysides_support_module():
    feature = _feature()
    if feature is None or not hasattr(feature, "_mod_uses_pyside"):
        pytest.skip("this PySide6 asks no such question")
    assert getattr(feature._mod_uses_pyside, "nnviz_reads_file", False)
    assert pyside_hook.install() is True   # once only: not wrapped again
    assert not getattr(feature._mod_uses_pyside.pyside_own, "nnviz_reads_file", False)


def test_every_loaded_module_gets_pysides_own_answer():
    feature = _feature()
    if feature is None or not hasattr(feature, "_mod_uses_pyside"):
        pytest.skip("this PySide6 asks no such question")
    ours, own = feature._mod_uses_pyside, feature._mod_uses_pyside.pyside_own
    modules = [m for m in list(sys.modules.values()) if isinstance(m, types.ModuleType)]
    assert len(modules) > 300
    answers = [(m.__name__, ours(m), own(m)) for m in modules]
    assert [a for a in answers if a[1] != a[2]] == []
    assert any(a[1] for a in answers) and not all(a[1] for a in answers)
    assert ours(nnviz.app) is True and ours(pyside_hook) is True   # both name PySide6
    assert ours(sys.modules["nnviz.engine.core.network"]) is False


def test_files_are_read_and_modules_without_one_are_asked_pysides_way(tmp_path):
    asked = []

    def own(module):
        asked.append(module.__name__)
        return "own answer"

    fake = types.ModuleType("fake_feature")
    fake._mod_uses_pyside = own
    assert pyside_hook.install(fake) is True
    uses = fake._mod_uses_pyside
    assert uses is not own and pyside_hook.install(fake) is True and fake._mod_uses_pyside is uses

    def module(name, text=None, suffix=".py"):
        m = types.ModuleType(name)
        if text is not None:
            path = tmp_path / f"{name}{suffix}"
            path.write_text(text, encoding="utf-8")
            m.__file__ = str(path)
        return m

    assert uses(module("with_qt", "from PySide6.QtCore import QObject  # é\n")) is True
    assert uses(module("without", "import numpy as np\n")) is False
    assert asked == []
    gone = module("gone")
    gone.__file__ = str(tmp_path / "missing.py")
    assert uses(gone) == "own answer"
    assert uses(module("builtin_like")) == "own answer"            # no __file__
    assert uses(module("compiled", "PySide6", suffix=".so")) == "own answer"
    assert asked == ["gone", "builtin_like", "compiled"]


def test_without_the_question_nothing_changes():
    empty = types.ModuleType("old_feature")
    assert pyside_hook.install(empty) is False
    assert not hasattr(empty, "_mod_uses_pyside")
    odd = types.ModuleType("odd_feature")
    odd._mod_uses_pyside = "not callable"
    assert pyside_hook.install(odd) is False and odd._mod_uses_pyside == "not callable"
