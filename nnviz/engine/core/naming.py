"""Names of neurons, weights and biases, as a lesson defines them.

Flat names follow the notes (i1, h1, o1, w1..w8, b1, b2); without them the
layer notation of Nielsen is used (a^l_j, z^l_j, w^l_jk, b^l_j, delta^l_j),
with the input layer as layer ``base``: 1 as notes 002 and 004 number it (the
first hidden layer's weights are w^2_jk), or 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def fmt(x: float) -> str:
    """A number as the notes print it: up to 9 decimals, trailing zeros dropped."""
    x = float(x)
    if x != x or x in (float("inf"), float("-inf")):
        return str(x)
    if x == 0:
        return "0"
    ax = abs(x)
    if ax >= 1e7 or ax < 1e-6:
        return f"{x:.9g}"
    s = f"{x:.9f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


class _LayerWeightNames(Sequence):
    """The names w^l_jk of one weight layer, as rows of lists made when first used.

    A 784-100-10 network has 79,400 weights; naming them all up front took a noticeable
    part of the start-up (every lesson is read for the Lessons menu).
    """

    def __init__(self, l: int, n_in: int, n_out: int, base: int = 1) -> None:
        self.l, self.n_in, self.n_out, self.base = l, n_in, n_out, base
        self._rows: dict[int, list[str]] = {}

    def __len__(self) -> int:
        return self.n_out

    def __getitem__(self, j):
        if isinstance(j, slice):
            return [self[i] for i in range(*j.indices(self.n_out))]
        j = j + self.n_out if j < 0 else j
        if not 0 <= j < self.n_out:
            raise IndexError(j)
        row = self._rows.get(j)
        if row is None:
            sep = "" if max(self.n_in, self.n_out) < 10 else ","
            head = f"w^{self.l + self.base + 1}_{j + 1}{sep}"
            row = self._rows[j] = [f"{head}{k + 1}" for k in range(self.n_in)]
        return row

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and len(other) == len(self) and all(
            list(a) == list(b) for a, b in zip(self, other))

    def __repr__(self) -> str:
        return f"<weight names of layer {self.l + self.base + 1}: {self.n_out} x {self.n_in}>"


@dataclass
class Naming:
    """Display names for one network.

    ``neurons[l][j]`` names neuron j of layer l (layer 0 = inputs);
    ``weights[l][j][k]`` names the weight from neuron k of layer l to neuron j
    of layer l + 1; ``biases[l]`` holds one name (shared bias) or one per neuron.
    The templates place a neuron name ``{n}`` into net/out/target/error/delta names.
    """

    neurons: list[list[str]]
    weights: list[list[list[str]]]
    biases: list[list[str]]
    net_t: str = "net_{n}"
    out_t: str = "out_{n}"
    target_t: str = "target_{n}"
    error_t: str = "E_{n}"
    delta_t: str = "δ_{n}"
    total_error: str = "E_total"
    layer_notation: bool = False
    base: int = 1          # the number of the input layer in titles and superscripts

    @classmethod
    def layered(cls, sizes: list[int], base: int = 1) -> Naming:
        """Layer notation: inputs x1.., neurons a^l_j, weights w^l_jk, biases b^l_j, the
        input layer being layer ``base`` (1 as the notes, or 0)."""
        if base not in (0, 1):
            raise ValueError("the input layer is layer 0 or layer 1")
        neurons = [[f"x{k + 1}" for k in range(sizes[0])]]
        neurons += [[f"{l + base}_{j + 1}" for j in range(n)]
                    for l, n in enumerate(sizes[1:], 1)]
        weights = [_LayerWeightNames(l, n_in, n_out, base)
                   for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]))]
        biases = [[f"b^{l + base + 1}_{j + 1}" for j in range(n)]
                  for l, n in enumerate(sizes[1:])]
        return cls(neurons, weights, biases, net_t="z^{n}", out_t="a^{n}", target_t="y_{j}",
                   error_t="C_{j}", delta_t="δ^{n}", total_error="C", layer_notation=True,
                   base=base)

    def layer_number(self, layer: int) -> int:
        """The printed number of network layer ``layer`` (0 = the inputs)."""
        return layer + self.base

    def label(self, l: int, j: int) -> str:
        """Short label drawn on a neuron (i1, h1, a^1_2)."""
        n = self.neurons[l][j]
        if self.layer_notation and l > 0:
            return f"a^{n}"
        return n

    def out(self, l: int, j: int) -> str:
        """Name of a neuron's output (an input's value is the input's own name)."""
        n = self.neurons[l][j]
        if l == 0:
            return n
        return self.out_t.format(n=n, j=j + 1)

    def net(self, l: int, j: int) -> str:
        return self.net_t.format(n=self.neurons[l][j], j=j + 1)

    def target(self, j: int) -> str:
        return self.target_t.format(n=self.neurons[-1][j], j=j + 1)

    def error(self, j: int) -> str:
        return self.error_t.format(n=self.neurons[-1][j], j=j + 1)

    def delta(self, l: int, j: int) -> str:
        return self.delta_t.format(n=self.neurons[l][j], j=j + 1)

    def weight(self, l: int, j: int, k: int) -> str:
        """Weight of weight-layer l (0-based) from neuron k below to neuron j."""
        return self.weights[l][j][k]

    def bias(self, l: int, j: int) -> str:
        """Bias of neuron j in weight-layer l (0-based)."""
        names = self.biases[l]
        return names[0] if len(names) == 1 else names[j]
