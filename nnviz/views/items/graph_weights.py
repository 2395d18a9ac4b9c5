"""Where the network graph's weight labels go: every label shown, none covering a neuron
or another text. Each label may sit at many places along its edge (on the line, or just
above or below it); all labels of the graph are placed together by a small search, in
the largest form that lets every one of them fit: the whole text, then the numbers alone,
then in smaller type down to a floor (the Equation panel prints every digit and name);
where no choice of spots on the edges keeps them clear of the other lines, beside their
edges, joined to them by a leader."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

import numpy as np

from nnviz.views.items.graph_lines import Lines, leader
from nnviz.views.items.graph_search import conflicts, greedy, search
from nnviz.views.items.graph_support import lines_html

if TYPE_CHECKING:
    from nnviz.views.items.graph_texts import TextLayer
    from nnviz.views.items.network_graph import NetworkGraphWidget

Rect = tuple[float, float, float, float]   # x0, y0, x1, y1 in the view's pixels

#: where along its edge (from the source neuron) a weight label may sit, best first
EDGE_SPOTS = (0.3, 0.42, 0.2, 0.5, 0.55, 0.36, 0.46, 0.25, 0.66, 0.6, 0.15, 0.72, 0.78, 0.85)
#: the label's point put on the edge: its centre, its bottom (above the line), its top
#: (below it), a corner (beside it: where the crossing edges left no room on the line),
#: and a point between centre and corner (beside it but nearer: at a corner, a label
#: may lie nearer another edge than its own)
ANCHORS = ((0.5, 0.5), (0.5, 1.0), (0.5, 0.0), (0.0, 1.0), (1.0, 1.0), (0.0, 0.0), (1.0, 0.0),
           (0.25, 0.75), (0.75, 0.75), (0.25, 0.25), (0.75, 0.25))
#: the forms tried, largest first: (numbers alone?, font size in points before scaling)
FORMS = ((False, 9.0), (True, 9.0), (False, 8.0), (True, 8.0), (True, 7.5), (True, 7.0))
#: networks with at most this many weight labels get the search; larger ones a greedy pass
SEARCH_LABELS = 16
#: what a label may hide of lines other than its edge and still count as clear of them
#: (graph_lines.Lines.costs: pixels of an edge, or twice as many of a bias link)
CLEAN = 8.0
#: what the labels may hide of other lines, tried in turn (each in every form, largest
#: first: a smaller type before a label over another edge)
TIERS = (CLEAN / 2, CLEAN, 1.5 * CLEAN, 2 * CLEAN, 3 * CLEAN, 4 * CLEAN, 6 * CLEAN, np.inf)
#: pixels of hidden line a spot earlier in a label's list may cost more than the best
#: and still be taken (nearer its neuron, in the order preferred)
SLACK = 2.0
#: where the spots on the edge leave no room: the same spots moved off it by these
#: pixels (before scaling), up or down; tried after every form failed on the edge, in a
#: network of at most SEARCH_LABELS labels (also 6 px steps, and 12 and 24 px sideways:
#: more labels off their edges, by up to 35 px, at 1024x768 in F5, and 50 % more time)
SHIFTS = ((0, 10), (0, -10), (0, 20), (0, -20))
#: the anchors (indices into ANCHORS) of the spots moved off the edges: a side's middle
#: or a corner on the point (the centre's and the others' moved spots are the same
#: places, a few pixels apart)
FAR_ANCHORS = (1, 2, 3, 4, 5, 6)
#: the most spots off its edge a label's search weighs (its best: hiding least, nearest)
FAR_SPOTS = 48
#: pixels (before scaling) between a label and its edge from which a leader joins them
LEADER = 4.0
#: what a pixel between a label and its own edge costs in the order the spots are tried
#: (as pixels of hidden line; not in what a spot hides, the tiers): nearer the edge first
OFF_EDGE = 0.25


def value_part(text: str) -> str:
    """'w5 = 0.4' -> '0.4', 'w5: 0.4 → 0.359' -> '→ 0.359' (the new value; the Equation
    panel shows the old), other texts unchanged."""
    if " → " in text:
        return "→ " + text.rsplit(" → ", 1)[1]
    for sep in (" = ", ": "):
        if sep in text:
            return text.split(sep, 1)[1]
    return text


def label_rect(item, dev, x: float, y: float, anchor) -> Rect:
    """The label's rectangle on screen (pixels) with ``anchor`` at view point (x, y);
    ``dev`` maps view points to pixels."""
    r = item.textItem.boundingRect()   # pixels: the label ignores the zoom
    px, py = dev(x, y)
    x0, y0 = px - anchor[0] * r.width(), py - anchor[1] * r.height()
    return x0, y0, x0 + r.width(), y0 + r.height()


def free_rects(pts: np.ndarray, anchors: np.ndarray, w: float, h: float, bounds: Rect,
               taken: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A w x h label's rectangles with ``anchors`` ((n, 2) fractions of it) at ``pts``
    ((n, 2) pixels), as :func:`label_rect` gives them, and which of them lie inside
    ``bounds`` clear (by GAP) of every rectangle ``taken`` ((m, 4))."""
    x0 = pts[:, 0] - anchors[:, 0] * w
    y0 = pts[:, 1] - anchors[:, 1] * h
    rects = np.column_stack([x0, y0, x0 + w, y0 + h])
    ok = (rects[:, 0] >= bounds[0]) & (rects[:, 2] <= bounds[2]) \
        & (rects[:, 1] >= bounds[1]) & (rects[:, 3] <= bounds[3])
    if len(taken):
        ok &= ~conflicts(rects, taken).any(axis=1)
    return rects, ok


def try_spots(item, spots, taken: list[Rect], dev, bounds: Rect, cost=None,
              most: float = np.inf) -> bool:
    """Put ``item`` at the first free spot ((x, y, anchor) in view units) inside
    ``bounds``, covering nothing ``taken`` (which it joins); with ``cost`` ((n, 4)
    rectangles -> what lies under each), at the first free spot within SLACK of the least
    cost, if that cost is at most ``most``. Hide it if none is free. (Every spot is
    measured at once: :func:`free_rects`.)"""
    if not spots:
        item.setVisible(False)
        return False
    br = item.textItem.boundingRect()   # pixels: the label ignores the zoom
    pts = np.array([dev(x, y) for x, y, _ in spots], float)
    anchors = np.array([a for *_, a in spots], float)
    rects, ok = free_rects(pts, anchors, br.width(), br.height(), bounds,
                           np.array(taken, float).reshape(-1, 4))
    free = np.flatnonzero(ok)
    if len(free) and cost is not None:   # the first spot within SLACK of the least cost
        costs = cost(rects[free])
        best = int(np.flatnonzero(costs <= costs.min() + SLACK)[0])
        free = free[best:best + 1] if costs[best] <= most else free[:0]
    if not len(free):
        item.setVisible(False)
        return False
    i = int(free[0])
    x, y, anchor = spots[i]
    item.set_anchor(anchor)
    item.setPos(x, y)
    taken.append(tuple(float(v) for v in rects[i]))
    item.setVisible(True)
    return True


class WeightLabels:
    """Where the weight labels (``texts.edge_labels``) go, and in which form; owned by
    the graph's :class:`~nnviz.views.items.graph_place.Placement`."""

    def __init__(self, graph: NetworkGraphWidget, texts: TextLayer) -> None:
        self._g = weakref.proxy(graph)   # its coordinates and style (no cycle through it)
        self.texts = texts
        self.form = FORMS[0]   # the (numbers alone?, size) the labels were last placed in
        self._sizes: dict[str, tuple[float, float]] = {}   # a label's size per text
        self._spot_px: list = []   # per label, its spots as pixel points and anchors
        self._scale = (np.zeros(2), np.ones(2))   # view -> pixels: origin and scale
        self._bounds: Rect = (0.0, 0.0, 0.0, 0.0)   # where labels may go, in pixels
        # what a label's spots hide of the lines and what orders them, per (spots off
        # the edge?, edge, label size): the same until the graph's geometry changes (a
        # step changes the texts, seldom their sizes), kept for the geometry of _costs_for
        self._costs: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self._costs_for: tuple = ()

    def _weight_spots(self, l: int, j: int, k: int) -> list:
        return [self._weight_spot(l, j, k, i) for i in range(len(EDGE_SPOTS) * len(ANCHORS))]

    def _weight_spot(self, l: int, j: int, k: int, i: int) -> tuple:
        """Spot ``i`` of weight (l, j, k)'s label: (x, y, anchor) in view units."""
        pos = self._g.coords.pos
        a, b = pos[l][k], pos[l + 1][j]
        t = EDGE_SPOTS[i // len(ANCHORS)]
        return (*(a + t * (b - a)), ANCHORS[i % len(ANCHORS)])

    def _spots_in_pixels(self, dev) -> None:
        """Every label's spots as pixel points and anchors (the order of _weight_spots)."""
        o, e = np.array(dev(0.0, 0.0)), np.array(dev(1.0, 1.0))
        self._scale = (o, e - o)   # pixel = o + view * (e - o)
        t = np.repeat(np.array(EDGE_SPOTS), len(ANCHORS))[:, None]
        anchors = np.tile(np.array(ANCHORS, float), (len(EDGE_SPOTS), 1))
        self._spot_px = []
        pos = self._g.coords.pos
        for _, (l, j, k) in self.texts.edge_labels:
            a, b = pos[l][k], pos[l + 1][j]
            self._spot_px.append((o + (a + t * (b - a)) * (e - o), anchors))

    def _shifted_spots(self) -> list:
        """Every label's spots with a side or corner on the edge (FAR_ANCHORS) moved off
        it by each of SHIFTS (scaled)."""
        shifts = np.array(SHIFTS, float) * self._g.style_.scale
        keep = np.array([i % len(ANCHORS) in FAR_ANCHORS
                         for i in range(len(EDGE_SPOTS) * len(ANCHORS))])
        out = []
        for pts, anchors in self._spot_px:
            moved = (pts[None, keep, :] + shifts[:, None, :]).reshape(-1, 2)
            out.append((moved, np.tile(anchors[keep], (len(shifts), 1))))
        return out

    def _label_size(self, item, html: str) -> tuple[float, float]:
        """The label's size in pixels with this text (remembered per text)."""
        sizes = self._sizes
        if html not in sizes:
            if len(sizes) > 4096:
                sizes.clear()
            item.set_html_once(html)
            r = item.boundingRect()
            sizes[html] = (r.width(), r.height())
        return sizes[html]

    def _form_html(self, item, short: bool, size: float) -> str:
        lines = item.lines
        if short:
            lines = [(value_part(t), r) for t, r in lines]
        style = self._g.style_
        return lines_html(lines, style, style.pt(size))

    def _candidates(self, htmls: list[str], taken: np.ndarray, bounds: Rect,
                    lines: Lines | None, spots: list, far: bool = False) -> list:
        """Per label, its free spots among ``spots`` ((points, anchors) in pixels; ``far``:
        the spots moved off the edges): (points, anchors, (n, 4) rectangles, what each
        hides of the other lines), best first (with ``lines``: hiding least, nearest its
        edge, OFF_EDGE weighing the two)."""
        labels = self.texts.edge_labels
        sizes = [self._label_size(item, html) for (item, _), html in zip(labels, htmls)]
        # every label's spots measured in one go (one comparison with what is taken, not
        # one per label), then cut back into each label's
        counts = [len(p) for p, _ in spots]
        ends = np.cumsum(counts)[:-1]
        w_all = np.repeat([w for w, _ in sizes], counts)
        h_all = np.repeat([h for _, h in sizes], counts)
        r_all, ok_all = free_rects(np.concatenate([p for p, _ in spots]).reshape(-1, 2),
                                   np.concatenate([a for _, a in spots]).reshape(-1, 2),
                                   w_all, h_all, bounds, taken)
        rects, free = np.split(r_all, ends), np.split(ok_all, ends)
        keys = [(far, edge, w, h) for (_, edge), (w, h) in zip(labels, sizes)]
        if lines is not None:
            self._weigh_spots(lines, keys, rects, free)
        out = []
        for key, (pts, anchors), r, ok in zip(keys, spots, rects, free):
            idx = np.flatnonzero(ok)
            if lines is None:
                out.append((pts[idx], anchors[idx], r[idx], np.zeros(len(idx))))
                continue
            cost, weigh = self._costs[key]
            # the free ones in the order of their weighing (stable: nearer its neuron
            # first among equals)
            idx = idx[np.argsort(weigh[idx], kind="stable")]
            out.append((pts[idx], anchors[idx], r[idx], cost[idx]))
        return out

    def _weigh_spots(self, lines: Lines, keys: list[tuple], rects: list[np.ndarray],
                     free: list[np.ndarray]) -> None:
        """What each free spot of a label (``rects[i]`` where ``free[i]``; the label's key
        ``keys[i]``: far, edge, w, h) hides of the other lines, and that plus OFF_EDGE
        times its distance from the edge, by which the spots are tried; remembered per
        spot while the geometry holds (NaN: not weighed yet). A spot is weighed when it
        is first free (more than half of them lie on a neuron or another label), and
        every label's together (each row on its own, so the numbers are the same as one
        label at a time: the first paint weighed 64 labels' spots, every one, one label a
        call, 35-50 ms of the start)."""
        todo = []
        for i, key in enumerate(keys):
            got = self._costs.get(key)
            if got is None:
                got = self._costs[key] = (np.full(len(rects[i]), np.nan),
                                          np.full(len(rects[i]), np.nan))
            need = np.flatnonzero(free[i] & np.isnan(got[0]))
            if len(need):
                todo.append((i, need))
        if not todo:
            return
        counts = [len(need) for _, need in todo]
        owner = np.repeat(np.arange(len(todo)), counts)
        edges = [keys[i][1] for i, _ in todo]
        every = np.concatenate([rects[i][need] for i, need in todo]).reshape(-1, 4)
        cost = lines.label_costs(every, owner, edges)
        weigh = cost + OFF_EDGE * lines.own_gaps(every, owner, edges)
        cut = np.cumsum(counts)[:-1]
        for (i, need), c, wgh in zip(todo, np.split(cost, cut), np.split(weigh, cut)):
            known_cost, known_weigh = self._costs[keys[i]]
            known_cost[need], known_weigh[need] = c, wgh

    def _geometry(self, lines: Lines | None) -> None:
        """Forget the spots' costs where the graph's geometry (its lines and where the
        spots lie on screen) changed since they were weighed."""
        if lines is None:
            return
        now = (lines.key(), tuple(p.tobytes() for p, _ in self._spot_px),
               float(self._g.style_.scale))
        if now != self._costs_for:
            self._costs_for = now
            self._costs.clear()

    def place(self, taken: list[Rect], dev, bounds: Rect, lines: Lines | None = None) -> None:
        """Every weight label in the largest form in which all of them fit hiding no
        other line (``lines``: at most CLEAN / 2 of it), else hiding at most the next of
        TIERS (a smaller type before a label over another edge: "w6 = 0.45 / ∂ 0.0827"
        lay over 86 px of w7's edge at 1280x720 in F5), else in the largest in which all
        of them fit; if none does, the smallest form, with those that fit nowhere
        hidden. At each tier the spots on the edges are tried in every form before the
        spots moved off them (SHIFTS: at 1024x768 in F5 the 2-2-2 network's crossing
        edges and bias links left no room on the edges for the backward pass's labels)."""
        labels = self.texts.edge_labels
        if not labels:
            return
        self._spots_in_pixels(dev)
        self._bounds = bounds
        self._geometry(lines)
        fixed = np.array(taken, float).reshape(-1, 4)
        forms: dict = {}   # per (form, shifted): its texts and each label's free spots
        tried = set()
        shifted = (False, True) if lines is not None and len(labels) <= SEARCH_LABELS \
            else (False,)
        for most in TIERS if lines is not None else (np.inf,):
            for far in shifted:
                for form in FORMS:
                    if (form, far) not in forms:   # (measured at first use)
                        htmls = [self._form_html(item, *form) for item, _ in labels]
                        spots = self._shifted_spots() if far else self._spot_px
                        forms[form, far] = htmls, self._candidates(htmls, fixed, bounds,
                                                                   lines, spots, far)
                    htmls, cands = forms[form, far]
                    # (a label's best FAR_SPOTS off its edge: the search weighs every
                    # pair of candidates)
                    cut = [np.flatnonzero(c <= most)[:FAR_SPOTS if far else None]
                           for *_, c in cands]
                    key = (form, far, tuple(len(m) for m in cut))
                    if key in tried:   # the same spots as at a lower tier: no fit
                        continue
                    tried.add(key)
                    base = len(taken)
                    if self._put(labels, htmls, [(p[m], a[m], r[m]) for (p, a, r, _), m in
                                                 zip(cands, cut)], taken, lines):
                        self.form = form
                        self._upgrade(labels, forms, form, most, base, taken, lines)
                        return
        self.form = FORMS[-1]
        for item, (l, j, k) in labels:   # greedy: as many as fit
            item.set_leader(None)
            item.set_html_once(self._form_html(item, *FORMS[-1]))
            try_spots(item, self._weight_spots(l, j, k), taken, dev, bounds)

    def _put(self, labels, htmls: list[str], cands: list, taken: list[Rect],
             lines: Lines | None = None) -> bool:
        """Each label at one of its candidates ((points, anchors, rectangles) in
        pixels), none overlapping another, if there is such a choice (a full search where
        the labels are few: a 2-2-2 network's 8); one set off its edge joined to it by a
        leader."""
        if not all(len(r) for *_, r in cands):
            return False
        rects = [r for *_, r in cands]
        pick = greedy(rects) or (search(rects) if len(rects) <= SEARCH_LABELS else None)
        if pick is None:
            return False
        for (item, e), html, (pts, anchors, rects), i in zip(labels, htmls, cands, pick):
            self._set(item, e, html, pts[i], anchors[i], rects[i], lines)
            taken.append(tuple(rects[i]))
        return True

    def _set(self, item, edge, html: str, pt, anchor, rect, lines: Lines | None) -> None:
        """One label with ``html`` at ``pt`` (pixels) by ``anchor``, covering ``rect``."""
        o, scale = self._scale
        x, y = (pt - o) / scale   # back to view units
        item.set_html_once(html)
        item.set_anchor(tuple(float(v) for v in anchor))
        item.setPos(float(x), float(y))
        item.setVisible(True)
        self._set_leader(item, edge, rect, lines)

    def _upgrade(self, labels, forms: dict, form, most: float, base: int,
                 taken: list[Rect], lines: Lines | None) -> None:
        """After all labels fit in ``form``: each label, in turn, in the largest larger
        type in which it fits on its edge where it is clear of every other label and text and hides
        no more of the other lines than the tier ``most`` allows (one crowded label no
        longer sets all of them small: at 1024x768 in F5 the 2-2-2 network's update
        phase put all eight in the smallest type for the two between the crossing
        edges)."""
        # the same form of text, on the edge only (a label is not moved off its edge, or
        # the step's own label away from its neuron, for a larger type)
        bigger = [f for f in FORMS if f[1] > form[1] and f[0] == form[0]]
        if not bigger or lines is None:
            return
        for n, (item, e) in enumerate(labels):
            others = np.array(taken[:base + n] + taken[base + n + 1:], float).reshape(-1, 4)
            for g in bigger:
                if (g, False) not in forms:   # (the search measured the larger forms first)
                    htmls = [self._form_html(it, *g) for it, _ in labels]
                    fixed = np.array(taken[:base], float).reshape(-1, 4)
                    forms[g, False] = htmls, self._candidates(htmls, fixed, self._bounds,
                                                              lines, self._spot_px)
                htmls, cands = forms[g, False]
                pts, anchors, rects, cost = cands[n]
                ok = cost <= most
                if len(others) and len(rects):
                    ok &= ~conflicts(rects, others).any(axis=1)
                idx = np.flatnonzero(ok)
                if len(idx):
                    i = int(idx[0])
                    self._set(item, e, htmls[n], pts[i], anchors[i], rects[i], lines)
                    taken[base + n] = tuple(rects[i])
                    break

    def _set_leader(self, item, edge, rect, lines: Lines | None) -> None:
        """A leader from the label at ``rect`` (pixels) to its edge where the two are
        LEADER or more apart (none otherwise)."""
        style = self._g.style_
        if lines is None:
            item.set_leader(None)
            return
        a, b, d = leader(rect, *lines.segment(edge))
        if d < LEADER * style.scale:
            item.set_leader(None)
            return
        item.set_leader((*(a - rect[:2]), *(b - rect[:2])), style.muted, style.scale)
