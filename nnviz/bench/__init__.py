"""`nnviz bench`: every performance figure of nnviz from one command.

    nnviz bench [--quick] [--json FILE]        (also: python -m nnviz.bench)

Prints a table (figure, value, target, met?) and writes the figures as nested
JSON: ``engine_train.b.samples_per_s`` is ``data["engine_train"]["b"]["samples_per_s"]``.
A figure whose lab is not in this build is printed as "n/a (lab not available)"
and written as null. ``--quick`` runs every measurement briefly (a smoke test,
not a measurement). Runs offscreen.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from typing import Any

#: (dotted key, target, "min" (at least) or "max" (at most), unit) - the issue's targets
TARGETS: list[tuple[str, float | None, str, str]] = [
    ("engine_train.a.samples_per_s", None, "min", "samples/s"),
    ("engine_train.b.samples_per_s", 460_000, "min", "samples/s"),
    ("engine_train.c.samples_per_s", 130_000, "min", "samples/s"),
    *[(f"engine_train.{n}.vs_torch", 20, "min", "×") for n in "abc"],
    ("engine_train.keras.samples_per_s", None, "min", "samples/s"),
    ("engine_train.keras.vs_torch", 5, "min", "×"),
    ("engine_train.wide.samples_per_s", None, "min", "samples/s"),
    ("engine_train.wide.vs_torch", 1.5, "min", "×"),
    *[(f"optimiser_train.{o}.{n}.samples_per_s", None, "min", "samples/s")
      for o in ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam") for n in "abc"],
    ("live_train.a.samples_per_s", 415_000, "min", "samples/s"),
    ("live_train.a.fps", 30, "min", "fps"),
    ("live_train.a.engine_share", 0.5, "min", ""),
    ("live_train.a.gui_cpu_ms_per_frame", None, "max", "ms"),
    ("live_train.b.samples_per_s", 170_000, "min", "samples/s"),
    ("live_train.b.fps", 30, "min", "fps"),
    ("live_train.b.engine_share", 0.5, "min", ""),
    ("live_train.b.gui_cpu_ms_per_frame", None, "max", "ms"),
    ("live_train.b.after_3d_ratio", 0.9, "min", ""),
    ("after_workbench.never_shown", None, "min", "samples/s"),
    ("after_workbench.after_shown", None, "min", "samples/s"),
    ("after_workbench.ratio", 0.95, "min", ""),
    ("live_train.c.samples_per_s", 91_000, "min", "samples/s"),
    ("live_train.c.fps", 30, "min", "fps"),
    ("live_train.c.engine_share", 0.5, "min", ""),
    ("live_train.c.gui_cpu_ms_per_frame", None, "max", "ms"),
    ("live_train.keras.samples_per_s", 200_000, "min", "samples/s"),
    ("live_train.keras.fps", 30, "min", "fps"),
    ("step_latency_ms.mazur-2-2-2.median", 16, "max", "ms"),
    ("step_latency_ms.mazur-2-2-2.p95", None, "max", "ms"),
    ("step_latency_ms.mazur-2-2-2.after_3d_ratio", 1.1, "max", ""),
    ("step_latency_ms.64-32-64-10.median", 33, "max", "ms"),
    ("step_latency_ms.64-32-64-10.p95", None, "max", "ms"),
    ("graph_redraw.784-100-10.fps", 30, "min", "fps"),
    ("conv_train.digits.samples_per_s", None, "min", "samples/s"),
    ("live_conv.cnn-digits.samples_per_s", None, "min", "samples/s"),
    ("live_conv.cnn-digits.fps", None, "min", "fps"),
    ("surface.b_101.seconds", 0.05, "max", "s"),
    ("surface.b_101.float64_seconds", None, "max", "s"),
    ("surface.b_101.live_fps", 15, "min", "fps"),
    ("surface.b_101.refine_seconds", 0.25, "max", "s"),
    *[(f"file_open.{k}.{f}", None, "max", u) for k in ("workspace", "weights")
      for f, u in (("gui_stall_ms", "ms"), ("redraw_stall_ms", "ms"), ("seconds", "s"))],
    ("file_autosave.gui_ms", 50, "max", "ms"),
    ("file_autosave.gui_stall_ms", None, "max", "ms"),
    ("file_autosave.seconds", None, "max", "s"),
    ("startup.seconds", None, "max", "s"),
    ("startup.bare_qt_seconds", None, "max", "s"),
    ("startup.ratio", 1.3, "max", ""),
    ("peak_rss_mb", None, "max", "MB"),
]
KEYS = [k for k, *_ in TARGETS]
NA = "n/a (lab not available)"
NO_TORCH = "n/a (PyTorch not installed: pip install torch)"


def missing_text(key: str) -> str:
    """What the table shows for a figure that was not measured."""
    return NO_TORCH if key.endswith(".vs_torch") else NA


def get(data: dict[str, Any], key: str) -> Any:
    """The value at a dotted key (None if any part is missing)."""
    cur: Any = data
    for part in _split(key):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def _split(key: str) -> list[str]:
    # keys such as "mazur-2-2-2" contain no dots; "b_101" neither: a plain split works
    return key.split(".")


def _fmt(v: float, unit: str) -> str:
    if unit == "samples/s":
        return f"{v:,.0f} {unit}"
    if abs(v) >= 100:
        return f"{v:,.0f} {unit}".strip()
    return f"{v:.3g} {unit}".strip()


def table(data: dict[str, Any]) -> str:
    """The figures as a plain-text table with targets and whether each is met."""
    rows = [("figure", "value", "target", "")]
    for key, target, sense, unit in TARGETS:
        v = get(data, key)
        if v is None:
            rows.append((key, missing_text(key), "", ""))
            continue
        tgt = "" if target is None else ("≥ " if sense == "min" else "≤ ") + _fmt(target, unit)
        met = "" if target is None else ("met" if (v >= target if sense == "min"
                                                     else v <= target) else "MISSED")
        rows.append((key, _fmt(v, unit), tgt, met))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    m = data.get("machine", {})
    lines.append("")
    lines.append(f"machine: {m.get('cpu')}, {m.get('cores')} cores; Python {m.get('python')}, "
                 f"NumPy {m.get('numpy')} ({m.get('blas')}, "
                 f"{m.get('blas_threads')} BLAS thread(s)), Qt {m.get('qt')}, "
                 f"pyqtgraph {m.get('pyqtgraph')}; load average {m.get('load_average_1min')} "
                 f"at start, {m.get('load_average_end')} at end")
    return "\n".join(lines)


def _clean(obj: Any) -> Any:
    """JSON-safe: NaN/inf become null."""
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def run(quick: bool, log=print) -> dict[str, Any]:
    """Every measurement; returns the nested figures."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
    from nnviz.bench import machine

    t_start = time.perf_counter()
    data: dict[str, Any] = {"quick": quick, "machine": machine.machine_info()}
    _engine_figures(data, quick, log)
    _gui_figures(data, quick, log)
    data["peak_rss_mb"] = machine.peak_rss_mb()
    data["machine"]["load_average_end"] = machine.load_average()
    data["bench_seconds"] = time.perf_counter() - t_start
    return _clean(data)


def _engine_figures(data: dict[str, Any], quick: bool, log) -> None:
    """The engine alone: training a/b/c, the dense softmax networks, each optimiser, the
    CNN, the loss surface's picture, and start-up."""
    from nnviz.bench import engine_bench, startup

    log("engine training ...")
    data["engine_train"] = {n: engine_bench.engine_train(n, 0.15 if quick else 1.5,
                                                         1 if quick else 3) for n in "abc"}
    log("dense softmax networks (keras, wide), and PyTorch if installed ...")
    from nnviz.bench import dense_bench

    if not dense_bench.torch_available():
        log(dense_bench.TORCH_HINT)
    for n in dense_bench.SETUPS:
        data["engine_train"][n] = dense_bench.dense_train(n, 0.15 if quick else 1.5,
                                                          1 if quick else 3)
    log("fast trainer with each optimiser ...")
    from nnviz.engine.learning.optimisers import OPTIMISERS

    data["optimiser_train"] = {
        o: {n: {"samples_per_s": engine_bench.optimiser_train(n, o, 0.05 if quick else 0.4,
                                                              1 if quick else 2)}
            for n in "abc"} for o in OPTIMISERS}
    log("convolutional network ...")
    from nnviz.bench import conv_bench

    data["conv_train"] = {"digits": conv_bench.conv_train(0.15 if quick else 1.5,
                                                          1 if quick else 3)}
    log("loss surface ...")
    from nnviz.bench import surface_bench

    data["surface"] = {"b_101": surface_bench.picture_b101(1 if quick else 5)}
    log("start-up ...")
    data["startup"] = startup.startup(1 if quick else 21, warm_up=not quick)


def _gui_figures(data: dict[str, Any], quick: bool, log) -> None:
    """In a Qt application: live training, step latency, redraws, the Workbench, the live
    surface and CNN, files, and the 3-D view's after-effect."""
    from nnviz.bench import conv_bench, surface_bench

    log("GUI (live training, step latency, graph redraw) ...")
    from nnviz.app import make_app, settle_gc

    app = make_app(["nnviz-bench"])
    _quiet_offscreen_messages()
    import nnviz.views.main_window  # noqa: F401 - frozen with the rest, as in the app
    from nnviz.bench.gui_bench import gui_figures

    # garbage collected as the app collects it after its first paint: the modules frozen
    # out of the collector's sight, cyclic garbage collected between events
    settle_gc(app)

    data.update(gui_figures(quick))
    from nnviz.bench.workbench_after import after_workbench

    log("live training after the Workbench was shown ...")
    data["after_workbench"] = after_workbench(quick)
    _add_engine_share(data)
    live = surface_bench.live_b101(0.5 if quick else 4.0)
    data["surface"]["b_101"].update(live or {})
    data["live_conv"] = {"cnn-digits": conv_bench.conv_live(0.4 if quick else 4.0)}
    log("opening a 39 MB workspace, importing 39 MB of weights, autosaving ...")
    from nnviz.bench.file_bench import file_figures

    data.update(file_figures(quick))
    log("after a 3-D view (X11 with OpenGL, in a subprocess) ...")
    _add_after_3d(data, quick)

def _add_engine_share(data: dict[str, Any]) -> None:
    """live_train.X.engine_share: the live rate over the engine-only rate of the same
    network (both measured in this run)."""
    for name in "abc":
        live = data.get("live_train", {}).get(name)
        engine = get(data, f"engine_train.{name}.samples_per_s")
        if isinstance(live, dict) and engine:
            live["engine_share"] = live["samples_per_s"] / engine


def _add_after_3d(data: dict[str, Any], quick: bool) -> None:
    """The after-3-D ratios next to the figures they qualify (null without OpenGL)."""
    from nnviz.bench.gl_after import after_3d

    res = after_3d(quick)
    data["after_3d"] = res
    for group, sub, key in (("live_train", "b", "live_train_b"),
                            ("step_latency_ms", "mazur-2-2-2", "step_latency_mazur")):
        if isinstance(data.get(group, {}).get(sub), dict):
            data[group][sub]["after_3d_ratio"] = res[key]["ratio"] if res else None


def _quiet_offscreen_messages() -> None:
    """Drop the offscreen platform's notes (it cannot resize or raise windows)."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(mode, context, message: str) -> None:
        if "This plugin does not support" not in message:
            sys.stderr.write(message + "\n")

    qInstallMessageHandler(handler)


def main(quick: bool = False, json_path: str | None = None) -> int:
    """Entry point of `nnviz bench`; returns the exit status."""
    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    data = run(quick, log)
    print(table(data))
    missing = [k for k in KEYS if get(data, k) is None]
    if missing:
        print(f"\nnot measured (lab or PyTorch not available here): {', '.join(missing)}")
    if json_path:
        with open(json_path, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2, sort_keys=False)
            f.write("\n")
    return 0
