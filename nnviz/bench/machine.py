"""The machine a benchmark ran on, and the process's peak memory."""

from __future__ import annotations

import os
import platform
import resource
from typing import Any


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (or platform.processor())."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def machine_info() -> dict[str, Any]:
    """CPU model, cores, OS and the versions of Python, NumPy, Qt and pyqtgraph."""
    import numpy as np

    info: dict[str, Any] = {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "load_average_1min": load_average(),
    }
    try:
        cfg = np.show_config(mode="dicts")
        info["blas"] = cfg["Build Dependencies"]["blas"]["name"]
    except Exception:  # noqa: BLE001 - informative only
        info["blas"] = "unknown"
    from nnviz.blas_threads import current

    info["blas_threads"] = current()
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        info["pyside6"] = PySide6.__version__
        info["qt"] = qVersion()
    except ImportError:
        info["qt"] = None
    try:
        import pyqtgraph

        info["pyqtgraph"] = pyqtgraph.__version__
    except ImportError:
        info["pyqtgraph"] = None
    return info


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (ru_maxrss is KiB on Linux)."""
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1 / 1024 / 1024 if platform.system() == "Darwin" else 1 / 1024
    return kb * scale
