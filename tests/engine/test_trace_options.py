"""A worked step with the lesson's options: L1, L2, momentum, clipping and dropout, each
written out in the update equations, each update checked against its formula written out
here and against the training engine's train_step."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.engine import get_loss
from nnviz.engine.core.naming import fmt
from nnviz.engine.core.network import Network, backward, forward
from nnviz.engine.learning.optimisers import make_optimiser
from nnviz.engine.learning.training import OptimizerState, TrainConfig, train_step
from nnviz.engine.stepping.trace import build_trace
from nnviz.engine.stepping.trace_options import StepOptions
from nnviz.engine.teaching.lessons import load_lesson, loss_of


def _mazur():
    les = load_lesson("mazur-2-2-2")
    x, y = les.example()
    return les, les.network.copy(), x, y, loss_of(les)


def _plain_grads(net, x, y, loss):
    return backward(net, forward(net, x.reshape(1, -1)), y.reshape(1, -1), loss)


def test_l2_and_l1_update_is_w_minus_eta_times_the_regularised_gradient():
    les, net, x, y, loss = _mazur()
    lam2, lam1, n, eta = 0.2, 0.05, 4, 0.5
    opts = StepOptions(l1=lam1, l2=lam2, n=n)
    tr = build_trace(net, x, y, loss, eta, les.naming, True, opts)
    g = _plain_grads(net, x, y, loss)
    for l in range(2):
        w = net.weights[l]
        expect = w - eta * (g[l].dw + lam2 / n * w + lam1 / n * np.sign(w))   # written out
        assert np.allclose(tr.net_after.weights[l], expect, rtol=0, atol=1e-15)
    w5 = next(s for s in tr.steps if s.equation.lhs == "w5⁺")
    assert w5.equation.text().startswith("w5⁺ = w5 - η*g_w5 = 0.4 - 0.5*")
    d = w5.details[0]
    assert d.lhs == "g_w5" and "λ2/n*w5" in d.text() and "λ1/n*sgn(w5)" in d.text()
    assert "0.2/4*0.4" in d.text() and "0.05/4*1" in d.text()
    assert np.isclose(d.value, g[1].dw[0, 0] + 0.2 / 4 * 0.4 + 0.05 / 4)
    cfg = TrainConfig(eta=eta, l1=lam1, l2=lam2, freeze_biases=True)
    ref = net.copy()
    train_step(ref, x.reshape(1, -1), y.reshape(1, -1), loss, cfg, n_train=n)
    assert all(np.allclose(a, b, rtol=0, atol=1e-15) for a, b in
               zip(ref.weights, tr.net_after.weights))


def test_momentum_velocity_written_out_over_two_steps():
    les, net, x, y, loss = _mazur()
    mu, eta = 0.9, 0.5
    tr1 = build_trace(net, x, y, loss, eta, les.naming, True,
                      StepOptions(optimiser=make_optimiser("momentum", momentum=mu)))
    g1 = _plain_grads(net, x, y, loss)
    v1 = [-eta * g.dw for g in g1]                                     # v = μ·0 − η g
    assert all(np.allclose(a, w + v) for a, w, v in zip(tr1.net_after.weights, net.weights, v1))
    net2 = tr1.net_after
    tr2 = build_trace(net2, x, y, loss, eta, les.naming, True,
                      StepOptions(optimiser=tr1.optimiser))
    g2 = _plain_grads(net2, x, y, loss)
    v2 = [mu * a - eta * g.dw for a, g in zip(v1, g2)]                 # v = μ v − η g
    assert all(np.allclose(a, w + v, rtol=0, atol=1e-15)
               for a, w, v in zip(tr2.net_after.weights, net2.weights, v2))
    s = next(s for s in tr2.steps if s.equation.lhs == "w5⁺")
    assert s.equation.text().startswith("w5⁺ = w5 + v_w5 = ")
    assert s.details[-1].lhs == "v_w5" and s.details[-1].text().startswith(
        "v_w5 = μ*v_w5 - η*g_w5 = 0.9*")
    # the engine's momentum optimiser over the same two steps
    ref, state = net.copy(), OptimizerState()
    cfg = TrainConfig(eta=eta, momentum=mu, freeze_biases=True)
    for _ in range(2):
        train_step(ref, x.reshape(1, -1), y.reshape(1, -1), loss, cfg, state)
    assert all(np.allclose(a, b, rtol=0, atol=1e-15) for a, b in
               zip(ref.weights, tr2.net_after.weights))


@pytest.mark.parametrize("kind", ["value", "norm"])
def test_clipping_written_out(kind):
    les, net, x, y, loss = _mazur()
    eta = 0.5
    g = _plain_grads(net, x, y, loss)
    if kind == "value":
        c = 0.05
        opts = StepOptions(clip_value=c)
        expect = [net.weights[l] - eta * np.clip(g[l].dw, -c, c) for l in range(2)]
    else:
        c = 0.01
        opts = StepOptions(clip_norm=c)
        norm = np.sqrt(sum(float(np.sum(gl.dw ** 2)) for gl in g))    # biases frozen
        expect = [net.weights[l] - eta * g[l].dw * c / norm for l in range(2)]
    tr = build_trace(net, x, y, loss, eta, les.naming, True, opts)
    assert all(np.allclose(a, b, rtol=0, atol=1e-15) for a, b in zip(tr.net_after.weights,
                                                                      expect))
    w5 = next(s for s in tr.steps if s.equation.lhs == "w5⁺")
    assert w5.details[-1].lhs == "g_w5′"
    assert ("clip(g_w5, -0.05, 0.05)" if kind == "value" else "g_w5*c/‖g‖") in \
        w5.details[-1].text()
    cfg = TrainConfig(eta=eta, freeze_biases=True, **{f"clip_{kind}": c})
    ref = net.copy()
    train_step(ref, x.reshape(1, -1), y.reshape(1, -1), loss, cfg)
    assert all(np.allclose(a, b, rtol=0, atol=1e-15) for a, b in
               zip(ref.weights, tr.net_after.weights))


def test_dropout_mask_on_the_hidden_outputs_written_out():
    rng = np.random.default_rng(3)
    net = Network.create([3, 6, 2], ["tanh", "sigmoid"], rng, bias=0.1)
    x, y = np.array([0.5, -1.0, 2.0]), np.array([0.2, 0.7])
    loss = get_loss("half_sse")
    cfg = TrainConfig(eta=0.3, dropout=0.5)
    opts = StepOptions.from_config(cfg, net, 1, np.random.default_rng(11))
    m = opts.masks[0][0]
    assert set(np.unique(m)) <= {0.0, 2.0} and opts.masks[1] is None
    tr = build_trace(net, x, y, loss, 0.3, None, False, opts)
    # forward written out: out_j = tanh(net_j)·m_j with m_j in {0, 1/(1 − p)}
    h = np.tanh(net.weights[0] @ x + net.biases[0]) * m
    outs = [s for s in tr.steps if s.kind == "out" and s.layer == 1]
    assert np.allclose([s.value for s in outs], h)
    assert outs[0].equation.text().startswith("a^2_1 = (tanh(z^2_1))*m = ")
    # a dropped neuron's incoming weights get no gradient
    dropped = np.flatnonzero(m == 0)
    for j in dropped:
        assert np.array_equal(tr.net_after.weights[0][j], net.weights[0][j])
    ref = net.copy()
    train_step(ref, x.reshape(1, -1), y.reshape(1, -1), loss, cfg,
               rng=np.random.default_rng(11))
    assert all(np.allclose(a, b, rtol=0, atol=1e-15) for a, b in
               zip(ref.weights, tr.net_after.weights))


def test_plain_options_change_nothing():
    les, net, x, y, loss = _mazur()
    a = build_trace(net, x, y, loss, 0.5, les.naming, True)
    b = build_trace(net, x, y, loss, 0.5, les.naming, True, StepOptions())
    assert [s.equation.text() for s in a.steps] == [s.equation.text() for s in b.steps]


def test_dropout_both_ways_the_notes_halving_and_inverted():
    """Notes: train with masks 0/1, then halve the outgoing weights (p = 0.5); inverted:
    masks 0 or 2 in training, the network as it is at test time. Written out here: both
    give each next-layer neuron the same expected input."""
    from nnviz.engine.learning.training import dropout_masks, test_time_network

    rng = np.random.default_rng(5)
    net = Network.create([4, 50, 3], ["relu", "linear"], rng, bias=0.2)
    p = 0.5
    m_inv = dropout_masks(net, 20_000, p, np.random.default_rng(1))[0]
    m_notes = dropout_masks(net, 20_000, p, np.random.default_rng(1), "notes")[0]
    assert set(np.unique(m_inv)) == {0.0, 2.0} and set(np.unique(m_notes)) == {0.0, 1.0}
    assert np.array_equal(m_inv, 2 * m_notes)                   # the same neurons dropped
    halved = test_time_network(net, p, "notes")
    assert np.array_equal(halved.weights[1], 0.5 * net.weights[1])
    assert np.array_equal(halved.weights[0], net.weights[0])    # inputs are not dropped
    assert test_time_network(net, p, "inverted") is net
    x = rng.normal(size=(1, 4))
    h = np.maximum(net.weights[0] @ x[0] + net.biases[0], 0)
    z_train_notes = (m_notes * h) @ net.weights[1].T + net.biases[1]      # (N, 3)
    z_train_inv = (m_inv * h) @ net.weights[1].T + net.biases[1]
    z_test_notes = halved.weights[1] @ h + net.biases[1]
    z_test_inv = net.weights[1] @ h + net.biases[1]
    assert np.allclose(z_train_notes.mean(0), z_test_notes, atol=0.05 * np.abs(z_test_notes).max())
    assert np.allclose(z_train_inv.mean(0), z_test_inv, atol=0.1 * np.abs(z_test_inv).max())
    # train_step in the notes' mode uses 0/1 masks
    cfg = TrainConfig(eta=0.1, dropout=p, dropout_mode="notes")
    rec = train_step(net.copy(), x, np.zeros((1, 3)), get_loss("half_sse"), cfg,
                     rng=np.random.default_rng(2))
    assert set(np.unique(rec.masks[0])) <= {0.0, 1.0}
    with pytest.raises(ValueError):
        TrainConfig(dropout_mode="halve").validate()


def test_worked_markdown_explains_dropout_both_ways():
    from dataclasses import replace

    from nnviz.engine.stepping.worked import worked_markdown

    les = load_lesson("overfitting-dropout")
    md = worked_markdown(les)
    assert "*inverted* (nnviz's default)" in md and "The notes instead keep m = 1" in md
    assert ")·m = " in md                                   # the mask in the forward steps
    les.train = replace(les.train, dropout_mode="notes")
    md = worked_markdown(les)
    assert "*as the notes*" in md and "halved for p = 0.5" in md


#: settings away from the defaults, so a wrong constant shows
HYPER = {"momentum": {"momentum": 0.8}, "nesterov": {"momentum": 0.7},
         "adagrad": {"eps": 1e-3}, "rmsprop": {"rho": 0.6, "eps": 1e-4},
         "adam": {"beta1": 0.8, "beta2": 0.9, "eps": 1e-3}}


def _rule(name, h, w, g, s, t, eta):
    """One update by the textbook rule, written out here (s: the state, updated in place)."""
    if name == "momentum":
        s["v"] = h["momentum"] * s["v"] - eta * g
        return w + s["v"]
    if name == "nesterov":
        s["v"] = h["momentum"] * s["v"] - eta * g
        return w + h["momentum"] * s["v"] - eta * g
    if name == "adagrad":
        s["G"] = s["G"] + g ** 2
        return w - eta * g / (np.sqrt(s["G"]) + h["eps"])
    if name == "rmsprop":
        s["s"] = h["rho"] * s["s"] + (1 - h["rho"]) * g ** 2
        return w - eta * g / (np.sqrt(s["s"]) + h["eps"])
    s["m"] = h["beta1"] * s["m"] + (1 - h["beta1"]) * g
    s["v"] = h["beta2"] * s["v"] + (1 - h["beta2"]) * g ** 2
    s["m_hat"] = s["m"] / (1 - h["beta1"] ** t)
    s["v_hat"] = s["v"] / (1 - h["beta2"] ** t)
    return w - eta * s["m_hat"] / (np.sqrt(s["v_hat"]) + h["eps"])


@pytest.mark.parametrize("name", list(HYPER))
def test_every_optimiser_written_out_over_two_steps(name):
    rng = np.random.default_rng(5)
    net = Network.create([3, 4, 2], ["tanh", "sigmoid"], rng, bias=0.1)
    x, y = np.array([0.5, -1.0, 2.0]), np.array([0.2, 0.7])
    loss, eta, h = get_loss("half_sse"), 0.3, HYPER[name]
    zero = {k: 0.0 for k in ("v", "G", "s", "m")}
    states = {(l, kind): {k: np.zeros_like(a) for k in zero} for l in range(2)
              for kind, a in (("w", net.weights[l]), ("b", net.biases[l]))}
    opts = StepOptions(optimiser=make_optimiser(name, **h))
    cur = net
    for t in (1, 2):
        tr = build_trace(cur, x, y, loss, eta, None, False, opts)
        g = _plain_grads(cur, x, y, loss)
        before = {key: {k: a.copy() for k, a in s.items()} for key, s in states.items()}
        for l in range(2):
            want_w = _rule(name, h, cur.weights[l], g[l].dw, states[(l, "w")], t, eta)
            want_b = _rule(name, h, cur.biases[l], g[l].db, states[(l, "b")], t, eta)
            np.testing.assert_allclose(tr.net_after.weights[l], want_w, rtol=1e-13, atol=1e-15)
            np.testing.assert_allclose(tr.net_after.biases[l], want_b, rtol=1e-13, atol=1e-15)
        # the update of w^2_10 written out: its state lines and the new value, with numbers
        step = tr.steps[tr.idx_w[1][1, 0] - 1]
        s0, s1 = before[(1, "w")], states[(1, "w")]
        lines = list(step.details[1:])
        if name in ("adagrad", "rmsprop", "adam"):   # the denominator on a line of its own
            den = lines.pop()
            avg = {"adagrad": "G", "rmsprop": "s", "adam": "v_hat"}[name]
            assert den.lhs.startswith("√(") and den.lhs.endswith(") + ε")
            assert den.value == pytest.approx(np.sqrt(s1[avg][1, 0]) + h["eps"], rel=1e-14)
            assert step.equation.stages[-1].endswith(f" / {fmt(den.value)}")
        shown = {d.lhs.split("_")[0]: d for d in lines}
        assert step.equation.value == tr.net_after.weights[1][1, 0]
        for key, d in shown.items():
            k = {"mˆ": "m_hat", "vˆ": "v_hat"}.get(key, key)
            assert d.value == pytest.approx(s1[k][1, 0], rel=1e-13, abs=1e-300), (key, t)
        text = step.equation.text()
        if name in ("momentum", "nesterov"):
            assert set(shown) == {"v"}
            assert shown["v"].stages[1].startswith(f"{h['momentum']:g}*")
            assert fmt(s0["v"][1, 0]) in shown["v"].stages[1]
        elif name == "adam":
            assert set(shown) == {"m", "v", "mˆ", "vˆ"}
            w = step.equation.lhs[:-1]                  # the weight's name, without ⁺
            assert shown["mˆ"].stages[0] == f"m_{w}/(1 - β₁^t)"
            assert text.startswith(f"{w}⁺ = {w} - η*mˆ_{w} / (√(vˆ_{w}) + ε) = ")
            assert shown["mˆ"].stages[1].endswith(f"/(1 - 0.8^{t})")
            assert shown["vˆ"].stages[1].endswith(f"/(1 - 0.9^{t})")
            assert "√(vˆ_" in den.text() and "+ 0.001 = " in den.text()
        else:
            assert set(shown) == {"G" if name == "adagrad" else "s"}
            assert "√(" in text
        cur, opts = tr.net_after, StepOptions(optimiser=tr.optimiser)   # the state carried on
    # and the training engine's train_step with the same optimiser: the same networks
    ref, state = net.copy(), OptimizerState()
    mu = h.get("momentum", 0.0)
    cfg = TrainConfig(eta=eta, optimiser=name, momentum=mu,
                      hyper=tuple(sorted((k, v) for k, v in h.items() if k != "momentum")))
    for _ in range(2):
        train_step(ref, x.reshape(1, -1), y.reshape(1, -1), loss, cfg, state)
    assert all(np.allclose(a, b, rtol=0, atol=1e-15) for a, b in
               zip(ref.weights + ref.biases, cur.weights + cur.biases))
