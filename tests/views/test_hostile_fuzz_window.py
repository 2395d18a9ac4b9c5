"""Valid-looking lessons and workspaces with a hostile value in any field, opened through
the real window's File > Open with the real labs: no exception escapes, no lab ever meets
a value it cannot take (validation refuses first), and a refused file changes nothing."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.engine.test_hostile_fuzz import SMALL, WORKSPACES
from tests.hostile_strategies import hostile_variant
from tests.views.test_hostile_open import open_via_menu, snapshot

LESSON_NAMES = ["mazur-2-2-2", "relu-approximation", "universality-bumps", "spiral",
                "learning-slowdown", "perceptron-and", "xor-landscape"]


def _check(win, monkeypatch, tmp_path, d: dict, suffix: str, desc: str) -> None:
    path = tmp_path / f"hostile{suffix}"
    path.write_text(json.dumps(d))
    before = snapshot(win)
    shown = open_via_menu(win, monkeypatch, path)
    if shown:
        assert "a lab refused" not in shown[0], (desc, shown[0])
        assert snapshot(win) == before, desc


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.sampled_from(LESSON_NAMES).flatmap(lambda n: hostile_variant(SMALL[n])))
def test_hostile_lessons_through_the_window(main_window, monkeypatch, tmp_path, variant):
    d, desc = variant
    _check(main_window, monkeypatch, tmp_path, d, ".json", desc)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.sampled_from(sorted(WORKSPACES)).flatmap(lambda n: hostile_variant(WORKSPACES[n])))
def test_hostile_workspaces_through_the_window(main_window, monkeypatch, tmp_path, variant):
    d, desc = variant
    _check(main_window, monkeypatch, tmp_path, d, ".nnviz", desc)
