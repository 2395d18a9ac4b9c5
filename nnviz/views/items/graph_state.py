"""What the network graph shows on top of the network (values, texts, highlights)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class GraphState:
    """What the graph shows on top of the network; every field is optional.

    ``node_values[l]``: (n_l,) values filling the circles of layer l (NaN = unknown).
    ``node_text[(l, j)]``: lines ``(text, role)`` shown beside neuron j of layer l,
    role one of "value", "gradient", "muted", "highlight".
    ``edge_text[(l, j, k)]``: lines replacing the default label of weight w[l][j, k].
    ``target_text[j]``: lines shown right of output neuron j (replace the default).
    ``target_room[j]``: the longest lines output j will show later (its error, the total
    error): room is kept for them at the right, so they never run out of the view and
    the network does not move when they appear.
    ``value_lines``: the most lines ``node_text`` gives a neuron in this pass: room is
    kept for them above the top neurons and below the bottom ones (xor-mlp's four lines,
    net, out, δ and its own bias, ran over the edges at 1024x768).
    ``active``: the spotlighted neuron (layer, j).
    ``active_edges`` / ``gradient_edges``: per weight layer boolean (n_out, n_in) masks.
    ``weights`` / ``biases``: arrays drawn instead of the network's.
    """

    node_values: list[np.ndarray] | None = None
    node_text: dict[tuple[int, int], list[tuple[str, str]]] = field(default_factory=dict)
    edge_text: dict[tuple[int, int, int], list[tuple[str, str]]] = field(default_factory=dict)
    target_text: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    target_room: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    value_lines: int = 3
    active: tuple[int, int] | None = None
    active_edges: list[np.ndarray] | None = None
    gradient_edges: list[np.ndarray] | None = None
    weights: list[np.ndarray] | None = None
    biases: list[np.ndarray] | None = None
