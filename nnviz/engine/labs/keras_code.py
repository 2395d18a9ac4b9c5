"""The Keras code of a Training-lab set-up, line by line, each line naming the control that
sets it (notes 000 teach the lab network as Keras code).

:func:`keras_code` writes what will train when the lab's network is drawn afresh (Reset)
and trained with the lab's settings: layers, activations, initialiser, dropout, batch
normalisation, loss, optimiser and its settings, L1/L2, clipping, the schedule, early
stopping, batch size and epochs. Where nnviz's rule and Keras's differ a little the line
says so in a comment (Adam's ε, batch norm's running variance); where Keras has no
equivalent (the notes' dropout convention, frozen non-zero biases, a step activation) the
comment says what nnviz does instead. Plain text only: the view shows it as it is.

A line's ``controls`` are keys of the Training lab's controls: ``eta``, ``batch``,
``epochs``, ``loss``, ``init``, ``dropout``, ``dropout_mode``, ``l1``, ``l2``, ``clip``,
``freeze``, ``optimiser``, ``hyper:<key>`` (μ, ρ, β₁, β₂, ε), ``schedule``, ``patience``,
``act:<l>`` (layer l's activation and size), ``bn:<l>``, ``data``, ``features``.
"""

from __future__ import annotations

from dataclasses import dataclass

from nnviz.engine.core.network import Network
from nnviz.engine.learning.training import TrainConfig

#: Keras's names of nnviz's activations (absent: no Keras activation of that name)
KERAS_ACTIVATIONS = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "relu",
                     "linear": "linear", "softmax": "softmax"}
#: where Keras puts ε differently from nnviz (the update is nearly the same)
EPS_NOTES = {"adam": "  # Keras adds ε to √v, nnviz to √v^ (bias-corrected)",
             "adagrad": "  # Keras: η·g/√(G + ε), nnviz: η·g/(√G + ε)",
             "rmsprop": "  # Keras: η·g/√(s + ε), nnviz: η·g/(√s + ε)"}
KERAS_LOSSES = {"cross_entropy": "'categorical_crossentropy'",
                "binary_cross_entropy": "'binary_crossentropy'"}


@dataclass(frozen=True)
class CodeLine:
    """One line of code and the controls (keys, see the module) that set it."""

    text: str
    controls: tuple[str, ...] = ()


@dataclass(frozen=True)
class Setup:
    """What the code is written from, besides the network and the configuration."""

    loss: str = "cross_entropy"
    init: str = "xavier"
    scale: float = 0.5          # U(±scale)
    gain: float = 1.0           # the weight-scale factor
    bias: float = 0.0           # the biases' initial value
    features: tuple[str, ...] = ("x1", "x2")
    data: str = ""              # e.g. "digits", "spiral (400 points, noise 10 %)"
    n_train: int = 1
    epochs: int = 0             # the lesson's epoch count (0: none)
    bn_momentum: float = 0.9
    bn_eps: float = 1e-5


def _g(v: float) -> str:
    return f"{v:.6g}"


def _float(v: float) -> str:
    """A float literal: Keras takes ``learning_rate=1`` (an int) for neither a rate nor a
    schedule and refuses it."""
    s = _g(v)
    return s if any(c in s for c in ".en") else s + ".0"


def _initialiser(s: Setup) -> list[CodeLine]:
    g2 = s.gain * s.gain
    table = {
        "uniform": f"initializers.RandomUniform(-{_g(s.scale * s.gain)}, "
                   f"{_g(s.scale * s.gain)})",
        "uniform01": f"initializers.RandomUniform(0, {_g(s.gain)})",
        "normal": f"initializers.RandomNormal(0, {_g(s.gain)})",
        "lecun": f"initializers.VarianceScaling({_g(g2)}, 'fan_in', 'untruncated_normal')",
        "xavier": f"initializers.VarianceScaling({_g(g2)}, 'fan_avg', 'uniform')",
        "he": f"initializers.VarianceScaling({_g(2 * g2)}, 'fan_in', 'untruncated_normal')",
        "zeros": "initializers.Zeros()",
    }
    return [CodeLine(f"init = {table[s.init]}", ("init",))]


def _dense(net: Network, cfg: TrainConfig, s: Setup, l: int) -> list[CodeLine]:
    args = [str(net.sizes[l + 1]), "kernel_initializer=init"]
    frozen_zero = not net.use_bias[l] or (cfg.freeze_biases and s.bias == 0)
    if frozen_zero:      # a bias that stays 0 is no bias
        args.append("use_bias=False")
    elif s.bias != 0:   # Keras's biases start at 0 unless told
        args.append(f"bias_initializer=initializers.Constant({_g(s.bias)})")
    if cfg.l1 or cfg.l2:
        args.append("kernel_regularizer=reg")
    out = [CodeLine(f"model.add(layers.Dense({', '.join(args)}))",
                    (f"act:{l}", "init") + (("freeze",) if frozen_zero else ())
                    + (("l1", "l2") if cfg.l1 or cfg.l2 else ()))]
    if cfg.freeze_biases and not frozen_zero:
        out.append(CodeLine(f"# biases frozen at {_g(s.bias)}: Keras cannot freeze a Dense "
                            "layer's bias alone (nnviz keeps them)", ("freeze",)))
    if net.use_bias[l] and net.shared_bias[l] and net.sizes[l + 1] > 1:
        out.append(CodeLine("# one bias shared by the layer's neurons (the notes' b1, b2): "
                            "Keras gives each neuron its own"))
    return out


def _activation(net: Network, l: int) -> list[CodeLine]:
    act = net.activations[l]
    key = (f"act:{l}",)
    if act.name in KERAS_ACTIVATIONS:
        return [CodeLine(f"model.add(layers.Activation('{KERAS_ACTIVATIONS[act.name]}'))", key)]
    if act.name == "leaky_relu":
        return [CodeLine(f"model.add(layers.LeakyReLU(negative_slope={_g(act.alpha)}))", key)]
    if act.name == "elu":
        return [CodeLine(f"model.add(layers.ELU(alpha={_g(act.alpha)}))", key)]
    return [CodeLine(f"# {act.title}: no Keras activation; nnviz trains it as "
                     f"{act.formula}", key)]


def _layers(net: Network, cfg: TrainConfig, s: Setup) -> list[CodeLine]:
    out = [CodeLine("model = keras.Sequential()"),
           CodeLine(f"model.add(keras.Input(shape=({net.sizes[0]},)))", ("features",))]
    for l in range(net.n_layers):
        out += _dense(net, cfg, s, l)
        if net.norms[l] is not None:
            out.append(CodeLine(f"model.add(layers.BatchNormalization(momentum="
                                f"{_g(s.bn_momentum)}, epsilon={_g(s.bn_eps)}))  # nnviz's "
                                "running variance is the unbiased one", (f"bn:{l}",)))
        out += _activation(net, l)
        if cfg.dropout > 0 and l < net.n_layers - 1:
            out.append(CodeLine(f"model.add(layers.Dropout({_g(cfg.dropout)}))", ("dropout",)))
            if cfg.dropout_mode == "notes":
                out.append(CodeLine(
                    f"# as the notes: nnviz keeps outputs × 1 and multiplies the weights by "
                    f"{_g(1 - cfg.dropout)} at test; Keras's Dropout is inverted",
                    ("dropout_mode",)))
    return out


def _loss(s: Setup) -> list[CodeLine]:
    if s.loss in KERAS_LOSSES:
        return [CodeLine(f"loss = {KERAS_LOSSES[s.loss]}", ("loss",))]
    if s.loss == "mse":   # C = 1/(2n) Σ_x ‖y − a‖²: Keras averages ½‖y − a‖² over the batch
        return [CodeLine("loss = lambda y, a: 0.5 * keras.ops.sum((y - a) ** 2, axis=-1)",
                         ("loss",))]
    return [CodeLine("loss = lambda y, a: 0.5 * keras.ops.sum((y - a) ** 2)  # E_total: "
                     "summed over the batch, as the notes", ("loss",))]


def _optimiser(cfg: TrainConfig, s: Setup, steps_per_epoch: int) -> list[CodeLine]:
    name = cfg.optimiser_spec()[0]
    hyper = cfg.make_optimiser().hyper
    rate = _schedule(cfg, steps_per_epoch)
    head = {"sgd": "optimizers.SGD(", "momentum": "optimizers.SGD(",
            "nesterov": "optimizers.SGD(", "adagrad": "optimizers.Adagrad(",
            "rmsprop": "optimizers.RMSprop(", "adam": "optimizers.Adam("}[name]
    out = [CodeLine(f"opt = {head}", ("optimiser",)),
           CodeLine(f"    learning_rate={rate},", ("eta", "schedule"))]
    keras_names = {"momentum": "momentum", "rho": "rho", "beta1": "beta_1",
                   "beta2": "beta_2", "eps": "epsilon"}
    for key, v in hyper.items():
        out.append(CodeLine(f"    {keras_names[key]}={_g(v)},", (f"hyper:{key}",)))
    if name == "nesterov":
        out.append(CodeLine("    nesterov=True,", ("optimiser",)))
    if name == "adagrad":
        out.append(CodeLine("    initial_accumulator_value=0.0,", ("optimiser",)))
    if cfg.clip_value is not None:
        out.append(CodeLine(f"    clipvalue={_g(cfg.clip_value)},", ("clip",)))
    if cfg.clip_norm is not None:
        out.append(CodeLine(f"    global_clipnorm={_g(cfg.clip_norm)},", ("clip",)))
    out.append(CodeLine(")" + EPS_NOTES.get(name, ""), ("optimiser",)))
    return out


def _schedule(cfg: TrainConfig, spe: int) -> str:
    eta = _float(cfg.eta)
    if cfg.schedule == "step":
        return (f"optimizers.schedules.ExponentialDecay({eta}, {cfg.lr_every * spe}, "
                f"{_g(cfg.lr_gamma)}, staircase=True)")
    if cfg.schedule == "exponential":
        return f"optimizers.schedules.ExponentialDecay({eta}, {spe}, {_g(cfg.lr_gamma)}, " \
               "staircase=True)"
    if cfg.schedule == "inverse":
        return f"optimizers.schedules.InverseTimeDecay({eta}, {spe}, {_g(cfg.lr_k)}, " \
               "staircase=True)"
    return eta


def describe_data(spec) -> str:
    """A DataSpec in words, e.g. "spiral, 400 points, noise 10 %, 50 % for training"."""
    if spec.source == "table":
        return "your own table"
    what = {"digits": "the 8x8 digits", "gate": f"the {spec.gate} gate",
            "regression": f"y = {spec.goal} with noise"}.get(spec.source, spec.source)
    parts = [what]
    if spec.source not in ("digits", "gate"):
        parts.append(f"{spec.n} points, noise {round(spec.noise * 100)} %")
    if spec.source in ("spiral", "gaussians") and spec.classes > 2:
        parts.append(f"{spec.classes} classes")
    parts.append(f"{round(spec.split * 100)} % for training")
    return ", ".join(parts)


def keras_code(net: Network, cfg: TrainConfig, s: Setup) -> list[CodeLine]:
    """The Keras code that trains ``net``'s shape with ``cfg`` as the Training lab will."""
    n = max(1, s.n_train)
    batch = n if not cfg.batch_size else min(int(cfg.batch_size), n)
    spe = -(-n // batch)
    out = [CodeLine("import keras"),
           CodeLine("from keras import callbacks, initializers, layers, optimizers, "
                    "regularizers")]
    if s.data:
        out.append(CodeLine(f"# x_train, y_train ({n} rows), x_test, y_test: {s.data}",
                            ("data",)))
    if tuple(s.features) not in (("x1", "x2"), ()):
        out.append(CodeLine(f"# each row's inputs: {', '.join(s.features)} of its point "
                            "(nnviz computes them)", ("features",)))
    out += _initialiser(s)
    if cfg.l1 or cfg.l2:   # nnviz: g += (λ1/n) sgn(w) + (λ2/n) w; Keras: k1 sgn(w) + 2 k2 w
        out.append(CodeLine(f"reg = regularizers.L1L2(l1={_g(cfg.l1 / n)}, "
                            f"l2={_g(cfg.l2 / (2 * n))})  # λ1/n and λ2/(2n), n = {n}",
                            ("l1", "l2")))
    out += _layers(net, cfg, s)
    out += _loss(s)
    out += _optimiser(cfg, s, spe)
    out.append(CodeLine("model.compile(loss=loss, optimizer=opt, metrics=['accuracy'])",
                        ("loss", "optimiser")))
    if cfg.patience:
        out.append(CodeLine(f"stop = [callbacks.EarlyStopping('val_loss', patience="
                            f"{cfg.patience})]", ("patience",)))
    epochs = (f"epochs={s.epochs},  # Play stops there" if s.epochs > 1 else
              "epochs=100,  # any number: Play runs until you pause it")
    out += [CodeLine("model.fit(x_train, y_train,"),
            CodeLine(f"          batch_size={batch},", ("batch",)),
            CodeLine(f"          {epochs}", ("epochs",)),
            CodeLine(f"          shuffle={cfg.shuffle},"),
            CodeLine("          validation_data=(x_test, y_test)"
                     + (", callbacks=stop)" if cfg.patience else ")"), ("data",))]
    return out
