"""The convolution lab's stepping and editing: one kernel position at a time, then
the pooling windows; every edit of the set-up is undoable on the document's stack.

The cursor ``k`` counts the positions shown: 1..n_conv are the output cells of the
active kernel's feature map (reading order), then the pooling windows of its (ReLU'd)
map; then the backward pass (:mod:`nnviz.engine.labs.conv_backsteps`): the pooling windows
again (δp routed), then the output cells again (δ, ∂C/∂w and ∂C/∂b summed). Views read
:meth:`cell`, :meth:`pool_cell`, :meth:`pool_back_cell`, :meth:`conv_back_cell`, the
maps and :attr:`setup`; they hear ``changed`` after every change.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from nnviz.controllers.document import Document
from nnviz.controllers.undo import Change
from nnviz.engine.files.validate import FormatError
from nnviz.engine.labs import conv_backsteps as cb
from nnviz.engine.labs import conv_steps as cs
from nnviz.engine.labs.conv_setup import MAX_KERNELS, MAX_PAINT, ConvSetup, check_fits, parse_setup

Array = np.ndarray


class ConvController(QObject):
    """The set-up, the derived maps and the stepping cursor of the convolution page."""

    changed = Signal()            # set-up or cursor changed: views re-read everything
    page_requested = Signal(str)  # a lesson asks for the "conv" or "cnn" page

    def __init__(self, doc: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.setup = ConvSetup()
        self.k = 0
        self._recompute()
        doc.lesson_changed.connect(self._on_lesson_changed)

    # ------------------------------------------------------------ lessons
    def _on_lesson_changed(self) -> None:
        lesson = self.doc.lesson
        if lesson is None or lesson.lab != "conv":
            return
        self.setup = parse_setup(lesson.settings)   # validated when the lesson loaded
        self._recompute()
        self.k = self.n_conv if self.setup.page == "pool" else 0
        self.changed.emit()
        self.page_requested.emit("cnn" if self.setup.page == "cnn" else "conv")

    # ------------------------------------------------------------ derived state
    def _recompute(self) -> None:
        s = self.setup
        self.image = s.image()
        self.maps = cs.feature_maps(self.image, s.kernels, s.biases, s.stride, s.padding)
        self.activated = np.maximum(self.maps, 0.0) if s.relu else self.maps
        self.pooled = cs.pooled(self.activated, s.pool_size, s.pool_stride, s.pool)
        self.n_conv = self.maps.shape[1] * self.maps.shape[2]
        self.n_pool = self.pooled.shape[1] * self.pooled.shape[2]
        a = s.active
        self.back = cb.layer_grads(self.image, s.kernels[a], float(s.biases[a]), s.stride,
                                   s.padding, s.relu, s.pool, s.pool_size, s.pool_stride)
        self.k = min(self.k, self.n_steps)

    def phases(self) -> list[tuple[str, int, int]]:
        """(stage, positions, positions per row) in stepping order: forward, then backward."""
        ow, pw = self.maps.shape[2], self.pooled.shape[2]
        return [("conv", self.n_conv, ow), ("pool", self.n_pool, pw),
                ("pool_back", self.n_pool, pw), ("conv_back", self.n_conv, ow)]

    @property
    def n_forward(self) -> int:
        return self.n_conv + self.n_pool

    @property
    def n_steps(self) -> int:
        return 2 * self.n_forward

    def _phase(self, k: int, ahead: bool = False) -> tuple[str, int, int, int]:
        """(stage, first position - 1, positions, per row) of the phase of position k
        (with ``ahead``: of the position after k)."""
        start = 0
        for name, n, row in self.phases():
            if (k < start + n) if ahead else (k <= start + n):
                return name, start, n, row
            start += n
        return name, start - n, n, row

    @property
    def stage(self) -> str:
        """"conv" while the kernel slides (k <= n_conv), "pool", then backward
        "pool_back" and "conv_back"."""
        return self._phase(self.k)[0]

    @property
    def backward(self) -> bool:
        return self.k > self.n_forward

    def cell(self) -> cs.ConvCell | None:
        """The output cell at the cursor (the last one once pooling has begun)."""
        if self.k == 0:
            return None
        s = self.setup
        i = min(self.k, self.n_conv) - 1
        return cs.conv_cell(self.image, s.kernels[s.active], s.biases[s.active], s.stride,
                            s.padding, i)

    def pool_cell(self) -> cs.PoolCell | None:
        """The pooling window at the cursor, None outside the forward pooling."""
        if self.stage != "pool":
            return None
        s = self.setup
        return cs.pool_cell(self.activated[s.active], s.pool_size, s.pool_stride, s.pool,
                            self.k - self.n_conv - 1)

    def pool_back_cell(self) -> cb.PoolBackCell | None:
        """The pooling window at the cursor in the backward pass (δp routed)."""
        if self.stage != "pool_back":
            return None
        s = self.setup
        return cb.pool_back_cell(self.activated[s.active], self.pooled[s.active], s.pool_size,
                                 s.pool_stride, s.pool, self.k - self.n_forward - 1)

    def conv_back_cell(self) -> cb.ConvBackCell | None:
        """The output cell at the cursor in the backward pass (δ, ∂C/∂w, ∂C/∂b so far)."""
        if self.stage != "conv_back":
            return None
        s = self.setup
        return cb.conv_back_cell(self.image, self.maps[s.active], self.back.da,
                                 s.kernels.shape[-1], s.stride, s.padding, s.relu,
                                 self.k - self.n_forward - self.n_pool - 1)

    def shown_conv(self) -> int:
        """How many cells of the active feature map are filled in."""
        return min(self.k, self.n_conv)

    def shown_pool(self) -> int:
        return min(self.n_pool, max(0, self.k - self.n_conv))

    def shown_back(self) -> tuple[int, int]:
        """Backward positions shown: (pooling windows, output cells)."""
        j = max(0, self.k - self.n_forward)
        return min(j, self.n_pool), max(0, j - self.n_pool)

    # ------------------------------------------------------------ stepping
    def go_to(self, k: int) -> None:
        k = max(0, min(int(k), self.n_steps))
        if k != self.k:
            self.k = k
            self.changed.emit()

    def step_forward(self) -> bool:
        if self.k >= self.n_steps:
            return False
        self.go_to(self.k + 1)
        return True

    def step_back(self) -> bool:
        if self.k <= 0:
            return False
        self.go_to(self.k - 1)
        return True

    def finish_row(self) -> None:
        """To the last position of the current row (the next row's if at its end; the
        first row of the next stage at a stage's end)."""
        if self.k < self.n_steps:
            _, start, n, row = self._phase(self.k, ahead=True)
            self.go_to(start + min(n, ((self.k - start) // row + 1) * row))

    def finish_map(self) -> None:
        """The whole feature map (pressed again: the pooled map, its backward pass, the
        convolution's backward pass)."""
        if self.k < self.n_steps:
            _, start, n, _ = self._phase(self.k, ahead=True)
            self.go_to(start + n)

    def restart(self) -> None:
        self.go_to(0)

    # ------------------------------------------------------------ edits (undoable)
    def _edit(self, text: str, fn, merge: str = "") -> None:
        """Apply ``fn`` to a copy of the set-up; refuse (ValueError) if it does not fit."""
        after = copy.deepcopy(self.setup)
        fn(after)
        try:
            check_fits(after)
        except FormatError as e:
            raise ValueError(str(e).removeprefix("settings: ")) from None
        self.doc.undo_stack.push(Change(text, self._install, copy.deepcopy(self.setup), after,
                                        ("conv", merge) if merge else None, copy=copy.deepcopy))

    def _install(self, setup: ConvSetup) -> None:
        self.setup = setup
        self._recompute()
        self.doc.mark_modified()
        self.changed.emit()

    def set_kernel_cell(self, c: int, u: int, v: int, value: float) -> None:
        value = _finite(value)
        a = self.setup.active

        def f(s: ConvSetup) -> None:
            s.kernels[a, c, u, v] = value
        self._edit(f"Kernel {a + 1} cell ({u + 1}, {v + 1}) = {value:g}", f)

    def set_bias(self, value: float) -> None:
        value = _finite(value)
        a = self.setup.active
        self._edit(f"Bias of kernel {a + 1} = {value:g}",
                   lambda s: s.biases.__setitem__(a, value), merge=f"bias{a}")

    def apply_preset(self, name: str) -> None:
        a, s0 = self.setup.active, self.setup
        k = cs.preset_kernel(name, s0.channels, s0.kernels.shape[-1])
        self._edit(f"Kernel {a + 1}: {cs.PRESETS[name][0]}",
                   lambda s: s.kernels.__setitem__(a, k))

    def set_kernel_count(self, n: int) -> None:
        """k kernels: new ones are the presets in turn (vertical edge, horizontal, …)."""
        n = max(1, min(MAX_KERNELS, int(n)))
        old = len(self.setup.kernels)
        if n == old:
            return
        names = list(cs.PRESETS)

        def f(s: ConvSetup) -> None:
            extra = [cs.preset_kernel(names[i % len(names)], s.channels, s.kernels.shape[-1])
                     for i in range(old, n)]
            s.kernels = np.concatenate([s.kernels[:n], *(e[None] for e in extra)])
            s.biases = np.concatenate([s.biases[:n], np.zeros(max(0, n - old))])
            s.active = min(s.active, n - 1)
        self._edit(f"{n} kernels", f)

    def set_kernel_size(self, k: int) -> None:
        """Every kernel k×k (1-5): centred in zeros when it grows, its middle when it
        shrinks (a 3×3 edge kernel stays an edge kernel)."""
        k = int(k)
        if not 1 <= k <= 5:
            raise ValueError("the kernel size must be between 1 and 5")
        old = self.setup.kernels.shape[-1]
        if k == old:
            return

        def f(s: ConvSetup) -> None:
            n, c = s.kernels.shape[:2]
            out = np.zeros((n, c, k, k))
            m = min(k, old)
            a, b = (k - m) // 2, (old - m) // 2
            out[:, :, a:a + m, a:a + m] = s.kernels[:, :, b:b + m, b:b + m]
            s.kernels = out
        self._edit(f"Kernel size {k}×{k}", f)

    def set_active(self, a: int) -> None:
        if not 0 <= a < len(self.setup.kernels) or a == self.setup.active:
            return
        self.setup.active = a          # which map is stepped: a view choice, not an edit
        self._recompute()
        self.changed.emit()

    def set_option(self, key: str, value: Any) -> None:
        """stride, padding, relu, pool, pool_size, pool_stride, digit (bounded)."""
        bounds = {"stride": (1, 4), "padding": (0, 3), "pool_size": (1, 4),
                  "pool_stride": (1, 4), "digit": (0, 1796)}
        if key in bounds:
            lo, hi = bounds[key]
            value = int(value)
            if not lo <= value <= hi:
                raise ValueError(f"{key.replace('_', ' ')} must be between {lo} and {hi}")
        elif key == "relu":
            value = bool(value)
        elif key == "pool":
            if value not in ("max", "average"):
                raise ValueError("pooling is max or average")
        else:
            raise ValueError(f"unknown option {key!r}")
        if getattr(self.setup, key) == value:
            return
        self._edit(f"{key.replace('_', ' ').capitalize()} = {value}",
                   lambda s: setattr(s, key, value))

    def set_source(self, source: str) -> None:
        """digit, paint or rgb; the kernels get the image's channel count (a grey kernel
        is copied to R, G and B; a colour kernel's channels are averaged)."""
        if source not in ("digit", "paint", "rgb") or source == self.setup.source:
            return

        def f(s: ConvSetup) -> None:
            was = s.channels
            s.source = source
            if s.channels != was:
                s.kernels = (np.repeat(s.kernels, 3, axis=1) if s.channels == 3
                             else s.kernels.mean(axis=1, keepdims=True))
        self._edit(f"Image: {source}", f)

    def paint(self, r: int, c: int, value: float, stroke: int = 0) -> None:
        """Set a cell of the painted grid (0-1); one stroke is one undo step."""
        value = min(1.0, max(0.0, _finite(value)))
        if self.setup.paint[r, c] == value:
            return

        def f(s: ConvSetup) -> None:
            s.paint[r, c] = value
        self._edit("Paint", f, merge=f"paint{stroke}")

    def set_paint_size(self, rows: int, cols: int) -> None:
        """The painted grid rows × cols (3 to MAX_PAINT each): what was painted keeps its
        place from the top left, new cells are blank. Refused if the kernel no longer fits."""
        rows, cols = int(rows), int(cols)
        if not (3 <= rows <= MAX_PAINT and 3 <= cols <= MAX_PAINT):
            raise ValueError(f"the painted grid has 3 to {MAX_PAINT} rows and columns")
        if (rows, cols) == self.setup.paint.shape:
            return

        def f(s: ConvSetup) -> None:
            grid = np.zeros((rows, cols))
            r, c = min(rows, s.paint.shape[0]), min(cols, s.paint.shape[1])
            grid[:r, :c] = s.paint[:r, :c]
            s.paint = grid
        self._edit(f"Painted grid {rows}×{cols}", f)

    def clear_paint(self) -> None:
        self._edit("Clear the painting", lambda s: s.paint.__setitem__(slice(None), 0.0))

    # ------------------------------------------------------------ workspace
    def state(self) -> dict[str, Any]:
        return {**self.setup.to_dict(), "k": self.k}

    def restore_state(self, d: Any) -> None:
        """Validate everything first (FormatError → ValueError), then install."""
        if not isinstance(d, dict):
            raise ValueError("convolution lab state: expected an object")
        try:
            setup = parse_setup({k: v for k, v in d.items() if k != "k"})
        except FormatError as e:
            raise ValueError(f"convolution lab state: {e}") from None
        k = d.get("k", 0)
        if isinstance(k, bool) or not isinstance(k, int) or k < 0:
            raise ValueError("convolution lab state: k must be a whole number >= 0")
        self.setup = setup
        self.k = k
        self._recompute()
        self.changed.emit()


def _finite(v: Any) -> float:
    v = float(v)
    if not np.isfinite(v) or abs(v) > 1000:
        raise ValueError("enter a number between -1000 and 1000")
    return v
