"""One BLAS thread: set before NumPy is imported, by the entry points (``nnviz``,
``python -m nnviz``, ``python -m nnviz.bench``).

nnviz's matrix products are small (a layer of at most a few hundred neurons by a
mini-batch of tens of samples). OpenBLAS splits such a product over its threads and
then spins waiting for them; on a 2-core machine that the GUI thread, the grid workers
and other programs share, the second thread is rarely free, and the wait costs more
than the split saves. Measured on the shared 2-core machine (load 8-10, the
784-100-10 softmax network, batches of 32): 18,800-20,500 samples/s with one thread,
2,400-2,500 with two. A value the user set in the environment is kept.

This module imports nothing but ``os`` and ``sys``, so an entry point can call
:func:`limit` before anything imports NumPy.
"""

from __future__ import annotations

import os
import sys

#: the environment variables the BLAS builds NumPy ships with read at import
VARIABLES = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")


def limit(threads: int = 1) -> bool:
    """Ask for ``threads`` BLAS threads where the user set none; True if it takes effect
    (NumPy not imported yet), False if NumPy was already imported (then only programs
    started from this one get the setting)."""
    for name in VARIABLES:
        os.environ.setdefault(name, str(threads))
    return "numpy" not in sys.modules


def current() -> int | None:
    """The number of threads the OpenBLAS that NumPy loaded will use (None where NumPy
    links another BLAS or the library cannot be asked); call after importing NumPy."""
    import ctypes

    try:
        with open("/proc/self/maps", encoding="utf-8") as f:
            paths = sorted({line.split()[-1] for line in f if "openblas" in line.lower()})
    except OSError:
        return None
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads",
                     "openblas_get_num_threads64_", "openblas_get_num_threads"):
            fn = getattr(lib, name, None)
            if fn is not None:
                return int(fn())
    return None
