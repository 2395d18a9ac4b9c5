"""Where the convolution page's pictures stand. Normally two rows: image, kernel, feature
map and pooled map above, the arithmetic and the stack of maps below. In presentation
mode (F5) the current computation is the centrepiece: three columns, the image, kernel
and stack (colours) narrow on the left, the arithmetic in the middle, the feature map
and the pooled map on the right, each large enough for its numbers at 14 pt."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QWidget

#: (row, column, rows, columns) of each box, by name
NORMAL = {"image": (0, 0, 1, 1), "kernel": (0, 1, 1, 1), "pooled": (0, 3, 1, 1),
          "arith": (1, 0, 1, 3), "fmap": (0, 2, 1, 1), "stack": (1, 3, 1, 1)}
#: an RGB kernel's backward pass: its ∂C/∂w takes the top row's room, the δ map goes
#: beside the arithmetic (large enough for its numbers), the stack (colours) above
SWAPPED = {**NORMAL, "fmap": (1, 3, 1, 1), "stack": (0, 2, 1, 1)}
PROJECTOR = {"image": (0, 0, 1, 1), "kernel": (1, 0, 2, 1), "arith": (0, 1, 3, 1),
             "fmap": (0, 2, 2, 2), "stack": (2, 2, 1, 1), "pooled": (2, 3, 1, 1)}
#: one map: no stack (it would only repeat the map's colours), the pooled map wider
PROJECTOR_ONE = {**PROJECTOR, "pooled": (2, 2, 1, 2)}
#: pooling (forward or backward) in presentation mode: the window's arithmetic needs
#: less room, the pooled map more (it is computed now), the map the whole right column;
#: the kernel (an RGB kernel's three tables are tall) in the tallest row
PROJECTOR_POOL = {"image": (0, 0, 1, 1), "stack": (1, 0, 1, 1), "kernel": (2, 0, 1, 1),
                  "arith": (0, 1, 2, 1), "pooled": (2, 1, 1, 1), "fmap": (0, 2, 3, 2)}
#: a grey kernel's backward pass in presentation mode: ∂C/∂w in the kernel's place gets
#: the left column's height, δp the pooled map's place under the arithmetic (no stack)
PROJECTOR_BACK = {**PROJECTOR_POOL, "kernel": (1, 0, 2, 1), "stack": None}
#: an RGB kernel's backward pass in presentation mode: ∂C/∂w's three grids side by side
#: under the δ map (in the narrow left column they had 24 px cells at 1024x768: colours
#: only), δp under the image (no stack)
PROJECTOR_RGB_BACK = {"image": (0, 0, 1, 1), "pooled": (1, 0, 2, 1), "arith": (0, 1, 3, 1),
                      "fmap": (0, 2, 2, 2), "kernel": (2, 2, 1, 2), "stack": None}


class PageGrid:
    """The page's grid layout and its boxes, placed for the mode and the step shown."""

    def __init__(self, boxes: dict[str, QWidget]) -> None:
        self.grid = QGridLayout()
        self.grid.setSpacing(6)
        self.boxes = boxes
        self.places: dict | None = None

    def _place(self, places: dict) -> None:
        if places is self.places:
            return
        self.places = places
        for w in self.boxes.values():
            self.grid.removeWidget(w)
        for name, w in self.boxes.items():
            if places[name] is not None:      # None: hidden by the page
                self.grid.addWidget(w, *places[name])

    def _stretch(self, rows: tuple[int, ...], cols: tuple[int, ...]) -> None:
        for r in range(3):
            self.grid.setRowStretch(r, rows[r] if r < len(rows) else 0)
        for c in range(4):
            self.grid.setColumnStretch(c, cols[c] if c < len(cols) else 0)

    @property
    def swapped(self) -> bool:
        return self.places is SWAPPED

    def arrange(self, presentation: bool, three: bool, one_row: bool, wide: bool,
                stage: str = "conv", stack: bool = True) -> None:
        """Room where the numbers are. Normally: ``three`` channel rows of arithmetic
        (stacked, not ``one_row``) get the height; ``wide`` (an RGB kernel's ∂C/∂w,
        three grids) a wider column and the top row only what it asks for. In
        presentation mode the three columns, the arithmetic widest (in ``stage`` pool,
        pool_back or a grey kernel's conv_back, the pooled map under it; an RGB kernel's
        conv_back, ∂C/∂w under the δ map; ``stack``: the stack of maps is shown)."""
        if presentation:
            pooling = stage in ("pool", "pool_back")
            back = stage == "conv_back"
            self._place(PROJECTOR_POOL if pooling else PROJECTOR_RGB_BACK if back and three
                        else PROJECTOR_BACK if back else PROJECTOR if stack else PROJECTOR_ONE)
            # forward the pooled map is still empty: one map gets its room
            # the backward pass: the bottom row (an RGB kernel's ∂C/∂w, a grey one's δp)
            # only what its numbers hold (hold_room), the rest to the rows above (with
            # the guess bar up at 1280x720, an equal third left the δ map's cells 36 px,
            # 40 % left a grey patch's 38 px: colours only)
            self._stretch((1, 1, 0) if back else (3, 3, 4) if pooling else
                          (3, 3, 2) if stage == "conv" and not stack else (1, 1, 1),
                          (2, 8, 3, 3) if three else (4, 10, 3, 3))
            return
        three = three and not one_row   # side by side: one row's height
        self._place(SWAPPED if wide else NORMAL)
        self._stretch((3 if wide else 5, 7 if three else 3 if one_row else 4),
                      (2, 4, 2, 3) if wide else (2, 2, 3, 2))
