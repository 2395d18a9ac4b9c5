"""The settings file holds only plain strings and numbers, and is read only as such.

PySide6 stores Python objects in QSettings by pickling them, and unpickles any
``@Variant(...)`` value of the settings file as soon as a key of its section is read:
a crafted settings file could run code at start. So nnviz:

* removes every ``@Variant(`` line from the settings file before QSettings parses it
  (:func:`scrub_settings_file`, run by :func:`open_settings` and by the main window);
* writes only text (byte arrays such as the window geometry as base64 text, lists as
  JSON text) and reads values back only if they have the plain type expected
  (:func:`get_str`, :func:`get_bytes`, :func:`get_str_list`).
"""

from __future__ import annotations

import base64
import binascii
import json
import os

from PySide6.QtCore import QByteArray, QSettings

from nnviz.engine.files.atomic import write_atomic
from nnviz.engine.files.validate import FormatError, read_bytes

MAX_SETTINGS_BYTES = 1024 * 1024
MAX_VALUE = 64 * 1024
UNSAFE_MARK = b"@Variant("


def scrub_settings_file(path: str) -> int:
    """Drop the lines of the settings file at ``path`` that hold a serialised object
    (``@Variant(``); a file that is not a small regular text file is set aside as
    ``<path>.unreadable``. Returns the number of lines dropped (0 if none or no file)."""
    if not path or not os.path.lexists(path):
        return 0
    try:
        raw = read_bytes(path, MAX_SETTINGS_BYTES)
    except FormatError:
        try:
            os.replace(path, path + ".unreadable")
        except OSError:
            pass
        return 1
    if UNSAFE_MARK not in raw:
        return 0
    lines = raw.split(b"\n")
    kept = [ln for ln in lines if UNSAFE_MARK not in ln]
    write_atomic(path, b"\n".join(kept))
    return len(lines) - len(kept)


def open_settings() -> QSettings:
    """The application's QSettings, its file scrubbed before anything is read from it."""
    probe = QSettings()  # reading the path does not parse the file's values
    path = probe.fileName()
    del probe
    scrub_settings_file(path)
    return QSettings()


def make_safe(settings: QSettings) -> QSettings:
    """Scrub the file of an existing QSettings object and make it re-read the file."""
    if scrub_settings_file(settings.fileName()):
        settings.sync()
    return settings


def get_str(settings: QSettings, key: str, default: str = "", max_len: int = MAX_VALUE) -> str:
    """The text stored under ``key``, or ``default`` if absent or not plain text."""
    v = settings.value(key)
    return v if isinstance(v, str) and len(v) <= max_len else default


def put_bytes(settings: QSettings, key: str, data: QByteArray | bytes) -> None:
    """Store bytes (a window geometry, a dock layout) as base64 text."""
    settings.setValue(key, base64.b64encode(bytes(data)).decode("ascii"))


def get_bytes(settings: QSettings, key: str) -> QByteArray | None:
    """Bytes stored by :func:`put_bytes`, or None if absent or not valid base64 text."""
    text = get_str(settings, key, max_len=MAX_VALUE)
    if not text:
        return None
    try:
        return QByteArray(base64.b64decode(text.encode("ascii"), validate=True))
    except (binascii.Error, ValueError):
        return None


def put_str_list(settings: QSettings, key: str, items: list[str]) -> None:
    """Store a list of strings as JSON text."""
    settings.setValue(key, json.dumps([str(s) for s in items]))


def get_str_list(settings: QSettings, key: str, max_items: int = 100) -> list[str]:
    """A list stored by :func:`put_str_list` (only its text entries), else []."""
    text = get_str(settings, key)
    try:
        v = json.loads(text) if text else []
    except ValueError:
        return []
    if not isinstance(v, list):
        return []
    return [s for s in v[:max_items] if isinstance(s, str) and len(s) <= 4096]
