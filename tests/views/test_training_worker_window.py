"""The keras lab played in the real window: its slices are trained in the worker process
(controllers/training/remote.py) while the window scores and draws them, the readout
shows the epochs reached, and the worker is gone once the lab shuts down."""

from __future__ import annotations

from PySide6.QtCore import Qt


def test_the_keras_lab_played_in_the_window_trains_in_the_worker(main_window, qtbot):
    win = main_window
    assert win.open_lesson("keras-lab")
    win.show_lab("training")
    lab = win.current_lab
    ctl = lab.ctl
    taken: list[int] = []   # the epochs of each slice taken from the worker
    real = ctl.fast._taken
    ctl.fast._taken = lambda cap, snaps: taken.append(real(cap, snaps)) or taken[-1]
    play = lab.run_panel.play
    # the lesson's Play stops at its 60 epochs (the notes' fit), perhaps before the
    # worker is up; played on from there, the run goes on, in the worker
    qtbot.mouseClick(play, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ctl.playback.playing, timeout=30_000)
    assert ctl.epoch == ctl.doc.lesson.epochs
    taken.clear()
    qtbot.mouseClick(play, Qt.MouseButton.LeftButton)
    assert ctl.playback.playing
    qtbot.waitUntil(lambda: sum(taken) > 0, timeout=30_000)
    qtbot.mouseClick(play, Qt.MouseButton.LeftButton)
    assert not ctl.playback.playing and ctl.epoch >= ctl.doc.lesson.epochs + sum(taken)
    qtbot.waitUntil(lambda: lab.readout.epoch.value.text() == str(ctl.epoch), timeout=5000)
    proc = ctl.fast.remote._proc
    assert proc is not None and proc.poll() is None   # the worker process, running
    lab.shutdown()
    assert proc.wait(timeout=10) is not None           # and gone with the lab
