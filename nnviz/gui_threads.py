"""Qt paints on the GUI thread alone: ``QT_NO_GUI_THREADPOOL=1`` in the environment
before Qt paints anything, set by the entry points (``nnviz``, ``python -m nnviz``,
``python -m nnviz.bench``) beside the one BLAS thread (:mod:`nnviz.blas_threads`).

Qt's raster engine hands a fill of more than a few dozen scanlines (a pyqtgraph plot's
background, an antialiased edge of the network, an image scaled into a node) to a
pool of helper threads and waits for them. nnviz's fills are small, so the hand-off
and the wait cost more than the fill; on a 2-core machine whose other core trains or
computes a grid, the helper often waits for a core too. Measured per frame of live
training in the Training lab (the drawing's CPU in the whole process, medians of 150
frames, shared machine at load ~9): 13-16 ms with the pool against 9-12 ms without on
the Playground networks a / b / c. The pictures are the same: only who paints them
changes. A value the user set is kept (Qt reads only whether the variable is set).

This module imports nothing but ``os``, so an entry point can call :func:`serial_painting`
before anything imports Qt.
"""

from __future__ import annotations

import os

VARIABLE = "QT_NO_GUI_THREADPOOL"


def serial_painting() -> None:
    """Ask Qt to paint without its helper threads (where the user set nothing)."""
    os.environ.setdefault(VARIABLE, "1")
