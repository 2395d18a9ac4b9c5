"""The headless commands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return subprocess.run([sys.executable, "-m", "nnviz", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_worked_mazur_contains_the_notes_numbers():
    r = run("worked", "--lesson", "mazur-2-2-2")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    for number in ["0.3775", "0.593269992", "0.596884378", "1.105905967", "0.75136507",
                   "0.772928465", "0.274811083", "0.023560026", "0.298371109", "0.74136507",
                   "0.186815602", "0.082167041", "0.138498562", "0.35891648", "0.408666186",
                   "0.51130127", "0.561370121", "0.055399425", "0.036350306", "0.241300709",
                   "0.000438568", "0.149780716", "0.291027774"]:
        assert number in out, number
    assert out.index("## Forward pass") < out.index("## The total error") < \
        out.index("## Backward pass") < out.index("## Updating the weights")
    assert "net_h1 = w1·i1 + w2·i2 + b1·1 = 0.15·0.05 + 0.2·0.1 + 0.35·1 = 0.3775" in out


def test_worked_other_lessons():
    r = run("worked", "--lesson", "linear-2-2-1")
    assert r.returncode == 0 and "0.191" in r.stdout and "−0.809" in r.stdout
    assert "0.1743825" in r.stdout
    r = run("worked", "--lesson", "step-network")
    assert r.returncode == 0 and "v3 = w13·x1 + w23·x2 = 2·1 − 3·0 = 2" in r.stdout


def test_worked_bad_lesson_gives_one_line_error(tmp_path):
    p = tmp_path / "bad.json"
    p.write_text('{"format": "nnviz-lesson", "version": 1, "name": "x", "title": "t", '
                 '"network": {"sizes": [2, 1], "layers": [{"activation": "sigmoid", '
                 '"weights": [[1, "a"]]}]}, "example": {"input": [1, 2], "target": [1]}}')
    r = run("worked", "--lesson", str(p))
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert r.stderr.strip().count("\n") == 0
    assert "weights[0][1]" in r.stderr
    r = run("worked", "--lesson", "no-such-lesson")
    assert r.returncode != 0 and "no lesson named" in r.stderr


def test_a_screenshot_leaves_no_deferred_call_on_a_deleted_widget(tmp_path):
    """The screenshot window closes right after it is drawn: a layout pass a panel had
    deferred (QTimer.singleShot) must die with the panel, not run on the deleted C++
    object ("RuntimeError: Internal C++ object (PerceptronPanel) already deleted" after
    every activation-gallery and keras-lab-notes screenshot)."""
    for lesson in ("activation-gallery", "keras-lab-notes"):
        out = tmp_path / f"{lesson}.png"
        r = subprocess.run([sys.executable, "-m", "nnviz", "screenshot", "--lesson", lesson,
                            "--size", "1024x768", "--presentation", "--out", str(out)],
                           capture_output=True, text=True, cwd=ROOT, timeout=120,
                           env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        assert r.returncode == 0 and out.exists(), r.stderr
        assert "Error" not in r.stderr and "Traceback" not in r.stderr, r.stderr
