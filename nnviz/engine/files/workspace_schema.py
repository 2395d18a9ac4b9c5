"""The declared schema of workspace (``.nnviz``) files, including every lab's saved
state: each key once, with type, bounds and meaning (see ``nnviz.engine.files.schema``).
``check_workspace`` runs before anything is built; ``docs/workspace-format.md`` is
generated from these declarations.

A lab that saves a new key declares it here, in ``LAB_STATES[lab]``.
"""

from __future__ import annotations

from typing import Any

from nnviz.engine.core.activations import ACTIVATIONS
from nnviz.engine.core.init import INITIALISERS
from nnviz.engine.core.losses import LOSSES
from nnviz.engine.files.file_schema import (
    BIG,
    DATA,
    DATA_SETTINGS,
    NAME,
    PHASES,
    SEED,
    TRAINING,
    _general,
    _race,
)
from nnviz.engine.files.schema import (
    Bool,
    Checked,
    Enum,
    Expr,
    Field,
    Grid,
    Int,
    List,
    Node,
    Num,
    Obj,
    Opt,
    Str,
)
from nnviz.engine.files.validate import MAX_LAYER_SIZE, MAX_LAYERS, MAX_PARAMS
from nnviz.engine.labs.neuron import CONVENTIONS
from nnviz.engine.labs.universality import HIDDEN_ACTIVATIONS
from nnviz.engine.sets.data import MAX_POINTS
from nnviz.engine.sets.features import FEATURES
from nnviz.engine.teaching.drawing import MAX_PEN_POINTS, MAX_STROKES, PEN_COLOURS, POINT_RANGE, WIDTH_RANGE

WEIGHT = 1e300     # weights and biases: any finite float64 a training run can reach
VALUE = 1e12       # data values
LAB_VALUE = BIG    # numbers a lab draws or edits (a spin box, a plot's range)

NETWORK = Obj({
    "sizes": Field(List(Int(1, MAX_LAYER_SIZE), MAX_LAYERS + 1, 2), "layer sizes, input "
                   "first", True),
    "layers": Field(List(Obj({
        "activation": Field(Enum(*ACTIVATIONS), "the layer's activation (softmax only last)",
                            True),
        "alpha": Field(Num(0.0, 10.0), "slope or scale of leaky_relu / elu"),
        "weights": Field(Grid(2, MAX_PARAMS, -WEIGHT, WEIGHT), "n_out rows of n_in numbers",
                         True),
        "bias": Field(Grid(1, MAX_LAYER_SIZE, -WEIGHT, WEIGHT), "n_out numbers (all equal if "
                      "shared, all 0 without bias)", True),
        "use_bias": Field(Bool(), "the layer has a bias"),
        "shared_bias": Field(Bool(), "one bias value for the whole layer"),
        "batch_norm": Field(Obj({
            "gamma": Field(Grid(1, MAX_LAYER_SIZE, -WEIGHT, WEIGHT), "γ, one per neuron"),
            "beta": Field(Grid(1, MAX_LAYER_SIZE, -WEIGHT, WEIGHT), "β, one per neuron"),
            "running_mean": Field(Grid(1, MAX_LAYER_SIZE, -WEIGHT, WEIGHT),
                                  "running average of μ_B (used at test time)"),
            "running_var": Field(Grid(1, MAX_LAYER_SIZE, 0.0, WEIGHT),
                                 "running average of σ_B² (unbiased)"),
            "eps": Field(Num(1e-12, 1.0), "ε under the root"),
            "momentum": Field(Num(0.0, 0.999), "weight of the old running average"),
        }), "batch normalisation of a hidden layer's z before its activation"),
    }), MAX_LAYERS), "one object per layer after the input", True),
})

UNIVERSALITY = Obj({
    "controller": Field(Obj({
        "mode": Field(Enum("free", "step", "bumps"), "the lab's mode", True),
        "activation": Field(Enum(*HIDDEN_ACTIVATIONS), "hidden activation", True),
        "output": Field(Enum("linear", "sigmoid"), "output activation", True),
        "w": Field(Grid(1, 100, -LAB_VALUE, LAB_VALUE), "hidden weights (1–100)", True),
        "b": Field(Grid(1, 100, -LAB_VALUE, LAB_VALUE), "hidden biases", True),
        "v": Field(Grid(1, 100, -LAB_VALUE, LAB_VALUE), "output weights", True),
        "w_big": Field(Num(1e-6, 1e9), "the large weight of step mode", True),
        "goal": Field(Opt(Expr(("x",))), "the goal f(x)", True),
        "x_range": Field(List(Num(-LAB_VALUE, LAB_VALUE), 2, 2), "plotted range [min, max]",
                         True),
        "towers": Field(Int(1, 20), "towers per side", True),
        "gain": Field(Num(1e-6, 1e4), "the towers' gain h", True),
        "goal2d": Field(Expr(("x", "y")), "the two-input goal", True),
        "eta": Field(Num(1e-9, 1e3), "learning rate of Train from here"),
    }), "the model", True),
    "tab": Field(Int(0, 1), "0: one input, 1: two inputs"),
    "selected": Field(Int(0, 99), "the selected hidden neuron"),
})

SURFACE = Obj({
    "page": Field(Enum("surface", "slowdown", "race"), "the page shown"),
    "race": Field(Checked(_race, "the optimiser race's settings (as in lessons)"), "the race"),
    "mode": Field(Enum("params", "random", "pca"), "which plane of parameters"),
    "params": Field(List(NAME, 2, 2), "the two parameters' names"),
    "center": Field(List(Num(-LAB_VALUE, LAB_VALUE), 2, 2), "centre of the plotted square"),
    "span": Field(Num(1e-9, LAB_VALUE), "half-width of the plotted square"),
    "resolution": Field(Int(21, 301), "grid points per side"),
    "only_two": Field(Bool(), "train only the two plotted parameters"),
    "steps_per_tick": Field(Int(1, 1000), "descent steps per animation frame"),
})

#: the data set's settings, split and input features (the rows are the workspace's ``data``)
DATASET = Obj({
    "data": Field(Obj(DATA_SETTINGS), "the data settings"),
    "rows": Field(Enum("spec", "document"), "data made from the settings, or the "
                  "workspace's own rows (edited or imported)"),
    "test": Field(List(Int(0, MAX_POINTS), MAX_POINTS), "indices of the test samples"),
    "features": Field(List(Enum(*FEATURES), len(FEATURES), 1), "the input features"),
    "points": Field(Grid(2, 2 * MAX_POINTS, -VALUE, VALUE), "the 2-D points under "
                    "derived features"),
})

TRAINING_LAB = Obj({
    "controller": Field(Obj({
        **DATASET.fields,   # files written before the data set was the document's
        "speed": Field(Int(0, 100), "epochs per frame (0: as fast as possible)"),
        "init": Field(Enum(*INITIALISERS), "the initialiser of Reset"),
        "init_gain": Field(Num(0.0, 100.0), "the weight scale of Reset"),
    }), "the training controller (the data keys: as `dataset`, read from older files)"),
    "discrete": Field(Bool(), "discrete colours in the output map"),
})

NEURON = Obj({
    "page": Field(Enum("mp", "perceptron", "compare", "gallery", "softmax"), "the page shown"),
    "mp": Field(Obj({
        "inhibitory": Field(List(Bool(), 4, 1), "which inputs inhibit", True),
        "theta": Field(Int(0, 4), "threshold", True),
    }), "the McCulloch-Pitts unit", True),
    "w": Field(List(Num(-LAB_VALUE, LAB_VALUE), 2, 2), "the perceptron's weights", True),
    "b": Field(Num(-LAB_VALUE, LAB_VALUE), "the perceptron's bias", True),
    "convention": Field(Enum(*CONVENTIONS), "perceptron or step", True),
    "points": Field(Grid(2, 400, -LAB_VALUE, LAB_VALUE), "up to 200 points (x1, x2)", True),
    "labels": Field(List(Int(0, 1), 200), "one class per point", True),
    "data_name": Field(Str(20), "the data's name", True),
    "seed": Field(SEED, "random seed of the rule", True),
    "start": Field(Enum("random", "current"), "start of a run", True),
    "run": Field(Opt(Obj({
        "start": Field(List(Num(-LAB_VALUE, LAB_VALUE), 3, 3), "w at the start", True),
        "cursor": Field(Int(0, 20_000), "steps taken", True),
    })), "the perceptron rule's run", True),
    "compare_w": Field(Num(-LAB_VALUE, LAB_VALUE), "w of the comparison page", True),
    "gallery": Field(Enum(*ACTIVATIONS), "activation of the gallery", True),
    "z": Field(Num(-LAB_VALUE, LAB_VALUE), "z of the gallery", True),
    "softmax_z": Field(List(Num(-LAB_VALUE, LAB_VALUE), 4, 4), "softmax inputs", True),
    "softmax_scale": Field(Num(0.0, LAB_VALUE), "softmax scale", True),
    "alpha": Field(Obj({name: Field(Num(0.0, 2.0), f"α of {name} in the gallery")
                        for name, act in ACTIVATIONS.items() if act.has_alpha}),
                   "the gallery's α of the functions that have one"),
})

LAB_STATES: dict[str, Node] = {
    "workbench": Obj({
        "k": Field(Int(0, 10**9), "micro-step shown"),
        "t": Field(Int(0, 10**6), "training step shown"),
        "weight_labels": Field(Bool(), "weight labels on the edges"),
        "timeline": Field(Grid(2, 4_000_000, -WEIGHT, WEIGHT), "the parameters of every "
                          "network of the timeline (left out when too big)"),
        "matrix": Field(Obj({
            "on": Field(Bool(), "the matrix view is shown"),
            "batch": Field(Bool(), "the whole batch at once"),
            "input_layer": Field(Int(0, 1), "the input layer's number (0 or 1)"),
        }), "the matrix form of the step"),
    }),
    "conv": Obj({
        "page": Field(Enum("conv", "cnn"), "the tab shown"),
        "conv": Field(Obj(open=True), "the convolution page: the keys of a conv lesson's "
                      "settings and `k`; checked by the lab before anything changes"),
        "cnn": Field(Obj({
            "optimiser": Field(Opt(Obj({
                "name": Field(Enum("adam"), "the CNN's optimiser", True),
                "hyper": Field(Obj(open=True), "its settings (β₁, β₂, ε), in range"),
                "t": Field(Int(0, 10**12), "steps it has taken (Adam's bias correction)"),
                "slots": Field(List(Opt(Obj(open=True)), 4), "per parameter array (kernels, "
                               "their biases, dense weights, dense biases) or null: `m` and "
                               "`v`, each {shape, data} of that array's shape; finite, v ≥ 0"),
            })), "Adam's running averages, so training goes on where it stopped (null: "
                 "none yet)"),
        }, open=True), "the CNN tab (kernels, pool, lr, seed, example, steps, epochs, params, "
            "history, optimiser); checked by the lab before anything changes"),
    }),
    "general": Checked(_general, "the generalisation lab's settings (as in lessons)"),
    "universality": UNIVERSALITY,
    "surface": SURFACE,
    "training": TRAINING_LAB,
    "neuron": NEURON,
    "info": Obj(),
}
BUILTIN_LABS = tuple(LAB_STATES)  # the documented ones (tests register a stand-in lab)

WORKSPACE = Obj({
    "format": Field(Enum("nnviz-workspace"), "the file's kind", True),
    "version": Field(Int(1, 1), "the format version", True),
    "app": Field(Str(100), "the nnviz version that wrote the file (informational)"),
    "lesson": Field(Obj({
        "name": Field(Str(200), "the lesson's name (informational, never a path)"),
        "raw": Field(Obj(open=True), "the complete lesson object, checked like a lesson file",
                     True),
    }), "the lesson", True),
    "network": Field(NETWORK, "the live network", True),
    "data": Field(Obj({
        "inputs": Field(Grid(2, MAX_PARAMS, -VALUE, VALUE), "n rows of n_in numbers"),
        "targets": Field(Grid(2, MAX_PARAMS, -VALUE, VALUE), "n rows of n_out numbers"),
        "spec": Field(DATA, "a generator, gate or data-set spec, as in lessons"),
    }), "the data set: `inputs` and `targets`, or `spec`", True),
    "dataset": Field(DATASET, "the data set's settings, train/test split and input "
                     "features"),
    "example": Field(Obj({
        "input": Field(Grid(1, MAX_LAYER_SIZE, -VALUE, VALUE), "n_in numbers", True),
        "target": Field(Grid(1, MAX_LAYER_SIZE, -VALUE, VALUE), "n_out numbers", True),
    }), "the example the workbench steps through", True),
    "training": Field(Obj({k: f for k, f in TRAINING.fields.items()
                           if k not in ("epochs", "seed")}), "the hyper-parameters", True),
    "loss": Field(Enum(*LOSSES), "the loss", True),
    "lab": Field(Str(40), "the lab shown (the lesson's lab if this build has no such lab)"),
    "position": Field(Obj({
        "k": Field(Int(0, 10**9), "micro-steps shown", True),
        "phase": Field(Enum(*PHASES), "the phase of step k", True),
    }), "the position of the lab shown"),
    "labs": Field(Obj(open=True), "one object per lab: `labs.<lab>` below"),
    "drawing": Field(List(Obj({
        "colour": Field(Enum(*PEN_COLOURS), "the pen's colour", True),
        "width": Field(Num(*WIDTH_RANGE), "the width in pixels at normal type", True),
        "points": Field(Grid(2, 2 * MAX_PEN_POINTS, *POINT_RANGE), "[x, y] pairs, fractions of the "
                        "window's width and height", True),
    }), MAX_STROKES), "the presenter's pen strokes, only when View > Pen > Keep the drawing "
       "in the workspace is on"),
})


def labs_schema() -> Obj:
    """The ``labs`` object: one declared state per lab of ``LAB_STATES``."""
    return Obj({name: Field(node, f"the {name} lab's state") for name, node in
                LAB_STATES.items()})


def check_workspace(d: Any) -> None:
    """Check a decoded workspace against the schema (FormatError naming the key)."""
    WORKSPACE.check(d, "")
    labs_schema().check(d.get("labs", {}), "labs")
