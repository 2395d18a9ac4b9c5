"""The Keras code of a Training-lab set-up says what will train, each line naming the
control that sets it; numbers as the engine's formulas turn into Keras's arguments."""

from __future__ import annotations

import ast
from dataclasses import replace

import numpy as np
import pytest

from nnviz.engine.core.network import Network
from nnviz.engine.labs.keras_code import Setup, keras_code
from nnviz.engine.learning.training import TrainConfig
from nnviz.engine.teaching.lessons import lesson_names, load_lesson


def _code(lines) -> str:
    return "\n".join(line.text for line in lines)


def _keras_lab():
    les = load_lesson("keras-lab")
    s = Setup(loss=les.loss, init="uniform", scale=0.05, bias=0.0, data="the 8x8 digits",
              n_train=898, epochs=les.epochs)
    return les, s


def test_the_keras_lab_is_the_notes_model():
    les, s = _keras_lab()
    lines = keras_code(les.network, les.train, s)
    code = _code(lines)
    ast.parse(code)                                       # it is Python
    dense = [t for t in code.splitlines() if "layers.Dense(" in t]
    assert [d.split("Dense(")[1].split(",")[0] for d in dense] == ["32", "64", "10"]
    assert code.count("layers.Dropout(0.5)") == 2         # after the hidden layers only
    assert "init = initializers.RandomUniform(-0.05, 0.05)" in code
    assert "loss = 'categorical_crossentropy'" in code
    assert "opt = optimizers.SGD(" in code and f"learning_rate={les.train.eta:g}," in code
    assert f"batch_size={les.train.batch_size}," in code
    assert f"epochs={les.epochs},  # Play stops there" in code
    acts = [t for t in code.splitlines() if "Activation(" in t]
    assert acts == ["model.add(layers.Activation('relu'))"] * 2 + [
        "model.add(layers.Activation('softmax'))"]
    # each line names its control
    by = {line.text: line.controls for line in lines}
    assert by["model.add(layers.Dropout(0.5))"] == ("dropout",)
    assert by["loss = 'categorical_crossentropy'"] == ("loss",)
    assert "act:0" in by[dense[0]] and "act:2" in by[dense[2]]
    assert by[f"          batch_size={les.train.batch_size},"] == ("batch",)


def test_regularisation_clipping_momentum_and_schedule_as_keras_writes_them():
    les, s = _keras_lab()
    cfg = replace(les.train, l1=0.5, l2=2.0, momentum=0.9, clip_norm=1.5, clip_value=0.2,
                  schedule="step", lr_gamma=0.5, lr_every=40, batch_size=100, patience=7)
    code = _code(keras_code(les.network, cfg, s))
    ast.parse(code)
    # nnviz: g += (λ1/n) sgn(w) + (λ2/n) w; Keras's L1L2(k1, k2) adds k1 sgn(w) + 2 k2 w
    assert f"regularizers.L1L2(l1={0.5 / 898:.6g}, l2={2.0 / (2 * 898):.6g})" in code
    assert code.count("kernel_regularizer=reg") == 3
    assert "momentum=0.9," in code and "global_clipnorm=1.5," in code
    assert "clipvalue=0.2," in code
    # η·γ^⌊e/s⌋ with 9 steps an epoch (898 rows, batches of 100): decay every 40 · 9 steps
    assert f"ExponentialDecay({cfg.eta:g}, {40 * 9}, 0.5, staircase=True)" in code
    assert "EarlyStopping('val_loss', patience=7)" in code and "callbacks=stop" in code


@pytest.mark.parametrize("name,head,extra", [
    ("nesterov", "SGD(", "nesterov=True"), ("adagrad", "Adagrad(", "initial_accumulator_value"),
    ("rmsprop", "RMSprop(", "rho=0.9"), ("adam", "Adam(", "beta_2=0.999")])
def test_every_optimiser_has_its_keras_class(name, head, extra):
    les, s = _keras_lab()
    cfg = replace(les.train, optimiser=name, momentum=0.9 if name == "nesterov" else 0.0)
    code = _code(keras_code(les.network, cfg, s))
    ast.parse(code)
    assert f"opt = optimizers.{head}" in code and extra in code
    if name != "nesterov":
        assert "ε" in code                              # where Keras puts ε differently


def test_initialisers_are_the_engines_distributions():
    rng = np.random.default_rng(0)
    net = Network.create([3, 5, 2], ["tanh", "sigmoid"], rng)
    cfg = TrainConfig()
    for init, text in [("lecun", "VarianceScaling(1, 'fan_in', 'untruncated_normal')"),
                       ("he", "VarianceScaling(2, 'fan_in', 'untruncated_normal')"),
                       ("xavier", "VarianceScaling(1, 'fan_avg', 'uniform')"),
                       ("normal", "RandomNormal(0, 1)"), ("uniform01", "RandomUniform(0, 1)")]:
        code = _code(keras_code(net, cfg, Setup(init=init, loss="binary_cross_entropy")))
        assert f"init = initializers.{text}" in code, init
    # the weight scale multiplies every weight: variance × gain²
    code = _code(keras_code(net, cfg, Setup(init="he", gain=3.0)))
    assert "VarianceScaling(18, 'fan_in'" in code
    code = _code(keras_code(net, cfg, Setup(init="uniform", scale=0.5, gain=0.1)))
    assert "RandomUniform(-0.05, 0.05)" in code


def test_what_keras_cannot_do_is_said_in_a_comment():
    rng = np.random.default_rng(0)
    net = Network.create([2, 4, 1], ["step", "sigmoid"], rng)
    cfg = TrainConfig(dropout=0.5, dropout_mode="notes", freeze_biases=True)
    lines = keras_code(net, cfg, Setup(loss="mse", bias=0.1))
    code = _code(lines)
    ast.parse(code)
    assert "no Keras activation" in code
    assert "multiplies the weights by 0.5 at test; Keras's Dropout is inverted" in code
    assert "biases frozen at 0.1" in code
    # ½‖y − a‖² averaged over the batch is nnviz's C = 1/(2n) Σ_x ‖y − a‖²
    assert "loss = lambda y, a: 0.5 * keras.ops.sum((y - a) ** 2, axis=-1)" in code
    # frozen biases that start at 0 stay 0: no bias at all is the same network
    code = _code(keras_code(net, cfg, Setup(bias=0.0)))
    assert "use_bias=False" in code and "biases frozen" not in code


def test_biases_as_the_network_has_them():
    from nnviz.engine.teaching.lessons import load_lesson

    les = load_lesson("mazur-2-2-2")         # shared biases b1, b2
    code = _code(keras_code(les.network, replace(les.train, freeze_biases=False),
                            Setup(loss="half_sse", init="uniform", bias=0.35)))
    assert code.count("one bias shared by the layer's neurons") == 2
    net = Network.create([2, 3, 1], ["tanh", "sigmoid"], np.random.default_rng(0))
    net.use_bias[1] = False
    code = _code(keras_code(net, TrainConfig(), Setup(loss="binary_cross_entropy")))
    dense = [t for t in code.splitlines() if "Dense(" in t]
    assert "use_bias" not in dense[0] and "use_bias=False" in dense[1]


@pytest.mark.parametrize("name", [n for n in lesson_names()
                                  if load_lesson(n).lab == "training"])
def test_every_training_lesson_gives_python_with_every_line_linked(name):
    les = load_lesson(name)
    method, scale, bias = les.init
    lines = keras_code(les.network, les.train, Setup(loss=les.loss, init=method, scale=scale,
                                                     bias=bias, n_train=100,
                                                     epochs=les.epochs))
    tree = ast.parse(_code(lines))
    # Keras takes a rate that is a float or a schedule, not an int (the batch-norm lesson's
    # η = 1 was written "learning_rate=1", which Keras refuses: tools/keras_check.py)
    rates = [k.value for node in ast.walk(tree) if isinstance(node, ast.Call)
             for k in node.keywords if k.arg == "learning_rate"]
    assert len(rates) == 1
    rate = rates[0].args[0] if isinstance(rates[0], ast.Call) else rates[0]
    assert isinstance(rate, ast.Constant) and isinstance(rate.value, float), ast.dump(rate)
    keys = {k for line in lines for k in line.controls}
    assert {"loss", "optimiser", "eta", "batch", "epochs", "init"} <= keys
    assert sum(1 for line in lines if "layers.Dense(" in line.text) == les.network.n_layers
