"""What each layer of a network computes on a batch: histograms of the weighted inputs z
and the activations a, layer by layer, to see saturation and vanishing signals across
depth (notes 002-004: weight initialisation and saturation)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.engine.core.network import Network, forward

Array = np.ndarray
BINS = 30
#: |a - edge| below this counts as saturated (sigmoid, tanh)
SATURATED = 0.02


@dataclass
class LayerHist:
    """One layer's histograms (counts over ``edges``) and summary numbers."""

    layer: int                 # 1 = first hidden layer
    activation: str
    z_edges: Array
    z_counts: Array
    a_edges: Array
    a_counts: Array
    z_mean: float
    z_std: float
    a_mean: float
    a_std: float
    saturated: float           # share of activations within SATURATED of a flat end (or 0)


def _range(values: Array, fixed: tuple[float, float] | None) -> tuple[float, float]:
    if fixed is not None:
        return fixed
    f = values[np.isfinite(values)]
    if f.size == 0:
        return (-1.0, 1.0)
    lo, hi = float(f.min()), float(f.max())
    if hi - lo < 1e-12:
        lo, hi = lo - 0.5, hi + 0.5
    return lo, hi


def layer_histograms(net: Network, x: Array, bins: int = BINS, z_span: float | None = None
                     ) -> list[LayerHist]:
    """Histograms of z and a for every layer after the input, on the inputs ``x``.

    z uses ±``z_span`` for every layer (default: the largest finite |z| of all layers, so
    the layers compare at a glance); a uses the activation's range (sigmoid [0, 1], tanh
    [-1, 1]) or the layer's own.
    """
    with np.errstate(all="ignore"):
        fwd = forward(net, np.asarray(x, dtype=np.float64))
    if not z_span:
        finite = [np.abs(z[np.isfinite(z)]) for z in fwd.zs]
        z_span = max([float(f.max()) for f in finite if f.size] + [1e-3])
    out = []
    for l, (z, a) in enumerate(zip(fwd.zs, fwd.activations[1:])):
        act = net.activations[l]
        name = act.name
        zr = (-z_span, z_span)
        ar = _range(a, act.out_range)  # a bounded activation's own range: layers compare
        zc, ze = np.histogram(np.clip(z, *zr), bins=bins, range=zr)
        ac, ae = np.histogram(np.clip(a, *ar), bins=bins, range=ar)
        sat = 0.0
        if act.saturates and act.out_range is not None:
            lo, hi = act.out_range
            sat = float(np.mean((a - lo < SATURATED) | (hi - a < SATURATED)))
        out.append(LayerHist(l + 1, name, ze, zc, ae, ac, float(np.mean(z)), float(np.std(z)),
                             float(np.mean(a)), float(np.std(a)), sat))
    return out
