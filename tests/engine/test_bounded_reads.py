"""Reads from files are bounded and of regular files only; CSV line numbers and BOMs."""

from __future__ import annotations

import os

import pytest

from nnviz.engine.files.validate import FormatError, read_bytes, read_json, read_text
from nnviz.engine.sets.csvio import CsvError, from_csv


def test_only_regular_files_are_read(tmp_path):
    (tmp_path / "zero").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "dir").mkdir()
    for name in ("zero", "fifo", "dir"):
        with pytest.raises(FormatError, match="not a regular file"):
            read_bytes(tmp_path / name)
    with pytest.raises(FormatError, match="cannot read"):
        read_bytes(tmp_path / "missing")


def test_size_cap_is_checked_before_reading(tmp_path):
    p = tmp_path / "big.json"
    p.write_bytes(b" " * 101)
    with pytest.raises(FormatError, match="over the limit of 100"):
        read_bytes(p, max_bytes=100)
    assert read_bytes(p, max_bytes=101) == b" " * 101
    with pytest.raises(FormatError, match="not valid JSON"):
        read_json(tmp_path / "big.json", max_bytes=200)


def test_a_byte_order_mark_is_not_part_of_the_text(tmp_path):
    p = tmp_path / "data.csv"
    p.write_bytes("\ufeff0.5,1.5,1\n2,3,0\n".encode())
    x, labels = from_csv(read_text(p), 2, 2)
    assert x.tolist() == [[0.5, 1.5], [2.0, 3.0]] and labels.tolist() == [1, 0]
    # also when the BOM reaches the parser (text from elsewhere)
    x, _ = from_csv("\ufeff0.5,1.5,1\n2,3,0\n", 2, 2)
    assert len(x) == 2


@pytest.mark.parametrize("sep", ["\x0b", "\x0c", "\u2028", "\x1c", "\x85"])
def test_odd_line_separators_do_not_shift_line_numbers(sep):
    text = f"x1,x2,label\n1,2,0 {sep} \n3,oops,1\n"
    with pytest.raises(CsvError, match=r"line 3\b"):
        from_csv(text, 2, 2)
