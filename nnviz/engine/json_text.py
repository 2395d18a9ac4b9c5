"""Writing nnviz's JSON files: values as plain finite JSON, the text with exact floats and
never larger than nnviz opens; and a JSON file's declared "format"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from nnviz.engine.validate import MAX_FILE_BYTES, FormatError, read_json


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
        v = v.tolist()
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


def dumps_file(obj: dict[str, Any]) -> str:
    """The text of a file: exact floats; FormatError if a value is not plain finite JSON or
    the text would be over the size nnviz opens."""
    try:
        text = json.dumps(obj, allow_nan=False, indent=1) + "\n"
    except (TypeError, ValueError) as e:
        raise FormatError(f"cannot write the file: {e}") from None
    if len(text) > MAX_FILE_BYTES:  # never write what nnviz could not open again
        raise FormatError(f"the file would be {len(text) / 2**20:.0f} MB, over the "
                          f"{MAX_FILE_BYTES / 2**20:.0f} MB nnviz opens")
    return text
