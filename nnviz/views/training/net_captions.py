"""The column captions of the Training lab's network ("inputs", each hidden layer's size,
"output"): under the layer buttons, or between each hidden layer's − and + where every one
fits there (the network then gets a row more to draw in)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter


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


def node_tip(view, layer: int, j: int) -> str:
    """The tooltip of neuron j of column ``layer`` of ``view`` (a NetView)."""
    if layer == 0:
        if view.names:
            on = "on" if view.active[j] else "off"
            return f"input feature {view.names[j]} ({on}): click to switch it"
        return f"input {j + 1}"
    drawn = (f" (one of the {len(view.shown[layer])} of {view.sizes[layer]:,} drawn)"
             if len(view.shown[layer]) < view.sizes[layer] else "")
    if layer == len(view.sizes) - 1:
        return f"output {j + 1}{drawn}: click to show it in the map"
    return f"hidden layer {layer}, neuron {j + 1}{drawn}: click to show it large in the map"


def paint_labels(view, p: QPainter, fg: QColor, muted: QColor) -> None:
    """The texts of ``view`` (a NetView): the hidden-layer count, the column captions, the
    features' names and the line under the network."""
    fm = view.fontMetrics()
    if not view._nodes:
        return
    p.setPen(fg)
    lw = view.add_layer.geometry().right() + 8
    hidden = len(view.sizes) - 2
    p.drawText(QRectF(lw, 2, view.width() - lw, fm.height() + 4),
               Qt.AlignmentFlag.AlignVCenter,
               f"{hidden} hidden layer{'s' if hidden != 1 else ''}")
    for text, r in view.captions():
        p.drawText(QPointF(r.left(), r.top() + fm.ascent()), text)
    if view.names and len(view._nodes[0]) and view._nodes[0][0].height() + 4 >= fm.height() * 0.8:
        for j, (name, r) in enumerate(zip(view.names, view._nodes[0])):
            p.setPen(fg if view.active[j] else muted)
            w = fm.horizontalAdvance(name)
            p.drawText(QPointF(r.left() - w - 4, r.center().y() + fm.ascent() / 2 - 1), name)
    footer = view.summary()
    if footer:
        h = view._footer_height()
        p.setPen(fg)
        p.drawText(QRectF(4, view.height() - h, view.width() - 8, h),
                   int(Qt.TextFlag.TextWordWrap.value) | int(Qt.AlignmentFlag.AlignBottom.value),
                   footer)
