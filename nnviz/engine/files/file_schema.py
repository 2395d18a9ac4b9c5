"""The declared schema of lesson and workspace files: every key once, with its type,
bounds and meaning. ``check_lesson`` / ``check_workspace`` run before anything is
built; the tables of ``resources/lessons/README.md`` and ``docs/workspace-format.md``
are generated from these declarations (``python -m nnviz.engine.files.format_docs``).

To add a key: add one ``Field`` to the object it belongs to (a lesson's top level,
``LESSON_SETTINGS[lab]``, ``LAB_STATES[lab]``, ...) and run the generator.
"""

from __future__ import annotations

from typing import Any

from nnviz.engine.core.activations import ACTIVATIONS
from nnviz.engine.core.init import INITIALISERS
from nnviz.engine.core.losses import LOSSES
from nnviz.engine.files.schema import (
    Bool,
    Checked,
    Enum,
    Expr,
    Field,
    Grid,
    Int,
    List,
    Num,
    Obj,
    OneOf,
    Opt,
    Str,
    Template,
)
from nnviz.engine.files.train_settings import HYPERS
from nnviz.engine.files.validate import MAX_LAYER_SIZE, MAX_LAYERS, MAX_PARAMS, FormatError
from nnviz.engine.labs.conv_setup import MAX_ABS as CONV_MAX_ABS
from nnviz.engine.labs.conv_setup import MAX_CNN_KERNELS, MAX_PAINT
from nnviz.engine.labs.conv_setup import PAGES as CONV_PAGES
from nnviz.engine.labs.conv_setup import SOURCES as CONV_SOURCES
from nnviz.engine.labs.neuron import CONVENTIONS, MP_PRESETS
from nnviz.engine.labs.pooling import MODES as POOL_MODES
from nnviz.engine.labs.universality import HIDDEN_ACTIVATIONS
from nnviz.engine.learning.optimisers import OPTIMISERS
from nnviz.engine.learning.schedules import (
    EVERY_RANGE,
    GAMMA_RANGE,
    K_RANGE,
    PATIENCE_RANGE,
    SCHEDULES,
)
from nnviz.engine.learning.training import DROPOUT_MODES
from nnviz.engine.sets.data import MAX_POINTS
from nnviz.engine.sets.data import SOURCES as DATA_SOURCES
from nnviz.engine.sets.datasets import GATES, GENERATORS

LABS = ("workbench", "universality", "surface", "training", "neuron", "conv", "general")
PHASES = ("start", "forward", "error", "backward", "update", "result")
SEED = Int(0, 2**32 - 1)
BIG = 1e6          # bound of weights, biases, inputs and targets a lab draws
NAME = Str(40)
TEXT = Str(20_000)
LINE = Str(200)

# ------------------------------------------------------------------ lesson
NETWORK = Obj({
    "sizes": Field(List(Int(1, MAX_LAYER_SIZE), MAX_LAYERS + 1, 2), "layer sizes, input first",
                   True),
    "layers": Field(List(Obj({
        "activation": Field(Enum(*ACTIVATIONS), "the layer's activation (softmax only last)",
                            True),
        "alpha": Field(Num(0.0, 10.0), "slope or scale of leaky_relu / elu"),
        "weights": Field(Grid(2, MAX_PARAMS, -BIG, BIG), "n_out rows of n_in numbers (drawn "
                         "by `init` if absent)"),
        "bias": Field(Opt(OneOf((Num(-BIG, BIG), Grid(1, MAX_LAYER_SIZE, -BIG, BIG)))),
                      "one number, one per neuron, or null for no bias"),
        "shared_bias": Field(Bool(), "one bias value for the whole layer"),
        "use_bias": Field(Bool(), "false: the layer has no bias (workspaces)"),
        "batch_norm": Field(Bool(), "a hidden layer's z is batch-normalised (γ = 1, β = 0)"),
    }), MAX_LAYERS), "one object per layer after the input", True),
    "init": Field(Obj({
        "method": Field(Enum(*INITIALISERS), "how absent weights are drawn"),
        "scale": Field(Num(0.0, 1e3), "range of `uniform`"),
        "seed": Field(SEED, "random seed"),
        "bias": Field(Num(-1e3, 1e3), "bias of layers that give none"),
    }), "initialiser of absent weights (and of the training lab's Reset)"),
})

NAMES = Obj({
    "neurons": Field(List(List(NAME, MAX_LAYER_SIZE), MAX_LAYERS + 1),
                     "one list of names per layer"),
    "weights": Field(List(List(List(NAME, MAX_LAYER_SIZE), MAX_LAYER_SIZE), MAX_LAYERS),
                     "`[l][j][k]`: from neuron k of layer l to neuron j of layer l+1"),
    "biases": Field(List(List(NAME, MAX_LAYER_SIZE), MAX_LAYERS),
                    "`[l]`: one name, or one per neuron"),
    "templates": Field(Obj({
        key: Field(Template(40), f"the name of a neuron's {key}") for key in
        ("net", "out", "target", "error", "delta")
    } | {"total_error": Field(NAME, "the name of the total error")}),
        "how derived quantities are named"),
})

DATA = Obj({
    "inputs": Field(Grid(2, MAX_PARAMS, -BIG, BIG), "the samples' inputs (n rows)"),
    "targets": Field(Grid(2, MAX_PARAMS, -BIG, BIG), "the samples' targets (n rows)"),
    "gate": Field(Enum(*GATES), "a logic gate's truth table"),
    "generator": Field(Enum(*GENERATORS), "a generated 2-D data set"),
    "n": Field(Int(1, MAX_POINTS), "number of generated samples (at least one per class)"),
    "noise": Field(Num(0.0, 0.5), "noise of the generator"),
    "seed": Field(SEED, "random seed of the generator"),
    "classes": Field(Int(2, 10), "number of classes of the generator"),
    "labels": Field(Enum("01", "pm1", "onehot"), "how classes are written as targets"),
    "dataset": Field(Enum("digits"), "a bundled data set"),
})

#: the Training lab's data set settings: a lesson's ``training`` settings, a workspace's
#: ``dataset.data``
DATA_SETTINGS = {
    "dataset": Field(Enum(*DATA_SOURCES), "the data source"),
    "n": Field(Int(4, MAX_POINTS), "number of samples"),
    "noise": Field(Num(0.0, 0.5), "noise"),
    "split": Field(Num(0.1, 0.9), "fraction used for training"),
    "seed": Field(SEED, "random seed of the data"),
    "classes": Field(Int(2, 10), "number of classes"),
    "gate": Field(Enum(*GATES), "the gate of the `gate` source"),
    "goal": Field(Expr(("x",)), "the regression goal f(x)"),
}

TRAINING = Obj({
    "loss": Field(Enum(*LOSSES), "the loss"),
    "eta": Field(Num(0.0, 1e3), "learning rate"),
    "batch_size": Field(Opt(Int(0, 10**6)), "null: full batch"),
    "epochs": Field(Int(0, 10**7), "epochs of a training run"),
    "momentum": Field(Num(0.0, 0.999), "momentum"),
    "optimiser": Field(Enum(*OPTIMISERS), "the optimiser"),
    "hyper": Field(Obj({k: Field(Num(h.lo, h.hi), h.text or h.symbol)
                        for k, h in HYPERS.items()}), "the optimiser's settings"),
    "l1": Field(Num(0.0, 1e3), "L1 penalty"),
    "l2": Field(Num(0.0, 1e3), "L2 penalty"),
    "dropout": Field(Num(0.0, 0.95), "dropout rate of hidden layers"),
    "dropout_mode": Field(Enum(*DROPOUT_MODES), "inverted (scale while training) or notes "
                          "(weights × (1 − p) at test time)"),
    "clip_value": Field(Opt(Num(1e-12, 1e12)), "clip each gradient entry"),
    "clip_norm": Field(Opt(Num(1e-12, 1e12)), "clip the gradient's norm"),
    "freeze_biases": Field(Bool(), "biases do not learn"),
    "shuffle": Field(Bool(), "shuffle the samples every epoch"),
    "seed": Field(SEED, "random seed of training"),
    "schedule": Field(Enum(*SCHEDULES), "the learning-rate schedule"),
    "lr_gamma": Field(Num(*GAMMA_RANGE), "factor of the step and exponential schedules"),
    "lr_every": Field(Int(*EVERY_RANGE), "epochs between steps of the step schedule"),
    "lr_k": Field(Num(*K_RANGE), "k of the 1/t schedule"),
    "patience": Field(Int(*PATIENCE_RANGE), "early stopping after this many epochs without "
                      "a lower test loss (0: off)"),
})

def _caption_text(v: Any) -> None:
    from nnviz.engine.teaching.captions import parse_template

    parse_template(v)


CAPTION_TEXT = Checked(_caption_text, "text (≤ 4000 characters); `{name}` or `{name:4}` "
                       "quote live values, `{{ }}` are braces; nothing else in braces")
CAPTION = Obj({
    "at": Field(OneOf((Enum(*PHASES), Int(0, 10**7))), "a phase or a step number"),
    "when": Field(Obj({
        "step_from": Field(Int(0, 10**9), "the lab's step is at least this"),
        "step_until": Field(Int(0, 10**9), "the lab's step is below this"),
        "loss_below": Field(Num(0.0, 1e12), "the loss now is below this"),
        "loss_above": Field(Num(0.0, 1e12), "the loss now is above this"),
    }), "show while the lab's progress matches (instead of `at`)"),
    "text": Field(CAPTION_TEXT, "shown to the class (plain text)", True),
    "question": Field(CAPTION_TEXT, "a question for the class (plain text)"),
})


def _race(v: Any) -> None:
    if not isinstance(v, dict):
        raise FormatError("expected an object")
    from nnviz.engine.labs.race import SURFACES

    Obj({
        "surface": Field(Enum(*SURFACES), "the race's surface"),
        "optimisers": Field(List(Enum(*OPTIMISERS), len(OPTIMISERS), 1), "distinct "
                            "optimisers"),
        "rates": Field(Obj({n: Field(Num(1e-12, 1e3), "") for n in OPTIMISERS}), ""),
        "start": Field(List(Num(-BIG, BIG), 2, 2), ""),
        "steps_per_tick": Field(Int(1, 200), ""),
    }).check(v, "race")
    names = v.get("optimisers", [])
    if len(set(names)) != len(names):
        raise FormatError("race.optimisers: each optimiser once")


def _general(v: Any) -> None:
    from nnviz.engine.labs.general_setup import parse_setup

    parse_setup(v)


def _notes_numbers(v: Any) -> None:
    from nnviz.engine.teaching.notes_numbers import parse_notes_numbers

    parse_notes_numbers({"notes_numbers": v}, [4096] * 65)

X_RANGE = Num(-1e6, 1e6)
LESSON_SETTINGS: dict[str, dict[str, Field]] = {
    "workbench": {
        "matrix_notes_digits": Field(List(Int(0, 9), 2, 2), "decimals the notes print in a "
                                     "matrix update (products, results)"),
        "notes_numbers": Field(List(Checked(lambda v: _notes_numbers([v]), "object: `label`, "
                                            "`quantity`, `index`, `steps`, `printed`, `why` "
                                            "(see below)"), 200),
                               "numbers the notes print, shown beside nnviz's exact ones"),
    },
    "universality": {
        "mode": Field(Enum("free", "step", "bumps"), "free: the network as it is; step: w "
                      "large, drag s; bumps: N bumps of step pairs"),
        "bumps": Field(Int(1, 50), "number of bumps"),
        "fit": Field(Bool(), "fit the bumps' heights to the goal (least squares)"),
        "fit_inverse": Field(Bool(), "sigmoid output, fit σ⁻¹ of the goal"),
        "w_big": Field(Num(1e-6, 1e9), "the large weight of step mode"),
        "goal": Field(Opt(Expr(("x",))), "the goal f(x); must be finite over the range "
                      "when fitted"),
        "x_min": Field(X_RANGE, "left end of the plotted range"),
        "x_max": Field(X_RANGE, "right end of the plotted range"),
        "activation": Field(Enum(*HIDDEN_ACTIVATIONS), "hidden activation override"),
        "stages": Field(List(Obj({
            "activation": Field(Enum(*HIDDEN_ACTIVATIONS), "the stage's activation"),
            "caption": Field(Str(2000), "the stage's caption (plain text)"),
        }), 20), "stages the clicker steps through"),
        "page": Field(Enum("one", "towers"), "towers: open the two-input page"),
        "towers": Field(Int(1, 20), "towers per side"),
        "gain": Field(Num(1e-6, 1e4), "the towers' gain h"),
        "goal2d": Field(Expr(("x", "y")), "the two-input goal f(x, y)"),
    },
    "surface": {
        "mode": Field(Enum("params", "random", "pca", "slowdown", "race"), "which plane of "
                      "parameters, or `slowdown` / `race`: open that page"),
        "race": Field(Checked(_race, "object: `surface`, `optimisers`, `rates`, `start`, "
                              "`steps_per_tick` (see below)"), "the optimiser race"),
        "params": Field(List(NAME, 2, 2), "the two parameters' names"),
        "span": Field(Num(1e-9, 1e6), "half-width of the plotted square"),
        "center": Field(List(Num(-BIG, BIG), 2, 2), "centre of the plotted square"),
        "only_two": Field(Bool(), "train only the two plotted parameters"),
        "losses": Field(List(Enum(*LOSSES), 2, 2), "the two losses of the slowdown page"),
    },
    "training": {
        **DATA_SETTINGS,
        "layer_histograms": Field(Bool(), "open the dock of per-layer histograms"),
        "chart": Field(Str(40), "`gradient_health` opens the Gradients tab, "
                                "`keras_code` the Keras tab"),
    },
    "neuron": {
        "page": Field(Enum("mp", "perceptron", "compare", "gallery", "softmax"), "the page "
                      "opened"),
        "mp": Field(Enum(*MP_PRESETS), "the McCulloch-Pitts preset"),
        "gallery": Field(Enum(*ACTIVATIONS), "the activation shown in the gallery"),
        "compare": Field(List(Num(-BIG, BIG), 2, 2), "w before and after a small change"),
        "convention": Field(Enum(*CONVENTIONS), "perceptron or step convention"),
        "learning": Field(Obj({
            "seed": Field(SEED, "random seed of the perceptron rule"),
            "start": Field(Enum("random", "current"), "start from random or current w"),
        }), "the perceptron rule's run"),
    },
    "conv": {
        "page": Field(Enum(*CONV_PAGES), "the page opened"),
        "source": Field(Enum(*CONV_SOURCES), "the input image"),
        "digit": Field(Int(0, 9), "which digit"),
        "paint": Field(Grid(2, MAX_PAINT * MAX_PAINT, 0.0, 1.0), "a painted image"),
        "kernel": Field(OneOf((Str(40), Grid(2, 25, -CONV_MAX_ABS, CONV_MAX_ABS))),
                        "a kernel preset's name or a square grid"),
        "kernels": Field(OneOf((Str(40), List(OneOf((Str(40), Grid(3, 75, -CONV_MAX_ABS,
                                                                      CONV_MAX_ABS),
                                                     Grid(2, 25, -CONV_MAX_ABS,
                                                          CONV_MAX_ABS))), 8))),
                         "kernels: preset names or grids"),
        "kernel_size": Field(Int(1, 5), "kernel size"),
        "biases": Field(List(Num(-CONV_MAX_ABS, CONV_MAX_ABS), 8), "one bias per kernel"),
        "active": Field(Int(0, 7), "the kernel shown"),
        "stride": Field(Int(1, 4), "stride"),
        "padding": Field(Int(0, 3), "padding"),
        "relu": Field(Bool(), "ReLU after the convolution"),
        "pool": Field(Enum(*POOL_MODES), "pooling"),
        "pool_size": Field(Int(1, 4), "pooling window"),
        "pool_stride": Field(Int(1, 4), "pooling stride"),
        "cnn_kernels": Field(Int(1, MAX_CNN_KERNELS), "kernels of the small CNN"),
        "cnn_pool": Field(Enum(*POOL_MODES), "pooling of the small CNN"),
        "cnn_lr": Field(Num(1e-6, 10.0), "learning rate of the small CNN"),
        "cnn_seed": Field(SEED, "random seed of the small CNN"),
    },
    "general": {},   # the whole settings object: see check_lesson and below
}


def settings_schema(lab: str) -> Obj:
    """The settings a lesson of ``lab`` may hold: its lab's keys first, then the other
    labs' keys it does not declare itself."""
    fields = dict(LESSON_SETTINGS.get(lab, {}))
    for other in LABS:
        for key, f in LESSON_SETTINGS[other].items():
            fields.setdefault(key, f)
    return Obj(fields)


LESSON = Obj({
    "format": Field(Enum("nnviz-lesson"), "the file's kind", True),
    "version": Field(Int(1, 1), "the format version", True),
    "name": Field(Str(80), "short identifier (informational: never used as a path)", True),
    "title": Field(Str(200), "shown to the class (plain text)", True),
    "description": Field(TEXT, "shown in the Lesson dock: Markdown without HTML, links or "
                         "images"),
    "source": Field(LINE, "where in the notes it comes from"),
    "lab": Field(Enum(*LABS), "the lab opened with the lesson (default workbench)"),
    "network": Field(NETWORK, "the network", True),
    "names": Field(NAMES, "names of neurons, weights and biases (default: layer notation)"),
    "example": Field(Obj({
        "input": Field(Grid(1, MAX_LAYER_SIZE, -BIG, BIG), "n_in numbers", True),
        "target": Field(Grid(1, MAX_LAYER_SIZE, -BIG, BIG), "n_out numbers", True),
    }), "the example the workbench steps through (or give `data`)"),
    "data": Field(DATA, "the data set (or give `example`)"),
    "training": Field(TRAINING, "the training settings"),
    "chapter": Field(Str(80), "the syllabus chapter (an id or a title of its own, one line)"),
    "order": Field(Int(0, 9999), "the lesson's place in its chapter"),
    "captions": Field(List(CAPTION, 500), "captions and questions for the class"),
    "settings": Field(Obj(open=True), "the lab's settings (tables below)"),
})


def check_lesson(d: Any) -> None:
    """Check a decoded lesson against the schema (FormatError naming the key)."""
    LESSON.check(d, "")
    lab = d.get("lab", "workbench")
    settings = d.get("settings", {})
    if lab == "general":
        _general_checked.check(settings, "settings")
    else:
        settings_schema(lab).check(settings, "settings")


_general_checked = Checked(_general, "the generalisation lab's settings (see below)")
