"""Structural edits keep what they can and give consistent shapes."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine.core import edit
from nnviz.engine.core.network import Network, forward


@pytest.fixture
def net():
    return Network.create([3, 4, 2], rng=np.random.default_rng(0))


def test_resize_keeps_existing_weights(net):
    rng = np.random.default_rng(1)
    bigger = edit.resize_layer(net, 1, 6, rng)
    assert bigger.sizes == [3, 6, 2]
    assert np.array_equal(bigger.weights[0][:4], net.weights[0])
    assert np.array_equal(bigger.weights[1][:, :4], net.weights[1])
    smaller = edit.resize_layer(net, 1, 2, rng)
    assert np.array_equal(smaller.weights[0], net.weights[0][:2])
    forward(smaller, np.ones((1, 3)))
    with pytest.raises(ValueError):
        edit.resize_layer(net, 2, 3, rng)      # the output layer
    with pytest.raises(ValueError):
        edit.resize_layer(net, 1, 0, rng)


def test_insert_and_remove_layer(net):
    rng = np.random.default_rng(2)
    deeper = edit.insert_layer(net, 2, 5, "relu", rng)
    assert deeper.sizes == [3, 4, 5, 2]
    assert deeper.activations[1].name == "relu"
    assert np.array_equal(deeper.weights[0], net.weights[0])
    back = edit.remove_layer(deeper, 2, rng)
    assert back.sizes == [3, 4, 2]
    assert forward(back, np.ones((2, 3))).output.shape == (2, 2)
    with pytest.raises(ValueError):
        edit.remove_layer(net, 2, rng)


def test_set_activation(net):
    out = edit.set_activation(net, 1, "tanh")
    assert out.activations[0].name == "tanh" and net.activations[0].name != "tanh"
    with pytest.raises(ValueError):
        edit.set_activation(net, 1, "softmax")
    with pytest.raises(ValueError):
        edit.set_activation(net, 1, "nope")
