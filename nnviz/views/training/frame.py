"""One frame of the Training lab: the controller's state read once and drawn into the
readout, the network (each neuron's map in its node), the large map, the charts."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from nnviz.engine.core.summary import shown_neurons
from nnviz.engine.learning.monitor import threshold_for
from nnviz.engine.sets.features import FEATURES, PLAIN
from nnviz.views.training.colours import diverging_rgb32

#: the charts' slow parts (gradient health) and the status text at most ten times a second
#: while training runs
SLOW_S = 0.1
#: the network's edges at most four times a second while training runs (the costliest part),
#: and at most a tenth of the time: a large network's edges (4,736 in 64-32-64-10, ~180 ms
#: to stroke on a loaded machine) are stroked every 10 x their last cost
GRAPH_S = 0.25
GRAPH_SHARE = 10.0
#: a click this near a point (in data units) removes it
REMOVE_RADIUS = 0.3
MAP_CAPTION = "dots: training · rings: test · click: add or remove a point"
#: the map's tooltip: the rest of what a click does
MAP_TIP = ("Click to add a training point of the class chosen in the side panel (right button: "
           "the other class; Shift+click: a test point); click a point to remove it.")


def draw(lab) -> None:
    """Re-read the controller and draw everything once."""
    ctl, ds = lab.ctl, lab.ctl.data
    lab.run_panel.refresh()
    h, hidden = _draw_numbers(lab)
    net = lab.doc.network
    now = time.monotonic()
    if lab.bars.isVisible() and (not ctl.playback.playing or now - lab._slow_at >= SLOW_S):
        lab._slow_at = now
        health = ctl.readouts.health()
        if health is not None:
            lab.bars.set_values(health.delta, health.dw, lab.doc.layer_base)
    plane = ctl.points_in() == 2 and len(ds.x) > 0
    every = max(GRAPH_S, GRAPH_SHARE * lab.graph.edges.seconds)
    if net.is_finite() and (not ctl.playback.playing or now - lab._graph_at >= every):
        # after a blow-up the graph keeps showing the last finite weights
        lab._graph_at = now
        names = list(FEATURES) if plane else []
        active = [n in ctl.features for n in names]
        lab.graph.set_network(net.sizes, net.weights, names, active, True)
        lab.graph.dropped = (ctl.readouts.dropped() if lab.doc.config.dropout > 0
                             and ctl.last_record is not None else None)
    grid = ctl.readouts.grid() if plane else None
    if not len(ds.x):
        lab.map.show_nothing("")
        lab.graph.set_images([])
        lab.thumbs.set_images("No data set fits this network's inputs and outputs: choose "
                              "a data set or import a CSV file.", [], 40, [])
    elif grid is not None and not ds.regression and ds.labels is not None:
        _draw_plane(lab, grid)
    elif plane and ctl.readouts.grid_is_big() and not ds.regression and ds.labels is not None:
        _draw_waiting(lab)
    elif ds.regression and ctl.readouts.curve() is not None:
        xs, ys = ctl.readouts.curve()
        lab.map.show_curve(xs, ys, ds, lab.style_)
        lab.map.caption.setText("The network's curve · " + MAP_CAPTION)
        lab.graph.set_images([])
        lab.thumbs.set_images("", [], 40, [])
    elif net.sizes[0] == 64:
        _draw_digits(lab)
    else:
        lab.map.show_nothing("")
        lab.graph.set_images([])
        why = ("the targets are numbers, not classes (a map shows classes)"
               if plane else f"the network has {net.sizes[0]} inputs")
        lab.thumbs.set_images(f"No map: {why}.", [], 40, [])
    lab.map.setVisible(lab.map.mode != "none")
    lab.thumbs_scroll.setVisible(lab.map.mode == "none")
    if ctl.last_finite is None and lab.message.text().startswith("⚠"):
        lab.message.hide()
    acc = h["test_acc"][-1] if len(h["test_acc"]) and not hidden else float("nan")
    text = f"Training · epoch {ctl.epoch}"
    if np.isfinite(acc):
        text += f" · test accuracy {100 * acc:.1f} %"
    if not ctl.playback.playing or now - lab._text_at >= SLOW_S:
        lab._text_at = now   # while training runs, the status bar (and the captions that
        lab.status.emit(text)  # follow it) at most ten times a second


def _draw_numbers(lab) -> tuple[dict, bool]:
    """The readout and the curves; in predict mode without a hidden step's losses (the
    readout shows "?"). Returns the history shown and whether a step's losses are hidden."""
    ctl = lab.ctl
    hidden = lab.reveal.hidden()
    h = lab.reveal.shown_history(ctl.history.arrays())
    lab.readout.set_values(ctl.epoch, _blowup_scores(ctl) or h, not ctl.data.regression)
    if hidden:
        lab.readout.hide_values()
    lab.curves.set_history(h, not ctl.data.regression)
    return h, hidden


def _blowup_scores(ctl) -> dict | None:
    """Paused by a blow-up: the losses of the network on screen (the last finite step,
    mid-epoch), not the last epoch's record: the readout said 1.031 beside a curve that
    had shot off the chart. None otherwise."""
    if not ctl.blowup_message or ctl.playback.playing:
        return None
    (trl, _tra), (tel, tea) = ctl.scores_now()
    return {"train_loss": np.array([trl]), "test_loss": np.array([tel]),
            "test_acc": np.array([np.nan if tea is None else tea], dtype=float)}


def _input_images(lab) -> np.ndarray:
    """Each offered feature over the plane as RGB32 pixels (n, 50, 50) (made once per
    style)."""
    if lab._input_images is None or lab._input_images[0] != lab.style_:
        maps = lab.ctl.readouts.feature_maps(50)
        lims = [float(np.max(np.abs(maps[..., k]))) or 1.0 for k in range(maps.shape[-1])]
        imgs = np.stack([_pixels(maps[..., k:k + 1], -lim, lim, lab.style_)[0]
                         for k, lim in enumerate(lims)])
        lab._input_images = (lab.style_, imgs)
    return lab._input_images[1]


def _pixels(maps: np.ndarray, lo: float, hi: float, style) -> np.ndarray:
    """A layer's maps (res, res, n) coloured as one stack of RGB32 images (n, res, res),
    row 0 at the top: one colour look-up for the whole layer."""
    return diverging_rgb32(np.moveaxis(maps, -1, 0)[:, ::-1], lo, hi, style)


def _draw_waiting(lab) -> None:
    """A large network's maps are being computed off the GUI thread (or could not be)."""
    ctl, net = lab.ctl, lab.doc.network
    n = sum(w.size for w in net.weights)
    text = (f"No map: {ctl.big_grid.error}" if ctl.big_grid.error else
            f"Computing the decision map of this large network ({n:,} weights) in the "
            "background; the window stays usable and the map appears when it is done.")
    lab.map.show_nothing(text)
    lab.graph.set_images([])
    lab.thumbs.set_images(text, [], 40, [])


def _drawn(layer: np.ndarray, shown: np.ndarray) -> np.ndarray:
    """A layer's maps (res, res, n) cut to the drawn neurons (a large network's grid
    comes already cut)."""
    return layer if layer.shape[-1] == len(shown) else layer[..., shown]


def _draw_plane(lab, grid) -> None:
    """The nodes' small maps, and the output's (or the chosen neuron's) map large."""
    s, ds, net = lab.style_, lab.ctl.data, lab.doc.network
    thr = threshold_for(ds.y)
    rows = [_input_images(lab)]
    for l, layer in enumerate(grid.hidden):
        drawn = _drawn(layer, shown_neurons(net.sizes[l + 1]))
        rows.append(_pixels(drawn[::2, ::2], *net.activations[l].colour_range, s))
    out = grid.output
    small = _drawn(out, shown_neurons(out.shape[-1]))[::2, ::2]
    out_lim = (-1, 1) if thr == 0 else (0, 1)
    if out.shape[-1] > 1:  # one map per class: its probability
        rows.append(_pixels(small, 0, 1, s))
    else:
        rows.append(_pixels(small[..., :1], *out_lim, s))
    lab.graph.set_images(rows)
    lab.thumbs.set_images("", [], 40, [])
    focus = lab._hover or lab._focus
    L = len(net.sizes) - 1
    if focus is not None and 0 < focus[0] < L and focus[1] not in shown_neurons(
            net.sizes[focus[0]]) and grid.hidden[focus[0] - 1].shape[-1] != net.sizes[focus[0]]:
        focus = None  # a neuron the summarised grid has no map of
    if focus is not None and 0 < focus[0] < L and focus[1] < net.sizes[focus[0]]:
        l, j = focus
        lo, hi = net.activations[l - 1].colour_range
        what = f"Hidden layer {l}, neuron {j + 1} ({net.activations[l - 1].name})"
        layer = grid.hidden[l - 1]
        if layer.shape[-1] != net.sizes[l]:  # cut to the drawn neurons (a large network)
            j = int(np.searchsorted(shown_neurons(net.sizes[l]), j))
        lab.map.show_map(replace(grid, output=layer[..., j:j + 1]), ds, s,
                         lab.discrete.isChecked(), 0.0 if lo < 0 else 0.5)
    elif focus is not None and focus[0] == 0 and focus[1] < len(FEATURES):
        name = list(FEATURES)[focus[1]]
        maps = lab.ctl.readouts.feature_maps(100)[..., focus[1]]
        lim = float(np.max(np.abs(maps))) or 1.0
        what = f"Input feature {name}" + ("" if name in lab.ctl.features else " (off)")
        lab.map.show_map(replace(grid, output=maps[..., None] / lim), ds, s, False, 0.0)
    else:
        what = "The network's output"
        lab.map.show_map(grid, ds, s, lab.discrete.isChecked(), thr)
    feats = lab.ctl.features
    tail = "" if feats == PLAIN else " · inputs: " + ", ".join(feats)
    lab.map.caption.setText(f"{what}{tail} · {MAP_CAPTION}")


def _draw_digits(lab) -> None:
    """64 inputs, no plane: each first-layer neuron's weights as an 8×8 image."""
    s, ctl, net = lab.style_, lab.ctl, lab.doc.network
    lab.map.show_nothing("")
    lab.graph.set_images([])
    w = net.weights[0]
    lim = 0.7 * float(np.nanmax(np.abs(w))) or 1.0
    imgs = diverging_rgb32(w.reshape(-1, 8, 8), -lim, lim, s)   # one look-up for all
    px = int(min(72, max(24, (lab.thumbs_scroll.width() - 12) / 8 - 3)))
    acc = ctl.history.test_acc[-1] if len(ctl.history) else float("nan")
    head = (f"<b>Epoch {ctl.epoch} · test accuracy {100 * acc:.1f} %</b><br>"
            if np.isfinite(acc) else "")
    lab.thumbs.set_images(head + "The digits have 64 inputs, so there is no map of the input "
                          "plane. Each image: one first-layer neuron's 64 incoming weights as "
                          "8×8 pixels (blue +, orange −).", [imgs], px,
                          [[f"neuron {j + 1}" for j in range(len(imgs))]], per_row=8, flip=False)
