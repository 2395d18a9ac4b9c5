"""Atomic saves keep the file's mode, write through symbolic links, work for the longest
file names and clean up after a killed save."""

from __future__ import annotations

import os
import stat
import time

from nnviz.engine.files.atomic import STALE_SECONDS, TEMP_PREFIX, write_atomic


def _mode(p) -> int:
    return stat.S_IMODE(os.stat(p).st_mode)


def test_a_new_file_gets_the_usual_mode(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.nnviz", "x")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "a.nnviz") == 0o644


def test_an_existing_file_keeps_its_mode(tmp_path):
    p = tmp_path / "a.nnviz"
    p.write_text("old")
    p.chmod(0o640)
    write_atomic(p, "new")
    assert p.read_text() == "new" and _mode(p) == 0o640


def test_a_symlink_is_written_through(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "work.nnviz"
    target.write_text("old")
    link = tmp_path / "link.nnviz"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink() and target.read_text() == "new"
    assert os.listdir(tmp_path / "real") == ["work.nnviz"]


def test_names_of_up_to_255_characters(tmp_path):
    for n in (243, 250, 255):
        p = tmp_path / ("n" * (n - 6) + ".nnviz")
        write_atomic(p, "x")
        assert p.read_text() == "x"


def test_stale_temporary_files_are_removed(tmp_path):
    stale = tmp_path / f"{TEMP_PREFIX}dead{'.tmp'}"
    stale.write_text("left by a kill")
    old = time.time() - STALE_SECONDS - 5
    os.utime(stale, (old, old))
    fresh = tmp_path / f"{TEMP_PREFIX}busy.tmp"   # another save in progress: kept
    fresh.write_text("")
    write_atomic(tmp_path / "a.nnviz", "x")
    assert not stale.exists() and fresh.exists()
    assert sorted(os.listdir(tmp_path)) == sorted(["a.nnviz", fresh.name])
