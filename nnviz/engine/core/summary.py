"""Which neurons of a large layer a picture of the network draws (the summarised view).

A layer of more than :data:`MAX_SHOWN` neurons (every lesson's layers have fewer) is drawn
as :data:`SUMMARY_SHOWN` evenly spaced neurons (the first and the last among them) and the
weights between drawn neurons: large enough to see each one's map. The views say so on
screen. The decision maps of a large network keep only these neurons'
maps (a 1,400-neuron layer over a 100 x 100 grid would be 112 MB per layer).
"""

from __future__ import annotations

import numpy as np

#: a layer of more neurons than this is summarised
MAX_SHOWN = 64
#: how many neurons of a summarised layer are drawn
SUMMARY_SHOWN = 24


def shown_neurons(n: int) -> np.ndarray:
    """Indices (0-based, increasing) of the neurons drawn of a layer of ``n``: all of them
    up to :data:`MAX_SHOWN`, else :data:`SUMMARY_SHOWN` evenly spaced from the first to
    the last."""
    if n <= MAX_SHOWN:
        return np.arange(n)
    return np.unique(np.round(np.linspace(0, n - 1, SUMMARY_SHOWN)).astype(int))


def summary_text(n: int) -> str:
    """What the picture of a summarised layer of ``n`` neurons shows, in words."""
    idx = shown_neurons(n) + 1
    return (f"{len(idx)} of {n:,} neurons drawn, evenly spaced "
            f"(neurons {idx[0]}, {idx[1]}, {idx[2]}, … {idx[-1]:,})")
