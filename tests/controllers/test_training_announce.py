"""Live training tells the other labs (the document's ``network_changed``) at most once a
display frame, however often its timer ticks, and the network they heard last is the
network training stopped at."""

from __future__ import annotations

import time

import pytest

from nnviz.controllers.training.clock import FRAME_MS


@pytest.mark.parametrize("speed", [100, 0])
def test_playing_announces_the_network_at_most_at_the_display_rate(training_ctl, qtbot,
                                                                   speed):
    ctl = training_ctl
    ctl.doc.load_lesson("spiral")
    ctl.set_speed(speed)
    heard, ticks = [], []
    ctl.doc.network_changed.connect(lambda: heard.append(ctl.doc.network.copy()))
    ctl.doc.structure_changed.connect(lambda: heard.append("structure"))
    ctl.trained.connect(lambda: ticks.append(ctl.steps))
    t0 = time.perf_counter()
    ctl.playback.play()
    qtbot.wait(500)
    ctl.playback.pause()
    elapsed = time.perf_counter() - t0
    assert "structure" not in heard
    assert len(ticks) >= 2 and ctl.steps > 0
    assert 1 <= len(heard) <= 1 + elapsed * 1000 / FRAME_MS
    assert heard[-1].equals(ctl.doc.network)        # nothing left unannounced at the pause


def test_ticks_within_a_frame_are_announced_once_and_the_pause_announces_the_rest(
        training_ctl, monkeypatch):
    from nnviz.controllers.training import controller as training_module

    ctl = training_ctl
    ctl.doc.load_lesson("spiral")
    ctl.set_speed(100)
    now = [1000.0]
    monkeypatch.setattr(training_module.time, "monotonic", lambda: now[0])
    heard, ticks = [], []
    ctl.doc.network_changed.connect(lambda: heard.append(ctl.doc.network.copy()))
    ctl.trained.connect(lambda: ticks.append(ctl.steps))
    ctl.playback.play()
    for _ in range(4):                    # four ticks in the same frame: one announcement
        ctl._tick()
    assert len(ticks) == 4 and ticks[-1] == 4 and len(heard) == 1
    assert not heard[0].equals(ctl.doc.network)     # the other labs are a frame behind
    now[0] += FRAME_MS / 1000 + 1e-6                 # the next frame
    ctl._tick()
    assert len(heard) == 2 and heard[-1].equals(ctl.doc.network)
    ctl._tick()
    assert len(heard) == 2
    ctl.playback.pause()                             # the pause announces the last step
    assert len(heard) == 3 and heard[-1].equals(ctl.doc.network) and ctl.steps == 6
    ctl.playback.pause()
    ctl.step_batch()                                 # a step asked for: announced at once
    assert len(heard) == 4 and heard[-1].equals(ctl.doc.network)
