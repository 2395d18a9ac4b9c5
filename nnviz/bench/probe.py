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


def _watch(app, is_main, give_up_ms: int | None = 60_000) -> None:
    """Report after the first paint of a widget of the main window has been handled.

    A Python event filter on the whole application is called for every event of every
    widget: watching the start that way sent nnviz's ~3,400 events before its first paint
    through Python (the bare window's ~430), and timed those calls as the app's own (nnviz
    itself never filters the whole application: see nnviz/views/keys.py). So the probe
    watches in stages, each seeing as few events as it can: the application only until
    the main window's first event, then the main window until its native window exists,
    then the native window until it is first exposed, and only from that expose (which
    paints the window) the application again, until the first paint. ``give_up_ms``:
    exit with status 3 if nothing is reported by then (None: wait for ever)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Filter(QObject):
        stage = "window"   # window -> native -> expose -> paint -> done
        win = None
        seen = 0   # the events it was shown

        def eventFilter(self, obj, event):  # noqa: N802 - Qt API
            self.seen += 1
            if self.stage == "window" and is_main(obj):
                self.stage, self.win = "native", obj
                app.removeEventFilter(self)
                obj.installEventFilter(self)
            if self.stage == "native" and obj is self.win:
                handle = obj.windowHandle()
                if handle is not None:
                    self.stage = "expose"
                    obj.removeEventFilter(self)
                    handle.installEventFilter(self)
            elif self.stage == "expose" and event.type() == QEvent.Type.Expose:
                self.stage = "paint"
                obj.removeEventFilter(self)
                app.installEventFilter(self)
            elif (self.stage == "paint" and event.type() == QEvent.Type.Paint
                    and hasattr(obj, "window") and is_main(obj.window())):
                self.stage = "done"
                app.removeEventFilter(self)
                QTimer.singleShot(0, _report)
            return False

    app._probe_filter = Filter()
    app.installEventFilter(app._probe_filter)
    if give_up_ms is not None:
        QTimer.singleShot(give_up_ms, lambda: os._exit(3))  # never hang the benchmark


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
