"""Live training tells the other labs (the document's ``network_changed``) at most once a
display frame, however often its timer ticks, and the network they heard last is the
network training stopped at."""

from __future__ import annotations

import time

import pytest

from nnviz.controllers.training_clock import FRAME_MS


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
    if speed == 100:                                 # ticks every 10 ms: more than frames
        assert len(heard) < len(ticks)
