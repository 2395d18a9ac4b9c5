"""Test set-up: offscreen Qt, private settings, and helpers shared by the suites."""

from __future__ import annotations

import atexit
import gc
import os
import shutil
import subprocess

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")


def _cache_bytecode() -> None:
    """Where PYTHONDONTWRITEBYTECODE is set (it is on the lead's machines), keep compiled
    modules anyway, under the temporary folder, never in the source tree: without them each
    test process compiles nnviz and pytest rewrites every test module's asserts afresh
    (collection took 18.7 s of CPU a process, 5.3 s with the cache), and so does every
    `python -m nnviz` a test starts (the environment passes the choice on)."""
    import sys
    import tempfile

    if not sys.dont_write_bytecode:
        return
    prefix = sys.pycache_prefix or os.path.join(tempfile.gettempdir(), "nnviz-test-pycache")
    sys.pycache_prefix, sys.dont_write_bytecode = prefix, False
    os.environ["PYTHONPYCACHEPREFIX"] = prefix
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


_cache_bytecode()


def _start_xvfb() -> None:
    """Give offscreen Qt an X server so OpenGL contexts can be made (3-D views).

    Without Xvfb (or with DISPLAY already set) nothing happens; GL tests then run
    if a context can be made and skip with the reason otherwise. Xvfb picks a free
    display itself (-displayfd): two test processes starting at once (pytest-xdist's
    workers) never race for one, and lock files left by a killed server are no reason
    to go without (a machine whose displays :90 to :109 all had stale locks ran every
    GL test as skipped). The server ends with the process that started it.
    """
    if os.environ.get("DISPLAY") or not shutil.which("Xvfb"):
        return
    import select

    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1600x1200x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(write_end,),
        preexec_fn=_die_with_parent)
    os.close(write_end)
    number = b""
    try:
        while select.select([read_end], [], [], 10.0)[0]:
            chunk = os.read(read_end, 16)
            if not chunk:
                break
            number += chunk
            if number.endswith(b"\n"):
                break
    finally:
        os.close(read_end)
    if number.strip().isdigit():
        os.environ["DISPLAY"] = f":{number.strip().decode()}"
        atexit.register(proc.terminate)
    else:
        proc.terminate()


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the parent dies (Linux), so a test process
    that is killed leaves no X server running."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


_start_xvfb()

import pytest  # noqa: E402
from hypothesis import settings as _hypothesis_settings  # noqa: E402

# The fuzz tests draw the same examples on every run, so a run of the suite (and CI) is
# repeatable; NNVIZ_FUZZ=explore draws new ones each run to hunt for new bad inputs.
_hypothesis_settings.register_profile("repeatable", derandomize=True)
_hypothesis_settings.register_profile("explore", derandomize=False)
_hypothesis_settings.load_profile(
    "explore" if os.environ.get("NNVIZ_FUZZ") == "explore" else "repeatable")


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


#: every main window made by the tests, held until the next test starts (see below)
_WINDOWS: list = []


@pytest.fixture(autouse=True, scope="session")
def _hold_windows():
    """Hold every MainWindow a test makes (see :func:`_windows_die_in_qt`)."""
    from nnviz.views.main_window import MainWindow

    made = MainWindow.__init__

    def init(self, *args, **kwargs):
        made(self, *args, **kwargs)
        _WINDOWS.append(self)

    MainWindow.__init__ = init
    yield
    MainWindow.__init__ = made


@pytest.fixture(autouse=True)
def _windows_die_in_qt(_hold_windows):
    """Cyclic garbage is collected here, between tests, and never during one: run
    automatically, the collector starts inside whatever call passes its threshold, and a
    test process hung for good with it inside pyqtgraph's ``QObject::disconnect``, a Qt
    object it freed waiting on the mutex that call held (the app does the same: see
    ``nnviz.app.settle_gc``).

    Before each test, Qt deletes the windows earlier tests closed (pytest-qt closes a
    test's widgets and calls deleteLater), and only then are they let go. A window left
    to Python's garbage collector was freed in an order that crashed the process (SIGSEGV
    in gc.collect while a later test built its window: the collector freed a child item's
    Python object before the window that deleted it, as with the undo commands of
    controllers/undo_bytes.py)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from nnviz.app import collect_due

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    _WINDOWS.clear()
    gc.disable()    # a test that switched it on
    collect_due()
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


def pytest_configure(config):
    """pytest-xdist's --dist loadfile hands out the files in the order collected (below),
    not reordered by how many tests each has: by that count the files of one or two long
    tests (the batch-norm walk, the bench, the monkey) came last and one process ran them
    alone at the end."""
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(items):
    """The files with the most ``slow`` tests first, then those with the most tests (the
    order pytest-xdist chose by itself); each file's tests in their own order."""
    files = [item.nodeid.split("::", 1)[0] for item in items]
    slow: dict[str, int] = {}
    count: dict[str, int] = {}
    first: dict[str, int] = {}
    for i, (item, path) in enumerate(zip(items, files)):
        first.setdefault(path, i)
        count[path] = count.get(path, 0) + 1
        slow[path] = slow.get(path, 0) + (item.get_closest_marker("slow") is not None)
    key = {id(item): (-slow[p], -count[p], first[p]) for item, p in zip(items, files)}
    items.sort(key=lambda item: key[id(item)])
