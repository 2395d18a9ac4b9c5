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
    for l, (text, r) in enumerate(g.captions() if captions else ()):   # as drawn
        out.append((f"caption {l} {text!r}", r.toAlignedRect()))
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
    problems = overlaps(graph_texts(g, captions)) + chart_problems(lab)
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


def _left_labels(plot) -> list[float]:
    """The values the plot's left axis labels (its first level of ticks in view)."""
    ax, vb = plot.getAxis("left"), plot.getViewBox()
    lo, hi = vb.viewRange()[1]
    if ax._tickLevels is not None:   # placed by hand
        return [v for v, _t in (ax._tickLevels or [[]])[0] if lo <= v <= hi]
    levels = [vals for _sp, vals in ax.tickValues(lo, hi, vb.height()) if len(vals)]
    return list(levels[0]) if levels else []


def chart_problems(lab) -> list[str]:
    """The charts shown below the network: each value axis labels at least two values
    (a scale to read), and each chart's name inside it lies clear of its curves."""
    from PySide6.QtCore import QPointF

    c = lab.curves
    plots = [p for p in (c.loss_plot, c.acc_plot, lab.bars.plot) if p.isVisible()]
    problems = [f"{getattr(p, 'name_item', lab.bars.name_item).toPlainText()!r}: "
                f"left axis labels {_left_labels(p)}" for p in plots
                if len(_left_labels(p)) < 2]
    lines = {id(c.loss_plot): ("train_loss", "test_loss"),
             id(c.acc_plot): ("train_acc", "test_acc")}
    for p in plots:
        if id(p) not in lines:
            continue
        name = p.name_item.sceneBoundingRect()
        vb = p.getViewBox()
        for key in lines[id(p)]:
            xs, ys = c.lines[key].getData()
            if xs is None:
                continue
            hit = [x for x, y in zip(xs, ys) if name.contains(vb.mapViewToScene(QPointF(x, y)))]
            if hit:
                problems.append(f"{p.name_item.toPlainText()!r} covers the {key} curve at "
                                f"epochs {hit[:3]}")
    return problems
