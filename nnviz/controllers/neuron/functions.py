"""State of the Neuron lab's function pages: perceptron vs sigmoid neuron, the
activation gallery and softmax. QtCore only; every value comes from the engine."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from nnviz.engine.core.activations import ACTIVATIONS, get_activation, softmax
from nnviz.engine.labs.neuron import saturation_regions

#: every activation of one neuron (softmax couples neurons: it has its own page)
GALLERY = tuple(name for name, act in ACTIVATIONS.items() if not act.vector)
Z_RANGE = 6.0
#: the activations with a parameter α, and the α the gallery starts with: notes 002 use 0.1
ALPHA_START = {name: 0.1 for name in GALLERY if ACTIVATIONS[name].has_alpha}
ALPHA_RANGE = (0.0, 2.0)


class FunctionsController(QObject):
    """The sigmoid comparison slider, the gallery's z marker and the softmax inputs."""

    compare_changed = Signal()
    gallery_changed = Signal()
    softmax_changed = Signal()

    COMPARE_X, COMPARE_B = 1.0, -1.0

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.compare_w = 0.8
        self.compare_prev = 0.8
        self.gallery_name = "sigmoid"
        self.gallery_z = 0.0
        self.gallery_alpha = dict(ALPHA_START)
        self.softmax_z = np.array([2.0, 1.0, 0.1, -1.0])
        self.softmax_scale = 1.0
    # ------------------------------------------------------------ perceptron vs sigmoid
    def set_compare_w(self, w: float) -> None:
        w = float(w)
        if not np.isfinite(w):
            raise ValueError("w must be finite")
        self.compare_prev, self.compare_w = self.compare_w, w
        self.compare_changed.emit()

    def compare(self) -> dict[str, float]:
        """Outputs of a perceptron and a sigmoid neuron with z = w x + b, now and before."""
        sig, per = get_activation("sigmoid"), get_activation("perceptron")  # notes 002: > 0
        out = {}
        for tag, w in (("", self.compare_w), ("prev_", self.compare_prev)):
            z = np.array(w * self.COMPARE_X + self.COMPARE_B)
            out[tag + "w"], out[tag + "z"] = w, float(z)
            out[tag + "perceptron"] = float(per.fn(z))
            out[tag + "sigmoid"] = float(sig.fn(z))
        out["d_perceptron"] = out["perceptron"] - out["prev_perceptron"]
        out["d_sigmoid"] = out["sigmoid"] - out["prev_sigmoid"]
        dw = self.compare_w - self.compare_prev
        out["dw"] = dw
        out["d_sigmoid_approx"] = float(sig.prime(np.array(out["prev_z"]))) * self.COMPARE_X * dw
        return out

    def compare_curves(self, lo: float = -3.0, hi: float = 5.0, n: int = 801):
        """The outputs over w in [lo, hi]: the perceptron's as the corners of its step
        (one exact vertical jump at w = -b/x; sampling it drew a slanted, doubled-looking
        segment between two samples) and the sigmoid's sampled at ``n`` points. Returns
        ((w, perceptron), (w, sigmoid))."""
        per, sig = get_activation("perceptron"), get_activation("sigmoid")
        ws = np.linspace(lo, hi, n)
        jump = -self.COMPARE_B / self.COMPARE_X
        step_w = np.array([lo, jump, jump, hi])
        step_y = per.fn(np.array([lo, jump, hi]) * self.COMPARE_X + self.COMPARE_B)
        step_y = np.array([step_y[0], step_y[1], step_y[2], step_y[2]])
        return (step_w, step_y), (ws, sig.fn(ws * self.COMPARE_X + self.COMPARE_B))

    # ------------------------------------------------------------ gallery
    def set_gallery(self, name: str) -> None:
        if name not in GALLERY:
            raise ValueError(f"unknown activation {name!r}")
        self.gallery_name = name
        self.gallery_changed.emit()

    def set_gallery_z(self, z: float) -> None:
        z = float(z)
        if not np.isfinite(z):
            raise ValueError("z must be finite")
        self.gallery_z = float(np.clip(z, -6.0, 6.0))
        self.gallery_changed.emit()

    def set_gallery_alpha(self, name: str, alpha: float) -> None:
        """α of Leaky ReLU or ELU (0 to 2; the notes use 0.1)."""
        alpha = float(alpha)
        if name not in ALPHA_START:
            raise ValueError(f"{name} has no parameter α")
        if not (np.isfinite(alpha) and ALPHA_RANGE[0] <= alpha <= ALPHA_RANGE[1]):
            raise ValueError(f"α must be from {ALPHA_RANGE[0]} to {ALPHA_RANGE[1]}")
        self.gallery_alpha = {**self.gallery_alpha, name: alpha}
        self.gallery_changed.emit()

    def gallery_activation(self, name: str):
        """The engine's activation with the gallery's α where it has one."""
        return get_activation(name, self.gallery_alpha.get(name))

    def gallery_curve(self, name: str, lo: float = -6.0, hi: float = 6.0, n: int = 1201):
        """(z, f(z), f'(z), saturation intervals) from the engine's activation."""
        act = self.gallery_activation(name)
        z = np.linspace(lo, hi, n)
        a = act.fn(z)
        fp = act.prime(z, a)
        return z, a, fp, saturation_regions(z, fp)

    def gallery_at(self, name: str) -> tuple[float, float]:
        act = self.gallery_activation(name)
        z = np.array([self.gallery_z])
        return float(act.fn(z)[0]), float(act.prime(z)[0])

    # ------------------------------------------------------------ softmax
    def set_softmax_z(self, j: int, value: float) -> None:
        value = float(value)
        if not np.isfinite(value):
            raise ValueError("z must be finite")
        self.softmax_z = self.softmax_z.copy()
        self.softmax_z[j] = value
        self.softmax_changed.emit()

    def set_softmax_scale(self, s: float) -> None:
        s = float(s)
        if not (np.isfinite(s) and s >= 0):
            raise ValueError("the scale must be a finite number >= 0")
        self.softmax_scale = s
        self.softmax_changed.emit()

    def softmax_terms(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(c·z, e^(c·z − max c·z), a), each shape (4,): the table of the softmax page."""
        cz = self.softmax_scale * self.softmax_z
        return cz, np.exp(cz - cz.max()), self.softmax_outputs()

    def softmax_outputs(self) -> np.ndarray:
        """a_j = softmax(c z)_j, shape (4,)."""
        return softmax(self.softmax_scale * self.softmax_z)

    # ------------------------------------------------------------ workspace
    def state(self) -> dict[str, Any]:
        return {"compare_w": self.compare_w, "gallery": self.gallery_name, "z": self.gallery_z,
                "softmax_z": self.softmax_z.tolist(), "softmax_scale": self.softmax_scale,
                "alpha": dict(self.gallery_alpha)}

    def parse_state(self, s: dict[str, Any]) -> dict[str, Any]:
        """Validated values of :meth:`state` (ValueError/FormatError/KeyError on bad input)."""
        from nnviz.engine.files.validate import as_array, as_number

        if s["gallery"] not in GALLERY:
            raise ValueError("gallery: unknown activation")
        return {"compare_w": as_number(s["compare_w"], "compare_w", -1e6, 1e6),
                "gallery": s["gallery"],
                "z": float(np.clip(as_number(s["z"], "z"), -Z_RANGE, Z_RANGE)),
                "softmax_z": as_array(s["softmax_z"], "softmax_z", shape=(4,)),
                "softmax_scale": as_number(s["softmax_scale"], "softmax_scale", 0.0, 1e6),
                "alpha": self._parse_alpha(s.get("alpha", ALPHA_START))}

    @staticmethod
    def _parse_alpha(v: Any) -> dict[str, float]:
        from nnviz.engine.files.validate import as_number

        if not isinstance(v, dict) or set(v) - set(ALPHA_START):
            raise ValueError("alpha: expected {\"leaky_relu\": number, \"elu\": number}")
        return {**ALPHA_START, **{k: as_number(x, f"alpha.{k}", *ALPHA_RANGE)
                                  for k, x in v.items()}}

    def apply_state(self, v: dict[str, Any]) -> None:
        """Install values from :meth:`parse_state`."""
        self.compare_w = self.compare_prev = float(v["compare_w"])
        self.gallery_name, self.gallery_z = v["gallery"], float(v["z"])
        self.gallery_alpha = dict(v.get("alpha", ALPHA_START))
        self.softmax_z, self.softmax_scale = np.asarray(v["softmax_z"], float), v["softmax_scale"]
        self.compare_changed.emit()
        self.gallery_changed.emit()
        self.softmax_changed.emit()
