"""Reading and checking a large file in a child process, so the app's own process never
runs a long call that holds the interpreter lock (``json.loads`` of 50 MB is one C call
of seconds: a worker thread alone would freeze the window for that long).

The child (a fresh Python interpreter running this module: never a fork of the app)
reads the file with the bounded reader, parses it with ``json`` and validates all of it
with the same checks as a synchronous open. It answers with bytes only, on its stdout:

- ``E`` + a UTF-8 message: the file is refused (the message of the synchronous open);
- ``O`` + 8-byte length + a JSON header + float64 buffers: the decoded file as a
  *skeleton* (plain JSON, long lists of floats taken out) and those lists' numbers.

The app then rebuilds the same Python object ``json.loads`` gives (row by row, in short
calls) and validates it again itself before building anything: nothing from the child
is trusted or unpickled, and nothing is ever run from it.
"""

from __future__ import annotations

import json
import os
import select
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np

from nnviz.engine.files.validate import FormatError, leaf_rows, read_json

KINDS = ("workspace", "lesson", "weights", "json")  # json: a lesson or a weights file
MIN_PACKED = 256          # lists of fewer floats stay in the skeleton
MAX_DEPTH = 40            # the skeleton's packing looks no deeper
POLL_S = 0.05
_HEAD = struct.Struct("<Q")


class Cancelled(Exception):
    """The user cancelled the open; nothing changed."""


# ---------------------------------------------------------------- the app's side
def read_checked(path: str | Path, kind: str,
                 stop: threading.Event | None = None) -> tuple[str, Any]:
    """(kind, decoded file) of a file the child read and validated; ``kind`` "json"
    becomes "lesson" or "weights". FormatError with the refusal's message; Cancelled
    when ``stop`` is set (the child is stopped). Blocks the calling (worker) thread."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    root = str(Path(__file__).resolve().parents[3])  # where nnviz is imported from
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, root, str(path), kind],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, close_fds=True)
    try:
        msg = _read_all(proc, stop)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stdout.close()
    if not msg:
        raise FormatError(f"{Path(path).name}: the reader stopped (exit code "
                          f"{proc.returncode}) before answering; the file may be too large "
                          "for the memory left")
    return unpack(msg)


# a fresh interpreter (never a fork of the app, nothing of the app's state in it)
_CHILD = ("import sys; sys.path.insert(0, sys.argv[1]); "
          "from nnviz.engine.files.file_child import child_main; "
          "child_main(sys.argv[2], sys.argv[3], sys.stdout.buffer)")


def _read_all(proc: subprocess.Popen, stop: threading.Event | None) -> bytes:
    """Everything the child writes to its stdout, checking ``stop`` meanwhile."""
    fd = proc.stdout.fileno()
    chunks: list[bytes] = []
    while True:
        if stop is not None and stop.is_set():
            raise Cancelled()
        ready, _, _ = select.select([fd], [], [], POLL_S)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def unpack(msg: bytes) -> tuple[str, Any]:
    """The child's answer as (kind, object); FormatError for a refusal or a malformed
    answer."""
    if msg[:1] == b"E":
        raise FormatError(msg[1:].decode("utf-8", "replace"))
    if msg[:1] != b"O" or len(msg) < 1 + _HEAD.size:
        raise FormatError("the file reader's answer is malformed")
    (n,) = _HEAD.unpack_from(msg, 1)
    start = 1 + _HEAD.size
    try:
        head = json.loads(msg[start:start + n].decode("utf-8"))
        kind, obj, arrays = head["kind"], head["skeleton"], head["arrays"]
    except (ValueError, KeyError, TypeError):
        raise FormatError("the file reader's answer is malformed") from None
    pos = start + n
    for where, shape in arrays:
        count = int(np.prod(shape))
        if pos + 8 * count > len(msg) or len(shape) not in (1, 2):
            raise FormatError("the file reader's answer is malformed")
        flat = np.frombuffer(msg, np.float64, count, pos)
        pos += 8 * count
        obj = _put(obj, where, _as_lists(flat, shape))
    if pos != len(msg) or kind not in ("workspace", "lesson", "weights"):
        raise FormatError("the file reader's answer is malformed")
    return kind, obj


def _as_lists(flat: np.ndarray, shape: list[int]) -> list:
    """Python lists of floats, as json.loads makes them, in short calls."""
    if len(shape) == 1:
        out: list = []
        for i in range(0, len(flat), 4096):
            out.extend(flat[i:i + 4096].tolist())
        return out
    rows = flat.reshape(shape)
    return [r.tolist() for r in rows]


def _put(obj: Any, where: list, value: list) -> Any:
    """``obj`` with the null at key path ``where`` replaced by ``value``."""
    if not where:
        return value
    cur = obj
    for key in where[:-1]:
        cur = _step(cur, key)
    last = where[-1]
    _step(cur, last)  # checks the key is there
    if _step(cur, last) is not None:
        raise FormatError("the file reader's answer is malformed")
    cur[last] = value
    return obj


def _step(cur: Any, key: Any) -> Any:
    if isinstance(cur, dict) and isinstance(key, str) and key in cur:
        return cur[key]
    if isinstance(cur, list) and type(key) is int and 0 <= key < len(cur):
        return cur[key]
    raise FormatError("the file reader's answer is malformed")


# ---------------------------------------------------------------- the child's side
def child_main(path: str, kind: str, out) -> None:
    """Read, parse and check ``path``; write the answer (see the module's docstring) to
    the binary stream ``out``."""
    try:
        msg = _answer(Path(path), kind)
    except FormatError as e:
        msg = b"E" + str(e).encode("utf-8")
    except MemoryError:
        msg = b"E" + f"{Path(path).name}: not enough memory to read it".encode()
    except Exception as e:  # noqa: BLE001 - the app shows it instead of a crash
        msg = b"E" + f"{Path(path).name}: {type(e).__name__}: {e}"[:500].encode("utf-8")
    out.write(msg)
    out.flush()


def _answer(p: Path, kind: str) -> bytes:
    from nnviz.engine.files.weights_file import WEIGHTS_FORMAT, weights_from
    from nnviz.engine.files.workspace import workspace_from
    from nnviz.engine.teaching.lessons import lesson_from, read_lesson_json

    if kind == "workspace":
        obj = read_json(p)
        workspace_from(obj, p)
    elif kind == "weights":
        obj = read_json(p)
        weights_from(obj, p)
    else:
        obj, raw = read_lesson_json(p)
        fmt = obj.get("format") if isinstance(obj, dict) else None
        if kind == "json" and fmt == WEIGHTS_FORMAT:
            kind = "weights"
            weights_from(obj, p)
        else:
            kind = "lesson"
            lesson_from(obj, p, raw)
    return pack(kind, obj)


def pack(kind: str, obj: Any) -> bytes:
    """``O`` + header length + header (kind, skeleton, packed lists) + their floats."""
    arrays: list = []
    buffers: list[bytes] = []
    skeleton = _take_floats(obj, [], arrays, buffers, 0)
    head = json.dumps({"kind": kind, "skeleton": skeleton, "arrays": arrays},
                      allow_nan=False).encode("utf-8")
    return b"".join([b"O", _HEAD.pack(len(head)), head, *buffers])


def _take_floats(v: Any, where: list, arrays: list, buffers: list, depth: int) -> Any:
    """``v`` with its long lists of floats (one or two levels, rows of equal length)
    replaced by null; their key paths and shapes go to ``arrays``, bytes to ``buffers``."""
    if isinstance(v, dict) and depth < MAX_DEPTH:
        return {k: _take_floats(e, where + [k], arrays, buffers, depth + 1)
                for k, e in v.items()}
    if not isinstance(v, list) or depth >= MAX_DEPTH:
        return v
    shape = _float_shape(v)
    if shape is not None:
        arrays.append([where, shape])
        buffers.append(np.array(v, dtype=np.float64).tobytes())
        return None
    return [_take_floats(e, where + [i], arrays, buffers, depth + 1) for i, e in enumerate(v)]


def _float_shape(v: list) -> list[int] | None:
    """[n] or [n, m] if ``v`` is a long list of floats or of equal rows of floats (every
    number a float, so the rebuilt object is exactly the parsed one), else None."""
    if v and all(type(e) is float for e in v):
        return [len(v)] if len(v) >= MIN_PACKED else None
    rows = leaf_rows(v, 2) if v and type(v[0]) is list else None
    if rows is None or not rows[0]:
        return None
    m = len(rows[0])
    if len(rows) * m < MIN_PACKED or any(len(r) != m for r in rows):
        return None
    if not all(type(e) is float for r in rows for e in r):
        return None
    return [len(rows), m]
