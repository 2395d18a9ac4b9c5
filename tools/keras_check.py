"""Run the Training lab's Keras code (nnviz.engine.labs.keras_code) in real Keras 3 and compare
one training step with nnviz's engine.

Keras is never an nnviz dependency: run this with a Python that has Keras 3 and a backend
(torch here), e.g.

    python3 -m venv /work/kerasvenv
    /work/kerasvenv/bin/pip install torch keras      # a CPU torch wheel will do
    KERAS_BACKEND=torch /work/kerasvenv/bin/python tools/keras_check.py

For each case (a training lesson, some with another optimiser, L2, dropout, batch norm,
clipping or a frozen bias): the generated code runs as it is (model.fit on a small data set
of the lesson's shape), and then, in float64 (keras.config.set_floatx), the model the code
builds gets nnviz's initial weights and takes training steps on one batch with the code's
loss and optimiser (train_on_batch); nnviz's engine (train_step) takes the same steps. The
largest difference of any weight, bias, γ, β or running average is printed. Dropout: Keras
draws its own masks, so the check puts nnviz's masks into Keras's Dropout layers (and
checks separately that Keras's Dropout keeps a unit × 1/(1 − p) or drops it).
Keras 3 on torch computes in float32 whatever floatx says: its type promotion turns
float64 into float32 (keras/src/backend/common/dtypes.py, BIT64_TO_BIT32_DTYPE, "aligned
with JAX"), so Dense's matmul rounds to float32 (about 1e-7). The check lifts that so
both sides compute in float64; ``--as-is`` leaves Keras as it is.
Prints a table of the largest differences; exits 1 when a case where nnviz and Keras apply
the same rule differs by more than TOL (or its code does not run). Where Keras truly differs
(DIFFERENT) the difference is measured and printed, not judged.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import keras  # noqa: E402
import numpy as np  # noqa: E402

if "--as-is" not in sys.argv:   # float64 really float64 (see above)
    from keras.src.backend.common import dtypes as _dtypes

    _dtypes.BIT64_TO_BIT32_DTYPE["float64"] = "float64"

import contextlib  # noqa: E402
import io  # noqa: E402

from nnviz.engine.core.batchnorm import EPS, MOMENTUM  # noqa: E402
from nnviz.engine.core.losses import get_loss  # noqa: E402
from nnviz.engine.labs.keras_code import Setup, keras_code  # noqa: E402
from nnviz.engine.learning.training import OptimizerState, train_step  # noqa: E402
from nnviz.engine.teaching.lessons import load_lesson  # noqa: E402

TOL = 1e-12
COLS = ["W", "b", "gamma/beta", "running mean", "running var"]
STEPS = 3
N = 16          # rows of the batch


def _data(net, loss: str, rng) -> tuple[np.ndarray, np.ndarray]:
    x = rng.normal(size=(N, net.sizes[0]))
    k = net.sizes[-1]
    if loss == "cross_entropy":
        y = np.eye(k)[rng.integers(0, k, N)]
    elif loss == "binary_cross_entropy":
        y = (rng.random((N, k)) < 0.5).astype(float)
    else:
        y = rng.normal(size=(N, k))
    return x, y


def _code(net, cfg, lesson, loss: str) -> str:
    setup = Setup(loss=loss, init=lesson.init[0], scale=lesson.init[1], bias=lesson.init[2],
                  n_train=N, epochs=2, bn_momentum=MOMENTUM, bn_eps=EPS,
                  data="random rows of the lesson's shape")
    return "\n".join(line.text for line in keras_code(net, cfg, setup))


def _model(code: str) -> dict:
    """The namespace of the code up to model.fit: model, loss, opt."""
    head = code.split("model.fit(")[0]
    ns: dict = {}
    exec(compile(head, "<keras code>", "exec"), ns)   # our own generated code
    return ns


def _set_weights(model, net) -> None:
    dense = [ly for ly in model.layers if isinstance(ly, keras.layers.Dense)]
    bns = [ly for ly in model.layers if isinstance(ly, keras.layers.BatchNormalization)]
    for l, ly in enumerate(dense):
        ws = [net.weights[l].T]
        if ly.use_bias:
            ws.append(net.biases[l])
        ly.set_weights(ws)
    norms = [bn for bn in net.norms if bn is not None]
    for ly, bn in zip(bns, norms):
        ly.set_weights([bn.gamma, bn.beta, bn.running_mean, bn.running_var])


def _inject_masks(model, masks: list) -> None:
    """Keras's Dropout layers multiply by nnviz's masks (0 or 1/(1 − p)) while training."""
    drops = [ly for ly in model.layers if isinstance(ly, keras.layers.Dropout)]
    for ly, m in zip(drops, masks[:-1]):
        ly.call = _masked(keras.ops.convert_to_tensor(m))


def _masked(t):
    return lambda inputs, training=False: inputs * t if training else inputs


def _differences(model, net) -> dict[str, float]:
    dense = [ly for ly in model.layers if isinstance(ly, keras.layers.Dense)]
    bns = [ly for ly in model.layers if isinstance(ly, keras.layers.BatchNormalization)]
    out = {"W": 0.0, "b": 0.0, "gamma/beta": 0.0, "running mean": 0.0, "running var": 0.0}
    for l, ly in enumerate(dense):
        w = ly.get_weights()
        out["W"] = max(out["W"], float(np.max(np.abs(w[0] - net.weights[l].T))))
        b = w[1] if ly.use_bias else np.zeros_like(net.biases[l])
        out["b"] = max(out["b"], float(np.max(np.abs(b - net.biases[l]))))
    for ly, bn in zip(bns, [bn for bn in net.norms if bn is not None]):
        g, be, mm, mv = ly.get_weights()
        out["gamma/beta"] = max(out["gamma/beta"], float(np.max(np.abs(g - bn.gamma))),
                                float(np.max(np.abs(be - bn.beta))))
        out["running mean"] = max(out["running mean"],
                                  float(np.max(np.abs(mm - bn.running_mean))))
        out["running var"] = max(out["running var"], float(np.max(np.abs(mv - bn.running_var))))
    return out


def check(name: str, lesson_name: str, change=None) -> dict:
    """One case: the code runs; the steps agree (the largest differences)."""
    lesson = load_lesson(lesson_name)
    net, cfg, loss = lesson.network.copy(), lesson.train, lesson.loss
    if change:
        net, cfg = change(net, cfg)
    rng = np.random.default_rng(1)
    x, y = _data(net, loss, rng)
    code = _code(net, cfg, lesson, loss)
    # 1. the code as it is, on a small data set of the lesson's shape
    keras.config.set_floatx("float64")
    ns = {"x_train": x, "y_train": y, "x_test": x, "y_test": y}
    with contextlib.redirect_stdout(io.StringIO()):     # fit's progress bars
        exec(compile(code, "<keras code>", "exec"), ns)
    ran = ns["model"].count_params()
    # 2. float64, nnviz's weights, the same steps on one batch
    ns = _model(code)
    model = ns["model"]
    model.compile(loss=ns["loss"], optimizer=ns["opt"])
    model.build((None, net.sizes[0]))
    _set_weights(model, net)
    state, mrng = OptimizerState(), np.random.default_rng(2)
    for _ in range(STEPS):
        rec = train_step(net, x, y, get_loss(loss), cfg, state, mrng, n_train=N)
        if cfg.dropout > 0:
            keep = [None if m is None else (m > 0) / (1 - cfg.dropout) for m in rec.masks]
            _inject_masks(model, keep)
        model.train_on_batch(x, y)
    diff = _differences(model, net)
    return {"case": name, "params": ran, **diff}


def _frozen_bias(net, cfg):
    for b in net.biases:
        b[:] = 0.1
    return net, replace(cfg, freeze_biases=True)


def _with(**kw):
    return lambda net, cfg: (net, replace(cfg, **kw))


def _bn(net, cfg):
    from nnviz.engine.core.batchnorm import BatchNorm

    norms = [BatchNorm.new(net.sizes[l + 1]) if l < net.n_layers - 1 else None
             for l in range(net.n_layers)]
    net.norms = norms
    rng = np.random.default_rng(3)
    for bn in norms[:-1]:     # away from γ = 1, β = 0 and the running averages' start
        bn.gamma[:] = 1 + 0.1 * rng.normal(size=bn.gamma.size)
        bn.beta[:] = 0.1 * rng.normal(size=bn.beta.size)
    return net, cfg


CASES = [
    ("spiral (lesson's settings)", "spiral", None),
    ("keras-lab-notes: SGD 0.01, dropout 0.5 (masks injected)", "keras-lab-notes", None),
    ("keras-lab", "keras-lab", None),
    ("overfitting-l2: L2", "overfitting-l2", None),
    ("spiral + L1 and L2", "spiral", _with(l1=0.3, l2=0.7)),
    ("spiral + momentum 0.9", "spiral", _with(optimiser="sgd", momentum=0.9)),
    ("spiral + Nesterov", "spiral", _with(optimiser="nesterov", momentum=0.9)),
    ("spiral + Adam", "spiral", _with(optimiser="adam", eta=0.01)),
    ("spiral + AdaGrad", "spiral", _with(optimiser="adagrad", eta=0.1)),
    ("spiral + RMSProp", "spiral", _with(optimiser="rmsprop", eta=0.01)),
    ("spiral + clip by value 0.01", "spiral", _with(clip_value=0.01)),
    ("spiral + clip by norm 0.05", "spiral", _with(clip_norm=0.05)),
    ("spiral + batch norm", "spiral", _bn),
    ("batch-norm lesson", "batch-norm", None),
    ("spiral, dropout as the notes", "spiral", _with(dropout=0.5, dropout_mode="notes")),
    ("spiral, biases frozen at 0.1", "spiral", _frozen_bias),
    ("vanishing-gradients", "vanishing-gradients", None),
    ("learning-rate-schedules", "learning-rate-schedules", None),
]


#: the cases where Keras's rule is not nnviz's (the generated code says so in a comment)
DIFFERENT = {"spiral + Adam", "spiral + AdaGrad", "spiral + RMSProp",
             "spiral, dropout as the notes", "spiral, biases frozen at 0.1"}
#: columns that differ by design: batch norm's running variance (Keras biased, nnviz not)
DIFFERENT_COLUMNS = {"running var"}


def main() -> int:
    print(f"Keras {keras.__version__}, backend {keras.backend.backend()}, "
          f"{STEPS} steps on one batch of {N} rows, float64")
    cols = COLS
    print(f"{'case':58s} " + " ".join(f"{c:>12s}" for c in cols))
    bad = 0
    for name, lesson, change in CASES:
        try:
            r = check(name, lesson, change)
        except Exception as e:     # a case whose code does not run: say so
            print(f"{name:58s} FAILED: {type(e).__name__}: {str(e).splitlines()[0][:90]}")
            bad += 1
            continue
        off = name not in DIFFERENT and any(r[c] > TOL for c in cols
                                            if c not in DIFFERENT_COLUMNS)
        bad += off
        print(f"{name:58s} " + " ".join(f"{r[c]:12.2e}" for c in cols)
              + ("  DIFFERS" if off else "  (Keras differs)" if name in DIFFERENT else ""))
    print("all agreeing cases within", TOL if not bad else f"{TOL}: {bad} NOT")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
