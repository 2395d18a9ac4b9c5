"""The real main window with every lab at the projector sizes, in presentation mode (F5)
and not: the window keeps the size of its screen whatever lab was visited, and every
label, button, combo box, plot and table heading shows its whole text. One window per size
is shared by all the checks of that size (a window costs seconds).

The tests run from one file a size, ``test_projector_fit_<size>.py`` (each star-imports
``__all__``, the tests, and makes its window with :func:`window_at`): pytest-xdist's
``--dist loadfile`` gives each file to one worker, so the sizes are shared out between
the workers (in one file they were the suite's longest file, on one worker)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QTabWidget

from nnviz.engine.teaching.lessons import lesson_titles
from nnviz.views.items.math_text import number
from nnviz.views.style import current_style
from tests.views.fit_checks import (
    axis_problems,
    bracket_breaks,
    broken_texts,
    cell_problems,
    colour_bar_problems,
    header_problems,
    long_tick_labels,
    plot_problems,
    qt_item_wrappers,
    scrolling_panels,
    small_plot_texts,
    small_widget_texts,
    squeezed,
    tab_bar_problems,
    text_problems,
    title_problems,
    wrapped_headers,
)
from tests.views.graph_geometry import (
    astray_weight_labels,
    fragment_sizes,
    leader_problems,
    texts_near_neurons,
    texts_outside_view,
    texts_over_lines,
    weight_label_problems,
)
from tests.views.projector_window import projector_window, set_presentation, settle

SIZES = [(1024, 768), (1280, 720), (1366, 768), (1920, 1080)]

#: representative lessons of each lab (the Neuron lab's tabs are all visited anyway)
LAB_LESSONS = {
    "workbench": ["mazur-2-2-2", "wide-784-100-10"],
    "neuron": ["perceptron-xor", "perceptron-or", "mp-neuron"],
    "surface": ["sigmoid-neuron", "learning-slowdown", "xor-landscape"],
    "universality": ["universality-bumps", "universality-towers", "relu-approximation"],
    "training": ["spiral", "keras-lab"],
    "general": ["bias-variance", "regularisation-polynomial"],
    "conv": ["conv-edge", "conv-feature-maps", "conv-rgb", "pooling", "cnn-digits"],
}

#: labs whose side panels fit without scrolling (the others' may still scroll)
PANELS_FIT = {"general", "surface", "universality", "neuron"}
#: labs whose plots' left tick labels are never cut by the plot's edge (the others' may be)
TICKS_WHOLE = {"training", "general", "neuron", "surface", "universality", "conv"}


def window_at(size: tuple[int, int]):
    """The module fixture ``window`` of a size's test file: one real main window at
    ``size``, shared by the tests of that size."""
    @pytest.fixture(scope="module")
    def window(qapp, tmp_path_factory):
        yield from projector_window(size, tmp_path_factory, "fit")
    return window


def _bring_up(tabs: QTabWidget) -> None:
    """A tab widget inside another's page (the perceptron page's panel) shown: each tab
    widget around it at the page holding it."""
    w = tabs
    while w.parentWidget() is not None:
        outer = w.parentWidget()
        if isinstance(outer, QStackedWidget) and isinstance(outer.parentWidget(), QTabWidget):
            outer.parentWidget().setCurrentWidget(w)
        w = outer
    settle()


def _views(win, every_tab: bool = True):
    """Each tab of each tab widget of the lab shown, in turn, tab widgets inside another's
    tab too (one pass if it has none, or if not ``every_tab``: the lesson's own tab)."""
    tabs = win.current_lab.findChildren(QTabWidget)
    if not tabs or not every_tab:
        yield "-"
        return
    for t in tabs:
        _bring_up(t)
        for i in range(t.count()):
            if t.isVisible():
                t.setCurrentIndex(i)
                settle()
                yield t.tabText(i)


def _check(win, lesson: str, every_tab: bool = True, reading: list | None = None) -> list[str]:
    """The window's size, and every text, plot and table heading of each view of the lab
    (or of the view the lesson opens); in presentation mode, with ``reading``, what the
    Neuron lab is checked for too (added to ``reading``)."""
    problems = []
    for view in _views(win, every_tab):
        where = f"{lesson} [{view}] F5={current_style().presentation}"
        if win.size().toTuple() != win.requested:
            problems.append(f"{where}: window {win.size().toTuple()}")
        s = squeezed(win)
        if s:
            problems.append(f"{where}: {s}")
        found = text_problems(win) + header_problems(win) + tab_bar_problems(win) + \
            plot_problems(win, cut_ticks=win.current_lab_name in TICKS_WHOLE) + \
            title_problems(win) + colour_bar_problems(win)
        if win.current_lab_name in PANELS_FIT:
            found += scrolling_panels(win.current_lab)
        if reading is not None and current_style().presentation:
            reading += [f"{where}: {p}" for p in _projector_problems(win)]
        problems += [f"{where}: {p}" for p in found]
    return problems


def _projector_problems(win) -> list[str]:
    """The checks first made for the Neuron lab, on any lab: every axis with two tick
    labels apart from its axis label, no word or number broken across lines, no formula
    broken inside its parentheses, no table
    heading in two lines, no table cell cut."""
    return axis_problems(win) + broken_texts(win) + bracket_breaks(win) + wrapped_headers(win) + \
        cell_problems(win) + small_plot_texts(win, 14) + small_widget_texts(win, 15)


def _focus(win, widget) -> None:
    """The keyboard focus on ``widget`` of the (active) window, as a click would put it."""
    win.activateWindow()
    widget.setFocus()
    settle()
    assert win.focusWidget() is widget


def _train_cnn(lab, epochs: int) -> None:
    """The CNN tab trained until its accuracy curve has ``epochs`` points."""
    trainer = lab.cnn.trainer
    while len(trainer.history) < epochs:
        lab.advance(trainer.steps_left_in_epoch())
    settle()


@pytest.mark.slow
def test_every_lab_fits_the_screen(window, qtbot):
    """Every lab with its lessons, in presentation mode and not: the window keeps its size,
    no label, button or combo box text is cut, no plot is cut off by its view or has its
    title cut or its tick labels run together, no table heading is cut, the side panels of
    PANELS_FIT never scroll (the Training lab after a few epochs: its live texts and charts;
    perceptron-xor in its cycle: its longest explanation); in presentation mode every axis
    shows two tick labels apart from its axis label, no word, number or formula breaks
    across lines, no table heading is in two lines and no table cell is cut (the Neuron
    lab's checks: "epoch" touched its ticks in every lab, the surface map's α axis showed
    only "0", the RGB kernel's "-1" ran together)."""
    win = window
    problems, reading = [], []
    for presentation in (False, True):   # F5 pressed with every lab built, as in class
        set_presentation(win, qtbot, presentation)
        for lab, lessons in LAB_LESSONS.items():
            for i, lesson in enumerate(lessons):
                assert win.open_lesson(lesson)
                win.show_lab(lab)
                if lab == "training":   # a few epochs: live captions, curves, numbers
                    win.current_lab.advance(3)
                    win.current_lab.redraw()
                if lesson == "perceptron-xor":   # the learning rule caught in its cycle:
                    win.current_lab.advance(18)  # the longest texts under the plane
                if lesson == "cnn-digits":   # epochs on its accuracy curve
                    _train_cnn(win.current_lab, epochs=3)
                settle()
                # every tab with the lab's first lesson; the others in the tab they open
                problems += _check(win, lesson, every_tab=i == 0, reading=reading)
    assert not problems + reading, "\n".join(problems + reading)
    # every lab built and rearranged for both modes: no item Qt made has a wrapper in Python
    # (stale once Qt deletes the item; tests/views/test_layout_wrappers.py)
    assert qt_item_wrappers() == []


def test_the_training_lab_on_a_projector(window, qtbot):
    """After some training, in presentation mode and not: the network graph's texts apart,
    the map and the network large; on a projector the side panel folds and unfolds without
    growing the window or cutting a text, and other lessons fit too."""
    from tests.views.training_checks import training_lab_problems

    win = window
    problems = []
    for presentation in (True, False):
        set_presentation(win, qtbot, presentation)
        assert win.open_lesson("spiral")
        lab = win.current_lab
        lab.advance(30)
        lab.redraw()
        settle()
        problems += [f"F5={presentation}: {p}" for p in training_lab_problems(lab, win.requested)]
    if win.requested in ((1024, 768), (1280, 720)):
        set_presentation(win, qtbot, True)
        toggle = lab.readout.controls
        assert not lab.dock.isVisible() and not toggle.isChecked()  # folded on a projector
        for shown in (True, False):
            qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda s=shown: lab.dock.isVisible() == s)
            settle()
            problems += [f"panel {shown}: {p}" for p in _check(win, "spiral")]
        for lesson in ("vanishing-gradients", "exploding-gradients"):
            assert win.open_lesson(lesson)
            win.current_lab.advance(2)
            win.current_lab.redraw()
            settle()
            problems += _check(win, lesson, every_tab=False)
            problems += [f"{lesson}: {p}" for p in training_lab_problems(
                win.current_lab, win.requested, captions=False, shares=False)]
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)


def test_generalisation_panels_fit_without_scrolling(window, qtbot):
    """Every tab of the Generalisation lab, the transfer tab trained (its numbers at their
    longest), in presentation mode and not: no side panel scrolls and no text is cut; a
    long explanation folds only where it must: unfolded by a click, its panel scrolls,
    and a second click folds it again."""
    win = window
    assert win.open_lesson("transfer-learning")
    lab = win.current_lab
    lab.advance(1)
    problems, folded = [], []
    for presentation in (True, False):
        set_presentation(win, qtbot, presentation)
        for i in range(lab.tabs.count()):
            lab.tabs.setCurrentIndex(i)
            settle()
            page = lab.pages[lab.page]
            where = f"{lab.page} F5={presentation}"
            problems += [f"{where}: {p}" for p in scrolling_panels(page) + text_problems(page)]
            ex = page.explanation
            if ex is not None and not ex.is_open():
                assert not ex.text.isVisible() and "▸" in ex.toggle.text()
                folded.append((presentation, i))
    if win.requested in ((1024, 768), (1280, 720)):
        transfer = lab.tabs.indexOf(lab.pages["transfer"])
        assert (True, transfer) in folded, "the trained transfer tab's explanation folds"
    for presentation, i in folded[:2]:   # unfolded by a click: it did not fit
        set_presentation(win, qtbot, presentation)
        lab.tabs.setCurrentIndex(i)
        settle()
        page = lab.pages[lab.page]
        ex = page.explanation
        qtbot.mouseClick(ex.toggle, Qt.MouseButton.LeftButton)
        settle()
        assert ex.text.isVisible() and "▾" in ex.toggle.text()
        if not page.scroll.verticalScrollBar().maximum():
            problems.append(f"{lab.page} F5={presentation}: folded, but fits unfolded")
        qtbot.mouseClick(ex.toggle, Qt.MouseButton.LeftButton)
        settle()
        assert not ex.text.isVisible() and not scrolling_panels(page)
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)


def _bar_outline_at_zero(plots) -> int:
    """Pixels of the bump bars' outline colour along y = 0 in the middle half of the
    first bar, as the plots are painted."""
    from PySide6.QtCore import QPointF

    bars, img = plots.bars, plots.graphics.grab().toImage()
    left, right = bars._left[0], bars._right[0]
    vb, hits = plots.main.getViewBox(), 0
    line = bars._line
    for f in np.linspace(0.25, 0.75, 9):
        p = plots.graphics.mapFromScene(vb.mapViewToScene(QPointF(left + f * (right - left), 0)))
        dpr = img.devicePixelRatio()
        for dy in (-1, 0, 1):
            c = img.pixelColor(round(p.x() * dpr), round((p.y() + dy) * dpr))
            hits += abs(c.red() - line.red()) + abs(c.green() - line.green()) + \
                abs(c.blue() - line.blue()) < 40
    return hits


def test_the_universality_controls_and_bars(window, qtbot):
    """The one-input page in bumps mode, presentation mode and not: the selected neuron's
    w, b, s and output-weight sliders are wide enough to drag (at 1024x768 in F5 they
    were about 50 pixels beside number boxes sized for ±1e6), and no bar has an outline
    along y = 0 (the selected first bar's thick bottom edge read as a flat box under it);
    relu-approximation's linear stage: no tick label of more than 9 characters (the
    flat "best error" curve was labelled 3.80633205223881)."""
    win = window
    problems = []
    for presentation in (True, False):
        set_presentation(win, qtbot, presentation)
        assert win.open_lesson("universality-bumps")
        lab = win.current_lab
        lab.tabs.setCurrentIndex(0)
        lab.plots.redraw()
        settle(5)
        floor = round(60 * current_style().scale)
        for name in ("w", "b", "s", "v"):
            slider = getattr(lab.controls, name).slider
            if slider.width() < floor:
                problems.append(f"F5={presentation}: slider {name} {slider.width()} px "
                                f"(< {floor})")
        if _bar_outline_at_zero(lab.plots):
            problems.append(f"F5={presentation}: an outline along y = 0 under the first bar")
        assert win.open_lesson("relu-approximation")   # a linear network: flat best errors
        lab.plots.redraw()
        settle(3)
        problems += [f"F5={presentation} relu: {p}" for p in long_tick_labels(lab)]
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)


def test_the_caption_bar_is_as_tall_as_the_lessons_captions(window, qtbot):
    """Under the Training lab (spiral: captions by epoch, some with a question) and the
    Error surface, in presentation mode and not: the caption bar is no taller than the
    lesson's tallest caption, plus a question's line only where the lesson asks one (an
    empty line was reserved for a question in every lesson), never cuts its text off, and
    keeps one height while the lesson is stepped (the view above it does not jump). The
    Workbench's (mazur-2-2-2, stepped with →) is checked in the micro-step walk,
    test_workbench_graph_and_equation_at_every_micro_step."""
    win = window
    problems = []
    for presentation in (True, False):
        set_presentation(win, qtbot, presentation)
        for lesson, steps in (("spiral", (1, 3, 30)), ("learning-slowdown", (0, 30))):
            assert win.open_lesson(lesson)
            lab = win.current_lab
            heights, last = set(), 0
            for k in steps:
                lab.advance(k - last)
                last = k
                if hasattr(lab, "redraw"):
                    lab.redraw()
                settle(3)
                problems += _caption_bar_problems(win, f"F5={presentation} {lesson} {k}",
                                                  heights)
            if len(heights) > 1:
                problems.append(f"F5={presentation} {lesson}: heights {sorted(heights)}")
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)


def _caption_bar_problems(win, where: str, heights: set) -> list[str]:
    """The caption bar, where shown (its height added to ``heights``): no taller than the
    lesson's tallest caption with its question, no text of it cut off."""
    bar = win.caption_bar
    if not bar.isVisible():
        return []
    heights.add(bar.height())
    problems = []
    need = _lesson_caption_height(bar, win.doc.lesson.captions)
    if bar.height() > need + 8:
        problems.append(f"{where}: caption bar {bar.height()} px for the lesson's tallest "
                        f"{need} px")
    for name, (h, _n) in _caption_lines(bar).items():
        label = bar.findChild(QLabel, name)
        if label.height() < h:
            problems.append(f"{where}: {name} cut off ({label.height()} < {h})")
    return problems


def _lesson_caption_height(bar, captions) -> int:
    """The bar's height for the lesson's tallest caption with its own question (each
    caption is shown with its question; the tallest text and the tallest question of
    different captions are never shown together)."""
    def height(label, text):
        return label.fontMetrics().boundingRect(0, 0, label.width(), 10_000,
                                                Qt.TextFlag.TextWordWrap, text).height() \
            if text else 0

    m = bar.layout().contentsMargins()
    line = bar.text_label.fontMetrics().height()
    tallest = max((max(line, height(bar.text_label, c.text)) + (
        bar.layout().spacing() + 2 + height(bar.question_label,
                                            "Question for the class: " + c.question)
        if c.question else 0) for c in captions), default=line)
    return tallest + m.top() + m.bottom() + 2


def _caption_lines(bar) -> dict:
    """{label name: (height, lines)} of the caption bar's shown texts at its width."""
    out = {}
    for label in (bar.text_label, bar.question_label):
        if label.text() and label.isVisible():
            fm = label.fontMetrics()
            h = fm.boundingRect(0, 0, label.width(), 10_000, Qt.TextFlag.TextWordWrap,
                                label.text()).height()
            out[label.objectName()] = (h, round(h / fm.lineSpacing()))
    return out


def test_moving_through_all_labs_never_grows_the_window(window, qtbot):
    """Ctrl+1…7 through every lab in presentation mode and back: the window keeps its size
    (it used to grow to the widest lab's minimum and stay so after leaving F5)."""
    win = window
    for presentation in (True, False):
        set_presentation(win, qtbot, presentation)
        for i, name in enumerate(win.lab_names):
            qtbot.keyClick(win, Qt.Key.Key_1 + i, Qt.KeyboardModifier.ControlModifier)
            settle()
            assert win.current_lab_name == name
            assert win.size().toTuple() == win.requested, name
            assert squeezed(win) is None, name
    assert win.size().toTuple() == win.requested


def test_every_lesson_keeps_the_window_at_1024x768_in_presentation_mode(window, qtbot):
    """Each shipped lesson opened in presentation mode: the window stays 1024x768 (at the
    other sizes the labs' representative lessons above check it)."""
    win = window
    if win.requested != (1024, 768):
        pytest.skip("every lesson at the smallest size only")
    set_presentation(win, qtbot, True)
    grown = []
    for name in sorted(lesson_titles()):
        assert win.open_lesson(name)
        settle()
        if win.size().toTuple() != win.requested or squeezed(win):
            grown.append(f"{name}: {win.size().toTuple()} {squeezed(win)}")
    assert not grown, "\n".join(grown)


def _weight_texts_problems(lab) -> list[str]:
    """Each weight label shows its weight's value (whole or in four digits, before or
    after the update), and its dC/dw once known (until the update)."""
    from nnviz.engine.core.naming import fmt
    from nnviz.views.workbench.present import short

    tr, k = lab.stepper.trace, lab.stepper.k
    st = tr.state_at(k)
    problems = []
    for item, (l, j, i) in lab.graph.texts.edge_labels:
        lines = item.toPlainText().split("\n")
        value = lines[0].replace("⁺", "").split(" = ")[-1].split("→")[-1].strip()
        value = value.replace("\u2013", "-")   # the graph's minus sign, as fmt writes it
        shown = {f(float(w[l][j, i])) for w in (tr.net_before.weights, st.weights)
                 for f in (fmt, short)}
        if value not in shown:
            problems.append(f"w{(l, j, i)} shows {lines[0]!r}, not one of {shown}")
        if st.dw_known[l][j, i] and not st.w_updated[l][j, i] and \
                not any(t.startswith("∂") for t in lines[1:]):
            problems.append(f"w{(l, j, i)}: dC/dw known but not shown: {lines}")
    return problems


def _breaks_inside_words(text_edit) -> list[str]:
    """Every place where the laid-out document wraps a line between two characters
    that are not separated by a space (inside a number, a name or a subscript)."""
    bad = []
    block = text_edit.document().begin()
    while block.isValid():
        layout, text = block.layout(), block.text()
        for i in range(layout.lineCount() - 1):
            line = layout.lineAt(i)
            end = line.textStart() + line.textLength()
            if 0 < end < len(text) and not (text[end - 1].isspace() or text[end].isspace()):
                bad.append(f"{text[max(0, end - 12):end]}|{text[end:end + 12]}")
        block = block.next()
    return bad


def _equation_fit_problems(eq) -> list[str]:
    """The Equation panel's laid-out lines all within its width (nothing cut off on the
    right, no sideways scrolling), wrapped only at spaces, in type no smaller than a floor
    (18 pt on a projector)."""
    problems = [f"equation broken at {b!r}" for b in _breaks_inside_words(eq.text)]
    text = eq.text
    wide, room = text.document().idealWidth(), text.viewport().width()
    if wide > room or text.horizontalScrollBar().maximum():
        problems.append(f"equation {wide:.0f} px wide in {room} px: "
                        f"{eq.plain_text()[:60]!r}")
    floor = 18 if current_style().presentation else 8
    small = [pt for pt in fragment_sizes(text.document()) if pt < floor]
    if small:
        problems.append(f"equation type of {min(small)} pt")
    return problems


#: the most a graph text may hide of an edge or a dotted bias link not its own, in
#: pixels (measured: at most 4 px in every walk below). The notes' 2-2-2 network at
#: 1024x768 in F5 in the backward pass hid up to 41 px (its crossing edges and b1's links
#: fill the 94 px between the columns' rings, and its labels are 91 px wide): there its
#: labels now sit off their edges, joined to them by a leader.
MOST_HIDDEN = 4.0


def _bias_problems(graph) -> list[str]:
    """Every bias of the network shown: a shared one beside its square ("b1 = 0.35"), a
    neuron's own among its values ("b1 = -10", "b1: -10 → -10")."""
    net, nm = graph.net, graph.naming
    lines = [line for t in graph.label_texts() for line in t.split("\n")]
    want = [nm.bias(l, j) for l in range(net.n_layers) if net.use_bias[l]
            for j in range(1 if net.shared_bias[l] else net.sizes[l + 1])]
    return [f"bias {b} not shown: {lines}" for b in want
            if not any(line.startswith((f"{b} =", f"{b}:")) for line in lines)]


def _graph_step_problems(lab, most: float) -> list[str]:
    """The graph's texts at the stepper's position: every weight label shown (with
    dC/dw once known), in readable type, over no neuron and no other text; every neuron's
    name and every bias shown; no text outside the view, within 2 px of a neuron as
    drawn, or hiding more than ``most`` px of a line not its own."""
    from nnviz.views.items.graph_place import overlapping

    graph = lab.graph
    floor = 12.0 if current_style().presentation else 7.0
    problems = weight_label_problems(graph, floor) + _weight_texts_problems(lab)
    problems += texts_outside_view(graph)   # e.g. "E_total = …" cut at the right
    # clear of the circles as drawn (their rings too), and of the other lines
    problems += texts_near_neurons(graph, 2) + texts_over_lines(graph, most)
    problems += astray_weight_labels(graph) + leader_problems(graph)
    problems += [f"{a!r} overlaps {b!r}" for a, b in overlapping(graph.text_rects())]
    nodes = [("neuron", r) for r in graph.node_rects()]
    problems += [f"{a!r} covers a neuron" for a, b in
                 overlapping(graph.text_rects(names=False) + nodes)
                 if b == "neuron" and a != "neuron"]
    problems += [f"the name {t.toPlainText()!r} not shown"
                 for t in graph.texts.names.values() if not t.isVisible()]
    return problems + _bias_problems(graph)


def _workbench_step_problems(lab, most: float) -> list[str]:
    """The graph's texts and the Equation panel at the stepper's position."""
    from nnviz.views.items.math_text import number

    eq, k = lab.equations, lab.stepper.k
    problems = _graph_step_problems(lab, most) + _equation_fit_problems(eq)
    steps = eq.steps
    if k and not steps.viewport().rect().contains(steps.visualItemRect(steps.currentItem())):
        problems.append(f"the step {steps.currentItem().text()!r} is cut off in the list")
    if k:   # the result: in the first screenful of the panel, without scrolling
        value = number(lab.stepper.step.value)   # as the panel prints it: −0.5
        cursor = eq.text.document().find(value)
        if cursor.isNull() or eq.text.cursorRect(cursor).bottom() > eq.text.viewport().height():
            problems.append(f"result {value} not in view")
    return [f"step {k}: {p}" for p in problems]


def _walk(win, qtbot, lesson: str, check) -> list[str]:
    """The lesson's whole pass stepped by the → key in the window as it is, ``check``
    (lab, most hidden) at each position."""
    assert win.open_lesson(lesson)
    settle()   # from the wide network's graph: the fit, then the texts placed anew
    lab = win.current_lab
    lab.graph.setFocus()
    problems = []
    for k in range(len(lab.stepper) + 1):
        if k:
            qtbot.keyClick(win, Qt.Key.Key_Right)
        # (a caption of more or fewer lines resizes the graph: its fit and texts
        # follow in posted events, all before the window repaints)
        settle(5)
        assert lab.stepper.k == k
        where = f"F5={current_style().presentation} {lesson}"
        problems += [f"{where} {p}" for p in check(lab, MOST_HIDDEN)]
    return problems


def _derivation_problem(eq, value: str) -> str | None:
    """The step's equation (the last table before "where" and the captions) ends in the
    result ``value`` and is in view down to that line, without scrolling."""
    doc = eq.text.document()
    where = doc.find("where")
    stop = doc.characterCount() if where.isNull() else where.position()
    tables = [f for f in doc.rootFrame().childFrames() if f.firstPosition() < stop]
    if not tables:
        return "no equation"
    t = tables[-1]
    cell = t.cellAt(t.rows() - 1, t.columns() - 1)
    cursor = cell.firstCursorPosition()
    cursor.setPosition(cell.lastCursorPosition().position(), cursor.MoveMode.KeepAnchor)
    last = cursor.selectedText().replace("\u2060", "")
    bottom = doc.documentLayout().frameBoundingRect(t).bottom() - eq.text.verticalScrollBar().value()
    if last != value:
        return f"the equation ends in {last!r}, not the result {value}"
    if bottom > eq.text.viewport().height():
        return f"the equation's result line ends at {bottom:.0f} px, below the panel's " \
               f"{eq.text.viewport().height()} px"
    return None


def test_the_equations_result_line_is_in_view_when_predicting(window, qtbot):
    """In presentation mode (F5), predicting (Q), through the whole pass of mazur-2-2-2
    stepped by the → key: under the guess bar the Equation panel shows the step's
    equation down to its last line, "= ?", without scrolling (the steps shown with their
    results are checked in the micro-step walk)."""
    win = window
    set_presentation(win, qtbot, True)
    problems = []
    # predict, then reveal (Q): the guess bar takes the panel's top, the equation ends "= ?"
    assert win.open_lesson("mazur-2-2-2")
    lab = win.current_lab
    lab.graph.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_Home)
    qtbot.keyClick(win, Qt.Key.Key_Q)
    for k in range(1, len(lab.stepper) + 1):
        qtbot.keyClick(win, Qt.Key.Key_Right)
        settle(1)
        assert lab.stepper.k == k
        problems += [f"predicting, step {k}: {p}" for p in
                     [_derivation_problem(lab.equations, "?")] if p]
    qtbot.keyClick(win, Qt.Key.Key_Q)
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)


def _large_result_problem(lab) -> str | None:
    """The large result above the step's equation is one line, its name (a…) beside its
    value 0.372740573 (the wide network's tenth step)."""
    doc = lab.equations.text.document()
    head = doc.rootFrame().childFrames()[0]
    cell = head.cellAt(0, 0)
    cursor = cell.firstCursorPosition()
    cursor.setPosition(cell.lastCursorPosition().position(), cursor.MoveMode.KeepAnchor)
    name, rows = cursor.selectedText(), head.rows()
    value = head.cellAt(0, head.columns() - 1).firstCursorPosition().block().text()
    if rows == 1 and name.startswith("a") and value == "0.372740573":
        return None
    return f"the large result: {(rows, name, value)}"


def _mazur_step_problems(win, heights: set, sizes: list):
    """The check of each position of the notes' 2-2-2 network's walk: the graph and the
    Equation panel (_workbench_step_problems) and, from the first step on, the caption
    bar (its height added to ``heights``); in presentation mode also the step's equation
    in view down to its result, the panel's type no smaller than 18 points (every size
    set added to ``sizes``) and the list of steps' type no smaller either."""
    def check(lab, most: float) -> list[str]:
        problems = _workbench_step_problems(lab, most)
        k = lab.stepper.k
        if k:
            problems += _caption_bar_problems(win, f"step {k}", heights)
        if k and current_style().presentation:
            problems += [f"step {k}: {p}" for p in
                         [_derivation_problem(lab.equations, number(lab.stepper.step.value))] if p]
            sizes.extend(fragment_sizes(lab.equations.text.document()))
            if lab.equations.steps.font().pointSizeF() < 18:
                problems.append(f"step {k}: the list of steps in "
                                f"{lab.equations.steps.font().pointSizeF()} pt")
        return problems
    return check


def _graph_and_result_problems(lab, most: float) -> list[str]:
    """The graph's texts (_graph_step_problems) and, from the first step on, the step's
    equation in view down to its result, fitting the Equation panel."""
    k = lab.stepper.k
    found = _graph_step_problems(lab, most)
    if k:
        found += [p for p in [_derivation_problem(lab.equations, number(lab.stepper.step.value))]
                  if p] + _equation_fit_problems(lab.equations)
    return [f"step {k}: {p}" for p in found]


@pytest.mark.slow
def test_workbench_graph_and_equation_at_every_micro_step(window, qtbot):
    """Through the whole pass of the notes' 2-2-2 network, stepped by the → key, in
    presentation mode and not: every weight label is shown (with dC/dw once known), inside
    the view, over no neuron and no other text, in readable type; no two graph texts
    overlap, every one inside the view (the errors beside the outputs too), none within
    2 px of a neuron's circle or ring ("∂ 0.08217" touched o1's at 1024x768 in F5), none
    over more than MOST_HIDDEN px of an edge or bias link not its own (a gradient set
    across the crossing edges; h2's values over b2's link to o1; at 1024x768 in F5 the
    backward pass's labels hid up to 41 px of b1's link to h1), no weight label nearer
    another edge than its own, one set off its edge joined to it by a leader; every
    neuron's name and
    bias shown; the Equation panel wraps lines only at spaces (its layout breaks between
    terms) and shows the step's result in view; the caption bar no taller than the
    lesson's tallest caption, its text not cut off, one height throughout.

    In presentation mode also: the step's equation in view down to its last line,
    "= result", without scrolling (at micro-step 13 at 1024x768 the last line,
    "= 0.082167041", was below the panel: the result only in the heading); no text of the
    panel below 18 points, the list of steps neither (the large result above 20). The same
    for the graph and the equation through the whole pass of xor-mlp (four lines of
    values; its names and weight labels went missing at 1024x768) and linear-2-2-1 (a
    weight label hidden at step 22 at 1024x768). And the wide network's large result, at
    its tenth step, is one line with its name beside its value, even where the equation
    below sets its left-hand side on a line of its own ("a²₅" | "= 0.372740573" took two
    lines of the panel), and kept where the equation is too wide for the panel whatever
    is done (at 1024x768 it was left out with the title).

    (One walk a lesson and mode checks all of these; they were four walks.)"""
    from nnviz.views.items.graph_place import overlapping

    win = window
    problems = []
    # normal mode first: leaving F5 at the last step fitted the graph to the texts of
    # that step, and hid that the errors appearing later were once cut at the right
    for presentation in (False, True):
        set_presentation(win, qtbot, presentation)
        heights, sizes = set(), []
        problems += _walk(win, qtbot, "mazur-2-2-2",
                          _mazur_step_problems(win, heights, sizes))
        if len(heights) > 1:
            problems.append(f"F5={presentation} mazur-2-2-2: caption bar heights "
                            f"{sorted(heights)}")
        if presentation and not max(sizes, default=0) > 20:   # the sizes were read
            problems.append(f"no large result: the sizes {sorted(set(sizes))}")
        lab = win.current_lab
        if presentation:
            for lesson in ("xor-mlp", "linear-2-2-1"):
                problems += _walk(win, qtbot, lesson, _graph_and_result_problems)
        # a wide network: its layers' captions and the ten targets inside the view too;
        # and no two texts overlapping there, nor in the one-output linear network whose
        # output's name is wider than its circle
        for lesson in ("linear-2-2-1", "wide-784-100-10"):
            assert win.open_lesson(lesson)
            if presentation and lesson == "wide-784-100-10":
                lab.stepper.set_position(10)
                settle(2)
                problems += [p for p in [_large_result_problem(lab)] if p]
            for k in (0, len(lab.stepper)):
                lab.stepper.set_position(k)
                settle(2)
                found = texts_outside_view(lab.graph) + [
                    f"{a!r} overlaps {b!r}" for a, b in overlapping(lab.graph.text_rects())]
                shown = "\n".join(lab.graph.label_texts())
                if lesson == "linear-2-2-1" and k and shown.count("Error = ") != 1:
                    # one output: its error is the total error, said once
                    found.append(f"'Error = ' shown {shown.count('Error = ')} times")
                problems += [f"F5={presentation} {lesson} step {k}: {p}" for p in found]
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems[:40])


def test_the_matrix_view_fits(window, qtbot):
    """The Workbench's matrix view (key M), its mini-batch off and on, some steps taken
    with →, in presentation mode and not: the window keeps its size and every option shows
    its whole text (the numbering's "Input layer = layer 1 (notes)" was cut at 1024x768
    in F5 once the mini-batch's position text took its room)."""
    from tests.views.workbench_keys import press

    win = window
    problems = []
    for presentation in (False, True):
        set_presentation(win, qtbot, presentation)
        assert win.open_lesson("mazur-2-2-2")
        lab = win.current_lab
        _focus(win, lab.graph)   # (an earlier test may have left it on another lab's box)
        press(qtbot, win, Qt.Key.Key_M)
        view = lab.matrix_view
        assert lab.matrix.active and view.isVisible()
        for batch in (False, True):
            if view.batch.isChecked() != batch:
                qtbot.mouseClick(view.batch, Qt.MouseButton.LeftButton)
            assert lab.matrix.batch == batch
            view.setFocus()
            press(qtbot, win, Qt.Key.Key_Right, 3)
            settle()
            # the position, as long as it fits: with the mini-batch's size, or without
            assert view.where.text().startswith(f"Step {lab.matrix.m} of ")
            problems += [f"mini-batch={batch}: {p}" for p in _check(win, "matrix view", False)]
        qtbot.mouseClick(view.batch, Qt.MouseButton.LeftButton)
        view.setFocus()
        press(qtbot, win, Qt.Key.Key_M)
        assert not lab.matrix.active
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)


def _declined_problems(win) -> list[str]:
    """The Equation panel's reason for a network the stepper declines: all of it in view,
    wrapped at spaces (or after a hyphen of the prose), no sideways scrolling, in type no
    smaller than the panel's floor; the step status within the status bar; the graph
    showing the network itself."""
    lab = win.current_lab
    eq, text = lab.equations, lab.equations.text
    problems = []
    if lab.stepper.trace is not None or eq.plain_text().count("Cannot trace") != 1:
        return [f"not declined once: {eq.plain_text()[:60]!r}"]
    wide, room = text.document().idealWidth(), text.viewport().width()
    if wide > room or text.horizontalScrollBar().maximum():
        problems.append(f"{wide:.0f} px wide in {room} px (scrolls sideways)")
    if text.document().size().height() > text.viewport().height():
        problems.append("the reason does not fit the panel's height")
    problems += [f"broken at {b!r}" for b in _breaks_inside_words(text)
                 if not b.split("|")[0].endswith("-")]
    floor = 18 if current_style().presentation else 8
    small = [pt for pt in fragment_sizes(text.document()) if pt < floor]
    if small:
        problems.append(f"type of {min(small)} pt")
    host, bar = win.status_label.parentWidget(), win.statusBar()
    if host.geometry().right() > bar.width() or \
            host.width() < win.status_label.sizeHint().width():
        problems.append(f"step status {win.status_label.text()!r} cut by the bar")
    if lab.graph.coords.sizes != list(win.doc.network.sizes):
        problems.append(f"the graph shows {lab.graph.coords.sizes}, not the network")
    return problems


def test_a_declined_network_is_explained_in_the_equation_panel(window, qtbot):
    """A network the neuron stepper declines (batch normalisation; over 256 neurons), in
    presentation mode and not: the Equation panel's "Cannot trace this network …" wraps
    and fits (no sideways scrolling), the status bar says so in a line that fits, the
    graph shows the network (it kept the previous network's pass); beside the matrix view
    too, where the panel was narrowest (it scrolled sideways with the batch-norm lesson at
    1024x768 in F5)."""
    from nnviz.engine.core.network import Network
    from tests.views.workbench_keys import press

    win = window
    problems = []
    for presentation in (False, True):
        set_presentation(win, qtbot, presentation)
        assert win.open_lesson("mazur-2-2-2")
        win.current_lab.advance(13)
        assert win.open_lesson("batch-norm")
        win.show_lab("workbench")
        settle()
        problems += [f"F5={presentation} batch-norm: {p}" for p in _declined_problems(win)]
        lab = win.current_lab   # beside the matrix view, which steps it as a mini-batch
        _focus(win, lab.graph)
        press(qtbot, win, Qt.Key.Key_M)
        qtbot.mouseClick(lab.matrix_view.batch, Qt.MouseButton.LeftButton)
        lab.matrix_view.setFocus()
        press(qtbot, win, Qt.Key.Key_Right, 3)
        settle()
        assert lab.matrix.trace is not None and lab.matrix.m == 3
        problems += [f"F5={presentation} batch-norm, M: {p}" for p in _declined_problems(win)]
        problems += [f"F5={presentation} batch-norm, M: {p}"
                     for p in _check(win, "batch-norm", every_tab=False)]
        qtbot.mouseClick(lab.matrix_view.batch, Qt.MouseButton.LeftButton)
        lab.matrix_view.setFocus()
        press(qtbot, win, Qt.Key.Key_M)
        assert not lab.matrix.active
        win.doc.set_network(Network.create([2, 300, 2], "sigmoid"))
        settle()
        problems += [f"F5={presentation} 2-300-2: {p}" for p in _declined_problems(win)]
    set_presentation(win, qtbot, False)
    assert win.open_lesson("mazur-2-2-2")
    assert not problems, "\n".join(problems)


def _choose_optimiser(win, qtbot, name: str) -> None:
    """Pick ``name`` in the Training lab's optimiser box with the arrow keys, back to the
    Workbench."""
    win.show_lab("training")
    win.current_lab.readout.controls.setChecked(True)
    box = win.current_lab.optimiser_box.optimiser
    qtbot.waitUntil(box.isVisible)
    box.setFocus()
    key = Qt.Key.Key_Down if box.findData(name) > box.currentIndex() else Qt.Key.Key_Up
    for _ in range(box.count()):
        if box.currentData() == name:
            break
        qtbot.keyClick(box, key)
    assert win.doc.config.optimiser_spec()[0] == name
    win.show_lab("workbench")
    settle()
    win.activateWindow()
    win.current_lab.graph.setFocus()   # the window's keys (F5, →) away from the combo box
    settle()


@pytest.mark.parametrize("optimiser", ["adam", "rmsprop"])
def test_equation_lines_fit_with_every_optimiser(window, qtbot, optimiser):
    """With an optimiser whose worked update writes its moments and √(…) + ε lines
    (chosen in the Training lab), every micro-step's headline and lines fit the Equation
    panel, stepped by the → key, in presentation mode and not."""
    win = window
    assert win.open_lesson("mazur-2-2-2")
    start = win.doc.config.optimiser_spec()[0]
    _choose_optimiser(win, qtbot, optimiser)
    problems = []
    for presentation in (True, False):
        set_presentation(win, qtbot, presentation)
        lab = win.current_lab
        lab.stepper.set_position(0)
        lab.graph.setFocus()
        for k in range(1, len(lab.stepper) + 1):
            qtbot.keyClick(win, Qt.Key.Key_Right)
            settle(1)
            assert lab.stepper.k == k
            problems += [f"F5={presentation} step {k}: {p}"
                         for p in _equation_fit_problems(lab.equations)]
    set_presentation(win, qtbot, False)
    _choose_optimiser(win, qtbot, start)
    assert not problems, "\n".join(problems[:40])


def test_presentation_hint_never_runs_into_the_step_status(window, qtbot):
    """F5 pressed after stepping, and before (the step status then grows under the hint):
    the hint is a variant that ends left of the step status, in the real window's bar."""
    win = window
    bar = win.statusBar()
    host = win.status_label.parentWidget()
    problems = []
    for f5_first in (False, True):
        set_presentation(win, qtbot, False)
        assert win.open_lesson("mazur-2-2-2")
        lab = win.current_lab
        lab.stepper.set_position(0)
        set_presentation(win, qtbot, f5_first)
        settle()
        for _ in range(13):   # a long step status: "Backward · layer 3 · neuron o1 · …"
            qtbot.keyClick(win, Qt.Key.Key_Right)
        assert lab.stepper.k == 13
        set_presentation(win, qtbot, True)
        settle()
        message = bar.currentMessage()
        assert message.startswith("F5 or Esc") or message.startswith("Presentation mode")
        assert "Backward" in win.status_label.text()
        end = 8 + bar.fontMetrics().horizontalAdvance(message)   # the bar draws it from x≈6
        if end > host.geometry().left() or end > bar.message_room() + 8:
            problems.append(f"F5 first={f5_first}: {message!r} ends at {end}, the step "
                            f"status {win.status_label.text()[:30]!r} starts at "
                            f"{host.geometry().left()}")
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)


def _message_problem(win) -> str | None:
    """The status bar's message running into the step status, or past the bar's end."""
    bar, host = win.statusBar(), win.status_label.parentWidget()
    message = bar.currentMessage()
    end = 8 + bar.fontMetrics().horizontalAdvance(message)   # the bar draws it from x≈6
    if message and host.isVisible() and end > host.geometry().left():
        return (f"{message!r} ends at {end}, the step status "
                f"{win.status_label.text()[:30]!r} starts at {host.geometry().left()}")
    if message and end > bar.width() - 8:
        return f"{message!r} ends at {end}, past the bar's end {bar.width()}"
    return None


def _shows_whole(shown: str, message: str) -> bool:
    """``shown`` is ``message``, or it cut in the middle only (both ends kept)."""
    if "…" not in shown:
        return shown == message
    head, tail = shown.split("…", 1)
    return message.startswith(head) and message.endswith(tail) and len(head) > 5 \
        and len(tail) > 5


def test_messages_never_run_into_the_step_status(window, qtbot, tmp_path):
    """After a save (a long path) and a lesson switch, at a long step status, in
    presentation mode and not: the message never runs into the step status (a long one
    takes its place, cut in the middle at worst) and the next step shows the step status
    again. At 1024x768 in F5 'Saved /…' was written into 'Backward · layer 3 · …'."""
    win = window
    bar, host = win.statusBar(), win.status_label.parentWidget()
    path = tmp_path / "week-3-backpropagation-the-worked-example-for-the-lecture.nnviz"
    problems = []
    for presentation in (False, True):
        set_presentation(win, qtbot, presentation)
        assert win.open_lesson("mazur-2-2-2")
        lab = win.current_lab
        lab.stepper.set_position(0)
        lab.graph.setFocus()
        for _ in range(13):   # a long step status: "Backward · layer 3 · neuron o1 · …"
            qtbot.keyClick(win, Qt.Key.Key_Right)
        settle()
        assert win.files.save_to(str(path))
        settle()
        where = f"F5={presentation} saved"
        problems += [f"{where}: {p}" for p in [_message_problem(win)] if p]
        if not _shows_whole(bar.currentMessage(), f"Saved {path}"):
            problems.append(f"{where}: shows {bar.currentMessage()!r}")
        qtbot.keyClick(win, Qt.Key.Key_Right)   # the next step: its status is shown again
        settle()
        if not host.isVisible() or "step 14 of 32" not in win.status_label.text():
            problems.append(f"F5={presentation}: after → the step status is not shown")
        problems += [f"F5={presentation} →: {p}" for p in [_message_problem(win)] if p]
        assert win.open_lesson("wide-784-100-10")   # the message and a new step status
        settle()
        message = bar.currentMessage()
        if not message.startswith("Opened lesson"):
            problems.append(f"F5={presentation}: the lesson's message went: {message!r}")
        problems += [f"F5={presentation} lesson: {p}" for p in [_message_problem(win)] if p]
        bar.clearMessage()
        settle()
        assert host.isVisible()
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)


def test_the_shortcut_sheet_fits_without_scrolling(window, qtbot):
    """F1, in presentation mode and not: the whole sheet in view (no scroll bar), no key
    or word broken across lines, its type no smaller than a floor."""
    win = window
    problems = []
    for presentation in (True, False):
        set_presentation(win, qtbot, presentation)
        win.setFocus()
        qtbot.keyClick(win, Qt.Key.Key_F1)
        sheet = win.syllabus.shortcut_sheet
        qtbot.waitUntil(sheet.isVisible)
        settle()
        where = f"F5={presentation}"
        text = sheet.text
        doc_h = text.document().size().height()
        if text.verticalScrollBar().maximum() or doc_h > text.viewport().height():
            problems.append(f"{where}: scrolls ({doc_h:.0f} > {text.viewport().height()})")
        if text.horizontalScrollBar().maximum():
            problems.append(f"{where}: scrolls sideways")
        # (a line may end after a hyphen of the prose, "micro-|steps"; never in a key)
        problems += [f"{where}: broken at {b!r}" for b in _breaks_inside_words(text)
                     if not b.split("|")[0].endswith("-")]
        floor = 12.0 if presentation else 8.0   # (10.75 pt at 1024x768 in F5 until the
        # sheet could grow past the window's type and its columns were balanced)
        sizes = {round(f, 2) for f in fragment_sizes(text.document())}
        if min(sizes) < floor:
            problems.append(f"{where}: type of {min(sizes)} pt")
        if "↓" in sheet.title.text():
            problems.append(f"{where}: the title still says to scroll")
        qtbot.keyClick(sheet, Qt.Key.Key_F1)
        assert not sheet.isVisible()
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)


#: formulas of the Neuron lab's texts that must stay on one line (their spaces too)
NEURON_FORMULAS = ("Δσ ≈ σ′(z)·x·Δw", "z = w − 1", "b = −1", "x = 1", "Σ aⱼ = 1", "c > 1",
                   "c → 0")


def _as_shown(formula: str) -> str:
    """A formula as the Neuron lab sets it (math_html: e^(−z) raised), in the characters of
    its laid-out line, which is what broken_texts reads."""
    from PySide6.QtGui import QTextDocument

    from nnviz.views.items.math_text import math_html

    doc = QTextDocument()
    doc.setHtml(math_html(formula))
    return doc.toPlainText()


def _gallery_formulas() -> tuple[str, ...]:
    from nnviz.controllers.neuron.functions import GALLERY
    from nnviz.engine.core.activations import ACTIVATIONS
    from nnviz.views.neuron.functions_pages import SOFTMAX_FORMULA

    return tuple(_as_shown(f) for n in GALLERY for f in (ACTIVATIONS[n].formula,
                                                         ACTIVATIONS[n].prime_formula)) + \
        (_as_shown(SOFTMAX_FORMULA),)


def _mp_diagram_overlaps(page) -> list[str]:
    """Texts of the McCulloch–Pitts diagram touching a node or another text (the inputs'
    "x1 = 1" ran into their nodes in presentation type)."""
    from PySide6.QtCore import QRectF

    vb = page.diagram.getPlotItem().vb
    rects = [(t.toPlainText().replace("\n", " "), t.sceneBoundingRect()) for t in page.labels]
    nodes = []
    for spot in page.nodes.points():
        c, r = vb.mapViewToScene(spot.pos()), spot.size() / 2
        nodes.append(("node", QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r)))
    unit = page.unit_item.mapRectToScene(page.unit_item.rect())
    out = []
    for i, (a, ra) in enumerate(rects):
        if not vb.sceneBoundingRect().contains(ra):
            out.append(f"{a!r} outside the diagram")
        for b, rb in rects[i + 1:] + nodes + ([("unit", unit)] if "θ" not in a else []):
            if ra.adjusted(-2, -2, 2, 2).intersects(rb):
                out.append(f"{a!r} touches {b!r}")
    return out


def _neuron_page_problems(win, lab, keep) -> list[str]:
    page = lab.tabs.currentWidget()
    found = text_problems(page) + header_problems(page) + wrapped_headers(page) + \
        plot_problems(page, cut_ticks=True) + axis_problems(page) + \
        broken_texts(page, keep) + cell_problems(page)
    if lab.page == "mp":
        found += _mp_diagram_overlaps(page)
    if lab.page == "perceptron":   # the plane the class watches, not a strip above texts
        share = page.plot.height() / page.height()
        if share < 0.5:
            found.append(f"the plane is {page.plot.height()} px of the page's "
                         f"{page.height()} ({share:.0%})")
    if lab.page == "gallery":   # three rows of plots: their curves, not margins, get the room
        column = sum(page.plots[n].getViewBox().height() for n in ("step", "tanh", "elu"))
        if column < 0.45 * page.height():
            found.append(f"the plots draw in {column:.0f} px of the page's {page.height()}")
    return found


def test_the_neuron_lab_reads_from_the_back(window, qtbot):
    """Ctrl+5, each Neuron-lab lesson on its page, in presentation mode and not (the
    gallery with each function and the McCulloch–Pitts unit with each preset, selected by
    Page Down; perceptron-xor in its cycle, the longest texts, its panel on both tabs): no
    text cut or set over another, no word, number or formula broken across lines
    ("σ(z)(1 − | σ(z))", "σ′ | (z)"), no table heading in two lines or cell cut, every
    axis with at least two tick labels apart from its axis label (tanh showed only "0";
    "a_j" touched its ticks), the McCulloch–Pitts texts off their nodes, the perceptron's
    plane at least half its page high and the gallery's plots drawing in close to half of
    theirs."""
    win = window
    keep = NEURON_FORMULAS + _gallery_formulas()
    problems = []
    for presentation in (True, False):
        set_presentation(win, qtbot, presentation)
        for lesson in ("mp-neuron", "perceptron-xor", "perceptron-vs-sigmoid",
                       "softmax-outputs", "activation-gallery"):
            assert win.open_lesson(lesson, switch_lab=False)
            qtbot.keyClick(win, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
            lab = win.current_lab
            assert win.current_lab_name == "neuron"
            if lesson == "perceptron-xor":   # caught in its cycle
                qtbot.keyClick(win, Qt.Key.Key_PageDown)
                lab.advance(17)
            # the gallery with each function, the McCulloch–Pitts unit with each preset
            # (NOR's "(inh)" inputs), the perceptron's panel on each tab
            rounds = {"gallery": 9, "mp": 5, "perceptron": 2}.get(lab.page, 1)
            for i in range(rounds):
                settle()
                where = f"{lesson} [{lab.page}] F5={presentation}"
                if lab.page == "gallery":
                    where += f" {lab.ctl.functions.gallery_name}"
                elif lab.page == "mp":
                    where += f" {lab.ctl.mp_preset}"
                elif lab.page == "perceptron":
                    lab.perceptron_page.panel.setCurrentIndex(i)
                    settle()
                    where += f" {lab.perceptron_page.panel.tabText(i)}"
                problems += [f"{where}: {p}" for p in _neuron_page_problems(win, lab, keep)]
                if lab.page in ("gallery", "mp"):
                    qtbot.keyClick(win, Qt.Key.Key_PageDown)
                    lab.gallery_page.flush()
            lab.perceptron_page.panel.setCurrentIndex(0)
    set_presentation(win, qtbot, False)
    assert not problems, "\n".join(problems)


#: the tests, run by each size's file (test_projector_fit_<size>.py)
__all__ = [name for name in list(globals()) if name.startswith("test_")]   # in file order
