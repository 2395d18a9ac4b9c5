"""Checks of the Training lab's own drawing: the network graph's buttons, column captions
and feature names as rectangles (they must not overlap), and the share of the window its
decision map and network get."""

from __future__ import annotations

from PySide6.QtCore import QRect


def overlaps(rects: list[tuple[str, QRect]]) -> list[str]:
    return [f"{a} overlaps {b}" for i, (a, ra) in enumerate(rects)
            for b, rb in rects[i + 1:] if ra.intersects(rb)]


def graph_texts(g, captions: bool = True) -> list[tuple[str, QRect]]:
    """The graph's buttons, column captions and feature labels as rectangles."""
    fm = g.fontMetrics()
    out = [(f"button {b.toolTip()}", b.geometry()) for b in
           [g.add_layer, g.remove_layer, *g.plus, *g.minus] if b.isVisible()]
    y = g._caption_y()
    for l in range(len(g.sizes)) if captions else ():
        cx = g.node_rect(l, 0).center().x()
        w = fm.horizontalAdvance("features" if l == 0 else "output")
        out.append((f"caption {l}", QRect(int(cx - w / 2), y, w, fm.height())))
    for j, name in enumerate(g.names):
        r = g.node_rect(0, j)
        w = fm.horizontalAdvance(name)
        out.append((f"feature {name}", QRect(int(r.left() - w - 4),
                                             int(r.center().y() - fm.height() / 2),
                                             w, fm.height() - 2)))
    return out


def training_lab_problems(lab, size: tuple[int, int], captions: bool = True,
                          shares: bool = True) -> list[str]:
    """The graph's texts apart and its +/- buttons inside it; with ``shares``: the (square)
    decision map a large share of the window and the network about as much."""
    g = lab.graph
    problems = overlaps(graph_texts(g, captions))
    problems += [f"button {b.toolTip()!r} outside the graph" for b in g.plus + g.minus
                 if b.isVisible() and not g.rect().contains(b.geometry())]
    if not shares:
        return problems
    side = min(lab.map.plot.width(), lab.map.plot.height())
    if side * side / (size[0] * size[1]) <= 0.12:
        problems.append(f"decision map only {side}x{side}")
    if g.width() * g.height() <= 0.6 * side * side:
        problems.append(f"network graph only {g.width()}x{g.height()}")
    return problems
