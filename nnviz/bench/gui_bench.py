"""GUI figures, offscreen: live training in the training lab, micro-step latency in the
workbench, and the network graph redrawing a 784-100-10 network.

A *frame* is one repaint cycle of the top-level window (a Qt UpdateRequest) in
which a widget of the measured view was actually painted (for live training: the
decision map, which repaints only when its image changed); paint events are
counted by an application-wide event filter, so nothing in the labs is changed
for the benchmark. Each function returns None when the lab it needs is not in
this build.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from nnviz.bench.engine_bench import PLAYGROUND_CFG, playground
from nnviz.views.labs import available_labs


class FrameCounter(QObject):
    """Counts repaint cycles of ``root.window()`` that painted something inside ``root``.

    ``each_widget``: the filter sits on the window and on ``root``'s widgets (those made
    later are added at each repaint cycle) instead of on the whole application. An
    application-wide Python filter is called for every event of every object, and PySide
    wraps each in Python objects: in a live-training frame that cost about a tenth of the
    drawing, which the app itself never pays."""

    def __init__(self, root: QWidget, each_widget: bool = False) -> None:
        super().__init__()
        self.root = root
        self.top = root.window()
        self.frames = 0
        self.paints = 0
        self._painted = False
        self._watched: dict[int, QWidget] = {}
        if each_widget:
            self.top.installEventFilter(self)
            self._watch()
        else:
            QApplication.instance().installEventFilter(self)
        self._app_wide = not each_widget

    def _watch(self) -> None:
        for w in (self.root, *self.root.findChildren(QWidget)):
            if id(w) not in self._watched:
                self._watched[id(w)] = w
                w.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        t = event.type()
        if t == QEvent.Type.Paint:
            if isinstance(obj, QWidget) and (obj is self.root or self.root.isAncestorOf(obj)):
                self._painted = True
                self.paints += 1
        elif t == QEvent.Type.UpdateRequest and obj is self.top:
            self.flush()
            if not self._app_wide:
                self._watch()
        return False

    def flush(self) -> None:
        if self._painted:
            self.frames += 1
            self._painted = False

    def close(self) -> None:
        self.flush()
        if self._app_wide:
            QApplication.instance().removeEventFilter(self)
            return
        import shiboken6

        for w in (self.top, *self._watched.values()):
            if shiboken6.isValid(w):
                w.removeEventFilter(self)
        self._watched.clear()


def _window(lesson=None):
    """A main window on a private, empty settings file, 1280 x 720, shown offscreen."""
    from nnviz.views.main_window import MainWindow

    tmp = tempfile.mkdtemp(prefix="nnviz-bench-")
    settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings)
    win.resize(1280, 720)
    if lesson is not None:
        win.doc.load_lesson(lesson)
    else:
        win.start()
    win.show()
    _spin(0.05)
    return win


def _close(win) -> None:
    for page in win.labs.values():
        page.shutdown()
    win.close()
    win.deleteLater()
    _spin(0.02)


def _run_loop(seconds: float) -> None:
    """Run the Qt event loop for ``seconds``, exactly as the app's own loop runs."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def _spin(seconds: float) -> None:
    app = QApplication.instance()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.0005)


# ------------------------------------------------------------ live training
def _reference_lesson(name: str):
    """Playground's configuration a, b or c as a training-lab lesson."""
    from nnviz.engine.core.network import Network
    from nnviz.engine.teaching.lessons import parse_lesson

    s = playground(name)
    kind = {"a": "circle", "b": "spiral", "c": "spiral"}[name]
    net: Network = s.net
    raw = {
        "format": "nnviz-lesson", "version": 1, "name": f"bench-{name}",
        "title": f"Benchmark: Playground configuration {name}", "lab": "training",
        "network": {"sizes": net.sizes, "layers": [
            {"activation": "tanh", "weights": w.tolist(), "bias": b.tolist()}
            for w, b in zip(net.weights, net.biases)]},
        "data": {"generator": kind, "n": 500, "noise": 0.0, "seed": 0, "labels": "pm1"},
        "training": {"loss": "mse", "eta": PLAYGROUND_CFG.eta,
                     "batch_size": PLAYGROUND_CFG.batch_size, "seed": 0},
        "settings": {"dataset": kind, "n": 500, "noise": 0.0, "split": 0.5, "seed": 0},
    }
    return parse_lesson(raw)


def _samples(ctl) -> int:
    """Training samples used so far: whole epochs times the training set (the last,
    smaller batch of an epoch counted as it is)."""
    return int(ctl.epoch) * len(ctl.net_data.x_train)


def live_train(name: str, seconds: float) -> dict[str, float] | None:
    """Samples per second and frames per second of the training lab training at full speed."""
    if "training" not in available_labs():
        return None
    return _live(_reference_lesson(name), seconds, lambda lab: lab.map)


def live_train_keras(seconds: float) -> dict[str, float] | None:
    """The same for the keras lab (64-32-64-10 with dropout on the 8x8 digits): a frame
    is a repaint of its first-layer weight images. Played first to the lesson's 60 epochs,
    where Play stops (as the notes' fit), then timed as a run that goes on."""
    if "training" not in available_labs():
        return None
    from nnviz.engine.teaching.lessons import load_lesson

    return _live(load_lesson("keras-lab"), seconds, lambda lab: lab.thumbs, past_stop=True)


def _live(lesson, seconds: float, frame_widget, past_stop: bool = False) -> dict[str, float]:
    win = _window(lesson)
    try:
        win.show_lab("training")
        lab = win.current_lab
        ctl = lab.ctl
        ctl.set_speed(0)
        _spin(0.2)
        if past_stop:
            ctl.playback.play()
            end = time.perf_counter() + 20.0
            while ctl.playback.playing and time.perf_counter() < end:
                _spin(0.05)
            ctl.playback.pause()
        ctl.playback.play()
        _warm_up(ctl)
        # a frame: a repaint of the decision map or the weight images (they repaint only
        # when their image changed; other widgets, e.g. the run panel's labels, repaint
        # more often)
        counter = FrameCounter(frame_widget(lab), each_widget=True)
        s0, e0 = _samples(ctl), ctl.epoch
        t0, c0 = time.perf_counter(), time.thread_time()
        _run_loop(seconds)
        dt, dc = time.perf_counter() - t0, time.thread_time() - c0
        ctl.playback.pause()
        _spin(0.05)
        counter.close()
        return {"samples_per_s": (_samples(ctl) - s0) / dt, "fps": counter.frames / dt,
                "epochs": ctl.epoch - e0,
                "gui_cpu_ms_per_frame": 1000 * dc / max(1, counter.frames)}
    finally:
        _close(win)


def _warm_up(ctl) -> None:
    """Play until the worker process trains the slices (at most 5 s; where the lab hands
    slices to one: controllers/training/remote.py), so the figure is of the steady state."""
    _run_loop(0.3)
    worker = ctl.fast.remote
    end = time.perf_counter() + 5.0
    while worker.started and not worker.usable and time.perf_counter() < end:
        _run_loop(0.1)


# ------------------------------------------------------------ micro-step latency
def _latency_lesson(key: str):
    from nnviz.engine.teaching.lessons import load_lesson

    return load_lesson("mazur-2-2-2" if key == "mazur-2-2-2" else "keras-lab")


def _wait_repainted(counter: FrameCounter, t0: float, quiet: float = 0.08,
                    limit: float = 2.0) -> float | None:
    """Seconds from t0 to the end of the last repaint, once nothing painted for ``quiet``."""
    app = QApplication.instance()
    last = None
    while True:
        before = counter.paints
        app.processEvents()
        now = time.perf_counter()
        if counter.paints != before:
            last = now
        ref = last if last is not None else t0
        if now - ref > (quiet if last is not None else 0.5) or now - t0 > limit:
            return None if last is None else last - t0
        time.sleep(0.0002)


def step_latency(key: str, presses: int) -> dict[str, float] | None:
    """Median and 95th percentile (ms) from a Right key press to all views repainted."""
    if "workbench" not in available_labs():
        return None
    lesson = _latency_lesson(key)
    win = _window(lesson)
    try:
        win.show_lab("workbench")
        win.activateWindow()
        win.raise_()
        _spin(0.2)
        counter = FrameCounter(win.current_lab)
        times: list[float] = []
        misses = 0
        while len(times) < presses and misses < 5:
            t0 = time.perf_counter()
            QTest.keyClick(win, Qt.Key.Key_Right)
            dt = _wait_repainted(counter, t0)
            if dt is None:  # the end of the trace: start again
                misses += 1
                win.doc.load_lesson(lesson)
                _spin(0.1)
                continue
            times.append(dt * 1000)
        counter.close()
        if not times:
            return None
        times.sort()
        p95 = times[min(len(times) - 1, int(np.ceil(0.95 * len(times))) - 1)]
        return {"median": statistics.median(times), "p95": p95, "presses": len(times)}
    finally:
        _close(win)


# ------------------------------------------------------------ big graph
def graph_redraw(seconds: float) -> dict[str, float] | None:
    """Frames per second of the network graph showing 784-100-10 with every weight changing."""
    try:
        from nnviz.views.items.network_graph import NetworkGraphWidget
    except ImportError:
        return None
    from nnviz.engine.core.naming import Naming
    from nnviz.engine.core.network import Network

    rng = np.random.default_rng(0)
    net = Network.create([784, 100, 10], "sigmoid", rng)
    naming = Naming.layered(net.sizes)  # made once, as a lesson's naming is
    w = NetworkGraphWidget()
    w.resize(1280, 720)
    w.set_network(net, naming)
    w.show()
    _spin(0.2)
    counter = FrameCounter(w)
    app = QApplication.instance()
    t0 = time.perf_counter()
    end = t0 + seconds
    while time.perf_counter() < end:
        for W in net.weights:
            W += rng.normal(0.0, 0.05, W.shape)
        w.set_network(net, naming)
        f = counter.frames
        # run the event loop until this change has been painted (at most 10 s)
        limit = time.perf_counter() + 10.0
        while counter.frames == f and time.perf_counter() < limit:
            app.processEvents()
            counter.flush()  # counts the cycle if it painted
    dt = time.perf_counter() - t0
    counter.close()
    frames = counter.frames
    w.close()
    w.deleteLater()
    _spin(0.02)
    return {"fps": frames / dt}


def gui_figures(quick: bool) -> dict[str, Any]:
    """All GUI figures (None where a lab is missing)."""
    out: dict[str, Any] = {"live_train": {}, "step_latency_ms": {}, "graph_redraw": {}}
    for name in "abc":
        out["live_train"][name] = live_train(name, 0.4 if quick else 4.0)
    out["live_train"]["keras"] = live_train_keras(0.4 if quick else 4.0)
    for key in ("mazur-2-2-2", "64-32-64-10"):
        out["step_latency_ms"][key] = step_latency(key, 3 if quick else 40)
    out["graph_redraw"]["784-100-10"] = graph_redraw(0.3 if quick else 4.0)
    return out
