"""What the Generalisation lab shows, as validated data: a lesson's ``settings`` and the
lab's part of a workspace use the same keys (``resources/lessons/README.md``).

:func:`parse_setup` checks every key and every bound before anything is built and
raises :class:`~nnviz.engine.files.validate.FormatError` naming the key; unknown keys are
refused (a typo must not be silently ignored).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from nnviz.engine.files.validate import FormatError, as_int, as_number, as_str
from nnviz.engine.labs.generalisation import CASES
from nnviz.engine.labs.polyfit import MAX_DEGREE

#: the lab's tabs, in order
PAGES = ("bias-variance", "regularisation", "l1-l2", "more-data", "dropout", "augmentation",
         "transfer")
PAGE_TITLES = {
    "bias-variance": "Bias and variance",
    "regularisation": "Why regularisation helps",
    "l1-l2": "L1 vs L2",
    "more-data": "More data",
    "dropout": "Dropout as an ensemble",
    "augmentation": "Augment",
    "transfer": "Transfer learning",
}
# the tabs' own short names, so all seven tabs fit a 1024-pixel projector in presentation
# mode (the full title is the tab's tooltip and heads the status line)
TAB_TITLES = {
    "bias-variance": "Bias/variance",
    "regularisation": "Regularise",
    "l1-l2": "L1 vs L2",
    "more-data": "More data",
    "dropout": "Dropout",
    "augmentation": "Augment",
    "transfer": "Transfer",
}
MAX_SEED = 2**31 - 1
MODELS = ("polynomial", "network")


@dataclass(frozen=True)
class GeneralSetup:
    """Every setting of the lab (one flat record; each tab reads its own)."""

    page: str = "bias-variance"
    # bias and variance
    degree: int = 3
    n: int = 15
    noise: float = 0.3
    k: int = 20
    bv_lambda: float = 0.001
    seed: int = 0
    model: str = "polynomial"        # or "network": 1-hidden-1 tanh, complexity = hidden
    hidden: int = 3
    mlp_epochs: int = 600
    # why regularisation helps (ten points near y = 2x)
    reg_degree: int = 9
    reg_lambda: float = 0.0
    # L1 vs L2
    l_lambda: float = 0.5
    l_eta: float = 0.5
    l_n: int = 200
    l_epochs: int = 40
    # more data
    steps: int = 600
    # dropout
    p: float = 0.5
    members: int = 10
    d_epochs: int = 20
    # augmentation
    a_per_class: int = 5
    a_epochs: int = 40
    # transfer
    t_per_class: int = 5
    t_epochs: int = 60

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


#: (low, high) of every number; ints where the default is an int
BOUNDS: dict[str, tuple[float, float]] = {
    "degree": (0, MAX_DEGREE), "n": (2, 200), "noise": (0.0, 2.0), "k": (2, 50),
    "bv_lambda": (0.0, 100.0), "seed": (0, MAX_SEED), "hidden": (1, 50),
    "mlp_epochs": (10, 5000),
    "reg_degree": (1, MAX_DEGREE), "reg_lambda": (0.0, 1000.0),
    "l_lambda": (0.0, 20.0), "l_eta": (0.001, 5.0), "l_n": (20, 1000), "l_epochs": (1, 500),
    "steps": (50, 5000),
    "p": (0.0, 0.9), "members": (1, 30), "d_epochs": (1, 200),
    "a_per_class": (1, 30), "a_epochs": (1, 300),
    "t_per_class": (1, 30), "t_epochs": (1, 300),
}


def check(name: str, value: Any) -> Any:
    """One setting validated against its bounds (FormatError naming it)."""
    if name == "page":
        v = as_str(value, "page", 40)
        if v not in PAGES:
            raise FormatError(f"page: {v!r} is not one of {', '.join(PAGES)}")
        return v
    if name == "model":
        v = as_str(value, "model", 40)
        if v not in MODELS:
            raise FormatError(f"model: {v!r} is not one of {', '.join(MODELS)}")
        return v
    if name not in BOUNDS:
        raise FormatError(f"{name}: not a setting of the Generalisation lab")
    lo, hi = BOUNDS[name]
    if isinstance(getattr(GeneralSetup, name), int):
        return as_int(value, name, int(lo), int(hi))
    return as_number(value, name, lo, hi)


def parse_setup(d: Any, base: GeneralSetup | None = None) -> GeneralSetup:
    """Settings from a lesson or a workspace; every key checked, unknown keys refused."""
    if not isinstance(d, dict):
        raise FormatError("expected an object of settings")
    known = {f.name for f in fields(GeneralSetup)}
    values = (base or GeneralSetup()).to_dict()
    for key, value in d.items():
        if key not in known:
            raise FormatError(f"{str(key)[:40]!r} is not a setting of the Generalisation lab")
        values[key] = check(key, value)
    return GeneralSetup(**values)


def case_setup(setup: GeneralSetup, key: str) -> GeneralSetup:
    """The setup with one of the notes' four bias/variance cases applied (they are made
    with the polynomial model)."""
    for c in CASES:
        if c.key == key:
            return parse_setup({"model": "polynomial", "degree": c.degree, "n": c.n,
                                "noise": c.noise}, setup)
    raise ValueError(f"unknown case {key!r}")
