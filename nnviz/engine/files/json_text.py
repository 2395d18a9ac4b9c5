"""Writing nnviz's JSON files: values as plain finite JSON, the text with exact floats and
never larger than nnviz opens; and a JSON file's declared "format".

A large file is written on a worker thread (an autosave of a 2 M-weight network), so the
writing never makes one long call that holds the interpreter lock: arrays become text row
by row as they are written (:func:`file_pieces`; one ``json.dumps`` of a 1400 x 1400
matrix is a 3 s call), so the GUI thread runs between the pieces."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from nnviz.engine.files.validate import MAX_FILE_BYTES, FormatError, read_json


def json_format(path: str | Path) -> str:
    """The top-level "format" of a JSON file, parsed (not searched for), or "" if the file
    cannot be read or has none; the reader of the file's kind reports any fault."""
    try:
        obj = read_json(path)
    except FormatError:
        return ""
    f = obj.get("format") if isinstance(obj, dict) else None
    return f if isinstance(f, str) else ""


def plain(v: Any, where: str, depth: int = 0) -> Any:
    """``v`` as plain JSON types (NumPy scalars and arrays converted), finite numbers only."""
    if depth > 60:
        raise FormatError(f"{where}: nested too deeply")
    if isinstance(v, np.ndarray):
        v = as_lists(v)
    elif isinstance(v, np.generic):
        v = v.item()
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if not np.isfinite(v):
            raise FormatError(f"{where}: numbers must be finite")
        return v
    if isinstance(v, (list, tuple)):
        return [plain(e, f"{where}[{i}]", depth + 1) for i, e in enumerate(v)]
    if isinstance(v, dict):
        out = {}
        for k, e in v.items():
            if not isinstance(k, str):
                raise FormatError(f"{where}: keys must be text")
            out[k] = plain(e, f"{where}.{k}", depth + 1)
        return out
    raise FormatError(f"{where}: {type(v).__name__} cannot be saved")


def as_lists(a: np.ndarray) -> Any:
    """``a.tolist()`` in short calls: row by row, a long vector in slices."""
    if a.ndim > 1:
        return [as_lists(r) for r in a]
    if a.ndim == 0 or len(a) <= SLICE:
        return a.tolist()
    out: list = []
    for i in range(0, len(a), SLICE):
        out.extend(a[i:i + SLICE].tolist())
    return out


#: numbers converted or encoded per call
SLICE = 4096


def dumps_file(obj: dict[str, Any]) -> str:
    """The text of a file (see :func:`file_pieces`)."""
    return "".join(file_pieces(obj))


def file_pieces(obj: dict[str, Any]) -> Iterator[str]:
    """The text of a file in pieces (``write_atomic`` writes them as they come): exact
    floats (``repr``, as ``json``); FormatError if a value is not plain finite JSON or
    the text grows over the size nnviz opens. Objects and lists of lists are indented one
    space a level; a list of numbers is one line. A NumPy array gives the text of its
    :func:`as_lists`, converted piece by piece."""
    size = 0
    try:
        for piece in _pieces(obj, 0):
            size += len(piece)
            if size >= MAX_FILE_BYTES:  # never write what nnviz could not open again
                raise FormatError(f"the file would be over the {MAX_FILE_BYTES / 2**20:.0f} "
                                  "MB nnviz opens")
            yield piece
    except (TypeError, ValueError) as e:
        if isinstance(e, FormatError):
            raise
        raise FormatError(f"cannot write the file: {e}") from None
    yield "\n"


def _pieces(v: Any, level: int) -> Iterator[str]:
    """The JSON text of ``v`` in pieces, each from a short call."""
    if isinstance(v, np.ndarray):
        yield from _array_pieces(v, level)
    elif isinstance(v, dict):
        items = [(_key(k), e) for k, e in v.items()]
        yield from _container("{", "}", items, level)
    elif isinstance(v, (list, tuple)) and v and isinstance(v[0], (list, tuple, dict)):
        yield from _container("[", "]", [(None, e) for e in v], level)
    elif isinstance(v, (list, tuple)) and len(v) > SLICE:
        yield "["
        for i in range(0, len(v), SLICE):
            part = json.dumps(list(v[i:i + SLICE]), allow_nan=False)[1:-1]
            yield part if i == 0 else ", " + part
        yield "]"
    else:   # a number, a text, a short list of them (anything nested in it: one call)
        yield json.dumps(v, allow_nan=False)


def _array_pieces(a: np.ndarray, level: int) -> Iterator[str]:
    """An array's text exactly as :func:`as_lists` of it would give, converted as it is
    written (a row, or SLICE numbers, at a time): a 2 M-weight network never exists as
    Python lists, whose millions of objects would cost the garbage collector and the
    memory allocator long calls that hold the interpreter lock."""
    if a.ndim == 0:
        yield json.dumps(a.item(), allow_nan=False)
    elif a.ndim > 1:
        if len(a):
            yield from _container("[", "]", [(None, row) for row in a], level)
        else:
            yield "[]"
    elif len(a) > SLICE:
        yield "["
        for i in range(0, len(a), SLICE):
            part = json.dumps(a[i:i + SLICE].tolist(), allow_nan=False)[1:-1]
            yield part if i == 0 else ", " + part
        yield "]"
    else:
        yield json.dumps(a.tolist(), allow_nan=False)


def _container(open_: str, close: str, items: list, level: int) -> Iterator[str]:
    if not items:
        yield open_ + close
        return
    pad = "\n" + " " * (level + 1)
    yield open_
    for i, (key, e) in enumerate(items):
        yield ("," if i else "") + pad + (f"{key}: " if key is not None else "")
        yield from _pieces(e, level + 1)
    yield "\n" + " " * level + close


def _key(k: Any) -> str:
    if not isinstance(k, str):
        raise TypeError(f"keys must be str, not {type(k).__name__}")
    return json.dumps(k)
