"""Messages between the app and its training worker, as plain bytes (never pickle).

A message is a tree of None, bool, int, float, str, lists, tuples, dicts with string
keys and NumPy arrays of plain numbers. :func:`encode` writes it as

    8-byte length of the header | the header (JSON, UTF-8) | each array's raw bytes

where the header is the tree with each array replaced by ``{"$a": [dtype, shape]}`` and
each tuple by ``{"$t": [...]}`` (so a tuple comes back a tuple, and a float every bit the
same: JSON writes the shortest text that reads back to the same double). :func:`decode`
checks every length, type, dtype and shape before it builds anything and raises
:class:`WireError` otherwise; nothing it reads is ever run.

:func:`send` and :func:`recv` use a :mod:`multiprocessing.connection` connection's
``send_bytes`` / ``recv_bytes``, which move bytes only.
"""

from __future__ import annotations

import json
import struct
from typing import Any

import numpy as np

#: the array types a message may hold (little-endian, plain numbers)
DTYPES = ("<f8", "<f4", "<i8", "<i4", "<u8", "<u4", "|u1", "|i1", "|b1")
#: the deepest nesting of lists, tuples and dicts accepted
MAX_DEPTH = 32
_HEAD = struct.Struct("<Q")


class WireError(ValueError):
    """A message that is not one :func:`encode` writes."""


def encode(msg: Any) -> bytes:
    """``msg`` as bytes (see the module text); TypeError for anything else in it."""
    arrays: list[np.ndarray] = []

    def tree(v: Any, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise TypeError("a message nested too deep")
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, np.ndarray):
            a = v if v.flags.c_contiguous else v.copy(order="C")   # (0-d stays 0-d)
            dt = a.dtype.newbyteorder("<") if a.dtype.byteorder == ">" else a.dtype
            if dt.str not in DTYPES:
                raise TypeError(f"arrays of {a.dtype} cannot be sent")
            arrays.append(a.astype(dt, copy=False))
            return {"$a": [dt.str, list(a.shape)]}
        if isinstance(v, np.generic):
            return tree(v.item(), depth)
        if isinstance(v, (int, float)):
            return v
        if isinstance(v, tuple):
            return {"$t": [tree(x, depth + 1) for x in v]}
        if isinstance(v, list):
            return [tree(x, depth + 1) for x in v]
        if isinstance(v, dict):
            if not all(isinstance(k, str) and not k.startswith("$") for k in v):
                raise TypeError("dict keys must be strings not starting with $")
            return {k: tree(x, depth + 1) for k, x in v.items()}
        raise TypeError(f"{type(v).__name__} cannot be sent")

    head = json.dumps(tree(msg, 0), allow_nan=True, separators=(",", ":")).encode("utf-8")
    return b"".join([_HEAD.pack(len(head)), head] + [a.tobytes() for a in arrays])


def decode(data: bytes) -> Any:
    """The message :func:`encode` wrote into ``data``; WireError if it is not one."""
    reader = _Reader(memoryview(data))
    msg = reader.tree(reader.header(), 0)
    if reader.pos != len(reader.view):
        raise WireError(f"{len(reader.view) - reader.pos} bytes left over after the message")
    return msg


class _Reader:
    """The header of a message, then its arrays in order from ``pos``."""

    def __init__(self, view: memoryview) -> None:
        self.view, self.pos = view, 0

    def header(self) -> Any:
        view = self.view
        if len(view) < _HEAD.size:
            raise WireError("a message shorter than its header's length")
        (n,) = _HEAD.unpack_from(view)
        if n > len(view) - _HEAD.size:
            raise WireError("a header longer than the message")
        try:
            head = json.loads(bytes(view[_HEAD.size:_HEAD.size + n]).decode("utf-8"))
        except (ValueError, RecursionError) as e:   # (UnicodeDecodeError, JSONDecodeError)
            raise WireError(f"an unreadable header: {e}") from None
        self.pos = _HEAD.size + n
        return head

    def tree(self, v: Any, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise WireError("a message nested too deep")
        if isinstance(v, list):
            return [self.tree(x, depth + 1) for x in v]
        if not isinstance(v, dict):
            return v   # None, bool, int, float, str: as JSON read them
        if set(v) == {"$t"} and isinstance(v["$t"], list):
            return tuple(self.tree(x, depth + 1) for x in v["$t"])
        if set(v) == {"$a"}:
            return self.array(v["$a"])
        if any(k.startswith("$") for k in v):
            raise WireError(f"an unknown entry {sorted(v)!r:.80}")
        return {k: self.tree(x, depth + 1) for k, x in v.items()}

    def array(self, spec: Any) -> np.ndarray:
        if not (isinstance(spec, list) and len(spec) == 2 and spec[0] in DTYPES
                and isinstance(spec[1], list)
                and all(type(d) is int and 0 <= d < 2 ** 40 for d in spec[1])):
            raise WireError(f"a bad array description {spec!r:.80}")
        dt = np.dtype(spec[0])
        count = int(np.prod(spec[1], dtype=object))
        size = count * dt.itemsize
        if size > len(self.view) - self.pos:
            raise WireError("an array longer than the message")
        a = np.frombuffer(self.view[self.pos:self.pos + size], dtype=dt, count=count)
        self.pos += size
        return a.reshape(spec[1]).copy()


def send(conn, msg: Any) -> None:
    """``msg`` over a multiprocessing connection, as bytes."""
    conn.send_bytes(encode(msg))


def recv(conn) -> Any:
    """The next message of a multiprocessing connection (WireError if it is not one)."""
    return decode(conn.recv_bytes())
