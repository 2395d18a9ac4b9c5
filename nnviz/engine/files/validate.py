"""Small validators for data read from files: every failure names the key."""

from __future__ import annotations

import json
import math
import os
import re
import stat
from pathlib import Path
from typing import Any

import numpy as np

# what nnviz itself writes for the largest network it takes (2 M weights: ~55 MB as text)
# plus a data set of the same size, with room to spare; saving refuses to write more
MAX_FILE_BYTES = 160 * 1024 * 1024
MAX_LAYER_SIZE = 4096
MAX_LAYERS = 64
MAX_PARAMS = 2_000_000
MAX_DIGITS = 300


class FormatError(ValueError):
    """A file or value does not have the expected form; the message names where."""


def read_json(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> Any:
    """Read a JSON file, refusing empty, huge, binary or malformed files with a clear message."""
    p = Path(path)
    raw = read_bytes(p, max_bytes)
    try:
        return loads_json(raw, max_bytes)
    except FormatError as e:
        raise FormatError(f"{p}: {e}") from None


def read_bytes(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; FormatError (naming the file)
    for anything else — a directory, a device such as /dev/zero (also through a symlink),
    a pipe (never waited on), an unreadable or over-size file. Never reads more than
    ``max_bytes + 1`` bytes."""
    p = Path(path)
    try:
        st = os.stat(p)
        if not stat.S_ISREG(st.st_mode):
            raise FormatError(f"{p}: not a regular file ({_kind(st.st_mode)})")
        if st.st_size > max_bytes:
            raise FormatError(f"{p}: the file is {st.st_size} bytes, over the limit of "
                              f"{max_bytes}")
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped after the check
                raise FormatError(f"{p}: not a regular file")
            chunks, total = [], 0
            while total <= max_bytes:
                chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
        finally:
            os.close(fd)
    except OSError as e:
        raise FormatError(f"{p}: cannot read ({e.strerror or e})") from None
    if total > max_bytes:
        raise FormatError(f"{p}: the file is over the limit of {max_bytes} bytes")
    return b"".join(chunks)


def read_text(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """A regular UTF-8 text file (see :func:`read_bytes`); a leading byte-order mark is
    dropped. FormatError naming the file if it is not UTF-8."""
    raw = read_bytes(path, max_bytes)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise FormatError(f"{Path(path)}: not a UTF-8 text file (byte {e.start})") from None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def loads_json(text: str | bytes, max_bytes: int = MAX_FILE_BYTES) -> Any:
    """Parse JSON text (or UTF-8 bytes): empty, over-size, binary, malformed or non-finite
    input raises FormatError with a clear message (line and column for bad JSON)."""
    if len(text) == 0:
        raise FormatError("the file is empty")
    if len(text) > max_bytes:
        raise FormatError(f"the file is over the limit of {max_bytes} bytes")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise FormatError(f"not a UTF-8 text file (byte {e.start})") from None
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_float=finite_float)
    except json.JSONDecodeError as e:
        raise FormatError(f"not valid JSON at line {e.lineno}, column {e.colno}: {e.msg}") \
            from None
    except RecursionError:
        raise FormatError("JSON nested too deeply") from None
    except FormatError:
        raise
    except ValueError as e:  # e.g. an integer with thousands of digits
        raise FormatError(_big_number_where(text) or str(e)[:200]) from None


_KEY_PATH = re.compile(r"^([A-Za-z_][\w.\[\]]*): ")
_NAME = re.compile(r"[A-Za-z_]\w*")


def key_line(text: str | bytes, key: str) -> int | None:
    """The line of the file where the key path ``key`` (``settings.losses[1]``) is
    written: its names are looked for one after the other (indices are skipped)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    pos, found = 0, False
    for name in _NAME.findall(key):
        m = re.compile('"' + re.escape(name) + r'"\s*:').search(text, pos)
        if m is None:
            break
        pos, found = m.start(), True
    return text.count("\n", 0, pos) + 1 if found else None


def with_line(text: str | bytes, message: str) -> str:
    """``message`` (which starts with a key path) with the line of that key in front."""
    m = _KEY_PATH.match(message)
    line = key_line(text, m.group(1)) if m else None
    return f"line {line}: {message}" if line else message


def _big_number_where(text: str) -> str:
    """Where the first over-long integer of ``text`` is: its line and key."""
    m = re.search(r"\d{1000,}", text)
    if m is None:
        return ""
    line = text.count("\n", 0, m.start()) + 1
    keys = re.findall(r'"([^"\\]{1,60})"\s*:', text[max(0, m.start() - 2000):m.start()])
    key = f"key '{keys[-1]}': " if keys else ""
    return (f"line {line}: {key}a whole number of {m.end() - m.start()} digits is too long "
            f"(at most {MAX_DIGITS})")


def finite_float(text: str) -> float:
    """JSON float hook: numbers that overflow to infinity (1e999) are refused."""
    f = float(text)
    if not math.isfinite(f):
        raise FormatError(f"the number {text[:40]} is too large (numbers must be finite)")
    return f


def _reject_constant(name: str) -> Any:
    raise FormatError(f"{name} is not allowed (numbers must be finite)")


def need(d: Any, key: str, where: str) -> Any:
    """d[key], or FormatError naming the missing key."""
    if not isinstance(d, dict):
        raise FormatError(f"{where}: expected an object")
    if key not in d:
        raise FormatError(f"{where}: missing key '{key}'")
    return d[key]


def check_header(d: Any, fmt: str, version: int, where: str) -> None:
    """A versioned nnviz file: a JSON object whose 'format' and 'version' are as expected."""
    if not isinstance(d, dict):
        raise FormatError("the top level must be a JSON object")
    f = need(d, "format", where)
    if f != fmt:
        raise FormatError(f"format: must be {fmt!r}, got {f!r}"[:200])
    v = as_int(need(d, "version", where), "version")
    if v != version:
        raise FormatError(f"version: unknown version {v}; this nnviz reads version {version}")


def as_str(v: Any, where: str, max_len: int = 20000) -> str:
    if not isinstance(v, str):
        raise FormatError(f"{where}: expected text, got {type(v).__name__}")
    if len(v) > max_len:
        raise FormatError(f"{where}: text longer than {max_len} characters")
    return v


def as_bool(v: Any, where: str) -> bool:
    if not isinstance(v, bool):
        raise FormatError(f"{where}: expected true or false, got {v!r}"[:200])
    return v


def as_number(v: Any, where: str, lo: float = -math.inf, hi: float = math.inf) -> float:
    """A finite number within [lo, hi]."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise FormatError(f"{where}: expected a number, got {type(v).__name__}")
    try:
        f = float(v)
    except OverflowError:
        raise FormatError(f"{where}: the number is too large") from None
    if not math.isfinite(f):
        raise FormatError(f"{where}: the number must be finite")
    if not lo <= f <= hi:
        raise FormatError(f"{where}: {f:g} is outside [{lo:g}, {hi:g}]")
    return f


def as_int(v: Any, where: str, lo: int = -(2**31), hi: int = 2**31) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        else:
            raise FormatError(f"{where}: expected a whole number, got {v!r}"[:200])
    if not lo <= v <= hi:
        raise FormatError(f"{where}: {v} is outside [{lo}, {hi}]")
    return int(v)


_NUMBER_TYPES = frozenset((float, int))


def leaf_rows(v: Any, depth: int) -> list[list] | None:
    """The innermost lists of ``depth``-deep nested lists whose leaves are all plain
    numbers (float or int, never bool), or None if anything is else (the caller's
    element-by-element check then names the fault). One C-level pass per row."""
    rows = [v]
    for _ in range(depth - 1):
        nxt: list = []
        for r in rows:
            if type(r) is not list:
                return None
            nxt.extend(r)
        rows = nxt
    for r in rows:
        if type(r) is not list or not _NUMBER_TYPES.issuperset(map(type, r)):
            return None
    return rows


def numbers_of(rows: list[list]) -> np.ndarray | None:
    """The numbers of :func:`leaf_rows` as one flat float64 array (row by row, so no
    single call runs long), or None if one does not fit a float64 (a huge integer)."""
    try:
        parts = [np.array(r, dtype=np.float64) for r in rows]
    except (OverflowError, ValueError, TypeError):
        return None
    return np.concatenate(parts) if parts else np.zeros(0)


def _fast_array(v: Any, shape: tuple[int | None, ...]) -> np.ndarray | None:
    """:func:`as_array`'s result for a well-formed finite numeric list of 1 or 2 levels;
    None for anything else (the full check then finds and names the fault)."""
    if len(shape) not in (1, 2) or type(v) is not list or len(v) > MAX_PARAMS \
            or (len(shape) == 2 and not v):
        return None
    if shape[0] is not None and len(v) != shape[0]:
        return None
    rows = leaf_rows(v, len(shape))
    if rows is None:
        return None
    if len(shape) == 2:
        width = shape[1] if shape[1] is not None else (len(rows[0]) if rows else 0)
        if any(len(r) != width for r in rows):
            return None
    flat = numbers_of(rows)
    if flat is None or not np.isfinite(flat).all():
        return None
    return flat.reshape((len(v),) if len(shape) == 1 else (len(v), width))


def as_array(v: Any, where: str, shape: tuple[int | None, ...]) -> np.ndarray:
    """A finite float64 array of the given shape (None = any length)."""
    fast = _fast_array(v, shape)
    if fast is not None:
        return fast

    def check(x: Any, depth: int, path: str) -> None:
        if depth == len(shape):
            as_number(x, path)
            return
        if not isinstance(x, list):
            raise FormatError(f"{path}: expected a list")
        want = shape[depth]
        if want is not None and len(x) != want:
            raise FormatError(f"{path}: expected {want} entries, got {len(x)}")
        if depth == 0 and len(x) > MAX_PARAMS:
            raise FormatError(f"{path}: too many entries")
        for i, e in enumerate(x):
            check(e, depth + 1, f"{path}[{i}]")

    check(v, 0, where)
    try:
        arr = np.array(v, dtype=np.float64)
    except ValueError:
        raise FormatError(f"{where}: rows of different lengths") from None
    if arr.ndim != len(shape):
        raise FormatError(f"{where}: rows of different lengths")
    return arr
