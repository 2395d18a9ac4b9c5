"""The notes' printed numbers: validated on load, compared with exact values, and the
Workbench's step repeated N times equal to N training steps of the engine."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine.lessons import load_lesson, loss_of
from nnviz.engine.notes_numbers import parse_notes_numbers, sgd_steps
from nnviz.engine.training import TrainConfig, train_step
from nnviz.engine.validate import FormatError


def test_mazur_notes_numbers_and_their_exact_values():
    les = load_lesson("mazur-2-2-2")
    x, y = les.example()
    loss = loss_of(les)
    by = {n.label: n for n in les.notes_numbers}
    term = by["∂E_o2/∂out_h1"]
    assert term.as_printed(term.exact(les.network, x, y, loss)) == "-0.019049118"
    assert round(term.exact(les.network, x, y, loss), 10) == -0.0190491183
    net = les.network.copy()
    sgd_steps(net, x, y, loss, 0.5, 10_000, True)
    assert abs(by["E_total after 10,000 updates"].exact(net, x, y, loss) - 0.0000351019) < 1e-10
    assert abs(by["out_o1 after 10,000 updates"].exact(net, x, y, loss) - 0.01591362) < 1e-8
    assert abs(by["out_o2 after 10,000 updates"].exact(net, x, y, loss) - 0.98406427) < 1e-8
    # the notes' printed values to about 1e-5, as REFERENCE asks
    for label in ("E_total after 10,000 updates", "out_o1 after 10,000 updates",
                  "out_o2 after 10,000 updates"):
        assert abs(by[label].exact(net, x, y, loss) - float(by[label].printed)) < 1e-5
    assert net.biases[0].tolist() == [0.35, 0.35]


def test_sgd_steps_equal_engine_training_steps():
    les = load_lesson("mazur-2-2-2")
    x, y = les.example()
    a, b = les.network.copy(), les.network.copy()
    sgd_steps(a, x, y, loss_of(les), 0.5, 5, False)
    for _ in range(5):
        train_step(b, x.reshape(1, -1), y.reshape(1, -1), loss_of(les),
                   TrainConfig(eta=0.5, freeze_biases=False))
    assert all(np.allclose(p, q, rtol=0, atol=1e-15) for p, q in zip(a.weights, b.weights))
    assert all(np.allclose(p, q, rtol=0, atol=1e-15) for p, q in zip(a.biases, b.biases))


@pytest.mark.parametrize("entry", [
    "x", {"label": "a", "quantity": "eval", "printed": "1"},
    {"label": "a", "quantity": "output", "index": [5], "printed": "1"},
    {"label": "a", "quantity": "output", "index": [0], "printed": "1e9999x"},
    {"label": "a", "quantity": "output", "index": [True], "printed": "1"},
    {"label": "a", "quantity": "backprop_term", "index": [0, 0, 0], "printed": "1"},
    {"label": "a", "quantity": "total_error", "steps": -1, "printed": "1"},
    {"label": "a", "quantity": "total_error", "steps": 10**12, "printed": "1"},
    {"label": 3, "quantity": "total_error", "printed": "1"},
])
def test_hostile_notes_numbers_are_refused(entry):
    with pytest.raises(FormatError):
        parse_notes_numbers({"notes_numbers": [entry]}, [2, 2, 2])


def test_keras_lab_notes_has_the_notes_settings_and_learns_little_in_50_epochs():
    """Notes 000's code: init='uniform' (±0.05), ReLU, Dropout(0.5), softmax, categorical
    cross-entropy, optimizer='sgd' (lr 0.01), nb_epoch=50, batch_size=128."""
    from nnviz.engine.network import predict
    from nnviz.engine.training import OptimizerState, train_epoch

    les = load_lesson("keras-lab-notes")
    cfg = les.train
    assert (cfg.eta, cfg.batch_size, les.epochs, cfg.dropout) == (0.01, 128, 50, 0.5)
    assert les.init == ("uniform", 0.05, 0.0) and les.loss == "cross_entropy"
    assert [a.name for a in les.network.activations] == ["relu", "relu", "softmax"]
    x, y = les.dataset()
    rng = np.random.default_rng(0)
    idx = rng.permutation(len(x))
    train, test = idx[: len(x) // 2], idx[len(x) // 2:]
    net, state = les.network.copy(), OptimizerState()
    for _ in range(les.epochs):
        train_epoch(net, x[train], y[train], loss_of(les), cfg, state, rng)
    acc = float(np.mean(predict(net, x[test]).argmax(1) == y[test].argmax(1)))
    assert acc < 0.2                    # the description: "still guesses (about 10 %)"
