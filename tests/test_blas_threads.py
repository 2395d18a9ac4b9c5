"""The entry points ask for one BLAS thread before NumPy is imported, unless the user
set a number (nnviz/blas_threads.py says why)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nnviz import blas_threads

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str, **env_set: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in blas_threads.VARIABLES}
    env.update(env_set)
    env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=120, check=True)
    return out.stdout.strip().splitlines()[-1]


def _openblas() -> bool:
    import numpy  # noqa: F401 - loads the BLAS that current() asks

    return blas_threads.current() is not None


def test_the_entry_modules_do_not_import_numpy_before_the_limit():
    code = ("import sys; import nnviz.cli, nnviz.bench, nnviz.blas_threads; "
            "print('numpy' in sys.modules)")
    assert _run(code) == "False"


@pytest.mark.skipif(not _openblas(), reason="NumPy does not link OpenBLAS here")
def test_the_command_line_runs_numpy_with_one_blas_thread():
    code = ("from nnviz import cli, blas_threads; import contextlib, io; "
            "f = io.StringIO();\n"
            "with contextlib.redirect_stdout(f): cli.main(['worked', '--lesson', 'mazur-2-2-2'])\n"
            "print(blas_threads.current())")
    assert _run(code) == "1"


@pytest.mark.skipif(not _openblas(), reason="NumPy does not link OpenBLAS here")
def test_a_number_the_user_set_is_kept():
    code = ("from nnviz import blas_threads; ok = blas_threads.limit(); import numpy; "
            "print(ok, blas_threads.current())")
    assert _run(code, OPENBLAS_NUM_THREADS="2") == "True 2"


def test_too_late_after_numpy_says_so():
    code = "import numpy; from nnviz import blas_threads; print(blas_threads.limit())"
    assert _run(code) == "False"
