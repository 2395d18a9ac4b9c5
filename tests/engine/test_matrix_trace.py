"""The layer-by-layer (matrix) trace: equal to the neuron-by-neuron trace at every step,
the notes' BP1-BP4 numbers, mini-batches as notes 004's algorithm and Nielsen's
update_mini_batch, written out independently here."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from nnviz.engine import get_loss
from nnviz.engine.core.activations import ACTIVATIONS
from nnviz.engine.core.network import Network, backward, forward
from nnviz.engine.stepping.matrix_trace import Mat, build_matrix_trace, neuron_position
from nnviz.engine.stepping.trace import build_trace
from nnviz.engine.teaching.lessons import load_lesson, loss_of

BIG = 10**9


def _neuron_values(tr, idx) -> np.ndarray:
    """The values of the neuron trace's steps at the reveal indices ``idx``."""
    return np.array([tr.steps[int(i) - 1].value for i in np.ravel(idx)]).reshape(idx.shape)


def _compare(mt, tr, net, freeze):
    """Every matrix step against the neuron steps that compute the same quantities."""
    for s in mt.steps:
        l = s.layer - 1
        if s.kind == "z":
            expect = _neuron_values(tr, tr.idx_net[l])
        elif s.kind == "a":
            expect = _neuron_values(tr, tr.idx_out[l])
        elif s.kind == "delta":
            expect = _neuron_values(tr, tr.idx_delta[l])
        elif s.kind == "grad_w":
            expect = _neuron_values(tr, tr.idx_dw[l])
        elif s.kind == "grad_b":
            if freeze:
                assert np.allclose(s.value.ravel(), tr.grads[l].db, rtol=1e-12, atol=1e-15)
                continue
            expect = _neuron_values(tr, tr.idx_db[l])
        elif s.kind == "update_w":
            expect = _neuron_values(tr, tr.idx_w[l])
        elif s.kind == "update_b":
            expect = _neuron_values(tr, tr.idx_b[l])
        elif s.kind == "error":
            expect = np.array([tr.total_error])
        else:
            expect = np.array([tr.total_after])
        assert np.allclose(s.value.ravel(), np.ravel(expect), rtol=1e-11, atol=1e-14), \
            (s.title, s.value, expect)


def _setups():
    """(hidden activation, output activation, loss) for every activation and every loss."""
    out = []
    for name in ACTIVATIONS:
        out.append((name, "sigmoid", "half_sse"))
        out.append((name, name, "mse"))
    out += [("tanh", "sigmoid", "binary_cross_entropy"), ("relu", "softmax", "cross_entropy"),
            ("sigmoid", "softmax", "half_sse"), ("softmax", "linear", "half_sse")]
    return out


@pytest.mark.parametrize("hidden,output,loss_name", _setups())
def test_matrix_trace_equals_the_neuron_trace_at_every_step(hidden, output, loss_name):
    rng = np.random.default_rng(zlib.crc32(f"{hidden} {output} {loss_name}".encode()))
    for trial in range(3):
        sizes = [int(rng.integers(1, 5)) for _ in range(int(rng.integers(3, 5)))]
        if output == "softmax":
            sizes[-1] = max(2, sizes[-1])
        acts = [hidden] * (len(sizes) - 2) + [output]
        net = Network.create(sizes, acts, rng, init="uniform", init_scale=1.5,
                             bias=float(rng.normal()))
        net.shared_bias = [bool(rng.integers(2)) for _ in range(net.n_layers)]
        net.use_bias = [bool(rng.integers(3)) for _ in range(net.n_layers)]
        for b, sh in zip(net.biases, net.shared_bias):
            b[:] = b[0] if sh else rng.normal(size=b.size)
        x = rng.normal(size=sizes[0])
        y = rng.random(sizes[-1])
        if loss_name == "cross_entropy":
            y = y / y.sum()
        freeze = bool(trial == 1)
        loss = get_loss(loss_name)
        tr = build_trace(net, x, y, loss, 0.3, freeze_biases=freeze)
        mt = build_matrix_trace(net, x, y, loss, 0.3, freeze_biases=freeze)
        _compare(mt, tr, net, freeze)
        assert mt.net_after.equals(tr.net_after) or all(
            np.allclose(a, b, rtol=1e-12) for a, b in zip(mt.net_after.weights,
                                                         tr.net_after.weights))
        ks = [neuron_position(s, tr) for s in mt.steps]
        assert ks == sorted(ks) and ks[-1] == len(tr)


def test_mazur_bp1_to_bp4_reproduce_the_notes():
    les = load_lesson("mazur-2-2-2")
    x, y = les.example()
    mt = build_matrix_trace(les.network, x, y, loss_of(les), les.train.eta,
                            freeze_biases=True)
    by = {(s.label or s.kind, s.layer): s for s in mt.steps}
    assert [s.label for s in mt.steps if s.label] == ["BP1", "BP3", "BP4", "BP2", "BP3", "BP4"]
    assert np.round(by[("BP1", 2)].value.ravel(), 9).tolist() == [0.138498562, -0.038098237]
    assert round(by[("BP4", 2)].value[0, 0], 9) == 0.082167041      # ∂E/∂w5 = δ_o1 out_h1
    assert round(by[("BP4", 1)].value[0, 0], 9) == 0.000438568      # ∂E/∂w1
    assert np.round(by[("update_w", 2)].value, 9).ravel().tolist() == [
        0.35891648, 0.408666186, 0.51130127, 0.561370121]
    for v, printed in zip(by[("update_w", 1)].value.ravel(),
                          ("0.149780716", "0.19956143", "0.24975114", "0.29950229")):
        assert round(v, len(printed) - 2) == float(printed)     # to the digits printed
    assert round(mt.total_after, 9) == 0.291027774
    # BP2 is drawn with the transpose: (W^3)ᵀ holds w5, w7 in its first row
    bp2 = by[("BP2", 1)]
    wt = next(t for t in bp2.lines[0] if isinstance(t, Mat))
    assert wt.name == "(W^3)ᵀ" and wt.values.tolist() == [[0.4, 0.5], [0.45, 0.55]]
    # BP1 as two column vectors and their Hadamard product
    mats = [t for t in by[("BP1", 2)].lines[0] if isinstance(t, Mat)]
    assert [m.shape for m in mats] == [(2, 1)] * 3 and "⊙" in by[("BP1", 2)].lines[0]
    assert np.allclose(mats[0].values * mats[1].values, mats[2].values)


def test_layer_numbering_one_based_by_default_zero_based_as_an_option():
    les = load_lesson("mazur-2-2-2")
    x, y = les.example()
    one = build_matrix_trace(les.network, x, y, loss_of(les), 0.5)
    zero = build_matrix_trace(les.network, x, y, loss_of(les), 0.5, base=0)
    assert one.steps[0].formula == "z^2 = W^2 a^1 + b^2"
    assert zero.steps[0].formula == "z^1 = W^1 a^0 + b^1"
    assert next(s for s in one.steps if s.label == "BP1").formula.startswith("δ^3 =")


def test_linear_2_2_1_notes_003_forms_with_the_notes_rounding():
    les = load_lesson("linear-2-2-1")
    x, y = les.example()
    mt = build_matrix_trace(les.network, x, y, loss_of(les), les.train.eta,
                            names=les.naming, notes_digits=(3, 2))
    out_upd = next(s for s in mt.steps if s.kind == "update_w" and s.layer == 2)
    hid_upd = next(s for s in mt.steps if s.kind == "update_w" and s.layer == 1)
    def mats(step):
        return {m.name: m for m in step.lines[1] if isinstance(m, Mat)}

    notes = mats(out_upd)
    assert notes["(W^3)ᵀ"].names == (("w5",), ("w6",))             # [w5; w6]
    assert notes["a^2"].names == (("h1",), ("h2",))                 # − aΔ [h1; h2]
    assert "0.05·(−0.809)·" in out_upd.lines[1]
    prod = notes["η a δᵀ"]
    assert np.round(prod.values, 3).ravel().tolist() == [-0.034, -0.019] and prod.digits == 3
    new = notes["(W^3)ᵀ new"]
    assert new.digits == 2 and np.round(new.values, 2).ravel().tolist() == [0.17, 0.17]
    hid = mats(hid_upd)
    assert hid["(W^2)ᵀ"].names == (("w1", "w3"), ("w2", "w4"))       # [[w1 w3], [w2 w4]]
    assert hid["a^1"].names == (("i1",), ("i2",))
    assert hid["W^3"].names == (("w5", "w6"),)                       # aΔ [i1; i2][w5 w6]
    prod = hid["η a δᵀ"]
    assert np.round(prod.values, 3).tolist() == [[-0.011, -0.012], [-0.017, -0.018]]
    assert np.round(hid["(W^2)ᵀ new"].values, 2).tolist() == [[0.12, 0.13], [0.23, 0.10]]
    assert np.isclose(mt.steps[5].value[0], -0.809)                 # Δ = prediction − actual


def test_mini_batch_is_notes_004_algorithm_5_3():
    """W ← W − (η/m) Σₓ δ^(x,l) (a^(x,l−1))ᵀ, written out here with Nielsen's loops."""
    rng = np.random.default_rng(7)
    net = Network.create([3, 4, 2], "sigmoid", rng, init="uniform", init_scale=1.0, bias=0.1)
    X, Y = rng.normal(size=(5, 3)), rng.random((5, 2))
    eta, m = 0.7, 5
    mt = build_matrix_trace(net, X, Y, get_loss("mse"), eta)
    nabla_w = [np.zeros_like(w) for w in net.weights]
    nabla_b = [np.zeros_like(b) for b in net.biases]
    for x, y in zip(X, Y):
        a, acts, zs = x.reshape(-1, 1), [x.reshape(-1, 1)], []
        for w, b in zip(net.weights, net.biases):
            zs.append(w @ a + b.reshape(-1, 1))
            a = 1 / (1 + np.exp(-zs[-1]))
            acts.append(a)
        sp = [ac * (1 - ac) for ac in acts[1:]]
        d = (acts[-1] - y.reshape(-1, 1)) * sp[-1]
        deltas = [None, d]
        deltas[0] = (net.weights[1].T @ d) * sp[0]
        for l in range(2):
            nabla_w[l] += deltas[l] @ acts[l].T
            nabla_b[l] += deltas[l].ravel()
    for l in range(2):
        assert np.allclose(mt.net_after.weights[l], net.weights[l] - eta / m * nabla_w[l])
        assert np.allclose(mt.net_after.biases[l], net.biases[l] - eta / m * nabla_b[l])
    per_x = [s for s in mt.steps if s.label in ("BP1", "BP2")]
    assert len(per_x) == 2 * m and {s.example for s in per_x} == set(range(m))
    sums = [s for s in mt.steps if s.kind == "sum_w"]
    assert [s.formula for s in sums][0] == "∂C/∂W^2 = (1/m) Σₓ δ^(x,2) (a^(x,1))ᵀ"
    upd = next(s for s in mt.steps if s.kind == "update_w")
    assert upd.formula.endswith("= W^2 − (η/m) Σₓ δ^(x,2) (a^(x,1))ᵀ")
    g = backward(net, forward(net, X), Y, get_loss("mse"))
    assert np.allclose(sums[1].value, g[1].dw)


def test_sigmoid_neuron_two_point_sums_reach_the_notes_epoch_one():
    les = load_lesson("sigmoid-neuron")
    X, Y = les.dataset()
    mt = build_matrix_trace(les.network, X, Y, loss_of(les), les.train.eta)
    assert round(float(mt.net_after.weights[0][0, 0]), 10) == -1.9945076808
    assert round(float(mt.net_after.biases[0][0]), 10) == -1.9922888408
    assert round(mt.total_error, 10) == 0.4158199010
    assert round(mt.total_after, 10) == 0.4157298551
    s = next(s for s in mt.steps if s.kind == "sum_w")
    assert s.formula == "∂C/∂W^2 = Σₓ δ^(x,2) (a^(x,1))ᵀ"   # E_total is a sum: no 1/m
    assert len([t for t in s.lines[0] if isinstance(t, Mat)]) == 3


def test_softmax_ce_true_gradient_for_targets_not_summing_to_one():
    rng = np.random.default_rng(3)
    net = Network.create([2, 3], ["softmax"], rng, init="uniform", init_scale=1.0)
    x, y = np.array([[0.3, -0.2]]), np.array([[0.5, 0.5, 0.5]])
    loss = get_loss("cross_entropy")
    g = backward(net, forward(net, x), y, loss)[0]
    eps, num = 1e-6, np.zeros_like(net.weights[0])
    for j in range(3):
        for k in range(2):
            for sgn in (1, -1):
                n2 = net.copy()
                n2.weights[0][j, k] += sgn * eps
                num[j, k] += sgn * loss.value(forward(n2, x).output, y) / (2 * eps)
    assert np.allclose(g.dw, num, atol=1e-8)
    tr = build_trace(net, x[0], y[0], loss, 0.1)
    d = next(s for s in tr.steps if s.kind == "delta")
    assert "Σ_k target_k" in d.equation.text()
