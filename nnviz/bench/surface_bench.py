"""Error-surface figures of network b (2-8-8-1, tanh, ½(out − y)² averaged):

- ``surface.b_101.seconds``: one 101 × 101 picture over two first-layer weights
  (w[0][0,0], w[0][0,1], ± 3) on all 500 points, as the lab computes it
  (:func:`nnviz.engine.labs.surface.loss_grid_picture`: float32 for this grid), best of
  ``repeats``; ``float64_seconds`` is the float64 grid pass for comparison and
  ``max_rel_diff`` the largest difference between the two, relative to the grid's
  spread.
- ``surface.b_101.live_fps``: new pictures per second shown by the surface lab of a real
  main window (offscreen, 1280 × 720) while descent plays over all parameters (so the
  slice moves every step); ``refine_seconds``: from the pause to the full-resolution
  picture on screen.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from nnviz.bench.engine_bench import playground, time_best
from nnviz.engine.core.losses import get_loss
from nnviz.engine.core.network import cost
from nnviz.engine.labs import surface as S

PAIR = (S.ParamRef("w", 0, 0, 0), S.ParamRef("w", 0, 0, 1))


def picture_b101(repeats: int) -> dict[str, Any]:
    """The 101² picture and the float64 grid of network b (see the module text)."""
    s = playground("b")
    net = s.net
    x = np.concatenate([s.x_train, s.x_test])
    y = np.concatenate([s.y_train, s.y_test])
    loss = get_loss("mse")
    px, py = PAIR
    xs = px.get(net) + np.linspace(-3.0, 3.0, 101)
    ys = py.get(net) + np.linspace(-3.0, 3.0, 101)
    pic = S.loss_grid_picture(net, x, y, loss, px, py, xs, ys)  # warm-up and check
    exact = S.loss_grid(net, x, y, loss, px, py, xs, ys)
    probe = net.copy()
    px.set(probe, xs[17])
    py.set(probe, ys[42])
    if not np.isclose(exact[42, 17], cost(probe, x, y, loss), rtol=1e-9, atol=1e-12):
        raise RuntimeError("the loss grid does not match the network's cost")
    diff = float(np.max(np.abs(pic - exact)) / np.ptp(exact))
    return {"seconds": time_best(lambda: S.loss_grid_picture(net, x, y, loss, px, py, xs, ys),
                             repeats),
            "float64_seconds": time_best(lambda: S.loss_grid(net, x, y, loss, px, py, xs, ys),
                                     repeats),
            "max_rel_diff": diff,
            "dtype": np.dtype(S.picture_dtype(net, loss, exact.size * len(x) * 17)).name}


def live_b101(seconds: float) -> dict[str, Any] | None:
    """Pictures per second while descent plays over all parameters, and the refinement."""
    from nnviz.bench.gui_bench import _close, _reference_lesson, _run_loop, _spin, _window
    from nnviz.views.labs import available_labs

    if "surface" not in available_labs():
        return None
    win = _window(_reference_lesson("b"))
    try:
        win.show_lab("surface")
        ctl = win.current_lab.controller
        ctl.set_pair(*PAIR)
        ctl.set_span(3.0)
        ctl.wait_idle()
        _spin(0.2)
        shapes: list[tuple[int, ...]] = []
        ctl.surface_changed.connect(lambda: shapes.append(ctl.surface.z.shape))
        steps0, t0 = ctl.steps, time.perf_counter()
        ctl.playback.play()
        _run_loop(seconds)
        live = len(shapes)
        dt = time.perf_counter() - t0
        steps = ctl.steps - steps0
        t1 = time.perf_counter()
        ctl.playback.pause()
        while ctl.busy() and time.perf_counter() - t1 < 30:
            _spin(0.002)
        refine = time.perf_counter() - t1
        full = ctl.surface.z.shape == (ctl.resolution, ctl.resolution)
        return {"live_fps": live / dt, "live_resolution": shapes[0][0] if shapes else None,
                "live_steps_per_s": steps / dt,
                "refine_seconds": refine if full else float("nan"),
                "live_samples": len(ctl.doc.x)}
    finally:
        _close(win)
