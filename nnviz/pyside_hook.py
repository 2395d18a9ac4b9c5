"""A cheaper answer to the question PySide6 asks of every module imported after it.

PySide6 (PYSIDE-2029) records, for each newly imported module, whether the module uses
PySide, so its ``__feature__`` switches (snake_case, true_property) can apply per module:
``shibokensupport.feature._mod_uses_pyside`` answers by ``inspect.getsource(module)`` and
a search for the text "PySide6". ``inspect.getsource`` goes through ``linecache`` and
``tokenize`` and keeps every module's lines in memory: about 0.13 ms a module. nnviz
starts with 418 modules imported after PySide6 (NumPy's, pyqtgraph's and its own), so
the question cost 51-56 ms of a 0.66 s start; reading the file's bytes and searching them
for the same text gives the same answer in 12-13 ms (measured in one process, first paint
included; the answers compared module by module in tests/test_pyside_hook.py).

Only the way of reading changes: a module whose ``__file__`` is not a readable ``.py``
file (a compiled extension, a frozen or namespace module) is asked PySide's own way. Where
PySide has no such hook (another version), :func:`install` changes nothing.
"""

from __future__ import annotations

import sys
from types import ModuleType

#: the module of PySide6's support code that holds the question (imported with PySide6)
FEATURE_MODULE = "shibokensupport.feature"


def install(feature: ModuleType | None = None) -> bool:
    """Answer PySide's "does this module use PySide?" from the module's file (``feature``:
    the support module, by default the one PySide6 loaded). True if installed now or
    before; False where there is no such question to answer."""
    feature = feature if feature is not None else sys.modules.get(FEATURE_MODULE)
    own = getattr(feature, "_mod_uses_pyside", None)
    if own is None or not callable(own):
        return False
    if getattr(own, "nnviz_reads_file", False):
        return True

    def uses_pyside(module) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as f:
                    return b"PySide6" in f.read()
            except OSError:
                pass
        return own(module)

    uses_pyside.nnviz_reads_file = True   # type: ignore[attr-defined]
    uses_pyside.pyside_own = own          # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside
    return True
