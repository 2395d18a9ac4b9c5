"""The Workbench's next step placed ahead (views/items/graph_ahead.py, views/workbench/
step_ahead.py): while a step is on screen, the next step's graph labels are placed off
screen and remembered; Right then puts them there without the search. What it puts on
screen must be exactly what a search finds, placing ahead must change and repaint
nothing on screen, and a placing given anything else must search again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, Qt

from nnviz.views.items.graph_ahead import PlacingMemo
from nnviz.views.workbench.present import shown_state
from tests.views.projector_window import projector_window, set_presentation, settle
from tests.views.workbench_keys import press


def _labels(graph) -> list[tuple]:
    """Every label as shown: its text, its rectangle on screen (visible ones), shown or
    not, and its leader."""
    rects = iter(graph.text_rects())
    out = []
    for item in graph.texts.all_items():
        shown = item.isVisible()
        leader = item.leader()
        out.append((item.html, shown, next(rects) if shown else None,
                    None if leader is None else (leader.x1(), leader.y1(), leader.x2(),
                                                 leader.y2())))
    return out


def _searched(graph) -> list[tuple]:
    """The labels as a fresh search places them (with nothing remembered)."""
    placement = graph.placement
    memo, placement.memo = placement.memo, PlacingMemo()
    try:
        graph.texts.place()
        placement.resolve()
        assert placement.memo.hits == 0
    finally:
        placement.memo = memo
    return _labels(graph)


def _step(qtbot, win, key=Qt.Key.Key_Right) -> None:
    press(qtbot, win, key)
    qtbot.wait(30)   # painted, and the next step placed ahead
    settle()


def _walk(qtbot, win, steps: int) -> tuple[int, int]:
    """Right ``steps`` times from the start of the pass; at each step the labels shown
    must be the search's. (hits, steps) back."""
    lab = win.current_lab
    graph = lab.graph
    press(qtbot, win, Qt.Key.Key_Home)
    qtbot.wait(200)   # (a new trace: placed ahead after AHEAD_NEW_TRACE_MS)
    settle()
    memo = graph.placement.memo
    hits = 0
    n = min(steps, len(lab.stepper) - lab.stepper.k)
    for _ in range(n):
        before = memo.hits
        _step(qtbot, win)
        hit = memo.hits > before
        hits += hit
        shown = _labels(graph)
        assert any(s for _, s, _, _ in shown)
        assert shown == _searched(graph), f"step {lab.stepper.k}: remembered {hit}"
    return hits, n


@pytest.fixture(scope="module", params=[(1024, 768), (1280, 720)], ids=["1024", "1280"])
def win(request, tmp_path_factory):
    yield from projector_window(request.param, tmp_path_factory, "ahead")


@pytest.mark.parametrize("presentation", [True, False], ids=["F5", "window"])
def test_right_puts_the_labels_where_a_search_puts_them(win, qtbot, presentation):
    """The notes' 2-2-2 network through its whole pass (forward, backward, every update,
    leaders off the edges at 1024x768 in F5): every Right but the first finds its step
    placed ahead, and the labels are where a fresh search puts them."""
    set_presentation(win, qtbot, presentation)
    win.show_lab("workbench")
    settle()
    hits, n = _walk(qtbot, win, 200)
    assert n == len(win.current_lab.stepper) and n > 30
    assert hits >= n - 1, (hits, n)


@pytest.mark.parametrize("lesson", ["xor-mlp", "wide-784-100-10"])
def test_other_networks_too(main_window, qtbot, lesson):
    """A neuron's own bias under its values (xor-mlp), a layer too crowded for every
    neuron's values and no weight labels (784-100-10)."""
    main_window.doc.load_lesson(lesson)
    qtbot.wait(50)
    settle()
    hits, n = _walk(qtbot, main_window, 12)
    assert hits >= n - 1, (hits, n)


class _Paints(QObject):
    def __init__(self, widget) -> None:
        super().__init__()
        self.n = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        self.n += event.type() == QEvent.Type.Paint
        return False


def test_placing_ahead_changes_and_repaints_nothing_on_screen(main_window, qtbot,
                                                             monkeypatch):
    lab = main_window.current_lab
    graph = lab.graph
    for _ in range(5):
        _step(qtbot, main_window)
    qtbot.wait(50)
    settle()
    shown = _labels(graph)
    state = graph.state
    memo = graph.placement.memo
    memo.clear()
    paints = _Paints(graph.view_widget.viewport())
    st = lab.stepper
    for k in range(st.k + 1, min(st.k + 8, len(st))):   # several steps ahead, off screen
        graph.ahead.place(shown_state(st.trace, k, st.doc.naming, lab.reveal, False, False))
    qtbot.wait(50)
    settle()
    assert paints.n == 0
    assert graph.state is state and _labels(graph) == shown
    assert len(memo._got) == min(7, len(st) - st.k - 1)
    searches = []
    search = graph.placement._search
    monkeypatch.setattr(graph.placement, "_search", lambda: (searches.append(1), search()))
    _step(qtbot, main_window)
    assert searches == []   # the step's placing was found, not searched
    monkeypatch.undo()
    assert _labels(graph) == _searched(graph)


def test_a_placing_given_anything_else_searches_again(main_window, qtbot):
    """The key holds what the placing reads: a label's text, the view's size, the type
    (F5), the weight labels on or off, the active neuron."""
    lab = main_window.current_lab
    graph = lab.graph
    for _ in range(3):
        _step(qtbot, main_window)
    memo, placement = graph.placement.memo, graph.placement

    def given() -> tuple:
        """The key of the placing of the labels as they are now."""
        graph.texts.place()   # (their first places: what a placing is given)
        return memo.key(placement)

    key = given()
    assert key is not None and memo.get(key) is not None   # this step's placing

    item = graph.texts.all_items()[0]
    html = item.html
    item.set_html_once(html.replace("</div>", " </div>", 1))
    assert item.html != html and memo.key(placement) != key
    item.set_html_once(html)
    assert memo.key(placement) == key

    active = graph.state.active
    graph.state.active = (0, 0) if active != (0, 0) else (1, 0)
    assert memo.key(placement) != key
    graph.state.active = active
    assert memo.key(placement) == key

    press(qtbot, main_window, Qt.Key.Key_L)   # weight labels off
    settle()
    assert not graph.weight_labels_on and given() != key
    press(qtbot, main_window, Qt.Key.Key_L)
    settle()
    assert graph.weight_labels_on and given() == key

    size = main_window.size()
    main_window.resize(size.width() - 120, size.height())
    qtbot.wait(50)
    settle()
    assert given() != key
    main_window.resize(size)
    qtbot.wait(50)
    settle()

    key = given()
    set_presentation(main_window, qtbot, True)
    try:
        assert given() != key
    finally:
        set_presentation(main_window, qtbot, False)


def test_in_predict_mode_too(main_window, qtbot):
    """Predict mode (Q): each step is placed ahead with its result hidden, as Right shows
    it; R shows the result (another placing, searched)."""
    win = main_window
    lab = win.current_lab
    graph = lab.graph
    memo = graph.placement.memo
    qtbot.keyClick(win, Qt.Key.Key_Q)
    assert win.reveal_actions.act_mode.isChecked()
    settle()
    hits = 0
    for k in range(1, 11):
        lab.graph.setFocus()
        before = memo.hits
        _step(qtbot, win)
        assert lab.stepper.k == k and lab.reveal.hidden()
        hits += memo.hits > before
        assert _labels(graph) == _searched(graph)
        if k % 3 == 0:   # now and then the result shown, and stepping on
            qtbot.keyClick(win, Qt.Key.Key_R)
            qtbot.wait(30)
            settle()
            assert not lab.reveal.hidden()
            assert _labels(graph) == _searched(graph)
    assert hits >= 9, hits


def test_a_zoom_places_the_next_step_again(main_window, qtbot):
    """The view zoomed in (Ctrl++): the labels keep their size in pixels, so the next step
    is placed ahead again at the new scale, and Right finds it."""
    lab = main_window.current_lab
    graph = lab.graph
    for _ in range(4):
        _step(qtbot, main_window)
    before = graph.view.viewRange()
    press(qtbot, main_window, Qt.Key.Key_Plus, mod=Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(50)
    settle()
    searches = []
    search = graph.placement._search
    graph.placement._search = lambda: (searches.append(1), search())
    try:
        _step(qtbot, main_window)
    finally:
        del graph.placement._search
    assert graph.view.viewRange() != before   # zoomed
    assert searches == []
    assert _labels(graph) == _searched(graph)
