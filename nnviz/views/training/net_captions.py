"""The column captions of the Training lab's network ("inputs", each hidden layer's size,
"output"): under the layer buttons, or between each hidden layer's − and + where every one
fits there (the network then gets a row more to draw in)."""

from __future__ import annotations

from PySide6.QtCore import QRectF


def column_captions(view) -> list[tuple[str, QRectF]]:
    """(text, rectangle) of each column's caption of ``view`` (a NetView), as drawn."""
    fm, y = view.fontMetrics(), view._caption_y()
    if not view._nodes:
        return []
    xs = [col[0].center().x() for col in view._nodes if col]
    gap = xs[1] - xs[0] if len(xs) > 1 else view.width()
    room = 0.95 * gap - (2 * view._button_w + 8 if view._compact else 0)
    out = []
    for l, col in enumerate(view._nodes):
        if not col:
            continue
        n = view.sizes[l] if l < len(view.sizes) else len(col)
        text = ("features" if view.names else "inputs") if l == 0 else (
            "output" if l == len(view._nodes) - 1 else f"{n:,}")
        if len(col) < n and fm.horizontalAdvance(f"{text} ({len(col)} drawn)") < room:
            text += f" ({len(col)} drawn)"
        w = fm.horizontalAdvance(text)
        out.append((text, QRectF(col[0].center().x() - w / 2, y, w, fm.height())))
    return out
