"""Start-up imports only what the first window shows: a fresh process that starts the main
window as `python -m nnviz` does (default lesson, Workbench) has not imported NumPy's
random generators (the dropout masks' only user), the file worker's thread pool, the
large-file readers, the file-format schema, the exporter or the matrix view by the time the
window has painted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_AT_START = ("numpy.random", "concurrent.futures", "nnviz.views.big_reads",
                "nnviz.engine.files.file_child",
                # the file-format schema (shipped lessons opened by name skip it; a test
                # checks each against it) and the labs' constants it imports; the exporter
                "nnviz.engine.files.file_schema", "nnviz.engine.labs.conv_setup",
                "nnviz.engine.labs.neuron", "nnviz.views.exports", "nnviz.views.gl",
                # the Workbench's matrix view and the layer-level trace it shows, built
                # when first shown (M)
                "nnviz.views.workbench.matrix_view", "nnviz.views.workbench.matrix_canvas",
                "nnviz.engine.stepping.matrix_trace", "nnviz.engine.stepping.matrix_tokens")

_SCRIPT = """
import sys
from PySide6.QtCore import QSettings
from nnviz.app import make_app
from nnviz.views.main_window import MainWindow
app = make_app()
win = MainWindow(settings=QSettings(sys.argv[1], QSettings.Format.IniFormat))
win.start()
win.show()
for _ in range(20):
    app.processEvents()
assert win.current_lab_name == "workbench" and win.isVisible()
print(",".join(m for m in sys.argv[2].split(",") if m in sys.modules))
"""


def test_the_first_window_imports_nothing_it_does_not_show(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-c", _SCRIPT, str(tmp_path / "s.ini"),
                        ",".join(NOT_AT_START)], env=env, capture_output=True, text=True,
                       timeout=120, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == ""


_ORDER_SCRIPT = """
import sys

class Stop:
    def find_spec(self, name, path=None, target=None):
        if name == "nnviz.app":
            print("numpy" in sys.modules, "nnviz.engine.teaching.lessons" in sys.modules,
                  "PySide6" in sys.modules)
            raise SystemExit(0)
        return None

sys.meta_path.insert(0, Stop())
from nnviz.cli import main
main([])
"""


def test_numpy_and_the_engine_are_imported_before_qt(tmp_path):
    """Once PySide6 is imported, its import hook reads the source of every module imported
    after it (looking for ``__feature__``); `nnviz`'s start imports NumPy and the engine
    first, so their modules skip that (nnviz/cli.py)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-c", _ORDER_SCRIPT], env=env, capture_output=True,
                       text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == ["True", "True", "False"]
