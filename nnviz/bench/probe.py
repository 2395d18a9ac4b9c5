"""Start-up probe, run in a fresh process by the benchmark:

    python -m nnviz.bench.probe nnviz   # `python -m nnviz`, exactly, until its first paint
    python -m nnviz.bench.probe bare    # a bare PySide6 + pyqtgraph window, the same way

The parent puts its clock (time.time()) at spawn in NNVIZ_PROBE_T0. When the
main window's first paint event has been handled (the queued zero-timer after it
runs) the probe prints ``STARTUP <seconds since spawn>`` and exits at once.
"""

from __future__ import annotations

import os
import sys
import time


def _report() -> None:
    t0 = float(os.environ.get("NNVIZ_PROBE_T0", "nan"))
    sys.stdout.write(f"STARTUP {time.time() - t0:.6f}\n")
    sys.stdout.flush()
    os._exit(0)


def _watch(app, is_main) -> None:
    """Report after the first paint of a widget of the main window has been handled."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Filter(QObject):
        done = False

        def eventFilter(self, obj, event):  # noqa: N802 - Qt API
            if (not self.done and event.type() == QEvent.Type.Paint
                    and hasattr(obj, "window") and is_main(obj.window())):
                self.done = True
                QTimer.singleShot(0, _report)
            return False

    app._probe_filter = Filter()
    app.installEventFilter(app._probe_filter)
    QTimer.singleShot(60_000, lambda: os._exit(3))  # never hang the benchmark


class _WatchWhenImported:
    """A meta-path finder that, once ``nnviz.app`` has been imported by the app itself,
    wraps its ``make_app`` so the probe can watch the QApplication it makes. (Importing
    nnviz.app here, before ``python -m nnviz`` runs, would import Qt earlier than the app
    does.)"""

    def find_spec(self, name, path=None, target=None):
        if name != "nnviz.app":
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec(name)
        run_module_code = spec.loader.exec_module

        def exec_module(module) -> None:
            run_module_code(module)
            make_app = module.make_app

            def make_and_watch(argv=None):
                app = make_app(argv)
                if not hasattr(app, "_probe_filter"):
                    _watch(app, lambda w: w.objectName() == "nnviz-main-window")
                return app

            module.make_app = make_and_watch

        spec.loader.exec_module = exec_module
        return spec


def run_nnviz() -> None:
    import runpy

    sys.meta_path.insert(0, _WatchWhenImported())
    sys.argv = ["nnviz"]
    runpy.run_module("nnviz", run_name="__main__", alter_sys=True)


def run_bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    from nnviz import pyside_hook

    # the same import hook as nnviz's (nnviz/app.py): the ratio measures what nnviz adds
    pyside_hook.install()
    import pyqtgraph as pg

    app = QApplication(sys.argv[:1])
    win = QMainWindow()
    win.setObjectName("bare")
    win.setCentralWidget(pg.PlotWidget())
    win.resize(1280, 720)
    _watch(app, lambda w: w is win)
    win.show()
    app.exec()


if __name__ == "__main__":
    {"nnviz": run_nnviz, "bare": run_bare}[sys.argv[1]]()
