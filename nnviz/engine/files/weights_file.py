"""Weights files (``"format": "nnviz-weights"``): a network's structure and parameters,
written atomically, read with every value validated (see ``docs/workspace-format.md``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nnviz.engine.core.network import Network
from nnviz.engine.files.atomic import write_atomic
from nnviz.engine.files.json_text import file_pieces
from nnviz.engine.files.network_io import network_from_dict, network_to_dict
from nnviz.engine.files.validate import (
    MAX_FILE_BYTES,
    FormatError,
    check_header,
    loads_json,
    need,
    read_json,
)

WEIGHTS_FORMAT = "nnviz-weights"
VERSION = 1


def weights_to_dict(net: Network, arrays: bool = False) -> dict[str, Any]:
    """A weights file: the network's structure and parameters (``arrays``: see
    :func:`nnviz.engine.files.network_io.network_to_dict`)."""
    return {"format": WEIGHTS_FORMAT, "version": VERSION,
            "network": network_to_dict(net, arrays)}


def save_weights(path: str | Path, net: Network) -> None:
    """Write the network's weights as JSON, atomically."""
    write_atomic(path, file_pieces(weights_to_dict(net, arrays=True)))


def parse_weights(d: Any, like: Network | None = None) -> Network:
    """Validate a weights object; with ``like``, sizes and activations must match it."""
    check_header(d, WEIGHTS_FORMAT, VERSION, "weights file")
    net = network_from_dict(need(d, "network", "weights file"))
    if like is not None:
        check_like(net, like)
    return net


def check_like(net: Network, like: Network) -> None:
    """FormatError unless ``net`` has the sizes, activations and bias kinds of ``like``
    (imported weights replace the current network's values, not its structure)."""
    if net.sizes != like.sizes:
        raise FormatError(f"network.sizes: the file has layers {net.sizes}, the current "
                          f"network {like.sizes}")
    for l, (a, b) in enumerate(zip(net.activations, like.activations)):
        if a.name != b.name:
            raise FormatError(f"network.layers[{l}].activation: the file has {a.name}, the "
                              f"current network {b.name}")
    for l in range(net.n_layers):
        if (net.shared_bias[l], net.use_bias[l]) != (like.shared_bias[l], like.use_bias[l]):
            raise FormatError(f"network.layers[{l}]: the bias kind (shared or not, used or "
                              f"not) differs from the current network")


def read_weights(path: str | Path, like: Network | None = None) -> Network:
    """Read and validate a weights file (see :func:`parse_weights`)."""
    return weights_from(read_json(path), path, like)


def weights_from(obj: Any, path: str | Path, like: Network | None = None) -> Network:
    """Validate the decoded object of the weights file ``path`` (messages name it)."""
    try:
        return parse_weights(obj, like)
    except FormatError as e:
        raise FormatError(f"{Path(path).name}: {e}") from None


def loads_weights(text: str | bytes, like: Network | None = None) -> Network:
    """Parse the text of a weights file."""
    return parse_weights(loads_json(text, MAX_FILE_BYTES), like)
