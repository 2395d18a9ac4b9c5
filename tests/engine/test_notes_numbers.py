"""The notes' printed numbers: validated on load, compared with exact values, and the
Workbench's step repeated N times equal to N training steps of the engine."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine.files.validate import FormatError
from nnviz.engine.learning.training import TrainConfig, train_step
from nnviz.engine.teaching.lessons import load_lesson, loss_of
from nnviz.engine.teaching.notes_numbers import parse_notes_numbers, sgd_steps


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
    from nnviz.engine.core.network import predict
    from nnviz.engine.learning.training import OptimizerState, train_epoch

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


def _grads(net, x, y, loss):
    from nnviz.engine.core.network import backward, forward

    g = backward(net, forward(net, x.reshape(1, -1)), y.reshape(1, -1), loss)
    return [a.dw for a in g], [a.db for a in g]


def test_train_n_with_momentum_l2_and_frozen_biases_is_the_formula():
    """v ← μ v − η (∂E/∂w + λ2/n · w); w ← w + v, biases frozen: three steps written out."""
    from dataclasses import replace

    from nnviz.engine.learning.optimisers import make_optimiser
    from nnviz.engine.teaching.notes_numbers import optimiser_state, workbench_steps

    les = load_lesson("mazur-2-2-2")
    x, y = les.example()
    loss = loss_of(les)
    cfg = replace(les.train, momentum=0.9, l2=0.5)
    net = les.network.copy()
    vw0 = [np.full_like(w, 0.01) for w in net.weights]      # a velocity reached earlier
    vb0 = [np.zeros_like(b) for b in net.biases]
    earlier = make_optimiser("momentum", momentum=0.9)
    earlier.slots = [{"v": a.copy()} for pair in zip(vw0, vb0) for a in pair]   # [W1, b1, ...]
    state = workbench_steps(net, x, y, loss, cfg, 3, n_train=4,
                            state=optimiser_state(cfg, earlier))
    ws, vs = [w.copy() for w in les.network.weights], [v.copy() for v in vw0]
    ref = les.network.copy()
    for _ in range(3):
        ref.weights = [w.copy() for w in ws]
        gw, _gb = _grads(ref, x, y, loss)
        for l in range(len(ws)):
            vs[l] = 0.9 * vs[l] - 0.5 * (gw[l] + 0.5 / 4 * ws[l])
            ws[l] = ws[l] + vs[l]
    for l in range(len(ws)):
        np.testing.assert_allclose(net.weights[l], ws[l], rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(state.opt.slots[2 * l]["v"], vs[l], rtol=1e-13, atol=1e-15)
    assert net.biases[0].tolist() == [0.35, 0.35] and net.biases[1].tolist() == [0.6, 0.6]


def test_train_n_with_adam_is_the_formula():
    """m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; m^ = m/(1−β₁ᵗ); v^ = v/(1−β₂ᵗ);
    w ← w − η m^/(√v^ + ε), biases trained: four steps written out."""
    from dataclasses import replace

    from nnviz.engine.teaching.notes_numbers import describe_update, workbench_steps

    les = load_lesson("mazur-2-2-2")
    x, y = les.example()
    loss = loss_of(les)
    cfg = replace(les.train, optimiser="adam", eta=0.1, freeze_biases=False,
                  hyper=(("beta1", 0.8), ("beta2", 0.99)))
    net = les.network.copy()
    workbench_steps(net, x, y, loss, cfg, 4)
    ref = les.network.copy()
    params = [a.copy() for pair in zip(ref.weights, ref.biases) for a in pair]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    for t in range(1, 5):
        ref.weights, ref.biases = params[0::2], params[1::2]
        gw, gb = _grads(ref, x, y, loss)
        gs = [a for pair in zip(gw, gb) for a in pair]
        new = []
        for i, (p, g) in enumerate(zip(params, gs)):
            m[i] = 0.8 * m[i] + 0.2 * g
            v[i] = 0.99 * v[i] + 0.01 * g * g
            mh, vh = m[i] / (1 - 0.8 ** t), v[i] / (1 - 0.99 ** t)
            new.append(p - 0.1 * mh / (np.sqrt(vh) + 1e-8))
        params = new
    for l in range(net.n_layers):
        np.testing.assert_allclose(net.weights[l], params[2 * l], rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(net.biases[l], params[2 * l + 1], rtol=1e-13, atol=1e-15)
    assert describe_update(cfg, 1) == "Adam (β₁ = 0.8, β₂ = 0.99, ε = 1e-08)"


@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_train_n_equals_the_step_keys_steps_with_every_option(name):
    """N Workbench steps (the trace's update with momentum or Adam, L1, L2, clipping by
    norm and dropout, each step's masks from the lesson's seed + the step) equal one Train
    N run, the optimiser's state too."""
    from dataclasses import replace

    from nnviz.engine.stepping.trace import build_trace
    from nnviz.engine.stepping.trace_options import StepOptions
    from nnviz.engine.teaching.notes_numbers import describe_update, optimiser_state, workbench_steps

    les = load_lesson("mazur-2-2-2")
    x, y = les.example()
    loss = loss_of(les)
    cfg = replace(les.train, momentum=0.5, l1=0.2, l2=0.3, clip_norm=0.05, dropout=0.4,
                  freeze_biases=False, optimiser=name)
    net, opt = les.network.copy(), None
    for t in range(5):
        opts = StepOptions.from_config(cfg, net, 3, np.random.default_rng(7 + t), opt)
        tr = build_trace(net, x, y, loss, cfg.eta, None, cfg.freeze_biases, opts)
        net, opt = tr.net_after, tr.optimiser
    run = les.network.copy()
    state = workbench_steps(run, x, y, loss, cfg, 5, n_train=3, seed=7,
                            state=optimiser_state(cfg))
    assert state.opt.name == opt.name == name and state.opt.t == opt.t == 5
    for l in range(net.n_layers):
        np.testing.assert_allclose(run.weights[l], net.weights[l], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(run.biases[l], net.biases[l], rtol=1e-12, atol=1e-15)
        for i in (2 * l, 2 * l + 1):
            for k, a in state.opt.slots[i].items():
                np.testing.assert_allclose(a, opt.slots[i][k], rtol=1e-12, atol=1e-15)
    if name == "adam":
        return
    assert describe_update(cfg, 3) == ("Momentum (μ = 0.5), L2 λ = 0.3 (n = 3), L1 λ = 0.2 "
                                       "(n = 3), ‖g‖ clipped at 0.05, dropout p = 0.4 "
                                       "(inverted; a new mask each step)")
