"""run_for: the one time-budgeted loop of the live labs."""

from __future__ import annotations

import pytest

from nnviz.engine.learning.budget import run_for


class FakeClock:
    """Advances ``tick`` seconds each time a step runs (no real time is measured)."""

    def __init__(self, tick: float) -> None:
        self.t, self.tick = 100.0, tick

    def __call__(self) -> float:
        return self.t

    def step(self) -> None:
        self.t += self.tick


def test_stops_when_the_budget_is_spent_after_the_step_that_spent_it():
    clock, calls = FakeClock(0.004), []
    n = run_for(lambda: (calls.append(1), clock.step()), 0.010, clock=clock)
    assert n == len(calls) == 3              # 4 ms, 8 ms, 12 ms >= 10 ms


def test_at_least_one_step_even_with_no_budget_left():
    clock = FakeClock(1.0)
    assert run_for(clock.step, 0.0, clock=clock) == 1


@pytest.mark.parametrize("max_steps, expected", [(0, 0), (1, 1), (5, 5)])
def test_max_steps_caps_the_count(max_steps, expected):
    clock = FakeClock(0.0)                   # time never passes: only the count stops it
    assert run_for(clock.step, 1.0, max_steps, clock=clock) == expected


def test_a_step_returning_false_stops_at_once():
    seen = []

    def step():
        seen.append(len(seen))
        return len(seen) < 3                 # the third step blows up

    assert run_for(step, None, 100) == 3 and seen == [0, 1, 2]


def test_none_is_not_false():
    """Steps that return nothing go on until a limit."""
    assert run_for(lambda: None, None, 7) == 7


def test_an_exception_propagates():
    def step():
        raise StopIteration

    with pytest.raises(StopIteration):
        run_for(step, 1.0)


def test_time_budgeted_loops_use_run_for():
    """The engine and the controllers read the clock only in run_for, except where a
    slice is measured rather than bounded (listed, with why)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "nnviz"
    measured = {
        "engine/learning/budget.py": "run_for itself",
        "controllers/training/clock.py": "the slice's CPU-time deadline and wall-clock limit",
        "controllers/conv/cnn.py": "how long the last slice took (the bench reads it)",
        "controllers/workbench/repeat_trainer.py": "steps per slice sized from the last slice's speed",
        "controllers/training/readouts.py": "how long a frame waited for the helper's maps "
                                            "(counted as drawing time by the slice clock)",
    }
    readers = {p.relative_to(root).as_posix() for sub in ("engine", "controllers")
               for p in (root / sub).rglob("*.py") if "perf_counter" in p.read_text("utf-8")}
    assert readers == set(measured)
