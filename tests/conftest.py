"""Test set-up: offscreen Qt, private settings, and helpers shared by the suites."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")


def _read_display(fd: int, proc: subprocess.Popen, timeout: float = 15.0) -> str | None:
    """The display number Xvfb writes to ``fd`` once it accepts connections (None if it
    exits or says nothing in ``timeout`` seconds)."""
    import select

    text, end = b"", time.monotonic() + timeout
    while b"\n" not in text and time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            chunk = os.read(fd, 16)
            if not chunk:
                break
            text += chunk
        elif proc.poll() is not None:
            break
    number = text.split(b"\n")[0].strip()
    return number.decode() if number.isdigit() else None


def _start_xvfb() -> None:
    """Give this test process an X server of its own, so the 3-D tests' subprocesses can
    make OpenGL contexts (in-process tests run on the offscreen platform).

    Xvfb picks a free display itself (``-displayfd``): the two workers of a parallel run,
    and other runs on the machine, each get their own, and a lock file left by a killed
    server is no obstacle. Without Xvfb (or with DISPLAY already set) nothing happens; GL
    tests then run if a context can be made and skip with the reason otherwise.
    """
    if os.environ.get("DISPLAY") or not shutil.which("Xvfb"):
        return
    r, w = os.pipe()
    try:
        proc = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1600x1200x24",
                                 "-nolisten", "tcp"], pass_fds=(w,),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    finally:
        os.close(w)
    try:
        number = _read_display(r, proc)
    finally:
        os.close(r)
    if number is None:
        proc.terminate()
        return
    os.environ["DISPLAY"] = f":{number}"
    atexit.register(proc.terminate)


import pytest  # noqa: E402
from hypothesis import settings as _hypothesis_settings  # noqa: E402

# The fuzz tests draw the same examples on every run, so a run of the suite (and CI) is
# repeatable; NNVIZ_FUZZ=explore draws new ones each run to hunt for new bad inputs.
_hypothesis_settings.register_profile("repeatable", derandomize=True)
_hypothesis_settings.register_profile("explore", derandomize=False)
_hypothesis_settings.load_profile(
    "explore" if os.environ.get("NNVIZ_FUZZ") == "explore" else "repeatable")


def pytest_xdist_auto_num_workers(config) -> int | None:
    """``-n auto`` (pyproject's addopts): two worker processes for the whole suite (or a
    folder of it), where the machine has two cores; none, i.e. one process as without
    pytest-xdist, when test files or tests are named (a worker costs seconds to start).
    ``-n 0`` or ``-n 2`` on the command line (or PYTEST_XDIST_AUTO_NUM_WORKERS) decides
    otherwise."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None   # pytest-xdist's own rule reads it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    named = any(".py" in arg or "::" in arg for arg in config.args)
    return 0 if named or (cores or 1) < 2 else 2


def pytest_collection_modifyitems(config, items) -> None:
    """In a parallel run, the modules marked ``slow`` first (in their order, each module's
    tests in theirs): the workers take one module at a time (``--dist loadfile``, so a
    module's shared windows stay in one process), and a long module taken last ran alone
    for minutes while the other worker idled."""
    if hasattr(config, "workerinput"):
        items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_configure(config) -> None:
    """Each process that runs tests starts its own Xvfb (a parallel run's controller only
    hands out tests, so it starts none)."""
    if hasattr(config, "workerinput") or config.getoption("dist", "no") == "no":
        _start_xvfb()


@pytest.fixture(autouse=True, scope="session")
def _private_settings(tmp_path_factory):
    """Keep QSettings of tests away from the user's real settings."""
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("nnviz-tests")
    QCoreApplication.setApplicationName("nnviz-tests")
    path = str(tmp_path_factory.mktemp("settings"))
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.NativeFormat, scope, path)
        QSettings.setPath(QSettings.Format.IniFormat, scope, path)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    yield


@pytest.fixture
def settings(tmp_path):
    """A fresh, empty settings file for one test."""
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def main_window(qtbot, settings):
    """The main window on the default lesson, shown offscreen; closed after the test."""
    from nnviz.views.main_window import MainWindow

    win = MainWindow(settings=settings)
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.start()
    win.show()
    qtbot.waitExposed(win)
    yield win
    for page in win.labs.values():
        page.shutdown()


_GL_PROBE = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from nnviz.views.gl import gl_status
ok, why = gl_status()
print("OK" if ok else "NO " + why)
"""
_gl_env_cache: dict = {}


@pytest.fixture
def gl_env():
    """Environment for a subprocess that can show OpenGL views (xcb on Xvfb).

    In-process tests run on the offscreen platform, which has no OpenGL windows, so
    3-D tests run a small script in a subprocess with this environment. Skips, with
    the reason, where no X server or no OpenGL context is available.
    """
    import sys
    from pathlib import Path

    if "env" not in _gl_env_cache:
        env = dict(os.environ, QT_QPA_PLATFORM="xcb")
        root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
        if not env.get("DISPLAY"):
            _gl_env_cache["env"] = (None, "no X server (install xvfb)")
        else:
            r = subprocess.run([sys.executable, "-c", _GL_PROBE], env=env, capture_output=True,
                               text=True, timeout=60, cwd=root)
            out = (r.stdout.strip().splitlines() or ["NO " + r.stderr.strip()[-200:]])[-1]
            _gl_env_cache["env"] = (env, "") if out == "OK" else (None, out[3:])
    env, why = _gl_env_cache["env"]
    if env is None:
        pytest.skip(f"OpenGL not available: {why}")
    return env
