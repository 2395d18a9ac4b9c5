"""Where a chart's own texts go: its name in the corner of the plot that none of its curves
run through, and a marker's label ("best") at a height along its line where it covers no
curve and no other text (in presentation type "loss" lay over the falling curves)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

#: a name's corners as TextItem anchors, tried in this order after its own
CORNERS = ((0, 1), (1, 1), (1, 0), (0, 0))
#: heights along a marker's line tried for its label, as shares of the view
MARKER_HEIGHTS = (0.9, 0.75, 0.6, 0.45, 0.3, 0.15)
#: pixels between a name and the view's edge
MARGIN = 4.0


def _curve_points(vb: pg.ViewBox) -> tuple[np.ndarray, float]:
    """The points of the view's shown curves in its own (pixel) coordinates, and half
    their widest pen (a text must keep that far off a point as drawn)."""
    t = vb.childGroup.transform()
    pts, half = [np.zeros((0, 2))], 0.0
    for c in vb.addedItems:
        if not isinstance(c, pg.PlotCurveItem) or not c.isVisible() or c.xData is None:
            continue
        x, y = c.xData, c.yData
        pts.append(np.column_stack([t.m11() * x + t.m21() * y + t.m31(),
                                    t.m12() * x + t.m22() * y + t.m32()]))
        half = max(half, c.opts["pen"].widthF() / 2 if c.opts.get("pen") is not None else 1.0)
    return np.vstack(pts), half + 1.0


def _covered(r: QRectF, pts: np.ndarray, pad: float, others: list[QRectF]) -> int:
    """Points within ``pad`` of ``r``, plus a thousand for each other text it touches."""
    x0, y0, x1, y1 = r.left() - pad, r.top() - pad, r.right() + pad, r.bottom() + pad
    inside = (pts[:, 0] >= x0) & (pts[:, 0] <= x1) & (pts[:, 1] >= y0) & (pts[:, 1] <= y1)
    return int(inside.sum()) + 1000 * sum(r.intersects(o) for o in others)


def _labels(vb: pg.ViewBox) -> list[pg.InfLineLabel]:
    return [i.label for i in vb.addedItems if isinstance(i, pg.InfiniteLine)
            and i.isVisible() and getattr(i, "label", None) is not None]


def place_name(name: pg.TextItem, first: int) -> None:
    """``name`` (a child of its plot's view box) in the first corner, from corner
    ``first`` of CORNERS on, that keeps it clear of the curves and the markers' labels;
    where none does, in the corner where it covers least."""
    vb = name.parentItem()
    view = vb.boundingRect()
    pts, pad = _curve_points(vb)
    others = [vb.mapRectFromScene(lab.sceneBoundingRect()) for lab in _labels(vb)]
    size = name.boundingRect().size()
    best = None
    for anchor in CORNERS[first:] + CORNERS[:first]:
        x = view.left() + MARGIN if anchor[0] == 0 else view.right() - MARGIN - size.width()
        y = view.bottom() - size.height() if anchor[1] == 1 else view.top()
        cost = _covered(QRectF(x, y, size.width(), size.height()), pts, pad, others)
        if best is None or cost < best[0]:
            best = (cost, anchor)
        if cost == 0:
            break
    ax, ay = best[1]
    name.setAnchor(best[1])
    name.setPos(view.right() - MARGIN if ax else view.left() + MARGIN,
                view.bottom() if ay else view.top())


def place_marker_labels(vb: pg.ViewBox) -> None:
    """Each shown marker's label at the first of MARKER_HEIGHTS where it covers no curve
    (the least covered one where every height does)."""
    pts, pad = _curve_points(vb)
    for lab in _labels(vb):
        best = None
        for h in MARKER_HEIGHTS:
            lab.setPosition(h)
            cost = _covered(vb.mapRectFromScene(lab.sceneBoundingRect()), pts, pad, [])
            if best is None or cost < best[0]:
                best = (cost, h)
            if cost == 0:
                break
        lab.setPosition(best[1])
