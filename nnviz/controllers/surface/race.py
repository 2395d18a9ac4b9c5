"""The optimiser race on a two-parameter surface: which racers, their learning rates,
the start, play/pause on a timer, and the map's grid computed off the GUI thread."""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal

from nnviz.controllers.gridworker import GridRunner
from nnviz.controllers.playback import Playback
from nnviz.engine.labs.race import SURFACES, Race, RaceSurface
from nnviz.engine.learning.optimisers import OPTIMISERS

GRID_RES = 121
MAX_STEPS_PER_TICK = 200
#: the racers shown when a lesson does not say
DEFAULT_RACERS = ("sgd", "momentum", "adam")


class RaceController(QObject):
    """The race, its settings and the map grid."""

    grid_changed = Signal()        # a new map grid arrived
    race_changed = Signal()        # the racers moved (or were reset)
    setup_changed = Signal()       # surface, racers, rates or speed changed
    busy_changed = Signal(bool)
    message = Signal(str)

    def __init__(self, parent: QObject | None = None, active: bool = True) -> None:
        super().__init__(parent)
        self.runner = GridRunner(self)
        self.runner.finished.connect(self._on_grid)
        self.runner.failed.connect(lambda m: self.message.emit(f"No map: {m}"))
        self.grid: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self.steps_per_tick = 1
        self.enabled = list(DEFAULT_RACERS)
        self.rates: dict[str, float] = {}
        self.surface: RaceSurface = SURFACES["sigmoid-neuron"]()
        self.race = Race(self.surface, [])
        self.active = active   # inactive (a hidden lab): no grid until set_active(True)
        self._stale = False
        self.playback = Playback(self._tick, 33, parent=self,
                                 can_play=lambda: bool(self.race.running() and self.race.racers))
        self.set_surface("sigmoid-neuron")

    # ------------------------------------------------------------ set-up
    def set_surface(self, name: str, start: tuple[float, float] | None = None) -> None:
        """A preset surface (its rates for every optimiser); the racers start afresh."""
        if name not in SURFACES:
            raise ValueError(f"unknown race surface {name!r}; choose one of {', '.join(SURFACES)}")
        self.playback.pause()
        self.surface = SURFACES[name]()
        self.rates = dict(self.surface.rates)
        self._rebuild(start)
        self.grid = None
        self.request_grid()

    def set_enabled(self, name: str, on: bool) -> None:
        if name not in OPTIMISERS:
            raise ValueError(f"unknown optimiser {name!r}")
        want = [n for n in OPTIMISERS if (n in self.enabled and n != name) or (n == name and on)]
        if want != self.enabled:
            self.enabled = want
            self._rebuild(self.race.start)

    def set_rate(self, name: str, lr: float) -> None:
        lr = float(lr)
        if name not in OPTIMISERS or not (math.isfinite(lr) and 0 < lr <= 1e3):
            raise ValueError("a learning rate must be in (0, 1000]")
        self.rates[name] = lr
        self._rebuild(self.race.start)

    def set_start(self, x: float, y: float) -> None:
        """Every racer starts again from (x, y) (a click on the map)."""
        if not (math.isfinite(x) and math.isfinite(y)):
            raise ValueError("the start must be finite")
        self.playback.pause()
        self.race.reset((x, y))
        self.race_changed.emit()

    def set_steps_per_tick(self, k: int) -> None:
        self.steps_per_tick = max(1, min(MAX_STEPS_PER_TICK, int(k)))
        self.setup_changed.emit()

    def _rebuild(self, start) -> None:
        self.playback.pause()
        entries = [(n, self.rates.get(n, 0.01), {}) for n in self.enabled]
        self.race = Race(self.surface, entries, start)
        self.setup_changed.emit()
        self.race_changed.emit()

    # ------------------------------------------------------------ stepping
    def step(self, k: int = 1) -> None:
        self.race.step(max(1, int(k)))
        if not self.race.running():
            self.playback.pause()
        self.race_changed.emit()

    def reset(self) -> None:
        self.playback.pause()
        self.race.reset()
        self.race_changed.emit()

    def _tick(self) -> None:
        self.step(self.steps_per_tick)

    # ------------------------------------------------------------ grid
    def set_active(self, active: bool) -> None:
        self.active = bool(active)
        if not active:
            self.playback.pause()
        elif self._stale:
            self.request_grid()

    def request_grid(self) -> None:
        if not self.active:
            self._stale = True
            return
        self._stale = False
        self.runner.submit(self.surface.grid_job(GRID_RES))
        self.busy_changed.emit(True)

    def _on_grid(self, _rid: int, result) -> None:
        self.grid = result
        self.busy_changed.emit(False)
        self.grid_changed.emit()

    def busy(self) -> bool:
        return self.runner.busy()

    def wait_idle(self, timeout_s: float = 60.0) -> bool:
        deadline = time.monotonic() + timeout_s
        loop = QEventLoop()
        while self.busy() and time.monotonic() < deadline:
            QTimer.singleShot(50, loop.quit)
            loop.exec()
        return not self.busy()

    # ------------------------------------------------------------ lessons and files
    def apply_settings(self, race: Any) -> None:
        """A lesson's or workspace's ``race`` object, validated first (ValueError, nothing
        changed): ``surface``, ``optimisers``, ``rates``, ``start``, ``steps_per_tick``."""
        v = parse_race(race)
        self.playback.pause()
        self.enabled = v["optimisers"]
        self.steps_per_tick = v["steps_per_tick"]
        self.surface = SURFACES[v["surface"]]()
        self.rates = {**self.surface.rates, **v["rates"]}
        self._rebuild(v["start"])
        self.grid = None
        self.request_grid()

    def state(self) -> dict[str, Any]:
        return {"surface": self.surface.name, "optimisers": list(self.enabled),
                "rates": {n: self.rates[n] for n in self.enabled},
                "start": list(self.race.start), "steps_per_tick": self.steps_per_tick}

    def shutdown(self) -> None:
        self.playback.pause()
        self.runner.shutdown()


def parse_race(race: Any) -> dict[str, Any]:
    """Validate a ``race`` settings object (every key optional); ValueError naming the key."""
    if not isinstance(race, dict):
        raise ValueError("race: expected an object")
    unknown = set(race) - {"surface", "optimisers", "rates", "start", "steps_per_tick"}
    if unknown:
        raise ValueError(f"race.{str(sorted(unknown)[0])[:40]}: unknown setting")
    surface = race.get("surface", "sigmoid-neuron")
    if not isinstance(surface, str) or surface not in SURFACES:
        raise ValueError(f"race.surface: one of {', '.join(SURFACES)}")
    names = race.get("optimisers", list(DEFAULT_RACERS))
    if not isinstance(names, list) or not all(isinstance(n, str) and n in OPTIMISERS
                                              for n in names) or len(set(names)) != len(names):
        raise ValueError(f"race.optimisers: a list of distinct names from {', '.join(OPTIMISERS)}")
    rates = race.get("rates", {})
    if not isinstance(rates, dict):
        raise ValueError("race.rates: expected an object")
    for n, lr in rates.items():
        if not isinstance(n, str) or n not in OPTIMISERS or isinstance(lr, bool) \
                or not isinstance(lr, (int, float)) or not (math.isfinite(lr) and 0 < lr <= 1e3):
            raise ValueError(f"race.rates.{str(n)[:40]}: a learning rate in (0, 1000]")
    start = race.get("start")
    if start is not None and not (isinstance(start, list) and len(start) == 2 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
            and abs(v) <= 1e6 for v in start)):
        raise ValueError("race.start: two finite numbers")
    k = race.get("steps_per_tick", 1)
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_STEPS_PER_TICK:
        raise ValueError(f"race.steps_per_tick: a whole number in [1, {MAX_STEPS_PER_TICK}]")
    ordered = [n for n in OPTIMISERS if n in names]
    return {"surface": surface, "optimisers": ordered,
            "rates": {n: float(v) for n, v in rates.items()},
            "start": None if start is None else (float(start[0]), float(start[1])),
            "steps_per_tick": k}
