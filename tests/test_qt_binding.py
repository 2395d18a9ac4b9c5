"""Guard against a broken Qt binding: PySide6 6.12.0 drops a reference to True on every
bool signal delivered to a Python slot, which crashes the interpreter after a few
thousand emissions (pyproject.toml pins PySide6 below 6.12 for this reason)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    flag = Signal(bool)


def test_bool_signals_keep_reference_counts(qapp):
    e = _Emitter()
    seen = []
    e.flag.connect(lambda v: seen.append(v) if len(seen) < 1 else None)
    before = sys.getrefcount(True)
    for _ in range(300):
        e.flag.emit(True)
    after = sys.getrefcount(True)
    assert seen == [True]
    assert abs(after - before) < 50, f"True lost {before - after} references"
