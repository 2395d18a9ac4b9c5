"""Checks of a lesson's settings that need more than one key (after the schema): what
each lab will compute from them must be computable, so no lab ever meets a lesson it
cannot show. Each failure is a FormatError naming the key."""

from __future__ import annotations

from typing import Any

import numpy as np

from nnviz.engine.files.validate import FormatError

FIT_SAMPLES = 401
MAX_GOAL = 1e12


def check_lab_settings(d: dict[str, Any]) -> None:
    """Raise FormatError if the lesson's settings cannot be used by its lab."""
    lab = d.get("lab", "workbench")
    st = d.get("settings", {})
    if lab == "universality":
        _universality(st)
    elif lab == "training":
        from nnviz.engine.sets.data import spec_from_settings

        spec_from_settings(st, d.get("data", {}))
    elif lab == "conv":
        from nnviz.engine.labs.conv_setup import parse_setup

        parse_setup(st)


def _universality(st: dict[str, Any]) -> None:
    from nnviz.engine.labs.expr import parse_expression

    lo, hi = float(st.get("x_min", 0.0)), float(st.get("x_max", 1.0))
    if not lo < hi:
        raise FormatError(f"settings.x_max: {hi:g} must be above x_min ({lo:g})")
    goal = st.get("goal")
    fitted = st.get("fit", False) or st.get("fit_inverse", False)
    if goal is None or not fitted:
        return
    with np.errstate(all="ignore"):
        y = parse_expression(goal).evaluate(np.linspace(lo, hi, FIT_SAMPLES))
    if not np.all(np.isfinite(y)) or np.max(np.abs(y)) > MAX_GOAL:
        raise FormatError(f"settings.goal: {goal[:60]!r} is not finite (or beyond "
                          f"±{MAX_GOAL:g}) over [{lo:g}, {hi:g}], so it cannot be fitted")
    if st.get("fit_inverse", False) and not np.all((y > 0) & (y < 1)):
        raise FormatError("settings.goal: fit_inverse needs goal values strictly between 0 "
                          "and 1")
