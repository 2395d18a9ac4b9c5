"""Every activation x every loss (where the pair is valid) through everything that asks the
Activation and Loss objects: the trace's neuron-level chain against backward(), the fast
trainer (or the reference it falls back to), central finite differences, the gallery's
curves and the worked Markdown. Adding an activation or a loss adds its cases here."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine.core.activations import ACTIVATIONS, apply_in_place, get_activation
from nnviz.engine.core.losses import LOSSES
from nnviz.engine.core.naming import Naming
from nnviz.engine.core.network import Network, backward, forward
from nnviz.engine.learning.fast import FastTrainer, unsupported_reason
from nnviz.engine.learning.training import OptimizerState, TrainConfig, train_epoch
from nnviz.engine.sets.data import encode, scheme_for
from nnviz.engine.stepping.worked import typeset, worked_markdown
from nnviz.engine.teaching.lessons import Lesson


def _valid(act: str, loss: str) -> bool:
    """Log losses need outputs strictly inside (0, 1): sigmoid or softmax, not the steps or
    the piecewise line (they reach 0 and 1 exactly); a vector output needs more than one."""
    if LOSSES[loss].kind == "quadratic":
        return True
    return act in ("sigmoid", "softmax")


CASES = [(a, l) for a in ACTIVATIONS for l in LOSSES if _valid(a, l)]


def _setup(act: str, loss: str, seed: int = 0):
    """A 2-3-k network (hidden layers softmax-free), one example and its target."""
    rng = np.random.default_rng(seed)
    hidden = "tanh" if ACTIVATIONS[act].vector else act
    k = 3 if ACTIVATIONS[act].vector or LOSSES[loss].kind == "ce" else 2
    net = Network.create([2, 3, k], [hidden, act], rng)
    x = rng.uniform(-1.0, 1.0, size=(1, 2))
    lo, hi = ACTIVATIONS[act].out_range or (-1.0, 1.0)
    if LOSSES[loss].kind == "ce" or ACTIVATIONS[act].vector:
        y = np.eye(k)[[1]]
    else:
        y = rng.uniform(lo + 0.1 * (hi - lo), hi - 0.1 * (hi - lo), size=(1, k))
    return net, x, y, get_activation(act), LOSSES[loss]


def test_the_cases_cover_every_activation_and_loss():
    assert {a for a, _ in CASES} == set(ACTIVATIONS)
    assert {l for _, l in CASES} == set(LOSSES)


@pytest.mark.parametrize("act, loss", CASES)
def test_trace_chain_equals_backward(act, loss):
    from nnviz.engine.stepping.trace import build_trace

    net, x, y, a, lo = _setup(act, loss)
    tr = build_trace(net, x, y, lo, 0.5)
    grads = backward(net, forward(net, x), y, lo)
    out = forward(net, x).output
    # the per-output losses are the loss's own and add up to its total
    np.testing.assert_allclose(tr.errors, lo.per_output(out, y)[0], rtol=1e-15)
    if lo.reduction == "sum":
        assert np.sum(tr.errors) == pytest.approx(tr.total_error, rel=1e-14)
    deltas = [s for s in tr.steps if s.kind == "delta"]
    assert len(deltas) == sum(net.sizes[1:])
    for s in deltas:
        l = s.layer - 1
        assert s.value == pytest.approx(grads[l].delta[0, s.neuron], rel=1e-12, abs=1e-15)
        if len(s.details) == 2 and not (l == net.n_layers - 1 and a.vector):
            dout, fprime = s.details
            # the trace's own chain: dE/dout (the loss's or the layer above's) times f'(z)
            assert dout.value * fprime.value == pytest.approx(s.value, rel=1e-12, abs=1e-15)
            if l == net.n_layers - 1:
                assert dout.value == pytest.approx(lo.grad(out, y)[0, s.neuron], rel=1e-12)
    for s in tr.steps:       # every formula written out, in names and in numbers
        assert s.equation.text() and all(d.text() for d in s.details)


@pytest.mark.parametrize("act, loss", CASES)
def test_gradients_equal_central_differences(act, loss):
    net, x, y, _a, lo = _setup(act, loss, seed=1)
    x = np.vstack([x, np.random.default_rng(2).uniform(-1, 1, size=(3, 2))])
    y = np.repeat(y, 4, axis=0)
    grads = backward(net, forward(net, x), y, lo)
    h = 1e-6
    for l in range(net.n_layers):
        for (j, k), _ in np.ndenumerate(net.weights[l]):
            up, down = net.copy(), net.copy()
            up.weights[l][j, k] += h
            down.weights[l][j, k] -= h
            fd = (lo.value(forward(up, x).output, y) - lo.value(forward(down, x).output, y)) / 2 / h
            assert grads[l].dw[j, k] == pytest.approx(fd, rel=1e-5, abs=1e-7)


@pytest.mark.parametrize("act, loss", CASES)
def test_fast_trainer_or_its_fallback_equals_the_reference(act, loss):
    net, _x, _y, a, lo = _setup(act, loss, seed=3)
    rng = np.random.default_rng(4)
    x = rng.uniform(-1, 1, size=(12, 2))
    y = np.repeat(_y, 12, axis=0)
    cfg = TrainConfig(eta=0.1, batch_size=4)
    ref = net.copy()
    train_epoch(ref, x, y, lo, cfg, OptimizerState(), np.random.default_rng(5))
    trainer = FastTrainer(net, lo, cfg, OptimizerState())
    assert trainer.fast == (unsupported_reason(net, lo, cfg) == "")
    # quadratic losses need the output's elementwise f' (softmax has none: CE only)
    assert trainer.fast == (a.trainer_ops is not None and net.activations[0].trainer_ops
                            is not None and ((lo.kind == "quadratic"
                                              and a.trainer_ops[1] is not None)
                                             or lo.combined_delta(a.name)))
    trainer.train_epoch(x, y, np.random.default_rng(5))
    tol = 1e-12 if trainer.fast else 0.0
    for w_ref, w in zip(ref.weights, net.weights):
        np.testing.assert_allclose(w, w_ref, rtol=0, atol=tol)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_in_place_kernels_equal_the_function(name):
    act = get_activation(name)
    z = np.linspace(-40.0, 40.0, 161).reshape(7, 23)
    want = act.fn(z)
    got = z.copy()
    apply_in_place(act, got)
    if name == "tanh":   # whole passes take tanh through exp: within one ulp of 1
        np.testing.assert_allclose(got, want, rtol=0, atol=np.finfo(float).eps)
        assert np.any(got != want)   # (and that kernel is the one applied)
    else:
        np.testing.assert_array_equal(got, want)  # the fallback and the kernels: bit-equal
    if act.trainer_ops is not None:
        apply, prime = act.trainer_ops
        if act.vector:   # over each column of the trainer's feature-major (k, n) arrays
            t = z.T.copy()
            apply(t, buf=np.empty((1, t.shape[1])))
            np.testing.assert_allclose(t.T, want, rtol=0, atol=1e-15)
            assert prime is None     # used only with the combined delta a - y
            return
        t = z.copy()
        apply(t)
        np.testing.assert_allclose(t, want, rtol=0, atol=1e-15)
        d = np.empty_like(t)
        prime(t, d, np.ones_like(t))
        np.testing.assert_allclose(d, act.prime(z, want), rtol=0, atol=1e-15)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_output_range_and_target_scheme(name):
    act = get_activation(name)
    z = np.linspace(-30.0, 30.0, 600).reshape(-1, 1 if not act.vector else 3)
    a = act.fn(z)
    if act.out_range is not None:
        lo, hi = act.out_range
        assert a.min() >= lo and a.max() <= hi
    # two classes on one output: targets the activation can reach
    t = encode(np.array([0, 1]), 1, name)
    assert scheme_for(1, name) == act.targets
    if act.out_range is not None:
        assert act.out_range[0] <= t.min() and t.max() <= act.out_range[1]
    assert act.colour_range[0] < act.colour_range[1]


def test_piecewise_outputs_get_01_targets_and_a_01_colour_range():
    # the piecewise-linear sigmoid lies in [0, 1]: -1 targets could never be reached
    act = get_activation("piecewise")
    assert encode(np.array([0, 1, 1]), 1, "piecewise").ravel().tolist() == [0.0, 1.0, 1.0]
    assert act.colour_range == (0.0, 1.0)
    assert encode(np.array([0, 1]), 1, "tanh").ravel().tolist() == [-1.0, 1.0]
    assert get_activation("tanh").colour_range == (-1.0, 1.0)


@pytest.mark.parametrize("act, loss", CASES)
def test_worked_markdown_writes_every_formula(act, loss):
    net, x, y, a, lo = _setup(act, loss, seed=6)
    les = Lesson("t", "Every pair", "", net, Naming.layered(net.sizes), loss=loss,
                 example_x=x[0], example_y=y[0])
    md = worked_markdown(les)
    assert a.title in md and lo.title in md and lo.formula in md
    nm = les.naming
    assert typeset(f"{nm.out(2, 0)} = {a.expr(nm.net(2, 0))}") in md      # f, in names
    assert typeset(f"{nm.error(0)} = {lo.expr(nm.target(0), nm.out(2, 0))}") in md
    if not a.vector and not lo.combined_delta(a.name):
        assert typeset(a.prime_expr(nm.net(2, 0), nm.out(2, 0))) in md   # f', in names


def test_the_gallery_shows_every_one_neuron_activation(qapp):
    from nnviz.controllers.neuron.functions import GALLERY, FunctionsController

    assert set(GALLERY) == {n for n, a in ACTIVATIONS.items() if not a.vector}
    ctl = FunctionsController()
    for name in GALLERY:
        act = ctl.gallery_activation(name)
        z, f, fp, _sat = ctl.gallery_curve(name)
        np.testing.assert_array_equal(f, act.fn(z))
        np.testing.assert_array_equal(fp, act.prime(z))
        inner = (np.abs(z) > 1e-3) & (np.abs(np.abs(z) - 0.5) > 1e-3)  # away from kinks
        num = (act.fn(z + 1e-6) - act.fn(z - 1e-6)) / 2e-6
        np.testing.assert_allclose(fp[inner], num[inner], atol=1e-5)
