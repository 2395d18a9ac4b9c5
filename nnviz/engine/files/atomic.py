"""Atomic file writes: a crash or an error mid-write never leaves a half-written file.

The text goes to a temporary file in the same folder, is flushed and fsynced,
and only then replaces the target with ``os.replace`` (atomic on POSIX and on
Windows when both paths are on one volume). On any failure the temporary file
is removed and the previous file is untouched.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterable
from pathlib import Path

TEMP_PREFIX = ".nnviz-"
TEMP_SUFFIX = ".tmp"
STALE_SECONDS = 600   # a temporary file this old was left by a killed save


def write_atomic(path: str | Path, data: str | bytes | Iterable[str],
                 encoding: str = "utf-8") -> None:
    """Write ``data`` (or its pieces, written as they come: a large file is never one
    string) to ``path`` atomically; raise OSError on failure, or what the pieces raise
    (the old file intact either way).

    A symbolic link is written through (its target is replaced, the link stays); the
    file keeps its permissions (a new file gets the usual 0666 minus the umask, e.g.
    0644); the temporary name is short, so names of up to 255 characters work; and
    temporary files left by a killed save are removed."""
    target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    pieces = [data] if isinstance(data, (str, bytes, bytearray)) else data
    folder = target.parent if str(target.parent) else Path(".")
    mode = _mode_for(target)
    _remove_stale(folder)
    # (secrets.token_hex(6), without importing secrets: hmac and hashlib at start-up)
    tmp = folder / f"{TEMP_PREFIX}{os.urandom(6).hex()}{TEMP_SUFFIX}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            for piece in pieces:
                f.write(piece.encode(encoding) if isinstance(piece, str) else bytes(piece))
            f.flush()
            if hasattr(os, "fchmod"):
                os.fchmod(f.fileno(), mode)
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(folder)


def _mode_for(target: Path) -> int:
    """The permission bits the file should have: the old file's, else 0666 & ~umask."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def _remove_stale(folder: Path) -> None:
    """Remove this module's temporary files older than STALE_SECONDS (a killed save)."""
    try:
        names = [n for n in os.listdir(folder)
                 if n.startswith(TEMP_PREFIX) and n.endswith(TEMP_SUFFIX)]
    except OSError:
        return
    now = time.time()
    for n in names:
        p = folder / n
        try:
            if p.is_file() and not p.is_symlink() and now - p.stat().st_mtime > STALE_SECONDS:
                p.unlink()
        except OSError:
            continue


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable where the platform allows it (best effort)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
