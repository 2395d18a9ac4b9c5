"""Per-window recovery files: each window autosaves to its own file in the recovery folder
(next to the settings file), guarded by a lock file that names its process
(``QLockFile``). A file whose lock is held belongs to a running window and is never
offered or touched by another; a file whose lock is free (its process died) is an orphan,
offered at the next start. A clean exit removes the window's own file and lock."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QLockFile

FOLDER = "recovery"
LEGACY_NAME = "nnviz-recovery.nnviz"   # the single recovery file of earlier versions


class RecoveryFiles:
    """The recovery file of one window, and the orphans of crashed windows."""

    _count = 0

    def __init__(self, settings_file: str) -> None:
        base = Path(settings_file).resolve().parent
        self.folder = base / FOLDER
        self.legacy = base / LEGACY_NAME
        RecoveryFiles._count += 1
        self.path = self.folder / f"window-{os.getpid()}-{RecoveryFiles._count}.nnviz"
        self._lock: QLockFile | None = None

    def _lock_path(self, p: Path) -> str:
        return str(p.with_suffix(".lock"))

    def claim(self) -> bool:
        """Hold this window's lock (before the first autosave)."""
        if self._lock is not None:
            return True
        self.folder.mkdir(parents=True, exist_ok=True)
        lock = QLockFile(self._lock_path(self.path))
        lock.setStaleLockTime(0)
        if not lock.tryLock(0):
            return False
        self._lock = lock
        return True

    def release(self, remove_file: bool) -> None:
        """A clean exit (``remove_file``) or, in tests, a simulated crash (keep the file)."""
        if remove_file:
            try:
                self.path.unlink()
            except OSError:
                pass
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def orphans(self) -> list[Path]:
        """Recovery files of windows that are not running (their lock is free)."""
        out = []
        if self.legacy.is_file():
            out.append(self.legacy)
        try:
            files = sorted(self.folder.glob("window-*.nnviz"))
        except OSError:
            files = []
        for p in files:
            if p == self.path:
                continue
            probe = QLockFile(self._lock_path(p))
            probe.setStaleLockTime(0)
            if probe.tryLock(0):  # nobody holds it: its window is gone
                probe.unlock()
                out.append(p)
        return out

    @staticmethod
    def set_aside(p: Path) -> Path:
        """Keep an unreadable recovery file under another name (never deleted unasked)."""
        aside = p.with_name(p.name + ".unreadable")
        try:
            os.replace(p, aside)
        except OSError:
            return p
        return aside

    @staticmethod
    def discard(p: Path) -> None:
        try:
            p.unlink()
        except OSError:
            pass
