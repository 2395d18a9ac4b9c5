"""The network graph's texts and neurons as Qt draws them: rectangles in scene coordinates,
measured from the items themselves (not from the placing code's own arithmetic)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF


def item_scene_rect(item) -> QRectF:
    """Where a graph label is painted, in scene coordinates (the labels ignore the view's
    zoom, so their scene rectangle is their device rectangle mapped back)."""
    view = item.scene().views()[0]
    vt = view.viewportTransform()
    device = item.deviceTransform(vt).mapRect(item.boundingRect())
    return vt.inverted()[0].mapRect(device)


def neuron_scene_rects(graph) -> list[QRectF]:
    """The squares around the neurons and bias nodes as drawn by their scatter items,
    their outlines too (drawn on the edge, half outside: the active neuron's thick ring)."""
    out = []
    for scatter in (graph.nodes.nodes, graph.nodes.bias_nodes):
        for spot in scatter.points():
            c = graph.view.mapViewToScene(QPointF(spot.pos()))
            pen = spot.pen()
            h = spot.size() / 2 + (pen.widthF() / 2 if pen.style() else 0.0)
            out.append(QRectF(c.x() - h, c.y() - h, 2 * h, 2 * h))
    return out


def texts_near_neurons(graph, gap: float) -> list[str]:
    """Every shown text of the graph but the neurons' names that comes closer than
    ``gap`` pixels to a neuron or bias node as drawn (set right against o1's ring,
    "∂ 0.08217" read as touching it)."""
    nodes = neuron_scene_rects(graph)
    names = {id(t) for t in graph.texts.names.values()}
    out = []
    for item in graph.texts.all_items():
        if id(item) in names or not item.isVisible() or not item.toPlainText().strip():
            continue
        r = item_scene_rect(item).adjusted(-gap, -gap, gap, gap)
        if any(r.intersects(n) for n in nodes):
            out.append(f"{item.toPlainText()!r} within {gap} px of a neuron")
    return out


def _lines(graph):
    """The graph's edges and bias links in scene coordinates: (sources, ends, what each
    is: ("w", (l, j, k)) or ("b", (layer, j)) for the bias link into neuron (layer, j))."""
    import numpy as np

    vb, c = graph.view, graph.coords
    o, e = vb.mapViewToScene(QPointF(0, 0)), vb.mapViewToScene(QPointF(1, 1))
    scale, origin = np.array([e.x() - o.x(), e.y() - o.y()]), np.array([o.x(), o.y()])
    src, dst = list(c.src), list(c.dst)
    what = [("w", c.edge_index(i)) for i in range(len(c.src))]
    for l in graph.shared_layers():
        for j, p in enumerate(c.pos[l + 1]):
            src.append(c.bias_pos[l])
            dst.append(p)
            what.append(("b", (l + 1, j)))
    return (np.array(src).reshape(-1, 2) * scale + origin,
            np.array(dst).reshape(-1, 2) * scale + origin, what)


def texts_over_lines(graph, most: float) -> list[str]:
    """Every shown text of the graph but the neurons' names that hides more than ``most``
    pixels of an edge or a dotted bias link, other than a weight label its own edge
    (net/out under h2 lay over both bias links into the hidden layer, and h2's values
    over 53 px of b2's link to o1; a weight's gradient set across another edge read as
    that edge's). A neuron's values count its own bias link too."""
    return [f"{text!r} hides {[f'{w} for {n:.0f} px' for w, n in crossed]}"
            for text, crossed in line_covers(graph) if any(n > most for _, n in crossed)]


def line_covers(graph) -> list[tuple[str, list]]:
    """Per shown text of the graph but the neurons' names: (its text, [(line, pixels of
    it hidden)]) for every line it hides (not a weight label's own edge); lines as
    :func:`_lines` names them."""
    import numpy as np

    from nnviz.views.items.graph_lines import hidden

    src, dst, what = _lines(graph)
    own = {id(item): ("w", e) for item, e in graph.texts.edge_labels}
    names = {id(t) for t in graph.texts.names.values()}
    out = []
    for item in graph.texts.all_items():
        if id(item) in names or not item.isVisible() or not item.toPlainText().strip():
            continue
        px = hidden(np.array([item_scene_rect(item).getCoords()]), src, dst)[0]
        crossed = [(w, float(n)) for w, n in zip(what, px) if n > 0 and w != own.get(id(item))]
        if crossed:
            out.append((item.toPlainText(), crossed))
    return out


def visible_view_rect(graph) -> QRectF:
    """The part of the scene the graph's view box shows on screen (its rectangle, cut by
    the viewport of the graphics view)."""
    vw = graph.view_widget
    seen = vw.mapToScene(vw.viewport().rect()).boundingRect()
    return seen.intersected(graph.view.sceneBoundingRect())


def texts_outside_view(graph) -> list[str]:
    """Every shown text of the graph (names, values, targets and errors, biases, captions,
    weights) whose painted rectangle is not wholly inside the visible view."""
    seen = visible_view_rect(graph)
    out = []
    for item in graph.texts.all_items():
        if item.isVisible() and item.toPlainText().strip():
            r = item_scene_rect(item)
            if not seen.adjusted(-0.5, -0.5, 0.5, 0.5).contains(r):
                out.append(f"{item.toPlainText()!r} outside the view: {r.getRect()} not in "
                           f"{seen.getRect()}")
    return out


def weight_label_problems(graph, floor_pt: float) -> list[str]:
    """Every weight label: shown, inside the graph's view, over no neuron and no other
    text, its type at least ``floor_pt`` points."""
    problems = []
    view_rect = graph.view.sceneBoundingRect()
    weights = [(item, e) for item, e in graph.texts.edge_labels]
    others = [(t.toPlainText(), item_scene_rect(t)) for t in graph.texts.items if t.isVisible()
              and t not in graph.texts.names.values()]
    nodes = neuron_scene_rects(graph)
    for i, (item, edge) in enumerate(weights):
        text = item.toPlainText().replace("\n", " / ")
        if not item.isVisible():
            problems.append(f"weight label {edge} not shown")
            continue
        r = item_scene_rect(item)
        if not view_rect.contains(r):
            problems.append(f"{text!r} outside the view: {r.getRect()} not in "
                            f"{view_rect.getRect()}")
        if any(r.intersects(n) for n in nodes):
            problems.append(f"{text!r} covers a neuron")
        problems += [f"{text!r} overlaps {o!r}" for o, ro in others if r.intersects(ro)]
        problems += [f"{text!r} overlaps {o.toPlainText()!r}" for o, _ in weights[i + 1:]
                     if o.isVisible() and r.intersects(item_scene_rect(o))]
        pt = _point_size(item)
        if pt < floor_pt - 0.01:
            problems.append(f"{text!r} set in {pt:.1f} pt (< {floor_pt:.1f})")
    return problems


def _point_size(item) -> float:
    """The smallest type size in a label's laid-out text."""
    return min(fragment_sizes(item.document()), default=0.0)


def fragment_sizes(doc) -> list[float]:
    """The point size of every fragment of text (not white space) of a document."""
    out = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.text().strip():
                out.append(frag.charFormat().font().pointSizeF())
            it += 1
        block = block.next()
    return out


def _segments_in_rect(p0, p1, r: QRectF):
    """Per segment p0[i]→p1[i] (scene points, arrays n×2): does it cross the rectangle
    (Liang–Barsky clipping)?"""
    import numpy as np

    d = p1 - p0
    t0, t1 = np.zeros(len(p0)), np.ones(len(p0))
    for p, q in ((-d[:, 0], p0[:, 0] - r.left()), (d[:, 0], r.right() - p0[:, 0]),
                 (-d[:, 1], p0[:, 1] - r.top()), (d[:, 1], r.bottom() - p0[:, 1])):
        with np.errstate(divide="ignore", invalid="ignore"):
            t = q / p
        parallel = p == 0
        out = parallel & (q < 0)
        t0 = np.where(~parallel & (p < 0), np.maximum(t0, t), t0)
        t1 = np.where(~parallel & (p > 0), np.minimum(t1, t), t1)
        t0 = np.where(out, 2.0, t0)
    return t0 <= t1


def value_labels_over_edges(graph, share: float) -> list[str]:
    """Every shown value label of a neuron (net, out, δ) that lies over more than
    ``share`` of the edges running into or out of its layer (beside a neuron of a
    crowded column a label hid the edges running in)."""
    import numpy as np

    vb = graph.view
    o, e = vb.mapViewToScene(QPointF(0, 0)), vb.mapViewToScene(QPointF(1, 1))
    scale = np.array([e.x() - o.x(), e.y() - o.y()])
    origin = np.array([o.x(), o.y()])
    src, dst = graph.coords.src * scale + origin, graph.coords.dst * scale + origin
    layer = np.concatenate([np.full(len(s), l) for l, s in enumerate(graph.coords.edge_src)])
    out = []
    for (l, j), item in graph.texts.values.items():
        if l == 0 or not item.isVisible() or not item.toPlainText().strip():
            continue
        near = (layer == l - 1) | (layer == l)
        crossed = _segments_in_rect(src[near], dst[near], item_scene_rect(item)).mean()
        if crossed > share:
            out.append(f"values of neuron {(l, j)} {item.toPlainText()!r} lie over "
                       f"{crossed:.1%} of the edges of their layer")
    return out


def astray_weight_labels(graph, slack: float = 2.0) -> list[str]:
    """Every shown weight label whose centre lies more than ``slack`` px nearer another
    edge than its own (it reads as that edge's: w6's "0.45 / ∂ 0.0827" sat just above
    w8's edge at 1280x720 in F5)."""
    import numpy as np

    from nnviz.views.items.graph_lines import distances

    src, dst, what = _lines(graph)
    edges = np.array([w[0] == "w" for w in what])
    out = []
    for item, e in graph.texts.edge_labels:
        if not item.isVisible():
            continue
        c = item_scene_rect(item).center()
        d = distances(np.array([[c.x(), c.y()]]), src, dst)[0]
        own = np.array([w == ("w", e) for w in what])
        nearest = d[edges & ~own].min(initial=np.inf)
        if nearest + slack < d[own].min():
            out.append(f"{item.toPlainText()!r} of w{e} is {nearest:.0f} px from another "
                       f"edge, {d[own].min():.0f} px from its own")
    return out


def leader_problems(graph, touch: float = 1.0) -> list[str]:
    """Every shown weight label that lies more than ``touch`` px off its own edge without
    a leader running from its rectangle to that edge (as drawn: the leader's ends mapped
    from the label to the scene), or whose leader ends elsewhere."""
    import numpy as np

    from nnviz.views.items.graph_lines import crosses, distances

    src, dst, what = _lines(graph)
    out = []
    for item, e in graph.texts.edge_labels:
        if not item.isVisible():
            continue
        i = what.index(("w", e))
        seg = src[i:i + 1], dst[i:i + 1]
        r = item_scene_rect(item)
        x0, y0, x1, y1 = r.getCoords()
        corners = np.array([[x0, y0], [x1, y0], [x0, y1], [x1, y1]])
        off = 0.0 if crosses(np.array([[x0, y0, x1, y1]]), *seg)[0] else \
            float(distances(corners, *seg).min())
        line, text = item.leader(), item.toPlainText().replace("\n", " / ")
        if line is None:
            if off > touch:
                out.append(f"{text!r} {off:.0f} px off its edge, no leader")
            continue
        vt = item.scene().views()[0].viewportTransform()
        back = vt.inverted()[0]
        ends = [back.map(item.deviceTransform(vt).map(p)) for p in (line.p1(), line.p2())]
        near = r.adjusted(-touch, -touch, touch, touch).contains(ends[0])
        on = distances(np.array([[ends[1].x(), ends[1].y()]]), *seg)[0, 0] <= touch
        if not (near and on):
            out.append(f"the leader of {text!r} runs from {ends[0]} to {ends[1]}, not from "
                       f"the label to its edge")
    return out
