"""One Playback for every lab: its behaviour, and the rule that no controller writes its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from nnviz.controllers.playback import Playback

CONTROLLERS = Path(__file__).resolve().parents[2] / "nnviz" / "controllers"


@pytest.fixture
def rec(qtbot):
    """A Playback whose hooks write to a log, and a flag that allows play."""
    log: list = []
    allowed = [True]
    pb = Playback(lambda: log.append("tick"), 0, can_play=lambda: allowed[0],
                  on_play=lambda: log.append(("on_play", pb.playing)),
                  on_pause=lambda: log.append(("on_pause", pb.playing)))
    pb.playing_changed.connect(lambda p: log.append(("changed", p)))
    yield pb, log, allowed
    pb.pause()


def test_play_runs_the_hook_then_ticks_and_announces_once(rec, qtbot):
    pb, log, _ = rec
    assert not pb.playing
    assert pb.play() is True and pb.playing
    assert log == [("on_play", False), ("changed", True)]
    assert pb.play() is True            # already playing: nothing again
    assert log.count(("changed", True)) == 1
    qtbot.waitUntil(lambda: log.count("tick") >= 2, timeout=5000)


def test_pause_stops_ticking_runs_its_hook_and_announces_once(rec, qtbot):
    pb, log, _ = rec
    pb.play()
    pb.pause()
    assert not pb.playing
    assert log[-2:] == [("on_pause", False), ("changed", False)]
    pb.pause()                          # already paused: nothing
    assert log.count(("changed", False)) == 1
    n = len(log)
    qtbot.wait(30)
    assert len(log) == n                # no tick after the pause


def test_can_play_refuses_without_running_hooks_or_signals(rec):
    pb, log, allowed = rec
    allowed[0] = False
    assert pb.play() is False and not pb.playing and log == []
    pb.toggle()
    assert not pb.playing and log == []
    allowed[0] = True
    pb.toggle()
    assert pb.playing
    pb.toggle()
    assert not pb.playing


def test_interval_is_the_timer_period(qtbot):
    pb = Playback(lambda: None, 40)
    assert pb.interval_ms == 40
    pb.set_interval(1000)
    assert pb.interval_ms == 1000


def _defs(path: Path) -> list[tuple[str, str]]:
    """(class, name) of every method and class attribute defined in a module."""
    out = []
    for cls in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(cls, ast.ClassDef):
            for node in cls.body:
                if isinstance(node, ast.FunctionDef):
                    out.append((cls.name, node.name))
                elif isinstance(node, ast.Assign):
                    out += [(cls.name, t.id) for t in node.targets if isinstance(t, ast.Name)]
    return out


def test_no_controller_writes_its_own_play_pause():
    """Play/pause state lives in Playback only: no other controller defines a play/pause
    signal, a ``running``/``playing`` flag or play/pause/toggle methods."""
    banned = {"running_changed", "playing_changed", "running", "playing", "play", "pause",
              "toggle", "toggle_play", "toggle_training", "resume"}
    found = []
    for path in sorted(CONTROLLERS.glob("*.py")):
        if path.name == "playback.py":
            continue
        found += [f"{path.name}: {c}.{n}" for c, n in _defs(path) if n in banned]
    assert found == []
