"""The projector checks of tests/views/projector_fit.py at 1280x720, in a window of that
size (one file a size, so that pytest-xdist's --dist loadfile shares the sizes out)."""

from __future__ import annotations

from tests.views.projector_fit import *  # noqa: F403 - its tests, run here at this size
from tests.views.projector_fit import window_at

window = window_at((1280, 720))
