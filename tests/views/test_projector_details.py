"""Details of the projector layouts of issue 15, on the real main window at 1024x768 and
1280x720, in presentation mode (F5) and not: the caption bar in predict mode, the
Workbench graph's layer captions, bias values and value labels in a crowded layer, its
legend's line breaks, and the Training lab's network beside its Keras code. One window per
size is shared by the tests of that size."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from nnviz.views.style import current_style
from tests.views.fit_checks import text_problems
from tests.views.graph_geometry import texts_outside_view, value_labels_over_edges
from tests.views.projector_window import projector_window, set_presentation, settle
from tests.views.workbench_keys import press

SIZES = [(1024, 768), (1280, 720)]


@pytest.fixture(scope="module", params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def window(request, qapp, tmp_path_factory):
    """One real main window per size, shared by the tests of that size."""
    yield from projector_window(request.param, tmp_path_factory, "details")


def _workbench(win, lesson: str):
    assert win.open_lesson(lesson)
    win.show_lab("workbench")
    lab = win.current_lab
    win.activateWindow()
    lab.graph.setFocus()
    settle()
    return lab


def _in_both_modes(win, qtbot, lesson: str, lab: str):
    """For presentation mode on, then off: ``lesson`` opened in ``lab``; yields (on, the
    lab page)."""
    for presentation in (True, False):
        set_presentation(win, qtbot, presentation)
        assert win.open_lesson(lesson)
        win.show_lab(lab)
        yield presentation, win.current_lab


def test_predict_mode_says_what_to_predict(window, qtbot):
    """Q, then →: the caption bar says what to predict and how to reveal it (it was an
    empty strip); the guess field shows its whole example; the bias values stay shown
    (they went missing where the guess bar narrowed the graph). R: the bar goes on
    saying something."""
    win = window
    problems = []
    for presentation in (True, False):
        set_presentation(win, qtbot, presentation)
        lab = _workbench(win, "mazur-2-2-2")
        lab.stepper.set_position(0)
        settle()
        dock_width = _dock_of(lab.reveal.bar).width()
        press(qtbot, win, Qt.Key.Key_Q)
        press(qtbot, win, Qt.Key.Key_Right, 3)
        settle()
        where = f"F5={presentation}"
        if _dock_of(lab.reveal.bar).width() != dock_width:   # the bar fits the panel
            problems.append(f"{where}: the guess bar widened the Equation panel from "
                            f"{dock_width} to {_dock_of(lab.reveal.bar).width()} px")
        assert lab.stepper.k == 3 and lab.result_hidden()
        bar, text = win.caption_bar, win.caption_bar.text_label.text()
        if not (bar.isVisible() and "net_h2" in text and "press R" in text):
            problems.append(f"{where}: the caption bar says {text!r}")
        if "0.3925" in text:   # net_h2 itself
            problems.append(f"{where}: the caption gives the result away: {text!r}")
        problems += [f"{where}: {p}" for p in text_problems(bar) + text_problems(lab.reveal.bar)]
        edit = lab.reveal.bar.edit
        need = edit.fontMetrics().horizontalAdvance(edit.placeholderText())
        if edit.width() < need + 8:
            problems.append(f"{where}: guess field {edit.width()} px for {need} px of text")
        shown = lab.graph.label_texts()
        if not all(any(t.startswith(f"{b} =") for t in shown) for b in ("b1", "b2")):
            problems.append(f"{where}: bias values not shown: {shown}")
        press(qtbot, win, Qt.Key.Key_R)
        settle()
        if lab.result_hidden() or not win.caption_bar.text_label.text().strip():
            problems.append(f"{where}: after R the caption bar says nothing")
        press(qtbot, win, Qt.Key.Key_Q)
        assert not win.reveal_actions.act_mode.isChecked()
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)


def test_a_wide_network_keeps_its_captions_and_edges_in_view(window, qtbot):
    """The 784-100-10 network at its first and last steps and at steps on its outputs
    (forward, backward, update), in presentation mode and not: every layer's caption
    shown (at 1024x768 in F5 all three were hidden: too wide for the layers' spacing)
    and inside the view, no two texts overlapping, and the values of a crowded layer's
    neurons not laid over the edges running in (they were put beside the outputs, over
    half of the edges)."""
    from nnviz.views.items.graph_place import overlapping

    win = window
    problems = []
    for presentation in (True, False):
        set_presentation(win, qtbot, presentation)
        lab = _workbench(win, "wide-784-100-10")
        n = len(lab.stepper)
        for k in (0, 222, 259, n - 1, n):
            lab.stepper.set_position(k)
            settle(2)
            g, where = lab.graph, f"F5={presentation} step {k}"
            hidden = [c.toPlainText() for c in g.texts.captions.values() if not c.isVisible()]
            found = [f"caption {t!r} hidden" for t in hidden]
            found += texts_outside_view(g) + value_labels_over_edges(g, 0.05)
            found += [f"{a!r} overlaps {b!r}" for a, b in overlapping(g.text_rects())]
            problems += [f"{where}: {p}" for p in found]
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)


def _legend_breaks(label, width: float | None = None) -> list[str]:
    """Where the legend's lines break inside an item (items are set apart by two
    non-breaking spaces and a space; inside an item nothing may break), laid out as the
    label lays them out: its font, no margin, its width (or ``width``)."""
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    doc.setHtml(label.text())
    doc.setTextWidth(label.contentsRect().width() if width is None else width)
    doc.size()   # lays the text out (before that every block has no lines)
    bad = []
    block = doc.begin()
    while block.isValid():
        layout, text = block.layout(), block.text()
        assert layout.lineCount() >= 1, "the legend was not laid out"
        for i in range(layout.lineCount() - 1):
            line = layout.lineAt(i)
            end = line.textStart() + line.textLength()
            if not text[:end].endswith("\xa0\xa0 "):
                bad.append(f"{text[max(0, end - 16):end]}|{text[end:end + 16]}")
        block = block.next()
    return bad


def _legend_lines(label) -> int:
    """How many lines the label shows (its height over the font's line spacing)."""
    return round(label.contentsRect().height() / label.fontMetrics().lineSpacing())


def test_the_graph_legend_breaks_only_between_items(window, qtbot):
    """The legend under the Workbench graph, with the mazur network and with the wide one
    (its "showing the 1,200 strongest …" item), beside the guess bar too: whole on
    screen, and where it needs two lines it breaks between items, never inside one
    ("gradient ∂C/∂w | known" at the window's edge; "width ∝ |" / "w|" in the first
    start's 870-pixel window: Unicode allows a break after "|"). In normal mode at
    1280x720 it takes one line; at every width from its longest item's up to 1400
    pixels it breaks between items only."""
    win = window
    problems = []
    for presentation in (True, False):
        set_presentation(win, qtbot, presentation)
        for lesson in ("mazur-2-2-2", "wide-784-100-10"):
            lab = _workbench(win, lesson)
            for predict in (False, True):
                if predict:   # the guess bar widens the Equation panel
                    press(qtbot, win, Qt.Key.Key_Q)
                    press(qtbot, win, Qt.Key.Key_Right)
                    settle()
                legend, where = lab.graph.legend, f"F5={presentation} {lesson} Q={predict}"
                problems += [f"{where}: broken at {b!r}" for b in _legend_breaks(legend)]
                problems += [f"{where}: {p}" for p in text_problems(legend)]
                if predict:
                    press(qtbot, win, Qt.Key.Key_Q)
            if not presentation and lesson == "mazur-2-2-2" and win.requested == (1280, 720):
                if _legend_lines(legend) != 1:
                    problems.append(f"the legend takes {_legend_lines(legend)} lines at 1280x720")
            floor = 330 * current_style().scale   # wider than its longest item
            for w in range(int(floor), 1400, 3):
                problems += [f"{where} {w} px: broken at {b!r}"
                             for b in _legend_breaks(legend, w)[:1]]
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems[:20])


def test_the_legend_in_the_first_start_window(window, qtbot):
    """The window of a first start (870x652 on a 1024x768 screen): the Workbench
    legend's two lines break between items ("width ∝ |" ended the first line)."""
    win = window
    if win.requested != (1024, 768):
        pytest.skip("one window size is enough")
    set_presentation(win, qtbot, False)
    lab = _workbench(win, "mazur-2-2-2")
    win.resize(870, 652)
    settle(5)
    try:
        legend = lab.graph.legend
        problems = [f"broken at {b!r}" for b in _legend_breaks(legend)]
        problems += text_problems(legend)
        assert _legend_lines(legend) <= 2, f"{_legend_lines(legend)} lines"
    finally:
        win.resize(*win.requested)
        settle(5)
    assert not problems, "\n".join(problems)


def test_the_keras_code_leaves_the_network_room(window, qtbot):
    """keras-lab after a few epochs, its Keras tab open, in presentation mode and not: the
    network keeps at least 100 pixels to draw in under its buttons and captions (at
    1024x768 in F5 the code took 80 % of the column and left it a 40-pixel strip), its
    buttons and captions apart, and the code still gets a good part of the column."""
    from tests.views.training_checks import graph_texts, overlaps

    win = window
    problems = []
    for presentation, lab in _in_both_modes(win, qtbot, "keras-lab", "training"):
        lab.advance(2)
        lab.redraw()
        lab.charts.setCurrentWidget(lab.keras)
        settle(5)
        g, where = lab.graph, f"F5={presentation}"
        room = g.height() - g.chrome_height()
        if room < 100:
            problems.append(f"{where}: the network has {room} px to draw in ({g.height()} "
                            f"px, {g.chrome_height()} for buttons and captions)")
        problems += [f"{where}: {p}" for p in overlaps(graph_texts(g))]   # "− 32 +"
        if lab.keras.list.height() < 0.3 * lab._left.height():
            problems.append(f"{where}: the code only {lab.keras.list.height()} px of "
                            f"{lab._left.height()}")
        lab.charts.setCurrentWidget(lab.curves)
        settle()
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)


def _map_room_problems(lab) -> list[str]:
    """The decision map drawn large enough to read: its square at least 28 % of the lab's
    height (under the histograms at 1024x768 in F5 it was about 100 pixels, the plot
    wide and short with the data a small square in its middle), its caption and the
    'discrete' box clear of it."""
    vb = lab.map.plot.getViewBox()
    side = min(vb.width(), vb.height())
    out = []
    if side < 0.28 * lab.height():
        out.append(f"the map is {vb.width():.0f}x{vb.height():.0f} px in a lab "
                   f"{lab.height()} px high")
    plot = lab.map.plot.geometry()
    for w in (lab.map.caption, lab.discrete):
        r = w.geometry().translated(w.parentWidget().mapTo(lab.map, w.parentWidget().rect()
                                                           .topLeft()))
        if r.intersects(plot):
            out.append(f"{type(w).__name__} {r.getRect()} over the map {plot.getRect()}")
    return out


def test_the_layer_histograms_leave_the_network_room(window, qtbot):
    """The initialisation lesson opens the layer histograms under the Training lab: in
    presentation mode the network keeps at least 100 pixels to draw in (at 1024x768 and
    1280x720 the histograms, the charts and the caption left it a strip), the charts fold
    away while the histograms show and come back when they are closed; no histogram is
    cut off, no text (the map's caption, five lines high in a narrow column, ran over
    the map); the map is large enough to read, its caption beside it where the column
    is short."""
    from tests.views.fit_checks import plot_problems

    win = window
    set_presentation(win, qtbot, True)
    assert win.open_lesson("initialisation")
    lab = win.current_lab
    lab.advance(2)
    lab.redraw()
    settle(5)
    g, dock = lab.graph, lab.depth_dock
    assert dock.isVisible()
    problems = plot_problems(dock) + text_problems(lab)   # (the map's caption ran over it)
    problems += _histogram_text_problems(lab.depth_panel)
    room = g.height() - g.chrome_height()
    if room < 100:
        problems.append(f"the network has {room} px to draw in")
    problems += _map_room_problems(lab)
    dock.close()
    settle(3)
    if lab.charts.height() < lab.charts.minimumSizeHint().height():
        problems.append(f"the charts did not come back: {lab.charts.height()} px")
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)


def _histogram_text_problems(panel) -> list[str]:
    """The layer histograms' titles side by side apart (at 1024x768 in F5 they ran into
    one line, "a: 19% saturated a: 26% saturated …"), their columns of one width, and
    each axis's tick labels at least 4 px apart ("-10-5")."""
    from tests.views.fit_checks import drawn_tick_labels

    out = []
    layout = panel.plots.ci.layout
    rows: dict[int, list] = {}
    for i in range(layout.count()):
        item = layout.itemAt(i)
        title = item.titleLabel
        rows.setdefault(int(item.sceneBoundingRect().top()), []).append(
            (item.sceneBoundingRect(), title.item.sceneBoundingRect(), title.text))
        ticks = [(item.getAxis("bottom").mapRectToScene(r), t)
                 for r, t in drawn_tick_labels(item.getAxis("bottom"))]
        ticks.sort(key=lambda rt: rt[0].left())
        for (a, ta), (b, tb) in zip(ticks, ticks[1:]):
            if b.left() - a.right() < 4:
                out.append(f"tick labels {ta!r} and {tb!r} {b.left() - a.right():.0f} px apart")
    for row in rows.values():
        row.sort(key=lambda r: r[0].left())
        widths = [r[0].width() for r in row]
        if max(widths) - min(widths) > 2:
            out.append(f"histogram columns of {min(widths):.0f}..{max(widths):.0f} px")
        for (_a, ta, na), (_b, tb, nb) in zip(row, row[1:]):
            if ta.right() + 4 > tb.left():
                out.append(f"titles {na!r} and {nb!r} run together")
    return out


def _surface_mode(win, qtbot, page, mode: str) -> None:
    """The error surface's "Surface" box set to ``mode`` by arrow keys (as a user would),
    then its grid waited for (it is computed off the GUI thread)."""
    ctl = page.ctl
    win.activateWindow()
    page.mode.setFocus()
    want = page.mode.findData(mode)
    key = Qt.Key.Key_Down if want > page.mode.currentIndex() else Qt.Key.Key_Up
    for _ in range(page.mode.count()):
        if page.mode.currentIndex() == want:
            break
        qtbot.keyClick(page.mode, key)
    assert ctl.mode == mode
    qtbot.waitUntil(lambda: not ctl.busy() and ctl.surface is not None
                    and ctl.surface.mode == mode, timeout=30_000)
    settle(5)


def test_the_error_surface_reads_from_the_back(window, qtbot):
    """xor-landscape on each of the lab's three tabs, its surface over two parameters and
    over the PCA plane, in presentation mode and not: the colour bars carry at least two
    tick labels (in F5 the bar, fixed at 45 px, drew none of "0.51 … 0.56"), no plot
    title reaches past its view ("Slice: loss against w^2_11, the rest helc"), no text
    cut."""
    from tests.views.fit_checks import colour_bar_problems, plot_problems, title_problems

    win = window
    problems = []
    for presentation, lab in _in_both_modes(win, qtbot, "xor-landscape", "surface"):
        for tab in range(lab.tabs.count()):
            lab.tabs.setCurrentIndex(tab)
            for mode in (("params", "pca") if tab == 0 else ("-",)):
                if tab == 0:
                    _surface_mode(win, qtbot, lab.page, mode)
                else:
                    lab.advance(0)
                    settle(5)
                where = f"F5={presentation} {lab.tabs.tabText(tab)} {mode}"
                found = colour_bar_problems(lab) + title_problems(lab) + text_problems(lab)
                found += plot_problems(lab)
                problems += [f"{where}: {p}" for p in found]
        lab.tabs.setCurrentIndex(0)
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)


def _dock_of(widget):
    """The dock widget holding ``widget``."""
    from PySide6.QtWidgets import QDockWidget

    while widget is not None and not isinstance(widget, QDockWidget):
        widget = widget.parentWidget()
    return widget


def test_the_u_curve_legend_covers_no_curve(window, qtbot):
    """bias-variance with its U curve drawn, in presentation mode and not: the legend of
    the error-against-degree plot stands under its x axis, clear of the plotting area
    (in the top right corner it covered the rising test and variance curves at 1024x768
    in F5), whole inside the plot and naming the four curves."""
    win = window
    problems = []
    for presentation, lab in _in_both_modes(win, qtbot, "bias-variance", "general"):
        lab.advance(1)
        settle()
        page = lab.pages["bias-variance"]
        xs, _ys = page.u_curves["test"].getData()
        assert len(xs) == 16
        item = page.u_plot.getPlotItem()
        legend = next(l for l in page.legends if l.parentItem() is item)
        names = [label.text for _sample, label in legend.items]
        assert names == ["train", "test", "bias²", "variance"]
        where = f"F5={presentation}"
        box = legend.sceneBoundingRect()
        area = item.getViewBox().sceneBoundingRect()
        axis = item.getAxis("bottom").sceneBoundingRect()
        if box.intersects(area):
            problems.append(f"{where}: the legend {box.getRect()} over the curves "
                            f"{area.getRect()}")
        if box.top() < axis.bottom() - 1:
            problems.append(f"{where}: the legend is not under the x axis")
        if not page.u_plot.sceneRect().contains(box):
            problems.append(f"{where}: the legend {box.getRect()} cut by the plot's edge "
                            f"{page.u_plot.sceneRect().getRect()}")
        if area.height() < 80:
            problems.append(f"{where}: the curves have {area.height():.0f} px")
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)


def test_one_crowded_weight_label_leaves_the_others_large(window, qtbot):
    """mazur-2-2-2 after a training step, in its update phase, in presentation mode: the
    two labels between the crossing edges need a smaller type, and they had set all
    eight small (about 13 px from the back of the room). Now each other label takes the
    largest type in which it fits on its edge; none covers a neuron or another text, all
    stay in view and no label is moved off its edge for it."""
    from tests.views.graph_geometry import _point_size, leader_problems, weight_label_problems

    win = window
    set_presentation(win, qtbot, True)
    lab = _workbench(win, "mazur-2-2-2")
    lab.stepper.set_position(0)
    settle()
    press(qtbot, win, Qt.Key.Key_Right, 32 + 27)   # a training step, then its w4 update
    settle()
    graph = lab.graph
    weights = graph.placement.weights
    style = current_style()
    smallest = style.pt(weights.form[1])
    sizes = [_point_size(item) for item, _ in graph.texts.edge_labels]
    assert weights.form[1] < 9.0, "this step no longer needs a smaller type"
    assert min(sizes) == pytest.approx(smallest, abs=0.06)   # (the HTML rounds to 0.1 pt)
    larger = [s for s in sizes if s > smallest + 0.06]
    assert len(larger) >= len(sizes) // 2, sizes          # most labels no longer small
    assert max(sizes) == pytest.approx(style.pt(9.0), abs=0.06)
    assert weight_label_problems(graph, smallest - 0.06) == []
    assert leader_problems(graph) == []
    lab.stepper.set_position(0)
    set_presentation(win, qtbot, False)


@pytest.mark.parametrize("lesson", ["universality-steps", "relu-approximation"])
def test_the_universality_legend_is_clear_of_the_curves(window, qtbot, lesson):
    """The one-input plot's legend, in presentation mode and not: under its x axis and
    whole (in the plot's top left corner the step lines and curves ran through its words,
    universality-steps at both sizes, relu-approximation's small plot at 1024x768)."""
    win = window
    problems = []
    for presentation, lab in _in_both_modes(win, qtbot, lesson, "universality"):
        settle()
        plots = lab.plots
        legend, item = plots.legend, plots.main
        assert [label.text for _s, label in legend.items] == ["goal f(x)", "network output"]
        box = legend.sceneBoundingRect()
        area = item.getViewBox().sceneBoundingRect()
        axis = item.getAxis("bottom").sceneBoundingRect()
        where = f"F5={presentation}"
        if box.intersects(area):
            problems.append(f"{where}: the legend {box.getRect()} over the plot {area.getRect()}")
        if box.top() < axis.bottom() - 1:
            problems.append(f"{where}: the legend is not under the x axis")
        if not plots.graphics.sceneRect().contains(box):
            problems.append(f"{where}: the legend {box.getRect()} cut off")
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)


def test_the_best_epochs_line_runs_behind_the_charts_name(window, qtbot):
    """exploding-gradients in presentation mode: its loss chart's "best" line stands at
    epoch 0, where the chart's name "loss" is written; the name is drawn on the chart's
    ground, so no pixel of the dashed green line shows through its letters."""
    import pyqtgraph as pg
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QColor

    win = window
    set_presentation(win, qtbot, True)
    assert win.open_lesson("exploding-gradients")
    win.show_lab("training")
    lab = win.current_lab
    lab.charts.setCurrentWidget(lab.curves)
    lab.redraw()
    settle(5)
    plot = lab.curves.loss_plot
    marker = next(i for i in plot.getPlotItem().items
                  if isinstance(i, pg.InfiniteLine) and getattr(i, "label", None) is not None)
    name = plot.name_item
    assert marker.isVisible() and name.isVisible()
    box = name.mapRectToScene(name.boundingRect())
    x = plot.getViewBox().mapViewToScene(QPointF(marker.value(), 0)).x()
    assert box.left() < x < box.right(), "the line no longer crosses the name here"
    img = plot.grab().toImage()
    dpr = img.devicePixelRatio()
    green = QColor("#009E73")
    inner = box.adjusted(1, 1, -1, -1)
    view_origin = plot.mapFromScene(inner.topLeft())
    hits = 0
    for dx in range(int(inner.width())):
        for dy in range(int(inner.height())):
            c = img.pixelColor(int((view_origin.x() + dx) * dpr),
                               int((view_origin.y() + dy) * dpr))
            if abs(c.red() - green.red()) + abs(c.green() - green.green()) + \
                    abs(c.blue() - green.blue()) < 60:
                hits += 1
    assert hits == 0, f"{hits} pixels of the line inside the name"
    set_presentation(win, qtbot, False)


def test_the_towers_and_their_goal_are_the_same_square(window, qtbot):
    """universality-towers in presentation mode: the goal's and the towers' heatmaps are
    squares of one size over one range ("goal f(x, y)", the longer title, had made the
    goal's square larger than the towers', on another y range, side by side)."""
    win = window
    set_presentation(win, qtbot, True)
    assert win.open_lesson("universality-towers")
    lab = win.current_lab
    settle(5)
    two = lab.two
    assert two.isVisible()
    views = [p.getViewBox() for p in (two.goal_plot, two.out_plot)]
    (w0, h0), (w1, h1) = ((v.width(), v.height()) for v in views)
    r0, r1 = (v.viewRange() for v in views)
    set_presentation(win, qtbot, False)
    assert abs(w0 - w1) <= 1 and abs(h0 - h1) <= 1, ((w0, h0), (w1, h1))
    assert np.allclose(r0, r1, atol=1e-6), (r0, r1)
    for (x0, x1), (y0, y1) in (r0, r1):   # the unit square whole in each
        assert x0 <= 0 and x1 >= 1 and y0 <= 0 and y1 >= 1


def test_the_keras_code_fades_out_where_more_follows(window, qtbot):
    """keras-lab-notes, its Keras tab open, in presentation mode: where the code runs on
    below the list, its last line in view fades into the list's background (half a line
    was cut at the bottom); scrolled to the end, nothing is faded."""
    from PySide6.QtGui import QColor

    win = window
    set_presentation(win, qtbot, True)
    assert win.open_lesson("keras-lab-notes")
    lab = win.current_lab
    lab.charts.setCurrentWidget(lab.keras)
    settle(5)
    code, fade = lab.keras.list, lab.keras.fade
    bar, view = code.verticalScrollBar(), code.viewport()
    problems = []
    if not (bar.maximum() > 0 and bar.value() == 0):
        problems.append(f"the code fits: scroll range {bar.maximum()}")
    elif not fade.isVisible():
        problems.append("no fade over the code's last line")
    else:
        r = fade.geometry()
        if r.bottom() != view.height() - 1 or r.width() != view.width():
            problems.append(f"the fade at {r.getRect()} in a view of {view.size()}")
        img = view.grab().toImage()
        base = QColor(code.palette().color(code.palette().ColorRole.Base)).name()
        y = img.height() - 1
        row = {img.pixelColor(x, y).name() for x in range(0, img.width(), 3)}
        if row != {base}:   # the bottom row is the background: no text cut through it
            problems.append(f"the bottom row shows {sorted(row)[:4]}")
        bar.setValue(bar.maximum())
        settle()
        if fade.isVisible():
            problems.append("a fade though the code ends in view")
    lab.charts.setCurrentWidget(lab.curves)
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)
