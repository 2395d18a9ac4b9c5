"""Where the network graph's pieces are: every neuron, shared-bias node and edge in view
units (layer l at x = l), the scale the view shows them at, and the circles' size in
pixels. Owned by :class:`~nnviz.views.items.network_graph.NetworkGraphWidget`
(``graph.coords``); its other parts (texts, placing, picking) read it."""

from __future__ import annotations

import numpy as np

#: layers larger than this get no per-neuron labels (and are drawn packed closer)
MAX_NODE_TEXT = 16


class GraphCoords:
    """The graph's layout in view units, made again for each new shape of network."""

    def __init__(self) -> None:
        self.sizes: list[int] = []              # neurons per layer, inputs first
        self.pos: list[np.ndarray] = []         # per layer, (n_l, 2) neuron centres
        self.bias_pos = np.zeros((0, 2))        # per weight layer, its shared-bias node
        self.edge_src: list[np.ndarray] = []    # per weight layer, (n_out*n_in, 2) sources
        self.src = np.zeros((0, 2))             # all edges' sources, w[l].ravel() order
        self.dst = np.zeros((0, 2))             # and their destinations
        self.offsets = np.zeros(1, int)         # index of each weight layer's first edge
        self.ppu_x = 1e9      # pixels per layout unit from one layer to the next (fit())
        self.ppu_y = 160.0    # and vertically
        self.scale = 1.0      # the style's scale (a projector's larger type and circles)

    def relayout(self, sizes: list[int]) -> None:
        """Positions for a network of ``sizes``: each layer's column centred on y = 0,
        one unit apart (packed closer in a layer too large for texts), the shared-bias
        nodes under the tallest column, between their layers."""
        self.sizes = list(sizes)
        self.pos = []
        for l, n in enumerate(sizes):
            gap = 1.0 if n <= MAX_NODE_TEXT else MAX_NODE_TEXT / n
            ys = (np.arange(n) - (n - 1) / 2) * gap
            self.pos.append(np.column_stack([np.full(n, float(l)), ys]))
        low = max(p[:, 1].max() for p in self.pos) + 1.05
        bp = [(l + 0.5, low) for l in range(len(sizes) - 1)]
        self.bias_pos = np.array(bp, float).reshape(-1, 2)
        # all edges, flattened per layer in w[l].ravel() order (j major, k minor)
        self.edge_src, dst = [], []
        for l in range(len(sizes) - 1):
            n_in, n_out = sizes[l], sizes[l + 1]
            self.edge_src.append(np.tile(self.pos[l], (n_out, 1)))
            dst.append(np.repeat(self.pos[l + 1], n_in, axis=0))
        self.src = np.concatenate(self.edge_src) if dst else np.zeros((0, 2))
        self.dst = np.concatenate(dst) if dst else np.zeros((0, 2))
        self.offsets = np.cumsum([0] + [sizes[l] * sizes[l + 1]
                                        for l in range(len(sizes) - 1)])

    def edge_index(self, i: int) -> tuple[int, int, int]:
        """Edge ``i`` (in the order of ``src``) as the weight (l, j, k)."""
        l = int(np.searchsorted(self.offsets, i, side="right") - 1)
        r = i - self.offsets[l]
        n_in = self.sizes[l]
        return l, int(r // n_in), int(r % n_in)

    def node_size(self, l: int) -> float:
        """Circle diameter in pixels: 44 (scaled) where it fits the spacing on screen."""
        n = self.sizes[l]
        # at most 30 % of the distance between layers: the rest is room for weight labels
        base = min(44 * self.scale, max(24.0, 0.3 * self.ppu_x))
        if n < 2:
            return base
        gap_px = float(self.pos[l][1, 1] - self.pos[l][0, 1]) * self.ppu_y
        # neurons with texts keep 40 % of the gap free: the weight labels go there
        share = 0.6 if n <= MAX_NODE_TEXT else 0.8
        return float(max(3.0, min(base, share * gap_px)))

    def spacing(self, l: int) -> float:
        """The distance between two neighbouring neurons of layer l, in view units."""
        return float(self.pos[l][1, 1] - self.pos[l][0, 1])
