"""Play/pause over a QTimer, for controllers that step on a timer."""

from __future__ import annotations


class TimerPlayback:
    """Mixin: ``play``/``pause``/``toggle_play`` and the ``playing`` property (as the
    Workbench stepper and the Neuron lab have it) over ``self._timer`` (a QTimer),
    announcing each change with the ``running_changed(bool)`` signal of the class it is
    mixed into."""

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def play(self) -> None:
        if not self._timer.isActive():
            self._timer.start()
            self.running_changed.emit(True)

    def pause(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.running_changed.emit(False)

    def toggle_play(self) -> None:
        self.pause() if self.playing else self.play()
