"""What nnviz can save it can open again: the largest network it takes (2 M weights)
round-trips through a file, and saving refuses to write a file over the open limit."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine.core.activations import get_activation
from nnviz.engine.core.network import Network
from nnviz.engine.files import weights_file as W
from nnviz.engine.files.validate import FormatError


def _net(n: int) -> Network:
    rng = np.random.default_rng(0)
    ws = [rng.normal(size=(n, n)), rng.normal(size=(n, n))]
    return Network(ws, [np.zeros(n), np.zeros(n)], [get_activation("sigmoid")] * 2,
                   [False, False], [True, True])


def test_a_2m_weight_network_reopens(tmp_path):
    net = _net(1000)
    p = tmp_path / "big.json"
    W.save_weights(p, net)
    assert p.stat().st_size > 20 * 2**20  # over the old 20 MB limit
    assert W.read_weights(p).equals(net)


def test_saving_refuses_what_could_not_be_opened(tmp_path, monkeypatch):
    from nnviz.engine.files import json_text

    monkeypatch.setattr(json_text, "MAX_FILE_BYTES", 10_000)
    with pytest.raises(FormatError, match="over the 0 MB nnviz opens|nnviz opens"):
        W.save_weights(tmp_path / "w.json", _net(30))
    assert not (tmp_path / "w.json").exists()
