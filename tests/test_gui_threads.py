"""The entry points ask Qt to paint without its helper threads, unless the user set the
variable (nnviz/gui_threads.py says why)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from nnviz import gui_threads

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str, **env_set: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != gui_threads.VARIABLE}
    env.update(env_set)
    env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=120, check=True)
    return out.stdout.strip().splitlines()[-1]


def test_the_command_line_sets_it_before_qt_is_imported():
    code = ("import os, sys, contextlib, io; from nnviz import cli; f = io.StringIO()\n"
            "with contextlib.redirect_stdout(f): cli.main(['worked', '--lesson', 'mazur-2-2-2'])\n"
            "print(os.environ.get('QT_NO_GUI_THREADPOOL'), 'PySide6' in sys.modules)")
    assert _run(code) == "1 False"


def test_the_bench_entry_sets_it():
    code = ("import os, runpy, sys; sys.argv = ['x', '--help']\n"
            "try:\n    runpy.run_module('nnviz.bench', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "print(os.environ.get('QT_NO_GUI_THREADPOOL'))")
    assert _run(code) == "1"


def test_a_value_the_user_set_is_kept():
    code = ("import os; from nnviz import gui_threads; gui_threads.serial_painting(); "
            "print(os.environ['QT_NO_GUI_THREADPOOL'])")
    assert _run(code, QT_NO_GUI_THREADPOOL="yes") == "yes"
